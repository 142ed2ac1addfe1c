import type {Sample} from '../../metrics/types.js';

type Labels = Readonly<Record<string, string>>;

/** A row's labels as the caller reads them, and its tag (the value of a label the caller takes apart from the others: '' when the caller takes none). */
export interface RowHead {
	readonly labels: Labels;
	readonly tag: string;
}

/** What one answer left: its body and, by row, where its parts lie in it, its labels, its tag and its sample. */
interface VectorRows {
	body: string;
	/** Per row, four places: where its text starts, where its time starts (its text ends), where its value's text starts and ends. */
	places: Uint32Array;
	count: number;
	labels: Labels[];
	tags: string[];
	samples: Sample[];
}

/**
 * What the reader keeps of the last answer to one query (`last`), and the arrays the next
 * answer is written into (`spare`: the two are swapped when an answer has been read whole, so
 * a refresh allocates no arrays of its own). Places, not strings: a string cut from a body
 * keeps that whole body alive, and a kept row would have kept the body it first came in.
 */
export interface VectorMemory {
	last: VectorRows;
	spare: VectorRows;
}

const emptyRows = (): VectorRows => ({body: '', places: new Uint32Array(0), count: 0, labels: [], tags: [], samples: []});

export function emptyVectorMemory(): VectorMemory {
	return {last: emptyRows(), spare: emptyRows()};
}

/** What readVectorText gives: the samples, and each one's tag by position. Both lists are the caller's to keep. */
export interface VectorRead {
	readonly samples: Sample[];
	readonly tags: string[];
}

/** How Prometheus writes the start of a successful instant-vector answer, byte for byte. */
export const vectorHead = '{"status":"success","data":{"resultType":"vector","result":[';
const rowHead = '{"metric":';
const valueHead = ',"value":[';
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;

const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;

/** The index past the digits of `text` from `at` (`at` itself when there are none). */
function digitsEnd(text: string, at: number): number {
	let end = at;
	while (end < text.length && text.charCodeAt(end) >= ZERO && text.charCodeAt(end) <= NINE) end++;
	return end;
}

/**
 * Whether `text` is a JSON number (RFC 8259: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`),
 * for the sample time of a row. Not a RegExp: V8 keeps the last string a RegExp ran on, and the
 * time is cut from the body, so the answer's whole body would stay alive with it.
 */
function isJsonNumber(text: string): boolean {
	let at = text.charCodeAt(0) === MINUS ? 1 : 0;
	if (text.charCodeAt(at) === ZERO) at += 1;
	else {
		const end = digitsEnd(text, at);
		if (end === at) return false;
		at = end;
	}
	if (text.charCodeAt(at) === DOT) {
		const end = digitsEnd(text, at + 1);
		if (end === at + 1) return false;
		at = end;
	}
	const e = text.charCodeAt(at);
	if (e === 0x65 || e === 0x45) {
		at += 1;
		const sign = text.charCodeAt(at);
		if (sign === PLUS || sign === MINUS) at += 1;
		const end = digitsEnd(text, at);
		if (end === at) return false;
		at = end;
	}
	return at === text.length;
}

/** Whether `body` holds `text` at `at` (String.prototype.startsWith with a position cost about ten times more here). */
function holds(body: string, at: number, text: string): boolean {
	if (at + text.length > body.length) return false;
	for (let index = 0; index < text.length; index++) if (body.charCodeAt(at + index) !== text.charCodeAt(index)) return false;
	return true;
}

/** Whether `a` from `from` and `b` from `bFrom` hold the same `length` characters. */
function sameText(a: string, from: number, b: string, bFrom: number, length: number): boolean {
	if (from + length > a.length || bFrom + length > b.length) return false;
	for (let index = 0; index < length; index++) if (a.charCodeAt(from + index) !== b.charCodeAt(bFrom + index)) return false;
	return true;
}

/**
 * The index just past the `}` that closes the flat object opening at `from` (strings skipped,
 * escapes included), or -1. Only an object of plain members ends there; anything else makes
 * text JSON.parse refuses, and the reader gives up.
 */
function objectEnd(body: string, from: number): number {
	let at = from + 1;
	while (at < body.length) {
		const char = body.charCodeAt(at);
		if (char === QUOTE) {
			// The closing quote is the next one not escaped (preceded by an even number of backslashes).
			for (;;) {
				const quote = body.indexOf('"', at + 1);
				if (quote === -1) return -1;
				let slashes = 0;
				while (body.charCodeAt(quote - 1 - slashes) === BACKSLASH) slashes++;
				at = quote;
				if (slashes % 2 === 0) break;
			}
			at += 1;
		} else if (char === CLOSE_BRACE) return at + 1;
		else at += 1;
	}
	return -1;
}

/**
 * The rows of an instant-vector answer read from its text, without JSON.parse of the whole
 * body: at ten thousand connectors the answer is 20 MB and 155,000 rows, and JSON.parse built
 * a tree of about a million objects per refresh that was thrown away at once (a quarter of
 * kctop's CPU, and most of its garbage collection).
 *
 * Prometheus answers the same query with the same rows in the same order refresh after
 * refresh; mostly only the values move. So each row's text (its `metric` object and what
 * surrounds it) is compared with the text of the row at the same place in the last answer
 * (`memory`): when equal, its labels and tag are the ones read then; when its value's text is
 * equal too, the sample is the one handed out then. A text not found there is looked up among
 * all of the last answer's rows, and else read with JSON.parse (of that object alone) and
 * `headOf`.
 *
 * Read here only: exactly the form Prometheus writes (`{"status":"success","data":{"resultType":
 * "vector","result":[{"metric":{…},"value":[<time>,"<value>"]},…]}}`, no whitespace, no warnings
 * or infos). Anything else (a native histogram row, another server's layout, a value with an
 * escape, text that is not JSON) gives undefined, and the caller parses the body in full, which
 * also gives the error for a malformed one. `headOf` and `valueOf` return undefined for what
 * they refuse.
 */
