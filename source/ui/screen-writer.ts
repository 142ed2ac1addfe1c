import {Writable} from 'node:stream';
import {styledSegment} from './components/line-view.js';
import type {Line, Segment} from './lines.js';
import {displayWidth, printableAscii} from './text.js';

/** Where the writer's bytes go: the terminal (process.stdout in the live view). */
export interface TerminalOutput {
	write(data: string): unknown;
}

/**
 * Draws the live view's rows on the terminal itself, writing only the characters that
 * changed since the last draw. Ink re-lays out and re-tokenises every cell of the screen
 * on each frame, which at an idle 140×40 screen cost more than the refresh it showed; the
 * screen is already pure lines (screen.ts), so a row-by-row, cell-by-cell diff is all that
 * is left to do. Ink still reads the keyboard (see keyboardOnlyStdout below).
 */
export interface ScreenWriter {
	/** Alternate screen on, cursor hidden. */
	open(): void;
	/** `rows` (fitted to `width`) as the whole screen of `height` rows; writes nothing when nothing changed. */
	draw(rows: readonly Line[], width: number, height: number): void;
	/** Alternate screen off, cursor shown; the next draw after open() is a full one. */
	close(): void;
	/** Bytes written so far (tests and the bench's figures). */
	readonly bytesWritten: () => number;
}

const esc = '\u001B[';
const enterAlternateScreen = `${esc}?1049h`;
const leaveAlternateScreen = `${esc}?1049l`;
const hideCursor = `${esc}?25l`;
const showCursor = `${esc}?25h`;
const clearScreen = `${esc}H${esc}2J`;
const eraseLineRight = `${esc}K`;
/** Synchronised output (DEC mode 2026): the terminal shows a draw at once; terminals without it ignore the mode. */
const beginSync = `${esc}?2026h`;
const endSync = `${esc}?2026l`;
const moveTo = (row: number, column: number): string => `${esc}${row + 1};${column + 1}H`;

interface Cell {
	/** One grapheme. */
	readonly text: string;
	readonly width: number;
	/** The segment it comes from (its style), with the line's inverse folded in. */
	readonly style: Segment;
}

interface DrawnRow {
	readonly line: Line;
	cells: Cell[] | undefined;
}

const graphemes = new Intl.Segmenter(undefined, {granularity: 'grapheme'});

function sameStyle(a: Segment, b: Segment): boolean {
	return a.color === b.color && (a.bold === true) === (b.bold === true) && (a.dim === true) === (b.dim === true) && (a.inverse === true) === (b.inverse === true);
}

/** A line as terminal cells (only for rows that changed). */
export function cellsOf(line: Line): Cell[] {
	const cells: Cell[] = [];
	const lineInverse = line.inverse === true;
	for (const segment of line.segments) {
		const style: Segment = lineInverse && segment.inverse !== true ? {...segment, text: '', inverse: true} : {...segment, text: ''};
		if (printableAscii.test(segment.text)) {
			for (const char of segment.text) cells.push({text: char, width: 1, style});
			continue;
		}
		for (const {segment: grapheme} of graphemes.segment(segment.text)) {
			const width = displayWidth(grapheme);
			// Zero-width leftovers (a lone joiner) ride on the cell before them, as a terminal draws them.
			const previous = cells.at(-1);
			if (width === 0 && previous !== undefined) cells[cells.length - 1] = {...previous, text: previous.text + grapheme};
			else if (width > 0) cells.push({text: grapheme, width, style});
		}
	}
	// Trailing blanks without a style are not drawn (the rest of the row is erased instead), as Ink trims them.
	while (cells.length > 0 && isBlank(cells.at(-1))) cells.pop();
	return cells;
}

function isBlank(cell: Cell | undefined): boolean {
	return cell !== undefined && cell.text === ' ' && cell.style.inverse !== true && cell.style.color === undefined;
}

function sameCell(a: Cell | undefined, b: Cell | undefined): boolean {
	return a !== undefined && b !== undefined && a.text === b.text && a.width === b.width && sameStyle(a.style, b.style);
}

function widthOf(cells: readonly Cell[], from = 0, to = cells.length): number {
	let width = 0;
	for (let i = from; i < to; i++) width += cells[i]?.width ?? 0;
	return width;
}

/** Cells as styled text, one style run at a time (the same chalk styling as Ink's <Text>). */
function cellsText(cells: readonly Cell[], from: number, to: number): string {
	let out = '';
	let runStart = from;
	for (let i = from + 1; i <= to; i++) {
		const start = cells[runStart];
		const current = cells[i];
		if (i < to && start !== undefined && current !== undefined && sameStyle(start.style, current.style)) continue;
		if (start !== undefined) {
			let text = '';
			for (let j = runStart; j < i; j++) text += cells[j]?.text ?? '';
			out += styledSegment({...start.style, text});
		}
		runStart = i;
	}
	return out;
}

/** The bytes that turn row `row` from `before` into `after`: only the cells between the first and the last that differ. */
function rowUpdate(row: number, before: readonly Cell[], after: readonly Cell[]): string {
	let prefix = 0;
	while (prefix < before.length && prefix < after.length && sameCell(before[prefix], after[prefix])) prefix += 1;
	if (prefix === before.length && prefix === after.length) return '';
	const beforeWidth = widthOf(before);
	const afterWidth = widthOf(after);
	// A common tail is skipped only where it stays in the same columns.
	let suffix = 0;
	if (beforeWidth === afterWidth) {
		while (suffix < before.length - prefix && suffix < after.length - prefix && sameCell(before[before.length - 1 - suffix], after[after.length - 1 - suffix])) suffix += 1;
	}
	const column = widthOf(after, 0, prefix);
	const end = after.length - suffix;
	const erase = afterWidth < beforeWidth ? eraseLineRight : '';
	return `${moveTo(row, column)}${cellsText(after, prefix, end)}${erase}`;
}

