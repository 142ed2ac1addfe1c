import {Box, useInput, usePaste, useWindowSize, type Key} from 'ink';
import {memo, useEffect, useLayoutEffect, useMemo, useRef, useState, useSyncExternalStore} from 'react';
import type {Store} from '../store/types.js';
import {LineView} from './components/line-view.js';
import type {KeyPress} from './input/keymap.js';
import {armModal, routeKey, routePaste, type Effect, type RouteResult} from './input/router.js';
import {filterTextOf, headerAt, rebuildScreen, routerContext, shownSnapshot, type Screen, type ScreenInput} from './screen.js';
import {shareLines, type Line} from './lines.js';
import type {AppState} from '../store/types.js';
import {createScreenMemo, type ScreenMemo} from './screen-memo.js';
import {boxLines, type ScreenWriter} from './screen-writer.js';
import {createRowsSelector, type SelectedRows} from './select.js';
import {armQuietMs} from './state/modal.js';
import {openDetailConnector} from './state/navigation.js';
import {initialUiState, type UiState} from './state/ui-state.js';
import {makeTheme, type Theme} from './theme.js';

export interface UiOptions {
	/** ASCII sparklines and borders. */
	readonly ascii: boolean;
	/** false when NO_COLOR is set: no colour at all. */
	readonly color: boolean;
	/** Hide the actions (restart, pause, resume, stop). */
	readonly readOnly: boolean;
	/** TLS verification is off (--insecure): the header says so. */
	readonly insecure?: boolean;
	/** The named clusters of the config file, when there is one (`:ctx`). */
	readonly contexts?: {readonly name: string; readonly known: readonly string[]} | undefined;
}

export interface AppProps {
	readonly store: Store;
	readonly options: UiOptions;
	readonly onExit: () => void;
	/** `P`: write the incident report; returns the line for the status bar (where it went, or why not). */
	readonly onWriteReport?: () => string;
	/** `:ctx NAME`: switch to another cluster; returns why it cannot, or undefined when it will. */
	readonly onSwitchContext?: (name: string) => string | undefined;
	/** Terminal size; tests pass it, the CLI leaves it to Ink's useWindowSize. */
	readonly size?: {readonly columns: number; readonly rows: number};
	/**
	 * Draws the screen on the terminal itself, only the characters that changed (the live
	 * view: run.tsx). Without it Ink draws the screen (tests through ink-testing-library).
	 */
	readonly writer?: ScreenWriter;
	/** The memory of earlier screen builds (made here when not given; tests pass one to count what is rebuilt). */
	readonly memo?: ScreenMemo;
}

export function toKeyPress(input: string, key: Key): KeyPress {
	return {
		input,
		up: key.upArrow,
		down: key.downArrow,
		left: key.leftArrow,
		right: key.rightArrow,
		pageUp: key.pageUp,
		pageDown: key.pageDown,
		home: key.home,
		end: key.end,
		return: key.return,
		escape: key.escape,
		tab: key.tab,
		backspace: key.backspace,
		delete: key.delete,
		ctrl: key.ctrl,
		shift: key.shift,
		meta: key.meta && !key.escape,
	};
}

/**
 * Ink hands over text that arrives in one read (fast typing, type-ahead over a slow link,
 * a paste the terminal did not bracket, keys sent by a script) as one multi-character
 * input. The router works key by key, so split it: each character is one press, a CR or
 * LF inside the text is Enter. The router is told the presses came as a burst: a burst can
 * move and type, but never confirms an action.
 */
export function toKeyPresses(input: string, key: Key): KeyPress[] {
	const plain = !key.ctrl && !key.meta && !key.escape && !key.return && !key.tab && !key.backspace && !key.delete && !key.upArrow && !key.downArrow && !key.leftArrow && !key.rightArrow && !key.pageUp && !key.pageDown;
	const chars = [...input];
	if (!plain || chars.length <= 1) return [toKeyPress(input, key)];
	return chars.map(ch => (ch === '\r' || ch === '\n' ? {input: '', return: true} : {input: ch}));
}

/**
 * The live monitor. Reads only the store (useSyncExternalStore) and its props; keys and
 * resizes re-render from the last snapshot and never fetch. All keys go through one
 * router (input/router.ts) that reads the keymap of the view in front.
 */
