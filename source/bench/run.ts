/**
 * `npm run bench`: kctop measured from outside, as a user's machine sees it.
 *
 * For each size (9, 1,009 and 10,009 connectors) it starts the demo simulator in its quiet
 * `steady` scenario and a real Prometheus scraping it (when /usr/bin/prometheus is installed),
 * puts a counting proxy in front of every endpoint, measures the floor (a child Node process
 * fetching and parsing the expand body), then runs the built kctop (bin/kctop.cjs, the bundle) in a
 * pseudo-terminal at the default 2 s interval, in Prometheus mode and in scrape mode, and
 * reads its CPU and memory from /proc, its requests from the proxies and its output from
 * the terminal. Results: Markdown tables on stdout, JSON in .bench-out/.
 *
 *   npm run bench                  full: 3 sizes × 2 modes (about 10 minutes)
 *   npm run bench -- --quick       9 and 1,009 connectors, Prometheus mode, short windows (< 1 minute)
 *   node dist/bench/run.js --sizes 9,1009 --modes scrape --node-env development
 */
import {mkdtempSync} from 'node:fs';
import {access, constants, mkdir, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {cpus, freemem, tmpdir, totalmem} from 'node:os';
import {delimiter, dirname, join} from 'node:path';
import {performance} from 'node:perf_hooks';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';
import {formatTrace, requestKinds, requestTrace, startCountingProxy, type CountingProxy, type TracedRequest, type UpstreamRole} from './counting-proxy.js';
import {startDemoProcess, type DemoProcess} from './demo-process.js';
import {measureScrapeFloor, type ScrapeFloor} from './scrape-floor.js';
import {measureFloor, type Floor, type FloorSecondRequest} from './floor.js';
import {startReplayServer} from './replay-server.js';
import {prometheusBinary, startPrometheus, type RunningPrometheus} from './prometheus.js';
import {measureProcessStart} from './process-start.js';
import {measureInkFloor} from './ink-floor.js';
import {historySeriesFilter, historySpanMs, kctopHistoryWindow} from './backfill.js';
import {parseDuration} from '../config/duration.js';
import {profiles} from '../metrics/profiles/index.js';
import {formatBytes, formatMs, reportTables, type BenchMode, type ModeRun, type SizeResult} from './report.js';
import {firstFrameShown, measureSession} from './session.js';
import {measureStarts, median, type RepeatedStarts} from './starts.js';
import {warmCompileCache} from './warm-cache.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
/** What the bin loads: the esbuild bundle `npm run build` writes. */
const bundle = `${root}dist/bundle/kctop/cli.js`;
/** kctop is started through its bin, as users start it (kctopLaunch). */
const kctopBin = `${root}bin/kctop.cjs`;

/**
 * The command that starts kctop. As users start it: the bin run as a command, whose /bin/sh
 * lines start the first `node` on PATH (kctopEnv puts this Node there) once, with the bin's V8
 * flag and malloc settings. With Node flags to measure (--node-flags, --profile), which
 * NODE_OPTIONS cannot all carry: `node FLAGS bin/kctop.cjs`, which relaunches itself once with
 * the bin's flags (bin/v8-flags.cjs), a second start of Node.
 */
function kctopLaunch(nodeFlags: readonly string[], args: readonly string[]): {readonly command: string; readonly args: readonly string[]} {
	return nodeFlags.length === 0 ? {command: kctopBin, args} : {command: process.execPath, args: [...nodeFlags, kctopBin, ...args]};
}
/** The bench's one-line Ink program, bundled as kctop is (scripts/bundle.mjs): see ink-floor.ts. */
const inkFloorBundle = `${root}dist/bench-bundle/ink-floor/ink-floor.js`;
const demoServer = `${root}dist/demo/demo-server.js`;
const columns = 140;
const rows = 40;
const intervalMs = 2000;
/**
 * Prometheus's scrape interval: 15 s (a common production setting) above 1,009 connectors,
 * where each scrape ingests about 50 MB per worker; 5 s below, so the bench does not wait
 * long for the first scrape.
 */
/**
 * kctop's per-request timeout in the bench, unless --timeout says otherwise. Before kctop gave
 * slow sources --query-timeout, its default (5 s) was too short for 50 MB expositions at 10,009
 * connectors on a loaded 2-core machine: every scrape timed out and no figure came out. The
 * bench keeps 30 s so that its runs compare with the earlier ones; `--timeout 5s` measures
 * what kctop's default does.
 */
const defaultRequestTimeout = '30s';
const prometheusScrapeSeconds = (connectors: number): number => (connectors > 1009 ? 15 : 5);

/**
 * At sizes up to this, the first frame is also measured over repeated starts (starts.ts): a
 * start there is a few hundred milliseconds, and one start of kctop against one of the floor
 * gave ratios from 1.04× to 2.75× of the budget in three runs of the same code.
 */
const repeatedStartsMaxConnectors = 9;
const repeatedStarts = 7;

const usage = `usage: node dist/bench/run.js [--quick] [--sizes N,N,…] [--modes prometheus,scrape] [--node-env VALUE|unset] [--profile DIR] [--node-flags=FLAGS] [--no-backfill] [--timeout DURATION] [--out DIR]`;

interface Plan {
	readonly quick: boolean;
	readonly sizes: readonly number[];
	readonly modes: readonly BenchMode[];
	readonly warmupRefreshes: number;
	readonly windowRefreshes: number;
	readonly windowMaxMs: number;
	readonly floorWallMs: number;
	/** undefined: leave NODE_ENV as kctop's bin decides. */
	readonly nodeEnv: string | undefined;
	readonly nodeEnvNote: string;
	readonly outDir: string;
	/** --profile DIR: kctop runs with --cpu-prof and --heap-prof, writing its profiles there. */
	readonly profileDir: string | undefined;
	/** --node-flags=…: extra Node/V8 flags for kctop only (e.g. --max-semi-space-size=2), to measure their effect. */
	readonly nodeFlags: readonly string[];
	/** --no-backfill: Prometheus starts empty (seconds of history when kctop starts), as the bench did before. */
	readonly backfill: boolean;
	/** kctop's --timeout: defaultRequestTimeout unless --timeout was given. */
	readonly requestTimeout: string;
}

class UsageError extends Error {}

async function plan(args: readonly string[]): Promise<Plan> {
	let parsed;
	try {
		parsed = parseArgs({
			args: [...args],
			options: {quick: {type: 'boolean'}, sizes: {type: 'string'}, modes: {type: 'string'}, 'node-env': {type: 'string'}, out: {type: 'string'}, profile: {type: 'string'}, 'node-flags': {type: 'string'}, 'no-backfill': {type: 'boolean'}, timeout: {type: 'string'}, help: {type: 'boolean', short: 'h'}},
			strict: true,
			allowPositionals: false,
		});
	} catch (error) {
		throw new UsageError(message(error));
	}
	const {values} = parsed;
	if (values.help === true) throw new UsageError('');
	const quick = values.quick === true;
	const sizes = (values.sizes ?? (quick ? '9,1009' : '9,1009,10009')).split(',').map(text => {
		if (!/^\d+$/.test(text.trim()) || Number(text) < 1) throw new UsageError(`--sizes: expected connector counts ≥ 1 separated by commas, got "${text}"`);
		return Number(text);
	});
	const modes = (values.modes ?? (quick ? 'prometheus' : 'prometheus,scrape')).split(',').map(text => {
		const mode = text.trim();
		if (mode !== 'prometheus' && mode !== 'scrape') throw new UsageError(`--modes: expected prometheus and/or scrape, got "${text}"`);
		return mode;
	});
	await access(bundle, constants.R_OK).catch(() => {
		throw new UsageError(`${bundle} is missing: run \`npm run build\` first (npm run bench does)`);
	});
	// Measure the bin as users run it when it picks its React build itself; otherwise the
	// production build, which is what a user gets once the bin sets it.
	const bin = await readFile(kctopBin, 'utf8');
	const binSetsNodeEnv = /NODE_ENV\W{0,4}(\?\?|\|\|)?=(?!=)/.test(bin);
	const requested = values['node-env'];
	const nodeEnv = requested === 'unset' ? undefined : (requested ?? (binSetsNodeEnv ? undefined : 'production'));
	const nodeEnvNote =
		requested !== undefined
			? `NODE_ENV=${requested} (--node-env)`
			: binSetsNodeEnv
				? 'NODE_ENV left to bin/kctop.cjs, which sets production when unset'
				: 'NODE_ENV=production set by the bench (bin/kctop.cjs does not set it)';
	return {
		quick,
		sizes,
		modes,
		warmupRefreshes: quick ? 1 : 2,
		windowRefreshes: quick ? 3 : 10,
		windowMaxMs: quick ? 15_000 : 40_000,
		floorWallMs: quick ? 500 : 3000,
		nodeEnv,
		nodeEnvNote,
		outDir: values.out ?? `${root}.bench-out`,
		profileDir: values.profile,
		nodeFlags: (values['node-flags'] ?? '').split(/\s+/).filter(flag => flag !== ''),
		backfill: values['no-backfill'] !== true,
		requestTimeout: timeoutOf(values.timeout),
	};
}

/** --timeout's value as kctop takes it, checked here so that a typo is a usage error, not a bench of a kctop that refused to start. */
function timeoutOf(text: string | undefined): string {
	if (text === undefined) return defaultRequestTimeout;
	const ms = parseDuration(text);
	if (ms === undefined || ms <= 0) throw new UsageError(`--timeout: expected a duration such as 5s or 500ms, got "${text}"`);
	return text;
}

function log(text: string): void {
	process.stderr.write(`bench: ${text}\n`);
}

function message(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

async function hasPrometheus(): Promise<boolean> {
	return access(prometheusBinary, constants.X_OK).then(
		() => true,
		() => false,
	);
}

/**
 * Environment for kctop: the bench's own, minus KCTOP_* settings that would change what is
 * measured, with a state directory of its own (`stateHome`, empty): kctop replays its journal
 * from there at the first refresh, and the user's journal for the simulator's cluster grew
 * with every bench run. The compile cache stays the user's (see the readme).
 */
function kctopEnv(nodeEnv: string | undefined, stateHome: string): Record<string, string> {
	const env: Record<string, string> = {};
	for (const [key, value] of Object.entries(process.env)) {
		if (value === undefined || key.startsWith('KCTOP_') || key === 'NO_COLOR' || key === 'NODE_ENV' || key.startsWith('npm_')) continue;
		env[key] = value;
	}
	const path = [dirname(process.execPath), ...(env['PATH'] ?? '').split(delimiter)].join(delimiter);
	return {...env, PATH: path, TERM: 'xterm-256color', LANG: 'C.UTF-8', XDG_STATE_HOME: stateHome, ...(nodeEnv === undefined ? {} : {NODE_ENV: nodeEnv})};
}

async function measureSize(connectors: number, settings: Plan, prometheusInstalled: boolean): Promise<SizeResult> {
	const now = (): number => performance.now();
	const cleanup: Array<() => Promise<void>> = [];
	const stopAll = async (): Promise<void> => {
		for (const step of cleanup.splice(0).reverse()) await step().catch(() => undefined);
	};
	running.add(stopAll);
	try {
		log(`${connectors} connectors: starting the simulator`);
		const demo: DemoProcess = await startDemoProcess(demoServer, ['--seed', '1', '--scale', String(connectors), '--scenario', 'steady']);
		cleanup.push(() => demo.stop());
		const proxy = async (target: string, role: UpstreamRole): Promise<CountingProxy> => {
			const started = await startCountingProxy(target, role, now);
			cleanup.push(() => started.close());
			return started;
		};
		const rest = await Promise.all(demo.info.restUrls.map(url => proxy(url, 'rest')));

		log(`${connectors} connectors: capturing each worker's exposition for replay`);
		const replays = [];
		for (const worker of demo.info.workers) {
			const replay = await startReplayServer(worker.metricsUrl, 300_000);
			cleanup.push(() => replay.close());
			replays.push({worker, replay});
		}

		let prometheus: RunningPrometheus | undefined;
		let prometheusError: string | undefined;
		if (settings.modes.includes('prometheus')) {
			if (!prometheusInstalled) prometheusError = `no Prometheus at ${prometheusBinary}`;
			else {
				log(`${connectors} connectors: starting Prometheus`);
				try {
					const window = kctopHistoryWindow(intervalMs / 1000);
					const running = await startPrometheus({
						scrapeIntervalSeconds: prometheusScrapeSeconds(connectors),
						scrapeTargets: replays.map(({worker, replay}) => ({job: 'kafka-connect', targets: [new URL(replay.url).host], labels: {worker_id: worker.id}})),
						...(settings.backfill ? {history: {spanMs: historySpanMs(window.historyMs, window.rateWindowMs, prometheusScrapeSeconds(connectors) * 1000), keep: historySeriesFilter(profiles)}} : {}),
					});
					cleanup.push(() => running.stop());
					const filled = running.backfilled;
					if (filled !== undefined) log(`${connectors} connectors: backfilled ${filled.series.toLocaleString('en')} series, ${filled.samples.toLocaleString('en')} samples (${(filled.bytes / 1e6).toFixed(0)} MB of OpenMetrics) in ${(filled.generateMs / 1000).toFixed(1)} s + promtool ${(filled.promtoolMs / 1000).toFixed(1)} s`);
					await running.waitForTargetsUp(replays.length, 180_000);
					await running.waitForSeries('kafka_connect_connector_status', 60_000);
					prometheus = running;
				} catch (error) {
					prometheusError = message(error);
				}
			}
		}

		log(`${connectors} connectors: measuring the floor`);
		const firstRest = rest[0];
		if (firstRest === undefined) throw new Error('the simulator has no REST worker');
		const {floor, error: floorError} = await tryFloor(firstRest, [firstRest], settings.floorWallMs);

		const runs: ModeRun[] = [];
		for (const mode of settings.modes) {
			if (mode === 'prometheus' && prometheus === undefined) {
				runs.push({mode, session: undefined, error: prometheusError ?? 'Prometheus did not start'});
				continue;
			}
			const proxies: CountingProxy[] = [];
			let metricsArgs: string[];
			if (mode === 'prometheus' && prometheus !== undefined) {
				const prom = await proxy(prometheus.url, 'prometheus');
				proxies.push(prom);
				metricsArgs = ['--prometheus', prom.url];
			} else {
				const scrapes = await Promise.all(replays.map(async ({worker, replay}) => ({worker, proxy: await proxy(replay.url, 'scrape')})));
				proxies.push(...scrapes.map(each => each.proxy));
				metricsArgs = ['--scrape', scrapes.map(each => each.proxy.url).join(','), '--worker-map', scrapes.map(each => `${new URL(each.proxy.url).host}=${each.worker.id}`).join(',')];
			}
			log(`${connectors} connectors, ${mode} mode: running kctop`);
			const stateHome = await mkdtemp(join(tmpdir(), 'kctop-bench-state-'));
			cleanup.push(() => rm(stateHome, {recursive: true, force: true}));
			try {
				const sessionArgs = ['--connect', rest.map(each => each.url).join(','), ...metricsArgs, '--interval', `${intervalMs / 1000}s`, '--timeout', settings.requestTimeout];
				const session = await measureSession({
					...kctopLaunch([...settings.nodeFlags, ...profileArgs(settings.profileDir, `${connectors}-${mode}`)], sessionArgs),
					env: kctopEnv(settings.nodeEnv, stateHome),
					columns,
					rows,
					connectors,
					metricsName: mode === 'prometheus' ? 'Prometheus' : 'scrape',
					proxies: [...rest, ...proxies],
					warmupRefreshes: settings.warmupRefreshes,
					windowRefreshes: settings.windowRefreshes,
					windowMaxMs: windowMaxMs(settings, connectors),
					firstFrameTimeoutMs: 180_000,
					intervalMs,
					// The idle cost once kctop has run for a minute, at the idle size only (it adds about a minute per mode).
					settledWindow: connectors === 9 && !settings.quick ? {afterMs: 60_000, refreshes: settings.windowRefreshes} : undefined,
				});
				let both: {readonly floor: Floor | undefined; readonly error: string | undefined; readonly startupTrace?: readonly TracedRequest[]} = {floor: undefined, error: undefined};
				let starts: RepeatedStarts | undefined;
				let startsError: string | undefined;
				const prom = mode === 'prometheus' ? proxies[0] : undefined;
				if (prom !== undefined) {
					const instant = prom.lastInstantQuery();
					if (instant === undefined) both = {floor: undefined, error: 'kctop sent no instant query'};
					else {
						log(`${connectors} connectors: measuring the floor that reads both sources`);
						const range = prom.firstRangeQuery();
						const second = {url: `${prom.url}${instant.path}`, method: instant.method, contentType: instant.contentType, body: instant.body};
						const startup = range === undefined ? undefined : {url: `${prom.url}${range.path}`, method: range.method, contentType: range.contentType, body: range.body};
						both = await tryFloor(firstRest, [firstRest, prom], settings.floorWallMs, second, startup);
						const answer = both.floor?.startupAnswer;
						if (answer !== undefined) log(`${connectors} connectors: start-up range answer ${(answer.bytes / 1e6).toFixed(2)} MB, ${answer.series.toLocaleString('en')} series, ${answer.pairs.toLocaleString('en')} pairs`);
						if (connectors <= repeatedStartsMaxConnectors) {
							log(`${connectors} connectors: ${repeatedStarts} more starts of kctop to its first frame and of the floor reading both, in turns`);
							const stateHomes: string[] = [];
							try {
								starts = await measureStarts({
									count: repeatedStarts,
									kctop: () => {
										const home = mkdtempSync(join(tmpdir(), 'kctop-bench-state-'));
										stateHomes.push(home);
										return {...kctopLaunch(settings.nodeFlags, sessionArgs), env: kctopEnv(settings.nodeEnv, home)};
									},
									shows: firstFrameShown(connectors, 'Prometheus'),
									floorColdStart: async () => (await measureFloor({url: `${firstRest.url}/connectors?expand=status&expand=info`, minWallMs: 1, bodyBytes: () => 0, second, ...(startup === undefined ? {} : {startup})})).coldStartMs,
									columns,
									rows,
									timeoutMs: 60_000,
								});
								log(`${connectors} connectors: first frame over ${repeatedStarts} starts, median ${median(starts.kctopMs).toFixed(0)} ms; the floor's cold start, median ${median(starts.floorMs).toFixed(0)} ms`);
							} catch (error) {
								startsError = message(error);
								log(`${connectors} connectors: repeated starts failed: ${startsError}`);
							} finally {
								for (const home of stateHomes) await rm(home, {recursive: true, force: true});
							}
						}
					}
				}
				let scrapeFloorResult: ScrapeFloor | undefined;
				let scrapeFloorError: string | undefined;
				if (mode === 'scrape') {
					// The scrape floor (scrape-floor.ts): the same bodies fetched in parallel and dropped, nothing else.
					const scrapeFloor = await measureScrapeFloor({urls: proxies.map(each => each.url), minWallMs: settings.floorWallMs}).catch((error: unknown) => message(error));
					log(typeof scrapeFloor === 'string' ? `${connectors} connectors: scrape floor failed: ${scrapeFloor}` : `${connectors} connectors: scrape floor (${scrapeFloor.rounds} rounds of ${(scrapeFloor.bodyBytes / 1e6).toFixed(1)} MB): ${scrapeFloor.cpuPerRoundMs.toFixed(0)} ms CPU, ${scrapeFloor.medianWallMs.toFixed(0)} ms wall; kctop CPU per refresh ${(session.window.cpuPerRefreshMs / scrapeFloor.cpuPerRoundMs).toFixed(2)}×, refresh wall ${((session.window.refreshMs ?? Number.NaN) / scrapeFloor.medianWallMs).toFixed(2)}× it`);
					if (typeof scrapeFloor === 'string') scrapeFloorError = scrapeFloor;
					else scrapeFloorResult = scrapeFloor;
				}
				if (mode === 'prometheus') log(`${connectors} connectors: start-up requests to the first frame: kctop ${formatTrace(session.startupTrace)}; the floor reading both, to its first round: ${both.startupTrace === undefined ? '–' : formatTrace(both.startupTrace)}`);
				runs.push({mode, session, error: undefined, bothFloor: both.floor, bothFloorError: both.error, bothFloorStartupTrace: both.startupTrace, scrapeFloor: scrapeFloorResult, scrapeFloorError, starts, startsError});
			} catch (error) {
				log(`${connectors} connectors, ${mode} mode: ${message(error)}`);
				runs.push({mode, session: undefined, error: message(error)});
			}
		}
		return {connectors, floor, floorError, runs};
	} finally {
		running.delete(stopAll);
		await stopAll();
	}
}

/**
 * The floor through `rest` (its expand call, and `second` each round when given), or why it
 * could not be measured. Body bytes per round are counted by the `counted` proxies.
 */
async function tryFloor(
	rest: CountingProxy,
	counted: readonly CountingProxy[],
	minWallMs: number,
	second?: FloorSecondRequest,
	startup?: FloorSecondRequest,
): Promise<{readonly floor: Floor | undefined; readonly error: string | undefined; readonly startupTrace?: readonly TracedRequest[]}> {
	let coldStart: {readonly from: number; readonly to: number} | undefined;
	try {
		const floor = await measureFloor({
			onColdStart: (from, to) => {
				coldStart = {from, to};
			},
			url: `${rest.url}/connectors?expand=status&expand=info`,
			minWallMs,
			bodyBytes: () => counted.reduce((sum, proxy) => sum + proxy.requests.reduce((bytes, request) => bytes + request.responseBytes, 0), 0),
			...(second === undefined ? {} : {second}),
			...(startup === undefined ? {} : {startup}),
		});
		const trace = coldStart === undefined ? undefined : requestTrace(counted.flatMap(proxy => proxy.requests), coldStart.from, coldStart.to, requestKinds);
		return {floor, error: undefined, ...(trace === undefined ? {} : {startupTrace: trace})};
	} catch (error) {
		return {floor: undefined, error: message(error)};
	}
}

/**
 * How long the steady window may run before it ends with the refreshes it has. Above 1,009
 * connectors a refresh can take several seconds, and 40 s held only 2–4 of them: too few to
 * trust, so the window may run three times as long there.
 */
function windowMaxMs(settings: Plan, connectors: number): number {
	return connectors > 1009 ? settings.windowMaxMs * 3 : settings.windowMaxMs;
}

/** Node flags that make kctop write a CPU and a heap profile when it quits (the bench quits it with `q`). */
function profileArgs(dir: string | undefined, name: string): string[] {
	if (dir === undefined) return [];
	return ['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-name', `kctop-${name}.cpuprofile`, '--heap-prof', '--heap-prof-dir', dir, '--heap-prof-name', `kctop-${name}.heapprofile`];
}

function machine(): string {
	const model = cpus()[0]?.model.trim() ?? 'unknown CPU';
	return `${cpus().length} × ${model}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM (${(freemem() / 2 ** 30).toFixed(1)} GiB free at start), Node ${process.version}`;
}

async function main(): Promise<void> {
	const settings = await plan(process.argv.slice(2));
	// kctop is started with this Node (process.execPath): an older one would only print its version error.
	if (Number(process.versions.node.split('.')[0]) < 22) throw new UsageError(`Node ${process.version} runs the bench, and kctop needs Node 22 or newer: use npm run bench, or node_modules/.bin/node dist/bench/run.js`);
	const startedAt = new Date();
	const machineText = machine();
	const prometheusInstalled = await hasPrometheus();
	log(`${settings.quick ? 'quick' : 'full'} run: ${settings.sizes.join(', ')} connectors, ${settings.modes.join(' + ')} mode; ${settings.nodeEnvNote}`);
	const warmState = await mkdtemp(join(tmpdir(), 'kctop-bench-state-'));
	try {
		const warm = await warmCompileCache({...kctopLaunch(settings.nodeFlags, []), env: kctopEnv(settings.nodeEnv, warmState), columns, rows, timeoutMs: 60_000});
		log(warm.ok ? `compile cache warmed: kctop --demo to its first frame and q, ${(warm.ms / 1000).toFixed(1)} s` : `compile cache not warmed (${warm.detail}): the first session may start with a cold cache`);
	} finally {
		await rm(warmState, {recursive: true, force: true});
	}
	const sizes: SizeResult[] = [];
	for (const connectors of settings.sizes) sizes.push(await measureSize(connectors, settings, prometheusInstalled));
	const processStartMs = await measureProcessStart();
	const inkFloor = await access(inkFloorBundle, constants.R_OK)
		.then(() => measureInkFloor({command: process.execPath, bundle: inkFloorBundle, env: kctopEnv('production', tmpdir()), columns, rows, runs: 5, timeoutMs: 30_000}))
		.then(
			floor => ({floor, error: undefined}),
			(error: unknown) => ({floor: undefined, error: message(error)}),
		);
	if (inkFloor.error !== undefined) log(`Ink floor not measured: ${inkFloor.error}`);
	const inkFloorMs = inkFloor.floor?.ms;
	const inkFloorRssBytes = inkFloor.floor?.rssBytes;
	const context = {intervalMs, columns, rows, processStartMs, inkFloorMs, inkFloorRssBytes};
	const floorNotes = sizes.map(size =>
		size.floor === undefined
			? `${size.connectors}: floor failed: ${size.floorError ?? '?'}`
			: `${size.connectors}: ${size.floor.rounds} rounds, ${size.floor.cpuPerFetchMs.toFixed(2)} ms CPU and ${size.floor.medianWallMs.toFixed(1)} ms wall each, cold start ${Math.round(size.floor.coldStartMs)} ms, ${(size.floor.rssBytes ?? 0) / 1e6 > 0 ? `${((size.floor.rssBytes ?? 0) / 1e6).toFixed(0)} MB RSS` : 'RSS unknown'}`,
	);
	const idle = settings.modes.flatMap(mode => {
		const run = sizes.find(size => size.connectors === 9)?.runs.find(each => each.mode === mode);
		const settled = run?.session?.settled;
		return run?.session === undefined ? [] : [`${mode} ${(run.session.window.shareOfCore * 100).toFixed(2)} % of a core${settled === undefined ? '' : ` (${(settled.shareOfCore * 100).toFixed(2)} % from ${Math.round(settled.startedAfterMs / 1000)} s after the start)`}`];
	});
	const text = [
		`kctop bench, ${startedAt.toISOString()} (${settings.quick ? '--quick' : 'full'})`,
		`machine: ${machineText}`,
		`kctop: ${settings.nodeFlags.length === 0 && settings.profileDir === undefined ? 'bin/kctop.cjs run as a command (/bin/sh, then this Node once)' : `node ${settings.nodeFlags.join(' ')}${settings.profileDir === undefined ? '' : ' (profile flags)'} bin/kctop.cjs (relaunched once)`} in a ${columns}×${rows} pseudo-terminal, --interval ${intervalMs / 1000}s --timeout ${settings.requestTimeout}; ${settings.nodeEnvNote}`,
		`servers: demo simulator (--scenario steady) live for REST; each worker's exposition captured once and replayed; Prometheus ${prometheusInstalled ? `${prometheusBinary} scraping the replays every ${settings.sizes.map(size => `${prometheusScrapeSeconds(size)} s`).join(' / ')}${settings.backfill ? ', its TSDB backfilled with the history kctop reads at start-up (promtool)' : ', no history backfilled (--no-backfill)'}` : 'not installed'}`,
		'',
		reportTables(settings.modes, sizes, context),
		'',
		...(idle.length > 0 ? [`idle cost (9 connectors, steady scenario): ${idle.join(', ')}`] : []),
		`floor (fetch + JSON.parse of GET /connectors?expand=status&expand=info in a child node process): ${floorNotes.join('; ')}`,
		`process start (a bare node to its first output): ${formatMs(processStartMs)}; Ink floor (one line drawn by Ink, React and yoga-layout, bundled as kctop is, warm compile cache): ${inkFloorMs === undefined ? `not measured (${inkFloor.error ?? '?'})` : `${formatMs(inkFloorMs)}, ${inkFloorRssBytes === undefined ? 'RSS unknown' : `${formatBytes(inkFloorRssBytes)} RSS`} with its line up`}`,
		'',
	].join('\n');
	process.stdout.write(text);
	await mkdir(settings.outDir, {recursive: true});
	const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
	const json = `${JSON.stringify({startedAt: startedAt.toISOString(), machine: machineText, quick: settings.quick, nodeEnv: settings.nodeEnvNote, intervalMs, processStartMs, inkFloorMs, inkFloorRssBytes, terminal: {columns, rows}, sizes}, null, 2)}\n`;
	await writeFile(`${settings.outDir}/bench-${stamp}.json`, json);
	await writeFile(`${settings.outDir}/latest.json`, json);
	await writeFile(`${settings.outDir}/latest.md`, text);
	log(`wrote ${settings.outDir}/bench-${stamp}.json, latest.json and latest.md`);
}

/**
 * What must be stopped if the bench is: the simulator, Prometheus and the proxies of the size
 * being measured. Ctrl-C reaches them through the terminal's process group; a SIGTERM (from
 * `timeout`, a CI runner or `kill`) reaches only the bench, and they were left running.
 */
const running = new Set<() => Promise<void>>();
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
	process.once(signal, () => {
		log(`${signal}: stopping the servers`);
		const code = 128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1);
		void Promise.all([...running].map(stop => stop())).finally(() => process.exit(code));
	});
}

main().catch((error: unknown) => {
	if (error instanceof UsageError) {
		process.stderr.write(`${error.message === '' ? '' : `bench: ${error.message}\n`}${usage}\n`);
		process.exitCode = error.message === '' ? 0 : 2;
		return;
	}
	process.stderr.write(`bench failed: ${message(error)}\n`);
	process.exitCode = 1;
});
