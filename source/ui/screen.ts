import {recentEvents, sinceOf} from '../model/journal.js';
import type {ClusterSnapshot, ConnectorHistory} from '../model/types.js';
import type {AppState} from '../store/types.js';
import {bindingStateOf, contextOf, type RouterContext} from './input/router.js';
import {blankLine, fitLine, textLine, type Line} from './lines.js';
import {noScreenMemo, type ScreenMemo} from './screen-memo.js';
import type {SelectedRows} from './select.js';
import {effectiveFilter} from './state/filter.js';
import {marksText} from './state/marks.js';
import {topView, type View} from './state/navigation.js';
import type {UiState} from './state/ui-state.js';
import type {Theme} from './theme.js';
import {confirmLines} from './views/confirm-view.js';
import {detailBody, detailScrollable} from './views/detail-view.js';
import {footerLines} from './views/footer.js';
import {headerLines} from './views/header.js';
import {helpBody, helpScrollable} from './views/help-view.js';
import {connectorsBody, failureMembersBody, failuresBody, listChromeLines, workersBody} from './views/list-views.js';
import {eventsBody} from './views/events-view.js';
import {traceBody, traceScrollable} from './views/trace-view.js';

/**
 * The whole screen as lines, from the store state, the UI state and the terminal size
 * (pure). The Ink component draws it; the keyboard router gets its bounds from the same
 * functions, so what a key moves is exactly what is on screen.
 */
export interface ScreenInput {
	readonly state: AppState;
	readonly ui: UiState;
	readonly rows: SelectedRows;
	readonly history: (connector: string) => ConnectorHistory;
	readonly theme: Theme;
	readonly readOnly: boolean;
	/** --insecure: marked in the header. */
	readonly insecure?: boolean;
	readonly width: number;
	readonly height: number;
	/** The config file's named clusters, for `:ctx`. */
	readonly contexts?: {readonly name: string; readonly known: readonly string[]} | undefined;
	/** The live view's memory of earlier builds (screen-memo.ts); without it everything is built. */
	readonly memo?: ScreenMemo | undefined;
}

export interface Screen {
	readonly header: readonly Line[];
	readonly body: readonly Line[];
	readonly footer: readonly Line[];
	/** Content of the confirmation dialog (drawn in a bordered box), when one is open. */
	readonly modal: readonly Line[] | undefined;
	readonly modalWidth: number;
}

export const footerHeight = 2;
/** Border and padding of the dialog box: 2 rows, 4 columns. */
export const modalChrome = {rows: 2, columns: 4};

export function shownSnapshot(state: AppState): ClusterSnapshot | undefined {
	return state.frozen?.snapshot ?? state.snapshot;
}

/** How long a connector has been in its state: from the journal, measured at the snapshot on screen. */
function stateDuration(state: AppState, snapshot: ClusterSnapshot | undefined): ((connector: string) => number | undefined) | undefined {
	if (snapshot === undefined || state.journal.known.size === 0) return undefined;
	return name => {
		const since = sinceOf(state.journal, 'connector', name);
		return since === undefined ? undefined : Math.max(0, snapshot.takenAt - since);
	};
}

/** The version the worker reported last (the live snapshot, not a frozen one): actions are planned for it. */
function connectVersionOf(state: AppState): string | undefined {
	return state.snapshot?.cluster.version;
}

function header(input: ScreenInput, now: number | undefined = input.state.now): Line[] {
	const {state} = input;
	return headerLines({snapshot: shownSnapshot(state), demo: state.demo, refreshing: state.refreshing, frozen: state.frozen, theme: input.theme, now: Math.max(now ?? 0, state.now ?? 0) || undefined, hint: state.unreachableHint, width: input.width, insecure: input.insecure, context: input.contexts?.name, workerSince: id => sinceOf(state.journal, 'worker', id)});
}

/**
 * The header alone at a later clock time: ages ("REST ok 3s") move every second without a
 * new snapshot. It has as many lines as buildScreen's header, so the layout does not move.
 */