export function App({store, options, onExit, onSwitchContext, onWriteReport, size, writer, memo: givenMemo}: AppProps): React.JSX.Element {
	const windowSize = useWindowSize();
	const columns = Math.max(20, size?.columns ?? windowSize.columns);
	const rows = Math.max(8, size?.rows ?? windowSize.rows);
	const theme = useMemo(() => makeTheme({ascii: options.ascii, color: options.color}), [options.ascii, options.color]);
	const [ui, setUi] = useState<UiState>(initialUiState);
	// Keys can arrive faster than React commits: the router always works on the latest UI state.
	const uiRef = useRef<UiState>(ui);
	const [selectRows] = useState(createRowsSelector);
	const [ownMemo] = useState(createScreenMemo);
	const memo = givenMemo ?? ownMemo;
	const latest = useRef({columns, rows, readOnly: options.readOnly, theme, onExit});
	latest.current = {columns, rows, readOnly: options.readOnly, theme, onExit};

	// The screen of the latest (store state, UI state, size), its lines shared with the screen
	// before wherever they draw the same (shareLines). A store change that leaves the screen as
	// it was does not re-render at all: no React work, no Ink frame, no bytes.
	const drawn = useRef<DrawnScreen | undefined>(undefined);
	const screenOf = (state: AppState, current: UiState): DrawnScreen => {
		const {columns: width, rows: height, readOnly: readOnlyOption, theme: th} = latest.current;
		const readOnly = readOnlyOption || state.readOnly;
		const previous = drawn.current;
		if (previous !== undefined && previous.input.state === state && previous.input.ui === current && previous.input.width === width && previous.input.height === height && previous.input.theme === th && previous.input.readOnly === readOnly) return previous;
		const input: ScreenInput = {
			state,
			ui: current,
			rows: selectRows({snapshot: shownSnapshot(state), filterText: filterTextOf(current), sort: current.sort, faultsOnly: current.faultsOnly, journal: state.journal}),
			history: name => store.history(name),
			theme: th,
			readOnly,
			insecure: options.insecure === true,
			contexts: options.contexts,
			width,
			height,
			memo,
		};
		const next = {input, screen: shareScreen(previous?.screen, rebuildScreen(previous?.input, previous?.screen, input))};
		drawn.current = next;
		return next;
	};
	const rendered = useRef<Screen | undefined>(undefined);
	const paintNow = useRef<(() => void) | undefined>(undefined);
	const subscribeVisible = useMemo(
		() => (listener: () => void) =>
			store.subscribe(() => {
				const {screen: next} = screenOf(store.getState(), uiRef.current);
				if (next === rendered.current) {
					// The same screen, at the state's time: ages a clock tick moved since are put back (nothing is written when none did).
					paintNow.current?.();
					return;
				}
				// With a writer, Ink draws nothing: the screen is painted here, without a React render.
				if (paintNow.current === undefined) listener();
				else {
					rendered.current = next;
					paintNow.current();
				}
			}),
		// eslint-disable-next-line react-hooks/exhaustive-deps -- screenOf reads refs only
		[store],
	);
	const state = useSyncExternalStore(subscribeVisible, store.getState);
	const readOnly = options.readOnly || state.readOnly;

	const screenInputFor = (current: UiState): ScreenInput => {
		const storeState = store.getState();
		const selected: SelectedRows = selectRows({snapshot: shownSnapshot(storeState), filterText: filterTextOf(current), sort: current.sort, faultsOnly: current.faultsOnly, journal: storeState.journal});
		const {columns: width, rows: height, theme: th} = latest.current;
		return {state: storeState, ui: current, rows: selected, history: name => store.history(name), theme: th, readOnly: latest.current.readOnly || storeState.readOnly, width, height, contexts: options.contexts};
	};

	const runEffect = (effect: Effect): void => {
		switch (effect.kind) {
			case 'exit':
				if (openDetailConnector(uiRef.current.stack) !== undefined) store.closeDetail();
				latest.current.onExit();
				return;
			case 'refresh':
				store.refreshNow();
				return;
			case 'toggle-freeze':
				store.toggleFreeze();
				return;
			case 'run-action':
				// runBatch never throws; the outcome lands in state.lastBatch.
				void store.runBatch(effect.batch);
				return;
			case 'open-detail':
				store.openDetail(effect.connector);
				return;
			case 'close-detail':
				store.closeDetail();
				return;
			case 'write-report': {
				const text = onWriteReport === undefined ? 'reports are written by the live view (or: kctop --once -o markdown)' : onWriteReport();
				const next = {...uiRef.current, message: {level: 'info' as const, text}};
				uiRef.current = next;
				setUi(next);
				return;
			}
			case 'switch-context': {
				const problem = onSwitchContext === undefined ? 'switching contexts needs the live view' : onSwitchContext(effect.name);
				if (problem !== undefined) {
					const next = {...uiRef.current, message: {level: 'error' as const, text: problem}};
					uiRef.current = next;
					setUi(next);
				}
			}
		}
	};

	const apply = (current: UiState, {ui: next, effects}: RouteResult): void => {
		uiRef.current = next;
		if (next !== current) setUi(next);
		for (const effect of effects) runEffect(effect);
	};

	useInput((input, key) => {
		const presses = toKeyPresses(input, key);
		for (const press of presses) {
			const current = uiRef.current;
			apply(current, routeKey(current, press, routerContext(screenInputFor(current)), {burst: presses.length > 1}));
		}
	});

	// Bracketed paste: text for an open prompt, ignored (with a notice) everywhere else.
	usePaste(text => {
		const current = uiRef.current;
		apply(current, routePaste(current, text));
	});

	// A confirmation is armed once it has been drawn and the keyboard has been still for
	// armQuietMs. Every dropped key gives the dialog a new state object, so the wait restarts.
	const modal = ui.modal;
	useEffect(() => {
		if (modal === undefined || modal.armed) return;
		const timer = setTimeout(() => {
			const current = uiRef.current;
			if (current.modal !== modal) return;
			apply(current, {ui: armModal(current), effects: []});
		}, armQuietMs);
		return () => clearTimeout(timer);
	}, [modal]);

	useEffect(
		() => () => {
			if (openDetailConnector(uiRef.current.stack) !== undefined) store.closeDetail();
		},
		[store],
	);

	// The screen is rebuilt when the store's state, the UI state or the size changes; a clock
	// tick only re-renders the header (ClockedHeader), never the grid.
	const {input, screen} = screenOf(state, ui);
	rendered.current = screen;
	const latestInput = (): ScreenInput => drawn.current?.input ?? input;

	// With a writer: every commit and every clock tick paints the latest screen; the writer
	// writes only what changed, so a tick that moves one age writes those characters alone.
	const painter = useRef<Painter | undefined>(undefined);
	painter.current ??= writer === undefined ? undefined : createPainter(writer, store);
	const paint = (): void => {
		const latestScreen = drawn.current ?? {input, screen};
		painter.current?.paint(latestScreen.input, latestScreen.screen, latest.current.theme, latest.current.columns, latest.current.rows);
	};
	paintNow.current = writer === undefined ? undefined : paint;
	useLayoutEffect(paint);
	useEffect(() => (writer === undefined ? undefined : store.subscribeClock(paint)), [store, writer]);
	if (writer !== undefined) return <></>;

	return (
		<Box flexDirection="column" width={columns}>
			<ClockedHeader store={store} latestInput={latestInput} />
			<MemoLineView lines={screen.body} />
			{screen.modal === undefined ? null : (
				<Box borderStyle={theme.border} borderColor={theme.fg('yellow')} flexDirection="column" paddingX={1} width={screen.modalWidth}>
					<LineView lines={screen.modal} />
				</Box>
			)}
			<MemoLineView lines={screen.footer} />
		</Box>
	);
}

