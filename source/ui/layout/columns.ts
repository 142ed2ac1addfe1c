import {formatAge, formatCount, formatDuration, formatLag, formatRate, formatSince} from '../../model/format.js';
import {isSinkBlocked, severityLabels} from '../../model/severity.js';
import {causeText} from '../../model/trace.js';
import type {ConnectorHistory, ConnectorRow, DebeziumInfo, WorkerRow} from '../../model/types.js';
import type {Segment} from '../lines.js';
import {sparkline} from '../sparkline.js';
import {displayWidth, safe} from '../text.js';
import type {Theme} from '../theme.js';
import type {Column} from './table.js';
import {workerMetricsCell} from '../views/workers-metrics.js';

export interface ColumnContext {
	readonly theme: Theme;
	/** History for the lag sparkline; without it the trend column is left out. */
	readonly history: ((connector: string) => ConnectorHistory) | undefined;
	/** Connectors that changed in the latest refresh: their state cell is drawn in reverse video. */
	readonly changed?: ((connector: string) => boolean) | undefined;
	/** How long the connector has been in its state, when the journal saw it change (ms). */
	readonly stateFor?: ((connector: string) => number | undefined) | undefined;
}

/** "FAILED 14m": the state, and how long it has lasted when the journal knows. */
export function stateText(row: Pick<ConnectorRow, 'name' | 'state'>, stateFor: ColumnContext['stateFor']): string {
	const lasted = stateFor?.(row.name);
	return lasted === undefined ? safe(row.state) : `${safe(row.state)} ${formatSince(lasted)}`;
}

export function errorsTotal(row: ConnectorRow): number | undefined {
	if (row.recordErrors === undefined && row.recordFailures === undefined) return undefined;
	return (row.recordErrors ?? 0) + (row.recordFailures ?? 0);
}

/** `SNAPSHOT 3/8`: tables done of the snapshot's tables, when the metrics say. */
/** "SNAPSHOT 3/4" (tables done of total), else "SNAPSHOT 12.3k rows" (rows read so far), else "SNAPSHOT". */
function snapshotText(dbz: DebeziumInfo): string {
	const {snapshotTablesTotal: total, snapshotTablesRemaining: remaining, snapshotRows: rows} = dbz;
	if (total !== undefined && remaining !== undefined && total > 0) return `SNAPSHOT ${Math.max(0, total - remaining)}/${total}`;
	return rows !== undefined && rows > 0 ? `SNAPSHOT ${formatCount(rows)} rows` : 'SNAPSHOT';
}

/** Share of the change-event queue in use (0–1), when both capacities are known. */
export function queueFill(dbz: DebeziumInfo): number | undefined {
	const {queueRemaining: remaining, queueTotal: total} = dbz;
	return remaining === undefined || total === undefined || total <= 0 ? undefined : Math.min(1, Math.max(0, (total - remaining) / total));
}

/** Queue fill at which the grid shows it next to `yes` ("yes q87%"): the reader is ahead of Kafka Connect. */
const queueFillShown = 0.5;

/** The DBZ cell: dbzText, plus the queue fill when at least half the queue is in use. */
function dbzCell(row: ConnectorRow, theme: Theme, width: number): Segment {
	const base = dbzText(row, theme, width);
	const fill = row.debezium === undefined || row.debezium.snapshotRunning === true ? undefined : queueFill(row.debezium);
	if (fill === undefined || fill < queueFillShown) return base;
	return {text: `${base.text} q${Math.round(fill * 100)}%`, color: theme.fg(fill >= 0.9 ? 'red' : 'yellow'), bold: base.bold === true || fill >= 0.9};
}

/**
 * A counter's total and its increase over the window: `65 +12`. When the total dropped within
 * the window (a task restarted, a worker went away) the increase counts from that drop and
 * the reset is marked: `65 ↺+12`, or `65 ↺` with nothing counted since.
 */
export function counterCell(total: string, increase: number | undefined, reset: boolean, theme: Theme, rising: Omit<Segment, 'text'>): Segment {
	const mark = reset ? ` ${theme.glyphs.counterReset}` : ' ';
	if (increase !== undefined && increase > 0) return {text: `${total}${mark}+${formatCount(increase)}`, ...rising};
	return reset ? {text: `${total}${mark}`, dim: true} : {text: total};
}

/** An old value (Prometheus kept serving it, or the last one seen): marked `?` and dim, with its age where `width` has room (`yes? 3m0s`). */
function oldValue(text: string, ageMs: number | undefined, width: number): Segment {
	const aged = `${text}? ${formatAge(ageMs)}`;
	return {text: displayWidth(aged) <= width ? aged : `${text}?`, dim: true};
}

