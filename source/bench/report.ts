import {formatTrace, requestKinds, type RequestKind, type TracedRequest} from './counting-proxy.js';
import type {Floor} from './floor.js';
import type {RssParts} from './proc.js';
import {firstFrameBudgetMs, inkFirstFrameBudgetMs} from './process-start.js';
import type {ScrapeFloor} from './scrape-floor.js';
import {median, type RepeatedStarts} from './starts.js';
import type {SessionResult} from './session.js';

/** Turning measurements into the bench's table: pure functions, no I/O. */

export type BenchMode = 'prometheus' | 'scrape';

export interface ModeRun {
	readonly mode: BenchMode;
	readonly session: SessionResult | undefined;
	/** Why there is no session (e.g. no Prometheus installed, kctop never drew a frame). */
	readonly error: string | undefined;
	/**
	 * Prometheus mode: the floor of a client that reads both sources, measured after the
	 * session: the REST body and the instant query kctop sent, each fetched and JSON.parsed;
	 * its cold start reads kctop's start-up range query too.
	 */
	readonly bothFloor?: Floor | undefined;
	readonly bothFloorError?: string | undefined;
	/** The requests of that floor's cold start (its first round), timed as kctop's start-up trace is. */
	readonly bothFloorStartupTrace?: readonly TracedRequest[] | undefined;
	/** Scrape mode: every exporter body fetched in parallel and dropped, nothing parsed (scrape-floor.ts). */
	readonly scrapeFloor?: ScrapeFloor | undefined;
	readonly scrapeFloorError?: string | undefined;
	/** Prometheus mode at sizes up to 9 connectors: kctop's first frame and the floor reading both's cold start, started in turns several times (starts.ts). */
	readonly starts?: RepeatedStarts | undefined;
	readonly startsError?: string | undefined;
}

export interface SizeResult {
	readonly connectors: number;
	readonly floor: Floor | undefined;
	readonly floorError: string | undefined;
	readonly runs: readonly ModeRun[];
}

export interface ReportContext {
	readonly intervalMs: number;
	readonly columns: number;
	readonly rows: number;
	/** Spawn of a bare Node process to its first output, ms (measureProcessStart), when measured. */
	readonly processStartMs?: number | undefined;
	/** Spawn of the one-line Ink program to its line on the screen, ms (measureInkFloor), when measured. */
	readonly inkFloorMs?: number | undefined;
	/** Its resident memory with the line up, bytes, when measured. */
	readonly inkFloorRssBytes?: number | undefined;
}

const kindNames: Readonly<Record<RequestKind, string>> = {rest: 'REST', 'promql-instant': 'instant', 'promql-range': 'range', metadata: 'metadata', scrape: 'scrape'};

function decimals(value: number): string {
	if (!Number.isFinite(value)) return String(value);
	const size = Math.abs(value);
	return size >= 100 ? value.toFixed(0) : size >= 10 ? value.toFixed(1).replace(/\.0$/, '') : value.toFixed(2).replace(/0$/, '').replace(/\.0$/, '');
}

export function formatCount(value: number): string {
	return Number.isInteger(value) ? value.toLocaleString('en') : decimals(value);
}

export function formatMs(ms: number): string {
	return ms >= 1000 ? `${decimals(ms / 1000)} s` : `${decimals(ms)} ms`;
}

export function formatBytes(bytes: number): string {
	if (bytes >= 1e6) return `${decimals(bytes / 1e6)} MB`;
	if (bytes >= 1e3) return `${decimals(bytes / 1e3)} kB`;
	return `${decimals(bytes)} B`;
}

/** "33×"; "–" when the floor is unknown or zero. */
export function formatRatio(value: number, floor: number | undefined): string {
	if (floor === undefined || !(floor > 0) || !Number.isFinite(value)) return '–';
	return `${decimals(value / floor)}×`;
}

