import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {afterEach, describe, expect, it} from 'vitest';
import {createConnectClient} from '../../source/clients/connect/client.js';
import {isKctopError} from '../../source/clients/errors.js';
import {mayHaveLanded} from '../../source/store/action-runner.js';
import {getFreePort} from '../helpers/free-port.js';

/**
 * A write goes to the next worker only when it cannot have reached the first: a refused
 * connection. A connection dropped after the request went out may have been applied, so
 * the same write is never sent to a second worker.
 */

const servers: Server[] = [];
afterEach(async () => {
	for (const server of servers.splice(0)) {
		server.closeAllConnections();
		await new Promise(resolve => server.close(resolve));
	}
});

async function worker(answer: 'reset' | 'ok', seen: string[]): Promise<string> {
	const server = createServer((request, response) => {
		seen.push(`${request.method ?? '?'} ${request.url ?? '?'}`);
		if (answer === 'reset') {
			request.socket.destroy();
			return;
		}
		response.writeHead(204).end();
	});
	servers.push(server);
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('writes and fail-over', () => {
	it('a write whose connection is reset after it was sent is not sent to the next worker', async () => {
		const first: string[] = [];
		const second: string[] = [];
		const client = createConnectClient({urls: [await worker('reset', first), await worker('ok', second)], timeoutMs: 5000});
		const error: unknown = await client.restartTask('jdbc-sink', 0).catch((caught: unknown) => caught);
		await client.close();
		expect(isKctopError(error) && error.kind).toBe('connection');
		expect(mayHaveLanded(error)).toBe(true);
		expect(first).toEqual(['POST /connectors/jdbc-sink/tasks/0/restart']);
		expect(second).toEqual([]);
	});

	it('a write refused by the first worker goes to the next one, once', async () => {
		const second: string[] = [];
		const client = createConnectClient({urls: [`http://127.0.0.1:${await getFreePort()}`, await worker('ok', second)], timeoutMs: 5000});
		const result = await client.restartTask('jdbc-sink', 0);
		await client.close();
		expect(result.status).toBe(204);
		expect(second).toEqual(['POST /connectors/jdbc-sink/tasks/0/restart']);
	});

	it('reads still fail over after a reset', async () => {
		const first: string[] = [];
		const second: string[] = [];
		const client = createConnectClient({urls: [await worker('reset', first), await worker('ok', second)], timeoutMs: 5000});
		await client.serverInfo().catch(() => undefined);
		await client.close();
		expect(first).toEqual(['GET /']);
		expect(second).toEqual(['GET /']);
	});
});
