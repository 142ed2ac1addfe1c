import type {ConnectorAction, ItemOutcome} from '../../../source/store/types.js';
import {batchOf} from '../../../source/model/action-plan.js';
import {describe, expect, it} from 'vitest';
import type {KeyPress} from '../../../source/ui/input/keymap.js';
import {armModal, routeKey, routePaste, type Effect} from '../../../source/ui/input/router.js';
import {routerContext} from '../../../source/ui/screen.js';
import {select} from '../../../source/ui/select.js';
import {effectiveFilter} from '../../../source/ui/state/filter.js';
import {topView} from '../../../source/ui/state/navigation.js';
import {initialUiState, type UiState} from '../../../source/ui/state/ui-state.js';
import {makeTheme} from '../../../source/ui/theme.js';
import {FakeStore} from '../../helpers/fake-store.js';
import {onePlan} from '../../helpers/plans.js';
import {realisticSnapshot} from '../../helpers/snapshot-factory.js';

const store = new FakeStore({snapshot: realisticSnapshot()});
const theme = makeTheme({ascii: false, color: false});

/** What the app does once a dialog has been on screen with the keyboard still. */
const ARM = Symbol('arm');
/** Text delivered as a bracketed paste. */
const paste = (text: string) => ({paste: text});

type Step = KeyPress | string | typeof ARM | {readonly paste: string};

function contextFor(ui: UiState, readOnly: boolean) {
	const state = store.getState();
	const rows = select({snapshot: state.snapshot, filterText: effectiveFilter(ui.filter), sort: ui.sort, faultsOnly: ui.faultsOnly});
	return routerContext({state, ui, rows, history: store.history, theme, readOnly, width: 120, height: 30});
}

function run(steps: readonly Step[], options: {readonly readOnly?: boolean; readonly start?: UiState; readonly burst?: boolean} = {}): {ui: UiState; effects: Effect[]} {
	let ui = options.start ?? initialUiState;
	const effects: Effect[] = [];
	for (const step of steps) {
		if (step === ARM) {
			ui = armModal(ui);
			continue;
		}
		const result = typeof step === 'object' && 'paste' in step ? routePaste(ui, step.paste) : routeKey(ui, typeof step === 'string' ? {input: step} : step, contextFor(ui, options.readOnly ?? false), {burst: options.burst ?? false});
		ui = result.ui;
		effects.push(...result.effects);
	}
	return {ui, effects};
}