export function headerAt(input: ScreenInput, now: number | undefined): Line[] {
	return header(input, now).map(each => fitLine(each, input.width));
}

function modalWidth(width: number): number {
	return Math.max(20, Math.min(width, 100));
}

function modal(input: ScreenInput): Line[] | undefined {
	const current = input.ui.modal;
	if (current === undefined) return undefined;
	// The dialog's list of calls leaves the header, the footer and a few rows of the grid in sight.
	return confirmLines(current, bindingStateOf(input.ui, {readOnly: input.readOnly, connectVersion: connectVersionOf(input.state)}), input.theme, modalWidth(input.width) - modalChrome.columns, input.height - 16);
}

function bodyHeight(input: ScreenInput, headerCount: number, modalLines: readonly Line[] | undefined): number {
	const modalRows = modalLines === undefined ? 0 : modalLines.length + modalChrome.rows;
	return Math.max(3, input.height - headerCount - footerHeight - modalRows);
}

function body(input: ScreenInput, view: View, height: number): Line[] {
	const {state, ui, rows, theme, width} = input;
	const snapshot = shownSnapshot(state);
	if (view.kind === 'failures') return failuresBody({groups: rows.failures, list: ui.failures, theme, width, height});
	if (view.kind === 'failure-members') {
		const group = rows.failures.rows.find(each => each.fingerprint === view.fingerprint);
		if (group === undefined) return [textLine('this group has no FAILED member any more (Esc: back)', {dim: true})];
		return failureMembersBody({group, members: {rows: group.members, indexOf: () => -1}, list: {index: view.index, offset: 0, name: undefined}, theme, width, height});
	}
	if (view.kind === 'events') return eventsBody({rows: rows.events, total: state.journal.events.length, list: ui.events, filter: rows.filter, problem: state.journalProblem, theme, height});
	if (snapshot === undefined && (view.kind === 'connectors' || view.kind === 'workers')) {
		return [textLine('waiting for the first answer from Kafka Connect…', {dim: true})];
	}
	switch (view.kind) {
		case 'connectors':
			return connectorsBody({rows: rows.connectors, total: snapshot?.connectors.length ?? 0, restAnswered: snapshot?.rest.everSucceeded ?? false, changed: state.frozen === undefined ? name => state.changed.has(name) : undefined, stateFor: stateDuration(state, snapshot), marked: ui.marks.size === 0 ? undefined : name => ui.marks.has(name), list: ui.connectors, sort: ui.sort, filter: rows.filter, faultsOnly: ui.faultsOnly, history: input.history, theme, width, height, memo: input.memo});
		case 'workers':
			return workersBody({rows: rows.workers, total: snapshot?.workers.length ?? 0, list: ui.workers, filter: rows.filter, theme, width, height});
		case 'detail':
			return detailBody({view, connector: rows.findConnector(view.connector), detail: state.detail, history: input.history(view.connector), events: recentEvents(state.journal, view.connector), theme, width, height});
		case 'trace':
			return traceBody({view, connector: rows.findConnector(view.connector), theme, width, height});
		case 'help':
			return helpBody({view, readOnly: input.readOnly, theme, height});
	}
}

