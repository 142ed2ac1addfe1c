/**
 * `npm run soak -- --minutes 30`: the built kctop, started as users start it (bin/kctop.cjs,
 * which picks React's production build and relaunches with its V8 flags), in a pseudo-terminal, at a
 * 1 s interval, against the simulator (dist/demo/demo-server.js, steady scenario) behind
 * fault-injecting proxies: every few seconds a fault (409, HTML 500, hang past the timeout,
 * garbage, truncated body, connection reset) switches on for all REST workers, one REST
 * worker, one exporter endpoint or all of them, then off again.
 *
 * Measured: kctop's RSS from /proc/<pid>/status every 2 s; the longest gap between two REST
 * requests reaching the proxies (a stalled poller stops asking); the time from the end of
 * each REST fault until the header says "REST ok" again; kctop's output scanned for
 * "unexpected error", unhandled rejections and stack traces. Verdict: RSS grows at most
 * 10 % after warm-up (medians of the first and last quarter; judged when the run after
 * warm-up lasts 5 minutes or more), no stall, no unexpected error, kctop still running. The report goes
 * to .bench-out/soak.json (or --out); exit 0 on pass, 1 on fail, 2 on bad arguments.
 */
import {spawn as spawnChild, type ChildProcess} from 'node:child_process';
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {dirname, resolve} from 'node:path';
import {createInterface} from 'node:readline';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';
import {spawn as spawnPty} from '@lydell/node-pty';
import xterm from '@xterm/headless';
import * as z from 'zod';
import {stripControl} from '../clients/errors.js';
import {createRandom, type Random} from '../demo/random.js';
import {faultKinds, startFaultProxy, type FaultKind, type FaultProxy} from './fault-proxy.js';
import {errorLinesOf, judgeSoak, longestGap, minJudgedMs, type RssSample, type SoakVerdict} from './verdict.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const usage = 'usage: npm run soak -- [--minutes N] [--seed N] [--out FILE]';

/** kctop's poller backs off up to 30 s (store.ts maxBackoffMs); a request may then take the timeout. */
const intervalMs = 1000;
const timeoutMs = 2000;
const maxBackoffMs = 30_000;
/** A stalled poller: no REST request for longer than the longest backoff plus a request, with room for a loaded machine. */
const stallBoundMs = maxBackoffMs + timeoutMs + intervalMs + 10_000;
const maxGrowthPct = 10;
const rssEveryMs = 2000;

export interface SoakOptions {
	readonly minutes: number;
	readonly seed: number;
	readonly out: string;
}

export function parseSoakArgs(args: readonly string[]): SoakOptions {
	const {values} = parseArgs({
		args: [...args],
		options: {minutes: {type: 'string'}, seed: {type: 'string'}, out: {type: 'string'}},
		strict: true,
		allowPositionals: false,
	});
	const minutes = Number(values.minutes ?? '30');
	if (!Number.isFinite(minutes) || minutes < 1 || minutes > 24 * 60) throw new Error(`--minutes must be a number between 1 and 1440, got "${values.minutes ?? ''}"`);
	const seed = Number(values.seed ?? '1');
	if (!Number.isInteger(seed) || seed < 0) throw new Error(`--seed must be a non-negative integer, got "${values.seed ?? ''}"`);
	return {minutes, seed, out: resolve(values.out ?? `${root}.bench-out/soak.json`)};
}

type FaultTarget = 'rest-all' | 'rest-one' | 'scrape-one' | 'scrape-all';
const faultTargets: readonly FaultTarget[] = ['rest-all', 'rest-one', 'scrape-one', 'scrape-all'];

interface Episode {
	readonly kind: FaultKind;
	readonly target: FaultTarget;
	readonly startMs: number;
	endMs: number | undefined;
	/** REST faults: from the fault's end until the header said "REST ok" again; undefined when not seen before the next fault. */
	recoveryMs: number | undefined;
	/** What the header said about REST while the fault was on and until recovery ("ok", "stale", "unavailable"). */
	readonly restStatusesSeen: string[];
}

