import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {z} from 'zod';
import {startPty, type PtySession} from '../helpers/pty.js';
import {cli, node, root, runCli, startStack, type Stack} from './stack.js';

// The live view against a Prometheus slower than --timeout (StoreOptions.metricsWait), in a
// pseudo-terminal against the simulator and a real Prometheus behind the simulator's fault
// proxy. Nothing waits for the clock: each step waits for what the screen or the proxy's
// request count says, and the slow fault holds answers far longer than any step takes.
// `--once` against the same stack: answers 3 s late, against --timeout 1s and --query-timeout
// 60s (taken) or 1s (given up); no margin there depends on the machine's speed either.

const columns = 100;
const rows = 30;
let stack: Stack;
let kctop: PtySession | undefined;

const headerOf = (screen: string): string => screen.split('\n').slice(0, 5).join('\n');

beforeAll(async () => {
	stack = await startStack({prometheusProxy: true, args: ['--scenario', 'steady']});
}, 90_000);

afterAll(async () => {
	kctop?.kill();
	await stack?.stop();
});

describe('a Prometheus slower than --timeout', () => {
	it('draws REST without it, takes its answer when it comes, sends no second query beside one that is out, and quits while one is out', async () => {
		// Every Prometheus answer 4 s late: the start-up queries too.
		await stack.faults({set: ['prometheus:slow=4000']});
		kctop = startPty(node, [cli, '--connect', stack.demo.restUrls.join(','), '--prometheus', stack.prometheusUrl, '--interval', '500ms', '--timeout', '1s', '--query-timeout', '10m'], {
			columns,
			rows,
			env: {NODE_ENV: 'production', NO_COLOR: '1', XDG_STATE_HOME: mkdtempSync(join(tmpdir(), 'kctop-slow-prometheus-'))},
			cwd: root,
		});
		const session = kctop;

		// REST's rows are on screen before Prometheus has answered once.
		const before = await session.waitFor(screen => /Prometheus waiting \d+s/.test(headerOf(screen)) && /cdc-test-connector/.test(screen), 30_000);
		expect(headerOf(before)).toMatch(/REST ok/);
		expect(headerOf(before)).toMatch(/no answer within 1s/);
		expect(before).not.toMatch(/metrics unavailable/);

		// Its answer is taken when it comes.
		await session.waitFor(screen => /Prometheus (ok|slow \d+s)/.test(headerOf(screen)), 30_000);

		// Now answers that would take 10 minutes: one instant query goes out and stays out.
		await stack.faults({set: ['prometheus:slow=600000']});
		// Out for 6 s or more: a query sent after the change (one sent before it answers at 4 s).
		const pending = await session.waitFor(screen => /Prometheus slow ([6-9]|[1-9]\d)s/.test(headerOf(screen)), 30_000);
		expect(headerOf(pending)).toMatch(/last good values shown/);
		const sent = (await stack.requestCounts()).prometheus;
		// Refreshes go on (REST is asked again at least three times), and none sends a second query.
		const restAt = (await stack.requestCounts()).lists;
		for (;;) {
			const counts = await stack.requestCounts();
			expect(counts.prometheus).toBe(sent);
			if (counts.lists - restAt >= 3) break;
			await session.waitFor(() => true);
		}
		expect(headerOf(await session.waitFor(() => true))).toMatch(/REST ok/);

		// q with the query out: kctop aborts it and exits (without that it would wait on it for minutes).
		session.write('q');
		const {exitCode} = await session.exited;
		expect(exitCode).toBe(0);
		expect(session.raw()).not.toMatch(/\n\s+at [^\n]+:\d+:\d+|Unhandled|TypeError|ReferenceError/);
	}, 120_000);

	it('--once waits for an answer slower than --timeout, up to --query-timeout', async () => {
		// Every answer 3 s late, against --timeout 1s: only --query-timeout lets --once take it.
		await stack.faults({set: ['prometheus:slow=3000']});
		const onceJson = z.object({metrics: z.object({everSucceeded: z.boolean()}), connectors: z.array(z.object({name: z.string(), history: z.object({lag: z.array(z.number().nullable())})}))});
		const args = ['--once', '-o', 'json', '--connect', stack.demo.restUrls.join(','), '--prometheus', stack.prometheusUrl, '--timeout', '1s'];

		const waited = await runCli([...args, '--query-timeout', '60s']);
		expect(waited.stderr).toBe('');
		expect(waited.code).toBe(0);
		const snapshot = onceJson.parse(JSON.parse(waited.stdout));
		expect(snapshot.metrics.everSucceeded).toBe(true);
		// The start-up range query was waited for too: the sink's lag has its past.
		const sink = snapshot.connectors.find(row => row.name === 'jdbc-sink-orders');
		expect(sink?.history.lag.filter(value => value !== null).length).toBeGreaterThan(1);

		// The same with --query-timeout no longer than --timeout: it gives up, and says so.
		const gaveUp = await runCli([...args, '--query-timeout', '1s']);
		expect(gaveUp.code).toBe(0);
		expect(gaveUp.stderr).toMatch(/^kctop: Prometheus unavailable: /);
		expect(onceJson.parse(JSON.parse(gaveUp.stdout)).metrics.everSucceeded).toBe(false);
	}, 60_000);
});
