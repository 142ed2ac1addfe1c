import {stripControl} from '../../clients/errors.js';
import {eventKeyOf} from '../select.js';
import type {FailureGroup} from '../../model/failures.js';
import type {JournalEvent} from '../../model/journal.js';
import type {ConnectorRow, WorkerRow} from '../../model/types.js';
import {batchLabel, batchOf, batchTargets, planAction, planBatch, type ActionBatch, type ActionIntent, type BulkKind} from '../../model/action-plan.js';
import type {BatchOutcome} from '../../store/types.js';
import {escapeRegex, reduceFilter, type FilterEvent} from '../state/filter.js';
import {anchorList, reduceList, scrollBy, type ListEvent, type ListState} from '../state/list.js';
import {markedInOrder, reduceMarks} from '../state/marks.js';
import {reduceModal} from '../state/modal.js';
import {openDetailConnector, reduceNavigation, tabAt, tabIndex, topView, type DetailTab, type NavigationEvent, type PushedView, type View} from '../state/navigation.js';
import {reduceSort, type SortColumn} from '../state/sort.js';
import type {UiState} from '../state/ui-state.js';
import {parseCommandLine} from './command-line.js';
import {resolveKey, type BindingState, type Command, type KeyContext, type KeyPress} from './keymap.js';

/**
 * The one keyboard router (pure): the modal first, then an open prompt, then the keymap
 * of the view in front. It returns the next UI state and the effects to run on the store;
 * it never fetches and never touches the terminal.
 *
 * Safety: a confirmation only takes a single key pressed after it was armed (see
 * state/modal.ts). Keys of a burst (several keys in one read) and pastes never confirm.
 */
export type Effect =
	| {readonly kind: 'exit'}
	| {readonly kind: 'refresh'}
	| {readonly kind: 'toggle-freeze'}
	| {readonly kind: 'run-action'; readonly batch: ActionBatch}
	| {readonly kind: 'open-detail'; readonly connector: string}
	| {readonly kind: 'close-detail'}
	| {readonly kind: 'switch-context'; readonly name: string}
	| {readonly kind: 'write-report'};

export interface RowsView<T> {
	readonly rows: readonly T[];
	readonly indexOf: (name: string) => number;
}

export interface RouterContext {
	readonly readOnly: boolean;
	/** Filtered and sorted, as on screen. */
	readonly connectors: RowsView<ConnectorRow>;
	readonly workers: RowsView<WorkerRow>;
	readonly events: RowsView<JournalEvent>;
	readonly failures: RowsView<FailureGroup>;
	/** A connector of the snapshot on screen, filtered or not. */
	readonly findConnector: (name: string) => ConnectorRow | undefined;
	/** Rows of a list that fit on screen. */
	readonly listHeight: number;
	/** The store's last action outcome: a new one ends "sending…". */
	readonly lastBatch: BatchOutcome | undefined;
	/** What the Connect worker reported in `GET /`: actions are planned for it. */
	readonly connectVersion: string | undefined;
	/** The named clusters of the config file, when kctop runs with one (`:ctx`). */
	readonly contexts?: {readonly name: string; readonly known: readonly string[]} | undefined;
	/** Lines and visible height of a scrollable view (detail tabs other than Tasks, trace, help). */
	readonly scrollable: (view: View) => {readonly count: number; readonly height: number};
}

export interface RouteResult {
	readonly ui: UiState;
	readonly effects: readonly Effect[];
}

const sortByCommand: Partial<Record<Command, SortColumn>> = {
	'sort-name': 'name',
	'sort-state': 'state',
	'sort-type': 'type',
	'sort-class': 'class',
	'sort-lag': 'lag',
	'sort-errors': 'errors',
	'sort-rate': 'rate',
	'sort-workers': 'workers',
	'sort-dlq': 'dlq',
};

const tabByCommand: Partial<Record<Command, number>> = {'tab-1': 0, 'tab-2': 1, 'tab-3': 2, 'tab-4': 3, 'tab-5': 4, 'tab-6': 5};

