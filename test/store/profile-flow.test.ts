import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {KctopError} from '../../source/clients/errors.js';
import type {ScrapeClient, ScrapeOutcome} from '../../source/clients/scrape/client.js';
import {parseExposition} from '../../source/clients/scrape/parser.js';
import {renderExposition} from '../../source/demo/jmx/exposition.js';
import {referenceMBeans} from '../../source/demo/jmx/mbeans.js';
import {applyRules, parseJmxConfig} from '../../source/demo/jmx/rules.js';
import {kctopProfile} from '../../source/metrics/profiles/default.js';
import {profiles} from '../../source/metrics/profiles/index.js';
import {createScrapeSource} from '../../source/metrics/scrape-source.js';
import {defaultThresholds} from '../../source/model/snapshot.js';
import {createStore, type ConnectApi} from '../../source/store/store.js';
import {expandedFixture} from '../model/helpers.js';

/** The profile the metrics source detects is the one the snapshot names, with its N/17 and what it lacks. */

const strimzi = renderExposition(applyRules(parseJmxConfig(readFileSync(new URL('../fixtures/mbeans/exporter-rules/strimzi-metrics-config.yml', import.meta.url), 'utf8')), referenceMBeans()));

const scrapeClient: ScrapeClient = {
	urls: ['http://connect-1:9404/metrics'],
	async scrapeAll(now): Promise<readonly ScrapeOutcome[]> {
		const url = 'http://connect-1:9404/metrics';
		return [{url, instance: 'connect-1:9404', result: {url, instance: 'connect-1:9404', at: now, exposition: parseExposition(strimzi)}}];
	},
	async close() {},
};

const unused = async (): Promise<never> => {
	throw new KctopError({kind: 'http', source: 'connect', status: 404, message: 'not used here'});
};

const connect: ConnectApi = {
	currentUrl: () => 'http://connect-1:8083',
	serverInfo: async () => ({version: '3.9.0', commit: 'abc', kafka_cluster_id: 'k1'}),
	connectors: async () => ({connectors: expandedFixture('rest-connectors-expand-info-status-datagen-6-tasks-2-workers.json'), fallback: false}),
	topics: unused,
	offsets: unused,
	pause: unused,
	resume: unused,
	stop: unused,
	restartConnector: unused,
	restartTask: unused,
};

describe('the detected profile in the snapshot', () => {
	it('replaces the start-up profile once the metrics source has detected one', async () => {
		const store = createStore({connect, metrics: createScrapeSource({client: scrapeClient, profile: profiles}), profile: kctopProfile, intervalMs: 2000, historyWindowMs: 60_000, thresholds: defaultThresholds});
		await store.refresh();
		const snapshot = store.getState().snapshot;
		expect(snapshot?.profile).toBe('strimzi');
		expect(snapshot?.profileSummary).toMatchObject({detected: true, resolved: 11, total: 17});
		expect(snapshot?.profileSummary?.missing.map((missing) => missing.metric)).toEqual(['dbzConnected', 'dbzMsBehindSource', 'dbzMsSinceLastEvent', 'dbzEventsRate', 'dbzErroneousEvents', 'dbzSnapshotRunning']);
		store.stop();
	});
});
