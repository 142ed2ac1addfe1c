import {describeEvent, type JournalEvent} from '../../model/journal.js';
import {formatAge, formatCount, formatDuration, formatLag, formatRate} from '../../model/format.js';
import {groupFailures} from '../../model/failures.js';
import {maskConfig} from '../../model/mask-config.js';
import {formatCatchUp} from '../../model/sink-verdict.js';
import {causeText} from '../../model/trace.js';
import type {ConnectorHistory, ConnectorRow, TaskRow} from '../../model/types.js';
import type {DetailData, Loadable} from '../../store/types.js';
import {dbzText, errorsTotal, queueFill} from '../layout/columns.js';
import {headerLine, layoutColumns, rowLine, type Column} from '../layout/table.js';
import {segment, textLine, type Line, type Segment} from '../lines.js';
import {detailTabs, type DetailTab, type DetailView} from '../state/navigation.js';
import {chart} from '../sparkline.js';
import {displayWidth, fit, safe} from '../text.js';
import type {Theme} from '../theme.js';
import {eventColor, eventTime} from './events-view.js';

export interface DetailInput {
	readonly view: DetailView;
	readonly connector: ConnectorRow | undefined;
	readonly detail: DetailData | undefined;
	readonly history: ConnectorHistory;
	/** This connector's transitions from the journal, newest first (the Overview lists the latest). */
	readonly events?: readonly JournalEvent[] | undefined;
	readonly theme: Theme;
	readonly width: number;
	readonly height: number;
}

/** Transitions the Overview lists. */
const overviewEvents = 8;

function eventLines(events: readonly JournalEvent[] | undefined, theme: Theme): Line[] {
	if (events === undefined || events.length === 0) return [];
	const shown = events.slice(0, overviewEvents);
	return [
		textLine(' '),
		{segments: [segment('Recent changes', {bold: true}), segment(`  newest first · local time${events.length > shown.length ? ` · ${events.length - shown.length} more in :events` : ''}`, {dim: true})]},
		...shown.map(event => ({segments: [segment(`  ${eventTime(event.at)}  `, {dim: true}), segment(safe(describeEvent(event)), {color: eventColor(event, theme)})]})),
	];
}

const tabTitles: Readonly<Record<DetailTab, string>> = {overview: 'Overview', tasks: 'Tasks', config: 'Config', topics: 'Topics', offsets: 'Offsets', charts: 'Charts'};

/** Title and tab bar above the tab content. */
export const detailChromeLines = 2;

function labelled(label: string, value: Segment | Segment[], labelWidth = 18): Line {
	return {segments: [segment(fit(label, labelWidth), {dim: true}), ...(Array.isArray(value) ? value : [value])]};
}

function yesNo(value: boolean | undefined, theme: Theme, goodWhen: boolean): Segment {
	if (value === undefined) return segment('?', {dim: true});
	return segment(value ? 'yes' : 'no', {color: theme.fg(value === goodWhen ? 'green' : 'red'), bold: value !== goodWhen});
}

/** The lag, and for a sink its trend, time to catch up and verdict over the window (model/sink-verdict.ts). */
function lagLines(row: ConnectorRow, theme: Theme): Line[] {
	const sink = row.sink;
	if (sink === undefined) return [labelled('lag', segment(formatLag(row.lag, row.lagUnit)))];
	const trend = sink.trend === undefined ? '' : `, ${sink.trend}`;
	const color = sink.verdict === 'OK' ? theme.fg('green') : theme.fg(sink.verdict === 'WARN' ? 'yellow' : 'red');
	return [
		labelled('lag', segment(`${formatLag(row.lag, row.lagUnit)}${trend}; catch-up ${formatCatchUp(sink.catchUp)}`)),
		labelled('lag verdict', [segment(sink.verdict, {color, bold: sink.verdict !== 'OK'}), segment(`  ${safe(sink.reason)}`, {dim: sink.verdict === 'OK'})]),
	];
}

