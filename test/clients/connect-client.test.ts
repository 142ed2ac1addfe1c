import {readFileSync} from 'node:fs';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {MockAgent} from 'undici';
import {KctopError} from '../../source/clients/errors.js';
import {connectorPath, createConnectClient, fallbackConcurrency, rememberedBodyBytes, type ConnectClient} from '../../source/clients/connect/client.js';
import {readConnectorsExpanded} from '../../source/clients/connect/expand.js';
import {describeAction} from '../../source/clients/connect/action-call.js';
import type {ConnectorAction} from '../../source/store/types.js';
import {caught} from '../helpers/caught.js';
import {getFreePort as closedPort} from '../helpers/free-port.js';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/rest/${name}`, import.meta.url), 'utf8');
const c1 = 'http://c1:8083';
const c2 = 'http://c2:8083';
const expandPath = '/connectors?expand=status&expand=info';
const datagen = fixture('rest-connectors-expand-info-status-datagen-6-tasks-2-workers.json');
const s3 = fixture('rest-connectors-expand-status-s3-source-running.json');
/** A real failed filestream sink (CP 7.9) under its name, with a null config value (read as ''). */
const failedSink = `{"local-file-sink": ${fixture('rest-expand-entry-filestream-sink-task-failed-cp-7.9.json').replace(/"file":\s*"[^"]*"/, '"file": null')}}`;

/** What a fresh read of `text` gives. */
const fresh = (text: string): unknown => readConnectorsExpanded(JSON.parse(text));

const refused = (): Error => Object.assign(new Error('connect ECONNREFUSED'), {code: 'ECONNREFUSED'});

describe('createConnectClient', () => {
	let agent: MockAgent;
	let client: ConnectClient;

	beforeEach(() => {
		agent = new MockAgent({enableCallHistory: true});
		agent.disableNetConnect();
		client = createConnectClient({urls: [c1], timeoutMs: 1000, dispatcher: agent});
	});

	afterEach(async () => {
		await client.close();
		await agent.close();
	});

	describe('the expand body, read once while it stays the same', () => {
	const answer = (text: string, status = 200): void => {
			agent.get(c1).intercept({path: expandPath}).reply(status, text, {headers: {'content-type': 'application/json'}});
		};

		it('hands back the same data for the same bytes, and a fresh read whenever the body changes, back and forth', async () => {
			expect(failedSink).toContain('"file": null');
			const bodies = [datagen, datagen, s3, datagen, failedSink, failedSink, datagen, s3, s3];
			const read: unknown[] = [];
			for (const body of bodies) {
				answer(body);
				const result = await client.connectors();
				expect(result.fallback).toBe(false);
				expect(result.connectors).toEqual(fresh(body));
				read.push(result.connectors);
			}
			// Identical consecutive bodies: the very same object; any change: a new one.
			bodies.forEach((body, index) => {
				if (index === 0) return;
				if (body === bodies[index - 1]) expect(read[index]).toBe(read[index - 1]);
				else expect(read[index]).not.toBe(read[index - 1]);
			});
			expect(Object.values(read[5] ?? {}).map(entry => entry.info?.config['file'])).toEqual(['']);
		});

		it('a body one byte different is read again; an error answer in between is still an error and the body after it is read', async () => {
			answer(datagen);
			const first = await client.connectors();
			const changed = datagen.replace('"RUNNING"', '"PAUSED"');
			expect(changed).not.toBe(datagen);
			answer(changed);
			const second = await client.connectors();
			expect(second.connectors).not.toBe(first.connectors);
			expect(second.connectors['source-datagen-01']?.status?.connector.state).toBe('PAUSED');
			answer('{"error_code":409,"message":"Cannot complete request momentarily due to stale configuration"}', 409);
			expect(await caught(client.connectors())).toBeInstanceOf(KctopError);
			answer(changed);
			const third = await client.connectors();
			expect(third.connectors).toBe(second.connectors);
			answer('{"broken": ');
			expect((await caught(client.connectors()) as KctopError).kind).toBe('malformed');
			answer(changed);
			expect((await client.connectors()).connectors).toEqual(fresh(changed));
		});

		it('does not keep a body over the size it remembers', async () => {
			// A limit of 4 KiB instead of the default 16 MiB (rememberedBodyBytes): the same rule, a body the test can build quickly.
			const limit = 4096;
			const small = createConnectClient({urls: [c1], timeoutMs: 1000, dispatcher: agent, rememberBodyBytes: limit});
			const entry = JSON.stringify(JSON.parse(datagen)['source-datagen-01']);
			const names = Math.ceil(limit / entry.length) + 1;
			const large = `{${Array.from({length: names}, (_, index) => `"c${index}": ${entry}`).join(',')}}`;
			expect(Buffer.byteLength(large)).toBeGreaterThan(limit);
			expect(Buffer.byteLength(datagen)).toBeLessThanOrEqual(limit);
			answer(large);
			const first = await small.connectors();
			answer(large);
			const second = await small.connectors();
			expect(second.connectors).not.toBe(first.connectors);
			expect(second.connectors).toEqual(first.connectors);
			expect(second.connectors).toEqual(fresh(large));
			// Under the limit, kept as ever.
			answer(datagen);
			const kept = await small.connectors();
			answer(datagen);
			expect((await small.connectors()).connectors).toBe(kept.connectors);
			expect(rememberedBodyBytes).toBe(16 * 1024 * 1024);
			await small.close();
		});
	});

	describe('reads', () => {
		it('reads GET / from CP 6.1.1 and 7.9', async () => {
			agent.get(c1).intercept({path: '/'}).reply(200, fixture('rest-root-cp-6.1.1-ce.json'));
			agent.get(c1).intercept({path: '/'}).reply(200, fixture('rest-root-cp-7.9.0-ccs-full-commit-sha.json'));
			const old = await client.serverInfo();
			expect(old).toEqual({version: '6.1.1-ce', commit: 'bed3428d56b4e9cb', kafka_cluster_id: 'IouDrcY-TxKdFzO6zsU_MQ'});
			const recent = await client.serverInfo();
			expect(recent.version).toBe('7.9.0-ccs');
		});

		it('gets every connector with status and info in one call (datagen, 6 tasks over 2 workers)', async () => {
			agent.get(c1).intercept({path: expandPath}).reply(200, fixture('rest-connectors-expand-info-status-datagen-6-tasks-2-workers.json'));
			const result = await client.connectors();
			expect(result.fallback).toBe(false);
			expect(Object.keys(result.connectors)).toEqual(['source-datagen-01']);
			const entry = result.connectors['source-datagen-01'];
			expect(entry?.status?.connector.state).toBe('RUNNING');
			expect(entry?.status?.tasks).toHaveLength(6);
			expect(new Set(entry?.status?.tasks.map(task => task.worker_id))).toEqual(new Set(['foobar1:8083', 'foobar3:8083']));
			expect(entry?.info?.type).toBe('source');
			expect(entry?.info?.config['max.interval']).toBe('250');
			expect(agent.getCallHistory()?.calls()).toHaveLength(1);
		});

		it('accepts an empty cluster ({}) and a status-only expansion', async () => {
			agent.get(c1).intercept({path: expandPath}).reply(200, fixture('rest-connectors-expand-info-status-empty-cluster.json'));
			expect(await client.connectors()).toEqual({connectors: {}, fallback: false});
			agent.get(c1).intercept({path: expandPath}).reply(200, fixture('rest-connectors-expand-status-s3-source-running.json'));
			const statusOnly = await client.connectors();
			expect(statusOnly.connectors['test-s3-source']?.status?.tasks[0]?.state).toBe('RUNNING');
			expect(statusOnly.connectors['test-s3-source']?.info).toBeUndefined();
		});

		it('reads a CP 7.9 expand entry with a failed task trace', async () => {
			const body = `{"broken-sink":${fixture('rest-expand-entry-filestream-sink-task-failed-cp-7.9.json')}}`;
			agent.get(c1).intercept({path: expandPath}).reply(200, body);
			const result = await client.connectors();
			const task = result.connectors['broken-sink']?.status?.tasks[0];
			expect(task?.state).toBe('FAILED');
			expect(task?.trace).toMatch(/^org\.apache\.kafka\.connect\.errors\.ConnectException/);
		});

		it('reads real status bodies: failed task, failed connector without tasks, paused, unassigned, 10 tasks', async () => {
			const cases: ReadonlyArray<readonly [string, string]> = [
				['dbz-sqlserver', 'rest-status-debezium-sqlserver-task-failed-permission-denied.json'],
				['sftp-source-csv', 'rest-status-sftp-source-connector-failed-no-tasks.json'],
				['mongo-test', 'rest-status-mongodb-sink-paused-2-tasks-NAME-EDITED.json'],
				['my_connector', 'rest-status-task-unassigned-while-metrics-say-running.json'],
				['replicator', 'rest-status-replicator-10-tasks-mixed-failed-timeout.json'],
			];
			for (const [name, file] of cases) agent.get(c1).intercept({path: `/connectors/${name}/status`}).reply(200, fixture(file));

			const sqlserver = await client.connectorStatus('dbz-sqlserver');
			expect(sqlserver.connector.state).toBe('RUNNING');
			expect(sqlserver.tasks[0]?.state).toBe('FAILED');
			expect(sqlserver.tasks[0]?.trace).toContain('SELECT permission');

			const sftp = await client.connectorStatus('sftp-source-csv');
			expect(sftp.connector.state).toBe('FAILED');
			expect(sftp.connector.trace).toContain("Sftp directory for 'input.path'");
			expect(sftp.tasks).toEqual([]);

			const paused = await client.connectorStatus('mongo-test');
			expect([paused.connector.state, ...paused.tasks.map(task => task.state)]).toEqual(['PAUSED', 'PAUSED', 'PAUSED']);

			const unassigned = await client.connectorStatus('my_connector');
			expect(unassigned.tasks).toEqual([{id: 0, state: 'UNASSIGNED', worker_id: '10.7.28.57:8083'}]);

			const replicator = await client.connectorStatus('replicator');
			expect(replicator.tasks).toHaveLength(10);
			expect(replicator.tasks.filter(task => task.state === 'FAILED').map(task => task.id)).toEqual([1, 3, 6, 7, 8, 9]);
		});

		it('reads config, tasks and offsets', async () => {
			const info = JSON.parse(fixture('rest-connector-info-mongodb-sink-2-tasks.json'));
			agent.get(c1).intercept({path: '/connectors/mongo_sink_demo/config'}).reply(200, JSON.stringify(info.config));
			agent.get(c1).intercept({path: '/connectors/mongo_sink_demo/tasks'}).reply(200, fixture('rest-tasks-mongodb-sink-2-tasks-with-config.json'));
			agent.get(c1).intercept({path: '/connectors/my-source-connector/offsets'}).reply(200, fixture('rest-offsets-get-empty-after-reset.json'));

			const config = await client.connectorConfig('mongo_sink_demo');
			expect(config['connector.class']).toBe('com.mongodb.kafka.connect.MongoSinkConnector');
			const tasks = await client.tasks('mongo_sink_demo');
			expect(tasks.map(task => task.id.task)).toEqual([0, 1]);
			expect(tasks[0]?.config['task.class']).toBe('com.mongodb.kafka.connect.sink.MongoSinkTask');
			expect(await client.offsets('my-source-connector')).toEqual({offsets: []});
		});

		it('reads topics, and says when topic tracking is disabled or the worker is too old', async () => {
			agent.get(c1).intercept({path: '/connectors/a/topics'}).reply(200, '{"a":{"topics":["orders","customers"]}}');
			expect(await client.topics('a')).toEqual(['orders', 'customers']);

			agent.get(c1).intercept({path: '/connectors/a/topics'}).reply(403, '{"error_code":403,"message":"Topic tracking is disabled."}');
			const disabled = await caught(client.topics('a'));
			expect(disabled.kind).toBe('http');
			expect(disabled.status).toBe(403);
			expect(disabled.message).toBe('403 Forbidden: Topic tracking is disabled.');

			agent.get(c1).intercept({path: '/connectors/a/topics'}).reply(404, '{"error_code":404,"message":"HTTP 404 Not Found"}');
			const old = await caught(client.topics('a'));
			expect(old.status).toBe(404);
			expect(old.message).toBe('404 Not Found: this worker has no /topics endpoint (Kafka Connect older than 2.5)');

			agent.get(c1).intercept({path: '/connectors/a/topics'}).reply(404, '{"error_code":404,"message":"Connector a not found"}');
			expect((await caught(client.topics('a'))).message).toBe('404 Not Found: Connector a not found');

			agent.get(c1).intercept({path: '/connectors/a/offsets'}).reply(404, '{"error_code":404,"message":"HTTP 404 Not Found"}');
			expect((await caught(client.offsets('a'))).message).toBe('404 Not Found: this worker has no /offsets endpoint (Kafka Connect older than 3.5)');
		});

		it('path-encodes connector names with slashes, spaces, quotes and escape codes', async () => {
			const name = 'db/orders "eu" \u001B[31mred';
			const encoded = '/connectors/db%2Forders%20%22eu%22%20%1B%5B31mred';
			expect(connectorPath(name, '/status')).toBe(`${encoded}/status`);
			const status = JSON.parse(fixture('rest-status-task-unassigned-while-metrics-say-running.json'));
			status.name = name;
			agent.get(c1).intercept({path: `${encoded}/status`}).reply(200, JSON.stringify(status));
			const result = await client.connectorStatus(name);
			expect(result.name).toBe(name);
			expect(agent.getCallHistory()?.lastCall()?.path).toBe(`${encoded}/status`);
		});
	});

	describe('errors', () => {
		it('names the status and Connect reason on one line (409 rebalance, retryable)', async () => {
			agent.get(c1).intercept({path: expandPath}).reply(409, '{"error_code":409,"message":"Cannot complete request momentarily due to no known leader URL, likely because a rebalance was underway."}');
			const error = await caught(client.connectors());
			expect(error.kind).toBe('http');
			expect(error.source).toBe('connect');
			expect(error.message).toBe('409 Conflict: Cannot complete request momentarily due to no known leader URL, likely because a rebalance was underway.');
			expect(error.isRetryable).toBe(true);
		});

		it('reports the 500 of a missing plugin class on one capped line', async () => {
			agent.get(c1).intercept({path: expandPath}).reply(500, fixture('rest-error-500-expand-status-info-missing-plugin-class.json'));
			const error = await caught(client.connectors());
			expect(error.status).toBe(500);
			expect(error.message.startsWith('500 Internal Server Error: Failed to find any class that implements Connector')).toBe(true);
			expect(error.message.length).toBeLessThanOrEqual(530);
		});

		it('maps the basic-auth 401 plain text to an auth error', async () => {
			agent.get(c1).intercept({path: '/'}).reply(401, 'User cannot access the resource.');
			const error = await caught(client.serverInfo());
			expect(error.kind).toBe('auth');
			expect(error.message).toBe('401 Unauthorized: User cannot access the resource.');
		});

		it('gives malformed for the un-escaped hdfs3 status and for a schema mismatch', async () => {
			agent.get(c1).intercept({path: '/connectors/hdfs3-sink/status'}).reply(200, fixture('rest-status-hdfs3-sink-task-failed-npe-k8s-fqdn-worker.raw-newlines.txt'));
			const bad = await caught(client.connectorStatus('hdfs3-sink'));
			expect(bad.kind).toBe('malformed');
			expect(bad.message).toMatch(/^invalid JSON from http:\/\/c1:8083\/connectors\/hdfs3-sink\/status: /);
			expect(bad.message).not.toMatch(/[\n\t]/);
			expect(bad.message).not.toContain('NullPointerException');

			agent.get(c1).intercept({path: expandPath}).reply(200, '{"x":{"status":{"name":"x","connector":{"state":"RUNNING"},"tasks":[]}}}');
			const mismatch = await caught(client.connectors());
			expect(mismatch.kind).toBe('malformed');
			expect(mismatch.message).toMatch(/: x\.status\.connector\.worker_id: /);
		});

		it('times out and aborts', async () => {
			const quick = createConnectClient({urls: [c1], timeoutMs: 30, dispatcher: agent});
			agent.get(c1).intercept({path: '/'}).reply(200, fixture('rest-root-cp-6.1.1-ce.json')).delay(5_000);
			const timeout = await caught(quick.serverInfo());
			expect(timeout.kind).toBe('timeout');
			expect(timeout.isRetryable).toBe(true);

			agent.get(c1).intercept({path: '/'}).reply(200, fixture('rest-root-cp-6.1.1-ce.json')).delay(5_000);
			const controller = new AbortController();
			const pending = caught(client.serverInfo(controller.signal));
			controller.abort();
			expect((await pending).kind).toBe('aborted');
		});
	});

	describe('several workers', () => {
		it('fails over from a refused port to the next worker and sticks to it', async () => {
			agent.enableNetConnect('127.0.0.1');
			const dead = `http://127.0.0.1:${await closedPort()}`;
			const multi = createConnectClient({urls: [dead, c2], timeoutMs: 2000, dispatcher: agent});
			agent.get(c2).intercept({path: '/'}).reply(200, fixture('rest-root-cp-7.9.0-ccs-full-commit-sha.json')).times(2);
			expect(multi.currentUrl()).toBe(dead);
			expect((await multi.serverInfo()).version).toBe('7.9.0-ccs');
			expect(multi.currentUrl()).toBe(c2);
			expect((await multi.serverInfo()).version).toBe('7.9.0-ccs');
			expect(agent.getCallHistory()?.filterCallsByOrigin(c2)).toHaveLength(2);
			expect(agent.getCallHistory()?.filterCallsByOrigin(dead)).toHaveLength(1);
		});

		it('fails over on a timeout for reads, wrapping around the list', async () => {
			const multi = createConnectClient({urls: [c1, c2], timeoutMs: 250, dispatcher: agent});
			agent.get(c1).intercept({path: '/'}).reply(200, '{}').delay(5_000);
			agent.get(c2).intercept({path: '/'}).reply(200, fixture('rest-root-cp-6.1.1-ce.json'));
			expect((await multi.serverInfo()).version).toBe('6.1.1-ce');
			// Sticky on c2; when c2 then refuses, it wraps around to c1.
			agent.get(c2).intercept({path: '/'}).replyWithError(refused());
			agent.get(c1).intercept({path: '/'}).reply(200, fixture('rest-root-cp-7.9.0-ccs-full-commit-sha.json'));
			expect((await multi.serverInfo()).version).toBe('7.9.0-ccs');
			expect(multi.currentUrl()).toBe(c1);
		});

		it('does not fail over on an HTTP answer (409 is cluster-wide)', async () => {
			const multi = createConnectClient({urls: [c1, c2], timeoutMs: 1000, dispatcher: agent});
			agent.get(c1).intercept({path: expandPath}).reply(409, fixture('rest-error-409-rebalance-conflicting-operation.json'));
			const error = await caught(multi.connectors());
			expect(error.status).toBe(409);
			expect(agent.getCallHistory()?.filterCallsByOrigin(c2)).toHaveLength(0);
		});

		it('does not fail over after an abort', async () => {
			const multi = createConnectClient({urls: [c1, c2], timeoutMs: 1000, dispatcher: agent});
			agent.get(c1).intercept({path: '/'}).reply(200, '{}').delay(5_000);
			const controller = new AbortController();
			const pending = caught(multi.serverInfo(controller.signal));
			controller.abort();
			expect((await pending).kind).toBe('aborted');
			expect(agent.getCallHistory()?.filterCallsByOrigin(c2)).toHaveLength(0);
		});

		it('names how many workers were tried and the last reason, without credentials', async () => {
			const multi = createConnectClient({urls: ['http://admin:hunter2@c1:8083', `${c2}/`], timeoutMs: 1000, dispatcher: agent});
			expect(multi.urls).toEqual([c1, c2]);
			agent.get(c1).intercept({path: '/'}).replyWithError(refused());
			agent.get(c2).intercept({path: '/'}).replyWithError(Object.assign(new Error('getaddrinfo ENOTFOUND c2'), {code: 'ENOTFOUND'}));
			const error = await caught(multi.serverInfo());
			expect(error.kind).toBe('connection');
			expect(error.message).toBe('host not found (http://c2:8083); all 2 Connect workers failed');
			expect(error.isRetryable).toBe(true);
			expect(agent.getCallHistory()?.filterCallsByOrigin(c1)[0]?.headers?.['authorization']).toBe(`Basic ${Buffer.from('admin:hunter2').toString('base64')}`);
		});

		it('does not resend a write to another worker after a timeout', async () => {
			const multi = createConnectClient({urls: [c1, c2], timeoutMs: 30, dispatcher: agent});
			agent.get(c1).intercept({path: '/connectors/a/restart?includeTasks=true&onlyFailed=true', method: 'POST'}).reply(202, '').delay(5_000);
			const error = await caught(multi.restartConnector('a', {includeTasks: true, onlyFailed: true}));
			expect(error.kind).toBe('timeout');
			expect(agent.getCallHistory()?.filterCallsByOrigin(c2)).toHaveLength(0);
		});
	});

	describe('workers older than 2.3', () => {
		it('falls back to per-connector calls building the same shape as expand', async () => {
			const expanded = JSON.parse(fixture('rest-connectors-expand-info-status-datagen-6-tasks-2-workers.json'));
			const entry = expanded['source-datagen-01'];
			agent.get(c1).intercept({path: expandPath}).reply(200, '["source-datagen-01"]');
			agent.get(c1).intercept({path: '/connectors/source-datagen-01/status'}).reply(200, JSON.stringify(entry.status));
			agent.get(c1).intercept({path: '/connectors/source-datagen-01'}).reply(200, JSON.stringify(entry.info));
			const result = await client.connectors();
			expect(result.fallback).toBe(true);
			expect(result.connectors).toEqual(expanded);
		});

		it('omits connectors that vanished (404) and keeps at most 8 requests in flight', async () => {
			const list = JSON.parse(fixture('rest-connectors-list-single.json'));
			const names: string[] = [...list, ...Array.from({length: 24}, (_, index) => `conn-${index}`)];
			const gone = new Set(['conn-3', 'conn-17']);
			agent.get(c1).intercept({path: expandPath}).reply(200, JSON.stringify(names));
			const statusBody = JSON.parse(fixture('rest-status-sftp-sink-4-tasks-spread-over-2-workers.json'));
			let inFlight = 0;
			let maxInFlight = 0;
			agent
				.get(c1)
				.intercept({path: path => path.startsWith('/connectors/') && !path.includes('?')})
				.reply(async ({path}) => {
					inFlight++;
					maxInFlight = Math.max(maxInFlight, inFlight);
					// Hold each answer long enough for every request the limiter allows to arrive.
					await new Promise(resolve => setTimeout(resolve, 20));
					inFlight--;
					const match = /^\/connectors\/([^/]+)(\/status)?$/.exec(path);
					const name = decodeURIComponent(match?.[1] ?? '');
					if (gone.has(name)) return {statusCode: 404, data: `{"error_code":404,"message":"Connector ${name} not found"}`};
					if (match?.[2] === '/status') return {statusCode: 200, data: JSON.stringify({...statusBody, name})};
					return {statusCode: 200, data: JSON.stringify({name, config: {'connector.class': 'X', name}, tasks: [], type: 'sink'})};
				})
				.persist();
			const result = await client.connectors();
			expect(result.fallback).toBe(true);
			expect(Object.keys(result.connectors).sort()).toEqual(names.filter(name => !gone.has(name)).sort());
			expect(result.connectors['elasticsearch-sink']?.status?.tasks).toHaveLength(4);
			expect(result.connectors['conn-0']?.info?.type).toBe('sink');
			expect(maxInFlight).toBeLessThanOrEqual(fallbackConcurrency);
			expect(maxInFlight).toBe(8);
			expect(agent.getCallHistory()?.calls()).toHaveLength(1 + names.length * 2);
		});

		it('fails the whole refresh when a per-connector call fails with something other than 404', async () => {
			agent.get(c1).intercept({path: expandPath}).reply(200, '["a"]');
			agent.get(c1).intercept({path: '/connectors/a/status'}).reply(500, '{"error_code":500,"message":"Request timed out"}');
			agent.get(c1).intercept({path: '/connectors/a'}).reply(200, '{"name":"a","config":{},"tasks":[]}');
			const error = await caught(client.connectors());
			expect(error.message).toBe('500 Internal Server Error: Request timed out');
		});
	});

	describe('actions', () => {
		const name = 'orders/sink eu';
		const restartBody = fixture('rest-status-replicator-10-tasks-mixed-failed-timeout.json');
		const cases: ReadonlyArray<{readonly action: ConnectorAction; readonly run: (c: ConnectClient) => Promise<unknown>; readonly status: number; readonly body?: string}> = [
			{action: {kind: 'pause', connector: name}, run: async c => c.pause(name), status: 202},
			{action: {kind: 'resume', connector: name}, run: async c => c.resume(name), status: 202},
			{action: {kind: 'stop', connector: name}, run: async c => c.stop(name), status: 204},
			{action: {kind: 'restart-connector', connector: name, includeTasks: false, onlyFailed: false}, run: async c => c.restartConnector(name, {includeTasks: false, onlyFailed: false}), status: 204},
			{action: {kind: 'restart-connector', connector: name, includeTasks: true, onlyFailed: true}, run: async c => c.restartConnector(name, {includeTasks: true, onlyFailed: true}), status: 202, body: restartBody},
			{action: {kind: 'restart-task', connector: name, task: 3}, run: async c => c.restartTask(name, 3), status: 204},
		];

		for (const {action, run, status, body} of cases) {
			it(`${describeAction(action).method} ${describeAction(action).path} answers ${status}`, async () => {
				const {method, path} = describeAction(action);
				agent.get(c1).intercept({path, method}).reply(status, body ?? '');
				const result = await run(client);
				const call = agent.getCallHistory()?.lastCall();
				expect(call?.method).toBe(method);
				expect(call?.fullUrl).toBe(`${c1}${path}`);
				expect(result).toMatchObject({status, statusText: status === 202 ? '202 Accepted' : '204 No Content'});
				if (body === undefined) expect(result).toHaveProperty('body', undefined);
				else expect(result).toHaveProperty('body.tasks.length', 10);
			});
		}

		it('throws 409 during a rebalance and 404 for an unknown connector or task', async () => {
			agent.get(c1).intercept({path: '/connectors/a/tasks/0/restart', method: 'POST'}).reply(409, '{"error_code":409,"message":"Cannot complete request momentarily due to stale configuration (typically caused by a concurrent config change)"}');
			const conflict = await caught(client.restartTask('a', 0));
			expect(conflict.kind).toBe('http');
			expect(conflict.status).toBe(409);
			expect(conflict.message).toBe('409 Conflict: Cannot complete request momentarily due to stale configuration (typically caused by a concurrent config change)');
			expect(conflict.isRetryable).toBe(true);

			agent.get(c1).intercept({path: '/connectors/nope/pause', method: 'PUT'}).reply(404, '{"error_code":404,"message":"Unknown connector nope"}');
			const missing = await caught(client.pause('nope'));
			expect(missing.status).toBe(404);
			expect(missing.message).toBe('404 Not Found: Unknown connector nope');
			expect(missing.isRetryable).toBe(false);
		});

		it('accepts a 202 whose body is not a status', async () => {
			agent.get(c1).intercept({path: '/connectors/a/resume', method: 'PUT'}).reply(202, 'accepted');
			expect(await client.resume('a')).toEqual({status: 202, statusText: '202 Accepted', body: undefined});
		});
	});

	it('rejects an empty URL list and bad URLs with config errors', () => {
		expect(() => createConnectClient({urls: [], timeoutMs: 1000})).toThrow(KctopError);
		expect(() => createConnectClient({urls: [' '], timeoutMs: 1000})).toThrow('no Kafka Connect URL given');
		expect(() => createConnectClient({urls: ['c1:8083'], timeoutMs: 1000})).toThrow(/invalid Kafka Connect URL/);
		expect(() => createConnectClient({urls: ['ftp://c1'], timeoutMs: 1000})).toThrow('invalid Kafka Connect URL ftp://c1: use http:// or https://');
	});
});
