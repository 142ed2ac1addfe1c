import {readFileSync} from 'node:fs';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {connectorInfoSchema, connectorStatusSchema, connectorsExpandedSchema, errorBodySchema, offsetsSchema, serverInfoSchema, tasksSchema} from '../../source/clients/connect/schemas.js';
import {createSteppedClock} from '../../source/demo/clock.js';
import {startDemoCluster, type DemoCluster} from '../../source/demo/server.js';
import {call, shape, T0} from './helpers.js';

/**
 * The simulator's REST answers against real ones (test/fixtures/demo, from
 * shared/real-payloads): same keys, same nesting, same value types, same status codes.
 * Connector configs differ by connector, so `config` maps compare as `record<string>`.
 */

function fixture(name: string): unknown {
	const parsed: unknown = JSON.parse(readFileSync(new URL(`../fixtures/demo/${name}`, import.meta.url), 'utf8'));
	return parsed;
}

function child(value: unknown, key: string): unknown {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`no key ${key} in a non-object`);
	return Object.entries(value).find(([name]) => name === key)?.[1];
}

function values(value: unknown): unknown[] {
	if (typeof value !== 'object' || value === null) throw new Error('not an object');
	return Object.values(value);
}

function tasksOf(status: unknown): unknown[] {
	const tasks = child(status, 'tasks');
	if (!Array.isArray(tasks)) throw new Error('no tasks array');
	return tasks;
}

const opaque = ['config'];
const clock = createSteppedClock(T0);
let demo: DemoCluster;

function url(path: string): string {
	return `${demo.restUrls[0] ?? ''}${path}`;
}

beforeAll(async () => {
	demo = await startDemoCluster({seed: 11, clock});
	clock.set(T0 + 5000);
});

afterAll(async () => {
	await demo.close();
});