export interface PressOrigin {
	/** The press is one of several keys that arrived in one read (fast typing, type-ahead, a paste the terminal did not bracket). */
	readonly burst: boolean;
}

/** Which keymap context takes keys now. */
export function contextOf(ui: UiState): KeyContext {
	if (ui.modal !== undefined) return 'confirm';
	if (ui.command !== undefined) return 'command-prompt';
	if (ui.filter.draft !== undefined) return 'filter-prompt';
	return topView(ui.stack).kind;
}

export function bindingStateOf(ui: UiState, context: Pick<RouterContext, 'readOnly' | 'connectVersion'>): BindingState {
	return {readOnly: context.readOnly, view: topView(ui.stack), modal: ui.modal, connectVersion: context.connectVersion};
}

export function routeKey(before: UiState, press: KeyPress, context: RouterContext, origin: PressOrigin = {burst: false}): RouteResult {
	return finish(before, effects => dispatch({...before, message: undefined}, press, context, effects, origin));
}

/**
 * Text the terminal delivered as a bracketed paste: it goes to an open prompt as text and
 * nowhere else. It never runs a command, and inside a confirmation it only disarms it.
 */
export function routePaste(before: UiState, text: string): RouteResult {
	return finish(before, () => {
		const ui: UiState = {...before, message: undefined};
		if (ui.modal !== undefined) return {...ui, modal: reduceModal(ui.modal, {type: 'modal/input-dropped'})};
		const clean = pastedText(text);
		if (ui.command !== undefined) return {...ui, command: ui.command + clean};
		if (ui.filter.draft !== undefined) return clean === '' ? ui : withFilter(ui, {type: 'filter/typed', text: clean});
		return {...ui, message: {level: 'info', text: 'paste ignored outside a prompt (/ filter, : command)'}};
	});
}

/** The dialog has been on screen with no input for the arming delay: from now on a key can confirm it. */
export function armModal(ui: UiState): UiState {
	return ui.modal === undefined || ui.modal.armed ? ui : {...ui, modal: reduceModal(ui.modal, {type: 'modal/armed'})};
}

function finish(before: UiState, route: (effects: Effect[]) => UiState): RouteResult {
	const effects: Effect[] = [];
	const ui = route(effects);
	// Topics and offsets are fetched only while a detail view is open: tell the store
	// whenever the connector whose detail is open changes.
	const wasOpen = openDetailConnector(before.stack);
	const isOpen = openDetailConnector(ui.stack);
	if (wasOpen !== isOpen) {
		if (wasOpen !== undefined) effects.push({kind: 'close-detail'});
		if (isOpen !== undefined) effects.push({kind: 'open-detail', connector: isOpen});
	}
	return {ui, effects};
}

function dispatch(ui: UiState, press: KeyPress, context: RouterContext, effects: Effect[], origin: PressOrigin): UiState {
	if (press.ctrl === true && press.input.toLowerCase() === 'c') {
		effects.push({kind: 'exit'});
		return ui;
	}
	const keyContext = contextOf(ui);
	const resolved = resolveKey(keyContext, press, bindingStateOf(ui, context));
	switch (keyContext) {
		case 'confirm':
			return routeModal(ui, resolved?.command, resolved?.disabled, context, effects, origin);
		case 'command-prompt':
			return routeCommandLine(ui, resolved?.command, press, context, effects);
		case 'filter-prompt':
			return routeFilterPrompt(ui, resolved?.command, press);
		default: {
			if (resolved === undefined) return ui;
			if (resolved.disabled !== undefined) return {...ui, message: {level: 'error', text: resolved.disabled}};
			return execute(ui, resolved.command, topView(ui.stack), context, effects);
		}
	}
}

const cancelled = {level: 'info', text: 'cancelled: nothing was sent'} as const;

