import {createServer, type Server, type ServerResponse} from 'node:http';
import {afterEach, describe, expect, it} from 'vitest';
import {z} from 'zod';
import {createHttp, defaultMaxBodyBytes, formatBytes} from '../../source/clients/http.js';
import {caught} from '../helpers/caught.js';

/** A local server whose handler decides the answer; resolves with its base URL. */
async function serve(handler: (response: ServerResponse) => void): Promise<{readonly server: Server; readonly url: string}> {
	const server = createServer((_request, response) => handler(response));
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	const {port} = z.object({port: z.number()}).parse(server.address());
	return {server, url: `http://127.0.0.1:${port}`};
}

const megabyte = 1024 * 1024;

describe('response body cap', () => {
	const servers: Server[] = [];
	afterEach(async () => {
		for (const server of servers.splice(0)) {
			server.closeAllConnections();
			await new Promise(resolve => server.close(resolve));
		}
	});

	it('stops reading a streamed body as soon as it passes the cap, with a typed error', async () => {
		let written = 0;
		let stopped: (bytes: number) => void = () => {};
		const stoppedAt = new Promise<number>(resolve => {
			stopped = resolve;
		});
		const {server, url} = await serve(response => {
			// 50 MB in 64 KB chunks, chunked encoding (no Content-Length), honouring back-pressure.
			response.writeHead(200, {'content-type': 'application/json'});
			const chunk = Buffer.alloc(64 * 1024, 'x');
			const pump = (): void => {
				while (written < 50 * megabyte) {
					if (response.destroyed) break;
					written += chunk.length;
					if (!response.write(chunk)) {
						response.once('drain', pump);
						return;
					}
				}
				response.end();
			};
			response.on('close', () => stopped(written));
			pump();
		});
		servers.push(server);
		const http = createHttp({source: 'connect', timeoutMs: 10_000, maxBodyBytes: megabyte});
		const error = await caught(http.request(`${url}/connectors?expand=status`));
		expect(error.kind).toBe('too-large');
		expect(error.isRetryable).toBe(false);
		expect(error.message).toBe(`response larger than 1 MB (GET ${url}/connectors): raise --max-body if this is expected`);
		// The client hung up: the server did not get to write the 50 MB.
		expect(await stoppedAt).toBeLessThan(20 * megabyte);
		await http.close();
	});

	it('refuses a declared Content-Length above the cap before reading the body', async () => {
		const {server, url} = await serve(response => {
			response.writeHead(200, {'content-type': 'application/json', 'content-length': String(100 * megabyte)});
			response.write('{"partial":');
		});
		servers.push(server);
		const http = createHttp({source: 'prometheus', timeoutMs: 10_000, maxBodyBytes: 64 * 1024});
		const error = await caught(http.request(`${url}/api/v1/query?query=up`));
		expect(error.kind).toBe('too-large');
		expect(error.source).toBe('prometheus');
		expect(error.message).toContain('larger than 64 KB');
		expect(error.message).not.toContain('query=');
		await http.close();
	});

	it('accepts a body up to the cap exactly, multi-byte characters split across chunks included', async () => {
		const text = `"${'漢'.repeat(1000)}"`;
		const bytes = Buffer.from(text, 'utf8');
		const {server, url} = await serve(response => {
			response.writeHead(200, {'content-type': 'application/json'});
			// Split inside a three-byte character.
			response.write(bytes.subarray(0, 2));
			response.end(bytes.subarray(2));
		});
		servers.push(server);
		const http = createHttp({source: 'connect', timeoutMs: 10_000, maxBodyBytes: bytes.length});
		const response = await http.request(url);
		expect(response.text).toBe(text);
		await http.close();
	});

	it('defaults to 64 MB and rejects a cap that is not a positive whole number', () => {
		expect(formatBytes(defaultMaxBodyBytes)).toBe('64 MB');
		expect(() => createHttp({source: 'connect', timeoutMs: 1000, maxBodyBytes: 0})).toThrow(/invalid body cap/);
		expect(() => createHttp({source: 'connect', timeoutMs: 1000, maxBodyBytes: 1.5})).toThrow(/invalid body cap/);
	});
});
