import {readFileSync} from 'node:fs';
import {createServer, type Server, type ServerResponse} from 'node:http';
import {afterEach, describe, expect, it} from 'vitest';
import {z} from 'zod';
import {createPrometheusClient, PrometheusApiError, type PrometheusClient} from '../../../source/clients/prometheus/client.js';
import {caught} from '../../helpers/caught.js';
import {pointsOf} from '../../helpers/range-series.js';

/*
 * The client decodes an answer piece by piece as the bytes arrive (client.ts requestText).
 * These tests send real answers in small writes, cut inside multi-byte characters, and check
 * that what the client reads is what one JSON.parse of the whole body gives.
 */

const recorded = z
	.object({
		prometheusAnswer: z.object({
			status: z.literal('success'),
			data: z.object({resultType: z.literal('vector'), result: z.array(z.object({metric: z.record(z.string(), z.string()), value: z.tuple([z.number(), z.string()])}))}),
		}),
	})
	.parse(JSON.parse(readFileSync(new URL('../../fixtures/prom/batched-answer-stale-worker-2.json', import.meta.url), 'utf8')));
const realRows = recorded.prometheusAnswer.data.result;

/** A local server whose handler answers every request; resolves with its base URL. */
async function serve(servers: Server[], handler: (response: ServerResponse) => void): Promise<string> {
	const server = createServer((_request, response) => handler(response));
	servers.push(server);
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	const {port} = z.object({port: z.number()}).parse(server.address());
	return `http://127.0.0.1:${port}`;
}

/** Writes `body` in pieces of `size` bytes (each its own chunk on the wire), then ends. */
function writeInPieces(response: ServerResponse, status: number, body: Buffer, size: number): void {
	response.writeHead(status, {'content-type': 'application/json'});
	let offset = 0;
	const next = (): void => {
		if (offset >= body.length) {
			response.end();
			return;
		}
		const piece = body.subarray(offset, offset + size);
		offset += size;
		response.write(piece, next);
	};
	next();
}

