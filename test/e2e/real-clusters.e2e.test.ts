import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {parse, stringify} from 'yaml';
import {z} from 'zod';
import {startCountingProxy, type CountingProxy} from '../../source/bench/counting-proxy.js';
import {startPty, type PtySession} from '../helpers/pty.js';
import {startPrometheus, type RunningPrometheus} from '../helpers/prometheus.js';
import {cli, node, requireBuild, root, runCli, setElapsed, startDemoServer} from './stack.js';

/**
 * Issue 7's "done when": the cluster kctop was tried on (three Connect 2.4.1 workers on one
 * host, a real Prometheus scraping their exporters without worker_id labels), under the
 * exporter rules people run: the catch-all `pattern: ".*"`, Strimzi's rules (with
 * debezium-examples' rules appended, as a Strimzi metricsConfig holds both in one file) and
 * this repository's. Each must give the same grid in a real terminal: the profile named,
 * `workers 3/3` paired, DBZ connected, lag and rates. Then "restart failed" on that 2.4
 * cluster sends one per-task restart, counted by a recording proxy in front of REST.
 *
 * The simulator runs on a manual clock: the test moves it, and waits for Prometheus to have
 * scraped each move, never for a duration. The rule sets run one after the other (one
 * simulator and one Prometheus each: a shared Prometheus would mix their names).
 */

const rulesDir = `${root}test/fixtures/mbeans/exporter-rules/`;
const workDir = mkdtempSync(join(tmpdir(), 'kctop-real-clusters-'));

/** Strimzi's metrics-config.yml with debezium-examples' rules appended (Strimzi's lowercaseOutputName applies to them). */
function strimziWithDebezium(): string {
	const ruleFile = z.looseObject({rules: z.array(z.unknown())});
	const strimzi = ruleFile.parse(parse(readFileSync(`${rulesDir}strimzi-metrics-config.yml`, 'utf8')));
	const debezium = ruleFile.parse(parse(readFileSync(`${rulesDir}debezium-examples-config.yml`, 'utf8')));
	const file = join(workDir, 'strimzi-with-debezium.yml');
	writeFileSync(file, stringify({...strimzi, rules: [...strimzi.rules, ...debezium.rules]}));
	return file;
}

interface RuleSet {
	readonly profile: 'kctop' | 'catch-all' | 'strimzi';
	/** demo-server --rules (none: this repository's jmx-exporter-config.yml). */
	readonly rules: string | undefined;
	readonly metrics: string;
}

const ruleSets: readonly RuleSet[] = [
	{profile: 'kctop', rules: undefined, metrics: '17/17'},
	{profile: 'catch-all', rules: `${rulesDir}default-catchall.yml`, metrics: '15/17'},
	{profile: 'strimzi', rules: strimziWithDebezium(), metrics: '17/17'},
];

const jsonSchema = z.object({
	profile: z.string(),
	profileMetrics: z.string(),
	profileDetected: z.boolean(),
	cluster: z.object({version: z.string()}),
	totals: z.object({workersUp: z.number(), workersTotal: z.number()}),
	unpairedInstances: z.array(z.string()),
	connectors: z.array(
		z.object({
			name: z.string(),
			lag: z.number().optional(),
			recordRate: z.number().optional(),
			debezium: z.object({connected: z.boolean().optional()}).optional(),
			sink: z.object({verdict: z.enum(['OK', 'WARN', 'STALL', 'STOP'])}).optional(),
		}),
	),
});

/** What the grid says about one connector, in a form that must not depend on the rule set. */
interface GridRow {
	readonly state: string;
	readonly tasks: string;
	readonly dbz: string;
	readonly lag: 'value' | 'none';
	readonly rate: 'value' | 'none';
}

const connectorNames = ['cdc-other-connector', 'cdc-test-connector', 'file-source-audit', 'jdbc-sink-orders'] as const;