export interface SoakReport {
	readonly options: SoakOptions;
	readonly startedAt: string;
	readonly durationMs: number;
	readonly warmupMs: number;
	readonly historyWindow: string;
	readonly kctopArgs: readonly string[];
	readonly requests: {readonly rest: number; readonly scrape: number};
	readonly maxRequestGapMs: number;
	readonly stallBoundMs: number;
	readonly episodes: readonly Episode[];
	readonly recovery: {readonly measured: number; readonly medianMs: number | undefined; readonly maxMs: number | undefined};
	readonly rss: readonly RssSample[];
	readonly errorLines: readonly string[];
	readonly verdict: SoakVerdict;
}

const demoLine = z.object({restUrls: z.array(z.string()).min(1), metricsUrls: z.array(z.string()).min(1)});

async function startDemo(seed: number): Promise<{readonly restUrls: string[]; readonly metricsUrls: string[]; readonly child: ChildProcess}> {
	const child = spawnChild(process.execPath, [`${root}dist/demo/demo-server.js`, '--scenario', 'steady', '--seed', String(seed)], {stdio: ['ignore', 'pipe', 'inherit']});
	const stdout = child.stdout;
	if (stdout === null) throw new Error('demo-server has no stdout');
	const line = await new Promise<string>((resolveLine, reject) => {
		createInterface({input: stdout}).once('line', resolveLine);
		child.once('exit', code => reject(new Error(`demo-server exited with code ${String(code)}`)));
	});
	return {...demoLine.parse(JSON.parse(line)), child};
}

function rssKbOf(pid: number): number | undefined {
	try {
		const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
		return match?.[1] === undefined ? undefined : Number(match[1]);
	} catch {
		return undefined;
	}
}

function pickFaults(random: Random, rest: readonly FaultProxy[], scrape: readonly FaultProxy[], target: FaultTarget): readonly FaultProxy[] {
	switch (target) {
		case 'rest-all':
			return rest;
		case 'rest-one':
			return [random.pick(rest)];
		case 'scrape-one':
			return [random.pick(scrape)];
		case 'scrape-all':
			return scrape;
	}
}

const restStatus = /\bREST (ok|stale|unavailable)\b/;

