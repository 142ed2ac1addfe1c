import {groupCount, groupTitle, memberName, type FailureGroup, type FailureMember} from '../../model/failures.js';
import {causeText} from '../../model/trace.js';
import type {ConnectorHistory, ConnectorRow, WorkerRow} from '../../model/types.js';
import type {RowsView} from '../input/router.js';
import {connectorColumns, sortColumnOfHeader, stateText, trendWidth, workerColumns} from '../layout/columns.js';
import {headerLine, layoutColumns, rowLine, type Column} from '../layout/table.js';
import {segment, textLine, type Line, type Segment} from '../lines.js';
import type {CompiledFilter} from '../state/filter.js';
import {anchorList, type ListState} from '../state/list.js';
import {descendingByDefault, type SortState} from '../state/sort.js';
import {noScreenMemo, type ScreenMemo} from '../screen-memo.js';
import {safe} from '../text.js';
import type {Theme} from '../theme.js';

export interface ConnectorsViewInput {
	readonly rows: RowsView<ConnectorRow>;
	readonly total: number;
	/** Connectors that changed in the latest refresh. */
	readonly changed?: ((connector: string) => boolean) | undefined;
	/** How long each connector has been in its state, when the journal knows (ms). */
	readonly stateFor?: ((connector: string) => number | undefined) | undefined;
	/** Marked connectors (Space): their name gets a marker, whatever the sort or filter. */
	readonly marked?: ((connector: string) => boolean) | undefined;
	/** Kafka Connect has answered at least once (an empty grid then means an empty cluster). */
	readonly restAnswered: boolean;
	readonly list: ListState;
	readonly sort: SortState;
	readonly filter: CompiledFilter;
	readonly faultsOnly: boolean;
	readonly history: (connector: string) => ConnectorHistory;
	readonly theme: Theme;
	readonly width: number;
	readonly height: number;
	/** The live view's memory of earlier builds: rows whose key is unchanged keep their line. */
	readonly memo?: ScreenMemo | undefined;
}

/** Lines of a list body above the rows: a title line and the column header. */
export const listChromeLines = 2;

function sortText(sort: SortState, theme: Theme): string {
	if (sort.column === 'failures') return sort.reversed ? 'healthy first' : 'failures first';
	const descending = descendingByDefault(sort.column) !== sort.reversed;
	const arrow = descending ? theme.glyphs.sortDescending : theme.glyphs.sortAscending;
	return sort.column === 'lag' ? `lag ${arrow} (time, then records)` : `${sort.column} ${arrow}`;
}

function filterSegments(filter: CompiledFilter, faultsOnly: boolean, theme: Theme): Segment[] {
	const parts: Segment[] = [];
	if (filter.active) {
		parts.push(segment('  filter ', {dim: true}), segment(`/${safe(filter.text)}/`, {color: theme.fg('cyan'), bold: true}));
		if (filter.fallback) parts.push(segment(' (invalid regex: plain text match)', {color: theme.fg('yellow')}));
	}
	if (faultsOnly) parts.push(segment('  faults only', {color: theme.fg('yellow'), bold: true}));
	return parts;
}

function rowCounter(index: number, shown: number, total: number): string {
	const position = shown === 0 ? '0/0' : `${index + 1}/${shown}`;
	return shown === total ? `row ${position}` : `row ${position} (of ${total})`;
}

/**
 * The connectors grid. Only the rows that fit are turned into lines (and measured for the
 * column widths): 10,000 connectors cost what a screenful does.
 */
