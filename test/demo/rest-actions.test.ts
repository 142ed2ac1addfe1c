import {createServer, type Server} from 'node:http';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {createSteppedClock} from '../../source/demo/clock.js';
import {SimCluster} from '../../source/demo/cluster.js';
import {createRestHandler} from '../../source/demo/rest.js';
import {defaultConnectorSpecs} from '../../source/demo/scenario.js';
import {startDemoCluster, type DemoCluster} from '../../source/demo/server.js';
import {call, T0} from './helpers.js';

/** Actions kctop sends, and the error answers, over real HTTP (steady scenario: nothing scripted interferes). */

const clock = createSteppedClock(T0);
let demo: DemoCluster;

function url(path: string, worker = 0): string {
	return `${demo.restUrls[worker] ?? ''}${path}`;
}

interface Status {
	connector: {state: string; worker_id: string};
	tasks: Array<{id: number; state: string; worker_id: string}>;
}

function isStatus(value: unknown): value is Status {
	return typeof value === 'object' && value !== null && 'connector' in value && 'tasks' in value && Array.isArray(value.tasks);
}

async function status(name: string): Promise<Status> {
	const answer = await call(url(`/connectors/${encodeURIComponent(name)}/status`));
	if (!isStatus(answer.json)) throw new Error(`not a status: ${answer.status} ${answer.text}`);
	return answer.json;
}

beforeAll(async () => {
	demo = await startDemoCluster({seed: 3, clock, scenario: 'steady'});
	clock.advance(10_000);
});

afterAll(async () => {
	await demo.close();
});

describe('connector actions', () => {
	it('pause: 202 with no body, connector and tasks PAUSED; resume: 202, RUNNING again', async () => {
		const pause = await call(url('/connectors/jdbc-sink-orders/pause', 1), 'PUT');
		expect(pause.status).toBe(202);
		expect(pause.text).toBe('');
		const paused = await status('jdbc-sink-orders');
		expect(paused.connector.state).toBe('PAUSED');
		expect(paused.tasks.map(task => task.state)).toEqual(['PAUSED', 'PAUSED']);
		clock.advance(5000);
		expect((await status('jdbc-sink-orders')).tasks.map(task => task.state)).toEqual(['PAUSED', 'PAUSED']);
		const resume = await call(url('/connectors/jdbc-sink-orders/resume', 2), 'PUT');
		expect(resume.status).toBe(202);
		expect(resume.text).toBe('');
		const resumed = await status('jdbc-sink-orders');
		expect(resumed.connector.state).toBe('RUNNING');
		expect(resumed.tasks.map(task => task.state)).toEqual(['RUNNING', 'RUNNING']);
	});

	it('stop: 204, connector STOPPED with no tasks (status and info); resume re-creates the tasks', async () => {
		const stop = await call(url('/connectors/file-source-audit/stop'), 'PUT');
		expect(stop.status).toBe(204);
		expect(stop.text).toBe('');
		const stopped = await status('file-source-audit');
		expect(stopped.connector.state).toBe('STOPPED');
		expect(stopped.tasks).toEqual([]);
		const info = await call(url('/connectors/file-source-audit'));
		expect(info.json).toMatchObject({name: 'file-source-audit', tasks: [], type: 'source'});
		expect((await call(url('/connectors/file-source-audit/resume'), 'PUT')).status).toBe(202);
		const resumed = await status('file-source-audit');
		expect(resumed.connector.state).toBe('RUNNING');
		expect(resumed.tasks).toHaveLength(1);
		expect(resumed.tasks[0]?.state).toBe('RUNNING');
	});

	it('restart without flags (or both false): 204 and the connector keeps RUNNING', async () => {
		const plain = await call(url('/connectors/cdc-test-connector/restart'), 'POST');
		expect(plain.status).toBe(204);
		expect(plain.text).toBe('');
		const explicit = await call(url('/connectors/cdc-test-connector/restart?includeTasks=false&onlyFailed=false'), 'POST');
		expect(explicit.status).toBe(204);
		expect((await status('cdc-test-connector')).connector.state).toBe('RUNNING');
	});

	it('restart?includeTasks=true: 202 with the ConnectorStateInfo showing RESTARTING, RUNNING a moment later', async () => {
		const restart = await call(url('/connectors/jdbc-sink-orders/restart?includeTasks=true'), 'POST');
		expect(restart.status).toBe(202);
		expect(restart.contentType).toMatch(/^application\/json/);
		expect(restart.json).toMatchObject({
			name: 'jdbc-sink-orders',
			connector: {state: 'RESTARTING'},
			tasks: [
				{id: 0, state: 'RESTARTING'},
				{id: 1, state: 'RESTARTING'},
			],
			type: 'sink',
		});
		clock.advance(1000);
		const after = await status('jdbc-sink-orders');
		expect(after.connector.state).toBe('RUNNING');
		expect(after.tasks.map(task => task.state)).toEqual(['RUNNING', 'RUNNING']);
	});

	it('restart?onlyFailed=true on a healthy connector: 202 and nothing restarts', async () => {
		const restart = await call(url('/connectors/jdbc-sink-orders/restart?includeTasks=true&onlyFailed=true'), 'POST');
		expect(restart.status).toBe(202);
		expect(restart.json).toMatchObject({connector: {state: 'RUNNING'}, tasks: [{state: 'RUNNING'}, {state: 'RUNNING'}]});
	});

	it('task restart on a running task: 204', async () => {
		const restart = await call(url('/connectors/jdbc-sink-orders/tasks/0/restart'), 'POST');
		expect(restart.status).toBe(204);
		expect((await status('jdbc-sink-orders')).tasks[0]?.state).toBe('RUNNING');
	});

	it('answers 400 for a restart flag that is not a boolean', async () => {
		const bad = await call(url('/connectors/jdbc-sink-orders/restart?includeTasks=yes'), 'POST');
		expect(bad.status).toBe(400);
		expect(bad.json).toMatchObject({error_code: 400});
	});
});

