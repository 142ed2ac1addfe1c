/**
 * Sparklines and small multi-line charts as plain strings (pure). The newest value is on
 * the right; non-finite values (NaN, ±Inf from Prometheus) leave a blank cell.
 */

function finite(values: readonly number[]): number[] {
	return values.filter(value => Number.isFinite(value));
}

function bounds(values: readonly number[]): {readonly low: number; readonly high: number} {
	const numbers = finite(values);
	if (numbers.length === 0) return {low: 0, high: 0};
	// Lag, rates and error counts are not negative: anchor the scale at 0 so a flat line
	// at a high value does not look like zero.
	return {low: Math.min(0, ...numbers), high: Math.max(...numbers)};
}

/** One row of `width` cells from the last `width` values, scaled between min(0, min) and max. */
export function sparkline(values: readonly number[], width: number, ramp: readonly string[]): string {
	if (width <= 0 || ramp.length === 0) return '';
	const shown = values.slice(-width);
	const {low, high} = bounds(shown);
	const top = ramp.length - 1;
	const cells = shown.map(value => {
		if (!Number.isFinite(value)) return ' ';
		const level = high === low ? 0 : Math.round(((value - low) / (high - low)) * top);
		return ramp[Math.max(0, Math.min(top, level))] ?? ' ';
	});
	return ' '.repeat(width - cells.length) + cells.join('');
}

export interface Chart {
	/** Top row first; every row is exactly `width` cells. */
	readonly rows: readonly string[];
	readonly min: number | undefined;
	readonly max: number | undefined;
	readonly last: number | undefined;
}

/**
 * A `height`-row bar chart of the last `width` values. `ramp[0]` is an empty cell and the
 * last entry a full one; the entries between fill the top cell of a bar partially.
 */
export function chart(values: readonly number[], width: number, height: number, ramp: readonly string[]): Chart {
	const shown = values.slice(-Math.max(0, width));
	const numbers = finite(shown);
	const {low, high} = bounds(shown);
	const steps = Math.max(1, ramp.length - 1);
	const full = ramp.at(-1) ?? '#';
	const empty = ramp[0] ?? ' ';
	const levels = shown.map(value => {
		if (!Number.isFinite(value) || high === low) return Number.isFinite(value) && value > 0 ? height * steps : 0;
		return Math.round(((value - low) / (high - low)) * height * steps);
	});
	const rows: string[] = [];
	for (let row = height - 1; row >= 0; row--) {
		const cells = levels.map(level => {
			const inRow = level - row * steps;
			if (inRow >= steps) return full;
			if (inRow <= 0) return empty;
			return ramp[inRow] ?? empty;
		});
		rows.push(' '.repeat(Math.max(0, width - cells.length)) + cells.join(''));
	}
	return {
		rows,
		min: numbers.length > 0 ? Math.min(...numbers) : undefined,
		max: numbers.length > 0 ? Math.max(...numbers) : undefined,
		last: numbers.at(-1),
	};
}