function routeModal(ui: UiState, command: Command | undefined, disabled: string | undefined, context: RouterContext, effects: Effect[], origin: PressOrigin): UiState {
	const modal = ui.modal;
	if (modal === undefined) return ui;
	// Cancelling is always safe, but not from inside a burst: the rest of a burst is dropped whole.
	if (command === 'confirm-cancel' && !origin.burst) return {...ui, modal: reduceModal(modal, {type: 'modal/dismissed'}), message: cancelled};
	// Keys of a burst, and keys that arrive before the dialog was armed, are dropped and re-start the wait.
	if (origin.burst || !modal.armed) return {...ui, modal: reduceModal(modal, {type: 'modal/input-dropped'})};
	switch (command) {
		case 'confirm-focus':
			return {...ui, modal: reduceModal(modal, {type: 'modal/focus-moved'})};
		case 'confirm-activate':
			return modal.focus === 'ok' ? send(ui, modal.batch, context, effects) : {...ui, modal: reduceModal(modal, {type: 'modal/dismissed'}), message: cancelled};
		case 'confirm-send':
			return disabled === undefined ? send(ui, modal.batch, context, effects) : {...ui, message: {level: 'error', text: disabled}};
		default:
			// Every other key is swallowed while the dialog is open.
			return ui;
	}
}

function send(ui: UiState, batch: ActionBatch, context: RouterContext, effects: Effect[]): UiState {
	effects.push({kind: 'run-action', batch});
	return {...ui, modal: reduceModal(ui.modal, {type: 'modal/confirmed'}), sending: {batch, previous: context.lastBatch}};
}

/** An action confirmed and still waiting for its answer. */
function inFlight(ui: UiState, context: RouterContext): ActionBatch | undefined {
	return ui.sending !== undefined && ui.sending.previous === context.lastBatch ? ui.sending.batch : undefined;
}

function typedText(press: KeyPress): string {
	if (press.ctrl === true || press.meta === true) return '';
	return stripControl(press.input).replace(/[\r\n]/g, '');
}

function pastedText(text: string): string {
	return stripControl(text.replace(/[\r\n\t]+/g, ' ').trim());
}

function routeCommandLine(ui: UiState, command: Command | undefined, press: KeyPress, context: RouterContext, effects: Effect[]): UiState {
	const draft = ui.command ?? '';
	if (command === 'command-close') return {...ui, command: undefined};
	if (command === 'prompt-erase') {
		return draft === '' ? {...ui, command: undefined} : {...ui, command: [...draft].slice(0, -1).join('')};
	}
	if (command !== 'command-run') return {...ui, command: draft + typedText(press)};
	const closed: UiState = {...ui, command: undefined};
	const result = parseCommandLine(draft);
	switch (result.kind) {
		case 'context':
			return switchContext(closed, result.name, context, effects);
		case 'none':
			return closed;
		case 'root':
			return {...closed, stack: reduceNavigation(closed.stack, {type: 'nav/root-chosen', root: result.root})};
		case 'help':
			return topView(closed.stack).kind === 'help' ? closed : {...closed, stack: reduceNavigation(closed.stack, {type: 'nav/pushed', view: {kind: 'help', scroll: 0}})};
		case 'quit':
			effects.push({kind: 'exit'});
			return closed;
		case 'message':
			return {...closed, message: {level: result.level, text: result.text}};
	}
}

function switchContext(ui: UiState, name: string | undefined, context: RouterContext, effects: Effect[]): UiState {
	const contexts = context.contexts;
	if (contexts === undefined || contexts.known.length === 0) return {...ui, message: {level: 'info', text: 'no contexts: name clusters in ~/.config/kctop/config.yaml (see --config)'}};
	if (name === undefined) return {...ui, message: {level: 'info', text: `contexts: ${contexts.known.map(each => (each === contexts.name ? `${each} (current)` : each)).join(', ')} · :ctx NAME switches`}};
	if (!contexts.known.includes(name)) return {...ui, message: {level: 'error', text: `no context ${name}; known: ${contexts.known.join(', ')}`}};
	if (name === contexts.name) return {...ui, message: {level: 'info', text: `already on ${name}`}};
	effects.push({kind: 'switch-context', name});
	return ui;
}

