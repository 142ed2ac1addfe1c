import type {ColorName} from './theme.js';
import {displayWidth, truncate} from './text.js';

/**
 * Every screen is built as lines of styled segments by pure functions, then drawn by
 * Ink (components/line-view.tsx) or turned into plain/ANSI text (`--once`). Segment
 * text must already be safe (see text.ts); `fitLine` guarantees no line is wider
 * than the terminal.
 */
export interface Segment {
	readonly text: string;
	readonly color?: ColorName | undefined;
	readonly bold?: boolean;
	readonly dim?: boolean;
	readonly inverse?: boolean;
}

export interface Line {
	readonly segments: readonly Segment[];
	/** Highlight the whole line (the selected row); padded to the full width. */
	readonly inverse?: boolean;
}

export function segment(text: string, style: Omit<Segment, 'text'> = {}): Segment {
	return {text, ...style};
}

export function line(...segments: Segment[]): Line {
	return {segments};
}

export function textLine(text: string, style: Omit<Segment, 'text'> = {}): Line {
	return {segments: [{text, ...style}]};
}

export const blankLine: Line = {segments: []};

export function lineText(value: Line): string {
	return value.segments.map(part => part.text).join('');
}

export function lineWidth(value: Line): number {
	return displayWidth(lineText(value));
}

/** Cuts a line to `width` columns (ellipsis where cut); inverse lines are padded to the full width. */
export function fitLine(value: Line, width: number): Line {
	const out: Segment[] = [];
	let used = 0;
	for (const part of value.segments) {
		if (used >= width) break;
		const w = displayWidth(part.text);
		if (used + w <= width) {
			out.push(part);
			used += w;
			continue;
		}
		const cut = truncate(part.text, width - used);
		out.push({...part, text: cut});
		used += displayWidth(cut);
		break;
	}
	if (value.inverse === true && used < width) out.push({text: ' '.repeat(width - used)});
	return value.inverse === true ? {segments: out, inverse: true} : {segments: out};
}

const colorCodes: Readonly<Record<ColorName, number>> = {red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36, white: 37, gray: 90};

/** Plain text when `color` is false (no escape codes at all), SGR-styled text otherwise. */
export function lineToAnsi(value: Line, color: boolean): string {
	if (!color) return lineText(value).replace(/\s+$/, '');
	return value.segments
		.map(part => {
			const codes: number[] = [];
			if (part.bold === true) codes.push(1);
			if (part.dim === true) codes.push(2);
			if (part.inverse === true || value.inverse === true) codes.push(7);
			if (part.color !== undefined) codes.push(colorCodes[part.color]);
			if (codes.length === 0 || part.text === '') return part.text;
			return `\u001B[${codes.join(';')}m${part.text}\u001B[0m`;
		})
		.join('')
		.replace(/\s+$/, '');
}

function sameSegment(a: Segment, b: Segment): boolean {
	return a.text === b.text && a.color === b.color && (a.bold === true) === (b.bold === true) && (a.dim === true) === (b.dim === true) && (a.inverse === true) === (b.inverse === true);
}

/** Whether two lines draw the same: same texts and styles, segment by segment. */
export function sameLine(a: Line, b: Line): boolean {
	if (a === b) return true;
	if ((a.inverse === true) !== (b.inverse === true) || a.segments.length !== b.segments.length) return false;
	for (let i = 0; i < a.segments.length; i++) {
		const x = a.segments[i];
		const y = b.segments[i];
		if (x === undefined || y === undefined || !sameSegment(x, y)) return false;
	}
	return true;
}

/**
 * `next` with every line that draws the same as the line at its place in `previous` replaced
 * by that earlier object, and `previous` itself when nothing changed: unchanged rows keep
 * their identity, so the renderer can skip them (and the whole screen when nothing moved).
 */
export function shareLines(previous: readonly Line[] | undefined, next: readonly Line[]): readonly Line[] {
	if (previous === undefined) return next;
	let changed = previous.length !== next.length;
	const out = next.map((each, index) => {
		const before = previous[index];
		if (before !== undefined && sameLine(before, each)) return before;
		changed = true;
		return each;
	});
	return changed ? out : previous;
}