/** A row drawn whole over a blank one. */
function fullRow(row: number, cells: readonly Cell[]): string {
	return cells.length === 0 ? '' : `${moveTo(row, 0)}${cellsText(cells, 0, cells.length)}`;
}

export function createScreenWriter(output: TerminalOutput): ScreenWriter {
	let drawn: DrawnRow[] | undefined;
	let drawnSize = '';
	let bytes = 0;
	const write = (data: string): void => {
		if (data === '') return;
		bytes += Buffer.byteLength(data);
		output.write(data);
	};
	return {
		open() {
			drawn = undefined;
			write(enterAlternateScreen + hideCursor);
		},
		draw(rows, width, height) {
			const shown = rows.slice(0, Math.max(0, height));
			const size = `${width}x${height}`;
			if (drawn === undefined || size !== drawnSize) {
				// First draw or a new terminal size: everything, once.
				let out = beginSync + clearScreen;
				for (const [index, line] of shown.entries()) out += fullRow(index, cellsOf(line));
				write(out + endSync);
				drawn = shown.map(line => ({line, cells: undefined}));
				drawnSize = size;
				return;
			}
			let out = '';
			const next: DrawnRow[] = [];
			for (let index = 0; index < Math.max(shown.length, drawn.length); index++) {
				const line = shown[index];
				const before = drawn[index];
				if (line === undefined) {
					if (before !== undefined) out += moveTo(index, 0) + eraseLineRight;
					continue;
				}
				if (before !== undefined && before.line === line) {
					next.push(before);
					continue;
				}
				const cells = cellsOf(line);
				const previousCells = before === undefined ? [] : (before.cells ?? cellsOf(before.line));
				out += previousCells.length === 0 ? fullRow(index, cells) : rowUpdate(index, previousCells, cells);
				next.push({line, cells});
			}
			drawn = next;
			if (out !== '') write(beginSync + out + endSync);
		},
		close() {
			drawn = undefined;
			write(showCursor + leaveAlternateScreen);
		},
		bytesWritten: () => bytes,
	};
}

const borders = {
	round: {topLeft: '╭', topRight: '╮', bottomLeft: '╰', bottomRight: '╯', horizontal: '─', vertical: '│'},
	classic: {topLeft: '+', topRight: '+', bottomLeft: '+', bottomRight: '+', horizontal: '-', vertical: '|'},
} as const;

/**
 * The confirmation dialog as rows: `lines` (fitted to `width` − 4) in a bordered box of
 * `width` columns with one column of padding each side, drawn as Ink draws
 * `<Box borderStyle paddingX={1}>`.
 */
export function boxLines(lines: readonly Line[], width: number, border: keyof typeof borders, color: Segment['color']): Line[] {
	const glyphs = borders[border];
	const inner = Math.max(0, width - 2);
	const edge = (text: string): Segment => (color === undefined ? {text} : {text, color});
	const rows: Line[] = [{segments: [edge(glyphs.topLeft + glyphs.horizontal.repeat(inner) + glyphs.topRight)]}];
	for (const content of lines) {
		const used = content.segments.reduce((sum, part) => sum + displayWidth(part.text), 0);
		const segments = content.inverse === true ? content.segments.map(part => ({...part, inverse: true})) : content.segments;
		rows.push({segments: [edge(glyphs.vertical), {text: ' '}, ...segments, {text: ' '.repeat(Math.max(0, inner - 2 - used) + 1)}, edge(glyphs.vertical)]});
	}
	rows.push({segments: [edge(glyphs.bottomLeft + glyphs.horizontal.repeat(inner) + glyphs.bottomRight)]});
	return rows;
}

/** The terminal as the keyboard side sees it: size, resize events, isTTY. */
export type TerminalScreen = NodeJS.WritableStream & {readonly columns?: number | undefined; readonly rows?: number | undefined; readonly isTTY?: boolean | undefined};

const bracketedPasteSwitch = /^\u001B\[\?2004[hl]$/;

/**
 * The stdout Ink gets while a ScreenWriter owns the screen: it has the terminal's size and
 * resize events (useWindowSize), and passes on only Ink's bracketed-paste switches; Ink's
 * own frames (empty: the App draws through the writer) never reach the terminal, so Ink
 * can neither scroll nor clear what the writer drew. `detach` stops the resize forwarding.
 */
export function keyboardOnlyStdout(terminal: TerminalScreen): {readonly stream: NodeJS.WritableStream; readonly detach: () => void} {
	const stream = new Writable({
		write(chunk: Buffer | string, _encoding, callback) {
			const text = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
			if (bracketedPasteSwitch.test(text)) terminal.write(text);
			callback();
		},
	});
	Object.defineProperties(stream, {
		columns: {get: () => terminal.columns},
		rows: {get: () => terminal.rows},
		isTTY: {get: () => terminal.isTTY === true},
	});
	const forward = (): void => {
		stream.emit('resize');
	};
	terminal.on('resize', forward);
	return {stream, detach: () => terminal.off('resize', forward)};
}
