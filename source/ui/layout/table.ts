import type {Line, Segment} from '../lines.js';
import {displayWidth, fit} from '../text.js';

/**
 * Column layout by priority (pure). Columns of priority 1 always show; when the width is
 * short the highest priority numbers drop first, then the remaining width goes to the
 * columns in priority order up to their natural width (widest cell, capped at `max`).
 */
export interface Column<R> {
	readonly id: string;
	readonly header: string;
	readonly priority: number;
	readonly min: number;
	readonly max: number;
	readonly align: 'left' | 'right';
	/** Text must already be safe (ui/text.ts). `width` is the column's width on screen. */
	readonly cell: (row: R, width: number) => Segment;
	/** Natural width independent of the rows (sparklines): skips measuring cells. */
	readonly fixed?: number;
}

export interface PlacedColumn<R> {
	readonly column: Column<R>;
	readonly width: number;
}

export const columnGap = 1;

/** How wide a priority-1 text column (the name) may ask to be before lower-priority columns make room for it. */
const preferredWidthCap = 32;

export function layoutColumns<R>(columns: readonly Column<R>[], rows: readonly R[], width: number): PlacedColumn<R>[] {
	const naturalOf = (column: Column<R>): number => {
		if (column.fixed !== undefined) return Math.max(column.min, Math.min(column.max, column.fixed));
		let widest = displayWidth(column.header);
		for (const row of rows) widest = Math.max(widest, displayWidth(column.cell(row, column.max).text));
		return Math.max(column.min, Math.min(column.max, widest));
	};
	const natural = new Map(columns.map(column => [column, naturalOf(column)]));
	const needed = (list: readonly Column<R>[]): number => list.reduce((sum, column) => sum + column.min, 0) + columnGap * Math.max(0, list.length - 1);
	// Names come before extra columns: a truncated name is worse than a missing DLQ column.
	const wanted = (list: readonly Column<R>[]): number =>
		needed(list) + list.filter(column => column.priority <= 1).reduce((sum, column) => sum + Math.max(0, Math.min(natural.get(column) ?? column.min, Math.max(column.min, preferredWidthCap)) - column.min), 0);
	const chosen = [...columns];
	while (wanted(chosen) > width) {
		let drop = -1;
		for (const [index, column] of chosen.entries()) {
			if (column.priority <= 1) continue;
			if (drop === -1 || column.priority >= (chosen[drop]?.priority ?? 0)) drop = index;
		}
		if (drop === -1) break;
		chosen.splice(drop, 1);
	}
	const widths = chosen.map(column => column.min);
	let remaining = width - needed(chosen);
	const order = chosen.map((column, index) => ({column, index})).sort((a, b) => a.column.priority - b.column.priority || a.index - b.index);
	for (const {column, index} of order) {
		if (remaining <= 0) break;
		const current = widths[index] ?? 0;
		const grow = Math.min(remaining, (natural.get(column) ?? current) - current);
		if (grow > 0) {
			widths[index] = current + grow;
			remaining -= grow;
		}
	}
	return chosen.map((column, index) => ({column, width: widths[index] ?? column.min}));
}

export function headerLine<R>(placed: readonly PlacedColumn<R>[], decorate: (column: Column<R>) => string = column => column.header): Line {
	const segments: Segment[] = [];
	for (const [index, {column, width}] of placed.entries()) {
		if (index > 0) segments.push({text: ' '.repeat(columnGap)});
		segments.push({text: fit(decorate(column), width, column.align), bold: true});
	}
	return {segments};
}

export function rowLine<R>(placed: readonly PlacedColumn<R>[], row: R, selected: boolean): Line {
	const segments: Segment[] = [];
	for (const [index, {column, width}] of placed.entries()) {
		if (index > 0) segments.push({text: ' '.repeat(columnGap)});
		const cell = column.cell(row, width);
		segments.push({...cell, text: fit(cell.text, width, column.align)});
	}
	return selected ? {segments, inverse: true} : {segments};
}