export function buildScreen(input: ScreenInput): Screen {
	const {ui, width} = input;
	const view = topView(ui.stack);
	const headerLinesList = header(input);
	const modalLines = modal(input);
	const height = bodyHeight(input, headerLinesList.length, modalLines);
	const bodyLines = body(input, view, height).slice(0, height);
	while (bodyLines.length < height) bodyLines.push(blankLine);
	const memo = input.memo ?? noScreenMemo;
	const connectVersion = connectVersionOf(input.state);
	// Marks count where actions use them: the grid and the failure views.
	const marked = ui.marks.size > 0 && (view.kind === 'connectors' || view.kind === 'failures' || view.kind === 'failure-members') ? marksText(ui.marks, ui.marks.size - input.rows.connectors.rows.filter(row => ui.marks.has(row.name)).length) : undefined;
	const {lastBatch} = input.state;
	// The footer reads the UI state, these and nothing else.
	const footer = memo.lines('footer', [ui, input.readOnly, input.theme, connectVersion, input.rows.filter.fallback, lastBatch, marked, width], () =>
		footerLines({
			context: contextOf(ui),
			bindingState: bindingStateOf(ui, {readOnly: input.readOnly, connectVersion}),
			readOnly: input.readOnly,
			theme: input.theme,
			filterDraft: ui.filter.draft,
			filter: input.rows.filter,
			command: ui.command,
			message: ui.message,
			lastBatch,
			sending: ui.sending !== undefined && ui.sending.previous === lastBatch ? ui.sending.batch : undefined,
			marked,
		}).map(each => fitLine(each, width)),
	);
	const fitted = (lines: readonly Line[], lineWidth: number): Line[] => lines.map(each => fitLine(each, lineWidth));
	return {
		header: fitted(headerLinesList, width),
		// Kept grid rows keep their fitted line too.
		body: bodyLines.map(each => memo.fit(each, width)),
		footer,
		modal: modalLines === undefined ? undefined : fitted(modalLines, modalWidth(width) - modalChrome.columns),
		modalWidth: modalWidth(width),
	};
}

/** State fields only the header draws: a change to these alone leaves body and footer as they were. */
const headerOnlyFields: ReadonlySet<string> = new Set<keyof AppState>(['refreshing', 'nextRefreshAt']);

function onlyHeaderFieldsChanged(before: AppState, after: AppState): boolean {
	for (const [key, value] of Object.entries(after)) {
		if (Reflect.get(before, key) !== value && !headerOnlyFields.has(key)) return false;
	}
	return true;
}

/**
 * buildScreen, reusing `previous` (the screen of `previousInput`) when only the header can
 * have changed: a refresh starting (the refreshing marker) rebuilds three lines, not the grid.
 */
export function rebuildScreen(previousInput: ScreenInput | undefined, previous: Screen | undefined, input: ScreenInput): Screen {
	if (previousInput === undefined || previous === undefined) return buildScreen(input);
	const same = previousInput.ui === input.ui && previousInput.rows === input.rows && previousInput.width === input.width && previousInput.height === input.height && previousInput.theme === input.theme && previousInput.readOnly === input.readOnly;
	if (!same || !onlyHeaderFieldsChanged(previousInput.state, input.state)) return buildScreen(input);
	const headerNow = headerAt(input, undefined);
	if (headerNow.length !== previous.header.length) return buildScreen(input);
	return {...previous, header: headerNow};
}

/** What the router needs to know about the screen in front, computed exactly as it is drawn. */
export function routerContext(input: ScreenInput): RouterContext {
	const headerCount = header(input).length;
	const height = bodyHeight(input, headerCount, modal(input));
	const {rows, theme, width, state} = input;
	return {
		readOnly: input.readOnly,
		lastBatch: state.lastBatch,
		connectVersion: connectVersionOf(state),
		contexts: input.contexts,
		connectors: rows.connectors,
		workers: rows.workers,
		events: rows.events,
		failures: rows.failures,
		findConnector: rows.findConnector,
		listHeight: Math.max(1, height - listChromeLines),
		scrollable(view) {
			switch (view.kind) {
				case 'detail':
					return detailScrollable({view, connector: rows.findConnector(view.connector), detail: state.detail, history: input.history(view.connector), events: recentEvents(state.journal, view.connector), theme, width, height});
				case 'trace':
					return traceScrollable({view, connector: rows.findConnector(view.connector), theme, width, height});
				case 'help':
					return helpScrollable({view, readOnly: input.readOnly, theme, height});
				default:
					return {count: 0, height};
			}
		},
	};
}

export function filterTextOf(ui: UiState): string {
	return effectiveFilter(ui.filter);
}