export function dbzText(row: ConnectorRow, theme: Theme, width = Number.POSITIVE_INFINITY): Segment {
	if (row.debezium === undefined) return {text: 'n/a', dim: true};
	// An old sample: what it said, marked and dim, never taken as current.
	if (row.staleMetrics?.connected !== undefined) return oldValue(row.staleMetrics.connected ? 'yes' : 'NO', row.staleMetrics.ageMs, width);
	if (row.debezium.snapshotRunning === true) return {text: snapshotText(row.debezium), color: theme.fg('cyan')};
	if (row.debezium.connected === true) return {text: 'yes', color: theme.fg('green')};
	if (row.debezium.connected === false) return {text: 'NO', color: theme.fg('red'), bold: true};
	return {text: '?', dim: true};
}

/**
 * Why a connector is not fine, in one line: the root cause of its own trace or of its first
 * FAILED task (model/trace.ts), else its first problem ("Debezium not connected…", "lag 40s…").
 */
export function causeOf(row: ConnectorRow): string {
	if (row.severity === 'fine') return '';
	const failedTask = row.tasks.find(task => task.state === 'FAILED');
	const cause = (row.state === 'FAILED' ? row.cause : undefined) ?? failedTask?.cause;
	if (cause !== undefined) return causeText(cause);
	return row.problems[0] ?? severityLabels[row.severity];
}

/** "0/1", or "4/6 2 FAILED": a FAILED task reads as such without colour (`--once`, NO_COLOR). */
export function tasksText(row: Pick<ConnectorRow, 'tasksRunning' | 'tasksTotal' | 'tasksFailed'>): string {
	return `${row.tasksRunning}/${row.tasksTotal}${row.tasksFailed > 0 ? ` ${row.tasksFailed} FAILED` : ''}`;
}

/** The sort column id each header belongs to (for the ▲/▼ marker). */
export const sortColumnOfHeader: Readonly<Record<string, string>> = {
	name: 'name',
	type: 'type',
	class: 'class',
	state: 'state',
	workers: 'workers',
	lag: 'lag',
	errors: 'errors',
	rate: 'rate',
	dlq: 'dlq',
};

/** The widest the lag sparkline is drawn: it shows at most this many of the newest points. */
export const trendWidth = 30;

/** Grid columns of the connectors view and of `--once`; priority 1 never drops. */
export function connectorColumns(context: ColumnContext): Column<ConnectorRow>[] {
	const {theme, history, changed} = context;
	const columns: Array<Column<ConnectorRow> | undefined> = [
		{id: 'name', header: 'NAME', priority: 1, min: 16, max: 80, align: 'left', cell: row => ({text: safe(row.name)})},
		{id: 'type', header: 'TYPE', priority: 5, min: 6, max: 7, align: 'left', cell: row => ({text: row.type === 'unknown' ? '?' : row.type})},
		{id: 'class', header: 'CLASS', priority: 4, min: 10, max: 40, align: 'left', cell: row => ({text: safe(row.shortClass)})},
		{id: 'state', header: 'STATE', priority: 1, min: 10, max: 16, align: 'left', cell: row => ({text: stateText(row, context.stateFor), color: theme.stateColor(row.state), bold: row.state === 'FAILED', inverse: changed?.(row.name) === true})},
		{
			id: 'flag',
			header: theme.glyphs.disagreement,
			priority: 1,
			min: 1,
			max: 1,
			align: 'left',
			cell: row => (row.disagreements.length > 0 ? {text: theme.glyphs.disagreement, color: theme.fg('yellow'), bold: true} : {text: ' '}),
		},
		{id: 'tasks', header: 'TASKS', priority: 1, min: 5, max: 16, align: 'right', cell: row => ({text: tasksText(row), color: row.tasksFailed > 0 ? theme.fg('red') : undefined, bold: row.tasksFailed > 0})},
		{id: 'workers', header: 'WORKERS', priority: 5, min: 10, max: 40, align: 'left', cell: row => ({text: row.workers.map(worker => safe(worker)).join(',')})},
		{id: 'dbz', header: 'DBZ', priority: 3, min: 3, max: 19, align: 'left', cell: (row, width) => dbzCell(row, theme, width)},
		{id: 'lag', header: 'LAG', priority: 2, min: 8, max: 11, align: 'right', cell: (row, width) => lagCell(row, theme, width)},
		history === undefined
			? undefined
			: {
					id: 'trend',
					header: 'LAG TREND',
					priority: 3,
					min: 10,
					max: trendWidth,
					fixed: trendWidth,
					align: 'left',
					cell: (row, width) => ({text: sparkline(history(row.name).lag, width, theme.glyphs.spark), color: theme.fg('cyan')}),
				},
		// MilliSecondsBehindSource freezes while the source is quiet (or the database is gone):
		// the time since the last event says whether the lag figure is still moving.
		{id: 'since', header: 'LAST EV', priority: 4, min: 7, max: 8, align: 'right', cell: row => lastEventCell(row, theme)},
		{id: 'rate', header: 'EV/S', priority: 3, min: 6, max: 8, align: 'right', cell: row => ({text: formatRate(row.recordRate)})},
		{
			id: 'errors',
			header: 'ERRORS',
			priority: 2,
			min: 8,
			max: 14,
			align: 'right',
			cell: row => counterCell(formatCount(errorsTotal(row)), row.errorsIncrease, row.errorsReset === true, theme, {color: theme.fg('red'), bold: true}),
		},
		{
			id: 'dlq',
			header: 'DLQ',
			priority: 6,
			min: 5,
			max: 12,
			align: 'right',
			cell: row => counterCell(formatCount(row.dlqWrites), row.dlqIncrease, row.dlqReset === true, theme, {color: theme.fg('yellow')}),
		},
		// Last and least: it takes what width is left, so it shrinks (and drops) first.
		{id: 'cause', header: 'CAUSE', priority: 7, min: 12, max: 80, align: 'left', cell: row => ({text: safe(causeOf(row)), color: theme.severityColor(row.severity)})},
	];
	return columns.filter((column): column is Column<ConnectorRow> => column !== undefined);
}

