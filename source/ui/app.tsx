import {Box, useInput, useWindowSize, type Key} from 'ink';
import {useEffect, useMemo, useRef, useState, useSyncExternalStore} from 'react';
import type {Store} from '../store/types.js';
import {LineView} from './components/line-view.js';
import type {KeyPress} from './input/keymap.js';
import {routeKey, type Effect} from './input/router.js';
import {buildScreen, filterTextOf, routerContext, shownSnapshot, type ScreenInput} from './screen.js';
import {createRowsSelector, type SelectedRows} from './select.js';
import {openDetailConnector} from './state/navigation.js';
import {initialUiState, type UiState} from './state/ui-state.js';
import {makeTheme} from './theme.js';

export interface UiOptions {
	/** ASCII sparklines and borders. */
	readonly ascii: boolean;
	/** false when NO_COLOR is set: no colour at all. */
	readonly color: boolean;
	/** Hide the actions (restart, pause, resume, stop). */
	readonly readOnly: boolean;
	/** TLS verification is off (--insecure): the header says so. */
	readonly insecure?: boolean;
}

export interface AppProps {
	readonly store: Store;
	readonly options: UiOptions;
	readonly onExit: () => void;
	/** Terminal size; tests pass it, the CLI leaves it to Ink's useWindowSize. */
	readonly size?: {readonly columns: number; readonly rows: number};
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
 * Ink hands over text that arrives in one read (fast typing, a paste, keys sent by a
 * script) as one multi-character input. The router works key by key, so split it: each
 * character is one press, a CR or LF inside the text is Enter.
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
export function App({store, options, onExit, size}: AppProps): React.JSX.Element {
	const state = useSyncExternalStore(store.subscribe, store.getState);
	const windowSize = useWindowSize();
	const columns = Math.max(20, size?.columns ?? windowSize.columns);
	const rows = Math.max(8, size?.rows ?? windowSize.rows);
	const theme = useMemo(() => makeTheme({ascii: options.ascii, color: options.color}), [options.ascii, options.color]);
	const readOnly = options.readOnly || state.readOnly;
	const [ui, setUi] = useState<UiState>(initialUiState);
	// Keys can arrive faster than React commits: the router always works on the latest UI state.
	const uiRef = useRef<UiState>(ui);
	const [selectRows] = useState(createRowsSelector);
	const latest = useRef({columns, rows, readOnly, theme, onExit});
	latest.current = {columns, rows, readOnly, theme, onExit};

	const screenInputFor = (current: UiState): ScreenInput => {
		const storeState = store.getState();
		const selected: SelectedRows = selectRows({snapshot: shownSnapshot(storeState), filterText: filterTextOf(current), sort: current.sort, faultsOnly: current.faultsOnly});
		const {columns: width, rows: height, readOnly: ro, theme: th} = latest.current;
		return {state: storeState, ui: current, rows: selected, history: name => store.history(name), theme: th, readOnly: ro, width, height};
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
				// runAction never throws; the outcome lands in state.lastAction.
				void store.runAction(effect.action);
				return;
			case 'open-detail':
				store.openDetail(effect.connector);
				return;
			case 'close-detail':
				store.closeDetail();
		}
	};

	useInput((input, key) => {
		for (const press of toKeyPresses(input, key)) {
			const current = uiRef.current;
			const {ui: next, effects} = routeKey(current, press, routerContext(screenInputFor(current)));
			uiRef.current = next;
			if (next !== current) setUi(next);
			for (const effect of effects) runEffect(effect);
		}
	});

	useEffect(
		() => () => {
			if (openDetailConnector(uiRef.current.stack) !== undefined) store.closeDetail();
		},
		[store],
	);

	const screen = buildScreen({
		state,
		ui,
		rows: selectRows({snapshot: shownSnapshot(state), filterText: filterTextOf(ui), sort: ui.sort, faultsOnly: ui.faultsOnly}),
		history: name => store.history(name),
		theme,
		readOnly,
		insecure: options.insecure === true,
		width: columns,
		height: rows,
	});

	return (
		<Box flexDirection="column" width={columns}>
			<LineView lines={screen.header} />
			<LineView lines={screen.body} />
			{screen.modal === undefined ? null : (
				<Box borderStyle={theme.border} borderColor={theme.fg('yellow')} flexDirection="column" paddingX={1} width={screen.modalWidth}>
					<LineView lines={screen.modal} />
				</Box>
			)}
			<LineView lines={screen.footer} />
		</Box>
	);
}