interface DrawnScreen {
	readonly input: ScreenInput;
	readonly screen: Screen;
}

/** `next`, reusing the line arrays (and lines) of `previous` that draw the same; `previous` itself when nothing changed. */
function shareScreen(previous: Screen | undefined, next: Screen): Screen {
	if (previous === undefined) return next;
	const header = shareLines(previous.header, next.header);
	const body = shareLines(previous.body, next.body);
	const footer = shareLines(previous.footer, next.footer);
	const modal = next.modal === undefined || previous.modal === undefined ? next.modal : shareLines(previous.modal, next.modal);
	if (header === previous.header && body === previous.body && footer === previous.footer && modal === previous.modal && next.modalWidth === previous.modalWidth) return previous;
	return {header, body, footer, modal, modalWidth: next.modalWidth};
}

const MemoLineView = memo(LineView);

interface Painter {
	paint(input: ScreenInput, screen: Screen, theme: Theme, columns: number, rows: number): void;
}

/** Header at the clock's time, body, dialog box and footer as one list of rows for the writer; rows that draw the same keep their identity. */
function createPainter(writer: ScreenWriter, store: Store): Painter {
	let header: readonly Line[] | undefined;
	let box: {readonly lines: readonly Line[]; readonly rows: readonly Line[]} | undefined;
	return {
		paint(input, screen, theme, columns, rows) {
			// The screen's header is drawn at the snapshot's time: recomputed only once the clock has passed it.
			const clock = store.clockNow();
			header = shareLines(header, clock === undefined || clock <= (input.state.now ?? 0) ? screen.header : headerAt(input, clock));
			let modalRows: readonly Line[] = [];
			if (screen.modal !== undefined) {
				if (box?.lines !== screen.modal) box = {lines: screen.modal, rows: shareLines(box?.rows, boxLines(screen.modal, screen.modalWidth, theme.border, theme.fg('yellow')))};
				modalRows = box.rows;
			}
			writer.draw([...header, ...screen.body, ...modalRows, ...screen.footer], columns, rows);
		},
	};
}

/**
 * The header, redrawn on a clock tick of the store (ages) only when its text changes, and
 * otherwise with the screen. It reads the latest screen input (latestInput), which may be
 * newer than the last render when a refresh changed nothing visible.
 */
function ClockedHeader({store, latestInput}: {readonly store: Store; readonly latestInput: () => ScreenInput}): React.JSX.Element {
	const shown = useRef<readonly Line[] | undefined>(undefined);
	// getSnapshot: the same array while the header draws the same, so a tick that moves no age is no render.
	const linesNow = (): readonly Line[] => {
		const lines = shareLines(shown.current, headerAt(latestInput(), store.clockNow()));
		shown.current = lines;
		return lines;
	};
	const lines = useSyncExternalStore(store.subscribeClock, linesNow);
	return <MemoLineView lines={lines} />;
}
