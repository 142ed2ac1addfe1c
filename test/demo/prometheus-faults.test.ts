import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {z} from 'zod';
import {parseExposition} from '../../source/clients/scrape/parser.js';
import {createSteppedClock} from '../../source/demo/clock.js';
import {partialLabelValues, prometheusFaultWarning, withoutRows} from '../../source/demo/prometheus-proxy.js';
import {startDemoCluster, type DemoCluster} from '../../source/demo/server.js';
import {call, connectionOutcome, T0} from './helpers.js';

/** The Prometheus faults of the switchboard: a proxy in front of an upstream that answers like Prometheus. */

const clock = createSteppedClock(T0);
let demo: DemoCluster;
let upstream: Server;
let upstreamUrl = '';

beforeAll(async () => {
	demo = await startDemoCluster({seed: 6, clock, scenario: 'steady', controlPort: 0, prometheusProxyPort: 0});
	const worker1 = demo.workers[0]?.id ?? '';
	upstream = createServer((req, res) => {
		req.resume();
		const body = JSON.stringify({
			status: 'success',
			data: {
				resultType: 'vector',
				result: [
					{metric: {instance: 'w1:9404', worker_id: worker1}, value: [1, '1']},
					{metric: {instance: 'w2:9404', worker_id: 'connect-2:8083'}, value: [1, '1']},
				],
			},
		});
		res.writeHead(200, {'Content-Type': 'application/json'});
		res.end(body);
	});
	await new Promise<void>(resolve => upstream.listen(0, '127.0.0.1', resolve));
	upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
});

afterEach(async () => {
	demo.faults.clearAll();
	await demo.sync();
});

afterAll(async () => {
	await demo.close();
	await new Promise<void>(resolve => upstream.close(() => resolve()));
});

const control = (path: string): string => `${demo.controlUrl ?? ''}${path}`;
const query = (): string => `${demo.prometheusUrl ?? ''}/api/v1/query?query=up`;

async function post(path: string, body: unknown): Promise<{status: number; json: unknown}> {
	const response = await fetch(control(path), {method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify(body)});
	return {status: response.status, json: await response.json()};
}

describe('the Prometheus fault proxy', () => {
	it('answers 503 until it has an upstream, then forwards unchanged; /_requests counts what reached it', async () => {
		expect((await call(query())).status).toBe(503);
		expect(await post('/_prometheus', {upstream: upstreamUrl})).toEqual({status: 200, json: {upstream: upstreamUrl}});
		expect((await post('/_prometheus', {upstream: 'ftp://nope'})).status).toBe(400);
		const answer = await call(query());
		expect(answer.status).toBe(200);
		expect(answer.json).toMatchObject({status: 'success', data: {result: [{metric: {instance: 'w1:9404'}}, {metric: {instance: 'w2:9404'}}]}});
		expect((await call(control('/_requests'))).json).toMatchObject({prometheus: 2});
	});

	it('http-500: Prometheus JSON error body', async () => {
		demo.faults.set('prometheus:http-500');
		const answer = await call(query());
		expect(answer.status).toBe(500);
		expect(answer.json).toMatchObject({status: 'error', errorType: 'internal'});
	});

	it('warnings: the real answer plus a warning', async () => {
		demo.faults.set('prometheus:warnings');
		expect((await call(query())).json).toMatchObject({status: 'success', warnings: [prometheusFaultWarning], data: {result: [{}, {}]}});
	});

	it('partial: the rows that name worker 1 are missing', async () => {
		demo.faults.set('prometheus:partial');
		expect((await call(query())).json).toEqual({status: 'success', data: {resultType: 'vector', result: [{metric: {instance: 'w2:9404', worker_id: 'connect-2:8083'}, value: [1, '1']}]}});
	});

	it('partial: besides the worker, the connectors it runs (by name and Debezium server) lose their rows, as a lost target loses them', () => {
		const worker = demo.workers[0];
		const values = partialLabelValues({index: 0, id: worker?.id ?? '', metricsHost: new URL(worker?.metricsUrl ?? 'http://x').host}, demo.cluster.connectors);
		// Steady scenario: worker 1 runs cdc-test-connector's instance and task, a jdbc-sink-orders task and the file source's instance.
		expect([...values].filter(value => !value.includes(':')).sort()).toEqual(['cdc-test', 'cdc-test-connector', 'file-source-audit', 'jdbc-sink-orders']);
		expect(values.has('cdc-other-connector')).toBe(false);
		const answer = JSON.stringify({status: 'success', data: {resultType: 'vector', result: [{metric: {server: 'cdc-test', kctop_metric: 'dbzConnected'}, value: [1, '1']}, {metric: {connector: 'cdc-other-connector'}, value: [1, '0']}]}});
		expect(JSON.parse(withoutRows(answer, values) ?? '')).toEqual({status: 'success', data: {resultType: 'vector', result: [{metric: {connector: 'cdc-other-connector'}, value: [1, '0']}]}});
	});

	it('slow: the real answer, late', async () => {
		demo.faults.set('prometheus:slow=50');
		expect((await call(query())).status).toBe(200);
	});

	it('down: the port refuses connections, and listens again once cleared', async () => {
		expect((await post('/_faults', {set: ['prometheus:down']})).json).toEqual({faults: ['prometheus:down']});
		expect(await connectionOutcome(query())).not.toBe('answered');
		expect(await connectionOutcome(query())).toBe('ECONNREFUSED');
		expect((await post('/_faults', {clear: ['prometheus']})).json).toEqual({faults: []});
		expect((await call(query())).status).toBe(200);
	});
});

describe('scrape skew', () => {
	it('stamps every sample of the worker with its own clock, behind by the skew', async () => {
		demo.faults.set('scrape@2:skew=180000');
		const before = Date.now();
		const parsed = parseExposition((await call(demo.metricsUrls[1] ?? '')).text);
		expect(parsed.samples.length).toBeGreaterThan(10);
		for (const sample of parsed.samples) expect(sample.timestamp).toBeLessThanOrEqual(Date.now() - 180_000);
		expect(parsed.samples[0]?.timestamp).toBeGreaterThanOrEqual(before - 180_000);
		// The other workers write no timestamps: Prometheus stamps their samples.
		expect(parseExposition((await call(demo.metricsUrls[0] ?? '')).text).samples.every(sample => sample.timestamp === undefined)).toBe(true);
	});

	it('counts scrapes and writes', async () => {
		const counts = z.object({scrapes: z.number(), writes: z.number()});
		const before = counts.parse((await call(control('/_requests'))).json);
		await call(demo.metricsUrls[0] ?? '');
		await fetch(`${demo.restUrls[0] ?? ''}/connectors/cdc-test-connector/pause`, {method: 'PUT'});
		await fetch(`${demo.restUrls[0] ?? ''}/connectors/cdc-test-connector/resume`, {method: 'PUT'});
		expect(counts.parse((await call(control('/_requests'))).json)).toEqual({scrapes: before.scrapes + 1, writes: before.writes + 2});
	});
});
