import {readFileSync} from 'node:fs';
import {afterEach, describe, expect, it} from 'vitest';
import {createScrapeClient} from '../../source/clients/scrape/client.js';
import {createSteppedClock} from '../../source/demo/clock.js';
import {parseJmxConfig} from '../../source/demo/jmx/rules.js';
import {startDemoCluster, type DemoCluster} from '../../source/demo/server.js';
import {catchAllProfile} from '../../source/metrics/profiles/catch-all.js';
import {createScrapeSource} from '../../source/metrics/scrape-source.js';
import type {PollingStore} from '../../source/store/store.js';
import {demoStore, stepTo} from '../helpers/demo-store.js';
import {T0} from './helpers.js';

/**
 * The catch-all rules drop Connect's status strings, so no status series says which exporter
 * carries which task. The per-task running-ratio does (it keeps `instance`): three workers on
 * one host pair by assignment under catch-all too, with no --worker-map and no worker_id label.
 */

let demo: DemoCluster | undefined;
let store: PollingStore | undefined;

afterEach(async () => {
	store?.stop();
	await demo?.close();
});

describe('pairing under the catch-all rules', () => {
	it('pairs every exporter with its worker from the tasks its running-ratio series carry', async () => {
		const clock = createSteppedClock(T0);
		const rules = parseJmxConfig(readFileSync(new URL('../fixtures/mbeans/exporter-rules/default-catchall.yml', import.meta.url), 'utf8'));
		const cluster = await startDemoCluster({seed: 1, clock, topology: 'one-host', rules, scenario: 'steady', scale: 6});
		demo = cluster;
		const polling = demoStore(cluster, clock, {
			workerMap: new Map(),
			profile: catchAllProfile,
			metrics: createScrapeSource({client: createScrapeClient({urls: cluster.metricsUrls, timeoutMs: 5000}), profile: catchAllProfile}),
		});
		store = polling;
		const snapshot = await stepTo(polling, cluster, clock, T0, 6);
		expect(snapshot.profile).toBe('catch-all');
		expect(snapshot.unpairedInstances).toEqual([]);
		const byId = (a: readonly string[], b: readonly string[]): number => String(a[0]).localeCompare(String(b[0]));
		const expected = cluster.workers.map((worker, index) => [worker.id, new URL(cluster.metricsUrls[index] ?? '').host, 'assignment']).sort(byId);
		expect(snapshot.workers.map(worker => [worker.id, worker.instance ?? '', worker.pairing]).sort(byId)).toEqual(expected);
		expect(snapshot.totals).toMatchObject({workersUp: 3, workersTotal: 3});
	});
});