/** Reads the connectors grid off the screen, cell by cell, from where the header puts each column. */
function gridRows(screen: readonly string[]): Map<string, GridRow> {
	const header = screen.find(line => /^NAME\b/.test(line) && line.includes('STATE') && line.includes('EV/S'));
	if (header === undefined) throw new Error(`no connectors header on the screen:\n${screen.join('\n')}`);
	const at = (pattern: RegExp): {start: number; end: number} => {
		const match = pattern.exec(header);
		if (match === null) throw new Error(`no ${String(pattern)} in the header: ${header}`);
		return {start: match.index, end: match.index + match[0].length};
	};
	const state = at(/\bSTATE\b/);
	const tasks = at(/\bTASKS\b/);
	const dbz = at(/\bDBZ\b/);
	const lag = at(/\bLAG\b(?! TREND)/);
	const rate = at(/EV\/S/);
	const firstWord = (line: string, start: number): string => /^\S*/.exec(line.slice(start))?.[0] ?? '';
	// Right-aligned cells end where their header ends.
	const lastWord = (line: string, end: number): string => /(\S*)$/.exec(line.slice(0, end))?.[1] ?? '';
	const present = (text: string): 'value' | 'none' => (text === '' || text === '-' || text === '?' ? 'none' : 'value');
	const rows = new Map<string, GridRow>();
	for (const name of connectorNames) {
		const line = screen.find(each => each.startsWith(`${name} `));
		if (line === undefined) continue;
		rows.set(name, {state: firstWord(line, state.start), tasks: lastWord(line, tasks.end), dbz: firstWord(line, dbz.start), lag: present(lastWord(line, lag.end)), rate: present(lastWord(line, rate.end))});
	}
	return rows;
}

interface Run {
	readonly json: z.infer<typeof jsonSchema>;
	readonly header: string;
	readonly rows: Map<string, GridRow>;
	/** The restart calls "restart failed" sent (paths; GETs never reach a /restart path), the confirmation, the outcome line. */
	readonly restart: {readonly writes: readonly string[]; readonly dialog: string; readonly outcome: string};
}

const runs = new Map<RuleSet['profile'], Run>();

/** One rule set: simulator, Prometheus, `-o json`, the TUI grid, then "restart failed" on the FAILED task. */
async function runRuleSet(ruleSet: RuleSet): Promise<Run> {
	const demo = await startDemoServer(['--seed', '1', '--clock', 'manual', '--control-port', '0', '--topology', 'one-host', '--connect-version', '2.4.1', ...(ruleSet.rules === undefined ? [] : ['--rules', ruleSet.rules])]);
	let prometheus: RunningPrometheus | undefined;
	let proxy: CountingProxy | undefined;
	let pty: PtySession | undefined;
	try {
		const info = demo.info;
		const workers = info.workers.length;
		// 200 s into the default scenario: connect-2 has died and come back, and the rebalances left
		// work on all three workers (a worker with none is not in REST, so nothing could pair its
		// exporter); the database is up, no task failed, the next incidents start at 250 s.
		await setElapsed(info, 200_000);
		prometheus = await startPrometheus({scrapeIntervalSeconds: 1, scrapeTargets: [{job: 'kafka-connect', targets: info.workers.map(worker => new URL(worker.metricsUrl).host)}]});
		await prometheus.waitForTargetsUp(workers, 20_000);
		const running = prometheus;
		/** Moves the simulation and waits until Prometheus has scraped every target since. */
		const moveTo = async (elapsedMs: number): Promise<void> => {
			const movedAt = Date.now() / 1000;
			await setElapsed(info, elapsedMs);
			await running.waitForSeries(`count(timestamp(up{job="kafka-connect"}) > ${movedAt.toFixed(3)}) >= ${workers}`, 30_000);
		};
		// Three moves a second apart in simulated time: counters move between scrapes, so rate() has something.
		for (const elapsed of [201_000, 202_000, 203_000]) await moveTo(elapsed);

		const json = jsonSchema.parse(JSON.parse((await runCli(['--connect', info.restUrls.join(','), '--prometheus', running.url, '--interval', '1s', '-o', 'json'])).stdout));

		const first = info.restUrls[0];
		if (first === undefined) throw new Error('no REST URL');
		// Every request kctop sends to REST goes through this proxy, which records it.
		proxy = await startCountingProxy(first, 'rest', () => performance.now());
		const recorded = proxy;
		pty = startPty(node, [cli, '--connect', recorded.url, '--prometheus', running.url, '--interval', '1s'], {columns: 140, rows: 40});
		const session = pty;
		const filled = (text: string): boolean => {
			const rows = gridRows(text.split('\n'));
			return rows.size === connectorNames.length && rows.get('jdbc-sink-orders')?.rate === 'value' && text.includes('workers 3/3');
		};
		const screen = await session.waitFor(text => text.includes(`profile ${ruleSet.profile}`) && /^NAME\b/m.test(text) && filled(text), 30_000);
		const lines = screen.split('\n');
		const header = lines.slice(0, 3).join('\n');
		const rows = gridRows(lines);

		// Task 1 of jdbc-sink-orders fails at 25 s of each cycle (265 s; scenario.ts); the connector itself stays RUNNING.
		await moveTo(266_000);
		await session.waitFor(/^jdbc-sink-orders .* 1\/2 1 FAILED /m, 30_000);
		// Failures first: jdbc-sink-orders is on row 1, where `r` acts.
		session.write('r');
		const dialog = await session.waitFor(text => text.includes('Confirm') && text.includes('n cancel') && !text.includes('waiting for the keyboard'), 15_000);
		session.write('y');
		// The outcome line ("✓ restart failed jdbc-sink-orders: 204 No Content (…)") comes once every call of the plan was answered.
		const outcome = await session.waitFor(/jdbc-sink-orders: (?:\d+ calls: )?\d{3} /, 15_000);
		session.write('q');
		const writes = recorded.requests.map(each => each.path).filter(path => /\/(restart|pause|resume|stop)\b/.test(path));
		return {json, header, rows, restart: {writes, dialog, outcome}};
	} finally {
		pty?.kill();
		await proxy?.close();
		await prometheus?.stop();
		await demo.stop();
	}
}

