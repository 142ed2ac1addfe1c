import {readFileSync} from 'node:fs';
import {createServer, type IncomingHttpHeaders, type Server} from 'node:http';
import {Writable} from 'node:stream';
import {z} from 'zod';

/**
 * A Kafka Connect REST endpoint on loopback whose answers a test decides request by
 * request, serving the recorded payloads in test/fixtures/rest by default. Records
 * every request with its headers.
 */

export const restFixture = (name: string): string => readFileSync(new URL(`../fixtures/rest/${name}`, import.meta.url), 'utf8');

export interface FakeAnswer {
	readonly status: number;
	readonly body: string;
	readonly contentType?: string;
}

export interface FakeRequest {
	readonly method: string;
	readonly path: string;
	readonly headers: IncomingHttpHeaders;
}

export type FakeHandler = (request: FakeRequest, index: number) => FakeAnswer | undefined;

export interface FakeConnect {
	readonly url: string;
	readonly requests: FakeRequest[];
	close(): Promise<void>;
}

/** The recorded answers of a healthy 7.9 worker: GET / and the expanded connector list. */
export function healthyAnswer(request: FakeRequest, connectors = restFixture('rest-connectors-expand-info-status-datagen-6-tasks-2-workers.json')): FakeAnswer {
	if (request.path === '/') return {status: 200, body: restFixture('rest-root-cp-7.9.0-ccs-full-commit-sha.json')};
	if (request.path.startsWith('/connectors?')) return {status: 200, body: connectors};
	return {status: 404, body: '{"error_code":404,"message":"HTTP 404 Not Found"}'};
}

export async function startFakeConnect(handler: FakeHandler): Promise<FakeConnect> {
	const requests: FakeRequest[] = [];
	const server: Server = createServer((request, response) => {
		const recorded = {method: request.method ?? 'GET', path: request.url ?? '/', headers: request.headers};
		requests.push(recorded);
		const answer = handler(recorded, requests.length - 1) ?? healthyAnswer(recorded);
		response.writeHead(answer.status, {'content-type': answer.contentType ?? 'application/json'});
		response.end(answer.body);
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	const {port} = z.object({port: z.number()}).parse(server.address());
	return {
		url: `http://127.0.0.1:${port}`,
		requests,
		async close() {
			server.closeAllConnections();
			await new Promise(resolve => server.close(resolve));
		},
	};
}

/** A stream that keeps what is written to it, as text. */
export function capture(columns = 160): Writable & {readonly columns: number; text(): string} {
	let text = '';
	const stream = new Writable({
		write(chunk: Buffer | string, _encoding, done) {
			text += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
			done();
		},
	});
	return Object.assign(stream, {columns, text: () => text});
}

/** A clock for run(): `sleep` returns at once and moves the time on; every sleep is recorded. */
export function fakeClock(start = 1_750_000_000_000): {now(): number; sleep(ms: number): Promise<void>; readonly sleeps: number[]} {
	let now = start;
	const sleeps: number[] = [];
	return {
		now: () => now,
		sleep: async ms => {
			sleeps.push(ms);
			now += ms;
		},
		sleeps,
	};
}
