import type {ClusterSnapshot, ConnectorHistory} from '../model/types.js';
import type {AppState} from '../store/types.js';
import {initialAppState} from '../store/store.js';
import {lineToAnsi} from '../ui/lines.js';
import {buildScreen} from '../ui/screen.js';
import {select} from '../ui/select.js';
import {initialUiState} from '../ui/state/ui-state.js';
import {makeTheme} from '../ui/theme.js';

const theme = makeTheme({ascii: false, color: true});
const history: ConnectorHistory = {lag: Array.from({length: 150}, (_, i) => (i * 37) % 500), recordRate: Array.from({length: 150}, (_, i) => i % 40), errors: []};

/**
 * One frame of the connectors grid after a new snapshot, as the App computes it: filter and
 * sort (failures first) over every row, then the visible lines as ANSI text. Returns the
 * text so the work cannot be optimised away.
 */
export function renderGridFrame(snapshot: ClusterSnapshot, width: number, height: number): string {
	const state: AppState = {...initialAppState({demo: false, readOnly: false, intervalMs: 2000, unreachableHint: undefined}), snapshot};
	const rows = select({snapshot, filterText: '', sort: initialUiState.sort, faultsOnly: false});
	const screen = buildScreen({state, ui: initialUiState, rows, history: () => history, theme, readOnly: false, width, height});
	return [...screen.header, ...screen.body, ...screen.footer].map(line => lineToAnsi(line, true)).join('\n');
}
