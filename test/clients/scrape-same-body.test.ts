import {readFileSync} from 'node:fs';
import {createServer, type Server} from 'node:http';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {defaultMemoBytes} from '../../source/clients/http.js';
import {createScrapeClient, type ScrapeClient} from '../../source/clients/scrape/client.js';
import type {ParsedExposition} from '../../source/clients/scrape/types.js';

const read = (path: string): string => readFileSync(new URL(`../fixtures/${path}`, import.meta.url), 'utf8');
/** Real scrapes, and two consecutive scrapes of one worker (t0, t1). */
const excerpt = read('prom/metrics-jmx-exporter-0.13.0-kafka-2.3.1-standalone-es-sink-excerpt.prom');
const mongo = read('prom/metrics-debezium-mongodb-millisecondsbehindsource-grep-ok.prom');
const t0 = read('metrics/worker-1-t0.prom');
const t1 = read('metrics/worker-1-t1.prom');
const text004 = 'text/plain; version=0.0.4; charset=utf-8';
const openMetricsType = 'application/openmetrics-text; version=1.0.0; charset=utf-8';

/** A loopback exporter answering whatever `answer` holds at the time of the request. */
let answer: {status: number; contentType: string; body: string} = {status: 200, contentType: text004, body: t0};
let server: Server;
let url = '';

beforeAll(async () => {
	server = createServer((_request, response) => {
		response.writeHead(answer.status, {'content-type': answer.contentType}).end(answer.body);
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	const address = server.address();
	if (address === null || typeof address === 'string') throw new Error('no port');
	url = `http://127.0.0.1:${address.port}/metrics`;
});
afterAll(async () => {
	await new Promise<void>(resolve => server.close(() => resolve()));
});

/** One scrape by `client`: its exposition, or its error's message. */
async function scrape(client: ScrapeClient, keep?: (name: string) => boolean): Promise<ParsedExposition | string> {
	const [outcome] = await client.scrapeAll(0, undefined, keep);
	return outcome?.result?.exposition ?? outcome?.error?.message ?? 'no outcome';
}

/** What a client that never saw a body before reads from the current answer. */
async function fresh(keep?: (name: string) => boolean): Promise<ParsedExposition | string> {
	const client = createScrapeClient({urls: [url], timeoutMs: 2000});
	try {
		return await scrape(client, keep);
	} finally {
		await client.close();
	}
}

describe('a scrape body identical to the last one', () => {
	it('is the same exposition, not parsed again; any change is read afresh, back and forth', async () => {
		const client = createScrapeClient({urls: [url], timeoutMs: 2000});
		try {
			const bodies = [t0, t0, t1, t0, t0, excerpt, mongo, mongo, t1, t1];
			const seen: Array<ParsedExposition | string> = [];
			for (const body of bodies) {
				answer = {status: 200, contentType: text004, body};
				const got = await scrape(client);
				expect(typeof got).not.toBe('string');
				expect(got).toEqual(await fresh());
				seen.push(got);
			}
			bodies.forEach((body, index) => {
				if (index === 0) return;
				if (body === bodies[index - 1]) expect(seen[index]).toBe(seen[index - 1]);
				else expect(seen[index]).not.toBe(seen[index - 1]);
			});
		} finally {
			await client.close();
		}
	});

	it('is read again when it is to be read differently: another keep, OpenMetrics, or after an error page', async () => {
		const client = createScrapeClient({urls: [url], timeoutMs: 2000});
		try {
			answer = {status: 200, contentType: text004, body: t0};
			const all = await scrape(client);
			const keep = (name: string): boolean => name.startsWith('kafka_connect_worker');
			const kept = await scrape(client, keep);
			expect(kept).toEqual(await fresh(keep));
			expect(kept).not.toEqual(all);
			expect(await scrape(client, keep)).toBe(kept);
			const other = (name: string): boolean => name.startsWith('kafka_connect_connector');
			expect(await scrape(client, other)).toEqual(await fresh(other));
			answer = {status: 200, contentType: openMetricsType, body: `${t0}# EOF\n`};
			const open = await scrape(client);
			expect(open).toEqual(await fresh());
			expect(await scrape(client)).toBe(open);
			answer = {status: 503, contentType: 'text/plain', body: 'exporter restarting'};
			expect(await scrape(client)).toMatch(/503/);
			answer = {status: 200, contentType: openMetricsType, body: `${t0}# EOF\n`};
			const after = await scrape(client);
			expect(after).toEqual(open);
			answer = {status: 200, contentType: 'text/html', body: '<html><body>login</body></html>'};
			expect(await scrape(client)).toMatch(/HTML page/);
			answer = {status: 200, contentType: text004, body: t0};
			expect(await scrape(client)).toEqual(all);
		} finally {
			await client.close();
		}
	});

	it('a body that failed is an error each time, never a remembered exposition', async () => {
		const client = createScrapeClient({urls: [url], timeoutMs: 2000});
		try {
			answer = {status: 200, contentType: text004, body: 'this is not {an exposition\nnor this\n'};
			const first = await scrape(client);
			expect(first).toMatch(/did not answer Prometheus metrics/);
			expect(await scrape(client)).toBe(first);
			answer = {status: 200, contentType: text004, body: t1};
			expect(await scrape(client)).toEqual(await fresh());
		} finally {
			await client.close();
		}
	});

	it('a body larger than the memo streams as before and is read every time', async () => {
		const client = createScrapeClient({urls: [url], timeoutMs: 2000});
		try {
			const lines = t1.split('\n').filter(line => line.includes('{connector='));
			const large = Array.from({length: Math.ceil(defaultMemoBytes / t1.length) * 3}, (_, index) => lines.map(line => line.replace('{', `{copy="${index}",`)).join('\n')).join('\n');
			expect(large.length).toBeGreaterThan(defaultMemoBytes);
			answer = {status: 200, contentType: text004, body: large};
			const first = await scrape(client);
			const second = await scrape(client);
			expect(second).not.toBe(first);
			expect(second).toEqual(first);
			expect(typeof first === 'string' ? 0 : first.samples.length).toBeGreaterThan(lines.length);
		} finally {
			await client.close();
		}
	});
});
