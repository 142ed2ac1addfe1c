import type {Sample} from '../../metrics/types.js';

type Labels = Readonly<Record<string, string>>;

/**
 * What the reader keeps of the last answer to one query, by row position (filled in place):
 * each row's `metric` object as text, the labels read from it, its value's text, and the
 * sample handed out. A position is written as one whole (text, labels, value, sample).
 */
export interface VectorMemory {
	texts: readonly string[];
	labels: readonly Labels[];
	values: readonly string[];
	samples: readonly Sample[];
}

export function emptyVectorMemory(): VectorMemory {
	return {texts: [], labels: [], values: [], samples: []};
}

/** How Prometheus writes the start of a successful instant-vector answer, byte for byte. */
export const vectorHead = '{"status":"success","data":{"resultType":"vector","result":[';
const rowHead = '{"metric":';
const valueHead = ',"value":[';
/** A JSON number (RFC 8259), for the sample time of a row. */
const jsonNumber = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;

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
 * refresh; mostly only the values move. So each row's `metric` text is compared with the text
 * of the row at the same place in the last answer (`memory`): when equal, its labels are the
 * ones read then; when its value's text is equal too, the sample is the one handed out then.
 * A text not found there is looked up among all of the last answer's rows, and else read with
 * JSON.parse (of that object alone) and `labelsOf`.
 *
 * Read here only: exactly the form Prometheus writes (`{"status":"success","data":{"resultType":
 * "vector","result":[{"metric":{…},"value":[<time>,"<value>"]},…]}}`, no whitespace, no warnings
 * or infos). Anything else (a native histogram row, another server's layout, a value with an
 * escape, text that is not JSON) gives undefined, and the caller parses the body in full, which
 * also gives the error for a malformed one. `memory` is updated only when it answers samples;
 * `labelsOf` and `valueOf` return undefined for what they refuse.
 */
export function readVectorText(
	body: string,
	memory: VectorMemory,
	labelsOf: (json: unknown) => Labels | undefined,
	valueOf: (text: string) => number | undefined,
): Sample[] | undefined {
	if (!body.startsWith(vectorHead) || !body.endsWith(']}}')) return undefined;
	const {texts, labels, values, samples: made} = memory;
	const known = Math.min(texts.length, labels.length, values.length, made.length);
	// Rows of this answer, written to memory only once the whole answer is read.
	const rowTexts: string[] = [];
	const rowLabels: Labels[] = [];
	const rowValues: string[] = [];
	const samples: Sample[] = [];
	let byText: Map<string, Labels> | undefined;
	let timeText = '';
	let at = vectorHead.length;
	if (body.charCodeAt(at) !== CLOSE_BRACKET) {
		for (let row = 0; ; row++) {
			if (!body.startsWith(rowHead, at)) return undefined;
			const start = at + rowHead.length;
			let end = -1;
			let text: string | undefined;
			let rowLabelSet: Labels | undefined;
			if (row < known) {
				const before = texts[row] ?? '';
				const candidate = body.slice(start, start + before.length);
				if (candidate === before) {
					end = start + before.length;
					text = before;
					rowLabelSet = labels[row];
				}
			}
			if (text === undefined) {
				if (body.charCodeAt(start) !== 0x7b) return undefined;
				end = objectEnd(body, start);
				if (end === -1) return undefined;
				text = body.slice(start, end);
				if (byText === undefined && known > 0) {
					byText = new Map();
					for (let index = 0; index < known; index++) byText.set(texts[index] ?? '', labels[index] ?? {});
				}
				rowLabelSet = byText?.get(text);
				if (rowLabelSet === undefined) {
					let json: unknown;
					try {
						json = JSON.parse(text);
					} catch {
						return undefined;
					}
					rowLabelSet = labelsOf(json);
					if (rowLabelSet === undefined) return undefined;
				}
			}
			if (rowLabelSet === undefined || !body.startsWith(valueHead, end)) return undefined;

			const timeStart = end + valueHead.length;
			const comma = body.indexOf(',', timeStart);
			if (comma === -1) return undefined;
			const time = body.slice(timeStart, comma);
			if (time !== timeText) {
				if (!jsonNumber.test(time)) return undefined;
				timeText = time;
			}
			if (body.charCodeAt(comma + 1) !== QUOTE) return undefined;
			const close = body.indexOf('"', comma + 2);
			if (close === -1 || body.charCodeAt(close + 1) !== CLOSE_BRACKET || body.charCodeAt(close + 2) !== CLOSE_BRACE) return undefined;
			const valueText = body.slice(comma + 2, close);

			let sample: Sample;
			const previous = row < known ? made[row] : undefined;
			if (previous !== undefined && labels[row] === rowLabelSet && values[row] === valueText) sample = previous;
			else {
				const value = valueOf(valueText);
				if (value === undefined) return undefined;
				sample = {labels: rowLabelSet, value};
			}
			rowTexts.push(text);
			rowLabels.push(rowLabelSet);
			rowValues.push(valueText);
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
	memory.texts = rowTexts;
	memory.labels = rowLabels;
	memory.values = rowValues;
	memory.samples = samples;
	return samples;
}
