import {readFileSync} from 'node:fs';
import {createServer, type Server} from 'node:http';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {createConnectClient, type ConnectClient} from '../../source/clients/connect/client.js';
import {readConnectorsExpanded} from '../../source/clients/connect/expand.js';
import {KctopError} from '../../source/clients/errors.js';
import {caught} from '../helpers/caught.js';

/**
 * The expand body is compared with the last one as bytes while it arrives: a body identical to
 * the last one, in whatever pieces it comes, is the last result; any other body is decoded and
 * read as before. Real bodies from a loopback worker that writes them in small pieces.
 */

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/rest/${name}`, import.meta.url), 'utf8');
const datagen = fixture('rest-connectors-expand-info-status-datagen-6-tasks-2-workers.json');
const s3 = fixture('rest-connectors-expand-status-s3-source-running.json');
const fresh = (text: string): unknown => readConnectorsExpanded(JSON.parse(text));

/** What the worker answers next: a body and the size of the pieces it is written in. */
let answer: {status: number; body: Buffer; piece: number} = {status: 200, body: Buffer.from(datagen), piece: 64};
let server: Server;
let client: ConnectClient;

beforeAll(async () => {
	const entry = JSON.parse(datagen)['source-datagen-01'];
	server = createServer((request, response) => {
		// The per-connector calls of the pre-2.3 fallback: datagen's entry.
		if (request.url === '/connectors/source-datagen-01/status' || request.url === '/connectors/source-datagen-01') {
			response.writeHead(200, {'content-type': 'application/json'}).end(JSON.stringify(request.url.endsWith('/status') ? entry.status : entry.info));
			return;
		}
		const {status, body, piece} = answer;
		response.writeHead(status, {'content-type': 'application/json'});
		for (let at = 0; at < body.byteLength; at += piece) response.write(body.subarray(at, at + piece));
		response.end();
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	const address = server.address();
	if (address === null || typeof address === 'string') throw new Error('no port');
	client = createConnectClient({urls: [`http://127.0.0.1:${address.port}`], timeoutMs: 5000});
});
afterAll(async () => {
	await client.close();
	await new Promise<void>(resolve => server.close(() => resolve()));
});

async function read(body: string | Buffer, piece: number, status = 200): Promise<Awaited<ReturnType<ConnectClient['connectors']>>> {
	answer = {status, body: typeof body === 'string' ? Buffer.from(body) : body, piece};
	return client.connectors();
}

describe('the expand body compared as bytes', () => {
	it('is the last result for the same bytes in other pieces, and a fresh read for a body differing anywhere', async () => {
		const first = await read(datagen, 7);
		expect(first.connectors).toEqual(fresh(datagen));
		expect((await read(datagen, 1000)).connectors).toBe(first.connectors);
		expect((await read(datagen, 1)).connectors).toBe(first.connectors);
		// One byte changed at the end, cut short by one byte (malformed), one byte longer: each read afresh.
		const lastBrace = datagen.lastIndexOf('}');
		const edited = `${datagen.slice(0, lastBrace)} }`;
		const second = await read(edited, 33);
		expect(second.connectors).not.toBe(first.connectors);
		expect(second.connectors).toEqual(fresh(datagen));
		expect((await caught(read(datagen.slice(0, lastBrace), 50))).kind).toBe('malformed');
		expect((await caught(read(datagen.slice(0, lastBrace), 50))).kind).toBe('malformed');
		const third = await read(`${datagen} `, 50);
		expect(third.connectors).toEqual(fresh(datagen));
		expect((await read(`${datagen} `, 3)).connectors).toBe(third.connectors);
		const other = await read(s3, 16);
		expect(other.connectors).toEqual(fresh(s3));
	});

	it('keeps the memory over an error answer, and reads a pre-2.3 list again each time', async () => {
		const first = await read(s3, 40);
		const error = await caught(read('{"error_code":409,"message":"Cannot complete request momentarily due to stale configuration"}', 10, 409));
		expect(error).toBeInstanceOf(KctopError);
		expect(error.message).toContain('stale configuration');
		expect((await read(s3, 41)).connectors).toBe(first.connectors);
		// A worker older than 2.3 answers with the list of names; the same list twice is read (and expanded) twice.
		const expanded = {'source-datagen-01': JSON.parse(datagen)['source-datagen-01']};
		const once = await read('["source-datagen-01"]', 5);
		const twice = await read('["source-datagen-01"]', 6);
		expect(once).toEqual({connectors: expanded, fallback: true});
		expect(twice).toEqual({connectors: expanded, fallback: true});
		expect(twice.connectors).not.toBe(once.connectors);
	});

	it('decodes a changed body as the text reader did: invalid UTF-8 as U+FFFD, across the pieces', async () => {
		// A connector name with a two-byte character, and one byte that is not UTF-8, each cut in two by the pieces.
		const body = Buffer.concat([Buffer.from('{"caf\u00e9-'), Buffer.from([0xff]), Buffer.from(`": ${JSON.stringify(JSON.parse(datagen)['source-datagen-01'])}}`)]);
		const result = await read(body, 4);
		expect(Object.keys(result.connectors)).toEqual(['caf\u00e9-\ufffd']);
		expect(result.connectors).toEqual(fresh(body.toString('utf8')));
		expect((await read(body, 5)).connectors).toBe(result.connectors);
	});
});
