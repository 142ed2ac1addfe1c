import {formatCount} from './format.js';
import {counterIncrease} from './history.js';

/**
 * A Burrow-style verdict on a sink connector's consumer lag over the history window (the
 * points the sparklines show, the current refresh last). Pure: the window comes in.
 *
 * - lag: the connector's sink lag (kafka-exporter `kafka_consumergroup_lag` of
 *   `connect-<connector>` when present, else the largest consumer `records-lag-max` of its
 *   tasks `connector-consumer-<connector>-<task>`), records.
 * - consumption: `sink-record-read` per second, summed over the tasks.
 * - commits: `offset-commit-completion-total`, summed over the tasks (a counter; a restart
 *   resets it, which counts as commits, as Prometheus' increase() does).
 *
 * Verdicts, first that applies:
 * - STOP: no offset commit over the whole window while lag > 0 or no task is RUNNING; or
 *   no task RUNNING with lag > 0 when commits are not exported. Nothing is consuming.
 * - STALL: lag > 0 and no record read at any point of the window (every known read rate 0),
 *   while commits (if known) still happen: the task is alive but its consumer does not move.
 * - WARN: records are being read, lag > 0 and it never went down over the window, rising at
 *   least once: the sink is falling behind.
 * - OK: anything else.
 * The window needs `minPoints` lag values; with fewer there is no verdict (only STOP by task
 * state). The trend and the time to catch up come from the least-squares slope of the last
 * `trendPoints` lag values: time to catch up = lag ÷ net drain (records/s the lag falls by).
 */

export type SinkVerdictName = 'OK' | 'WARN' | 'STALL' | 'STOP';

export type LagTrend = 'growing' | 'draining' | 'steady';

/** How long until the lag is gone: already, never at this pace, an estimate, or unknown. */
export type CatchUp = {readonly kind: 'caught-up'} | {readonly kind: 'never'} | {readonly kind: 'eta'; readonly ms: number} | {readonly kind: 'unknown'};

export interface SinkVerdict {
	readonly verdict: SinkVerdictName;
	/** One line: what the verdict rests on. */
	readonly reason: string;
	readonly trend: LagTrend | undefined;
	/** Lag change per second over the trend points (negative: draining); undefined without a time step. */
	readonly slopePerSecond: number | undefined;
	readonly catchUp: CatchUp;
	/** Lag values the window held. */
	readonly points: number;
}

export interface SinkWindow {
	/** Lag (records) oldest first, the current value last; NaN where unknown. */
	readonly lag: ArrayLike<number>;
	/** Records read per second, aligned with `lag`; NaN where unknown. */
	readonly readRate: ArrayLike<number>;
	/** offset-commit-completion-total, aligned with `lag`; NaN where unknown. */
	readonly commits: ArrayLike<number>;
	/** Milliseconds between two points (one refresh); undefined when not known yet. */
	readonly stepMs: number | undefined;
	readonly connectorState: string;
	readonly tasksRunning: number;
	readonly tasksTotal: number;
}

export interface SinkVerdictOptions {
	/** Lag values needed before a verdict over the window (default 3). */
	readonly minPoints: number;
	/** Points the trend and the catch-up estimate are taken over (default 10, the most recent). */
	readonly trendPoints: number;
}

export const defaultSinkVerdictOptions: SinkVerdictOptions = {minPoints: 3, trendPoints: 10};

// The window functions below run for every sink on every refresh: they read the window in
// place (from index `from` on, for the trend's last points) and keep "no value yet" as NaN,
// not undefined, so their number variables stay unboxed.

/** How many values are finite, and the last of them: what the window's verdict needs of most series, without a copy. */
function finiteSummary(values: ArrayLike<number>): {readonly count: number; readonly last: number | undefined; readonly anyPositive: boolean; readonly allNonPositive: boolean} {
	let count = 0;
	let last = Number.NaN;
	let anyPositive = false;
	for (let i = 0; i < values.length; i++) {
		const value = values[i] ?? Number.NaN;
		if (!Number.isFinite(value)) continue;
		count += 1;
		last = value;
		if (value > 0) anyPositive = true;
	}
	return {count, last: count === 0 ? undefined : last, anyPositive, allNonPositive: !anyPositive};
}

/** Least-squares slope of the finite values from `from` on, per point (their index counted from `from` is their time). */
function slopePerPoint(values: ArrayLike<number>, from: number): number | undefined {
	let n = 0;
	let sumX = 0;
	let sumY = 0;
	for (let i = from; i < values.length; i++) {
		const value = values[i] ?? Number.NaN;
		if (!Number.isFinite(value)) continue;
		n += 1;
		sumX += i - from;
		sumY += value;
	}
	if (n < 2) return undefined;
	const meanX = sumX / n;
	const meanY = sumY / n;
	let num = 0;
	let den = 0;
	for (let i = from; i < values.length; i++) {
		const value = values[i] ?? Number.NaN;
		if (!Number.isFinite(value)) continue;
		num += (i - from - meanX) * (value - meanY);
		den += (i - from - meanX) ** 2;
	}
	return den === 0 ? undefined : num / den;
}

