import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {onePlan} from '../helpers/plans.js';
import {createSteppedClock, type SteppedClock} from '../../source/demo/clock.js';
import {startDemoCluster, type DemoCluster} from '../../source/demo/server.js';
import type {ClusterSnapshot, ConnectorRow} from '../../source/model/types.js';
import type {PollingStore} from '../../source/store/store.js';
import {demoStore, stepTo} from '../helpers/demo-store.js';

/**
 * kctop's own pipeline (Connect client → direct scrape → store → snapshot) against the
 * simulator, stepping the simulator's clock through the default scenario: what the
 * on-call engineer would see at each moment.
 */

const start = Date.UTC(2026, 10, 22, 3, 0, 0);
let clock: SteppedClock;
let demo: DemoCluster;
let store: PollingStore;

beforeAll(async () => {
	clock = createSteppedClock(start);
	demo = await startDemoCluster({seed: 1, clock});
	store = demoStore(demo, clock, {demo: true});
});

afterAll(async () => {
	store?.stop();
	await demo?.close();
});

/** Refreshes every 2 s of simulated time up to `seconds` after the start, like the poller would. */
async function runTo(seconds: number): Promise<ClusterSnapshot> {
	return stepTo(store, demo, clock, start, seconds);
}

function connector(snapshot: ClusterSnapshot, name: string): ConnectorRow {
	const row = snapshot.connectors.find(each => each.name === name);
	if (!row) throw new Error(`${name} is not in the snapshot: ${snapshot.connectors.map(each => each.name).join(', ')}`);
	return row;
}

describe('kctop through the demo incident (stepped clock)', () => {
	it('starts healthy: four connectors, three workers up, Debezium streaming', async () => {
		const snapshot = await runTo(8);
		expect(snapshot.connectors.map(row => row.name).sort()).toEqual(['cdc-other-connector', 'cdc-test-connector', 'file-source-audit', 'jdbc-sink-orders']);
		expect(snapshot.totals.workersUp).toBe(3);
		expect(snapshot.workers.map(worker => worker.id)).toEqual(['connect-1:8083', 'connect-2:8083', 'connect-3:8083']);
		expect(connector(snapshot, 'cdc-test-connector').debezium).toMatchObject({server: 'cdc-test', connected: true, plugin: 'mysql'});
		expect(connector(snapshot, 'cdc-test-connector').health).toBe('ok');
		expect(snapshot.rest.stale).toBe(false);
		expect(snapshot.metrics?.everSucceeded).toBe(true);
	});

	it('sees the lag spike, the record errors going to the DLQ, and the database dropping', async () => {
		const snapshot = await runTo(24);
		const cdcTest = connector(snapshot, 'cdc-test-connector');
		expect(cdcTest.lag).toBeGreaterThan(5000);
		expect(store.history('cdc-test-connector').lag.filter(Number.isFinite).length).toBeGreaterThan(5);
		const sink = connector(snapshot, 'jdbc-sink-orders');
		expect(sink.errorsIncrease).toBeGreaterThan(0);
		expect(sink.dlqIncrease).toBeGreaterThan(0);
		expect(sink.lagUnit).toBe('records');
		const other = connector(snapshot, 'cdc-other-connector');
		expect(other.debezium?.connected).toBe(false);
		expect(other.health).toBe('crit');
		expect(other.problems).toContain('Debezium not connected to the database');
	});

	it('sees the failed JDBC sink task with its Caused-by trace', async () => {
		const snapshot = await runTo(28);
		const sink = connector(snapshot, 'jdbc-sink-orders');
		const failed = sink.tasks.find(task => task.state === 'FAILED');
		expect(failed?.id).toBe(1);
		expect(failed?.trace).toMatch(/\nCaused by: /);
		expect(failed?.traceHead).toMatch(/Exception/);
		expect(sink.health).toBe('crit');
		expect(snapshot.totals.failedTasks).toBe(1);
	});

	it('sees the database come back (Connected 0 → 1)', async () => {
		const snapshot = await runTo(42);
		expect(connector(snapshot, 'cdc-other-connector').debezium?.connected).toBe(true);
	});

	it('sees connect-2 die: its work UNASSIGNED, the worker down, REST stale during the rebalance', async () => {
		let snapshot = await runTo(46);
		const onDead = snapshot.connectors.flatMap(row => row.tasks.filter(task => task.workerId === 'connect-2:8083'));
		expect(onDead.length).toBeGreaterThan(0);
		expect(onDead.every(task => task.state === 'UNASSIGNED')).toBe(true);
		expect(snapshot.workers.find(worker => worker.id === 'connect-2:8083')?.up).toBe(false);
		expect(snapshot.metrics?.warnings.some(warning => /connection refused|socket|closed/i.test(warning))).toBe(true);

		snapshot = await runTo(50);
		expect(snapshot.rest.stale).toBe(true);
		expect(snapshot.rest.lastError).toMatch(/^409 Conflict: Cannot complete request momentarily/);
		expect(snapshot.connectors).toHaveLength(4); // the last good data is kept

		const during = await store.runAction(onePlan({kind: 'restart-task', connector: 'jdbc-sink-orders', task: 1}));
		expect(during.ok).toBe(false);
		expect(during.message).toMatch(/^409 Conflict/);
	});

	it('sees the tasks reassigned to the surviving workers', async () => {
		const snapshot = await runTo(58);
		expect(snapshot.rest.stale).toBe(false);
		const tasks = snapshot.connectors.flatMap(row => row.tasks.map(task => ({...task, connector: row.name})));
		expect(tasks.filter(task => task.workerId === 'connect-2:8083')).toEqual([]);
		expect(tasks.filter(task => task.state === 'UNASSIGNED')).toEqual([]);
		expect(new Set(tasks.map(task => task.workerId))).toEqual(new Set(['connect-1:8083', 'connect-3:8083']));
	});

	it('clears the failure when kctop restarts the failed task', async () => {
		expect(connector(await runTo(60), 'jdbc-sink-orders').tasksFailed).toBe(1);
		const outcome = await store.runAction(onePlan({kind: 'restart-task', connector: 'jdbc-sink-orders', task: 1}));
		expect(outcome).toMatchObject({ok: true, message: '204 No Content'});
		const snapshot = await runTo(64);
		const sink = connector(snapshot, 'jdbc-sink-orders');
		expect(sink.tasksFailed).toBe(0);
		expect(sink.tasks.every(task => task.state === 'RUNNING')).toBe(true);
		expect(sink.problems).not.toContain('1 task FAILED');
		expect(snapshot.totals.failedTasks).toBe(0);
	});
});
