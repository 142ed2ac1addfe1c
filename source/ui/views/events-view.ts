import {describeEvent, type JournalEvent} from '../../model/journal.js';
import type {RowsView} from '../input/router.js';
import {segment, textLine, type Line} from '../lines.js';
import type {CompiledFilter} from '../state/filter.js';
import {anchorList, type ListState} from '../state/list.js';
import {safe} from '../text.js';
import type {Theme} from '../theme.js';

export interface EventsViewInput {
	/** Newest first, filtered. */
	readonly rows: RowsView<JournalEvent>;
	readonly total: number;
	readonly list: ListState;
	readonly filter: CompiledFilter;
	/** Why the journal file cannot be used, if it cannot. */
	readonly problem: string | undefined;
	readonly theme: Theme;
	readonly height: number;
}

export const eventsChromeLines = 2;

/** Local time of day, with the date when it is not today: what an on-call engineer reads. */
export function eventTime(at: number, now: number = Date.now()): string {
	const date = new Date(at);
	const pad = (value: number): string => String(value).padStart(2, '0');
	const time = `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
	return new Date(now).toDateString() === date.toDateString() ? time : `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${time}`;
}

/** The text the filter matches an event against. */
export function eventHaystack(event: JournalEvent): string {
	return `${event.kind} ${describeEvent(event)}`;
}

/** Red for a change for the worse, green for a recovery: the same in :events and in a connector's Overview. */
export function eventColor(event: JournalEvent, theme: Theme): ReturnType<Theme['fg']> {
	const to = event.to;
	if (to === 'FAILED' || to === 'down' || to === 'disconnected' || to === 'failing' || to === 'failed' || to === 'not sent') return theme.fg('red');
	if (to === 'RUNNING' || to === 'up' || to === 'connected' || to === 'ok' || to === 'confirmed') return theme.fg('green');
	return theme.stateColor(to);
}

/** `:events`: the journal, newest first; Enter opens the connector of the selected event. */
export function eventsBody(input: EventsViewInput): Line[] {
	const {rows, theme} = input;
	const listHeight = Math.max(1, input.height - eventsChromeLines);
	const list = anchorList(input.list, {count: rows.rows.length, height: listHeight}, rows.indexOf);
	const shown = rows.rows.length;
	const title: Line = {
		segments: [
			segment('Events', {bold: true}),
			segment(`  ${shown === 0 ? '0/0' : `${list.index + 1}/${shown}`}${shown === input.total ? '' : ` (of ${input.total})`}`),
			segment('  newest first · local time · Enter: the connector', {dim: true}),
			...(input.filter.active ? [segment('  filter ', {dim: true}), segment(`/${safe(input.filter.text)}/`, {color: theme.fg('cyan'), bold: true})] : []),
		],
	};
	const lines: Line[] = [title, textLine(input.problem === undefined ? 'TIME      WHAT' : `TIME      WHAT   (${safe(input.problem)}: kept in memory only)`, {bold: input.problem === undefined, color: input.problem === undefined ? undefined : theme.fg('yellow')})];
	if (shown === 0) {
		lines.push(textLine(input.total === 0 ? 'nothing has changed since kctop started watching' : 'no events match the filter', {dim: true}));
		return lines;
	}
	for (const [offset, event] of rows.rows.slice(list.offset, list.offset + listHeight).entries()) {
		const selected = list.offset + offset === list.index;
		lines.push({inverse: selected, segments: [segment(`${eventTime(event.at)}  `, {dim: !selected}), segment(safe(describeEvent(event)), {color: selected ? undefined : eventColor(event, theme)})]});
	}
	return lines;
}
