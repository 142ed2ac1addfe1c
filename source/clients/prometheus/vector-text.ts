import type {Sample} from '../../metrics/types.js';

type Labels = Readonly<Record<string, string>>;

/**
 * What the reader keeps of the last answer to one query: its body, and by row position where
 * the row's text (`{"metric":{…},"value":[`) and its value's text lie in it, the labels read
 * from the row and the sample handed out. Places, not strings: a string cut from a body keeps
 * that whole body alive, and a kept row would have kept the body it first came in.
 */
export interface VectorMemory {
	body: string;
	/** Per row: where its text starts, where its time starts (its text ends), where its value's text starts and ends. */
	starts: number[];
	times: number[];
	valueStarts: number[];
	valueEnds: number[];
	labels: Labels[];
	samples: Sample[];
}

export function emptyVectorMemory(): VectorMemory {
	return {body: '', starts: [], times: [], valueStarts: [], valueEnds: [], labels: [], samples: []};
}

/** How Prometheus writes the start of a successful instant-vector answer, byte for byte. */
export const vectorHead = '{"status":"success","data":{"resultType":"vector","result":[';
const rowHead = '{"metric":';
const valueHead = ',"value":[';
/** A JSON number (RFC 8259), for the sample time of a row. */
const jsonNumber = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;

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
 * refresh; mostly only the values move. So each row's text (its `metric` object and what surrounds it) is compared with the text
 * of the row at the same place in the last answer (`memory`): when equal, its labels are the
 * ones read then; when its value's text is equal too, the sample is the one handed out then.
 * A text not found there is looked up among all of the last answer's rows, and else read with
 * JSON.parse (of that object alone) and `labelsOf`.
 *
 * Read here only: exactly the form Prometheus writes (`{"status":"success","data":{"resultType":
 * "vector","result":[{"metric":{…},"value":[<time>,"<value>"]},…]}}`, no whitespace, no warnings
 * or infos). Anything else (a native histogram row, another server's layout, a value with an
 * escape, text that is not JSON) gives undefined, and the caller parses the body in full, which
 * also gives the error for a malformed one. `labelsOf` and `valueOf` return undefined for what
 * they refuse.
 */
export function readVectorText(
	body: string,
	memory: VectorMemory,
	labelsOf: (json: unknown) => Labels | undefined,
	valueOf: (text: string) => number | undefined,
): Sample[] | undefined {
	if (!body.startsWith(vectorHead) || !body.endsWith(']}}')) return undefined;
	const last = memory.body;
	const known = Math.min(memory.starts.length, memory.times.length, memory.valueStarts.length, memory.valueEnds.length, memory.labels.length, memory.samples.length);
	// This answer's places, kept (with the body) only once the whole answer is read.
	const starts: number[] = [];
	const times: number[] = [];
	const valueStarts: number[] = [];
	const valueEnds: number[] = [];
	const labels: Labels[] = [];
	const samples: Sample[] = [];
	let byText: Map<string, Labels> | undefined;
	let timeText = '';
	let at = vectorHead.length;
	if (body.charCodeAt(at) !== CLOSE_BRACKET) {
		for (let row = 0; ; row++) {
			// A row's text runs from `{"metric":` to `,"value":[` included: one comparison checks all of it.
			let end = -1;
			let rowLabels: Labels | undefined;
			const lastStart = row < known ? (memory.starts[row] ?? 0) : 0;
			const length = row < known ? (memory.times[row] ?? 0) - lastStart : 0;
			if (length > 0 && body.slice(at, at + length) === last.slice(lastStart, lastStart + length)) {
				end = at + length;
				rowLabels = memory.labels[row];
			} else {
				const start = at + rowHead.length;
				if (!holds(body, at, rowHead) || body.charCodeAt(start) !== OPEN_BRACE) return undefined;
				const close = objectEnd(body, start);
				if (close === -1 || !holds(body, close, valueHead)) return undefined;
				end = close + valueHead.length;
				if (byText === undefined && known > 0) {
					byText = new Map();
					for (let index = 0; index < known; index++) byText.set(last.slice(memory.starts[index] ?? 0, memory.times[index] ?? 0), memory.labels[index] ?? {});
				}
				rowLabels = byText?.get(body.slice(at, end));
				if (rowLabels === undefined) {
					let json: unknown;
					try {
						json = JSON.parse(body.slice(start, close));
					} catch {
						return undefined;
					}
					rowLabels = labelsOf(json);
				}
			}
			if (rowLabels === undefined) return undefined;

			// The time: every row of an answer has the same one, compared in place.
			const timeStart = end;
			let comma = timeStart + timeText.length;
			if (timeText === '' || body.charCodeAt(comma) !== COMMA || !holds(body, timeStart, timeText)) {
				comma = body.indexOf(',', timeStart);
				if (comma === -1) return undefined;
				const time = body.slice(timeStart, comma);
				if (!jsonNumber.test(time)) return undefined;
				timeText = time;
			}
			if (body.charCodeAt(comma + 1) !== QUOTE) return undefined;

			// The value: the last answer's text at this place, compared in place, or read.
			const valueStart = comma + 2;
			let close = -1;
			let sample: Sample | undefined;
			if (row < known && memory.labels[row] === rowLabels) {
				const lastValue = memory.valueStarts[row] ?? 0;
				const valueLength = (memory.valueEnds[row] ?? 0) - lastValue;
				if (body.charCodeAt(valueStart + valueLength) === QUOTE && sameText(body, valueStart, last, lastValue, valueLength)) {
					close = valueStart + valueLength;
					sample = memory.samples[row];
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
			starts.push(at);
			times.push(timeStart);
			valueStarts.push(valueStart);
			valueEnds.push(close);
			labels.push(rowLabels);
			samples.push(sample);

			at = close + 3;
			const next = body.charCodeAt(at);
			if (next === COMMA) at += 1;
			else if (next === CLOSE_BRACKET) break;
			else return undefined;
		}
	}
	// Only `]}}` may follow the rows (warnings, infos and anything else: the full parse).
	if (at + 3 !== body.length) return undefined;
	memory.body = body;
	memory.starts = starts;
	memory.times = times;
	memory.valueStarts = valueStarts;
	memory.valueEnds = valueEnds;
	memory.labels = labels;
	memory.samples = samples;
	// A copy: the caller may keep the list it was given.
	return samples.slice();
}
