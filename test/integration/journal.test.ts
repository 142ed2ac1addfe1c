import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {createSteppedClock, type SteppedClock} from '../../source/demo/clock.js';
import {startDemoCluster, type DemoCluster} from '../../source/demo/server.js';
import {describeEvent, recentEvents, sinceOf} from '../../source/model/journal.js';
import {journalPath, openJournalFile} from '../../source/store/journal-file.js';
import type {PollingStore} from '../../source/store/store.js';
import {demoStore, stepTo} from '../helpers/demo-store.js';

/**
 * The journal of what changed, through the demo incident with a stepped clock, across a
 * restart of kctop: the second kctop reads the file the first one wrote and still knows
 * when the task failed.
 */

const start = Date.UTC(2026, 10, 22, 3, 0, 0);
let clock: SteppedClock;
let demo: DemoCluster;
let directory: string;
const env = (): NodeJS.ProcessEnv => ({XDG_STATE_HOME: directory, HOME: directory});

function kctop(): PollingStore {
	return demoStore(demo, clock, {openJournal: kafkaClusterId => openJournalFile(journalPath(env(), {kafkaClusterId, urls: demo.restUrls}))});
}

async function runTo(store: PollingStore, seconds: number): Promise<void> {
	await stepTo(store, demo, clock, start, seconds);
}

beforeAll(async () => {
	directory = mkdtempSync(join(tmpdir(), 'kctop-journal-'));
	clock = createSteppedClock(start);
	demo = await startDemoCluster({seed: 1, clock});
});

afterAll(async () => {
	await demo?.close();
	rmSync(directory, {recursive: true, force: true});
});

describe('the journal through the demo incident, across a kctop restart', () => {
	it('records the snapshot end, the database drop and the task failure with their times', async () => {
		const first = kctop();
		await runTo(first, 10);
		// What was there at start is remembered, not recorded; the initial snapshot ending is an event.
		expect(first.getState().journal.events.map(describeEvent)).toEqual(['cdc-test-connector database disconnected → connected', 'cdc-test-connector snapshot running → not running']);
		await runTo(first, 30);
		const lines = recentEvents(first.getState().journal).map(event => `${(event.at - start) / 1000}s ${describeEvent(event)}`);
		expect(lines).toEqual(expect.arrayContaining([expect.stringMatching(/^2[0-2]s cdc-other-connector database connected → disconnected$/), expect.stringMatching(/^2[4-6]s jdbc-sink-orders\/1 RUNNING → FAILED: /)]));
		const failedAt = sinceOf(first.getState().journal, 'task', 'jdbc-sink-orders/1');
		expect(failedAt).toBeDefined();
		first.stop();

		// The file holds exactly what the first kctop saw, one JSON event per line.
		const cluster = first.getState().snapshot?.cluster.kafkaClusterId;
		const file = journalPath(env(), {kafkaClusterId: cluster, urls: demo.restUrls});
		const written = readFileSync(file, 'utf8').trim().split('\n');
		expect(written).toHaveLength(first.getState().journal.events.length);

		// kctop restarted: it knows since when the task has been FAILED, and adds no duplicate.
		const second = kctop();
		await runTo(second, 36);
		expect(sinceOf(second.getState().journal, 'task', 'jdbc-sink-orders/1')).toBe(failedAt);
		const failures = second.getState().journal.events.filter(event => event.subject === 'jdbc-sink-orders/1' && event.to === 'FAILED');
		expect(failures).toHaveLength(1);
		second.stop();
	});
});
