/**
 * Selection and scrolling of a list (pure). The selected row is remembered by index and
 * by name, so a re-sort after a refresh keeps the same connector selected.
 */
export interface ListState {
	readonly index: number;
	/** First visible row. */
	readonly offset: number;
	/** Name of the selected row when the list has names. */
	readonly name: string | undefined;
}

export type ListEvent =
	| {readonly type: 'list/moved'; readonly by: number}
	| {readonly type: 'list/jumped'; readonly to: 'top' | 'bottom'}
	| {readonly type: 'list/paged'; readonly direction: 1 | -1}
	| {readonly type: 'list/reset'};

export interface ListBounds {
	readonly count: number;
	/** Rows that fit on screen. */
	readonly height: number;
}

export const initialListState: ListState = {index: 0, offset: 0, name: undefined};

function clamp(value: number, low: number, high: number): number {
	return Math.max(low, Math.min(high, value));
}

/** Keeps `index` inside [0, count) and the window [offset, offset + height) around it. */
export function clampList(state: ListState, bounds: ListBounds): ListState {
	const height = Math.max(1, bounds.height);
	if (bounds.count <= 0) return {index: 0, offset: 0, name: state.name};
	const index = clamp(state.index, 0, bounds.count - 1);
	let offset = clamp(state.offset, 0, Math.max(0, bounds.count - height));
	if (index < offset) offset = index;
	if (index >= offset + height) offset = index - height + 1;
	return {index, offset, name: state.name};
}

export function reduceList(state: ListState, event: ListEvent, bounds: ListBounds): ListState {
	const height = Math.max(1, bounds.height);
	switch (event.type) {
		case 'list/moved':
			return clampList({...state, index: state.index + event.by}, bounds);
		case 'list/jumped':
			return clampList({...state, index: event.to === 'top' ? 0 : bounds.count - 1}, bounds);
		case 'list/paged':
			return clampList({...state, index: state.index + event.direction * height, offset: state.offset + event.direction * height}, bounds);
		case 'list/reset':
			return initialListState;
	}
}

/** Re-anchors the selection on its name (when the row moved) and clamps it. */
export function anchorList(state: ListState, bounds: ListBounds, indexOfName: (name: string) => number): ListState {
	if (state.name !== undefined) {
		const found = indexOfName(state.name);
		if (found >= 0 && found !== state.index) {
			return clampList({...state, index: found, offset: state.offset + (found - state.index)}, bounds);
		}
	}
	return clampList(state, bounds);
}

/** A scroll position over `count` lines of which `height` are visible. */
export function scrollBy(scroll: number, by: number, count: number, height: number): number {
	return clamp(scroll + by, 0, Math.max(0, count - Math.max(1, height)));
}