const enter: KeyPress = {input: '\r', return: true};
const escape: KeyPress = {input: '', escape: true};
const tab: KeyPress = {input: '', tab: true};

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
		const opened = run(['p', ARM]);
		expect(opened.ui.modal).toMatchObject({kind: 'confirm', batch: {plans: [{intent: {kind: 'pause', connector: 'debezium-sqlserver-source'}, calls: [{kind: 'pause', connector: 'debezium-sqlserver-source'}]}]}, armed: true, focus: 'cancel'});
		const swallowed = run(['j', ' ', 'x', {input: 'r', ctrl: true}], {start: opened.ui});
		expect(swallowed.effects).toEqual([]);
		expect(swallowed.ui.modal).toEqual(opened.ui.modal);
		expect(swallowed.ui.connectors.index).toBe(0);
		const cancelled = run([escape], {start: opened.ui});
		expect(cancelled.effects).toEqual([]);
		expect(cancelled.ui.modal).toBeUndefined();
		expect(cancelled.ui.message?.text).toContain('cancelled');
	});

	it('sends pause, stop and restart all only after Tab to OK and Enter', () => {
		const pause = {kind: 'pause', connector: 'debezium-sqlserver-source'};
		// y is not enough for an action that stops data flowing: it says what to do instead.
		const refused = run(['p', ARM, 'y']);
		expect(refused.effects).toEqual([]);
		expect(refused.ui.modal).toBeDefined();
		expect(refused.ui.message?.text).toMatch(/Tab to OK, then Enter/);
		// Enter on the initial focus (Cancel) cancels.
		expect(run(['p', ARM, enter])).toMatchObject({effects: [], ui: {modal: undefined, message: {text: expect.stringContaining('cancelled')}}});
		const sent = run(['p', ARM, tab, enter]);
		expect(sent.effects).toEqual([{kind: 'run-action', batch: expect.objectContaining({plans: [expect.objectContaining({calls: [pause]})]})}]);
		expect(sent.ui.modal).toBeUndefined();
		expect(run(['j', 's', ARM, tab, enter]).effects).toEqual([{kind: 'run-action', batch: expect.objectContaining({plans: [expect.objectContaining({calls: [{kind: 'stop', connector: 'oracle_tsm'}]})]})}]);
		expect(run(['R', ARM, tab, enter]).effects).toEqual([{kind: 'run-action', batch: expect.objectContaining({plans: [expect.objectContaining({calls: [{kind: 'restart-connector', connector: 'debezium-sqlserver-source', includeTasks: true, onlyFailed: false}]})]})}]);
	});

	it('sends restart failed and resume on y once the dialog is armed', () => {
		expect(run(['r', ARM, 'y']).effects).toEqual([{kind: 'run-action', batch: expect.objectContaining({plans: [expect.objectContaining({calls: [{kind: 'restart-connector', connector: 'debezium-sqlserver-source', includeTasks: true, onlyFailed: true}]})]})}]);
		expect(run(['u', ARM, 'y']).effects).toEqual([{kind: 'run-action', batch: expect.objectContaining({plans: [expect.objectContaining({calls: [{kind: 'resume', connector: 'debezium-sqlserver-source'}]})]})}]);
	});

	it('drops keys that arrive before the dialog is armed, and makes it wait again', () => {
		const early = run(['r', 'y', tab, enter]);
		expect(early.effects).toEqual([]);
		expect(early.ui.modal).toMatchObject({armed: false, dropped: 3});
		// Once armed, a single deliberate key still works.
		expect(run([ARM, 'y'], {start: early.ui}).effects).toHaveLength(1);
	});

	it('never confirms from a burst: happy, ry, sy, Ry typed in one read', () => {
		for (const burst of ['happy', 'ry', 'Ry', 'rY', 'u\r', 'r\t\r']) {
			const presses = [...burst].map(ch => (ch === '\r' ? enter : ch === '\t' ? tab : ch));
			const {effects, ui} = run(presses, {burst: true});
			expect(effects, burst).toEqual([]);
			if (ui.modal !== undefined) expect(ui.modal.armed, burst).toBe(false);
		}
		// sy in a detail view (Enter was pressed on its own before).
		const detail = run([enter]).ui;
		expect(run(['s', 'y'], {start: detail, burst: true}).effects).toEqual([]);
		// An armed dialog does not take a burst either: the burst disarms it.
		const armed = run(['p', ARM, tab]).ui;
		const burst = run([enter, enter], {start: armed, burst: true});
		expect(burst.effects).toEqual([]);
		expect(burst.ui.modal).toMatchObject({armed: false, focus: 'ok'});
	});

	it('never sends a second action while one waits for its answer', () => {
		const sent = run(['r', ARM, 'y']);
		const again = run(['r'], {start: sent.ui});
		expect(again.ui.modal).toBeUndefined();
		expect(again.ui.message?.text).toMatch(/still waiting for its answer/);
		// The answer arrives (the store's lastBatch changes): the next action can be asked for.
		const before = store.getState().lastBatch;
		const plan = onePlan({kind: 'restart-connector', connector: 'debezium-sqlserver-source', includeTasks: true, onlyFailed: true});
		store.setState({lastBatch: {batch: batchOf(plan), items: [], ok: true, message: '204 No Content', at: 1}});
		try {
			expect(run(['r'], {start: sent.ui}).ui.modal).toBeDefined();
		} finally {
			store.setState({lastBatch: before});
		}
	});

	it('takes a paste as text in the prompts and ignores it elsewhere', () => {
		const grid = run([paste('ry')]);
		expect(grid.effects).toEqual([]);
		expect(grid.ui.modal).toBeUndefined();
		expect(grid.ui.message?.text).toMatch(/paste ignored outside a prompt/);
		expect(run(['/', paste('mongo-sink\n')]).ui.filter.draft).toBe('mongo-sink');
		expect(run([':', paste('wo')]).ui.command).toBe('wo');
		// Inside a dialog a paste confirms nothing and disarms it.
		const dialog = run(['r', ARM, paste('y\r')]);
		expect(dialog.effects).toEqual([]);
		expect(dialog.ui.modal).toMatchObject({armed: false, dropped: 1});
		// Escape codes in pasted text are neutralised.
		expect(run(['/', paste('a\u001B[31mb')]).ui.filter.draft).not.toContain('\u001B');
	});

	it('builds the restart actions with the right flags', () => {
		expect(run(['r']).ui.modal?.batch.plans[0]?.calls[0]).toEqual({kind: 'restart-connector', connector: 'debezium-sqlserver-source', includeTasks: true, onlyFailed: true});
		expect(run(['R']).ui.modal?.batch.plans[0]?.calls[0]).toEqual({kind: 'restart-connector', connector: 'debezium-sqlserver-source', includeTasks: true, onlyFailed: false});
		expect(run(['j', 's']).ui.modal?.batch.plans[0]?.calls[0]).toEqual({kind: 'stop', connector: 'oracle_tsm'});
		expect(run(['u']).ui.modal?.batch.plans[0]?.calls[0]).toMatchObject({kind: 'resume'});
	});

	it('restarts a task only from the Tasks tab', () => {
		expect(run([enter, 't']).ui.modal).toBeUndefined();
		expect(run([enter, 't']).ui.message).toMatchObject({level: 'error', text: expect.stringContaining('Tasks tab')});
		expect(run([enter, '2', 't']).ui.modal?.batch.plans[0]?.calls[0]).toEqual({kind: 'restart-task', connector: 'debezium-sqlserver-source', task: 0});
	});

	it('refuses action keys in read-only mode and says so', () => {
		const {ui, effects} = run(['r', 'R', 'p', 'u', 's'], {readOnly: true});
		expect(ui.modal).toBeUndefined();
		expect(effects).toEqual([]);
		expect(ui.message?.text).toMatch(/^read-only/);
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
		expect(run([':', 'c', 't', 'x', ' ', 'p', enter]).ui.message?.text).toMatch(/^no contexts: /);
	});

	it('drills from a worker into its connectors with an exact filter', () => {
		const {ui} = run([':', 'w', 'o', enter, 'j', enter]);
		expect(ui.stack).toEqual([{kind: 'connectors'}]);
		expect(ui.filter.applied).toBe('^c1:8083$');
	});

	it('passes refresh and freeze to the store, never fetching itself', () => {
		expect(run([{input: 'r', ctrl: true}, 'f']).effects).toEqual([{kind: 'refresh'}, {kind: 'toggle-freeze'}]);
	});

	it('remembers the selection by name', () => {
		const {ui} = run(['j', 'j']);
		expect(ui.connectors).toMatchObject({index: 2, name: 'my_connector'});
	});
});

