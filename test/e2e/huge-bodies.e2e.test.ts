import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {z} from 'zod';
import type {DemoProcess} from '../../source/bench/demo-process.js';
import {keys, startPty, type PtySession} from '../helpers/pty.js';
import {cli, node, requestCounts, requireBuild, root, runCli, startDemoServer} from './stack.js';

/**
 * Huge bodies (issue #8): the simulator lists 10,000 connectors (`--scale 10000`, a 10 MB
 * `GET /connectors?expand=status&expand=info` answer) to kctop in a real pseudo-terminal at
 * 80 columns. kctop must draw the header right, answer keys (`j`, a `/` filter, Enter) within
 * two refreshes of the key (counted by the list requests the simulator saw, never by time),
 * never crash, and refuse a body over `--max-body` with a clear one-line error.
 */

const columns = 80;
const rows = 30;
const scale = 10_000;
const stackTrace = /\n\s+at [^\n]+:\d+:\d+|Unhandled|TypeError|ReferenceError|RangeError/;

let demo: DemoProcess;
let urls: string;
let kctop: PtySession | undefined;

const headerOf = (screen: string): string => screen.split('\n').slice(0, 4).join('\n');

/** Sends a key and waits for the screen to answer it; returns how many refreshes (list requests) that took. */
async function answered(session: PtySession, key: string, predicate: (screen: string) => boolean, what: string): Promise<{refreshes: number; screen: string}> {
	const before = (await requestCounts(demo.info)).lists;
	session.write(key);
	const screen = await session.waitFor(predicate, 120_000).catch((error: unknown) => {
		throw new Error(`${what}: ${error instanceof Error ? error.message : String(error)}`);
	});
	return {refreshes: (await requestCounts(demo.info)).lists - before, screen};
}

describe(`${scale.toLocaleString('en')} connectors in one REST answer`, () => {
	beforeAll(async () => {
		requireBuild();
		demo = await startDemoServer(['--seed', '1', '--scale', String(scale), '--clock', 'manual', '--control-port', '0']);
		urls = demo.info.restUrls.join(',');
	}, 120_000);

	afterAll(async () => {
		kctop?.kill();
		await demo?.stop();
	});

	it('draws the header right and answers j, a / filter and Enter within two refreshes each', async () => {
		const names = z.array(z.string()).parse(await (await fetch(`${demo.info.restUrls[0] ?? ''}/connectors`)).json());
		expect(names).toHaveLength(scale);
		const bodyBytes = (await (await fetch(`${demo.info.restUrls[0] ?? ''}/connectors?expand=status&expand=info`)).arrayBuffer()).byteLength;
		const target = names[Math.floor(scale / 2)] ?? '';
		const listsBefore = (await requestCounts(demo.info)).lists;
		const session = startPty(node, [cli, '--connect', urls, '--prometheus', 'none', '--interval', '1s', '--timeout', '30s'], {
			columns,
			rows,
			env: {NODE_ENV: 'production', NO_COLOR: '1', XDG_STATE_HOME: mkdtempSync(join(tmpdir(), 'kctop-huge-'))},
			cwd: root,
		});
		kctop = session;
		const first = await session.waitFor(screen => /connectors 10000/.test(screen) && /row 1\/10000/.test(screen), 180_000);
		// Refreshes until the first frame: the first list answer draws it (a slow one may let a second start).
		const firstFrameRefreshes = (await requestCounts(demo.info)).lists - listsBefore;
		expect(firstFrameRefreshes).toBeLessThanOrEqual(2);
		const header = headerOf(first);
		for (const line of header.split('\n')) expect(line.length).toBeLessThanOrEqual(columns);
		expect(header).toMatch(/workers 3\/3|workers \d\/3/);
		expect(header).toMatch(/REST ok/);
		expect(header).not.toMatch(/stale|unavailable/);

		const down = await answered(session, 'j', screen => /row 2\/10000/.test(screen), 'j');
		expect(down.refreshes).toBeLessThanOrEqual(2);

		const filterOpened = await answered(session, '/', screen => screen.split('\n').some(line => line.startsWith('/')), '/');
		expect(filterOpened.refreshes).toBeLessThanOrEqual(2);
		const filtered = await answered(session, `^${target}$${keys.enter}`, screen => /row 1\/1\b/.test(screen) && screen.includes(target), 'the filter');
		expect(filtered.refreshes).toBeLessThanOrEqual(2);

		const opened = await answered(session, keys.enter, screen => screen.includes('Overview') && screen.split('\n').slice(0, 6).some(line => line.includes(target)), 'Enter');
		expect(opened.refreshes).toBeLessThanOrEqual(2);

		session.write('q');
		await session.waitFor(screen => /row 1\/1\b/.test(screen), 60_000);
		session.write('q');
		const {exitCode} = await session.exited;
		expect(exitCode).toBe(0);
		expect(session.raw()).not.toMatch(stackTrace);
		mkdirSync(`${root}.bench-out`, {recursive: true});
		writeFileSync(`${root}.bench-out/huge-bodies.json`, `${JSON.stringify({connectors: scale, bodyBytes, columns, firstFrameRefreshes, keyRefreshes: {j: down.refreshes, slash: filterOpened.refreshes, filter: filtered.refreshes, enter: opened.refreshes}}, null, 2)}\n`);
	}, 400_000);

	it('a body over --max-body: --once exits 1 with one clear line; the live view names the cap in its header', async () => {
		const once = await runCli(['--once', '--connect', urls, '--prometheus', 'none', '--max-body', '1MB']);
		expect(once.code).toBe(1);
		expect(once.stderr).toMatch(/response larger than 1 MB \(GET http:\/\/127\.0\.0\.1:\d+\/connectors\): raise --max-body if this is expected/);
		expect(once.stderr).not.toMatch(stackTrace);

		const capped = startPty(node, [cli, '--connect', urls, '--prometheus', 'none', '--interval', '1s', '--max-body', '1MB'], {columns, rows, env: {NODE_ENV: 'production', NO_COLOR: '1', XDG_STATE_HOME: mkdtempSync(join(tmpdir(), 'kctop-huge-'))}, cwd: root});
		try {
			const screen = await capped.waitFor(text => /⚠ REST unavailable: response larger than 1 MB/.test(headerOf(text)), 60_000);
			for (const line of headerOf(screen).split('\n')) expect(line.length).toBeLessThanOrEqual(columns);
			capped.write('q');
			expect((await capped.exited).exitCode).toBe(0);
			expect(capped.raw()).not.toMatch(stackTrace);
		} finally {
			capped.kill();
		}
	}, 120_000);
});
