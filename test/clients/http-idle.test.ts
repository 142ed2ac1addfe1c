import {spawn, type ChildProcess} from 'node:child_process';
import {existsSync, mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {createHttp} from '../../source/clients/http.js';
import {caught} from '../helpers/caught.js';

// HttpOptions.idleTimeoutMs against a real server in a child process (so that it goes on
// sending while this process's main thread is busy). Paths:
//   /hang                nothing at all;
//   /stall               the head and one piece, then nothing;
//   /drip?id=X           one piece now, the next one each time /next?id=X is asked, the end on /end?id=X;
//   /marked?file=F       one piece, a second one 20 ms later, then writes F, then a third piece and the end.
const serverCode = `
const http = require('node:http');
const fs = require('node:fs');
const drips = new Map();
const server = http.createServer((req, res) => {
	const url = new URL(req.url, 'http://x');
	const id = url.searchParams.get('id');
	if (url.pathname === '/hang') return;
	res.writeHead(200, {'content-type': 'text/plain'});
	if (url.pathname === '/stall') { res.write('first\\n'); return; }
	if (url.pathname === '/drip') { drips.set(id, res); res.write('piece 0\\n'); return; }
	if (url.pathname === '/next') { drips.get(id).write('piece\\n'); res.end('ok'); return; }
	if (url.pathname === '/end') { drips.get(id).end('last\\n'); res.end('ok'); return; }
	if (url.pathname === '/marked') {
		res.write('one\\n');
		setTimeout(() => { res.write('two\\n'); setTimeout(() => { fs.writeFileSync(url.searchParams.get('file'), 'sent'); res.end('three\\n'); }, 20); }, 20);
		return;
	}
	res.end('?');
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
`;

let child: ChildProcess;
let base = '';

beforeAll(async () => {
	child = spawn(process.execPath, ['-e', serverCode], {stdio: ['ignore', 'pipe', 'inherit']});
	base = await new Promise<string>((resolve, reject) => {
		child.stdout?.once('data', (data: Buffer) => resolve(`http://127.0.0.1:${data.toString().trim()}`));
		child.once('exit', code => reject(new Error(`server exited ${String(code)}`)));
	});
});

afterAll(() => {
	child?.kill();
});

const sleep = async (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms));

describe('idleTimeoutMs: a server that stops sending fails fast, one that keeps sending has the whole timeout', () => {
	it('no answer at all: fails after the idle time, long before timeoutMs', async () => {
		const http = createHttp({source: 'scrape', timeoutMs: 600_000, idleTimeoutMs: 300});
		const error = await caught(http.request(`${base}/hang`));
		expect(error.kind).toBe('timeout');
		expect(error.message).toBe(`nothing received for 300 ms (GET ${base}/hang)`);
		await http.close();
	});

	it('a head and a piece, then nothing: fails the same way while the body is read', async () => {
		const http = createHttp({source: 'scrape', timeoutMs: 600_000, idleTimeoutMs: 300});
		const pieces: string[] = [];
		const error = await caught(http.request(`${base}/stall`, {onBody: () => chunk => pieces.push(Buffer.from(chunk).toString())}));
		expect(error.message).toBe(`nothing received for 300 ms (GET ${base}/stall)`);
		expect(pieces).toEqual(['first\n']);
		await http.close();
	});

	it('a body that keeps coming is read whole, however much longer than the idle time it takes', async () => {
		const http = createHttp({source: 'scrape', timeoutMs: 600_000, idleTimeoutMs: 3000});
		const answer = http.request(`${base}/drip?id=a`);
		// Four gaps of 1 s: the body takes longer than the idle time, no gap comes near it.
		for (let index = 0; index < 4; index++) {
			await sleep(1000);
			await fetch(`${base}/next?id=a`);
		}
		await fetch(`${base}/end?id=a`);
		const response = await answer;
		expect(response.text).toBe('piece 0\npiece\npiece\npiece\npiece\nlast\n');
		await http.close();
	}, 30_000);

	it('a main thread busy for longer than the idle time is not taken for a silent server: what came meanwhile is read first', async () => {
		const http = createHttp({source: 'scrape', timeoutMs: 600_000, idleTimeoutMs: 300});
		const marker = join(mkdtempSync(join(tmpdir(), 'kctop-idle-')), 'sent');
		const pieces: string[] = [];
		const response = await http.request(`${base}/marked?file=${encodeURIComponent(marker)}`, {
			onBody: () => chunk => {
				pieces.push(Buffer.from(chunk).toString());
				if (pieces.length > 1) return;
				// Busy, as a large parse is, until the server has sent the rest and for longer than the idle time.
				const from = performance.now();
				while (!existsSync(marker) || performance.now() - from < 600) {
					// spin
				}
			},
		});
		expect(response.status).toBe(200);
		expect(pieces.join('')).toBe('one\ntwo\nthree\n');
		await http.close();
	});

	it('without idleTimeoutMs, timeoutMs alone applies (as before)', async () => {
		const http = createHttp({source: 'scrape', timeoutMs: 300});
		const error = await caught(http.request(`${base}/hang`));
		expect(error.message).toBe(`timed out after 300 ms (GET ${base}/hang)`);
		await http.close();
	});
});