describe('error answers', () => {
	it('404 {error_code, message} for unknown connectors, with the messages real Connect uses', async () => {
		const cases: Array<[string, string, string]> = [
			['GET', '/connectors/nope', 'Connector nope not found'],
			['GET', '/connectors/nope/config', 'Connector nope not found'],
			['GET', '/connectors/nope/tasks', 'Connector nope not found'],
			['GET', '/connectors/nope/status', 'No status found for connector nope'],
			['PUT', '/connectors/nope/pause', 'Unknown connector nope'],
			['PUT', '/connectors/nope/resume', 'Unknown connector nope'],
			['PUT', '/connectors/nope/stop', 'Unknown connector nope'],
			['POST', '/connectors/nope/restart', 'Unknown connector: nope'],
			['POST', '/connectors/nope/tasks/0/restart', 'Unknown connector: nope'],
			['POST', '/connectors/jdbc-sink-orders/tasks/7/restart', 'Unknown task: jdbc-sink-orders-7'],
			['GET', '/connectors/jdbc-sink-orders/tasks/7/status', 'No status found for task jdbc-sink-orders-7'],
		];
		for (const [method, path, message] of cases) {
			const answer = await call(url(path), method);
			expect({path, status: answer.status, body: answer.json}).toEqual({path, status: 404, body: {error_code: 404, message}});
			expect(answer.contentType).toMatch(/^application\/json/);
		}
	});

	it('404 for unknown paths and 405 for a wrong method', async () => {
		expect(await call(url('/nothing/here'))).toMatchObject({status: 404, json: {error_code: 404, message: 'HTTP 404 Not Found'}});
		expect(await call(url('/connectors/jdbc-sink-orders/bogus'))).toMatchObject({status: 404, json: {error_code: 404}});
		expect(await call(url('/connectors/jdbc-sink-orders/pause'))).toMatchObject({status: 405, json: {error_code: 405, message: 'HTTP 405 Method Not Allowed'}});
		expect(await call(url('/connectors/jdbc-sink-orders/status'), 'DELETE')).toMatchObject({status: 405, json: {error_code: 405}});
		expect(await call(url('/connectors/jdbc-sink-orders/tasks/0/restart'))).toMatchObject({status: 405});
	});

	it('GET / answers on every live worker with version, commit and cluster id', async () => {
		const answers = await Promise.all(demo.restUrls.map(base => call(`${base}/`)));
		for (const answer of answers) {
			expect(answer.status).toBe(200);
			expect(answer.json).toEqual(answers[0]?.json);
		}
		expect(answers[0]?.json).toMatchObject({version: '3.9.0'});
	});
});

describe('path decoding', () => {
	let server: Server;
	let base = '';
	const name = 'audit/v2 source';

	beforeAll(async () => {
		const spec = defaultConnectorSpecs()[3];
		if (!spec) throw new Error('no file source spec');
		const local = createSteppedClock(T0);
		const cluster = new SimCluster({specs: [{...spec, name, config: {...spec.config, name}}], workerHosts: ['w1'], seed: 1, scenario: 'steady', startMs: T0});
		server = createServer(createRestHandler({cluster, sync: () => cluster.advanceTo(local.now()), seed: 1}));
		await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
		const address = server.address();
		base = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
	});

	afterAll(async () => {
		await new Promise(resolve => server.close(resolve));
	});

	it('URL-decodes each path segment, so names with spaces and an encoded / work', async () => {
		const encoded = encodeURIComponent(name);
		expect(encoded).toContain('%2F');
		expect(await call(`${base}/connectors`)).toMatchObject({status: 200, json: [name]});
		expect(await call(`${base}/connectors/${encoded}/status`)).toMatchObject({status: 200, json: {name, connector: {state: 'RUNNING', worker_id: 'w1:8083'}}});
		expect(await call(`${base}/connectors/${encoded}/topics`)).toMatchObject({status: 200, json: {[name]: {topics: ['audit-log']}}});
		expect((await call(`${base}/connectors/${encoded}/pause`, 'PUT')).status).toBe(202);
		// An unencoded slash is a different path.
		expect((await call(`${base}/connectors/audit/v2%20source/status`)).status).toBe(404);
	});
});
