import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {z} from 'zod';
import {startPty, type PtySession} from '../helpers/pty.js';
import {cli, node, root, runCli, startStack, type RequestCounts, type Stack} from './stack.js';

/**
 * The fault matrix of issue #8: one kctop, in a real pseudo-terminal 80 columns wide, against
 * the simulator (manual clock) and a real Prometheus behind the simulator's fault proxy. Each
 * fault in turn is switched on, seen, and switched off; for each one:
 * - kctop never crashes and never prints a stack trace;
 * - the header names the failing source and why, within 80 columns;
 * - the last good data stays on screen (the connector names), marked stale with its age
 *   where a source stopped answering;
 * - faults kctop must not show (a Connect worker's clock minutes off) leave every screen healthy;
 * - kctop recovers by itself within two refreshes after the fault clears, counted by the
 *   requests the simulator saw (GET /connectors for REST, the proxy's requests for Prometheus);
 * - one action sent during a fault reaches the server once, never twice.
 * Recovery figures go to .bench-out/fault-matrix.json. Nothing waits for a duration: every
 * wait is for a screen or a counter.
 */

const columns = 80;
const rows = 30;
const intervalMs = 500;

interface FaultCase {
	readonly name: string;
	readonly spec: string;
	/** The slot to clear. */
	readonly slot: string;
	/** What the screen says while the fault holds: the failing source and why. */
	readonly during: readonly RegExp[];
	/** Which requests count this fault's refreshes. */
	readonly counter: 'lists' | 'prometheus';
	/** The screen after recovery. */
	readonly recovered: (screen: string) => boolean;
	/** A fault kctop must not show: over this many refreshes after it is switched on, every screen has REST ok with an age under 10 s and all workers up. */
	readonly quiet?: number;
	/** What the connector rows show while the fault holds (anywhere on the screen). */
	readonly rows?: readonly RegExp[];
	/** What the workers view (`:workers`) shows while the fault holds. */
	readonly workersRow?: RegExp;
	/** Send one action (resume, `u` then `y`) while the fault holds, and count the writes. */
	readonly action?: boolean;
}

const restOk = (screen: string): boolean => /REST ok/.test(screen) && !/REST (stale|unavailable)/.test(screen) && !/REBALANCING/.test(screen);
const prometheusOk = (screen: string): boolean => /Prometheus ok/.test(screen) && !/Prometheus stale|metrics unavailable|warning/.test(screen);
const allUp = (screen: string): boolean => /workers 3\/3/.test(screen) && !/\(\d+ \?\)/.test(screen);
const healthy = (screen: string): boolean => restOk(screen) && prometheusOk(screen) && allUp(screen);
const restStale = /REST stale \d+s/;
const prometheusStale = /Prometheus stale \d+s/;

