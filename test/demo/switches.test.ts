import {readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {afterEach, describe, expect, it} from 'vitest';
import {createSteppedClock} from '../../source/demo/clock.js';
import {parseJmxConfig} from '../../source/demo/jmx/rules.js';
import {startDemoCluster, type DemoCluster, type DemoClusterOptions} from '../../source/demo/server.js';
import {parseConnectVersion} from '../../source/demo/versions.js';
import {call, find, samples, T0} from './helpers.js';

/** The simulator's switches for old versions, topologies, long snapshots and other exporter rules, over real HTTP. */

const root = fileURLToPath(new URL('../../', import.meta.url));
const clock = createSteppedClock(T0);
let demo: DemoCluster | undefined;

afterEach(async () => {
	await demo?.close();
	demo = undefined;
});

async function start(options: DemoClusterOptions): Promise<DemoCluster> {
	demo = await startDemoCluster({seed: 4, clock, ...options});
	return demo;
}

interface Status {
	readonly connector: {readonly state: string; readonly worker_id: string};
	readonly tasks: ReadonlyArray<{readonly id: number; readonly state: string; readonly worker_id: string}>;
}

function isStatus(value: unknown): value is Status {
	return typeof value === 'object' && value !== null && 'connector' in value && 'tasks' in value && Array.isArray(value.tasks);
}

async function status(base: string, name: string): Promise<Status> {
	const answer = await call(`${base}/connectors/${name}/status`);
	if (!isStatus(answer.json)) throw new Error(`not a status: ${answer.status} ${answer.text}`);
	return answer.json;
}

function version(text: string) {
	const parsed = parseConnectVersion(text);
	if (!parsed) throw new Error(`bad version ${text}`);
	return parsed;
}

describe('--connect-version', () => {
	it('2.4.1: GET / reports it; restart with includeTasks&onlyFailed answers 204, ignores both, and the FAILED task stays FAILED', async () => {
		const cluster = await start({connectVersion: version('2.4.1')});
		// 26 s into the default scenario: jdbc-sink-orders task 1 failed at 25 s, no rebalance under way.
		clock.advance(26_000);
		const base = cluster.restUrls[0] ?? '';
		expect((await call(`${base}/`)).json).toMatchObject({version: '2.4.1'});
		expect((await status(base, 'jdbc-sink-orders')).tasks.map(task => task.state)).toEqual(['RUNNING', 'FAILED']);

		const restart = await call(`${base}/connectors/jdbc-sink-orders/restart?includeTasks=true&onlyFailed=true`, 'POST');
		expect(restart.status).toBe(204);
		expect(restart.text).toBe('');
		clock.advance(3000);
		const after = await status(base, 'jdbc-sink-orders');
		expect(after.connector.state).toBe('RUNNING');
		expect(after.tasks.map(task => task.state)).toEqual(['RUNNING', 'FAILED']);

		// What works on 2.4: restarting the task itself.
		expect((await call(`${base}/connectors/jdbc-sink-orders/tasks/1/restart`, 'POST')).status).toBe(204);
		expect((await status(base, 'jdbc-sink-orders')).tasks.map(task => task.state)).toEqual(['RUNNING', 'RUNNING']);
	});

	it('3.9 (the default) restarts the failed task for the same call: 202 with the task RESTARTING', async () => {
		const cluster = await start({});
		clock.advance(26_000);
		const base = cluster.restUrls[0] ?? '';
		const restart = await call(`${base}/connectors/jdbc-sink-orders/restart?includeTasks=true&onlyFailed=true`, 'POST');
		expect(restart.status).toBe(202);
		expect(restart.json).toMatchObject({tasks: [{id: 0, state: 'RUNNING'}, {id: 1, state: 'RESTARTING'}]});
	});

	it.each([
		['2.4.1', ['PUT /connectors/jdbc-sink-orders/stop', 'GET /connectors/jdbc-sink-orders/offsets', 'GET /connectors/jdbc-sink-orders/topics', 'GET /health'], []],
		['3.4.0', ['PUT /connectors/jdbc-sink-orders/stop', 'GET /connectors/jdbc-sink-orders/offsets', 'GET /health'], ['GET /connectors/jdbc-sink-orders/topics']],
		['3.9.0', [], ['PUT /connectors/file-source-audit/stop', 'GET /connectors/jdbc-sink-orders/offsets', 'GET /connectors/jdbc-sink-orders/topics', 'GET /health']],
	])('%s: paths it does not have answer 404 "HTTP 404 Not Found" as Jersey does', async (text, missing, present) => {
		const cluster = await start({connectVersion: version(text), scenario: 'steady'});
		clock.advance(2000);
		const base = cluster.restUrls[1] ?? '';
		for (const request of missing) {
			const [method = 'GET', path = '/'] = request.split(' ');
			const answer = await call(`${base}${path}`, method);
			expect(answer.status, request).toBe(404);
			expect(answer.json, request).toEqual({error_code: 404, message: 'HTTP 404 Not Found'});
		}
		for (const request of present) {
			const [method = 'GET', path = '/'] = request.split(' ');
			expect((await call(`${base}${path}`, method)).status, request).toBeLessThan(300);
		}
	});

	it('before 2.3 ?expand is ignored: the plain list of names comes back', async () => {
		const cluster = await start({connectVersion: version('2.2.2'), scenario: 'steady'});
		expect((await call(`${cluster.restUrls[0] ?? ''}/connectors?expand=status&expand=info`)).json).toEqual(['cdc-test-connector', 'cdc-other-connector', 'jdbc-sink-orders', 'file-source-audit']);
	});

	it('the exporter reports the version too (app-info)', async () => {
		const cluster = await start({connectVersion: version('2.4.1'), scenario: 'steady'});
		clock.advance(1000);
		const text = (await call(cluster.metricsUrls[0] ?? '')).text;
		expect(text).toMatch(/version="2\.4\.1"/);
	});
});

describe('topologies', () => {
	it('one-host: worker_id is 127.0.0.1:<REST port>, the exporters are other ports of the same host', async () => {
		const cluster = await start({topology: 'one-host', scenario: 'steady', workers: 4});
		expect(cluster.workers).toHaveLength(4);
		for (const worker of cluster.workers) {
			const restUrl = new URL(worker.restUrl);
			const metricsUrl = new URL(worker.metricsUrl);
			expect(worker.id).toBe(`127.0.0.1:${restUrl.port}`);
			expect(metricsUrl.hostname).toBe('127.0.0.1');
			expect(metricsUrl.port).not.toBe(restUrl.port);
		}
		clock.advance(1000);
		const ids = new Set(cluster.workers.map(worker => worker.id));
		const placed = await status(cluster.restUrls[3] ?? '', 'jdbc-sink-orders');
		for (const instance of [placed.connector, ...placed.tasks]) expect(ids.has(instance.worker_id), instance.worker_id).toBe(true);
		expect((await call(cluster.metricsUrls[3] ?? '')).status).toBe(200);
	});

	it('kubernetes: worker_id is the advertised DNS name, REST and the exporter listen on a pod IP that shares nothing with it', async () => {
		const cluster = await start({topology: 'kubernetes', scenario: 'steady'});
		cluster.workers.forEach((worker, index) => {
			expect(worker.id).toBe(`connect-${index}.connect.kafka.svc.cluster.local:8083`);
			expect(new URL(worker.restUrl).hostname).toBe(`127.0.1.${index + 1}`);
			expect(new URL(worker.metricsUrl).hostname).toBe(`127.0.1.${index + 1}`);
		});
		clock.advance(1000);
		expect((await status(cluster.restUrls[2] ?? '', 'cdc-test-connector')).connector.worker_id).toBe('connect-0.connect.kafka.svc.cluster.local:8083');
		expect((await call(cluster.metricsUrls[0] ?? '')).text).toContain('kafka_connect_worker_connector_count');
	});
});

describe('--snapshot-seconds', () => {
	it('a long initial snapshot: Connected 0, SnapshotRunning 1, tables done out of total, events flowing, then streaming', async () => {
		const cluster = await start({snapshotSeconds: 400, scenario: 'steady'});
		const debezium = async () => samples((await call(cluster.metricsUrls[0] ?? '')).text);
		const value = (lines: ReturnType<typeof samples>, name: string, context: string): number | undefined => find(lines, name, {server: 'cdc-test', context})[0]?.value;

		clock.advance(10_000);
		let lines = await debezium();
		expect(value(lines, 'debezium_connected', 'streaming')).toBe(0);
		expect(value(lines, 'debezium_snapshot_running', 'snapshot')).toBe(1);
		expect(value(lines, 'debezium_total_table_count', 'snapshot')).toBe(4);
		expect(value(lines, 'debezium_remaining_table_count', 'snapshot')).toBe(4);
		const eventsEarly = value(lines, 'debezium_total_number_of_events_seen', 'snapshot') ?? 0;
		expect(eventsEarly).toBeGreaterThan(0);

		clock.advance(200_000);
		lines = await debezium();
		expect(value(lines, 'debezium_snapshot_running', 'snapshot')).toBe(1);
		expect(value(lines, 'debezium_remaining_table_count', 'snapshot')).toBe(2);
		expect(value(lines, 'debezium_total_number_of_events_seen', 'snapshot')).toBeGreaterThan(eventsEarly);
		expect(value(lines, 'debezium_connected', 'streaming')).toBe(0);

		clock.advance(200_000);
		lines = await debezium();
		expect(value(lines, 'debezium_snapshot_running', 'snapshot')).toBe(0);
		expect(value(lines, 'debezium_remaining_table_count', 'snapshot')).toBe(0);
		expect(value(lines, 'debezium_connected', 'streaming')).toBe(1);
	});
});

describe('--rules', () => {
	it('emits the metrics through another exporter rules file: the catch-all', async () => {
		const rules = parseJmxConfig(readFileSync(`${root}test/fixtures/mbeans/exporter-rules/default-catchall.yml`, 'utf8'));
		const cluster = await start({rules, scenario: 'steady'});
		clock.advance(10_000);
		const lines = samples((await call(cluster.metricsUrls[0] ?? '')).text);
		expect(find(lines, 'kafka_connect_connect_worker_metrics_connector_count')[0]?.value).toBe(2);
		// The catch-all keeps the attribute's case (no lowercaseOutputName).
		expect(find(lines, 'debezium_mysql_connector_metrics_Connected', {context: 'streaming', server: 'cdc-test'})[0]?.value).toBe(1);
		expect(find(lines, 'kafka_connect_connector_task_metrics_running_ratio', {connector: 'jdbc-sink-orders', task: '1'})[0]?.value).toBe(1);
		expect(find(lines, 'kafka_connect_worker_connector_count')).toHaveLength(0);
	});

	it('and through Strimzi\'s rules', async () => {
		const rules = parseJmxConfig(readFileSync(`${root}test/fixtures/mbeans/exporter-rules/strimzi-metrics-config.yml`, 'utf8'));
		const cluster = await start({rules, scenario: 'steady'});
		clock.advance(10_000);
		const text = (await call(cluster.metricsUrls[0] ?? '')).text;
		const lines = samples(text);
		expect(find(lines, 'kafka_connect_worker_connector_count')[0]?.value).toBe(2);
		expect(find(lines, 'kafka_connect_connector_task_running_ratio', {connector: 'jdbc-sink-orders', task: '1'})[0]?.value).toBe(1);
		expect(find(lines, 'kafka_connect_connector_status', {connector: 'cdc-test-connector', status: 'running'})[0]?.value).toBe(1);
	});
});
