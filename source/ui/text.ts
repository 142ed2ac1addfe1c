import cliTruncate from 'cli-truncate';
import stringWidth from 'string-width';
import {capLength, showControl} from '../clients/errors.js';
import {scrubSecrets, secretsGeneration} from '../clients/secrets.js';

/**
 * The one door through which cluster-provided text reaches the screen. Connector names,
 * worker ids, traces, config values and error messages can carry escape sequences or
 * control characters (a name full of ESC/BEL must not move the cursor, recolour the
 * screen or ring the bell), so every such string goes through `safe` (one line) or
 * `safeLines` (multi-line, for traces) before it is measured or drawn. Neutralised
 * characters stay visible (ESC prints `␛`, a newline `␊`, C1 controls `⟨U+009B⟩`), so
 * two different names never print the same; registered secrets print as `********`.
 */
export function safe(text: string | undefined, max = 500): string {
	if (text === undefined) return '';
	if (text.length > safeCacheLength) return capLength(showControl(scrubSecrets(text)), max);
	if (safeGeneration !== secretsGeneration()) {
		safeTexts.clear();
		safeGeneration = secretsGeneration();
	}
	let byText = safeTexts.get(max);
	if (byText === undefined) {
		byText = new Map();
		safeTexts.set(max, byText);
	}
	let shown = byText.get(text);
	if (shown === undefined) {
		shown = capLength(showControl(scrubSecrets(text)), max);
		if (byText.size >= cacheSize) byText.clear();
		byText.set(text, shown);
	}
	return shown;
}

/**
 * What `safe` made of the texts it saw lately, by `max`: the header, grid and footer pass the
 * same names, endpoints and errors through it on every frame and every clock tick. Valid for
 * one generation of registered secrets (a secret registered later masks differently).
 */
const safeTexts = new Map<number, Map<string, string>>();
let safeGeneration = -1;
/** Longer texts (traces) are not remembered. */
const safeCacheLength = 1000;

/** Multi-line text (stack traces): tabs expanded, CR line ends dropped, other control characters visible. */
export function safeLines(text: string | undefined): string[] {
	if (text === undefined || text === '') return [];
	const lines = scrubSecrets(text)
		.split(/\r?\n/)
		.map(line => showControl(line.replace(/\t/g, '    ').replace(/\s+$/, '')));
	while (lines.length > 0 && lines.at(-1) === '') lines.pop();
	return lines;
}

/** Printable ASCII only: one column per character. */
export const printableAscii = /^[\x20-\x7e]*$/;

/** Widths of the other strings measured lately: the same header items, glyphs and names come back on every frame. */
const widths = new Map<string, number>();
const cacheSize = 2000;

/** Columns a string occupies in a terminal (CJK and emoji count as two). Printable ASCII, nearly every cell, is its length: string-width's grapheme walk cost more than the rest of a frame. */
export function displayWidth(text: string): number {
	if (printableAscii.test(text)) return text.length;
	let width = widths.get(text);
	if (width === undefined) {
		width = stringWidth(text);
		if (text.length <= 256) {
			if (widths.size >= cacheSize) widths.clear();
			widths.set(text, width);
		}
	}
	return width;
}

/** Cuts a string to at most `width` columns, ending with an ellipsis when something was cut. */
export function truncate(text: string, width: number): string {
	if (width <= 0) return '';
	if (displayWidth(text) <= width) return text;
	const key = `${width} ${text}`;
	let cut = cuts.get(key);
	if (cut === undefined) {
		cut = cliTruncate(text, width, {position: 'end', truncationCharacter: '…'});
		if (text.length <= 256) {
			if (cuts.size >= cacheSize) cuts.clear();
			cuts.set(key, cut);
		}
	}
	return cut;
}

/** Cuts made lately: the same names are cut to the same columns on every frame. */
const cuts = new Map<string, string>();

/** Truncates and pads so the result occupies exactly `width` columns. */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left'): string {
	if (width <= 0) return '';
	const cut = truncate(text, width);
	const pad = ' '.repeat(Math.max(0, width - displayWidth(cut)));
	return align === 'left' ? cut + pad : pad + cut;
}

const segmenter = new Intl.Segmenter(undefined, {granularity: 'grapheme'});

/** Hard-wraps one line into pieces of at most `width` columns (grapheme-safe, wide-character aware). */
export function wrap(text: string, width: number): string[] {
	if (width <= 0) return [];
	if (displayWidth(text) <= width) return [text];
	const out: string[] = [];
	let current = '';
	let currentWidth = 0;
	for (const {segment} of segmenter.segment(text)) {
		const w = displayWidth(segment);
		if (currentWidth + w > width && current !== '') {
			out.push(current);
			current = '';
			currentWidth = 0;
		}
		current += segment;
		currentWidth += w;
	}
	if (current !== '') out.push(current);
	return out;
}