describe('marks and bulk actions', () => {
	const space: KeyPress = {input: ' '};
	const ctrlSpace: KeyPress = {input: ' ', ctrl: true};
	const sqlserver = 'debezium-sqlserver-source';
	const oracle = 'oracle_tsm';
	const restartFailed = (connector: string): ConnectorAction => ({kind: 'restart-connector', connector, includeTasks: true, onlyFailed: true});

	it('Space marks and unmarks the selected connector; ctrl-space clears every mark; nothing is fetched', () => {
		const two = run([space, 'j', space]);
		expect([...two.ui.marks].sort()).toEqual([sqlserver, oracle]);
		expect(two.effects).toEqual([]);
		expect([...run([space, 'j', space, 'k', space]).ui.marks]).toEqual([oracle]);
		const cleared = run([space, 'j', space, ctrlSpace]);
		expect(cleared.ui.marks.size).toBe(0);
		expect(cleared.ui.message?.text).toBe('cleared 2 marks');
		// f is freeze now, everywhere.
		expect(run(['f']).effects).toEqual([{kind: 'toggle-freeze'}]);
	});

	it('marks are names: they survive a new sort and a filter', () => {
		const marked = run([space, 'j', space]).ui;
		const sorted = run(['N'], {start: marked}).ui;
		expect([...sorted.marks].sort()).toEqual([sqlserver, oracle]);
		const filtered = run(['/', 'o', 'r', 'a', enter], {start: sorted}).ui;
		expect([...filtered.marks].sort()).toEqual([sqlserver, oracle]);
		// The action still covers both, the one the filter hides included.
		expect(run(['r'], {start: filtered}).ui.modal?.batch.plans.map(plan => plan.intent.connector).sort()).toEqual([sqlserver, oracle]);
	});

	it('an action applies to every marked connector, lists the ones it leaves out, and sends them in one confirmation', () => {
		// Rows: the two FAILED connectors first, then the rest; mark both and a healthy one.
		const marked = run([space, 'j', space, 'G', space]).ui;
		const opened = run(['r'], {start: marked});
		const batch = opened.ui.modal?.batch;
		expect(batch?.plans.map(plan => plan.calls)).toEqual([[restartFailed(sqlserver)], [restartFailed(oracle)]]);
		expect(batch?.refused).toEqual([{connector: expect.any(String), reason: expect.stringMatching(/^nothing has failed in /)}]);
		const sent = run([ARM, 'y'], {start: opened.ui});
		expect(sent.effects).toEqual([{kind: 'run-action', batch}]);
		// The marks stay: the next action can use them too.
		expect(sent.ui.marks.size).toBe(3);
	});

	it('says why when every marked connector is refused, and opens no dialog', () => {
		const marked = run(['G', space, 'k', space]).ui;
		const refused = run(['r'], {start: marked});
		expect(refused.ui.modal).toBeUndefined();
		expect(refused.ui.message?.text).toMatch(/^nothing to send: .*nothing has failed in .*; .*nothing has failed in /);
	});

	it('Space in the failures view marks every connector of the group; the detail view ignores marks', () => {
		const failures = run([':', 'f', 'a', enter, space]);
		expect(failures.ui.marks.size).toBeGreaterThan(0);
		const detail = run([enter, 'r'], {start: run([space, 'j', space]).ui});
		expect(detail.ui.modal?.batch.plans.map(plan => plan.intent.connector)).toEqual([oracle]);
	});

	it('asking again for a target whose last request timed out needs Tab to OK and Enter: y does not send', () => {
		const before = store.getState().lastBatch;
		const plan = onePlan(restartFailed(sqlserver));
		const item: ItemOutcome = {plan, calls: [], result: 'unknown', ok: false, message: 'unknown: may have been applied (timed out after 5 s)', at: 1, verification: {status: 'waiting', text: 'checking the status…'}};
		store.setState({lastBatch: {batch: batchOf(plan), items: [item], ok: false, message: item.message, at: 1}});
		try {
			const opened = run(['r', ARM]);
			expect(opened.ui.modal).toMatchObject({deliberate: true, unknownBefore: [sqlserver]});
			const y = run(['y'], {start: opened.ui});
			expect(y.effects).toEqual([]);
			expect(y.ui.message?.text).toMatch(/may have been applied: asking again needs Tab to OK, then Enter/);
			expect(run([tab, enter], {start: opened.ui}).effects).toEqual([{kind: 'run-action', batch: opened.ui.modal?.batch}]);
		} finally {
			store.setState({lastBatch: before});
		}
	});
});