const cases: readonly FaultCase[] = [
	{name: 'worker killed', spec: 'worker@2:killed', slot: 'worker@2', during: [/workers 2\/3/, /connect-2:8083 down (\d+s )?\(exporter not answering\)/], counter: 'prometheus', recovered: healthy},
	{name: 'worker hung', spec: 'worker@3:hung', slot: 'worker@3', during: [/workers 2\/3/, /connect-3:8083 down (\d+s )?\(exporter not answering\)/], counter: 'prometheus', recovered: healthy},
	{name: 'REST 500 with an HTML body', spec: 'rest:html-500', slot: 'rest', during: [restStale, /500/], counter: 'lists', recovered: healthy, action: true},
	{name: '409 storm', spec: 'rest:conflict-409', slot: 'rest', during: [/REBALANCING/], counter: 'lists', recovered: healthy},
	{name: 'request hanging past --timeout', spec: 'rest:hang', slot: 'rest', during: [restStale, /timed out|timeout/i], counter: 'lists', recovered: healthy},
	{name: 'malformed JSON', spec: 'rest:malformed-json', slot: 'rest', during: [restStale, /JSON/], counter: 'lists', recovered: healthy},
	{name: 'truncated JSON', spec: 'rest:truncated-json', slot: 'rest', during: [restStale], counter: 'lists', recovered: healthy},
	{name: '401 with a text body', spec: 'rest:unauthorized-401', slot: 'rest', during: [restStale, /401|auth/i], counter: 'lists', recovered: healthy},
	{name: 'proxy 502', spec: 'rest:proxy-502', slot: 'rest', during: [restStale, /502/], counter: 'lists', recovered: healthy},
	// Every worker's clock 5 minutes off (Date header, offset times): kctop measures ages on its own clock, so nothing shows stale or old.
	{name: 'REST clock 5 min ahead', spec: 'rest:skew=300000', slot: 'rest', during: [/REST ok \ds/], quiet: 3, counter: 'lists', recovered: healthy},
	{name: 'REST clock 5 min behind', spec: 'rest:skew=-300000', slot: 'rest', during: [/REST ok \ds/], quiet: 3, counter: 'lists', recovered: healthy},
	{name: 'Prometheus down', spec: 'prometheus:down', slot: 'prometheus', during: [prometheusStale, /refused|ECONNREFUSED|connect/i], counter: 'prometheus', recovered: healthy},
	{name: 'Prometheus 5xx', spec: 'prometheus:http-500', slot: 'prometheus', during: [prometheusStale, /500/], counter: 'prometheus', recovered: healthy},
	// Past --timeout the screen is drawn without the answer, which stays awaited (up to --query-timeout) and is shown when it comes.
	{name: 'Prometheus slow (past --timeout)', spec: 'prometheus:slow=4000', slot: 'prometheus', during: [/Prometheus slow \d+s/, /no answer within 1s/], counter: 'prometheus', recovered: healthy},
	{name: 'Prometheus warnings', spec: 'prometheus:warnings', slot: 'prometheus', during: [/Prometheus ok/, /1 warning/], counter: 'prometheus', recovered: healthy},
	// Worker 1's series are missing: the header names the source, the worker and since when; the rows it ran keep their last values, marked old.
	{name: 'Prometheus partial data', spec: 'prometheus:partial', slot: 'prometheus', during: [/workers 2\/3 \(1 \?\)/, /⚠ Prometheus partial: connect-1:8083 no samples \d+s — old values marked \?/], rows: [/^cdc-test-connector .* (yes|NO)\? /m, /^jdbc-sink-orders .* \d+ rec\?/m], workersRow: /^connect-1:8083 .* \d+c\/\d+t\? \d+s/m, counter: 'prometheus', recovered: healthy},
	{name: 'scrape target down', spec: 'scrape@3:down', slot: 'scrape@3', during: [/workers 2\/3/, /connect-3:8083 down/], counter: 'prometheus', recovered: healthy},
	{name: 'scrape target garbage', spec: 'scrape@3:garbage', slot: 'scrape@3', during: [/workers 2\/3/], counter: 'prometheus', recovered: healthy},
];

interface Recovery {
	readonly fault: string;
	readonly spec: string;
	/** Refreshes (requests of the fault's counter) from the clearing to the first healthy screen. */
	readonly refreshes: number;
	readonly seconds: number;
	/** Writes the server received for the one action sent during the fault (only for faults with an action). */
	readonly writes?: number;
	/** The header line that named the fault. */
	readonly header: string;
}

let stack: Stack;
let kctop: PtySession;
const recoveries: Recovery[] = [];

/** What the one-shot test reads of `-o json`. */
const onceJson = z.object({
	metrics: z.object({staleSamples: z.object({rows: z.number(), oldestMs: z.number(), limitMs: z.number()}).optional()}),
	connectors: z.array(z.object({name: z.string(), lag: z.number().optional(), staleMetrics: z.object({ageMs: z.number(), lag: z.number().optional()}).optional()})),
});

/** The header: the lines above the connectors grid (at most four). */
const headerOf = (screen: string): string => {
	const lines = screen.split('\n');
	const end = lines.findIndex(line => line.startsWith('Connectors'));
	return lines.slice(0, end === -1 ? 4 : Math.min(end, 4)).join('\n');
};

const stackTrace = /\n\s+at [^\n]+:\d+:\d+|Unhandled|TypeError|ReferenceError/;


afterAll(() => {
	if (recoveries.length > 0) {
		mkdirSync(`${root}.bench-out`, {recursive: true});
		writeFileSync(`${root}.bench-out/fault-matrix.json`, `${JSON.stringify({intervalMs, columns, recoveries}, null, 2)}\n`);
	}
});

