/**
 * Marked connectors, as in k9s: Space marks or unmarks, ctrl-space clears. Marks are
 * connector names, so they survive sorting, filtering and refreshes; actions in the list
 * views apply to every marked connector (pure).
 */
export type Marks = ReadonlySet<string>;

export const noMarks: Marks = new Set<string>();

export type MarksEvent =
	| {readonly type: 'marks/toggled'; readonly names: readonly string[]}
	| {readonly type: 'marks/cleared'};

/**
 * `marks/toggled` with one name flips it; with several (a failure group's connectors) it
 * marks them all, or unmarks them all when every one was marked already.
 */
export function reduceMarks(state: Marks, event: MarksEvent): Marks {
	switch (event.type) {
		case 'marks/cleared':
			return state.size === 0 ? state : noMarks;
		case 'marks/toggled': {
			if (event.names.length === 0) return state;
			const next = new Set(state);
			const unmark = event.names.every(name => state.has(name));
			for (const name of event.names) {
				if (unmark) next.delete(name);
				else next.add(name);
			}
			return next;
		}
	}
}

/** Marked names in a stable order: as the rows are shown, then the ones not shown (filtered out, gone) by name. */
export function markedInOrder(marks: Marks, shown: readonly string[]): string[] {
	const visible = shown.filter(name => marks.has(name));
	const seen = new Set(visible);
	return [...visible, ...[...marks].filter(name => !seen.has(name)).sort()];
}

/** "3 marked", with how many of them the filter hides. */
export function marksText(marks: Marks, hidden: number): string {
	if (marks.size === 0) return '';
	return hidden > 0 ? `${marks.size} marked (${hidden} not shown)` : `${marks.size} marked`;
}
