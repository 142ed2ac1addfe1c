import type {ClusterSnapshot, ConnectorHistory} from '../model/types.js';
import {connectorColumns, workerColumns} from './layout/columns.js';
import {headerLine, layoutColumns, rowLine} from './layout/table.js';
import {blankLine, fitLine, lineToAnsi, segment, textLine, type Line} from './lines.js';
import {initialSort, sortConnectors} from './state/sort.js';
import {makeTheme} from './theme.js';
import {headerLines} from './views/header.js';

export interface OnceOptions {
	readonly columns: number;
	readonly ascii: boolean;
	readonly color: boolean;
	readonly history?: (connector: string) => ConnectorHistory;
	/** The DEMO marker, as in the live view (default false). */
	readonly demo?: boolean;
}

/**
 * One snapshot as plain text (`kctop --once`, or stdout not a TTY): the header lines, the
 * workers table and the connectors table with the grid's columns, priorities and
 * formatting, failures first. ANSI colour only when `color`.
 */
export function renderSnapshotText(snapshot: ClusterSnapshot, options: OnceOptions): string {
	const width = Math.max(20, options.columns);
	const theme = makeTheme({ascii: options.ascii, color: options.color});
	const lines: Line[] = headerLines({snapshot, demo: options.demo === true, refreshing: false, frozen: undefined, theme, width});

	lines.push(blankLine, textLine(`Workers (${snapshot.workers.length})`, {bold: true}));
	const workerPlaced = layoutColumns(workerColumns(theme), snapshot.workers, width);
	lines.push(headerLine(workerPlaced));
	for (const worker of snapshot.workers) lines.push(rowLine(workerPlaced, worker, false));
	if (snapshot.workers.length === 0) lines.push(textLine('no workers known', {dim: true}));

	const connectors = sortConnectors(snapshot.connectors, initialSort);
	lines.push(blankLine, {segments: [segment(`Connectors (${connectors.length})`, {bold: true}), segment('  failures first', {dim: true})]});
	const connectorPlaced = layoutColumns(connectorColumns({theme, history: options.history}), connectors, width);
	lines.push(headerLine(connectorPlaced));
	for (const connector of connectors) lines.push(rowLine(connectorPlaced, connector, false));
	if (connectors.length === 0) lines.push(textLine('no connectors', {dim: true}));

	return `${lines.map(each => lineToAnsi(fitLine(each, width), options.color)).join('\n')}\n`;
}
