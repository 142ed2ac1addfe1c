import type {ConnectorRow} from '../model/types.js';
import type {PlacedColumn} from './layout/table.js';
import {fitLine, type Line} from './lines.js';

/**
 * What the live view keeps from one screen build to the next, so that a refresh that changed
 * nothing on screen rebuilds almost nothing: each grid row's line, the grid's column layout,
 * the footer, and lines fitted to the width.
 *
 * Every entry is kept with the full list of what it was built from (its key) and reused only
 * when the new key is equal element by element (Object.is: NaN equals NaN, objects by
 * identity). A snapshot row is the same object while every field of it is the same
 * (model/snapshot.ts keepEqualRows), so the row object stands for all its fields; everything
 * else a line shows is in the key explicitly (see connectorsBody).
 *
 * buildScreen without a memo builds everything (`--once`, tests of the pure screen).
 */
export interface ScreenMemo {
	/**
	 * The grid's columns and widths: `build()`, or the value it gave for an equal key last time.
	 * A new build placing the same columns at the same widths gives back the earlier array.
	 * Only ids and widths may be read from it: its cells are those of an earlier build.
	 */
	readonly layout: (key: readonly unknown[], build: () => PlacedColumn<ConnectorRow>[]) => PlacedColumn<ConnectorRow>[];
	/** `row`'s grid line: `build()`, or the line built for this row object with an equal key last time. */
	readonly rowLine: (row: ConnectorRow, key: readonly unknown[], build: () => Line) => Line;
	/** Lines of one part of the screen (`part`: the footer, the grid's column header), kept while their key is equal. */
	readonly lines: (part: ScreenPart, key: readonly unknown[], build: () => Line[]) => Line[];
	/** fitLine(line, width), the same object for the same line object and width. */
	readonly fit: (line: Line, width: number) => Line;
	/** Counts of what was built rather than reused, since the memo was made (tests and the frame-cost tool read them). */
	readonly builds: () => Readonly<Record<'rowLines' | 'layouts' | ScreenPart, number>>;
}

/** Parts of the screen kept whole. */
export type ScreenPart = 'footer' | 'gridHeader';

/** Element by element, Object.is. */
export function sameKey(a: readonly unknown[], b: readonly unknown[]): boolean {
	if (a.length !== b.length) return false;
	for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
	return true;
}

function samePlacement(a: readonly PlacedColumn<ConnectorRow>[], b: readonly PlacedColumn<ConnectorRow>[]): boolean {
	return a.length === b.length && a.every((each, index) => each.column.id === b[index]?.column.id && each.width === b[index]?.width);
}

interface Kept<T> {
	readonly key: readonly unknown[];
	readonly value: T;
}

export function createScreenMemo(): ScreenMemo {
	let layout: Kept<PlacedColumn<ConnectorRow>[]> | undefined;
	const parts = new Map<ScreenPart, Kept<Line[]>>();
	// Weak: a row object replaced by a newer one (or gone from the cluster) takes its line with it.
	const rowLines = new WeakMap<ConnectorRow, Kept<Line>>();
	const fitted = new WeakMap<Line, {readonly width: number; readonly line: Line}>();
	const counts = {rowLines: 0, layouts: 0, footer: 0, gridHeader: 0};
	return {
		layout(key, build) {
			if (layout !== undefined && sameKey(layout.key, key)) return layout.value;
			counts.layouts += 1;
			const built = build();
			// The same columns at the same widths: the earlier array, so row lines keyed on it stay.
			layout = {key, value: layout !== undefined && samePlacement(layout.value, built) ? layout.value : built};
			return layout.value;
		},
		rowLine(row, key, build) {
			const kept = rowLines.get(row);
			if (kept !== undefined && sameKey(kept.key, key)) return kept.value;
			counts.rowLines += 1;
			const value = build();
			rowLines.set(row, {key, value});
			return value;
		},
		lines(part, key, build) {
			const kept = parts.get(part);
			if (kept !== undefined && sameKey(kept.key, key)) return kept.value;
			counts[part] += 1;
			const value = build();
			parts.set(part, {key, value});
			return value;
		},
		fit(line, width) {
			const kept = fitted.get(line);
			if (kept !== undefined && kept.width === width) return kept.line;
			const value = fitLine(line, width);
			fitted.set(line, {width, line: value});
			return value;
		},
		builds: () => ({...counts}),
	};
}

/** No memory: every call builds (buildScreen without a memo). */
export const noScreenMemo: ScreenMemo = {
	layout: (_key, build) => build(),
	rowLine: (_row, _key, build) => build(),
	lines: (_part, _key, build) => build(),
	fit: fitLine,
	builds: () => ({rowLines: 0, layouts: 0, footer: 0, gridHeader: 0}),
};
