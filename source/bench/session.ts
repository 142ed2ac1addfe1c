import {performance} from 'node:perf_hooks';
import {setTimeout as sleep} from 'node:timers/promises';
import {countByKind, requestKinds, requestTrace, type CountingProxy, type ProxiedRequest, type RequestKind, type TracedRequest} from './counting-proxy.js';
import {cpuMs, rssBytes, rssParts, type RssParts} from './proc.js';
import {startTerminal} from './terminal.js';

/**
 * One kctop process in a pseudo-terminal, measured from outside: refreshes are marked by
 * its `GET /connectors?expand=…` arriving at the counting proxy; at each mark the bench
 * reads the process's CPU counters and the terminal byte count, so a window of N refreshes
 * is exactly N refresh periods, however long each one took.
 */

export interface SessionOptions {
	readonly command: string;
	readonly args: readonly string[];
	readonly env: Readonly<Record<string, string>>;
	readonly columns: number;
	readonly rows: number;
	/** The connector count the header must show for the first complete frame. */
	readonly connectors: number;
	/** "Prometheus" or "scrape": the sources line must say "<name> ok". */
	readonly metricsName: string;
	readonly proxies: readonly CountingProxy[];
	readonly warmupRefreshes: number;
	readonly windowRefreshes: number;
	/** The window ends early (with at least two refreshes) once this much wall time has passed. */
	readonly windowMaxMs: number;
	readonly firstFrameTimeoutMs: number;
	readonly intervalMs: number;
	/**
	 * A second window of `refreshes` refreshes, from the first refresh at least `afterMs` after
	 * the spawn: the idle cost of a session that has run for a while, once V8 has compiled its
	 * hot paths (the steady window starts seconds after the first frame, while it still does).
	 */
	readonly settledWindow?: {readonly afterMs: number; readonly refreshes: number} | undefined;
}

interface Mark {
	readonly at: number;
	readonly cpuMs: number;
	readonly bytes: number;
}

export interface SessionResult {
	/** Spawn → the output that made the screen show the header counts and both sources ok arrived, ms. */
	readonly firstFrameMs: number;
	/** Spawn → the output that put a sparkline glyph on the screen arrived, ms (undefined: none seen before the window ended). */
	readonly sparklinesMs: number | undefined;
	/** Requests from spawn to the start of the steady window, by kind. */
	readonly startupRequests: Record<RequestKind, number>;
	/** Every request from spawn to the first complete frame: when it went out, how long its answer took, whether kctop gave up on it. */
	readonly startupTrace: readonly TracedRequest[];
	readonly window: {
		readonly refreshes: number;
		readonly wallMs: number;
		readonly cpuMs: number;
		readonly cpuPerRefreshMs: number;
		/** CPU ÷ wall over the window: the share of one core. */
		readonly shareOfCore: number;
		readonly bytesPerRefresh: number;
		readonly requestsPerRefresh: Record<RequestKind, number>;
		readonly totalRequestsPerRefresh: number;
		/** Median of: a refresh's first request → its last response → the next terminal write, ms. */
		readonly refreshMs: number | undefined;
		/** CPU of each refresh of the window, ms (from its mark to the next): a refresh whose answers had not changed costs less. */
		readonly cpuEachMs: readonly number[];
		/** Every request of the window, timed from its start: how the refreshes were spaced and what each waited for. */
		readonly trace: readonly TracedRequest[];
	};
	readonly rss: {
		readonly atFirstFrame: number | undefined;
		readonly afterWarmup: number | undefined;
		readonly atEnd: number | undefined;
		/** At the end, by kind: kctop's own memory, and the mapped files (the Node binary) it shares. */
		readonly partsAtEnd: RssParts | undefined;
		readonly max: number | undefined;
		readonly samples: ReadonlyArray<{readonly atMs: number; readonly bytes: number}>;
	};
	/** The settled window, when one was asked for. */
	readonly settled?: {readonly startedAfterMs: number; readonly refreshes: number; readonly wallMs: number; readonly cpuPerRefreshMs: number; readonly shareOfCore: number} | undefined;
	readonly exitCode: number | undefined;
}

const sparkGlyphs = /[▁▂▃▄▅▆▇█]/;

