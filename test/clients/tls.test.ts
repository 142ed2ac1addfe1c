import {execFileSync} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {createServer, type Server} from 'node:https';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {z} from 'zod';
import {createHttp} from '../../source/clients/http.js';
import {caught} from '../helpers/caught.js';

/** A real HTTPS endpoint on loopback with a self-signed certificate made by openssl for this run. */
let dir: string;
let server: Server;
let url: string;

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'kctop-tls-'));
	execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], {stdio: 'ignore'});
	server = createServer({key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem'))}, (_request, response) => {
		response.writeHead(200, {'content-type': 'application/json'});
		response.end('{"version":"3.9.0"}');
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	url = `https://127.0.0.1:${z.object({port: z.number()}).parse(server.address()).port}/`;
});

afterAll(async () => {
	server.closeAllConnections();
	await new Promise(resolve => server.close(resolve));
	rmSync(dir, {recursive: true, force: true});
});

describe('TLS', () => {
	it('verifies certificates by default: a self-signed one is refused with advice', async () => {
		const http = createHttp({source: 'connect', timeoutMs: 5000});
		const error = await caught(http.request(url));
		expect(error.kind).toBe('connection');
		expect(error.message).toMatch(/^TLS: self-signed certificate \(use --ca-file or --insecure\)/);
		await http.close();
	});

	it('accepts it with its CA file, or with verification turned off', async () => {
		for (const options of [{caFile: join(dir, 'cert.pem')}, {insecure: true}]) {
			const http = createHttp({source: 'connect', timeoutMs: 5000, ...options});
			expect((await http.request(url)).text).toBe('{"version":"3.9.0"}');
			await http.close();
		}
	});
});
