import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {createSteppedClock} from '../../source/demo/clock.js';
import {rebalanceMessage} from '../../source/demo/cluster.js';
import {startDemoCluster, type DemoCluster} from '../../source/demo/server.js';
import {call, connectionOutcome, find, samples, T0, type Line} from './helpers.js';

/**
 * Plays the default scenario with a stepped clock and watches it through the REST API and
 * the metrics endpoints over real HTTP on loopback. The `it`s run in order and share the
 * cluster: each moves the clock forward to the next point of the timeline (scenario.ts).
 */

const clock = createSteppedClock(T0);
let demo: DemoCluster;

async function at(second: number): Promise<void> {
	clock.set(T0 + second * 1000);
	await demo.sync();
}

function rest(path: string, worker = 0): string {
	return `${demo.restUrls[worker] ?? ''}${path}`;
}

async function scrape(worker: number): Promise<Line[]> {
	const answer = await call(demo.metricsUrls[worker] ?? '');
	expect(answer.status).toBe(200);
	return samples(answer.text);
}

interface Status {
	connector: {state: string; worker_id: string; trace?: string};
	tasks: Array<{id: number; state: string; worker_id: string; trace?: string}>;
}

function isStatus(value: unknown): value is Status {
	return typeof value === 'object' && value !== null && 'connector' in value && 'tasks' in value && Array.isArray(value.tasks);
}

async function status(name: string): Promise<Status> {
	const answer = await call(rest(`/connectors/${name}/status`));
	expect(answer.status).toBe(200);
	if (!isStatus(answer.json)) throw new Error(`not a status body: ${answer.text}`);
	return answer.json;
}

function value(lines: readonly Line[], name: string, labels: Readonly<Record<string, string>>): number | undefined {
	return find(lines, name, labels)[0]?.value;
}

const cdcOtherStreaming = {server: 'cdc-other', context: 'streaming'};

beforeAll(async () => {
	demo = await startDemoCluster({seed: 7, clock});
});

afterAll(async () => {
	await demo.close();
});