function withFilter(ui: UiState, event: FilterEvent): UiState {
	// A new filter changes the rows: start again from the top.
	return {...ui, filter: reduceFilter(ui.filter, event), connectors: reduceList(ui.connectors, {type: 'list/reset'}, {count: 0, height: 1}), workers: reduceList(ui.workers, {type: 'list/reset'}, {count: 0, height: 1})};
}

function routeFilterPrompt(ui: UiState, command: Command | undefined, press: KeyPress): UiState {
	if (command === 'filter-clear') return withFilter(ui, {type: 'filter/cleared'});
	if (command === 'filter-keep') return {...ui, filter: reduceFilter(ui.filter, {type: 'filter/accepted'})};
	if (command === 'prompt-erase') return withFilter(ui, {type: 'filter/erased'});
	const text = typedText(press);
	return text === '' ? ui : withFilter(ui, {type: 'filter/typed', text});
}

function moveList<T>(state: ListState, event: ListEvent, rows: RowsView<T>, height: number, nameOf: (row: T) => string): ListState {
	const bounds = {count: rows.rows.length, height};
	const anchored = anchorList(state, bounds, rows.indexOf);
	const next = reduceList(anchored, event, bounds);
	const row = rows.rows[next.index];
	return {...next, name: row === undefined ? undefined : nameOf(row)};
}

const listEvents: Partial<Record<Command, ListEvent>> = {
	'move-up': {type: 'list/moved', by: -1},
	'move-down': {type: 'list/moved', by: 1},
	top: {type: 'list/jumped', to: 'top'},
	bottom: {type: 'list/jumped', to: 'bottom'},
	'page-up': {type: 'list/paged', direction: -1},
	'page-down': {type: 'list/paged', direction: 1},
};

function scrollDelta(command: Command, height: number): number {
	switch (command) {
		case 'move-up':
			return -1;
		case 'move-down':
			return 1;
		case 'top':
			return -Number.MAX_SAFE_INTEGER;
		case 'bottom':
			return Number.MAX_SAFE_INTEGER;
		case 'page-up':
			return -Math.max(1, height);
		default:
			return Math.max(1, height);
	}
}

function replaceTop(ui: UiState, view: PushedView): UiState {
	return {...ui, stack: reduceNavigation(ui.stack, {type: 'nav/top-changed', view})};
}

function push(ui: UiState, view: PushedView): UiState {
	return {...ui, stack: reduceNavigation(ui.stack, {type: 'nav/pushed', view})};
}

/** The row a list's selection is on, anchored to its name the way the list is drawn. */
function selectedIn<T>(list: ListState, rows: RowsView<T>, context: RouterContext): T | undefined {
	return rows.rows[anchorList(list, {count: rows.rows.length, height: context.listHeight}, rows.indexOf).index];
}

function selectedConnector(ui: UiState, view: View, context: RouterContext): ConnectorRow | undefined {
	if (view.kind === 'detail' || view.kind === 'trace') return context.findConnector(view.connector);
	if (view.kind !== 'connectors') return undefined;
	return selectedIn(ui.connectors, context.connectors, context);
}

/** The connectors Space marks: the selected row's, or every connector of the selected failure group. */
function markTargets(ui: UiState, view: View, context: RouterContext): string[] {
	switch (view.kind) {
		case 'connectors': {
			const row = selectedConnector(ui, view, context);
			return row === undefined ? [] : [row.name];
		}
		case 'failures': {
			const group = selectedIn(ui.failures, context.failures, context);
			return group === undefined ? [] : [...new Set(group.members.map(member => member.connector))];
		}
		case 'failure-members': {
			const member = context.failures.rows.find(group => group.fingerprint === view.fingerprint)?.members[view.index];
			return member === undefined ? [] : [member.connector];
		}
		default:
			return [];
	}
}