function upText(worker: WorkerRow, theme: Theme): Segment {
	if (worker.up === true) return {text: 'up', color: theme.fg('green')};
	if (worker.up === false) return {text: 'DOWN', color: theme.fg('red'), bold: true};
	return {text: '?', dim: true};
}

export function workerColumns(theme: Theme): Column<WorkerRow>[] {
	return [
		{id: 'id', header: 'WORKER', priority: 1, min: 12, max: 60, align: 'left', cell: row => (row.pairing === 'unpaired' ? {text: `unpaired ${safe(row.id)}`, color: theme.fg('yellow')} : {text: safe(row.id)})},
		{id: 'host', header: 'HOST', priority: 4, min: 8, max: 40, align: 'left', cell: row => ({text: safe(row.host)})},
		{id: 'up', header: 'UP', priority: 1, min: 4, max: 4, align: 'left', cell: row => upText(row, theme)},
		{id: 'instance', header: 'INSTANCE', priority: 3, min: 10, max: 40, align: 'left', cell: row => ({text: row.instance === undefined ? '-' : safe(row.instance)})},
		{id: 'rest', header: 'REST', priority: 2, min: 4, max: 4, align: 'left', cell: row => (row.inRest ? {text: 'yes'} : {text: 'no', color: theme.fg('yellow')})},
		{id: 'connectors', header: 'CONN', priority: 1, min: 4, max: 6, align: 'right', cell: row => ({text: String(row.connectors)})},
		{id: 'tasks', header: 'TASKS', priority: 1, min: 5, max: 6, align: 'right', cell: row => ({text: String(row.tasks)})},
		{id: 'rebalancing', header: 'REBAL', priority: 2, min: 5, max: 5, align: 'left', cell: row => (row.rebalancing === true ? {text: 'yes', color: theme.fg('yellow'), bold: true} : {text: row.rebalancing === false ? 'no' : '-', dim: row.rebalancing === undefined})},
		{id: 'metrics', header: 'METRICS', priority: 2, min: 9, max: 14, align: 'right', cell: row => workerMetricsCell(row, theme)},
	];
}

/**
 * Lag: an old sample (Prometheus kept serving it, or the last one seen) marked `?` and dim, with its age where there is room (`279ms? 40s`); for a sink
 * whose verdict is not OK the verdict in place of the unit ("12.3k STALL"), red when a RUNNING
 * sink does not drain (isSinkBlocked), yellow otherwise (WARN, or a paused or failed sink,
 * whose state already says why).
 */
export function lagCell(row: ConnectorRow, theme: Theme, width = Number.POSITIVE_INFINITY): Segment {
	const old = row.staleMetrics?.lag;
	if (row.lag === undefined && old !== undefined) return oldValue(formatLag(old, row.type === 'sink' ? 'records' : 'ms'), row.staleMetrics?.ageMs, width);
	const verdict = row.sink?.verdict;
	if (verdict === undefined || verdict === 'OK' || row.lag === undefined) return {text: formatLag(row.lag, row.lagUnit)};
	const blocked = isSinkBlocked(row);
	return {text: `${formatCount(row.lag)} ${verdict}`, color: theme.fg(blocked ? 'red' : 'yellow'), bold: blocked};
}

function lastEventCell(row: ConnectorRow, theme: Theme): {text: string; color?: ReturnType<Theme['fg']>} {
	const dbz = row.debezium;
	if (dbz === undefined) return {text: ''};
	if (dbz.noEventYet && dbz.msSinceLastEvent === undefined) return {text: 'none', color: theme.fg('gray')};
	if (dbz.msSinceLastEvent === undefined) return {text: formatLag(undefined, undefined)};
	return {text: formatDuration(dbz.msSinceLastEvent), color: dbz.msSinceLastEvent >= 60_000 ? theme.fg('yellow') : undefined};
}
