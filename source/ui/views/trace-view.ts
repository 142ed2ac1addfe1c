import type {ConnectorRow} from '../../model/types.js';
import {segment, textLine, type Line, type Segment} from '../lines.js';
import type {TraceView} from '../state/navigation.js';
import {safe, safeLines, wrap} from '../text.js';
import type {Theme} from '../theme.js';

export interface TraceInput {
	readonly view: TraceView;
	readonly connector: ConnectorRow | undefined;
	readonly theme: Theme;
	readonly width: number;
	readonly height: number;
}

export const traceChromeLines = 1;

function traceOf(view: TraceView, row: ConnectorRow | undefined): {readonly text: string | undefined; readonly what: string; readonly state: string | undefined} {
	if (row === undefined) return {text: undefined, what: 'connector', state: undefined};
	if (view.task === undefined) return {text: row.trace, what: 'connector', state: row.state};
	const task = row.tasks.find(candidate => candidate.id === view.task);
	return {text: task?.trace, what: `task ${view.task}`, state: task?.state};
}

function styleOf(text: string, index: number, theme: Theme): Omit<Segment, 'text'> {
	const trimmed = text.trimStart();
	if (trimmed.startsWith('Caused by:')) return {color: theme.fg('red'), bold: true};
	if (index === 0) return {color: theme.fg('red'), bold: true};
	if (trimmed.startsWith('... ') && trimmed.endsWith(' more')) return {dim: true};
	if (trimmed.startsWith('at ')) return {};
	return {color: theme.fg('yellow')};
}

/** The trace as styled lines: wrapped to the width (continuations indented) or left long to be truncated. */
export function traceContent(input: TraceInput): Line[] {
	const {text} = traceOf(input.view, input.connector);
	const lines = safeLines(text);
	const out: Line[] = [];
	for (const [index, raw] of lines.entries()) {
		const style = styleOf(raw, index, input.theme);
		if (!input.view.wrap) {
			out.push(textLine(raw === '' ? ' ' : raw, style));
			continue;
		}
		const pieces = wrap(raw, Math.max(8, input.width));
		if (pieces.length === 0) out.push(textLine(' '));
		for (const [pieceIndex, piece] of pieces.entries()) {
			if (pieceIndex === 0) out.push(textLine(piece, style));
			else out.push(...wrap(piece, Math.max(6, input.width - 2)).map(part => ({segments: [segment('↳ ', {dim: true}), segment(part, style)]})));
		}
	}
	return out;
}

export function traceScrollable(input: TraceInput): {readonly count: number; readonly height: number} {
	return {count: traceContent(input).length, height: Math.max(1, input.height - traceChromeLines)};
}

export function traceBody(input: TraceInput): Line[] {
	const {view, theme} = input;
	const height = Math.max(1, input.height - traceChromeLines);
	const {what, state} = traceOf(view, input.connector);
	const content = traceContent(input);
	const start = Math.min(view.scroll, Math.max(0, content.length - height));
	const shown = content.slice(start, start + height);
	const title: Line = {
		segments: [
			segment('Trace ', {bold: true}),
			segment(safe(view.connector)),
			segment(` ${what}`),
			...(state === undefined ? [] : [segment(` ${safe(state)}`, {color: theme.stateColor(state), bold: true})]),
			segment(content.length === 0 ? '' : `  lines ${start + 1}-${start + shown.length} of ${content.length}`, {dim: true}),
			segment(`  wrap ${view.wrap ? 'on' : 'off'}`, {dim: true}),
		],
	};
	if (content.length === 0) return [title, textLine(state === undefined ? 'not in the cluster any more' : `no trace (now ${safe(state)})`, {dim: true})];
	return [title, ...shown];
}