export function connectorsBody(input: ConnectorsViewInput): Line[] {
	const {rows, theme, width} = input;
	const {list, visible} = visibleRows(input.list, rows, input.height);
	const title: Line = {
		segments: [
			segment('Connectors', {bold: true}),
			segment(`  ${rowCounter(list.index, rows.rows.length, input.total)}`),
			segment(`  sort ${sortText(input.sort, theme)}`, {dim: true}),
			...filterSegments(input.filter, input.faultsOnly, theme),
		],
	};
	const memo = input.memo ?? noScreenMemo;
	// Each visible row's line is a function of the row object, of what the column context says
	// about it (rowKeyOf), of the columns' ids and widths, of the theme and of whether it is
	// selected: nothing else reaches the cells. The histories read for the keys are the ones
	// the trend cells draw.
	const histories = new Map<string, ConnectorHistory>();
	const history = (name: string): ConnectorHistory => {
		let found = histories.get(name);
		if (found === undefined) {
			found = input.history(name);
			histories.set(name, found);
		}
		return found;
	};
	const context = {theme, history, changed: input.changed, stateFor: input.stateFor, marked: input.marked};
	const keys = visible.map(row => rowKeyOf(row, context));
	const layoutKey: unknown[] = [theme, width, input.changed === undefined, input.stateFor === undefined, input.marked === undefined];
	for (const [index, row] of visible.entries()) layoutKey.push(row, ...(keys[index] ?? []));
	const columns = withMarks(connectorColumns(context), input.marked, theme);
	// A layout kept from an earlier build gives the widths; the cells are always this build's.
	const laidOut = memo.layout(layoutKey, () => layoutColumns(columns, visible, width));
	const placed = laidOut.map(({column, width: columnWidth}) => ({column: columns.find(each => each.id === column.id) ?? column, width: columnWidth}));
	const marker = (id: string): string => (sortColumnOfHeader[id] === input.sort.column ? (descendingByDefault(input.sort.column) !== input.sort.reversed ? theme.glyphs.sortDescending : theme.glyphs.sortAscending) : '');
	// The column header reads the columns' ids, widths and headers (the theme's glyphs) and the sort.
	const columnHeader = memo.lines('gridHeader', [laidOut, theme, input.sort.column, input.sort.reversed], () => [headerLine(placed, column => `${column.header}${marker(column.id)}`)]);
	const lines: Line[] = [title, ...columnHeader];
	if (rows.rows.length === 0) {
		lines.push(textLine(input.total > 0 ? 'no connectors match (Esc clears the filter / faults only)' : input.restAnswered ? 'no connectors in the cluster' : 'no answer from Kafka Connect yet', {dim: true}));
		return lines;
	}
	for (const [offset, row] of visible.entries()) {
		const selected = list.offset + offset === list.index;
		lines.push(memo.rowLine(row, [laidOut, theme, selected, ...(keys[offset] ?? [])], () => rowLine(placed, row, selected)));
	}
	return lines;
}

/**
 * Everything a connector's grid line shows that is not a field of its row: the state cell's
 * text (with how long the state has lasted), whether it changed in the latest refresh, whether
 * it is marked, and the newest lag points its sparkline can show (the cells read nothing else).
 */
function rowKeyOf(row: ConnectorRow, context: {readonly history: (name: string) => ConnectorHistory; readonly changed: ((name: string) => boolean) | undefined; readonly stateFor: ((name: string) => number | undefined) | undefined; readonly marked: ((name: string) => boolean) | undefined}): unknown[] {
	const lag = context.history(row.name).lag;
	const key: unknown[] = [stateText(row, context.stateFor), context.changed?.(row.name) === true, context.marked?.(row.name) === true, Math.min(lag.length, trendWidth)];
	for (let i = Math.max(0, lag.length - trendWidth); i < lag.length; i++) key.push(lag[i]);
	return key;
}

/** Marked rows: the name cell starts with a marker (`✓ `, ASCII `* `) and is drawn bold magenta. */
function withMarks(columns: Column<ConnectorRow>[], marked: ((connector: string) => boolean) | undefined, theme: Theme): Column<ConnectorRow>[] {
	if (marked === undefined) return columns;
	const glyph = theme.ascii ? '* ' : '✓ ';
	return columns.map(column =>
		column.id !== 'name'
			? column
			: {
					...column,
					cell: (row, cellWidth) => {
						const cell = column.cell(row, cellWidth);
						return marked(row.name) ? {...cell, text: `${glyph}${cell.text}`, bold: true, color: theme.fg('magenta')} : cell;
					},
				},
	);
}

export interface WorkersViewInput {
	readonly rows: RowsView<WorkerRow>;
	readonly total: number;
	readonly list: ListState;
	readonly filter: CompiledFilter;
	readonly theme: Theme;
	readonly width: number;
	readonly height: number;
}

/** The list state anchored to the selection and the slice of rows that fits under the title and header lines. */
function visibleRows<T>(state: ListState, rows: RowsView<T>, height: number): {list: ListState; visible: readonly T[]} {
	const listHeight = Math.max(1, height - listChromeLines);
	const list = anchorList(state, {count: rows.rows.length, height: listHeight}, rows.indexOf);
	return {list, visible: rows.rows.slice(list.offset, list.offset + listHeight)};
}