describe('the default scenario, seen over HTTP', () => {
	it('starts with three workers, connect-3 idle, Debezium timers at -1 before the first event', async () => {
		expect(demo.workers.map(worker => worker.id)).toEqual(['connect-1:8083', 'connect-2:8083', 'connect-3:8083']);
		const names = await call(rest('/connectors', 2));
		expect(names.json).toEqual(['cdc-test-connector', 'cdc-other-connector', 'jdbc-sink-orders', 'file-source-audit']);
		const connect1 = await scrape(0);
		expect(value(connect1, 'debezium_milli_seconds_behind_source', {server: 'cdc-test', context: 'streaming'})).toBe(-1);
		expect(value(connect1, 'debezium_milli_seconds_since_last_event', {server: 'cdc-test', context: 'streaming'})).toBe(-1);
		expect(value(connect1, 'debezium_snapshot_running', {server: 'cdc-test', context: 'snapshot'})).toBe(1);
		const connect3 = await scrape(2);
		expect(value(connect3, 'kafka_connect_worker_task_count', {})).toBe(0);
		expect(find(connect3, 'kafka_connect_task_status')).toEqual([]);
	});

	it('shows the lag spike on cdc-test-connector after 10 s', async () => {
		await at(9);
		const before = value(await scrape(0), 'debezium_milli_seconds_behind_source', {server: 'cdc-test', context: 'streaming'}) ?? Number.NaN;
		expect(before).toBeGreaterThanOrEqual(0);
		expect(before).toBeLessThan(1000);
		await at(19);
		const during = value(await scrape(0), 'debezium_milli_seconds_behind_source', {server: 'cdc-test', context: 'streaming'}) ?? Number.NaN;
		expect(during).toBeGreaterThan(5000);
	});

	it('sees cdc-other-connector disconnect at 20 s (Connected 1 → 0, one more disconnect)', async () => {
		const connected = value(await scrape(1), 'debezium_connected', cdcOtherStreaming);
		expect(connected).toBe(1);
		await at(23);
		const lines = await scrape(1);
		expect(value(lines, 'debezium_connected', cdcOtherStreaming)).toBe(0);
		const since = value(lines, 'debezium_milli_seconds_since_last_event', cdcOtherStreaming) ?? Number.NaN;
		expect(since).toBeGreaterThanOrEqual(3000);
	});

	it('sees record errors landing in the DLQ for the JDBC sink', async () => {
		const lines = [...(await scrape(0)), ...(await scrape(1))];
		const dlq = find(lines, 'kafka_connect_task_deadletterqueue_produce_requests_total', {connector: 'jdbc-sink-orders'}).reduce((sum, line) => sum + line.value, 0);
		const errors = find(lines, 'kafka_connect_task_record_errors_total', {connector: 'jdbc-sink-orders'}).reduce((sum, line) => sum + line.value, 0);
		expect(dlq).toBeGreaterThan(0);
		expect(errors).toBeGreaterThan(0);
	});

	it('sees JDBC sink task 1 FAILED at 25 s with a Java trace and a Caused by chain', async () => {
		await at(26);
		const body = await status('jdbc-sink-orders');
		const task = body.tasks.find(candidate => candidate.id === 1);
		expect(task?.state).toBe('FAILED');
		expect(task?.worker_id).toBe('connect-1:8083');
		expect(task?.trace).toMatch(/^org\.apache\.kafka\.connect\.errors\.ConnectException: /);
		expect(task?.trace).toContain('\n\tat org.apache.kafka.connect.runtime.WorkerSinkTask');
		expect(task?.trace).toContain('\nCaused by: java.sql.SQLException: Connection refused');
		// The healthy task carries no trace key at all, as real Connect omits empty traces.
		expect(body.tasks.find(candidate => candidate.id === 0)).not.toHaveProperty('trace');
		const one = await call(rest('/connectors/jdbc-sink-orders/tasks/1/status', 2));
		expect(one.json).toEqual(task);
		expect(value(await scrape(0), 'kafka_connect_task_status', {connector: 'jdbc-sink-orders', task: '1', status: 'failed'})).toBe(1);
	});

	it('keeps the task FAILED until it is restarted; the restart clears the failure (204, then RUNNING)', async () => {
		await at(30);
		expect((await status('jdbc-sink-orders')).tasks[1]?.state).toBe('FAILED');
		const restart = await call(rest('/connectors/jdbc-sink-orders/tasks/1/restart', 1), 'POST');
		expect(restart.status).toBe(204);
		expect(restart.text).toBe('');
		const task = (await status('jdbc-sink-orders')).tasks[1];
		expect(task?.state).toBe('RUNNING');
		expect(task).not.toHaveProperty('trace');
		await at(31);
		expect(value(await scrape(0), 'kafka_connect_task_status', {connector: 'jdbc-sink-orders', task: '1', status: 'running'})).toBe(1);
	});

	it('sees cdc-other-connector reconnect at 40 s (Connected 0 → 1)', async () => {
		await at(41);
		expect(value(await scrape(1), 'debezium_connected', cdcOtherStreaming)).toBe(1);
	});

	it('loses worker connect-2 at 45 s: its ports refuse connections and its work is UNASSIGNED', async () => {
		await at(46);
		expect(await connectionOutcome(rest('/'))).toBe('answered');
		expect(await connectionOutcome(rest('/', 1))).toBe('ECONNREFUSED');
		expect(await connectionOutcome(demo.metricsUrls[1] ?? '')).toBe('ECONNREFUSED');
		const other = await status('cdc-other-connector');
		expect(other.connector).toEqual({state: 'UNASSIGNED', worker_id: 'connect-2:8083'});
		expect(other.tasks).toEqual([{id: 0, state: 'UNASSIGNED', worker_id: 'connect-2:8083'}]);
		const jdbc = await status('jdbc-sink-orders');
		expect(jdbc.tasks[0]).toEqual({id: 0, state: 'UNASSIGNED', worker_id: 'connect-2:8083'});
		expect(jdbc.tasks[1]?.state).toBe('RUNNING');
	});

	it('answers 409 while the rebalance is under way, except GET / and the status endpoints', async () => {
		await at(48);
		const expanded = await call(rest('/connectors?expand=status&expand=info'));
		expect(expanded.status).toBe(409);
		expect(expanded.json).toEqual({error_code: 409, message: rebalanceMessage});
		expect(expanded.contentType).toMatch(/^application\/json/);
		expect((await call(rest('/connectors/jdbc-sink-orders/pause', 2), 'PUT')).status).toBe(409);
		expect((await call(rest('/'))).status).toBe(200);
		expect((await call(rest('/connectors/cdc-other-connector/status'))).status).toBe(200);
		expect(value(await scrape(0), 'kafka_connect_worker_rebalancing', {})).toBe(1);
	});

	it('reassigns connect-2’s connectors and tasks to connect-1 and connect-3 (RUNNING) at 53 s', async () => {
		await at(54);
		const expanded = await call(rest('/connectors?expand=status'));
		expect(expanded.status).toBe(200);
		const statuses = [await status('cdc-other-connector'), await status('jdbc-sink-orders'), await status('file-source-audit')];
		const moved = [statuses[0]?.tasks[0], statuses[1]?.tasks[0], statuses[2]?.tasks[0]];
		for (const task of moved) expect(task?.state).toBe('RUNNING');
		expect(new Set(moved.map(task => task?.worker_id))).toEqual(new Set(['connect-1:8083', 'connect-3:8083']));
		expect(statuses[0]?.connector.state).toBe('RUNNING');
		expect(statuses[0]?.connector.worker_id).not.toBe('connect-2:8083');
		expect(value(await scrape(0), 'kafka_connect_worker_rebalancing', {})).toBe(0);
		expect((await scrape(2)).some(line => line.name === 'kafka_connect_task_status')).toBe(true);
	});

	it('brings connect-2 back at 120 s and balances work onto it', async () => {
		await at(121);
		expect((await call(rest('/', 1))).status).toBe(200);
		expect((await call(rest('/connectors', 1))).status).toBe(409);
		await at(125);
		const expanded = await call(rest('/connectors?expand=status', 1));
		expect(expanded.status).toBe(200);
		expect(expanded.text).toContain('"worker_id":"connect-2:8083"');
		expect(value(await scrape(1), 'kafka_connect_worker_task_count', {})).toBeGreaterThan(0);
	});

	it('loops: the incident plays again in the next cycle', async () => {
		await at(240 + 26);
		expect((await status('jdbc-sink-orders')).tasks[1]?.state).toBe('FAILED');
		await at(240 + 150);
		expect((await status('jdbc-sink-orders')).tasks[1]?.state).toBe('RUNNING');
	});
});
