import {compareSeverity, stateRank} from '../../model/severity.js';
import type {ConnectorRow} from '../../model/types.js';

/** Sorting of the connectors grid (pure). Default: failures first in the severity order of model/severity.ts, then name. */
export const sortColumns = ['failures', 'name', 'state', 'type', 'class', 'lag', 'errors', 'rate', 'workers', 'dlq'] as const;
export type SortColumn = (typeof sortColumns)[number];

export interface SortState {
	readonly column: SortColumn;
	/** Opposite of the column's natural direction (names A→Z, numbers largest first). */
	readonly reversed: boolean;
}

export type SortEvent = {readonly type: 'sort/column-chosen'; readonly column: SortColumn} | {readonly type: 'sort/cycled'};

export const initialSort: SortState = {column: 'failures', reversed: false};

export function reduceSort(state: SortState, event: SortEvent): SortState {
	switch (event.type) {
		case 'sort/column-chosen':
			return event.column === state.column ? {column: state.column, reversed: !state.reversed} : {column: event.column, reversed: false};
		case 'sort/cycled': {
			const next = sortColumns[(sortColumns.indexOf(state.column) + 1) % sortColumns.length] ?? 'failures';
			return {column: next, reversed: false};
		}
	}
}

/** Numbers sort largest first by default: the worst lag or most errors at the top. */
export function descendingByDefault(column: SortColumn): boolean {
	return column === 'lag' || column === 'errors' || column === 'rate' || column === 'dlq';
}

function compareText(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}

function errorsOf(row: ConnectorRow): number | undefined {
	if (row.recordErrors === undefined && row.recordFailures === undefined) return undefined;
	return (row.recordErrors ?? 0) + (row.recordFailures ?? 0);
}

type Key = {readonly kind: 'text'; readonly get: (row: ConnectorRow) => string} | {readonly kind: 'number'; readonly get: (row: ConnectorRow) => number | undefined};

const keys: Readonly<Record<Exclude<SortColumn, 'failures'>, Key>> = {
	name: {kind: 'text', get: row => row.name},
	state: {kind: 'number', get: row => stateRank(row.state)},
	type: {kind: 'text', get: row => row.type},
	class: {kind: 'text', get: row => row.shortClass.toLowerCase()},
	lag: {kind: 'number', get: row => row.lag},
	errors: {kind: 'number', get: row => errorsOf(row)},
	rate: {kind: 'number', get: row => row.recordRate},
	workers: {kind: 'text', get: row => row.workers.join(',')},
	dlq: {kind: 'number', get: row => row.dlqWrites},
};

/** A sorted copy; unknown values go last whatever the direction; ties break on name. */
export function sortConnectors(rows: readonly ConnectorRow[], sort: SortState): ConnectorRow[] {
	const byName = (a: ConnectorRow, b: ConnectorRow): number => compareText(a.name, b.name);
	if (sort.column === 'failures') {
		const direction = sort.reversed ? -1 : 1;
		return [...rows].sort((a, b) => direction * compareSeverity(a.severity, b.severity) || byName(a, b));
	}
	const key = keys[sort.column];
	const descending = descendingByDefault(sort.column) !== sort.reversed;
	const direction = descending ? -1 : 1;
	return [...rows].sort((a, b) => {
		if (key.kind === 'text') return direction * compareText(key.get(a), key.get(b)) || byName(a, b);
		const va = key.get(a);
		const vb = key.get(b);
		const aUnknown = va === undefined || !Number.isFinite(va);
		const bUnknown = vb === undefined || !Number.isFinite(vb);
		if (aUnknown || bUnknown) return aUnknown === bUnknown ? byName(a, b) : aUnknown ? 1 : -1;
		return direction * (va - vb) || byName(a, b);
	});
}
