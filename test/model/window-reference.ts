/**
 * The window functions as they were before they read windows in place (commit 7b6b1dd):
 * array copies, `undefined` for "no value yet". Kept only as the reference the faster ones
 * are held equal to (window-functions.equal.test.ts).
 */
import type {LagTrend} from '../../source/model/sink-verdict.js';

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
export function referenceFiniteSummary(values: readonly number[]): {readonly count: number; readonly last: number | undefined; readonly anyPositive: boolean; readonly allNonPositive: boolean} {
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
export function referenceSlopePerPoint(values: readonly number[]): number | undefined {
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

export function referenceTrendOf(values: readonly number[]): LagTrend | undefined {
	const finite = finiteValues(values);
	const slope = referenceSlopePerPoint(values);
	const first = finite[0];
	const last = finite.at(-1);
	if (slope === undefined || first === undefined || last === undefined) return undefined;
	if (slope > 0 && last > first) return 'growing';
	if (slope < 0 && last < first) return 'draining';
	return 'steady';
}

/** Lag never went down between two known values, and went up at least once. */
export function referenceNeverFell(values: readonly number[]): boolean {
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