async function waitFor(what: string, timeoutMs: number, check: () => boolean | Promise<boolean>, describe: () => Promise<string> | string): Promise<void> {
	const deadline = performance.now() + timeoutMs;
	while (!(await check())) {
		if (performance.now() > deadline) throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}${await describe()}`);
		await sleep(50);
	}
}

function median(values: readonly number[]): number | undefined {
	if (values.length === 0) return undefined;
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)];
}

/**
 * How far before its marking REST call a refresh's other requests may arrive. kctop sends a
 * refresh's requests in one turn of its event loop, over separate connections, so the instant
 * query or a scrape can reach its proxy a fraction of a millisecond before the expand call;
 * two refreshes are at least the refresh interval apart.
 */
export const refreshSlackMs = 250;

/** For each refresh between consecutive marks: its first request → end of its last response → the next terminal write. */
export function refreshTimes(marks: readonly number[], requests: readonly ProxiedRequest[], writes: readonly number[]): number[] {
	const times: number[] = [];
	for (let i = 0; i + 1 < marks.length; i++) {
		const mark = marks[i] ?? 0;
		const next = marks[i + 1] ?? 0;
		let firstStart: number | undefined;
		let lastEnd: number | undefined;
		for (const each of requests) {
			if (each.startedAt < mark - refreshSlackMs || each.startedAt >= next - refreshSlackMs || each.endedAt === undefined) continue;
			if (firstStart === undefined || each.startedAt < firstStart) firstStart = each.startedAt;
			if (lastEnd === undefined || each.endedAt > lastEnd) lastEnd = each.endedAt;
		}
		if (lastEnd === undefined || firstStart === undefined) continue;
		const written = writes.find(at => at >= lastEnd);
		if (written !== undefined && written < next) times.push(written - firstStart);
	}
	return times;
}

/** The first complete frame: the header counts `connectors`, and REST and the metrics source (`metricsName`) are ok. */
export function firstFrameShown(connectors: number, metricsName: string): (text: string) => boolean {
	const header = new RegExp(`connectors ${connectors}\\b`);
	return text => header.test(text) && /REST ok/.test(text) && text.includes(`${metricsName} ok`);
}

export async function measureSession(options: SessionOptions): Promise<SessionResult> {
	const now = (): number => performance.now();
	const spawnedAt = now();
	const terminal = startTerminal(options.command, options.args, {columns: options.columns, rows: options.rows, env: options.env, now});
	const pid = terminal.pid;
	const marks: Mark[] = [];
	let measuring = true;
	for (const proxy of options.proxies) {
		proxy.onRefreshMarker(at => {
			if (measuring && terminal.exitCode() === undefined) marks.push({at, cpuMs: cpuMs(pid), bytes: terminal.bytes()});
		});
	}
	const samples: Array<{atMs: number; bytes: number}> = [];
	const sampleRss = (): number | undefined => {
		const bytes = rssBytes(pid);
		if (bytes !== undefined) samples.push({atMs: Math.round(now() - spawnedAt), bytes});
		return bytes;
	};
	const sampler = setInterval(sampleRss, 1000);
	const allRequests = (): ProxiedRequest[] => options.proxies.flatMap(proxy => proxy.requests);
	const alive = (): void => {
		const exitCode = terminal.exitCode();
		if (exitCode !== undefined) {
			const said = terminal.lastLine();
			throw new Error(`kctop exited with code ${exitCode}${said === '' ? '' : `: ${said}`}`);
		}
	};

	try {
		// The screen is looked at every 50 ms; what it shows is dated by the arrival of the output
		// that drew it (terminal.screenAt), so the polling adds nothing to the times.
		let sparklinesAt: number | undefined;
		const watchSparklines = async (): Promise<void> => {
			if (sparklinesAt !== undefined) return;
			const screen = await terminal.screenAt();
			if (sparkGlyphs.test(screen.text)) sparklinesAt = screen.at ?? now();
		};
		const shown = firstFrameShown(options.connectors, options.metricsName);
		let firstFrameAt = Number.NaN;
		await waitFor(
			'the first complete frame',
			options.firstFrameTimeoutMs,
			async () => {
				alive();
				const screen = await terminal.screenAt();
				firstFrameAt = screen.at ?? now();
				return shown(screen.text);
			},
			async () => `; the screen was:\n${await terminal.screen()}`,
		);
		const firstFrameMs = firstFrameAt - spawnedAt;
		const rssAtFirstFrame = sampleRss();
		await watchSparklines();

		const startMark = marks.length - 1 + options.warmupRefreshes;
		const refreshDeadline = (count: number): number => options.firstFrameTimeoutMs + count * (options.intervalMs + 30_000);
		await waitFor(`${options.warmupRefreshes} warm-up refreshes`, refreshDeadline(options.warmupRefreshes), async () => {
			alive();
			await watchSparklines();
			return marks.length > startMark;
		}, () => '');
		const settledWindow = async (settle: {readonly afterMs: number; readonly refreshes: number}): Promise<SessionResult['settled']> => {
			const firstAfter = (): number => marks.findIndex(mark => mark.at - spawnedAt >= settle.afterMs);
			await waitFor('the start of the settled window', settle.afterMs + refreshDeadline(1), () => {
				alive();
				return firstAfter() >= 0;
			}, () => '');
			const from = firstAfter();
			await waitFor(`${settle.refreshes} settled refreshes`, refreshDeadline(settle.refreshes), () => {
				alive();
				return marks.length - 1 - from >= settle.refreshes;
			}, () => '');
			const first = marks[from];
			const last = marks[from + settle.refreshes];
			if (first === undefined || last === undefined) throw new Error('no refresh marked the settled window');
			const cpu = last.cpuMs - first.cpuMs;
			return {startedAfterMs: first.at - spawnedAt, refreshes: settle.refreshes, wallMs: last.at - first.at, cpuPerRefreshMs: cpu / settle.refreshes, shareOfCore: cpu / (last.at - first.at)};
		};
		const start = marks[startMark];
		if (start === undefined) throw new Error('no refresh marked the start of the window');
		const rssAfterWarmup = sampleRss();
		const windowStartedAt = now();
		await waitFor(`${options.windowRefreshes} steady refreshes`, refreshDeadline(options.windowRefreshes), async () => {
			alive();
			await watchSparklines();
			const done = marks.length - 1 - startMark;
			return done >= options.windowRefreshes || (done >= 2 && now() - windowStartedAt >= options.windowMaxMs);
		}, () => '');
		const endMark = Math.min(marks.length - 1, startMark + options.windowRefreshes);
		const end = marks[endMark];
		if (end === undefined) throw new Error('no refresh marked the end of the window');
		const rssAtEnd = sampleRss();
		const rssPartsAtEnd = rssParts(pid);
		const settled = options.settledWindow === undefined ? undefined : await settledWindow(options.settledWindow);
		measuring = false;
		const refreshes = endMark - startMark;
		const counts = countByKind(allRequests(), start.at - refreshSlackMs, end.at - refreshSlackMs);
		const requestsPerRefresh = {...counts};
		for (const kind of requestKinds) requestsPerRefresh[kind] = counts[kind] / refreshes;
		const cpu = end.cpuMs - start.cpuMs;
		const wallMs = end.at - start.at;
		return {
			...(settled === undefined ? {} : {settled}),
			firstFrameMs,
			sparklinesMs: sparklinesAt === undefined ? undefined : sparklinesAt - spawnedAt,
			startupRequests: countByKind(allRequests(), spawnedAt, start.at - refreshSlackMs),
			startupTrace: requestTrace(allRequests(), spawnedAt, firstFrameAt, requestKinds),
			window: {
				refreshes,
				wallMs,
				cpuMs: cpu,
				cpuPerRefreshMs: cpu / refreshes,
				shareOfCore: cpu / wallMs,
				bytesPerRefresh: (end.bytes - start.bytes) / refreshes,
				requestsPerRefresh,
				totalRequestsPerRefresh: Object.values(counts).reduce((a, b) => a + b, 0) / refreshes,
				refreshMs: median(refreshTimes(marks.slice(startMark, endMark + 1).map(mark => mark.at), allRequests(), terminal.writes.map(write => write.at))),
				trace: requestTrace(allRequests(), start.at - refreshSlackMs, end.at - refreshSlackMs, requestKinds),
				cpuEachMs: marks.slice(startMark + 1, endMark + 1).map((mark, index) => mark.cpuMs - (marks[startMark + index]?.cpuMs ?? Number.NaN)),
			},
			rss: {
				atFirstFrame: rssAtFirstFrame,
				afterWarmup: rssAfterWarmup,
				atEnd: rssAtEnd,
				partsAtEnd: rssPartsAtEnd,
				max: samples.length === 0 ? undefined : Math.max(...samples.map(sample => sample.bytes)),
				samples,
			},
			exitCode: terminal.exitCode(),
		};
	} finally {
		clearInterval(sampler);
		if (terminal.exitCode() === undefined) {
			terminal.write('q');
			const quit = await Promise.race([terminal.exited.then(() => true), sleep(5000).then(() => false)]);
			if (!quit) terminal.kill();
			await terminal.exited;
		}
	}
}
