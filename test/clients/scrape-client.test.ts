import {readFileSync} from 'node:fs';
import {createServer, type IncomingHttpHeaders, type Server} from 'node:http';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {KctopError} from '../../source/clients/errors.js';
import {createScrapeClient, scrapeAcceptHeader} from '../../source/clients/scrape/client.js';
import {getFreePort as closedPort} from '../helpers/free-port.js';

const excerpt = readFileSync(new URL('../fixtures/prom/metrics-jmx-exporter-0.13.0-kafka-2.3.1-standalone-es-sink-excerpt.prom', import.meta.url), 'utf8');
const mongo = readFileSync(new URL('../fixtures/prom/metrics-debezium-mongodb-millisecondsbehindsource-grep-ok.prom', import.meta.url), 'utf8');

interface Route {
	readonly status: number;
	readonly contentType: string;
	readonly body: string;
}

/** A real loopback HTTP server answering each path from a table, recording request headers. */
async function startServer(routes: Readonly<Record<string, Route>>): Promise<{server: Server; port: number; seen: IncomingHttpHeaders[]}> {
	const seen: IncomingHttpHeaders[] = [];
	const server = createServer((request, response) => {
		seen.push(request.headers);
		const route = routes[request.url ?? ''];
		if (route === undefined) {
			response.writeHead(404, {'content-type': 'text/plain'}).end('404 page not found\n');
			return;
		}
		response.writeHead(route.status, {'content-type': route.contentType}).end(route.body);
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	const address = server.address();
	if (address === null || typeof address === 'string') throw new Error('no port');
	return {server, port: address.port, seen};
}


const text004 = 'text/plain; version=0.0.4; charset=utf-8';

describe('createScrapeClient against real loopback servers', () => {
	let good: Awaited<ReturnType<typeof startServer>>;
	let failing: Awaited<ReturnType<typeof startServer>>;
	let deadPort: number;

	beforeAll(async () => {
		good = await startServer({
			'/metrics': {status: 200, contentType: text004, body: excerpt},
			'/mongo': {status: 200, contentType: text004, body: mongo},
			'/login': {status: 200, contentType: 'text/html; charset=utf-8', body: '<!DOCTYPE html><html><head><title>Sign in</title></head><body></body></html>'},
			'/json': {status: 200, contentType: 'application/json', body: '{"status":"ok"}'},
			'/om': {
				status: 200,
				contentType: 'application/openmetrics-text; version=1.0.0; charset=utf-8',
				body: '# TYPE kafka_connect_connector_status gauge\nkafka_connect_connector_status{connector="a",status="running"} 1.0 1700000000.25\n# EOF\n',
			},
		});
		failing = await startServer({
			'/metrics': {status: 500, contentType: 'text/plain', body: 'An Exception occurred while scraping metrics: java.lang.OutOfMemoryError\n'},
		});
		deadPort = await closedPort();
	});

	afterAll(async () => {
		await new Promise<void>(resolve => good.server.close(() => resolve()));
		await new Promise<void>(resolve => failing.server.close(() => resolve()));
	});

	it('scrapes all endpoints in parallel; one failing endpoint does not fail the others', async () => {
		const urls = [`http://127.0.0.1:${good.port}/metrics`, `http://127.0.0.1:${failing.port}/metrics`, `http://127.0.0.1:${deadPort}/metrics`];
		const client = createScrapeClient({urls, timeoutMs: 2000});
		try {
			expect(client.urls).toEqual(urls);
			const outcomes = await client.scrapeAll(1_700_000_000_000);
			expect(outcomes.map(outcome => outcome.url)).toEqual(urls);
			expect(outcomes.map(outcome => outcome.instance)).toEqual([`127.0.0.1:${good.port}`, `127.0.0.1:${failing.port}`, `127.0.0.1:${deadPort}`]);

			const [ok, serverError, refused] = outcomes;
			expect(ok?.error).toBeUndefined();
			expect(ok?.result?.at).toBe(1_700_000_000_000);
			expect(ok?.result?.instance).toBe(`127.0.0.1:${good.port}`);
			expect(ok?.result?.exposition.errors).toEqual([]);
			expect(ok?.result?.exposition.samples.find(sample => sample.name === 'kafka_connect_task_error_metrics_deadletterqueue_produce_requests')).toEqual({
				name: 'kafka_connect_task_error_metrics_deadletterqueue_produce_requests',
				labels: {connector: 'elasticsearch-sink', task: '0'},
				value: 0,
			});

			expect(serverError?.result).toBeUndefined();
			expect(serverError?.error).toBeInstanceOf(KctopError);
			expect(serverError?.error?.kind).toBe('http');
			expect(serverError?.error?.status).toBe(500);
			expect(serverError?.error?.source).toBe('scrape');
			expect(serverError?.error?.isRetryable).toBe(true);
			expect(serverError?.error?.message).toContain('OutOfMemoryError');

			expect(refused?.result).toBeUndefined();
			expect(refused?.error?.kind).toBe('connection');
			expect(refused?.error?.message).toContain('connection refused');
		} finally {
			await client.close();
		}
	});

	it('asks for the 0.0.4 text format and sends auth and extra headers', async () => {
		const before = good.seen.length;
		const client = createScrapeClient({
			urls: [`http://127.0.0.1:${good.port}/mongo`],
			timeoutMs: 2000,
			auth: {type: 'bearer', token: 't0k'},
			headers: {'X-Team': 'connect'},
		});
		try {
			const [outcome] = await client.scrapeAll(5);
			expect(outcome?.result?.exposition.samples[0]?.labels).toEqual({context: 'streaming', name: 'dbserver1, task=0', plugin: 'mongodb'});
			const headers = good.seen[before];
			expect(headers?.accept).toBe(scrapeAcceptHeader);
			expect(headers?.authorization).toBe('Bearer t0k');
			expect(headers?.['x-team']).toBe('connect');
		} finally {
			await client.close();
		}
	});

	it('refuses an HTML page and a body that is not an exposition, and parses OpenMetrics', async () => {
		const client = createScrapeClient({
			urls: [`http://127.0.0.1:${good.port}/login`, `http://127.0.0.1:${good.port}/json`, `http://127.0.0.1:${good.port}/om`, `http://127.0.0.1:${good.port}/nope`],
			timeoutMs: 2000,
		});
		try {
			const [html, notMetrics, openMetrics, missing] = await client.scrapeAll(0);
			expect(html?.error?.kind).toBe('malformed');
			expect(html?.error?.message).toContain('HTML page');
			expect(notMetrics?.error?.kind).toBe('malformed');
			expect(notMetrics?.error?.message).toContain('did not answer Prometheus metrics: line 1:');
			expect(openMetrics?.error).toBeUndefined();
			expect(openMetrics?.result?.exposition.samples).toEqual([
				{name: 'kafka_connect_connector_status', labels: {connector: 'a', status: 'running'}, value: 1, timestamp: 1_700_000_000_250},
			]);
			expect(missing?.error?.kind).toBe('http');
			expect(missing?.error?.status).toBe(404);
			expect(missing?.error?.isRetryable).toBe(false);
		} finally {
			await client.close();
		}
	});

	it('redacts credentials in URLs and reports an aborted scrape per endpoint', async () => {
		const client = createScrapeClient({urls: [`http://user:pw@127.0.0.1:${good.port}/metrics`], timeoutMs: 2000});
		try {
			expect(client.urls).toEqual([`http://127.0.0.1:${good.port}/metrics`]);
			const controller = new AbortController();
			controller.abort();
			const [outcome] = await client.scrapeAll(0, controller.signal);
			expect(outcome?.url).toBe(`http://127.0.0.1:${good.port}/metrics`);
			expect(outcome?.error?.kind).toBe('aborted');
		} finally {
			await client.close();
		}
	});
});

describe('createScrapeClient configuration', () => {
	it('rejects bad URLs and an empty list with config errors', async () => {
		expect(() => createScrapeClient({urls: [], timeoutMs: 1000})).toThrow(/no scrape URL/);
		expect(() => createScrapeClient({urls: ['w1:9404/metrics'], timeoutMs: 1000})).toThrow(KctopError);
		expect(() => createScrapeClient({urls: ['ftp://w1/metrics'], timeoutMs: 1000})).toThrow(/unsupported URL scheme ftp:/);
		const client = createScrapeClient({urls: ['http://w1/metrics', 'https://w2/metrics'], timeoutMs: 1000});
		expect(client.urls).toEqual(['http://w1/metrics', 'https://w2/metrics']);
		await client.close();
	});
});
