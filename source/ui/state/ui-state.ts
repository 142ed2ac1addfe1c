import type {ActionBatch, BatchOutcome} from '../../store/types.js';
import {initialFilter, type FilterState} from './filter.js';
import {initialListState, type ListState} from './list.js';
import {noMarks, type Marks} from './marks.js';
import type {ModalState} from './modal.js';
import {initialNavigation, type NavigationStack} from './navigation.js';
import {initialSort, type SortState} from './sort.js';

export interface UiMessage {
	readonly text: string;
	readonly level: 'info' | 'error';
}

/** Everything the UI remembers between keys; changed only by the keyboard router. */
export interface UiState {
	readonly stack: NavigationStack;
	readonly connectors: ListState;
	readonly workers: ListState;
	readonly events: ListState;
	readonly failures: ListState;
	readonly filter: FilterState;
	/** What is being typed at the `:` prompt; undefined when it is closed. */
	readonly command: string | undefined;
	readonly sort: SortState;
	readonly faultsOnly: boolean;
	readonly modal: ModalState;
	/** Footer message until the next key (command errors, "cancelled"…). */
	readonly message: UiMessage | undefined;
	/** An action confirmed and sent: "sending…" until the store's lastBatch is a new outcome. */
	readonly sending: {readonly batch: ActionBatch; readonly previous: BatchOutcome | undefined} | undefined;
	/** Marked connectors (by name): actions in the list views apply to them. */
	readonly marks: Marks;
}

export const initialUiState: UiState = {
	stack: initialNavigation,
	connectors: initialListState,
	workers: initialListState,
	events: initialListState,
	failures: initialListState,
	filter: initialFilter,
	command: undefined,
	sort: initialSort,
	faultsOnly: false,
	modal: undefined,
	message: undefined,
	sending: undefined,
	marks: noMarks,
};