/** Waits for the screen and reads the counter in the same turn, so the count is the one the screen shows. */
async function waitCounting(on: {readonly stack: Stack; readonly session: PtySession}, predicate: (screen: string) => boolean, counter: keyof RequestCounts, what: string): Promise<{screen: string; count: number}> {
	const deadline = Date.now() + 60_000;
	for (;;) {
		const count = (await on.stack.requestCounts())[counter];
		const screen = await on.session.waitFor(() => true);
		if (predicate(screen)) return {screen, count};
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; the screen was:\n${screen}`);
		await on.session.waitFor(() => true);
	}
}

describe('the fault matrix (one kctop at 80 columns, each fault on and off)', () => {
	beforeAll(async () => {
		stack = await startStack({prometheusProxy: true, args: ['--scenario', 'steady']});
		kctop = startPty(node, [cli, '--connect', stack.demo.restUrls.join(','), '--prometheus', stack.prometheusUrl, '--interval', `${intervalMs}ms`, '--timeout', '1s'], {
			columns,
			rows,
			env: {NODE_ENV: 'production', NO_COLOR: '1', XDG_STATE_HOME: mkdtempSync(join(tmpdir(), 'kctop-fault-matrix-'))},
			cwd: root,
		});
		await kctop.waitFor(screen => healthy(screen) && /cdc-test-connector/.test(screen), 30_000);
	}, 90_000);

	afterAll(async () => {
		kctop?.kill();
		await stack?.stop();
	});

	for (const fault of cases) {
		it(`${fault.name} (${fault.spec})`, async () => {
			const setAt = (await stack.requestCounts())[fault.counter];
			await stack.faults({set: [fault.spec]});
			if (fault.quiet !== undefined) {
				// The fault is in force (a worker's Date header is off), and no screen over the next refreshes shows it.
				const date = Date.parse((await fetch(`${stack.demo.restUrls[0] ?? ''}/`)).headers.get('date') ?? '');
				expect(Math.abs(date - Date.now())).toBeGreaterThan(290_000);
				for (;;) {
					const count = (await stack.requestCounts())[fault.counter];
					const screen = await kctop.waitFor(() => true);
					// What a skewed REST clock could spoil: REST's age and state, and the workers REST vouches for (Prometheus may time out on a loaded machine: not this fault's).
					expect(restOk(screen) && /REST ok \ds/.test(headerOf(screen)) && /workers 3\/3/.test(headerOf(screen)), screen).toBe(true);
					expect(headerOf(screen)).not.toMatch(/REST stale|REST unavailable|-\d/);
					if (count - setAt > fault.quiet) break;
					await kctop.waitFor(() => true);
				}
			}
			// The header itself (not the footer or a dialog) names the failing source and why.
			const during = await kctop.waitFor(screen => fault.during.every(pattern => pattern.test(headerOf(screen))) && (fault.rows ?? []).every(pattern => pattern.test(screen)), 30_000);
			const header = headerOf(during);
			for (const line of header.split('\n')) expect(line.length).toBeLessThanOrEqual(columns);
			const headerLine = header.split('\n').find(line => line.startsWith('⚠')) ?? header.split('\n').find(line => fault.during.some(pattern => pattern.test(line))) ?? '';
			// The last good data stays on screen.
			expect(during).toMatch(/cdc-test-connector/);
			expect(during).toMatch(/jdbc-sink-orders/);

			if (fault.workersRow !== undefined) {
				const pattern = fault.workersRow;
				kctop.write(':workers\r');
				await kctop.waitFor(screen => /^Workers/m.test(screen) && pattern.test(screen), 30_000);
				kctop.write(':connectors\r');
				await kctop.waitFor(screen => /^Connectors/m.test(screen));
			}

			let writes: number | undefined;
			const before = (await stack.requestCounts()).writes;
			if (fault.action === true) {
				kctop.write('u');
				// The dialog shows its keys once it is armed: waiting for them waits for the dialog, not for a time.
				await kctop.waitFor(screen => screen.includes('Confirm: resume') && screen.includes('n cancel') && !screen.includes('waiting for the keyboard'));
				kctop.write('y');
				await kctop.waitFor(screen => !screen.includes('Confirm:') && /resume.*(500|not sent|failed)/i.test(screen));
				writes = (await stack.requestCounts()).writes - before;
				expect(writes).toBe(1);
			}

			const cleared = (await stack.requestCounts())[fault.counter];
			const clearedAt = Date.now();
			await stack.faults({clear: [fault.slot]});
			const back = await waitCounting({stack, session: kctop}, fault.recovered, fault.counter, `recovery from ${fault.spec}`);
			const refreshes = back.count - cleared;
			recoveries.push({fault: fault.name, spec: fault.spec, refreshes, seconds: (Date.now() - clearedAt) / 1000, ...(writes === undefined ? {} : {writes}), header: headerLine.trim()});
			expect(refreshes).toBeLessThanOrEqual(2);
			// Never sent twice: no retry of the action after the fault cleared, and no write without one.
			expect((await stack.requestCounts()).writes - before).toBe(writes ?? 0);
			expect(kctop.raw()).not.toMatch(stackTrace);
		}, 90_000);
	}

	it('is still running, and quits cleanly', async () => {
		kctop.write('q');
		const {exitCode} = await kctop.exited;
		expect(exitCode).toBe(0);
		expect(kctop.raw()).not.toMatch(stackTrace);
	}, 30_000);
});

describe('old samples served as current (a restarted Prometheus): one-shot modes and the live view', () => {
	it('--once -o json flags them stale with their age, and check does not call them OK', async () => {
		const skewed = await startStack({prometheusProxy: true, args: ['--scenario', 'steady', '--fault', 'scrape@2:skew=180000']});
		try {
			const args = ['--connect', skewed.demo.restUrls.join(','), '--prometheus', skewed.prometheusUrl];
			const json = await runCli(['--once', '-o', 'json', ...args]);
			expect(json.code).toBe(0);
			expect(json.stderr).not.toMatch(stackTrace);
			const snapshot = onceJson.parse(JSON.parse(json.stdout));
			// Worker 2's exporter clock is 180 s behind (give or take the scrape and the query): about 3 minutes old.
			const aboutThreeMinutes = (ms: number | undefined): boolean => ms !== undefined && ms > 175_000 && ms < 190_000;
			expect(snapshot.metrics.staleSamples?.limitMs).toBe(2000);
			expect(snapshot.metrics.staleSamples?.oldestMs).toSatisfy(aboutThreeMinutes);
			const sink = snapshot.connectors.find(row => row.name === 'jdbc-sink-orders');
			expect(sink?.lag).toBeUndefined();
			expect(sink?.staleMetrics?.lag).toBe(24);
			expect(sink?.staleMetrics?.ageMs).toSatisfy(aboutThreeMinutes);
			const check = await runCli(['check', ...args]);
			expect(check.code).toBe(1);
			expect(check.stdout).toMatch(/^WARNING: .*connectors? with stale metrics/);
			expect(check.stdout).toMatch(/jdbc-sink-orders: lag unknown: the newest samples are 1[78]\ds old/);

			// The live view at 80 columns: old cells marked, the header says how old; fresh samples clear it by themselves.
			const live = startPty(node, [cli, ...args, '--interval', `${intervalMs}ms`, '--timeout', '1s'], {columns, rows, env: {NODE_ENV: 'production', NO_COLOR: '1', XDG_STATE_HOME: mkdtempSync(join(tmpdir(), 'kctop-fault-matrix-'))}, cwd: root});
			try {
				const during = await live.waitFor(screen => /Prometheus stale (2m5\ds|3m)/.test(screen) && /24 rec\?/.test(screen) && /\b(yes|NO)\?/.test(screen), 30_000);
				expect(headerOf(during)).toMatch(/⚠ Prometheus stale (2m5\ds|3m\d*s?): \d+ series not scraped/);
				const cleared = (await skewed.requestCounts()).prometheus;
				const clearedAt = Date.now();
				await skewed.faults({clear: ['scrape@2']});
				const fresh = (screen: string): boolean => /Prometheus ok/.test(screen) && !/\?/.test(screen.split('\n').find(line => line.startsWith('jdbc-sink-orders')) ?? '?');
				const back = await waitCounting({stack: skewed, session: live}, fresh, 'prometheus', 'fresh samples after the skew cleared');
				expect(back.screen).not.toMatch(/Prometheus stale/);
				// Prometheus has to scrape the fresh samples first (every 1 s, kctop asks every 0.5 s): up to three refreshes.
				expect(back.count - cleared).toBeLessThanOrEqual(3);
				recoveries.push({fault: 'old samples (exporter clock 180 s behind, as a restarted Prometheus serves)', spec: 'scrape@2:skew=180000', refreshes: back.count - cleared, seconds: (Date.now() - clearedAt) / 1000, header: headerOf(during).split('\n').find(line => line.startsWith('⚠')) ?? ''});
				expect(live.raw()).not.toMatch(stackTrace);
			} finally {
				live.kill();
			}
		} finally {
			await skewed.stop();
		}
	}, 90_000);
});
