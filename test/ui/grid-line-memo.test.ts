import {describe, expect, it} from 'vitest';
import {appendEvents, emptyJournal, type Journal} from '../../source/model/journal.js';
import type {ClusterSnapshot, ConnectorHistory, ConnectorRow} from '../../source/model/types.js';
import {initialAppState} from '../../source/store/store.js';
import type {AppState} from '../../source/store/types.js';
import {lineText, type Line} from '../../source/ui/lines.js';
import {buildScreen, type Screen} from '../../source/ui/screen.js';
import {createScreenMemo, type ScreenMemo} from '../../source/ui/screen-memo.js';
import {createRowsSelector} from '../../source/ui/select.js';
import {reduceFilter} from '../../source/ui/state/filter.js';
import {initialUiState, type UiState} from '../../source/ui/state/ui-state.js';
import {makeTheme, type Theme} from '../../source/ui/theme.js';
import {realisticSnapshot} from '../helpers/snapshot-factory.js';

/**
 * The connectors grid keeps each row's line between builds (screen-memo.ts). Every step below
 * changes one thing a line depends on, and checks both that the line on screen changed and
 * that the kept-lines screen equals a screen built from nothing.
 */

const color = makeTheme({ascii: false, color: true});

interface Scene {
	readonly snapshot: ClusterSnapshot;
	readonly ui: UiState;
	readonly journal: Journal;
	readonly changed: ReadonlySet<string>;
	readonly histories: ReadonlyMap<string, ConnectorHistory>;
	readonly width: number;
	readonly theme: Theme;
}

const noHistory: ConnectorHistory = {lag: [], recordRate: [], errors: []};

function initialScene(): Scene {
	const snapshot = realisticSnapshot();
	const histories = new Map<string, ConnectorHistory>();
	for (const [index, row] of snapshot.connectors.entries()) histories.set(row.name, {lag: Array.from({length: 40}, (_, at) => (at % 7) * 1000 + index * 10), recordRate: [], errors: []});
	return {snapshot, ui: initialUiState, journal: emptyJournal, changed: new Set(), histories, width: 160, theme: color};
}

function stateOf(scene: Scene): AppState {
	return {...initialAppState({demo: false, readOnly: false, intervalMs: 2000, unreachableHint: undefined}), snapshot: scene.snapshot, now: scene.snapshot.takenAt, journal: scene.journal, changed: scene.changed};
}

/** The screen of `scene`, with `memo` (kept lines) or without (everything built). */
function screenOf(scene: Scene, memo: ScreenMemo | undefined): Screen {
	const state = stateOf(scene);
	const rows = createRowsSelector()({snapshot: scene.snapshot, filterText: scene.ui.filter.applied, sort: scene.ui.sort, faultsOnly: scene.ui.faultsOnly, journal: scene.journal});
	return buildScreen({state, ui: scene.ui, rows, history: name => scene.histories.get(name) ?? noHistory, theme: scene.theme, readOnly: false, width: scene.width, height: 30, memo});
}

/** Text and style of every body line: what the terminal shows. */
function drawn(lines: readonly Line[]): string[] {
	return lines.map(line => JSON.stringify({inverse: line.inverse === true, segments: line.segments.map(part => [part.text, part.color ?? '', part.bold === true, part.dim === true, part.inverse === true])}));
}

/** A new snapshot of the next refresh: a new object, rows replaced where `edit` says. */
function nextSnapshot(snapshot: ClusterSnapshot, edit: (row: ConnectorRow) => ConnectorRow = row => row, advanceMs = 2000): ClusterSnapshot {
	return {...snapshot, sequence: snapshot.sequence + 1, takenAt: snapshot.takenAt + advanceMs, connectors: snapshot.connectors.map(edit)};
}

function rowIndexOf(screen: Screen, name: string): number {
	return screen.body.findIndex(line => lineText(line).includes(name));
}

