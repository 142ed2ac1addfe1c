import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {connectorsExpandedSchema} from '../../source/clients/connect/schemas.js';
import {createSteppedClock} from '../../source/demo/clock.js';
import {scaledConnectorSpecs} from '../../source/demo/scale.js';
import {startDemoCluster, type DemoCluster} from '../../source/demo/server.js';
import {call, T0} from './helpers.js';

/** `--scale 10000`: built, served in one expand call, a realistic mix, deterministic for a seed. */

const clock = createSteppedClock(T0);
let demo: DemoCluster;

beforeAll(async () => {
	demo = await startDemoCluster({seed: 42, scale: 10_000, clock, scenario: 'steady'});
	clock.advance(3000);
}, 60_000);

afterAll(async () => {
	await demo.close();
});

describe('scale 10,000', () => {
	it('answers GET /connectors?expand=status&expand=info with every connector, in a body kctop parses', async () => {
		const answer = await call(`${demo.restUrls[1] ?? ''}/connectors?expand=status&expand=info`);
		expect(answer.status).toBe(200);
		const parsed = connectorsExpandedSchema.safeParse(answer.json);
		expect(parsed.success).toBe(true);
		if (!parsed.success) return;
		const entries = Object.values(parsed.data);
		expect(entries).toHaveLength(10_000);
		const taskCounts = entries.map(entry => entry.info?.tasks.length ?? 0);
		expect(Math.min(...taskCounts)).toBe(1);
		expect(Math.max(...taskCounts)).toBe(8);
		const classes = new Set(entries.map(entry => entry.info?.config['connector.class']));
		for (const expected of ['io.debezium.connector.mysql.MySqlConnector', 'io.debezium.connector.postgresql.PostgresConnector', 'io.confluent.connect.jdbc.JdbcSinkConnector', 'io.confluent.connect.s3.S3SinkConnector', 'io.confluent.connect.elasticsearch.ElasticsearchSinkConnector']) {
			expect(classes).toContain(expected);
		}
		const states = entries.flatMap(entry => entry.status?.tasks.map(task => task.state) ?? []);
		expect(states.filter(state => state === 'FAILED').length).toBeGreaterThan(10);
		expect(states.filter(state => state === 'PAUSED').length).toBeGreaterThan(10);
		expect(states.filter(state => state === 'RUNNING').length).toBeGreaterThan(states.length * 0.8);
		const workers = new Set(entries.flatMap(entry => entry.status?.tasks.map(task => task.worker_id) ?? []));
		expect(workers).toEqual(new Set(['connect-1:8083', 'connect-2:8083', 'connect-3:8083']));
	});

	it('serves the same body again after the simulation moved on (cache invalidated per step)', async () => {
		const first = await call(`${demo.restUrls[0] ?? ''}/connectors/jdbc-sink-orders/offsets`);
		clock.advance(5000);
		const second = await call(`${demo.restUrls[0] ?? ''}/connectors/jdbc-sink-orders/offsets`);
		expect(second.text).not.toBe(first.text);
		const list = await call(`${demo.restUrls[0] ?? ''}/connectors`);
		expect(Array.isArray(list.json) ? list.json.length : 0).toBe(10_000);
	});

	it('includes disconnected Debezium sources', () => {
		const down = demo.cluster.connectors.filter(connector => connector.databaseDown && connector.spec.debezium);
		expect(down.length).toBeGreaterThan(0);
		for (const connector of down) expect(connector.tasks.every(task => task.debezium?.connected !== true)).toBe(true);
	});

	it('is deterministic for a seed and different for another', () => {
		const names = (seed: number): string[] => scaledConnectorSpecs(500, seed).map(spec => `${spec.name}/${spec.tasksMax}/${JSON.stringify(spec.trouble ?? {})}`);
		expect(names(42)).toEqual(names(42));
		expect(names(42)).not.toEqual(names(43));
		expect(scaledConnectorSpecs(10_000, 42).map(spec => spec.name)).toEqual(demo.cluster.connectors.map(connector => connector.spec.name));
		expect(new Set(demo.cluster.connectors.map(connector => connector.spec.name)).size).toBe(10_000);
	});
});