describe('Prometheus answers read piece by piece', () => {
	const servers: Server[] = [];
	const clients: PrometheusClient[] = [];
	const clientFor = (url: string, maxBodyBytes?: number): PrometheusClient => {
		const client = createPrometheusClient({url, timeoutMs: 5000, ...(maxBodyBytes === undefined ? {} : {maxBodyBytes})});
		clients.push(client);
		return client;
	};

	afterEach(async () => {
		for (const client of clients.splice(0)) await client.close();
		for (const server of servers.splice(0)) {
			server.closeAllConnections();
			await new Promise(resolve => server.close(resolve));
		}
	});

	it('reads a recorded batched answer sent 7 bytes at a time, with multi-byte label values cut across pieces, as the whole body parses', async () => {
		// The recorded rows, with label values in several scripts so that pieces end inside characters.
		const rows = realRows.map((row, index) => ({...row, metric: {...row.metric, connector: `${row.metric['connector'] ?? 'c'}-é-中文-🙂-${index}`}}));
		const body = Buffer.from(JSON.stringify({status: 'success', data: {resultType: 'vector', result: rows}}), 'utf8');
		const url = await serve(servers, response => writeInPieces(response, 200, body, 7));
		const answer = await clientFor(url).query('up');
		expect(answer.samples).toHaveLength(rows.length);
		expect(answer.samples.map(sample => sample.labels)).toEqual(rows.map(row => row.metric));
		expect(answer.samples.map(sample => sample.value)).toEqual(rows.map(row => Number(row.value[1])));
		expect(answer.samples.some(sample => sample.labels['connector']?.includes('中文-🙂') === true)).toBe(true);
	});

	it('asks again, keeping the bytes, for an answer given up after its first pieces were let go; keeps them for the next answer until one is read as it arrives', async () => {
		// Enough rows that the answer arrives in many pieces; the last row is a native histogram, which only the full parse reads.
		const rows = Array.from({length: 12}, (_, copy) => realRows.map(row => ({...row, metric: {...row.metric, copy: String(copy)}}))).flat();
		const plain = Buffer.from(JSON.stringify({status: 'success', data: {resultType: 'vector', result: rows}}), 'utf8');
		const withHistogram = Buffer.from(JSON.stringify({status: 'success', data: {resultType: 'vector', result: [...rows, {metric: {a: 'b'}, histogram: [1, {count: '2', sum: '3'}]}]}}), 'utf8');
		expect(plain.length).toBeGreaterThan(100_000);
		let body = withHistogram;
		let requests = 0;
		const url = await serve(servers, response => {
			requests += 1;
			writeInPieces(response, 200, body, 1024);
		});
		const client = clientFor(url);
		const counted = async (): Promise<{readonly requests: number; readonly samples: number; readonly warnings: readonly string[]}> => {
			const before = requests;
			const answer = await client.query('up');
			return {requests: requests - before, samples: answer.samples.length, warnings: answer.warnings};
		};
		const histogramNote = ['1 native histogram series ignored'];
		expect(await counted()).toEqual({requests: 2, samples: rows.length, warnings: histogramNote});
		expect(await counted()).toEqual({requests: 1, samples: rows.length, warnings: histogramNote});
		body = plain;
		expect(await counted()).toEqual({requests: 1, samples: rows.length, warnings: []});
		expect(await counted()).toEqual({requests: 1, samples: rows.length, warnings: []});
		// The full parse and the reader give the same samples.
		const answer = await client.query('up');
		expect(answer.samples.map(sample => sample.labels)).toEqual(rows.map(row => row.metric));
		expect(answer.samples.map(sample => sample.value)).toEqual(rows.map(row => Number(row.value[1])));
	});

	it('reads a range answer built from the recorded rows, sent in 5-byte pieces', async () => {
		const rows = realRows.slice(0, 20).map((row, index) => ({metric: row.metric, values: [[1_795_765_900 + index, '1.5'], [1_795_765_902 + index, 'NaN'], [1_795_765_904 + index, row.value[1]]]}));
		const body = Buffer.from(JSON.stringify({status: 'success', data: {resultType: 'matrix', result: rows}}), 'utf8');
		const url = await serve(servers, response => writeInPieces(response, 200, body, 5));
		const answer = await clientFor(url).queryRange('up', {start: 1_795_765_900_000, end: 1_795_765_960_000, stepMs: 2000});
		expect(answer.series.map(series => series.labels)).toEqual(rows.map(row => row.metric));
		const first = pointsOf(answer.series[0]);
		expect(first[0]).toEqual([1_795_765_900_000, 1.5]);
		expect(Number.isNaN(first[1]?.[1])).toBe(true);
		expect(first[2]).toEqual([1_795_765_904_000, Number(realRows[0]?.value[1])]);
	});

	it('reads a range answer row by row with the errors of a whole answer, in the same order', async () => {
		const range = async (body: unknown, status = 200): Promise<unknown> => {
			const url = await serve(servers, response => writeInPieces(response, status, Buffer.from(typeof body === 'string' ? body : JSON.stringify(body), 'utf8'), 11));
			return caught(clientFor(url).queryRange('up', {start: 0, end: 60_000, stepMs: 15_000}));
		};
		const row = (index: number): unknown => ({metric: {connector: `c-${index}`}, values: [[1_795_765_900, '1']]});
		const rows = [row(0), row(1), row(2), {metric: {connector: 'c-3'}, values: [[1_795_765_900, 2]]}, row(4)];
		// The first bad row, by its place in data.result.
		expect(await range({status: 'success', data: {resultType: 'matrix', result: rows}})).toMatchObject({kind: 'malformed', message: expect.stringMatching(/: data\.result\.3\.values: expected \[<unix seconds>, "<value>"\] pairs$/)});
		// A bad sample value, named as before.
		expect(await range({status: 'success', data: {resultType: 'matrix', result: [row(0), {metric: {}, values: [[1, 'one']]}]}})).toMatchObject({kind: 'malformed', message: expect.stringMatching(/^invalid sample value "one" from http:\/\/127\.0\.0\.1:\d+\/api\/v1\/query_range$/)});
		// The result type is judged before the rows, which are not matrix rows here.
		expect(await range({status: 'success', data: {resultType: 'vector', result: [{metric: {}, value: [1, '2']}]}})).toMatchObject({kind: 'malformed', message: 'Prometheus query_range returned a vector, expected a matrix'});
		// An error body under a 200, and the envelope's shape, before any row.
		expect(await range({status: 'error', errorType: 'timeout', error: 'query timed out'})).toBeInstanceOf(PrometheusApiError);
		expect(await range({status: 'succes', data: {resultType: 'matrix', result: rows}})).toMatchObject({kind: 'malformed', message: expect.stringMatching(/unexpected response .*: status: /)});
		// Invalid JSON inside a row, or between rows, is invalid JSON as for a whole body.
		const valid = JSON.stringify({status: 'success', data: {resultType: 'matrix', result: [row(0), row(1)]}});
		for (const broken of [valid.replace('"c-1"', '"c-1'), valid.replace('},{', '}{'), valid.replace('}]}', '},]}')]) {
			expect(await range(broken)).toMatchObject({kind: 'malformed', message: expect.stringMatching(/^Prometheus query_range: invalid JSON from http:\/\/127\.0\.0\.1:\d+\/api\/v1\/query_range: /)});
		}
		// Rows without values (native histograms) are counted, as before.
		const url = await serve(servers, response => writeInPieces(response, 200, Buffer.from(JSON.stringify({status: 'success', data: {resultType: 'matrix', result: [row(0), {metric: {}, histograms: [[1, {}]]}]}})), 11));
		const answer = await clientFor(url).queryRange('up', {start: 0, end: 60_000, stepMs: 15_000});
		expect(answer.series.map(series => series.labels)).toEqual([{connector: 'c-0'}]);
		expect(answer.warnings).toEqual(['1 native histogram series ignored']);
	});

	it('decodes invalid UTF-8 and a byte-order mark as Buffer#toString does', async () => {
		// A label value holding a lone continuation byte (0x80) and a truncated 3-byte sequence.
		const before = Buffer.from('{"status":"success","data":{"resultType":"vector","result":[{"metric":{"connector":"a', 'utf8');
		const broken = Buffer.from([0x80, 0x62, 0xe4, 0xb8]);
		const after = Buffer.from('"},"value":[1795765956.681,"3"]}]}}', 'utf8');
		const body = Buffer.concat([before, broken, after]);
		const url = await serve(servers, response => writeInPieces(response, 200, body, 3));
		const answer = await clientFor(url).query('up');
		const expected = z.object({data: z.object({result: z.array(z.object({metric: z.object({connector: z.string()})}))})}).parse(JSON.parse(body.toString('utf8')));
		expect(answer.samples[0]?.labels['connector']).toBe(expected.data.result[0]?.metric.connector);
		expect(answer.samples[0]?.labels['connector']).toContain('\uFFFD');

		// A byte-order mark is kept, so the body is not JSON, as when it was decoded whole.
		const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), after]);
		const bomUrl = await serve(servers, response => writeInPieces(response, 200, withBom, 2));
		const error = await caught(clientFor(bomUrl).query('up'));
		expect(error.kind).toBe('malformed');
	});

	it('reports a truncated answer as invalid JSON, in one line', async () => {
		const body = Buffer.from(JSON.stringify(recorded.prometheusAnswer), 'utf8');
		const url = await serve(servers, response => writeInPieces(response, 200, body.subarray(0, Math.floor(body.length / 2)), 64));
		const error = await caught(clientFor(url).query('up'));
		expect(error.kind).toBe('malformed');
		expect(error.message).toMatch(/^Prometheus query: invalid JSON from http:\/\/127\.0\.0\.1:\d+\/api\/v1\/query: /);
		expect(error.message).not.toContain('\n');
	});

	it('reports an answer cut off mid-body (the connection closed before Content-Length) as a one-line error', async () => {
		const body = Buffer.from(JSON.stringify(recorded.prometheusAnswer), 'utf8');
		const url = await serve(servers, response => {
			response.writeHead(200, {'content-type': 'application/json', 'content-length': String(body.length)});
			response.write(body.subarray(0, 1000), () => response.destroy());
		});
		const error = await caught(clientFor(url).query('up'));
		expect(['connection', 'malformed']).toContain(error.kind);
		expect(error.source).toBe('prometheus');
		expect(error.message).not.toContain('\n');
	});

	it('reads an error answer sent in pieces as Prometheus’s own message', async () => {
		const body = Buffer.from(JSON.stringify({status: 'error', errorType: 'bad_data', error: 'invalid parameter "query": 1:1: parse error: unexpected «»'}), 'utf8');
		const url = await serve(servers, response => writeInPieces(response, 400, body, 4));
		const error = await caught(clientFor(url).query('up'));
		expect(error).toBeInstanceOf(PrometheusApiError);
		expect(error.message).toBe('Prometheus query failed (400 Bad Request): bad_data: invalid parameter "query": 1:1: parse error: unexpected «»');
	});

	it('stops an answer over the cap with the cap’s error, before reading it whole', async () => {
		const body = Buffer.from(JSON.stringify(recorded.prometheusAnswer), 'utf8');
		const url = await serve(servers, response => writeInPieces(response, 200, body, 1024));
		const error = await caught(clientFor(url, 4096).query('up'));
		expect(error.kind).toBe('too-large');
		expect(error.message).toMatch(/^response larger than 4 KB \(GET http:\/\/127\.0\.0\.1:\d+\/api\/v1\/query\): raise --max-body if this is expected$/);
	});
});