/** "18: 1 REST + 17 instant" (kinds with a zero count left out). */
export function formatRequests(counts: Readonly<Record<RequestKind, number>>): string {
	const total = requestKinds.reduce((sum, kind) => sum + counts[kind], 0);
	const parts = requestKinds.filter(kind => counts[kind] > 0).map(kind => `${formatCount(counts[kind])} ${kindNames[kind]}`);
	return parts.length === 0 ? '0' : `${formatCount(total)}: ${parts.join(' + ')}`;
}

/** A Markdown table (readable as plain text too), every column padded to its widest cell. */
export function markdownTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
	const widths = header.map((title, column) => Math.max(3, title.length, ...rows.map(row => (row[column] ?? '').length)));
	const line = (cells: readonly string[]): string => `| ${widths.map((width, column) => (cells[column] ?? '').padEnd(width)).join(' | ')} |`;
	return [line(header), `|${widths.map(width => '-'.repeat(width + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

type Cell = (session: SessionResult, floor: Floor | undefined, run: ModeRun) => string;

/** The rows of one mode's table: [figure, cell for each size]. Every figure carries its ratio to the floor. */
/** The least, the median and the most of some values. */
export function spread(values: readonly number[]): [number, number, number] {
	const sorted = [...values].sort((a, b) => a - b);
	return [sorted[0] ?? Number.NaN, sorted[Math.floor(sorted.length / 2)] ?? Number.NaN, sorted[sorted.length - 1] ?? Number.NaN];
}

export function modeRows(mode: BenchMode, sizes: readonly SizeResult[], context: ReportContext): string[][] {
	const screenBytes = context.columns * context.rows;
	const figures: ReadonlyArray<readonly [string, Cell]> = [
		['HTTP requests per refresh (÷ 1 request)', s => `${formatRequests(s.window.requestsPerRefresh)} (${formatRatio(s.window.totalRequestsPerRefresh, 1)})`],
		['requests from start to end of warm-up', s => formatRequests(s.startupRequests)],
		['kctop CPU per refresh (÷ floor CPU)', (s, f) => `${formatMs(s.window.cpuPerRefreshMs)} (${formatRatio(s.window.cpuPerRefreshMs, f?.cpuPerFetchMs)})`],
		['CPU of each refresh in the window: least, median, most', s => (s.window.cpuEachMs.length === 0 ? '–' : spread(s.window.cpuEachMs).map(formatMs).join(', '))],
		['floor: CPU of one fetch + JSON.parse', (_s, f) => (f === undefined ? '–' : `${formatMs(f.cpuPerFetchMs)} (${formatBytes(f.bodyBytes)} body)`)],
		...(mode === 'prometheus'
			? ([
					[
						'floor reading both sources: REST body + instant answer',
						(_s, _f, run) => (run.bothFloor === undefined ? (run.bothFloorError === undefined ? '–' : `failed: ${run.bothFloorError}`.slice(0, 60)) : `${formatMs(run.bothFloor.cpuPerFetchMs)} (${formatBytes(run.bothFloor.bodyBytes)} bodies)`),
					],
					['kctop CPU per refresh ÷ floor reading both', (s, _f, run) => formatRatio(s.window.cpuPerRefreshMs, run.bothFloor?.cpuPerFetchMs)],
					['start-up range answer: body, series, [time, value] pairs', (_s, _f, run) => (run.bothFloor?.startupAnswer === undefined ? '–' : `${formatBytes(run.bothFloor.startupAnswer.bytes)}, ${formatCount(run.bothFloor.startupAnswer.series)}, ${formatCount(run.bothFloor.startupAnswer.pairs)}`)],
				] satisfies ReadonlyArray<readonly [string, Cell]>)
			: []),
		...(mode === 'scrape'
			? ([
					[
						'scrape floor: every exporter body fetched, nothing parsed',
						(_s, _f, run) => (run.scrapeFloor === undefined ? (run.scrapeFloorError === undefined ? '–' : `failed: ${run.scrapeFloorError}`.slice(0, 60)) : `${formatMs(run.scrapeFloor.cpuPerRoundMs)} CPU, ${formatMs(run.scrapeFloor.medianWallMs)} wall (${formatBytes(run.scrapeFloor.bodyBytes)} bodies)`),
					],
					['kctop CPU per refresh ÷ scrape floor CPU', (s, _f, run) => formatRatio(s.window.cpuPerRefreshMs, run.scrapeFloor?.cpuPerRoundMs)],
					['refresh wall ÷ scrape floor wall', (s, _f, run) => (s.window.refreshMs === undefined ? '–' : formatRatio(s.window.refreshMs, run.scrapeFloor?.medianWallMs))],
				] satisfies ReadonlyArray<readonly [string, Cell]>)
			: []),
		['share of one core (÷ floor at the same interval)', (s, f) => `${decimals(s.window.shareOfCore * 100)} % (${formatRatio(s.window.shareOfCore, f === undefined ? undefined : f.cpuPerFetchMs / context.intervalMs)})`],
		[
			'share of one core, settled: a window from 1 min after the start (÷ floor at the same interval)',
			(s, f) => (s.settled === undefined ? '–' : `${decimals(s.settled.shareOfCore * 100)} % (${formatRatio(s.settled.shareOfCore, f === undefined ? undefined : f.cpuPerFetchMs / context.intervalMs)}), ${s.settled.refreshes} refreshes from ${formatMs(s.settled.startedAfterMs)}`),
		],
		[
			'resident memory: first frame → warm → end (÷ floor process)',
			(s, f) => {
				const mb = (bytes: number | undefined): string => (bytes === undefined ? '?' : decimals(bytes / 1e6));
				return `${mb(s.rss.atFirstFrame)} → ${mb(s.rss.afterWarmup)} → ${mb(s.rss.atEnd)} MB (${formatRatio(s.rss.atEnd ?? Number.NaN, f?.rssBytes)})`;
			},
		],
		[
			'resident memory at the end: own (RssAnon) + mapped files (RssFile), floor process the same',
			(s, f) => {
				const parts = (p: RssParts | undefined): string => (p === undefined ? '?' : `${decimals(p.anon / 1e6)} + ${decimals((p.file + p.shmem) / 1e6)}`);
				return s.rss.partsAtEnd === undefined ? '–' : `${parts(s.rss.partsAtEnd)} MB (floor ${parts(f?.rssParts)})`;
			},
		],
		[
			'resident memory at the end ÷ Ink floor process',
			s => (context.inkFloorRssBytes === undefined || s.rss.atEnd === undefined ? '–' : `${formatRatio(s.rss.atEnd, context.inkFloorRssBytes)} (Ink floor ${formatBytes(context.inkFloorRssBytes)})`),
		],
		['first complete frame (÷ floor cold start)', (s, f) => `${formatMs(s.firstFrameMs)} (${formatRatio(s.firstFrameMs, f?.coldStartMs)})`],
		...(mode === 'prometheus'
			? ([
					[
						'first complete frame ÷ cold start of floor reading both',
						(s, _f, run) => (run.bothFloor === undefined ? '–' : `${formatRatio(s.firstFrameMs, run.bothFloor.coldStartMs)} (floor cold start ${formatMs(run.bothFloor.coldStartMs)})`),
					],
					[
						'first complete frame ÷ (process start + 2 × what the floor reading both adds to it)',
						(s, _f, run) => {
							const start = context.processStartMs;
							if (run.bothFloor === undefined || start === undefined) return '–';
							const budget = firstFrameBudgetMs(start, run.bothFloor.coldStartMs);
							return `${formatRatio(s.firstFrameMs, budget)} (budget ${formatMs(budget)}, process start ${formatMs(start)})`;
						},
					],
					[
						'first complete frame ÷ (Ink floor + 2 × what the floor reading both adds to process start)',
						(s, _f, run) => {
							const start = context.processStartMs;
							const ink = context.inkFloorMs;
							if (run.bothFloor === undefined || start === undefined || ink === undefined) return '–';
							const budget = inkFirstFrameBudgetMs(ink, start, run.bothFloor.coldStartMs);
							return `${formatRatio(s.firstFrameMs, budget)} (budget ${formatMs(budget)})`;
						},
					],
					[
						'first complete frame over repeated starts, median (each, ms): kctop; floor reading both, cold start',
						(_s, _f, run) => {
							if (run.starts === undefined) return run.startsError === undefined ? '–' : `failed: ${run.startsError}`.slice(0, 60);
							const each = (values: readonly number[]): string => values.map(value => Math.round(value)).join(' ');
							return `${formatMs(median(run.starts.kctopMs))} (${each(run.starts.kctopMs)}); ${formatMs(median(run.starts.floorMs))} (${each(run.starts.floorMs)})`;
						},
					],
					[
						'… median first frame ÷ (process start + 2 × what the median floor cold start adds to it); ÷ the same on the Ink floor',
						(_s, _f, run) => {
							const start = context.processStartMs;
							if (run.starts === undefined || start === undefined) return '–';
							const frame = median(run.starts.kctopMs);
							const floor = median(run.starts.floorMs);
							const budget = firstFrameBudgetMs(start, floor);
							const inkBudget = context.inkFloorMs === undefined ? undefined : inkFirstFrameBudgetMs(context.inkFloorMs, start, floor);
							const onInk = inkBudget === undefined ? '–' : `${formatRatio(frame, inkBudget)} (budget ${formatMs(inkBudget)})`;
							return `${formatRatio(frame, budget)} (budget ${formatMs(budget)}); ${onInk}`;
						},
					],
				] satisfies ReadonlyArray<readonly [string, Cell]>)
			: []),
		...(mode === 'prometheus'
			? ([
					['start-up PromQL answers before the first frame: kctop', s => formatTrace(s.startupTrace.filter(each => each.kind !== 'rest'))],
					['… and the floor reading both, before its first round was read', (_s, _f, run) => (run.bothFloorStartupTrace === undefined ? '–' : formatTrace(run.bothFloorStartupTrace.filter(each => each.kind !== 'rest')))],
				] satisfies ReadonlyArray<readonly [string, Cell]>)
			: []),
		['first complete frame ÷ Ink floor (one line drawn by Ink)', s => (context.inkFloorMs === undefined ? '–' : `${formatRatio(s.firstFrameMs, context.inkFloorMs)} (Ink floor ${formatMs(context.inkFloorMs)})`)],
		['sparklines on screen (÷ floor cold start)', (s, f) => (s.sparklinesMs === undefined ? 'not seen' : `${formatMs(s.sparklinesMs)} (${formatRatio(s.sparklinesMs, f?.coldStartMs)})`)],
		['refresh: first request → screen written (÷ floor wall)', (s, f) => (s.window.refreshMs === undefined ? '–' : `${formatMs(s.window.refreshMs)} (${formatRatio(s.window.refreshMs, f?.medianWallMs)})`)],
		[`terminal bytes per refresh (÷ one ${context.columns}×${context.rows} screen)`, s => `${formatBytes(s.window.bytesPerRefresh)} (${formatRatio(s.window.bytesPerRefresh, screenBytes)})`],
		['steady window', s => `${s.window.refreshes} refreshes, ${formatMs(s.window.wallMs)}`],
	];
	return figures.map(([label, cell]) => [
		label,
		...sizes.map(size => {
			const run = size.runs.find(each => each.mode === mode);
			if (run?.session === undefined) return run?.error === undefined ? '–' : `failed: ${run.error.split('\n')[0] ?? ''}`.slice(0, 60);
			return cell(run.session, size.floor, run);
		}),
	]);
}

export const modeTitles: Readonly<Record<BenchMode, string>> = {prometheus: 'Prometheus mode', scrape: 'scrape mode (--scrape)'};

/** One table per mode that ran, columns by connector count. */
export function reportTables(modes: readonly BenchMode[], sizes: readonly SizeResult[], context: ReportContext): string {
	const header = ['', ...sizes.map(size => `${size.connectors.toLocaleString('en')} connectors`)];
	return modes.map(mode => `${modeTitles[mode]}\n\n${markdownTable(header, modeRows(mode, sizes, context))}`).join('\n\n');
}