beforeAll(() => {
	requireBuild();
});

afterAll(() => {
	runs.clear();
	rmSync(workDir, {recursive: true, force: true});
});

describe('the same grid under kctop, catch-all and Strimzi rules (Connect 2.4.1, three workers on one host, real Prometheus)', () => {
	it.each(ruleSets.map(ruleSet => [ruleSet.profile, ruleSet] as const))('%s rules', async (_name, ruleSet) => {
		const run = await runRuleSet(ruleSet);
		runs.set(ruleSet.profile, run);

		// -o json: the profile detected, N/17, three workers paired, Debezium connected.
		expect(run.json).toMatchObject({profile: ruleSet.profile, profileMetrics: ruleSet.metrics, profileDetected: true, cluster: {version: '2.4.1'}, unpairedInstances: []});
		expect(run.json.totals).toEqual(expect.objectContaining({workersUp: 3, workersTotal: 3}));
		for (const name of ['cdc-test-connector', 'cdc-other-connector']) expect(run.json.connectors.find(row => row.name === name)?.debezium?.connected, name).toBe(true);
		const sink = run.json.connectors.find(row => row.name === 'jdbc-sink-orders');
		expect(sink?.lag).toBeTypeOf('number');
		expect(sink?.recordRate).toBeGreaterThan(0);
		// The sink verdict needs the window: the start-up range query (1 s steps over the ≥ 4 s Prometheus has) seeds lag, reads and offset commits under every rule set.
		expect(sink?.sink?.verdict).toBe('OK');

		// The TUI header names the profile and the paired workers.
		expect(run.header).toContain(`profile ${ruleSet.profile} ${ruleSet.metrics} metrics`);
		expect(run.header).toContain('workers 3/3');
		expect(run.rows.get('cdc-test-connector')).toEqual({state: 'RUNNING', tasks: '1/1', dbz: 'yes', lag: 'value', rate: 'value'});
		expect(run.rows.get('jdbc-sink-orders')).toEqual({state: 'RUNNING', tasks: '2/2', dbz: 'n/a', lag: 'value', rate: 'value'});

		// "restart failed" on 2.4.1: one POST per FAILED task, no ?includeTasks (KIP-745 is 3.0).
		expect(run.restart.dialog).toContain('POST /connectors/jdbc-sink-orders/tasks/1/restart');
		expect(run.restart.dialog).not.toContain('includeTasks');
		expect(run.restart.writes).toEqual(['/connectors/jdbc-sink-orders/tasks/1/restart']);
		expect(run.restart.outcome).toMatch(/jdbc-sink-orders: 204 /);
	}, 150_000);

	it('catch-all and Strimzi rows equal the kctop rows: state, tasks, DBZ, lag and rate present', () => {
		const kctop = runs.get('kctop');
		expect(kctop?.rows.size).toBe(connectorNames.length);
		for (const profile of ['catch-all', 'strimzi'] as const) {
			expect(Object.fromEntries(runs.get(profile)?.rows ?? []), profile).toEqual(Object.fromEntries(kctop?.rows ?? []));
		}
	});
});