function trendOf(values: ArrayLike<number>, from: number): LagTrend | undefined {
	const slope = slopePerPoint(values, from);
	let first = Number.NaN;
	let last = Number.NaN;
	for (let i = from; i < values.length; i++) {
		const value = values[i] ?? Number.NaN;
		if (!Number.isFinite(value)) continue;
		if (Number.isNaN(first)) first = value;
		last = value;
	}
	if (slope === undefined || Number.isNaN(first)) return undefined;
	if (slope > 0 && last > first) return 'growing';
	if (slope < 0 && last < first) return 'draining';
	return 'steady';
}

/** Where `slice(start)` of an array of `length` values begins (the trend's last points are read in place, not sliced). */
function sliceStart(length: number, start: number): number {
	const relative = Number.isNaN(start) ? 0 : Math.trunc(start);
	return relative < 0 ? Math.max(length + relative, 0) : Math.min(relative, length);
}

/** Lag never went down between two known values, and went up at least once. */
function neverFell(values: ArrayLike<number>): boolean {
	let previous = Number.NaN;
	let rose = false;
	for (let i = 0; i < values.length; i++) {
		const value = values[i] ?? Number.NaN;
		if (!Number.isFinite(value)) continue;
		if (value < previous) return false;
		if (value > previous) rose = true;
		previous = value;
	}
	return rose;
}

/** The window functions, for the test that holds them equal to the copying ones they replaced (test/model/window-functions.equal.test.ts). */
export const windowFunctions = {finiteSummary, slopePerPoint, trendOf, neverFell, sliceStart} as const;

/** The verdict on one sink's window; undefined when its lag is not known at all. */
export function sinkVerdict(window: SinkWindow, options: SinkVerdictOptions = defaultSinkVerdictOptions): SinkVerdict | undefined {
	const lags = finiteSummary(window.lag);
	const lagNow = lags.last;
	const noneRunning = window.connectorState !== 'RUNNING' || (window.tasksTotal > 0 && window.tasksRunning === 0);
	const commitValues = finiteSummary(window.commits);
	const commits = commitValues.count >= Math.min(2, options.minPoints) ? counterIncrease(window.commits) : undefined;
	const enough = lags.count >= options.minPoints;

	const recent = sliceStart(window.lag.length, -options.trendPoints);
	const trend = enough ? trendOf(window.lag, recent) : undefined;
	const perPoint = enough ? slopePerPoint(window.lag, recent) : undefined;
	const slopePerSecond = perPoint === undefined || window.stepMs === undefined || window.stepMs <= 0 ? undefined : (perPoint * 1000) / window.stepMs;
	const base = {trend, slopePerSecond, points: lags.count};

	const catchUp = (blocked: boolean): CatchUp => {
		if (lagNow === undefined) return {kind: 'unknown'};
		if (lagNow <= 0) return {kind: 'caught-up'};
		if (blocked || trend === 'growing' || trend === 'steady') return {kind: 'never'};
		if (slopePerSecond === undefined || slopePerSecond >= 0) return {kind: 'unknown'};
		return {kind: 'eta', ms: Math.round((lagNow / -slopePerSecond) * 1000)};
	};

	const lagText = lagNow === undefined ? 'lag unknown' : `lag ${formatCount(lagNow)}`;
	const stopped = (reason: string): SinkVerdict => ({...base, verdict: 'STOP', reason, catchUp: catchUp(true)});

	// STOP: nothing commits (the window has at least two commit values that did not move).
	if (enough && commits === 0 && commitValues.count >= options.minPoints && ((lagNow ?? 0) > 0 || noneRunning)) {
		return stopped(`no offset commit over the window, ${noneRunning ? 'no task running' : lagText}`);
	}
	if (noneRunning && (lagNow ?? 0) > 0 && (commits === undefined || !enough)) return stopped(`no task running, ${lagText}`);
	if (lagNow === undefined || !enough) return undefined;

	const reads = finiteSummary(window.readRate);
	if (lagNow > 0 && reads.count >= 2 && reads.allNonPositive) {
		return {...base, verdict: 'STALL', reason: `no record read over the window, ${lagText}${commits === undefined ? '' : ', offsets still committed'}`, catchUp: catchUp(true)};
	}
	const consuming = reads.anyPositive;
	if (lagNow > 0 && consuming && neverFell(window.lag)) {
		return {...base, verdict: 'WARN', reason: `${lagText} rose over the window while records are read`, catchUp: catchUp(false)};
	}
	return {...base, verdict: 'OK', reason: lagNow > 0 ? `${lagText}, ${trend ?? 'steady'}` : 'no lag', catchUp: catchUp(false)};
}

/** "never", "~4m", "—" (no lag), "?" (unknown): the catch-up estimate in a few characters. */
export function formatCatchUp(catchUp: CatchUp): string {
	switch (catchUp.kind) {
		case 'caught-up':
			return '—';
		case 'never':
			return 'never';
		case 'unknown':
			return '?';
		case 'eta':
			return `~${formatEta(catchUp.ms)}`;
	}
}

function formatEta(ms: number): string {
	const s = Math.max(1, Math.round(ms / 1000));
	if (s < 60) return `${s}s`;
	const m = Math.round(s / 60);
	if (m < 60) return `${m}m`;
	const h = Math.round(m / 60);
	return h < 48 ? `${h}h` : `${Math.round(h / 24)}d`;
}