function overviewLines(row: ConnectorRow, theme: Theme): Line[] {
	const lines: Line[] = [
		labelled('state', [segment(safe(row.state), {color: theme.stateColor(row.state), bold: true}), ...(row.metricState !== undefined && row.metricState !== row.state ? [segment(`  metrics say ${safe(row.metricState)}`, {color: theme.fg('yellow')})] : [])]),
		labelled('health', segment(row.health, {color: theme.healthColor(row.health), bold: row.health !== 'ok'})),
		labelled('type', segment(row.type)),
		labelled('class', segment(safe(row.className))),
		labelled('connector worker', segment(safe(row.workerId ?? '-'))),
		labelled('workers', segment(row.workers.length === 0 ? '-' : row.workers.map(worker => safe(worker)).join(', '))),
		labelled('tasks', segment(`${row.tasksRunning}/${row.tasksTotal} running${row.tasksFailed > 0 ? `, ${row.tasksFailed} failed` : ''}`, {color: row.tasksFailed > 0 ? theme.fg('red') : undefined})),
		...lagLines(row, theme),
		labelled('records/s', segment(formatRate(row.recordRate))),
		labelled('errors', segment(`${formatCount(errorsTotal(row))}${(row.errorsIncrease ?? 0) > 0 ? ` (+${formatCount(row.errorsIncrease)} ${row.errorsReset === true ? 'since the counters restarted in the window' : 'in the window'})` : row.errorsReset === true ? ' (the counters restarted in the window)' : ''}`, {color: (row.errorsIncrease ?? 0) > 0 ? theme.fg('red') : undefined})),
		labelled('DLQ writes', segment(`${formatCount(row.dlqWrites)}${(row.dlqIncrease ?? 0) > 0 ? ` (+${formatCount(row.dlqIncrease)} in the window)` : ''}`)),
	];
	const dbz = row.debezium;
	if (dbz !== undefined) {
		lines.push(textLine(' '), textLine('Debezium', {bold: true}));
		lines.push(labelled('server', segment(safe(dbz.server))));
		if (dbz.plugin !== undefined) lines.push(labelled('plugin', segment(safe(dbz.plugin))));
		lines.push(labelled('connected', dbzText(row, theme)));
		lines.push(labelled('behind source', segment(dbz.noEventYet ? 'no event yet' : formatDuration(dbz.msBehindSource))));
		lines.push(labelled('since last event', segment(formatAge(dbz.msSinceLastEvent))));
		lines.push(labelled('events/s', segment(formatRate(dbz.eventsPerSecond))));
		if (dbz.erroneousEvents !== undefined) lines.push(labelled('erroneous events', segment(formatCount(dbz.erroneousEvents), {color: dbz.erroneousEvents > 0 ? theme.fg('red') : undefined})));
		lines.push(labelled('snapshot running', yesNo(dbz.snapshotRunning, theme, false)));
		if (dbz.snapshotRunning === true && dbz.snapshotRows !== undefined) lines.push(labelled('snapshot rows', segment(`${formatCount(dbz.snapshotRows)} read`)));
		const fill = queueFill(dbz);
		if (fill !== undefined && dbz.queueRemaining !== undefined && dbz.queueTotal !== undefined) {
			const used = dbz.queueTotal - dbz.queueRemaining;
			lines.push(labelled('queue', segment(`${used} of ${dbz.queueTotal} used (${Math.round(fill * 100)}%)`, {color: fill >= 0.9 ? theme.fg('yellow') : undefined})));
		}
	}
	if (row.problems.length > 0) {
		lines.push(textLine(' '), textLine('Problems', {bold: true}));
		for (const problem of row.problems) lines.push({segments: [segment(`  ${theme.glyphs.warning} `, {color: theme.healthColor(row.health)}), segment(safe(problem))]});
	}
	lines.push(...rootCauseLines(row, theme));
	if (row.disagreements.length > 0) {
		lines.push(textLine(' '), textLine('REST and metrics disagree', {bold: true, color: theme.fg('yellow')}));
		for (const note of row.disagreements) lines.push({segments: [segment(`  ${theme.glyphs.disagreement} `, {color: theme.fg('yellow')}), segment(safe(note))]});
	}
	if (row.trace !== undefined && row.trace !== '') {
		lines.push(textLine(' '), textLine('Connector trace (Enter: full trace)', {bold: true}));
		lines.push(textLine(`  ${safe(row.trace.split('\n')[0] ?? '', 300)}`, {color: theme.fg('red')}));
	}
	return lines;
}

/** "task 0", "tasks 1, 6, 7", "the connector, task 2". */
function membersText(tasks: readonly (number | undefined)[]): string {
	const ids = tasks.filter((id): id is number => id !== undefined);
	const parts = [...(tasks.includes(undefined) ? ['the connector'] : []), ...(ids.length === 0 ? [] : [`task${ids.length === 1 ? '' : 's'} ${ids.join(', ')}`])];
	return parts.join(', ');
}

/** The FAILED connector and tasks grouped by root cause, each with its hint: what the Overview says beyond "1 task FAILED". */
function rootCauseLines(row: ConnectorRow, theme: Theme): Line[] {
	const groups = groupFailures([row]);
	if (groups.length === 0) return [];
	const lines: Line[] = [textLine(' '), textLine(groups.length === 1 ? 'Root cause' : `Root causes (${groups.length})`, {bold: true})];
	for (const group of groups) {
		const who = membersText(group.members.map(member => member.task));
		lines.push({segments: [segment(`  ${theme.glyphs.failed} `, {color: theme.fg('red')}), segment(`${who}: `, {dim: true}), segment(safe(group.cause === undefined ? 'FAILED without a trace' : causeText(group.cause), 400), {color: theme.fg('red'), bold: true})]});
		if (group.hint !== undefined) lines.push({segments: [segment('    hint: ', {color: theme.fg('cyan')}), segment(safe(group.hint.text, 400))]});
	}
	return lines;
}

