import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import {afterEach, describe, expect, it} from 'vitest';
import {createPrometheusClient} from '../../source/clients/prometheus/client.js';
import {instantQueryWritten} from '../../source/run.js';

/**
 * The live view loads its terminal UI once the first instant query is on the wire
 * (run.tsx): module loading holds the only thread, and would otherwise hold the query back
 * until it is done. A Prometheus that never answers shows the query counts as written when
 * it leaves, not when an answer comes.
 */

interface SilentPrometheus {
	readonly url: string;
	/** Paths received so far (the query string left off). */
	readonly paths: string[];
	/** Resolves when a request for `path` has arrived. */
	arrived(path: string): Promise<void>;
	close(): Promise<void>;
}

async function startSilentPrometheus(): Promise<SilentPrometheus> {
	const paths: string[] = [];
	const waiting: Array<{readonly path: string; readonly resolve: () => void}> = [];
	const held: ServerResponse[] = [];
	const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
		const path = (request.url ?? '').split('?')[0] ?? '';
		paths.push(path);
		for (const each of waiting.filter(entry => entry.path === path)) each.resolve();
		held.push(response);
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	const address = server.address();
	if (address === null || typeof address === 'string') throw new Error('no port');
	return {
		url: `http://127.0.0.1:${address.port}`,
		paths,
		arrived: async path => (paths.includes(path) ? undefined : new Promise<void>(resolve => waiting.push({path, resolve}))),
		close: async () => {
			for (const response of held) response.destroy();
			server.closeAllConnections();
			await new Promise<void>(resolve => server.close(() => resolve()));
		},
	};
}

let prometheus: SilentPrometheus | undefined;
afterEach(async () => {
	await prometheus?.close();
	prometheus = undefined;
});

describe('instantQueryWritten', () => {
	it('settles when an instant query is written, before any answer, and not for a range query', async () => {
		prometheus = await startSilentPrometheus();
		const client = createPrometheusClient({url: prometheus.url, timeoutMs: 60_000});
		let settled = false;
		const written = instantQueryWritten(600_000).then(() => {
			settled = true;
		});
		const aborts = new AbortController();
		void client.queryRange('up', {start: 0, end: 60_000, stepMs: 15_000, signal: aborts.signal}).catch(() => undefined);
		await prometheus.arrived('/api/v1/query_range');
		expect(settled).toBe(false);
		void client.query('up', {signal: aborts.signal}).catch(() => undefined);
		await written;
		expect(settled).toBe(true);
		await prometheus.arrived('/api/v1/query');
		expect(prometheus.paths).toEqual(['/api/v1/query_range', '/api/v1/query']);
		aborts.abort();
		await client.close();
	});

	it('settles after the cap when no instant query goes out (Prometheus down or slow)', async () => {
		await expect(instantQueryWritten(0)).resolves.toBeUndefined();
	});
});
