/**
 * The window functions as they were before they read windows in place (commit 7b6b1dd):
 * array copies, `undefined` for "no value yet". Kept only as the reference the faster ones
 * are held equal to (window-functions.equal.test.ts).
 */
import {formatCount} from '../../source/model/format.js';
import type {CatchUp, LagTrend, SinkVerdict, SinkVerdictOptions} from '../../source/model/sink-verdict.js';

export interface ReferenceSinkWindow {
	readonly lag: readonly number[];
	readonly readRate: readonly number[];
	readonly commits: readonly number[];
	readonly stepMs: number | undefined;
	readonly connectorState: string;
	readonly tasksRunning: number;
	readonly tasksTotal: number;
}

export function referenceCounterChange(values: readonly number[]): {readonly increase: number; readonly reset: boolean} | undefined {
	let previous: number | undefined;
	let increase = 0;
	let reset = false;
	for (const value of values) {
		if (!Number.isFinite(value)) continue;
		if (previous !== undefined && value < previous) {
			reset = true;
			increase = 0;
		} else if (previous !== undefined) increase += value - previous;
		previous = value;
	}
	return previous === undefined ? undefined : {increase, reset};
}

/**
 * Increase of a counter over a series of samples (oldest first), the way Prometheus'
 * increase() treats resets: a drop means the counter restarted from zero, so the new
 * value counts in full. NaN gaps are skipped. undefined when fewer than one valid value.
 */
export function referenceCounterIncrease(values: readonly number[]): number | undefined {
	let previous: number | undefined;
	let total = 0;
	let valid = 0;
	for (const value of values) {
		if (!Number.isFinite(value)) continue;
		valid += 1;
		if (previous !== undefined) total += value >= previous ? value - previous : value;
		previous = value;
	}
	return valid === 0 ? undefined : total;
}

function finiteValues(values: readonly number[]): number[] {
	return values.filter(value => Number.isFinite(value));
}

/** How many values are finite, and the last of them: what the window's verdict needs of most series, without a copy (it runs for every sink on every refresh). */
function finiteSummary(values: readonly number[]): {readonly count: number; readonly last: number | undefined; readonly anyPositive: boolean; readonly allNonPositive: boolean} {
	let count = 0;
	let last: number | undefined;
	let anyPositive = false;
	for (const value of values) {
		if (!Number.isFinite(value)) continue;
		count += 1;
		last = value;
		if (value > 0) anyPositive = true;
	}
	return {count, last, anyPositive, allNonPositive: !anyPositive};
}

/** Least-squares slope of the finite values per point (their index is their time). */
function slopePerPoint(values: readonly number[]): number | undefined {
	const points: Array<readonly [number, number]> = [];
	values.forEach((value, index) => {
		if (Number.isFinite(value)) points.push([index, value]);
	});
	if (points.length < 2) return undefined;
	const n = points.length;
	const meanX = points.reduce((sum, [x]) => sum + x, 0) / n;
	const meanY = points.reduce((sum, [, y]) => sum + y, 0) / n;
	let num = 0;
	let den = 0;
	for (const [x, y] of points) {
		num += (x - meanX) * (y - meanY);
		den += (x - meanX) ** 2;
	}
	return den === 0 ? undefined : num / den;
}

function trendOf(values: readonly number[]): LagTrend | undefined {
	const finite = finiteValues(values);
	const slope = slopePerPoint(values);
	const first = finite[0];
	const last = finite.at(-1);
	if (slope === undefined || first === undefined || last === undefined) return undefined;
	if (slope > 0 && last > first) return 'growing';
	if (slope < 0 && last < first) return 'draining';
	return 'steady';
}

/** Lag never went down between two known values, and went up at least once. */
function neverFell(values: readonly number[]): boolean {
	let previous: number | undefined;
	let rose = false;
	for (const value of values) {
		if (!Number.isFinite(value)) continue;
		if (previous !== undefined && value < previous) return false;
		if (previous !== undefined && value > previous) rose = true;
		previous = value;
	}
	return rose;
}

/** The verdict on one sink's window; undefined when its lag is not known at all. */
export function referenceSinkVerdict(window: ReferenceSinkWindow, options: SinkVerdictOptions): SinkVerdict | undefined {
	const lags = finiteSummary(window.lag);
	const lagNow = lags.last;
	const noneRunning = window.connectorState !== 'RUNNING' || (window.tasksTotal > 0 && window.tasksRunning === 0);
	const commitValues = finiteSummary(window.commits);
	const commits = commitValues.count >= Math.min(2, options.minPoints) ? referenceCounterIncrease(window.commits) : undefined;
	const enough = lags.count >= options.minPoints;

	const recent = window.lag.slice(-options.trendPoints);
	const trend = enough ? trendOf(recent) : undefined;
	const perPoint = enough ? slopePerPoint(recent) : undefined;
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