function taskColumns(theme: Theme): Column<TaskRow>[] {
	return [
		{id: 'id', header: 'TASK', priority: 1, min: 4, max: 6, align: 'right', cell: task => ({text: String(task.id)})},
		{id: 'state', header: 'STATE', priority: 1, min: 10, max: 12, align: 'left', cell: task => ({text: safe(task.state), color: theme.stateColor(task.state), bold: task.state === 'FAILED'})},
		{id: 'worker', header: 'WORKER', priority: 2, min: 10, max: 40, align: 'left', cell: task => ({text: task.workerLastKnown ? `${safe(task.workerId ?? '-')}?` : safe(task.workerId ?? '-'), dim: task.workerLastKnown})},
		{
			id: 'metric',
			header: 'METRIC',
			priority: 3,
			min: 10,
			max: 12,
			align: 'left',
			cell: task => (task.metricState === undefined ? {text: '-', dim: true} : {text: safe(task.metricState), color: task.metricState === task.state ? theme.stateColor(task.metricState) : theme.fg('yellow')}),
		},
		{id: 'cause', header: 'ROOT CAUSE', priority: 4, min: 10, max: 400, align: 'left', cell: task => ({text: safe(task.cause === undefined ? (task.traceHead ?? '') : causeText(task.cause)), color: theme.fg('red')})},
	];
}

function tasksLines(row: ConnectorRow, selected: number, height: number, theme: Theme, width: number): Line[] {
	if (row.tasks.length === 0) return [textLine(row.state === 'STOPPED' ? 'a STOPPED connector has no tasks' : 'no tasks', {dim: true})];
	const index = Math.max(0, Math.min(selected, row.tasks.length - 1));
	const details = selectedTaskLines(row.tasks[index], theme);
	// The selected task's cause and hint go under the table when there is room for them and a row.
	const shown = height - 1 - details.length >= 1 ? details : [];
	const rowsHeight = Math.max(1, height - 1 - shown.length);
	const offset = Math.max(0, index - rowsHeight + 1);
	const visible = row.tasks.slice(offset, offset + rowsHeight);
	const placed = layoutColumns(taskColumns(theme), visible, width);
	return [headerLine(placed), ...visible.map((task, position) => rowLine(placed, task, offset + position === index)), ...shown];
}

/** Under the task table: where the selected task's root cause sits in its trace, and the hint. */
function selectedTaskLines(task: TaskRow | undefined, theme: Theme): Line[] {
	if (task?.cause === undefined) return [];
	const lines: Line[] = [textLine(' ')];
	// Worded without "Caused by:", which marks the full trace view.
	const where = task.cause.depth === 0 ? 'the trace has no cause under' : `root cause ${task.cause.depth} level${task.cause.depth === 1 ? '' : 's'} under`;
	lines.push({segments: [segment(`task ${task.id} `, {bold: true}), segment(`${where} ${safe(task.traceHead ?? '', 200)}`, {dim: true}), segment('  Enter: full trace', {dim: true})]});
	if (task.hint !== undefined) lines.push({segments: [segment('hint: ', {color: theme.fg('cyan')}), segment(safe(task.hint.text, 400))]});
	return lines;
}

function configLines(row: ConnectorRow, theme: Theme, width: number): Line[] {
	const entries = maskConfig(row.config);
	if (entries.length === 0) return [textLine('no config (not expanded by this Connect version?)', {dim: true})];
	const keyWidth = Math.min(Math.max(...entries.map(entry => displayWidth(safe(entry.key)))), Math.max(12, Math.floor(width * 0.45)));
	return [
		textLine(`${entries.length} keys, sorted; secrets masked`, {dim: true}),
		...entries.map(entry => ({
			segments: [segment(fit(safe(entry.key), keyWidth), {color: theme.fg('cyan')}), segment(' = ', {dim: true}), segment(safe(entry.value, 2000), entry.masked ? {color: theme.fg('yellow')} : {})],
		})),
	];
}

function loadableLines<T>(value: Loadable<T> | undefined, what: string, render: (value: T) => Line[], theme: Theme): Line[] {
	if (value === undefined || value.status === 'loading') return [textLine(`loading ${what}…`, {dim: true})];
	if (value.status === 'error') return [textLine(safe(value.error), {color: theme.fg('yellow')})];
	return render(value.value);
}