describe('the grid keeps the lines of unchanged rows', () => {
	it('rebuilds no row line on a refresh that changed no row, and hands back the same line objects', () => {
		const memo = createScreenMemo();
		const scene = initialScene();
		const first = screenOf(scene, memo);
		const built = memo.builds().rowLines;
		expect(built).toBe(scene.snapshot.connectors.length);
		const second = screenOf({...scene, snapshot: nextSnapshot(scene.snapshot)}, memo);
		expect(memo.builds().rowLines).toBe(built);
		expect(memo.builds().footer).toBe(1);
		expect(memo.builds().gridHeader).toBe(1);
		for (const row of scene.snapshot.connectors) {
			const at = rowIndexOf(first, row.name);
			expect(at).toBeGreaterThan(0);
			expect(second.body[at]).toBe(first.body[at]);
		}
	});

	it('rebuilds only the row that changed when the columns keep their widths', () => {
		const memo = createScreenMemo();
		const scene = initialScene();
		const before = screenOf(scene, memo);
		const built = memo.builds().rowLines;
		const target = scene.snapshot.connectors[1]?.name ?? '';
		const snapshot = nextSnapshot(scene.snapshot, row => (row.name === target ? {...row} : row));
		const after = screenOf({...scene, snapshot}, memo);
		expect(memo.builds().rowLines).toBe(built + 1);
		expect(drawn(after.body)).toEqual(drawn(before.body));
	});
});

/** Each change, applied to a scene; `name`: the connector whose line must change. */
interface Change {
	readonly what: string;
	readonly apply: (scene: Scene, name: string) => Scene;
	/** What must look different afterwards: the connector's line (default), or the grid as a whole (rows moved). */
	readonly changes?: 'line' | 'grid';
}

const sinceKnown = (name: string, since: number): Journal => appendEvents(emptyJournal, [{at: since, kind: 'connector', subject: name, connector: name, from: 'PAUSED', to: 'RUNNING', detail: undefined}]);

const changes: readonly Change[] = [
	{what: 'a field of the row (its state)', apply: (scene, name) => ({...scene, snapshot: nextSnapshot(scene.snapshot, row => (row.name === name ? {...row, state: row.state === 'PAUSED' ? 'RUNNING' : 'PAUSED'} : row))})},
	{what: 'a field of the row (its lag)', apply: (scene, name) => ({...scene, snapshot: nextSnapshot(scene.snapshot, row => (row.name === name ? {...row, lag: (row.lag ?? 0) + 1_234_567, lagUnit: 'ms'} : row))})},
	{what: 'a field of the row (its errors increase)', apply: (scene, name) => ({...scene, snapshot: nextSnapshot(scene.snapshot, row => (row.name === name ? {...row, recordErrors: (row.recordErrors ?? 0) + 5, errorsIncrease: (row.errorsIncrease ?? 0) + 5} : row))})},
	{
		what: 'the newest sparkline point',
		apply: (scene, name) => {
			const histories = new Map(scene.histories);
			const lag = histories.get(name)?.lag ?? [];
			histories.set(name, {lag: [...lag.slice(1), 1_000_000], recordRate: [], errors: []});
			return {...scene, histories, snapshot: nextSnapshot(scene.snapshot)};
		},
	},
	{
		what: 'the sparkline moving one point along with equal values otherwise',
		apply: (scene, name) => {
			const histories = new Map(scene.histories);
			const lag = histories.get(name)?.lag ?? [];
			histories.set(name, {lag: [...lag.slice(1), lag.at(-7) ?? 0], recordRate: [], errors: []});
			return {...scene, histories, snapshot: nextSnapshot(scene.snapshot)};
		},
	},
	{what: 'how long the state has lasted (59 s → 1 m)', apply: (scene, name) => ({...scene, journal: sinceKnown(name, scene.snapshot.takenAt - 59_000), snapshot: nextSnapshot(scene.snapshot, row => row, 0)})},
	{what: 'the terminal width', apply: scene => ({...scene, width: scene.width === 160 ? 137 : 160})},
	{what: 'the selection', apply: (scene, name) => ({...scene, ui: {...scene.ui, connectors: {index: 0, offset: 0, name}}})},
	{what: 'a mark', apply: (scene, name) => ({...scene, ui: {...scene.ui, marks: new Set([...scene.ui.marks, name])}})},
	{what: 'changed in the latest refresh', apply: (scene, name) => ({...scene, changed: new Set([name]), snapshot: nextSnapshot(scene.snapshot)})},
	{what: 'the filter', changes: 'grid', apply: (scene, name) => ({...scene, ui: {...scene.ui, filter: reduceFilter(reduceFilter(reduceFilter(scene.ui.filter, {type: 'filter/opened'}), {type: 'filter/typed', text: name.slice(0, -1)}), {type: 'filter/accepted'})}})},
	{what: 'the sort', changes: 'grid', apply: scene => ({...scene, ui: {...scene.ui, sort: {column: 'name', reversed: !scene.ui.sort.reversed}}})},
	{what: 'the theme', apply: scene => ({...scene, theme: makeTheme({ascii: true, color: true})})},
];