export async function runSoak(options: SoakOptions, log: (line: string) => void): Promise<SoakReport> {
	const durationMs = Math.round(options.minutes * 60_000);
	// Sparkline and chart history fills for one history window: give it a quarter of the run
	// (5 minutes at most, kctop's default), and count it as warm-up with 20 s more.
	const historyMs = Math.min(300_000, Math.floor(durationMs / 4 / 1000) * 1000);
	const warmupMs = historyMs + 20_000;
	// The schedule has its own sequence, so the faults a seed gives do not depend on how many garbage bodies were drawn.
	const random = createRandom(options.seed);
	const bodies = createRandom(options.seed + 1);
	const demo = await startDemo(options.seed);
	const rest = await Promise.all(demo.restUrls.map(async url => startFaultProxy(url, bodies.next)));
	const scrape = await Promise.all(demo.metricsUrls.map(async url => startFaultProxy(url, bodies.next)));
	const kctopArgs = [
		`${root}bin/kctop.cjs`,
		'--connect',
		rest.map(proxy => proxy.url).join(','),
		'--scrape',
		scrape.map(proxy => proxy.url).join(','),
		'--interval',
		`${intervalMs / 1000}s`,
		'--timeout',
		`${timeoutMs / 1000}s`,
		'--history',
		`${historyMs / 1000}s`,
	];
	const terminal = new xterm.Terminal({cols: 140, rows: 40, allowProposedApi: true, scrollback: 0});
	const env: Record<string, string> = {};
	// NODE_ENV is left to the bin, as for a user.
	for (const [key, value] of Object.entries(process.env)) if (value !== undefined && !key.startsWith('KCTOP_') && !key.startsWith('VITEST') && key !== 'NODE_ENV') env[key] = value;
	const kctop = spawnPty(process.execPath, kctopArgs, {name: 'xterm-256color', cols: 140, rows: 40, cwd: root, env: {...env, TERM: 'xterm-256color', LANG: 'C.UTF-8'}});
	const started = Date.now();
	const since = (): number => Date.now() - started;
	log(`soak: ${options.minutes} min, seed ${options.seed}, kctop pid ${kctop.pid}, warm-up ${warmupMs / 1000} s, history ${historyMs / 1000} s`);

	const errorLines = new Set<string>();
	let tail = '';
	kctop.onData(data => {
		terminal.write(data);
		// Scan the stream as well as the screen: a message printed and overwritten at once is still caught.
		const text = tail + stripControl(data);
		for (const line of errorLinesOf(text)) errorLines.add(line.slice(0, 300));
		tail = text.slice(-300);
	});
	let exitedEarly: {exitCode: number; signal: number | undefined} | undefined;
	let ending = false;
	const exited = new Promise<void>(resolveExit => {
		kctop.onExit(({exitCode, signal}) => {
			if (!ending) exitedEarly = {exitCode, signal};
			resolveExit();
		});
	});

	const screenText = (): string => {
		const buffer = terminal.buffer.active;
		const rows: string[] = [];
		for (let y = 0; y < terminal.rows; y++) rows.push(buffer.getLine(buffer.viewportY + y)?.translateToString(true) ?? '');
		return rows.join('\n');
	};

	const rss: RssSample[] = [];
	const episodes: Episode[] = [];
	let active: {episode: Episode; proxies: readonly FaultProxy[]} | undefined;
	let recovering: Episode | undefined;
	const timers: NodeJS.Timeout[] = [];

	timers.push(
		setInterval(() => {
			const kb = rssKbOf(kctop.pid);
			if (kb !== undefined) rss.push({atMs: since(), rssKb: kb});
		}, rssEveryMs),
		setInterval(() => {
			const screen = screenText();
			for (const line of errorLinesOf(screen)) errorLines.add(line.slice(0, 300));
			const status = restStatus.exec(screen)?.[1];
			const watched = active?.episode ?? recovering;
			if (status !== undefined && watched !== undefined && !watched.restStatusesSeen.includes(status)) watched.restStatusesSeen.push(status);
			if (recovering !== undefined && status === 'ok' && recovering.endMs !== undefined) {
				recovering.recoveryMs = since() - recovering.endMs;
				recovering = undefined;
			}
		}, 250),
		// A person at the keyboard: move now and then, open a connector and come back.
		setInterval(() => {
			const roll = bodies.next();
			if (roll < 0.15) {
				kctop.write('\r');
				setTimeout(() => kctop.write('\u001B'), 4000);
			} else {
				kctop.write(roll < 0.6 ? 'j' : 'k');
			}
		}, 6000),
	);

	// Faults: off for 8–20 s, then one fault for 3–8 s, until the end.
	const schedule = async (): Promise<void> => {
		const wait = async (ms: number): Promise<void> => new Promise(resolveWait => setTimeout(resolveWait, Math.max(0, Math.min(ms, durationMs - since()))));
		while (since() < durationMs) {
			await wait(random.int(8000, 20_000));
			if (since() >= durationMs - 3000) break;
			const kind = random.pick(faultKinds);
			const target = random.pick(faultTargets);
			const proxies = pickFaults(random, rest, scrape, target);
			const episode: Episode = {kind, target, startMs: since(), endMs: undefined, recoveryMs: undefined, restStatusesSeen: []};
			episodes.push(episode);
			recovering = undefined;
			for (const proxy of proxies) proxy.setFault(kind);
			active = {episode, proxies};
			await wait(random.int(3000, 8000));
			for (const proxy of proxies) proxy.setFault(undefined);
			episode.endMs = since();
			if (target.startsWith('rest')) recovering = episode;
			active = undefined;
		}
		await wait(durationMs - since());
	};
	await Promise.race([schedule(), exited]);

	ending = true;
	for (const timer of timers) clearInterval(timer);
	if (active !== undefined) for (const proxy of active.proxies) proxy.setFault(undefined);
	const endMs = since();
	kctop.write('\u0003');
	const killTimer = setTimeout(() => kctop.kill(), 5000);
	await exited;
	clearTimeout(killTimer);
	await Promise.all([...rest, ...scrape].map(async proxy => proxy.close()));
	demo.child.kill('SIGTERM');

	const restArrivals = rest.flatMap(proxy => proxy.arrivals());
	const maxRequestGapMs = longestGap(restArrivals, started, started + endMs);
	const verdict = judgeSoak({rss, warmupMs, maxRequestGapMs, stallBoundMs, errorLines: [...errorLines], exitedEarly, maxGrowthPct});
	const recoveries = episodes.flatMap(episode => (episode.recoveryMs === undefined ? [] : [episode.recoveryMs])).sort((a, b) => a - b);
	const report: SoakReport = {
		options,
		startedAt: new Date(started).toISOString(),
		durationMs: endMs,
		warmupMs,
		historyWindow: `${historyMs / 1000}s`,
		kctopArgs: kctopArgs.slice(1),
		requests: {rest: rest.reduce((sum, proxy) => sum + proxy.requestCount(), 0), scrape: scrape.reduce((sum, proxy) => sum + proxy.requestCount(), 0)},
		maxRequestGapMs,
		stallBoundMs,
		episodes,
		recovery: {measured: recoveries.length, medianMs: recoveries[Math.floor(recoveries.length / 2)], maxMs: recoveries.at(-1)},
		rss,
		errorLines: [...errorLines],
		verdict,
	};
	mkdirSync(dirname(options.out), {recursive: true});
	writeFileSync(options.out, `${JSON.stringify(report, null, 2)}\n`);
	return report;
}