/** A bulk action: the marked connectors in the list views, else the selected row's (a failure group's). */
function bulkBatch(ui: UiState, command: Command, view: View, context: RouterContext): ActionBatch | string {
	const kind = bulkKinds[command];
	if (kind === undefined) return 'not an action';
	const listView = view.kind === 'connectors' || view.kind === 'failures' || view.kind === 'failure-members';
	if (!listView || ui.marks.size === 0) {
		if (view.kind === 'connectors' || view.kind === 'detail' || view.kind === 'trace') return singleBatch(ui, command, view, context);
		const names = markTargets(ui, view, context);
		if (names.length === 0) return 'no connector selected';
		return checkedBatch(planBatch(kind, names, context.findConnector, context.connectVersion));
	}
	const names = markedInOrder(ui.marks, context.connectors.rows.map(row => row.name));
	return checkedBatch(planBatch(kind, names, context.findConnector, context.connectVersion));
}

/** A batch with nothing to send is no dialog: its reasons are the message. */
function checkedBatch(batch: ActionBatch): ActionBatch | string {
	if (batch.plans.length > 0) return batch;
	const [first] = batch.refused;
	if (first === undefined) return 'no connector selected';
	return batch.refused.length === 1 ? first.reason : `nothing to send: ${batch.refused.map(item => `${item.connector}: ${item.reason}`).join('; ')}`;
}

function singleBatch(ui: UiState, command: Command, view: View, context: RouterContext): ActionBatch | string {
	const connector = selectedConnector(ui, view, context);
	if (connector === undefined) return 'no connector selected';
	const intent = intentFor(command, connector, view);
	if (typeof intent === 'string') return intent;
	const plan = planAction(intent, connector, context.connectVersion);
	return typeof plan === 'string' ? plan : batchOf(plan);
}

const bulkKinds: Partial<Record<Command, BulkKind>> = {'restart-failed': 'restart-failed', 'restart-all': 'restart-all', pause: 'pause', resume: 'resume', stop: 'stop'};

function intentFor(command: Command, connector: ConnectorRow, view: View): ActionIntent | string {
	const name = connector.name;
	switch (command) {
		case 'restart-failed':
			return {kind: 'restart-failed', connector: name};
		case 'restart-all':
			return {kind: 'restart-all', connector: name};
		case 'pause':
			return {kind: 'pause', connector: name};
		case 'resume':
			return {kind: 'resume', connector: name};
		case 'stop':
			return {kind: 'stop', connector: name};
		default: {
			if (view.kind !== 'detail' || view.tab !== 'tasks') return 'restart task: open the Tasks tab (2) and select a task';
			const task = connector.tasks[Math.min(view.task, connector.tasks.length - 1)];
			return task === undefined ? 'this connector has no tasks' : {kind: 'restart-task', connector: name, task: task.id};
		}
	}
}

