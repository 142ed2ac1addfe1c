import {describe, expect, it} from 'vitest';
import type {KeyPress} from '../../../source/ui/input/keymap.js';
import {routeKey, type Effect} from '../../../source/ui/input/router.js';
import {routerContext} from '../../../source/ui/screen.js';
import {select} from '../../../source/ui/select.js';
import {effectiveFilter} from '../../../source/ui/state/filter.js';
import {topView} from '../../../source/ui/state/navigation.js';
import {initialUiState, type UiState} from '../../../source/ui/state/ui-state.js';
import {makeTheme} from '../../../source/ui/theme.js';
import {FakeStore} from '../../helpers/fake-store.js';
import {realisticSnapshot} from '../../helpers/snapshot-factory.js';

const store = new FakeStore({snapshot: realisticSnapshot()});
const theme = makeTheme({ascii: false, color: false});

function run(presses: ReadonlyArray<KeyPress | string>, options: {readonly readOnly?: boolean; readonly start?: UiState} = {}): {ui: UiState; effects: Effect[]} {
	let ui = options.start ?? initialUiState;
	const effects: Effect[] = [];
	for (const raw of presses) {
		const press = typeof raw === 'string' ? {input: raw} : raw;
		const state = store.getState();
		const rows = select({snapshot: state.snapshot, filterText: effectiveFilter(ui.filter), sort: ui.sort, faultsOnly: ui.faultsOnly});
		const result = routeKey(ui, press, routerContext({state, ui, rows, history: store.history, theme, readOnly: options.readOnly ?? false, width: 120, height: 30}));
		ui = result.ui;
		effects.push(...result.effects);
	}
	return {ui, effects};
}

const enter: KeyPress = {input: '\r', return: true};
const escape: KeyPress = {input: '', escape: true};

describe('routeKey', () => {
	it('opens a detail view on Enter and tells the store, and closes it on the way back', () => {
		const opened = run([enter]);
		expect(topView(opened.ui.stack)).toMatchObject({kind: 'detail', connector: 'debezium-sqlserver-source'});
		expect(opened.effects).toEqual([{kind: 'open-detail', connector: 'debezium-sqlserver-source'}]);
		const closed = run([enter, 'q']);
		expect(closed.ui.stack).toHaveLength(1);
		expect(closed.effects.at(-1)).toEqual({kind: 'close-detail'});
	});

	it('keeps the detail open while a trace viewer is on top of it', () => {
		const {ui, effects} = run([enter, '2', enter]);
		expect(topView(ui.stack)).toMatchObject({kind: 'trace', task: 0});
		expect(effects).toEqual([{kind: 'open-detail', connector: 'debezium-sqlserver-source'}]);
	});

	it('quits with q at the top level and ctrl-c anywhere', () => {
		expect(run(['q']).effects).toEqual([{kind: 'exit'}]);
		expect(run([enter, '3', {input: 'c', ctrl: true}]).effects.at(-1)).toEqual({kind: 'exit'});
	});

	it('lets the modal consume every key first', () => {
		const opened = run(['p']);
		expect(opened.ui.modal).toEqual({kind: 'confirm', action: {kind: 'pause', connector: 'debezium-sqlserver-source'}});
		const swallowed = run(['j', 'q', ' ', {input: 'r', ctrl: true}], {start: opened.ui});
		expect(swallowed.effects).toEqual([]);
		expect(swallowed.ui.modal).toEqual(opened.ui.modal);
		expect(swallowed.ui.connectors.index).toBe(0);
		const confirmed = run(['y'], {start: opened.ui});
		expect(confirmed.effects).toEqual([{kind: 'run-action', action: {kind: 'pause', connector: 'debezium-sqlserver-source'}}]);
		expect(confirmed.ui.modal).toBeUndefined();
		const cancelled = run([escape], {start: opened.ui});
		expect(cancelled.effects).toEqual([]);
		expect(cancelled.ui.modal).toBeUndefined();
		expect(cancelled.ui.message?.text).toContain('cancelled');
	});

	it('builds the restart actions with the right flags', () => {
		expect(run(['r']).ui.modal?.action).toEqual({kind: 'restart-connector', connector: 'debezium-sqlserver-source', includeTasks: true, onlyFailed: true});
		expect(run(['R']).ui.modal?.action).toEqual({kind: 'restart-connector', connector: 'debezium-sqlserver-source', includeTasks: true, onlyFailed: false});
		expect(run(['j', 's']).ui.modal?.action).toEqual({kind: 'stop', connector: 'oracle_tsm'});
		expect(run(['u']).ui.modal?.action).toMatchObject({kind: 'resume'});
	});

	it('restarts a task only from the Tasks tab', () => {
		expect(run([enter, 't']).ui.modal).toBeUndefined();
		expect(run([enter, 't']).ui.message?.level).toBe('error');
		expect(run([enter, '2', 't']).ui.modal?.action).toEqual({kind: 'restart-task', connector: 'debezium-sqlserver-source', task: 0});
	});

	it('ignores action keys in read-only mode', () => {
		const {ui, effects} = run(['r', 'R', 'p', 'u', 's'], {readOnly: true});
		expect(ui.modal).toBeUndefined();
		expect(effects).toEqual([]);
	});

	it('types a filter, Enter keeps it, Esc at the top level clears it', () => {
		const typed = run(['/', 's', 'i', 'n', 'k', enter]);
		expect(typed.ui.filter).toEqual({applied: 'sink', draft: undefined});
		// While the prompt is open, letters are text, not commands.
		expect(typed.effects).toEqual([]);
		expect(run([escape], {start: typed.ui}).ui.filter.applied).toBe('');
		expect(run(['/', 'x', escape]).ui.filter).toEqual({applied: '', draft: undefined});
	});

	it('runs : commands and reports unknown ones', () => {
		const workers = run([':', 'w', 'o', enter]);
		expect(workers.ui.stack).toEqual([{kind: 'workers'}]);
		expect(run([':', 'n', 'o', 'p', 'e', enter]).ui.message).toMatchObject({level: 'error'});
		expect(run([':', 'q', enter]).effects).toEqual([{kind: 'exit'}]);
		expect(run([':', 'c', 't', 'x', ' ', 'p', enter]).ui.message?.text).toBe('contexts are not configured');
	});

	it('drills from a worker into its connectors with an exact filter', () => {
		const {ui} = run([':', 'w', 'o', enter, 'j', enter]);
		expect(ui.stack).toEqual([{kind: 'connectors'}]);
		expect(ui.filter.applied).toBe('^c1:8083$');
	});

	it('passes refresh and freeze to the store, never fetching itself', () => {
		expect(run([{input: 'r', ctrl: true}, ' ']).effects).toEqual([{kind: 'refresh'}, {kind: 'toggle-freeze'}]);
	});

	it('remembers the selection by name', () => {
		const {ui} = run(['j', 'j']);
		expect(ui.connectors).toMatchObject({index: 2, name: 'my_connector'});
	});
});
