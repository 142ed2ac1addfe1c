import {groupFailures, type FailureGroup} from '../model/failures.js';
import {recentEvents, type Journal, type JournalEvent} from '../model/journal.js';
import type {ClusterSnapshot, ConnectorRow, WorkerRow} from '../model/types.js';
import type {RowsView} from './input/router.js';
import {compileFilter, connectorHaystack, workerHaystack, type CompiledFilter} from './state/filter.js';
import {sortConnectors, type SortState} from './state/sort.js';
import {eventHaystack} from './views/events-view.js';

export interface SelectedRows {
	readonly filter: CompiledFilter;
	readonly connectors: RowsView<ConnectorRow>;
	readonly workers: RowsView<WorkerRow>;
	/** The journal, newest first, filtered. */
	readonly events: RowsView<JournalEvent>;
	/** FAILED connectors and tasks of the filtered connectors, grouped by root cause, largest group first. */
	readonly failures: RowsView<FailureGroup>;
	readonly findConnector: (name: string) => ConnectorRow | undefined;
}

export interface SelectionInput {
	readonly snapshot: ClusterSnapshot | undefined;
	readonly filterText: string;
	readonly sort: SortState;
	readonly faultsOnly: boolean;
	readonly journal?: Journal | undefined;
}

function rowsView<T>(rows: readonly T[], nameOf: (row: T) => string): RowsView<T> {
	let index: Map<string, number> | undefined;
	return {
		rows,
		indexOf(name) {
			if (index === undefined) {
				index = new Map();
				for (const [position, row] of rows.entries()) index.set(nameOf(row), position);
			}
			return index.get(name) ?? -1;
		},
	};
}

const emptyRows: SelectedRows = {
	filter: compileFilter(''),
	connectors: rowsView<ConnectorRow>([], row => row.name),
	workers: rowsView<WorkerRow>([], row => row.id),
	events: rowsView<JournalEvent>([], eventKeyOf),
	failures: rowsView<FailureGroup>([], group => group.fingerprint),
	findConnector: () => undefined,
};

/**
 * Filtering and sorting are memoized on the snapshot (its sequence), the filter text, the
 * sort and faults-only: a key that changes none of them (moving the selection, opening a
 * tab) reuses the previous result, so 10,000 connectors are filtered and sorted once per
 * refresh, not once per key.
 */
export function createRowsSelector(): (input: SelectionInput) => SelectedRows {
	let lastInput: SelectionInput | undefined;
	let lastResult: SelectedRows = emptyRows;
	return input => {
		if (
			lastInput !== undefined &&
			lastInput.snapshot === input.snapshot &&
			lastInput.snapshot?.sequence === input.snapshot?.sequence &&
			lastInput.filterText === input.filterText &&
			lastInput.sort.column === input.sort.column &&
			lastInput.sort.reversed === input.sort.reversed &&
			lastInput.faultsOnly === input.faultsOnly &&
			lastInput.journal === input.journal
		) {
			return lastResult;
		}
		lastInput = input;
		lastResult = select(input);
		return lastResult;
	};
}

/** Events have no name: time, subject and new value identify one well enough to keep the selection. */
export function eventKeyOf(event: JournalEvent): string {
	return `${event.at} ${event.kind} ${event.subject} ${event.to}`;
}

export function select(input: SelectionInput): SelectedRows {
	const snapshot = input.snapshot;
	const filter = compileFilter(input.filterText);
	const journal = recentEvents(input.journal ?? {events: [], known: new Map()});
	const events = rowsView(filter.active ? journal.filter(event => filter.matches(eventHaystack(event))) : journal, eventKeyOf);
	if (snapshot === undefined) return {...emptyRows, filter, events};
	const connectors = snapshot.connectors.filter(row => (!input.faultsOnly || row.health !== 'ok') && (!filter.active || filter.matches(connectorHaystack(row))));
	const workers = filter.active ? snapshot.workers.filter(row => filter.matches(workerHaystack(row))) : snapshot.workers;
	let byName: Map<string, ConnectorRow> | undefined;
	let failures: RowsView<FailureGroup> | undefined;
	return {
		filter,
		connectors: rowsView(sortConnectors(connectors, input.sort), row => row.name),
		workers: rowsView(workers, row => row.id),
		events,
		// Grouped when a failures view (or a key there) asks, not on every refresh.
		get failures() {
			failures ??= rowsView(groupFailures(connectors), group => group.fingerprint);
			return failures;
		},
		findConnector(name) {
			if (byName === undefined) byName = new Map(snapshot.connectors.map(row => [row.name, row]));
			return byName.get(name);
		},
	};
}