function execute(ui: UiState, command: Command, view: View, context: RouterContext, effects: Effect[]): UiState {
	switch (command) {
		case 'force-quit':
			effects.push({kind: 'exit'});
			return ui;
		case 'quit':
			if (ui.stack.length > 1) return {...ui, stack: reduceNavigation(ui.stack, {type: 'nav/popped'})};
			effects.push({kind: 'exit'});
			return ui;
		case 'back':
			if (ui.stack.length > 1) return {...ui, stack: reduceNavigation(ui.stack, {type: 'nav/popped'})};
			if (ui.filter.applied !== '') return withFilter(ui, {type: 'filter/cleared'});
			if (ui.faultsOnly) return {...ui, faultsOnly: false};
			return ui;
		case 'help':
			return view.kind === 'help' ? {...ui, stack: reduceNavigation(ui.stack, {type: 'nav/popped'})} : push(ui, {kind: 'help', scroll: 0});
		case 'refresh':
			effects.push({kind: 'refresh'});
			return ui;
		case 'write-report':
			effects.push({kind: 'write-report'});
			return ui;
		case 'freeze':
			effects.push({kind: 'toggle-freeze'});
			return ui;
		case 'command-line':
			return {...ui, command: ''};
		case 'filter':
			return {...ui, filter: reduceFilter(ui.filter, {type: 'filter/opened'})};
		case 'faults-only':
			return {...ui, faultsOnly: !ui.faultsOnly, connectors: reduceList(ui.connectors, {type: 'list/reset'}, {count: 0, height: 1})};
		case 'sort-cycle':
			return {...ui, sort: reduceSort(ui.sort, {type: 'sort/cycled'})};
		case 'move-up':
		case 'move-down':
		case 'top':
		case 'bottom':
		case 'page-up':
		case 'page-down':
			return move(ui, command, view, context);
		case 'drill-in':
			return drillIn(ui, view, context);
		case 'tab-next':
		case 'tab-previous':
			if (view.kind !== 'detail') return ui;
			return replaceTop(ui, {...view, tab: tabAt(tabIndex(view.tab) + (command === 'tab-next' ? 1 : -1)), scroll: 0});
		case 'toggle-wrap':
			return view.kind === 'trace' ? replaceTop(ui, {...view, wrap: !view.wrap, scroll: 0}) : ui;
		case 'restart-failed':
		case 'restart-all':
		case 'restart-task':
		case 'pause':
		case 'resume':
		case 'stop': {
			const pending = inFlight(ui, context);
			if (pending !== undefined) return {...ui, message: {level: 'error', text: `${batchLabel(pending)} ${batchTargets(pending).join(', ')} is still waiting for its answer: one action at a time`}};
			const batch = command === 'restart-task' ? singleBatch(ui, command, view, context) : bulkBatch(ui, command, view, context);
			if (typeof batch === 'string') return {...ui, message: {level: 'info', text: batch}};
			const unknownBefore = (context.lastBatch?.items ?? []).filter(item => item.result === 'unknown' && item.plan.intent.kind === batch.kind).map(item => item.plan.intent.connector).filter(name => batchTargets(batch).includes(name));
			return {...ui, modal: reduceModal(ui.modal, {type: 'modal/opened', batch, unknownBefore})};
		}
		case 'mark': {
			const names = markTargets(ui, view, context);
			if (names.length === 0) return ui;
			return {...ui, marks: reduceMarks(ui.marks, {type: 'marks/toggled', names})};
		}
		case 'clear-marks':
			return ui.marks.size === 0 ? ui : {...ui, marks: reduceMarks(ui.marks, {type: 'marks/cleared'}), message: {level: 'info', text: `cleared ${ui.marks.size} mark${ui.marks.size === 1 ? '' : 's'}`}};
		default: {
			const column = sortByCommand[command];
			if (column !== undefined) return {...ui, sort: reduceSort(ui.sort, {type: 'sort/column-chosen', column})};
			const tab = tabByCommand[command];
			if (tab !== undefined && view.kind === 'detail') return replaceTop(ui, {...view, tab: tabAt(tab), scroll: 0});
			return ui;
		}
	}
}

function move(ui: UiState, command: Command, view: View, context: RouterContext): UiState {
	const event = listEvents[command];
	if (event === undefined) return ui;
	switch (view.kind) {
		case 'connectors':
			return {...ui, connectors: moveList(ui.connectors, event, context.connectors, context.listHeight, row => row.name)};
		case 'workers':
			return {...ui, workers: moveList(ui.workers, event, context.workers, context.listHeight, row => row.id)};
		case 'events':
			return {...ui, events: moveList(ui.events, event, context.events, context.listHeight, eventKeyOf)};
		case 'failures':
			return {...ui, failures: moveList(ui.failures, event, context.failures, context.listHeight, group => group.fingerprint)};
		case 'failure-members': {
			const count = context.failures.rows.find(group => group.fingerprint === view.fingerprint)?.members.length ?? 0;
			const next = reduceList({index: view.index, offset: 0, name: undefined}, event, {count, height: context.listHeight});
			return replaceTop(ui, {...view, index: next.index});
		}
		case 'detail': {
			if (view.tab === 'tasks') {
				const tasks = context.findConnector(view.connector)?.tasks.length ?? 0;
				const next = reduceList({index: view.task, offset: 0, name: undefined}, event, {count: tasks, height: context.listHeight});
				return replaceTop(ui, {...view, task: next.index});
			}
			const {count, height} = context.scrollable(view);
			return replaceTop(ui, {...view, scroll: scrollBy(view.scroll, scrollDelta(command, height), count, height)});
		}
		case 'trace':
		case 'help': {
			const {count, height} = context.scrollable(view);
			return replaceTop(ui, {...view, scroll: scrollBy(view.scroll, scrollDelta(command, height), count, height)});
		}
	}
}