export function summary(report: SoakReport): string {
	const {verdict} = report;
	const kb = (value: number | undefined): string => (value === undefined ? '?' : `${(value / 1024).toFixed(1)} MB`);
	return [
		`soak ${verdict.pass ? 'PASS' : 'FAIL'}: ${(report.durationMs / 60_000).toFixed(1)} min, ${report.episodes.length} faults, ${report.requests.rest} REST and ${report.requests.scrape} scrape requests`,
		`RSS after warm-up ${kb(verdict.warmRssKb)}, at the end ${kb(verdict.endRssKb)} (${verdict.growthPct === undefined ? '?' : `${verdict.growthPct >= 0 ? '+' : ''}${verdict.growthPct.toFixed(1)} %`}; medians of the first and last quarter after warm-up${verdict.rssJudged ? '' : `; not judged: under ${minJudgedMs / 60_000} min after warm-up`})`,
		`longest gap between REST requests ${(report.maxRequestGapMs / 1000).toFixed(1)} s (bound ${report.stallBoundMs / 1000} s); recovery after REST faults: median ${report.recovery.medianMs ?? '?'} ms, max ${report.recovery.maxMs ?? '?'} ms over ${report.recovery.measured}`,
		...verdict.reasons.map(reason => `  - ${reason}`),
		`report: ${report.options.out}`,
	].join('\n');
}

async function main(): Promise<number> {
	let options: SoakOptions;
	try {
		options = parseSoakArgs(process.argv.slice(2));
	} catch (error) {
		process.stderr.write(`soak: ${error instanceof Error ? error.message : String(error)}\n${usage}\n`);
		return 2;
	}
	const report = await runSoak(options, line => process.stdout.write(`${line}\n`));
	process.stdout.write(`${summary(report)}\n`);
	return report.verdict.pass ? 0 : 1;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	main().then(
		code => process.exit(code),
		(error: unknown) => {
			process.stderr.write(`soak: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
			process.exit(1);
		},
	);
}