describe('a kept line changes with each thing it depends on', () => {
	for (const change of changes) {
		it(change.what, () => {
			const memo = createScreenMemo();
			let scene = initialScene();
			// The selection starts on the first row, so a change of selection moves it to another.
			const name = scene.snapshot.connectors.at(-1)?.name ?? '';
			if (change.what === 'how long the state has lasted (59 s → 1 m)') scene = {...scene, journal: sinceKnown(name, scene.snapshot.takenAt - 58_500)};
			const before = screenOf(scene, memo);
			const lineBefore = before.body[rowIndexOf(before, name)];
			const next = change.apply(scene, name);
			const after = screenOf(next, memo);
			// What the kept lines show is what a screen built from nothing shows.
			expect(drawn(after.body)).toEqual(drawn(screenOf(next, undefined).body));
			const at = rowIndexOf(after, name);
			expect(at).toBeGreaterThan(0);
			if (change.changes === 'grid') {
				// Rows below the title and the column header: the rows themselves moved.
				expect(drawn(after.body.slice(2))).not.toEqual(drawn(before.body.slice(2)));
				return;
			}
			expect(drawn([after.body[at] ?? {segments: []}])).not.toEqual(drawn([lineBefore ?? {segments: []}]));
		});
	}

	it('stays equal to a screen built from nothing over a long random run of changes', () => {
		const memo = createScreenMemo();
		let scene = initialScene();
		const names = scene.snapshot.connectors.map(row => row.name);
		// A small fixed-seed generator: the run is the same every time.
		let seed = 20_261_128;
		const next = (n: number): number => {
			seed ^= seed << 13;
			seed ^= seed >>> 17;
			seed ^= seed << 5;
			return (seed >>> 0) % n;
		};
		let reused = 0;
		for (let step = 0; step < 300; step++) {
			const builtBefore = memo.builds().rowLines;
			const pick = next(changes.length + 3);
			const change = changes[pick];
			if (change === undefined) scene = {...scene, snapshot: nextSnapshot(scene.snapshot)};
			else if (change.what === 'the filter' && next(2) === 0) scene = {...scene, ui: {...scene.ui, filter: reduceFilter(scene.ui.filter, {type: 'filter/cleared'})}};
			else scene = change.apply(scene, names[next(names.length)] ?? '');
			const kept = screenOf(scene, memo);
			expect(drawn(kept.body), `step ${step}: ${change?.what ?? 'nothing changed'}`).toEqual(drawn(screenOf(scene, undefined).body));
			if (memo.builds().rowLines === builtBefore) reused += 1;
		}
		// The run exercised reuse, not only rebuilds.
		expect(reused).toBeGreaterThan(20);
	});
});

describe('the footer is kept while nothing it shows changed', () => {
	it('is rebuilt for a new UI state and kept for a refresh', () => {
		const memo = createScreenMemo();
		const scene = initialScene();
		const first = screenOf(scene, memo);
		const refreshed = screenOf({...scene, snapshot: nextSnapshot(scene.snapshot)}, memo);
		expect(refreshed.footer).toBe(first.footer);
		const marked = screenOf({...scene, ui: {...scene.ui, marks: new Set([scene.snapshot.connectors[0]?.name ?? ''])}}, memo);
		expect(memo.builds().footer).toBe(2);
		expect(marked.footer.map(lineText).join('\n')).toContain('1 marked');
	});
});
