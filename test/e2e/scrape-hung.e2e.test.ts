import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {DemoProcess} from '../../source/bench/demo-process.js';
import {startPty, type PtySession} from '../helpers/pty.js';
import {cli, node, requestCounts, root, setFaults, startDemoServer} from './stack.js';

// Scrape mode in the live view: an exporter body has --query-timeout in all while it keeps
// arriving, but an exporter that sends nothing fails after --timeout (http.ts idleTimeoutMs).
// A hung worker here must show as down within the test, although --query-timeout is 10
// minutes: with only that limit its scrape would stay out and the workers line never change.

const headerOf = (screen: string): string => screen.split('\n').slice(0, 5).join('\n');
let demo: DemoProcess;
let kctop: PtySession | undefined;

beforeAll(async () => {
	demo = await startDemoServer(['--seed', '1', '--clock', 'manual', '--control-port', '0', '--scenario', 'steady']);
}, 60_000);

afterAll(async () => {
	kctop?.kill();
	await demo?.stop();
});

describe('scrape mode with a hung worker', () => {
	it('reports the silent exporter after --timeout, keeps the others and REST current, and recovers', async () => {
		const workerMap = demo.info.workers.map(worker => `${new URL(worker.metricsUrl).host}=${worker.id}`).join(',');
		kctop = startPty(node, [cli, '--connect', demo.info.restUrls.join(','), '--scrape', demo.info.metricsUrls.join(','), '--worker-map', workerMap, '--interval', '500ms', '--timeout', '1s', '--query-timeout', '10m'], {
			columns: 100,
			rows: 30,
			env: {NODE_ENV: 'production', NO_COLOR: '1', XDG_STATE_HOME: mkdtempSync(join(tmpdir(), 'kctop-scrape-hung-'))},
			cwd: root,
		});
		const session = kctop;
		await session.waitFor(screen => /workers 3\/3/.test(headerOf(screen)) && /scrape ok/.test(headerOf(screen)) && /cdc-test-connector/.test(screen), 30_000);

		await setFaults(demo.info, {set: ['worker@3:hung']});
		const down = await session.waitFor(screen => /connect-3:8083 down/.test(headerOf(screen)), 30_000);
		expect(headerOf(down)).toMatch(/workers 2\/3/);
		// The other exporters are still read, and REST still answers (worker 3 is skipped by the fail-over).
		const before = await requestCounts(demo.info);
		await session.waitFor(() => true);
		for (;;) {
			const now = await requestCounts(demo.info);
			if (now.scrapes - before.scrapes >= 4 && now.lists - before.lists >= 2) break;
			await session.waitFor(() => true);
		}
		expect(headerOf(await session.waitFor(() => true))).toMatch(/REST ok/);

		await setFaults(demo.info, {clear: 'all'});
		await session.waitFor(screen => /workers 3\/3/.test(headerOf(screen)) && /scrape ok/.test(headerOf(screen)), 30_000);
		session.write('q');
		const {exitCode} = await session.exited;
		expect(exitCode).toBe(0);
		expect(session.raw()).not.toMatch(/\n\s+at [^\n]+:\d+:\d+|Unhandled|TypeError|ReferenceError/);
	}, 120_000);
});