describe('REST answers have the shapes of real Kafka Connect answers', () => {
	it('GET / (cp-7.9.0 root)', async () => {
		const answer = await call(url('/'));
		expect(answer.status).toBe(200);
		expect(shape(answer.json)).toEqual(shape(fixture('rest-root-cp-7.9.0-ccs-full-commit-sha.json')));
		expect(serverInfoSchema.safeParse(answer.json).success).toBe(true);
	});

	it('GET /connectors (a plain array of names)', async () => {
		const answer = await call(url('/connectors'));
		expect(answer.status).toBe(200);
		expect(shape(answer.json)).toEqual(shape(fixture('rest-connectors-list-single.json')));
	});

	it('GET /connectors?expand=status&expand=info: every entry like the datagen cluster’s', async () => {
		const answer = await call(url('/connectors?expand=status&expand=info'));
		expect(answer.status).toBe(200);
		expect(answer.contentType).toMatch(/^application\/json/);
		const real = values(fixture('rest-connectors-expand-info-status-datagen-6-tasks-2-workers.json'))[0];
		const entries = values(answer.json);
		expect(entries).toHaveLength(4);
		for (const entry of entries) expect(shape(entry, opaque)).toEqual(shape(real, opaque));
		expect(connectorsExpandedSchema.safeParse(answer.json).success).toBe(true);
	});

	it('GET /connectors?expand=status alone (Kafka 3.9 S3 source) and unknown expansions ignored', async () => {
		const answer = await call(url('/connectors?expand=status'));
		const real = values(fixture('rest-connectors-expand-status-s3-source-running.json'))[0];
		for (const entry of values(answer.json)) expect(shape(entry)).toEqual(shape(real));
		const unknown = await call(url('/connectors?expand=bogus'));
		expect(unknown.status).toBe(200);
		for (const entry of values(unknown.json)) expect(entry).toEqual({});
	});

	it('GET /connectors/{name} and /tasks (MongoDB sink, CP 6.1.1)', async () => {
		const info = await call(url('/connectors/jdbc-sink-orders'));
		expect(info.status).toBe(200);
		expect(shape(info.json, opaque)).toEqual(shape(fixture('rest-connector-info-mongodb-sink-2-tasks.json'), opaque));
		expect(connectorInfoSchema.safeParse(info.json).success).toBe(true);
		const tasks = await call(url('/connectors/jdbc-sink-orders/tasks'));
		expect(tasks.status).toBe(200);
		expect(shape(tasks.json, opaque)).toEqual(shape(fixture('rest-tasks-mongodb-sink-2-tasks-with-config.json'), opaque));
		expect(tasksSchema.safeParse(tasks.json).success).toBe(true);
		// Task configs carry task.class, as the real ones do.
		expect(JSON.stringify(tasks.json)).toContain('"task.class":"io.confluent.connect.jdbc.sink.JdbcSinkTask"');
	});

	it('GET /connectors/{name}/status of a paused sink (same keys and states as the real one)', async () => {
		expect((await call(url('/connectors/jdbc-sink-orders/pause'), 'PUT')).status).toBe(202);
		const answer = await call(url('/connectors/jdbc-sink-orders/status'));
		const real = fixture('rest-status-mongodb-sink-paused-2-tasks-NAME-EDITED.json');
		expect(shape(answer.json)).toEqual(shape(real));
		expect(tasksOf(answer.json).map(task => child(task, 'state'))).toEqual(tasksOf(real).map(task => child(task, 'state')));
		expect(child(child(answer.json, 'connector'), 'state')).toBe(child(child(real, 'connector'), 'state'));
		expect((await call(url('/connectors/jdbc-sink-orders/resume'), 'PUT')).status).toBe(202);
	});

	it('a FAILED task carries a trace exactly where real ones do (status and expand entry)', async () => {
		clock.set(T0 + 26_000);
		const status = await call(url('/connectors/jdbc-sink-orders/status'));
		expect(connectorStatusSchema.safeParse(status.json).success).toBe(true);
		const failed = tasksOf(status.json).find(task => child(task, 'state') === 'FAILED');
		const realStatus = fixture('rest-status-debezium-sqlserver-task-failed-permission-denied.json');
		const realFailed = tasksOf(realStatus).find(task => child(task, 'state') === 'FAILED');
		expect(shape(failed)).toEqual(shape(realFailed));
		expect(shape(child(status.json, 'connector'))).toEqual(shape(child(realStatus, 'connector')));

		const expanded = await call(url('/connectors?expand=status&expand=info'));
		const entry = child(expanded.json, 'jdbc-sink-orders');
		const realEntry = fixture('rest-expand-entry-filestream-sink-task-failed-cp-7.9.json');
		const entryFailed = tasksOf(child(entry, 'status')).find(task => child(task, 'state') === 'FAILED');
		const realEntryFailed = tasksOf(child(realEntry, 'status')).find(task => child(task, 'state') === 'FAILED');
		expect(shape(entryFailed)).toEqual(shape(realEntryFailed));
		expect(Object.keys(entry ?? {}).sort()).toEqual(Object.keys(realEntry ?? {}).sort());
	});

	it('GET /connectors/{name}/offsets: {"offsets":[{partition, offset}]} for a sink and a Debezium MySQL source', async () => {
		const real = fixture('rest-offsets-get-empty-after-reset.json');
		const sink = await call(url('/connectors/jdbc-sink-orders/offsets'));
		expect(sink.status).toBe(200);
		expect(Object.keys(sink.json ?? {})).toEqual(Object.keys(real ?? {}));
		expect(offsetsSchema.safeParse(sink.json).success).toBe(true);
		// The sink format of reference §4 (no real non-empty sink body in the corpus).
		expect(shape(tasksOfOffsets(sink.json)[0])).toEqual({partition: {kafka_partition: 'number', kafka_topic: 'string'}, offset: {kafka_offset: 'number'}});
		const source = await call(url('/connectors/cdc-test-connector/offsets'));
		expect(offsetsSchema.safeParse(source.json).success).toBe(true);
		expect(tasksOfOffsets(source.json)[0]).toMatchObject({partition: {server: 'cdc-test'}, offset: {file: expect.stringMatching(/^mysql-bin\.\d{6}$/), pos: expect.any(Number), gtids: expect.any(String)}});
	});

	it('409 during a rebalance: same body keys as the real one, status 409', async () => {
		clock.set(T0 + 48_000);
		await demo.sync();
		const answer = await call(url('/connectors?expand=status&expand=info'));
		expect(answer.status).toBe(409);
		expect(shape(answer.json)).toEqual(shape(fixture('rest-error-409-rebalance-conflicting-operation.json')));
		expect(errorBodySchema.safeParse(answer.json).success).toBe(true);
	});
});

function tasksOfOffsets(body: unknown): unknown[] {
	const offsets = child(body, 'offsets');
	if (!Array.isArray(offsets)) throw new Error('no offsets array');
	return offsets;
}