function drillIn(ui: UiState, view: View, context: RouterContext): UiState {
	switch (view.kind) {
		case 'connectors': {
			const row = selectedConnector(ui, view, context);
			if (row === undefined) return ui;
			const tab: DetailTab = 'overview';
			return push({...ui, connectors: {...ui.connectors, name: row.name}}, {kind: 'detail', connector: row.name, tab, task: 0, scroll: 0});
		}
		case 'workers': {
			const worker = selectedIn(ui.workers, context.workers, context);
			if (worker === undefined) return ui;
			const filtered = withFilter(ui, {type: 'filter/replaced', text: `^${escapeRegex(worker.id)}$`});
			return {...filtered, stack: reduceNavigation(filtered.stack, {type: 'nav/root-chosen', root: 'connectors'})};
		}
		case 'failures': {
			const group = selectedIn(ui.failures, context.failures, context);
			if (group === undefined) return ui;
			return push({...ui, failures: {...ui.failures, name: group.fingerprint}}, {kind: 'failure-members', fingerprint: group.fingerprint, index: 0});
		}
		case 'failure-members': {
			const member = context.failures.rows.find(group => group.fingerprint === view.fingerprint)?.members[view.index];
			const row = member === undefined ? undefined : context.findConnector(member.connector);
			if (member === undefined || row === undefined) return {...ui, message: {level: 'info', text: 'this failure is gone from the cluster'}};
			const taskIndex = member.task === undefined ? -1 : row.tasks.findIndex(task => task.id === member.task);
			return push(ui, {kind: 'detail', connector: row.name, tab: taskIndex === -1 ? 'overview' : 'tasks', task: Math.max(0, taskIndex), scroll: 0});
		}
		case 'events': {
			const picked = selectedIn(ui.events, context.events, context);
			if (picked?.connector === undefined) return {...ui, message: {level: 'info', text: 'this event is not about one connector'}};
			if (context.findConnector(picked.connector) === undefined) return {...ui, message: {level: 'info', text: `${picked.connector} is not in the cluster any more`}};
			return push({...ui, events: {...ui.events, name: eventKeyOf(picked)}}, {kind: 'detail', connector: picked.connector, tab: 'overview', task: 0, scroll: 0});
		}
		case 'detail': {
			const connector = context.findConnector(view.connector);
			if (connector === undefined) return ui;
			if (view.tab === 'tasks') {
				const task = connector.tasks[Math.min(view.task, connector.tasks.length - 1)];
				if (task === undefined) return {...ui, message: {level: 'info', text: 'this connector has no tasks'}};
				if (task.trace === undefined || task.trace === '') return {...ui, message: {level: 'info', text: `task ${task.id} has no trace`}};
				return push(ui, {kind: 'trace', connector: connector.name, task: task.id, scroll: 0, wrap: true});
			}
			if (view.tab === 'overview') {
				if (connector.trace === undefined || connector.trace === '') return {...ui, message: {level: 'info', text: 'the connector has no trace; open the Tasks tab (2) for task traces'}};
				return push(ui, {kind: 'trace', connector: connector.name, task: undefined, scroll: 0, wrap: true});
			}
			return ui;
		}
		default:
			return ui;
	}
}