export function workersBody(input: WorkersViewInput): Line[] {
	const {rows, theme, width} = input;
	const {list, visible} = visibleRows(input.list, rows, input.height);
	const title: Line = {
		segments: [segment('Workers', {bold: true}), segment(`  ${rowCounter(list.index, rows.rows.length, input.total)}`), segment('  Enter: its connectors', {dim: true}), ...filterSegments(input.filter, false, theme)],
	};
	const placed = layoutColumns(workerColumns(theme), visible, width);
	const lines: Line[] = [title, headerLine(placed)];
	if (rows.rows.length === 0) {
		lines.push(textLine(input.total === 0 ? 'no workers known yet' : 'no workers match the filter', {dim: true}));
		return lines;
	}
	for (const [offset, row] of visible.entries()) lines.push(rowLine(placed, row, list.offset + offset === list.index));
	return lines;
}

/**
 * The failures view (`:failures`): FAILED connectors and tasks grouped by the fingerprint of
 * their root cause, largest group first; Enter lists a group's members (failureMembersBody).
 * Pure renderers: the keymap, router and navigation wire them (they are not wired yet).
 */
export interface FailuresViewInput {
	/** From model/failures.ts groupFailures(snapshot.connectors). */
	readonly groups: RowsView<FailureGroup>;
	readonly list: ListState;
	readonly theme: Theme;
	readonly width: number;
	readonly height: number;
}

function failureGroupColumns(theme: Theme): Column<FailureGroup>[] {
	return [
		{id: 'count', header: 'FAILED', priority: 1, min: 7, max: 34, align: 'left', cell: group => ({text: groupCount(group), color: theme.fg('red'), bold: true})},
		{id: 'cause', header: 'ROOT CAUSE', priority: 1, min: 20, max: 120, align: 'left', cell: group => ({text: safe(group.cause === undefined ? '(no trace)' : causeText(group.cause))})},
		{id: 'hint', header: 'HINT', priority: 3, min: 10, max: 160, align: 'left', cell: group => ({text: safe(group.hint?.text ?? ''), color: theme.fg('cyan')})},
	];
}

export function failuresBody(input: FailuresViewInput): Line[] {
	const {groups, theme, width} = input;
	const {list, visible} = visibleRows(input.list, groups, input.height);
	const failed = groups.rows.reduce((sum, group) => sum + group.members.length, 0);
	const title: Line = {
		segments: [
			segment('Failures', {bold: true}),
			segment(`  ${groups.rows.length} root cause${groups.rows.length === 1 ? '' : 's'} ${theme.glyphs.separator} ${failed} FAILED`),
			segment('  Enter: the connectors and tasks', {dim: true}),
		],
	};
	const placed = layoutColumns(failureGroupColumns(theme), visible, width);
	const lines: Line[] = [title, headerLine(placed)];
	if (groups.rows.length === 0) {
		lines.push(textLine('no FAILED connector or task', {dim: true}));
		return lines;
	}
	for (const [offset, group] of visible.entries()) lines.push(rowLine(placed, group, list.offset + offset === list.index));
	return lines;
}

export interface FailureMembersViewInput {
	readonly group: FailureGroup;
	readonly members: RowsView<FailureMember>;
	readonly list: ListState;
	readonly theme: Theme;
	readonly width: number;
	readonly height: number;
}

/** One group's members: title (count and root cause), its hint, then one row per connector or task. */
export function failureMembersBody(input: FailureMembersViewInput): Line[] {
	const {group, theme, width} = input;
	const hint: Line[] = group.hint === undefined ? [] : [{segments: [segment('hint: ', {color: theme.fg('cyan')}), segment(safe(group.hint.text))]}];
	const {list, visible} = visibleRows(input.list, input.members, input.height - hint.length);
	const columns: Column<FailureMember>[] = [
		{id: 'member', header: 'CONNECTOR/TASK', priority: 1, min: 16, max: 80, align: 'left', cell: member => ({text: safe(memberName(member))})},
		{id: 'worker', header: 'WORKER', priority: 2, min: 10, max: 60, align: 'left', cell: member => ({text: safe(member.workerId ?? '-')})},
	];
	const placed = layoutColumns(columns, visible, width);
	const title: Line = {segments: [segment(safe(groupTitle(group, theme.glyphs.separator)), {bold: true, color: theme.fg('red')})]};
	return [title, ...hint, headerLine(placed), ...visible.map((member, offset) => rowLine(placed, member, list.offset + offset === list.index))];
}