export function readVectorText(
	body: string,
	memory: VectorMemory,
	headOf: (json: unknown) => RowHead | undefined,
	valueOf: (text: string) => number | undefined,
): VectorRead | undefined {
	if (!body.startsWith(vectorHead) || !body.endsWith(']}}')) return undefined;
	const {last, spare: next} = memory;
	const lastBody = last.body;
	const lastPlaces = last.places;
	const known = last.count;
	let places = next.places;
	let byText: Map<string, number> | undefined;
	let timeText = '';
	let at = vectorHead.length;
	let row = 0;
	if (body.charCodeAt(at) !== CLOSE_BRACKET) {
		for (; ; row++) {
			// A row's text runs from `{"metric":` to `,"value":[` included: one comparison checks all of it.
			let end = -1;
			let rowLabels: Labels | undefined;
			let tag = '';
			const lastStart = row < known ? (lastPlaces[4 * row] ?? 0) : 0;
			const length = row < known ? (lastPlaces[4 * row + 1] ?? 0) - lastStart : 0;
			if (length > 0 && body.slice(at, at + length) === lastBody.slice(lastStart, lastStart + length)) {
				end = at + length;
				rowLabels = last.labels[row];
				tag = last.tags[row] ?? '';
			} else {
				const start = at + rowHead.length;
				if (!holds(body, at, rowHead) || body.charCodeAt(start) !== OPEN_BRACE) return undefined;
				const close = objectEnd(body, start);
				if (close === -1 || !holds(body, close, valueHead)) return undefined;
				end = close + valueHead.length;
				if (byText === undefined && known > 0) {
					byText = new Map();
					for (let index = 0; index < known; index++) byText.set(lastBody.slice(lastPlaces[4 * index] ?? 0, lastPlaces[4 * index + 1] ?? 0), index);
				}
				const found = byText?.get(body.slice(at, end));
				if (found === undefined) {
					let json: unknown;
					try {
						json = JSON.parse(body.slice(start, close));
					} catch {
						return undefined;
					}
					const head = headOf(json);
					rowLabels = head?.labels;
					tag = head?.tag ?? '';
				} else {
					rowLabels = last.labels[found];
					tag = last.tags[found] ?? '';
				}
			}
			if (rowLabels === undefined) return undefined;

			// The time: every row of an answer has the same one, compared in place.
			const timeStart = end;
			let comma = timeStart + timeText.length;
			if (timeText === '' || body.charCodeAt(comma) !== COMMA || body.slice(timeStart, comma) !== timeText) {
				comma = body.indexOf(',', timeStart);
				if (comma === -1) return undefined;
				const time = body.slice(timeStart, comma);
				if (!isJsonNumber(time)) return undefined;
				timeText = time;
			}
			if (body.charCodeAt(comma + 1) !== QUOTE) return undefined;

			// The value: the last answer's text at this place, compared in place, or read.
			const valueStart = comma + 2;
			let close = -1;
			let sample: Sample | undefined;
			if (row < known && last.labels[row] === rowLabels) {
				const lastValue = lastPlaces[4 * row + 2] ?? 0;
				const valueLength = (lastPlaces[4 * row + 3] ?? 0) - lastValue;
				if (body.charCodeAt(valueStart + valueLength) === QUOTE && sameText(body, valueStart, lastBody, lastValue, valueLength)) {
					close = valueStart + valueLength;
					sample = last.samples[row];
				}
			}
			if (sample === undefined) {
				close = body.indexOf('"', valueStart);
				if (close === -1) return undefined;
				const value = valueOf(body.slice(valueStart, close));
				if (value === undefined) return undefined;
				sample = {labels: rowLabels, value};
			}
			if (body.charCodeAt(close + 1) !== CLOSE_BRACKET || body.charCodeAt(close + 2) !== CLOSE_BRACE) return undefined;
			if (places.length < 4 * (row + 1)) {
				const grown = new Uint32Array(Math.max(64, 2 * places.length, 4 * (known + 16)));
				grown.set(places);
				places = grown;
				next.places = grown;
			}
			places[4 * row] = at;
			places[4 * row + 1] = timeStart;
			places[4 * row + 2] = valueStart;
			places[4 * row + 3] = close;
			next.labels[row] = rowLabels;
			next.tags[row] = tag;
			next.samples[row] = sample;

			at = close + 3;
			const following = body.charCodeAt(at);
			if (following === COMMA) at += 1;
			else if (following === CLOSE_BRACKET) {
				row += 1;
				break;
			} else return undefined;
		}
	}
	// Only `]}}` may follow the rows (warnings, infos and anything else: the full parse).
	if (at + 3 !== body.length) return undefined;
	next.body = body;
	next.count = row;
	next.labels.length = row;
	next.tags.length = row;
	next.samples.length = row;
	// The last answer's arrays take the next one; its body is let go.
	last.body = '';
	memory.last = next;
	memory.spare = last;
	return {samples: next.samples.slice(), tags: next.tags.slice()};
}
