import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {keys, startPty, type PtySession} from '../helpers/pty.js';
import {cli, node, runCli, startStack, type Stack} from './stack.js';

/**
 * kctop as a person uses it: the built binary in a real pseudo-terminal, against the demo
 * simulator's REST API (its own process) and a real Prometheus scraping the simulator's
 * exporter endpoints. The simulator's clock is manual: the tests move it to the incident's
 * moments (database drop at 20 s, task failure at 25 s) and wait for the frames that show them.
 */

let stack: Stack;
let pty: PtySession | undefined;

beforeAll(async () => {
	// 12 s in: snapshots done, streaming, nothing failed yet.
	stack = await startStack({elapsedMs: 12_000});
}, 60_000);

afterAll(async () => {
	pty?.kill();
	await stack?.stop();
});

const sparkGlyphs = /[▁▂▃▄▅▆▇█]/;

describe('kctop in a real terminal against a real Prometheus', () => {
	it('shows the grid, filters, drills into a failed task trace, freezes and quits cleanly', async () => {
		pty = startPty(node, [cli, '--connect', stack.demo.restUrls.join(','), '--prometheus', stack.prometheus.url, '--interval', '1s', '--rate-window', '5s'], {columns: 140, rows: 40});
		const session = pty;

		// The grid with the four connectors of the scenario, and the header.
		let screen = await session.waitFor(text => ['cdc-test-connector', 'cdc-other-connector', 'jdbc-sink-orders', 'file-source-audit'].every(name => text.includes(name)), 30_000);
		expect(session.inAlternateScreen()).toBe(true);
		expect(screen).toMatch(/3\.9\.0/);
		expect(screen).toMatch(/RUNNING/);

		// The incident: the database behind cdc-other drops (20–40 s) and a JDBC sink task fails (25 s on).
		await stack.setElapsed(26_000);
		// REST and Prometheus are read in the same refresh but may catch up a refresh apart: wait for a frame with both.
		screen = await session.waitFor(text => (/jdbc-sink-orders.*FAILED|FAILED.*jdbc-sink-orders/.test(text) || rowOf(text, 'jdbc-sink-orders').includes('1/2')) && /\bNO\b/.test(rowOf(text, 'cdc-other-connector')), 60_000);
		const sinkRow = rowOf(screen, 'jdbc-sink-orders');
		expect(sinkRow).toMatch(/1\/2/);
		// The database behind cdc-other dropped at 20 s and is back at 40 s: Debezium says not connected.
		expect(rowOf(screen, 'cdc-other-connector')).toMatch(/\bNO\b/);
		expect(rowOf(screen, 'cdc-test-connector')).toMatch(/\byes\b/);
		// Record errors landed in the DLQ from 15 s on: the row shows non-zero error and DLQ counts.
		expect(sinkRow).toMatch(/[1-9]/);
		// Sparklines are drawn once history exists.
		screen = await session.waitFor(sparkGlyphs, 20_000);

		// Move, then filter with a regex: only the Debezium connectors remain.
		session.write('j');
		session.write('/');
		session.write('^cdc-');
		session.write(keys.enter);
		screen = await session.waitFor(text => text.includes('cdc-test-connector') && !text.includes('jdbc-sink-orders'));
		expect(screen).toContain('cdc-other-connector');
		// Esc clears the filter.
		session.write(keys.escape);
		await session.waitFor(text => text.includes('jdbc-sink-orders'));
		await pause(150);

		// Open the failed sink: filter to it, Enter, Tasks tab, the failed task, Enter → trace.
		session.write('/');
		session.write('jdbc');
		session.write(keys.enter);
		await session.waitFor(text => text.includes('jdbc-sink-orders') && !text.includes('cdc-test-connector'));
		session.write(keys.enter);
		await session.waitFor(/Overview/);
		session.write('2');
		screen = await session.waitFor(text => /TASK\s+STATE/.test(text) && /^\s*\d+\s+FAILED/m.test(text));
		const failedIndex = taskIndexOfFailed(screen);
		for (let i = 0; i < failedIndex; i++) session.write('j');
		session.write(keys.enter);
		screen = await session.waitFor(/Caused by:/);
		expect(screen).toMatch(/SQLException|ConnectException/);
		session.write(keys.escape);
		await session.waitFor(text => /Tasks/.test(text) && !/Caused by:/.test(text));
		session.write(keys.escape);
		await session.waitFor(text => text.includes('jdbc-sink-orders') && !/Overview/.test(text));
		session.write(keys.escape);
		// A terminal cannot tell Esc followed at once by a key from Alt+key: wait as a person would.
		await session.waitFor(text => text.includes('cdc-test-connector'));

		// Freeze: the display stops, the header says so; f again resumes.
		session.write('f');
		await session.waitFor(/FROZEN/i);
		session.write('f');
		await session.waitFor(text => !/FROZEN/i.test(text));

		// Quit: exit code 0 and the terminal is back on the normal screen.
		session.write('q');
		const {exitCode} = await session.exited;
		expect(exitCode).toBe(0);
		expect(session.inAlternateScreen()).toBe(false);
		expect(session.raw()).toContain('\u001B[?1049l');
	}, 150_000);

	it('prints one snapshot as a table and as JSON with --once, and gives a verdict with check', async () => {
		await stack.setElapsed(26_000);
		const args = ['--connect', stack.demo.restUrls.join(','), '--prometheus', stack.prometheus.url, '--rate-window', '5s'];
		const table = await runCli([...args, '--once']);
		expect(table.code).toBe(0);
		expect(table.stdout).toContain('cdc-test-connector');
		expect(table.stdout).toContain('jdbc-sink-orders');
		expect(table.stdout).toMatch(/connect-1:8083/);

		const json = await runCli([...args, '-o', 'json']);
		expect(json.code).toBe(0);
		const parsed: unknown = JSON.parse(json.stdout);
		expect(parsed).toMatchObject({cluster: {version: '3.9.0'}, totals: {connectors: 4}});
		const text = JSON.stringify(parsed);
		expect(text).toContain('"server":"cdc-test"');

		// Direct scrape: two scrapes a second apart, so events/s exist in one-shot output too.
		const scraped = await runCli(['--connect', stack.demo.restUrls.join(','), '--scrape', stack.demo.metricsUrls.join(','), '-o', 'json']);
		expect(scraped.code).toBe(0);
		const scrapedSnapshot: unknown = JSON.parse(scraped.stdout);
		expect(scrapedSnapshot).toMatchObject({metrics: {source: 'scrape', everSucceeded: true}, missingMetrics: []});
		expect(JSON.stringify(scrapedSnapshot)).toMatch(/"name":"cdc-test-connector".*?"recordRate":\d/);

		const check = await runCli(['check', ...args]);
		// 26 s in: a failed task (CRITICAL). The exit code must match the verdict printed, and
		// every finding must name a connector or worker.
		const verdict = /^(OK|WARNING|CRITICAL): (?:.+ · )?4 connectors, \d+ tasks, \d\/\d workers up \| connectors=4 /.exec(check.stdout.split('\n')[0] ?? '');
		expect(verdict?.[1], check.stdout).toBe('CRITICAL');
		expect(verdict, check.stdout).not.toBeNull();
		expect(check.code).toBe(verdict?.[1] === 'OK' ? 0 : verdict?.[1] === 'WARNING' ? 1 : 2);
		for (const finding of check.stdout.trimEnd().split('\n').slice(1)) expect(finding).toMatch(/^(?:(WARNING|CRITICAL) (worker \S+|[\w/-]+): .+|  hint: .+)$/);
	}, 60_000);

	it('runs the embedded demo (`npm run demo`) with its DEMO marker, and quits with ctrl-c', async () => {
		const demo = startPty(node, [cli, '--demo'], {columns: 100, rows: 30});
		try {
			const screen = await demo.waitFor(text => text.includes('DEMO') && text.includes('cdc-test-connector'), 30_000);
			expect(screen).toContain('jdbc-sink-orders');
			demo.write(keys.ctrlC);
			expect((await demo.exited).exitCode).toBe(0);
			expect(demo.inAlternateScreen()).toBe(false);
		} finally {
			demo.kill();
		}
	}, 60_000);

	it('says what to start and exits non-zero when nothing answers', async () => {
		const result = await runCli(['--once', '--connect', 'http://127.0.0.1:9', '--prometheus', 'none', '--timeout', '1s']);
		expect(result.code).toBe(1);
		expect(result.stderr).toMatch(/Kafka Connect did not answer: .*127\.0\.0\.1:9/);
		expect(result.stderr).toMatch(/docker compose up -d/);
		expect(result.stderr).toMatch(/npm run demo/);
	}, 30_000);
});

function pause(ms: number): Promise<void> {
	return new Promise(resolve => setTimeout(resolve, ms));
}

function rowOf(screen: string, name: string): string {
	return screen.split('\n').find(line => line.includes(name)) ?? '';
}

/** Position of the first FAILED task among the task rows of the Tasks tab. */
function taskIndexOfFailed(screen: string): number {
	const rows = screen.split('\n').filter(line => /^\s*[>▶›*]?\s*\d+\s+[A-Z]+/.test(line) && /(RUNNING|FAILED|UNASSIGNED|PAUSED|RESTARTING)/.test(line));
	const index = rows.findIndex(line => line.includes('FAILED'));
	return Math.max(0, index);
}
