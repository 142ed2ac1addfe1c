import {failuresOf, memberName} from '../model/failures.js';
import {severityLabels} from '../model/severity.js';
import {causeText} from '../model/trace.js';
import type {ClusterSnapshot, ConnectorHistory, ConnectorRow} from '../model/types.js';
import {connectorColumns, workerColumns} from './layout/columns.js';
import {headerLine, layoutColumns, rowLine} from './layout/table.js';
import {blankLine, fitLine, lineToAnsi, segment, textLine, type Line} from './lines.js';
import {initialSort, sortConnectors} from './state/sort.js';
import {safe} from './text.js';
import {makeTheme, type Theme} from './theme.js';
import {headerLines} from './views/header.js';

export interface OnceOptions {
	readonly columns: number;
	readonly ascii: boolean;
	readonly color: boolean;
	readonly history?: (connector: string) => ConnectorHistory;
}

/**
 * One snapshot as plain text (`kctop --once`, or stdout not a TTY): the header lines, the
 * workers table and the connectors table with the grid's columns, priorities and
 * formatting, failures first. ANSI colour only when `color`.
 */
export function renderSnapshotText(snapshot: ClusterSnapshot, options: OnceOptions): string {
	const width = Math.max(20, options.columns);
	const theme = makeTheme({ascii: options.ascii, color: options.color});
	const lines: Line[] = headerLines({snapshot, demo: false, refreshing: false, frozen: undefined, theme});

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
	lines.push(...problemLines(connectors, theme));

	return `${lines.map(each => lineToAnsi(fitLine(each, width), options.color)).join('\n')}\n`;
}

/**
 * The problems section under the connectors table: one line per FAILED connector or task with
 * its root cause (and its hint on the next line), then one line per other connector that is not
 * fine, with its problems; worst first, as the table.
 */
export function problemLines(connectors: readonly ConnectorRow[], theme: Theme): Line[] {
	const items: Array<{label: string; subject: string; text: string; hint: string | undefined; color: ReturnType<Theme['fg']>}> = [];
	for (const row of connectors) {
		if (row.severity === 'fine') continue;
		const color = theme.severityColor(row.severity);
		const failures = failuresOf(row);
		for (const failure of failures) items.push({label: 'FAILED', subject: memberName(failure), text: failure.cause === undefined ? 'no trace' : causeText(failure.cause), hint: failure.hint?.text, color});
		const rest = failures.length > 0 ? row.problems.filter(problem => !/FAILED$/.test(problem)) : row.problems.length > 0 ? row.problems : [severityLabels[row.severity]];
		if (rest.length > 0) items.push({label: severityLabels[row.severity].toUpperCase(), subject: row.name, text: rest.join('; '), hint: undefined, color});
	}
	if (items.length === 0) return [];
	const labelWidth = Math.max(...items.map(item => item.label.length));
	const subjectWidth = Math.min(48, Math.max(...items.map(item => safe(item.subject).length)));
	const lines: Line[] = [blankLine, {segments: [segment(`Problems (${items.length})`, {bold: true}), segment('  worst first, root causes of FAILED connectors and tasks', {dim: true})]}];
	for (const item of items) {
		lines.push({segments: [segment(item.label.padEnd(labelWidth), {color: item.color, bold: item.label === 'FAILED'}), segment(' '), segment(safe(item.subject).padEnd(subjectWidth)), segment(' '), segment(safe(item.text))]});
		if (item.hint !== undefined) lines.push({segments: [segment(`${' '.repeat(labelWidth + subjectWidth + 2)}hint: `, {dim: true}), segment(safe(item.hint))]});
	}
	return lines;
}