function chartBlock(title: string, values: readonly number[], format: (value: number | undefined) => string, theme: Theme, width: number, height: number): Line[] {
	const axis = 10;
	const drawn = chart(values, Math.max(1, width - axis - 1), Math.max(1, height), theme.glyphs.chart);
	const lines: Line[] = [
		{
			segments: [
				segment(title, {bold: true}),
				segment(`  last ${format(drawn.last)}  min ${format(drawn.min)}  max ${format(drawn.max)}  (${values.length} points)`, {dim: true}),
			],
		},
	];
	for (const [index, row] of drawn.rows.entries()) {
		const label = index === 0 ? format(drawn.max) : index === drawn.rows.length - 1 ? format(Math.min(0, drawn.min ?? 0)) : '';
		lines.push({segments: [segment(fit(label, axis, 'right'), {dim: true}), segment('│'), segment(row, {color: theme.fg('cyan')})]});
	}
	return lines;
}

function chartsLines(row: ConnectorRow, history: ConnectorHistory, theme: Theme, width: number, height: number): Line[] {
	const each = Math.max(1, Math.floor((height - 3) / 3));
	const lag = (value: number | undefined): string => formatLag(value, row.lagUnit);
	return [
		...chartBlock(row.lagUnit === 'records' ? 'Lag (records)' : 'Lag', history.lag, lag, theme, width, each),
		...chartBlock('Throughput (records/s)', history.recordRate, formatRate, theme, width, each),
		...chartBlock('Errors (record errors + failures)', history.errors, formatCount, theme, width, each),
	];
}

/** The content of the current tab (before scrolling), for rendering and for the router's scroll bounds. */
export function detailContent(input: DetailInput): Line[] {
	const {connector: row, view, theme, width} = input;
	const height = Math.max(1, input.height - detailChromeLines);
	if (row === undefined) return [textLine(`${safe(view.connector)} is not in the cluster any more (deleted or renamed?)`, {color: theme.fg('yellow')})];
	const detail = input.detail?.connector === row.name ? input.detail : undefined;
	switch (view.tab) {
		case 'overview':
			return [...overviewLines(row, theme), ...eventLines(input.events, theme)];
		case 'tasks':
			return tasksLines(row, view.task, height, theme, width);
		case 'config':
			return configLines(row, theme, width);
		case 'topics':
			return loadableLines(detail?.topics, 'topics', topics => (topics.length === 0 ? [textLine('no topics recorded', {dim: true})] : [textLine(`${topics.length} topic${topics.length === 1 ? '' : 's'}`, {dim: true}), ...topics.map(topic => textLine(safe(topic)))]), theme);
		case 'offsets':
			return loadableLines(
				detail?.offsets,
				'offsets',
				offsets =>
					offsets.length === 0
						? [textLine('no offsets committed', {dim: true})]
						: [textLine(`${offsets.length} partition${offsets.length === 1 ? '' : 's'}`, {dim: true}), ...offsets.map(offset => ({segments: [segment(safe(offset.partition), {color: theme.fg('cyan')}), segment(' → ', {dim: true}), segment(safe(offset.offset))]}))],
				theme,
			);
		case 'charts':
			return chartsLines(row, input.history, theme, width, height);
	}
}

/** The lines the router may scroll through on this tab (the Tasks tab selects instead). */
export function detailScrollable(input: DetailInput): {readonly count: number; readonly height: number} {
	const height = Math.max(1, input.height - detailChromeLines);
	if (input.view.tab === 'tasks' || input.view.tab === 'charts') return {count: height, height};
	return {count: detailContent(input).length, height};
}

export function detailBody(input: DetailInput): Line[] {
	const {connector: row, view, theme} = input;
	const height = Math.max(1, input.height - detailChromeLines);
	const title: Segment[] = [segment(safe(view.connector), {bold: true})];
	if (row !== undefined) title.push(segment('  '), segment(safe(row.state), {color: theme.stateColor(row.state), bold: true}), segment(`  ${row.type}  ${safe(row.shortClass)}`, {dim: true}));
	const tabs: Segment[] = [];
	for (const [index, tab] of detailTabs.entries()) {
		if (index > 0) tabs.push(segment(' '));
		tabs.push(segment(` ${index + 1} ${tabTitles[tab]} `, tab === view.tab ? {inverse: true, bold: true} : {dim: true}));
	}
	const content = detailContent(input);
	const scrolled = view.tab === 'tasks' || view.tab === 'charts' ? content : content.slice(view.scroll, view.scroll + height);
	return [{segments: title}, {segments: tabs}, ...scrolled.slice(0, height)];
}
