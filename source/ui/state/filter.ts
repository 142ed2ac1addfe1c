import type {ConnectorRow, WorkerRow} from '../../model/types.js';

/**
 * The `/` filter (pure): editing state and matching. A regex, case-insensitive, over
 * the connector name, class, state and workers; a leading `!` inverts it; a pattern that
 * is not a valid regex falls back to a plain substring match (and says so).
 */
export interface FilterState {
	/** The filter in force. */
	readonly applied: string;
	/** What is being typed at the `/` prompt; undefined when the prompt is closed. */
	readonly draft: string | undefined;
}

export type FilterEvent =
	| {readonly type: 'filter/opened'}
	| {readonly type: 'filter/typed'; readonly text: string}
	| {readonly type: 'filter/erased'}
	| {readonly type: 'filter/accepted'}
	| {readonly type: 'filter/cleared'}
	| {readonly type: 'filter/replaced'; readonly text: string};

export const initialFilter: FilterState = {applied: '', draft: undefined};

export function reduceFilter(state: FilterState, event: FilterEvent): FilterState {
	switch (event.type) {
		case 'filter/opened':
			return {applied: state.applied, draft: state.applied};
		case 'filter/typed':
			return state.draft === undefined ? state : {...state, draft: state.draft + event.text};
		case 'filter/erased':
			return state.draft === undefined ? state : {...state, draft: [...state.draft].slice(0, -1).join('')};
		case 'filter/accepted':
			return {applied: state.draft ?? state.applied, draft: undefined};
		case 'filter/cleared':
			return initialFilter;
		case 'filter/replaced':
			return {applied: event.text, draft: undefined};
	}
}

/** The text that filters right now: the draft while typing (live filtering), else the applied one. */
export function effectiveFilter(state: FilterState): string {
	return state.draft ?? state.applied;
}

export interface CompiledFilter {
	readonly text: string;
	readonly active: boolean;
	readonly inverted: boolean;
	/** The pattern is not a valid regex and is matched as plain text. */
	readonly fallback: boolean;
	readonly matches: (haystack: string) => boolean;
}

export function compileFilter(text: string): CompiledFilter {
	const inverted = text.startsWith('!');
	const pattern = inverted ? text.slice(1) : text;
	if (pattern === '') return {text, active: false, inverted, fallback: false, matches: () => true};
	let fallback = false;
	let test: (haystack: string) => boolean;
	try {
		// Multiline: the haystack is one field per line, so ^ and $ anchor on a field.
		const regex = new RegExp(pattern, 'im');
		test = haystack => regex.test(haystack);
	} catch {
		fallback = true;
		const needle = pattern.toLowerCase();
		test = haystack => haystack.toLowerCase().includes(needle);
	}
	return {text, active: true, inverted, fallback, matches: haystack => test(haystack) !== inverted};
}

export function connectorHaystack(row: ConnectorRow): string {
	return [row.name, row.className, row.shortClass, row.state, ...row.workers].join('\n');
}

export function workerHaystack(row: WorkerRow): string {
	return [row.id, row.host, row.instance ?? ''].join('\n');
}

/** A regex that matches exactly this text (for drilling from a worker into its connectors). */
export function escapeRegex(text: string): string {
	return text.replace(/[|\\{}()[\]^$+*?.]/g, '\\$&');
}
