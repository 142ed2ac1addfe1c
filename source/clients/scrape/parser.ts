/**
 * Parser for the Prometheus text exposition format (0.0.4) and the OpenMetrics text that
 * exporters such as jmx_exporter 1.x may answer with instead.
 *
 * Hand-written on purpose. The npm package `parse-prometheus-text-format` (1.1.1, the only
 * maintained-looking candidate) was checked and does not fit: it throws on the first line it
 * cannot parse (one broken line loses the whole scrape), returns values as strings, silently
 * merges consecutive samples that share a label set (dropping the earlier value), groups
 * samples under families only when they are contiguous, has no type declarations, and builds
 * every token one character at a time. This parser makes one pass over the text: lines are
 * found with indexOf, tokens with charCodeAt, and strings are sliced only at token boundaries,
 * so a 500k-line scrape costs no regex work per line and no backtracking.
 *
 * Accepted: NaN, +Inf, -Inf (and the other spellings Go's ParseFloat takes); label values with
 * `\"`, `\\`, `\n` escapes, commas and `}`; optional timestamps (ms in 0.0.4, seconds in
 * OpenMetrics); the trailing comma jmx_exporter 0.x writes (`{a="x",}`); `# TYPE … untyped` and
 * `unknown`; `# HELP` with `\\`/`\n` escapes; `# UNIT` and other comments (ignored); `# EOF`;
 * OpenMetrics exemplars (ignored); blank lines and CRLF line ends; quoted UTF-8 metric and label
 * names (`{"my.metric","my.label"="v"}`). A line that cannot be parsed is reported in `errors`
 * with its number and the rest of the text is still parsed.
 */
import {linesOf, type PieceOps} from './pieces.js';
import type {ParsedExposition, ParsedFamily, ParsedSample} from './types.js';

export interface ParseOptions {
	/**
	 * OpenMetrics text (timestamps in seconds, `# EOF` required). Default: detected from a final
	 * `# EOF` line. The scrape client passes it from the Content-Type.
	 */
	readonly openMetrics?: boolean;
	/**
	 * Strip the double quotes jmx_exporter copies from quoted MBean property values
	 * (`client_id="\"connect-10.0.0.1:8083\""` → `connect-10.0.0.1:8083`), so that direct
	 * scrapes give the same labels as the Prometheus client. Default true.
	 */
	readonly unquoteLabelValues?: boolean;
	/** At most this many error lines are kept (then one summary line). Default 100. */
	readonly maxErrors?: number;
	/**
	 * Which sample names to parse. A sample line whose name it rejects is skipped after its
	 * name: no labels, value or object is built for it (its name still lands in `names`).
	 * The decision is asked once per run of lines with the same name. Default: every sample.
	 */
	readonly keep?: (name: string) => boolean;
}

type FamilyType = ParsedFamily['type'];

const familyTypes: ReadonlySet<string> = new Set<FamilyType>([
	'counter',
	'gauge',
	'untyped',
	'unknown',
	'summary',
	'histogram',
	'gaugehistogram',
	'stateset',
	'info',
]);

function isFamilyType(text: string): text is FamilyType {
	return familyTypes.has(text);
}

const TAB = 9;
const LF = 10;
const CR = 13;
const SPACE = 32;
const QUOTE = 34;
const HASH = 35;
const COMMA = 44;
const EQUALS = 61;
const BACKSLASH = 92;
const LBRACE = 123;
const PLUS = 43;
const MINUS = 45;
const ZERO = 48;
const RBRACE = 125;

/** [a-zA-Z_:] (first character of a metric name; label names exclude ':' but are checked the same way, leniently). */
export function isNameStart(code: number): boolean {
	return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 95 || code === 58;
}

/** [a-zA-Z0-9_:] */
export function isNameChar(code: number): boolean {
	return isNameStart(code) || (code >= 48 && code <= 57);
}

/** x, o, b in either case (0x10, 0o7, 0b1). */
function isRadixLetter(code: number): boolean {
	const lower = code | 0x20;
	return lower === 120 || lower === 111 || lower === 98;
}

function isBlank(code: number): boolean {
	return code === SPACE || code === TAB;
}

const emptyLabels: Readonly<Record<string, string>> = Object.freeze({});

/**
 * A sample value or timestamp as Go's strconv.ParseFloat reads it (what Prometheus uses):
 * decimal and exponent forms, `NaN`, `+Inf`, `-Inf`, `Inf`, `Infinity`, case-insensitively.
 * Undefined for anything else (empty text, hex, words).
 */
export function parseGoFloat(text: string): number | undefined {
	if (text === '') return undefined;
	const number = Number(text);
	if (Number.isNaN(number)) {
		switch (text.toLowerCase()) {
			case 'nan':
			case '+nan':
			case '-nan':
				return Number.NaN;
			case 'inf':
			case '+inf':
				return Number.POSITIVE_INFINITY;
			case '-inf':
				return Number.NEGATIVE_INFINITY;
			default:
				return undefined;
		}
	}
	// Number() also takes surrounding (Unicode) whitespace and 0x/0o/0b prefixes: ParseFloat does not.
	const first = text.charCodeAt(0);
	const last = text.charCodeAt(text.length - 1);
	if (first <= SPACE || last <= SPACE || first > 126 || last > 126) return undefined;
	const digit = first === PLUS || first === MINUS ? 1 : 0;
	if (text.charCodeAt(digit) === ZERO && isRadixLetter(text.charCodeAt(digit + 1))) return undefined;
	return number;
}

/**
 * Removes the double quotes (and ObjectName.quote escapes: `\"`, `\\`, `\*`, `\?`, `\n`) that
 * Kafka's Sanitizer puts around MBean property values with special characters, and that
 * jmx_exporter copies into label values. Values without surrounding quotes are returned as is.
 */
export function unquoteJmxValue(value: string): string {
	if (value.length < 2 || value.charCodeAt(0) !== QUOTE || value.charCodeAt(value.length - 1) !== QUOTE) return value;
	const inner = value.slice(1, -1);
	if (!inner.includes('\\')) return inner;
	let out = '';
	for (let i = 0; i < inner.length; i++) {
		const char = inner[i];
		if (char === '\\' && i + 1 < inner.length) {
			const next = inner[++i];
			out += next === 'n' ? '\n' : next;
		} else {
			out += char;
		}
	}
	return out;
}

/** A line that cannot be parsed: carries the reason and the column. */
class LineError {
	readonly reason: string;
	readonly column: number;

	constructor(reason: string, column: number) {
		this.reason = reason;
		this.column = column;
	}
}

interface MutableFamily {
	type: FamilyType | undefined;
	help: string | undefined;
}

/** A parser fed the text piece by piece, as a response body arrives; a line may span pieces. */
export interface ExpositionParser {
	/** Parses every complete line given so far; an unfinished last line waits for the next piece. */
	push(text: string): void;
	/** Parses what is left and returns the exposition. */
	end(): ParsedExposition;
}

/** The state that decides the next sample line by its name: the name of the line before, whether it was bare, whether it was kept. */
export interface LastName {
	readonly name: string;
	readonly bare: boolean;
	readonly kept: boolean;
}

/**
 * The text parser as the byte parser (byte-parser.ts) drives it: lines the byte parser read
 * itself are reported with `count`, `saw` and `add`; every other line is pushed as text.
 */
export interface ExpositionSink extends ExpositionParser {
	/** `lines` lines read elsewhere, `skipped` of them sample lines skipped unparsed. */
	count(lines: number, skipped: number): void;
	/** A sample name read elsewhere. */
	saw(name: string): void;
	/** A sample line parsed elsewhere. */
	add(sample: ParsedSample): void;
	/**
	 * A `# HELP name text` (text unescaped) or `# TYPE name type` line read elsewhere, counted
	 * there too. False, with nothing changed, when the line would be an error (a second HELP or
	 * TYPE, an unknown type): it must then be pushed as text, which reports it.
	 */
	meta(keyword: 'HELP' | 'TYPE', name: string, text: string): boolean;
	/** Read after a push, set before one: lines of one name are decided together. */
	last: LastName;
	/** After `# EOF` (or once parsing stopped) every line must be pushed. */
	readonly stopped: boolean;
}

export function parseExposition(text: string, options: ParseOptions = {}): ParsedExposition {
	const parser = createExpositionParser({...options, openMetrics: options.openMetrics ?? endsWithEof(text)});
	parser.push(text);
	return parser.end();
}

/**
 * Slicing a string keeps the whole text it was cut from alive while the slice lives (V8's
 * sliced strings). Names and label values outlive the body (in the samples, then in the
 * snapshot), so each is copied once into a string of its own: a concatenation, flattened by
 * the slice, leaves a string that refers to nothing else. Short strings are copies already.
 */
function detached(slice: string): string {
	return slice.length < 13 ? slice : (' ' + slice).slice(1);
}


/**
 * The text format (incremental). `openMetrics` is not detected here: without it, timestamps
 * are read as milliseconds.
 */
export function createExpositionParser(options: ParseOptions = {}): ExpositionSink {
	const openMetrics = options.openMetrics ?? false;
	const unquote = options.unquoteLabelValues ?? true;
	const maxErrors = options.maxErrors ?? 100;
	const timestampFactor = openMetrics ? 1000 : 1;

	const samples: ParsedSample[] = [];
	const metadata = new Map<string, MutableFamily>();
	const errors: string[] = [];
	let droppedErrors = 0;

	// The piece being parsed; lines are found in it with indexOf and read with charCodeAt.
	let text = '';
	// Every name and label value, once per parse (each detached from the body).
	const strings = new Map<string, string>();
	const own = (slice: string): string => {
		let kept = strings.get(slice);
		if (kept === undefined) {
			kept = detached(slice);
			strings.set(kept, kept);
		}
		return kept;
	};

	const report = (lineNumber: number, lineStart: number, lineEnd: number, reason: string): void => {
		if (errors.length >= maxErrors) {
			droppedErrors++;
			return;
		}
		errors.push(`line ${lineNumber}: ${reason}: ${excerpt(text, lineStart, lineEnd)}`);
	};

	// Cursor state of the line being parsed (closures below read and move it).
	let pos = 0;
	let end = 0;

	function code(): number {
		return pos < end ? text.charCodeAt(pos) : -1;
	}
	function skipBlanks(): void {
		while (pos < end && isBlank(text.charCodeAt(pos))) pos++;
	}
	function fail(reason: string): never {
		throw new LineError(reason, pos);
	}

	/** Where the bare name at `from` ends ([a-zA-Z_:][a-zA-Z0-9_:]*); `from` when there is none. */
	const bareNameEnd = (from: number): number => {
		let to = from;
		if (to < end && isNameStart(text.charCodeAt(to))) {
			to++;
			while (to < end && isNameChar(text.charCodeAt(to))) to++;
		}
		return to;
	};

	/** Whether the bare name `name` is at the cursor, as a whole name. */
	const nameAtCursor = (name: string): boolean => {
		const after = pos + name.length;
		return name !== '' && after <= end && text.startsWith(name, pos) && (after === end || !isNameChar(text.charCodeAt(after)));
	};

	/** A bare name at the cursor, possibly empty. */
	const readBareName = (): string => {
		const start = pos;
		pos = bareNameEnd(pos);
		return pos === start ? '' : own(text.slice(start, pos));
	};

	/** Whether the last quoted string read had a backslash in it. */
	let quotedEscaped = false;
	/** A double-quoted string at the cursor (cursor on the opening quote), unescaped. */
	const readQuoted = (): string => {
		pos++; // opening quote
		const start = pos;
		let escaped = false;
		while (pos < end) {
			const c = text.charCodeAt(pos);
			if (c === QUOTE) break;
			if (c === BACKSLASH) {
				escaped = true;
				pos++;
			}
			pos++;
		}
		if (pos >= end) fail('unterminated quoted string');
		const raw = text.slice(start, pos);
		pos++; // closing quote
		quotedEscaped = escaped;
		return escaped ? unescapeText(raw, '\\"') : raw;
	};

	/** A token up to the next blank or the end of the line. */
	const readToken = (): string => {
		const start = pos;
		while (pos < end && !isBlank(text.charCodeAt(pos))) pos++;
		return text.slice(start, pos);
	};

	/** The sample value at the cursor (a token up to the next blank). */
	const readValue = (): number => {
		const start = pos;
		while (pos < end && !isBlank(text.charCodeAt(pos))) pos++;
		if (pos === start) fail('missing value');
		const valueText = text.slice(start, pos);
		const value = parseGoFloat(valueText);
		if (value === undefined) return fail(`invalid value "${clip(valueText)}"`);
		return value;
	};

	/** Whether `"value"` is at the cursor (an opening quote), as the whole quoted string. */
	const quotedAtCursor = (value: string): boolean => {
		const close = pos + 1 + value.length;
		return close < end && text.charCodeAt(close) === QUOTE && text.startsWith(value, pos + 1);
	};

	// The label names and (escape-free) values of the sample line before, by position: lines
	// of one family repeat most of them, which are then compared in place instead of sliced.
	const recentLabels: Array<string | undefined> = [];
	const recentValues: Array<string | undefined> = [];

	const parseSample = (): ParsedSample => {
		let name: string;
		if (nameKnown || (lastBare && nameAtCursor(lastName))) {
			// Lines of one family come together: the name of the line before, compared in place.
			name = lastName;
			pos += lastName.length;
		} else {
			name = readBareName();
		}
		let labels = emptyLabels;
		if (name === '' && code() !== LBRACE) fail('expected a metric name');
		skipBlanks();
		if (code() === LBRACE) {
			pos++;
			const collected: Record<string, string> = {};
			let count = 0;
			for (;;) {
				skipBlanks();
				const c = code();
				if (c === RBRACE) {
					pos++;
					break;
				}
				let labelName: string;
				if (c === QUOTE) {
					const quoted = readQuoted();
					skipBlanks();
					if (code() !== EQUALS) {
						// OpenMetrics 2 / Prometheus 3 quoted metric name inside the braces.
						if (name !== '') fail('metric name given twice');
						name = own(quoted);
						skipBlanks();
						const after = code();
						if (after === COMMA) pos++;
						else if (after !== RBRACE) fail('expected "," or "}" after the metric name');
						continue;
					}
					labelName = own(quoted);
				} else {
					const recent = recentLabels[count];
					if (recent !== undefined && nameAtCursor(recent)) {
						labelName = recent;
						pos += recent.length;
					} else {
						labelName = readBareName();
						if (labelName === '') fail(c === -1 ? 'unterminated label set' : 'expected a label name');
						recentLabels[count] = labelName;
					}
					skipBlanks();
				}
				if (code() !== EQUALS) fail(`expected "=" after label ${clip(labelName, 100)}`);
				pos++;
				skipBlanks();
				if (code() !== QUOTE) fail(`expected a quoted value for label ${clip(labelName, 100)}`);
				let value: string;
				const recent = recentValues[count];
				if (recent !== undefined && quotedAtCursor(recent)) {
					// No backslash in it: the text is the value (no escapes, no quotes to strip).
					value = recent;
					pos += recent.length + 2;
				} else {
					const raw = readQuoted();
					value = own(unquote ? unquoteJmxValue(raw) : raw);
					recentValues[count] = quotedEscaped ? undefined : value;
				}
				if (Object.hasOwn(collected, labelName)) fail(`duplicate label ${clip(labelName, 100)}`);
				if (labelName === '__proto__') {
					Object.defineProperty(collected, labelName, {value, enumerable: true, writable: true, configurable: true});
				} else {
					collected[labelName] = value;
				}
				count++;
				skipBlanks();
				const separator = code();
				if (separator === COMMA) pos++;
				else if (separator !== RBRACE) fail(separator === -1 ? 'unterminated label set' : 'expected "," or "}" between labels');
			}
			if (name === '') fail('expected a metric name');
			if (count > 0) labels = collected;
			skipBlanks();
		} else if (pos < end && !isBlank(text.charCodeAt(pos - 1))) {
			fail('invalid character in metric name');
		}
		const value = readValue();
		skipBlanks();
		let timestamp: number | undefined;
		if (pos < end && code() !== HASH) {
			const timestampText = readToken();
			const parsed = parseGoFloat(timestampText);
			if (parsed === undefined || !Number.isFinite(parsed)) return fail(`invalid timestamp "${clip(timestampText)}"`);
			timestamp = parsed * timestampFactor;
			skipBlanks();
		}
		// Anything left must be an OpenMetrics exemplar (`# {trace_id="…"} 1.0`), which kctop ignores.
		if (pos < end && code() !== HASH) fail('unexpected text after the value');
		return timestamp === undefined ? {name, labels, value} : {name, labels, value, timestamp};
	};

	const familyOf = (name: string): MutableFamily => {
		let family = metadata.get(name);
		if (family === undefined) {
			family = {type: undefined, help: undefined};
			metadata.set(name, family);
		}
		return family;
	};

	/** `# …` lines. Returns true at `# EOF`. */
	const parseComment = (): boolean => {
		pos++; // '#'
		skipBlanks();
		const keyword = readToken();
		if (keyword !== 'HELP' && keyword !== 'TYPE') {
			// `# EOF` ends an OpenMetrics exposition; `# UNIT` and free comments are ignored.
			skipBlanks();
			return keyword === 'EOF' && pos >= end;
		}
		skipBlanks();
		const name = own(code() === QUOTE ? readQuoted() : readToken());
		if (name === '') fail(`# ${keyword} without a metric name`);
		if (keyword === 'HELP') {
			// One separating blank; the rest of the line is the text.
			if (pos < end && isBlank(text.charCodeAt(pos))) pos++;
			const family = familyOf(name);
			if (family.help !== undefined) fail(`second # HELP for ${clip(name, 100)}`);
			family.help = detached(unescapeText(text.slice(pos, end), '\\'));
			return false;
		}
		skipBlanks();
		const typeText = readToken().toLowerCase();
		skipBlanks();
		if (pos < end) fail('unexpected text after the type');
		if (!isFamilyType(typeText)) return fail(`unknown metric type "${clip(typeText)}"`);
		const family = familyOf(name);
		if (family.type !== undefined) fail(`second # TYPE for ${clip(name, 100)}`);
		family.type = typeText;
		return false;
	};

	const names = new Set<string>();
	const keep = options.keep;
	// The name of the previous sample line and whether it was kept: lines of one family come
	// together, so most lines are decided by comparing in place, without slicing a string.
	let lastName = '';
	let lastBare = false;
	let lastKept = true;
	let skipped = 0;
	/** Decides a sample line at the cursor by its bare name; false: skip the line. */
	// Set by wanted(): the sample line at the cursor starts with lastName.
	let nameKnown = false;
	const wanted = (): boolean => {
		if (keep === undefined) return true;
		if (lastBare && nameAtCursor(lastName)) {
			nameKnown = true;
			return lastKept;
		}
		const nameEnd = bareNameEnd(pos);
		// A quoted name inside the braces, or no name: parsed in full (and judged as a sample).
		if (nameEnd === pos) return true;
		lastName = own(text.slice(pos, nameEnd));
		lastBare = true;
		nameKnown = true;
		lastKept = keep(lastName);
		names.add(lastName);
		return lastKept;
	};

	let lineNumber = 0;
	let sawEof = false;
	let done = false;
	/** Parses the lines of `text` from `lineStart` to `limit` (the last one may lack its newline). */
	const parseLines = (from: number, limit: number): void => {
		let lineStart = from;
		while (lineStart < limit) {
			lineNumber++;
			const newline = text.indexOf('\n', lineStart);
			const lineEnd = newline === -1 ? text.length : newline;
			pos = lineStart;
			nameKnown = false;
			end = lineEnd > lineStart && text.charCodeAt(lineEnd - 1) === CR ? lineEnd - 1 : lineEnd;
			skipBlanks();
			if (pos < end) {
				if (sawEof) {
					report(lineNumber, lineStart, end, 'content after # EOF ignored');
					done = true;
					return;
				}
				try {
					if (text.charCodeAt(pos) === HASH) {
						if (parseComment()) sawEof = true;
					} else if (wanted()) {
						const sample = parseSample();
						if (sample.name !== lastName) {
							lastName = sample.name;
							lastBare = isBareName(lastName);
							lastKept = true;
							names.add(sample.name);
						}
						samples.push(sample);
					} else {
						skipped++;
						lineStart = skipRun(lineEnd + 1);
						continue;
					}
				} catch (error) {
					if (!(error instanceof LineError)) throw error;
					report(lineNumber, lineStart, end, `${error.reason} (column ${error.column - lineStart + 1})`);
				}
			}
			lineStart = lineEnd + 1;
		}
	};

	/**
	 * After a skipped line, skips the lines right after it that start with the same (bare)
	 * name, in one regular-expression match per run of up to 1024 lines instead of a look at
	 * each line; returns where the first other line starts. Only their newlines are counted.
	 */
	const skipRun = (from: number): number => {
		if (!lastBare || sawEof) return from;
		const pattern = runPattern(lastName);
		let stop = from;
		for (;;) {
			pattern.lastIndex = stop;
			if (!pattern.test(text)) break;
			stop = pattern.lastIndex;
		}
		for (let at = from; at < stop; at = text.indexOf('\n', at) + 1) {
			lineNumber++;
			skipped++;
		}
		return stop;
	};

	// Whole lines are read in the piece they arrive in; `text` is that piece while they are.
	const lines = linesOf<string>(textPieces, (block, from, limit) => {
		if (done) return;
		text = block;
		parseLines(from, limit);
		text = '';
	});
	return {
		count(lines, skippedLines) {
			lineNumber += lines;
			skipped += skippedLines;
		},
		saw(name) {
			names.add(name);
		},
		add(sample) {
			lineNumber++;
			samples.push(sample);
		},
		meta(keyword, name, value) {
			const known = metadata.get(name);
			if (keyword === 'HELP') {
				if (known?.help !== undefined) return false;
				familyOf(name).help = value;
			} else {
				if (known?.type !== undefined || !isFamilyType(value)) return false;
				familyOf(name).type = value;
			}
			return true;
		},
		get last(): LastName {
			return {name: lastName, bare: lastBare, kept: lastKept};
		},
		set last(state: LastName) {
			lastName = state.name;
			lastBare = state.bare;
			lastKept = state.kept;
		},
		get stopped() {
			return sawEof || done;
		},
		push(piece) {
			if (done || piece === '') return;
			lines.push(piece);
		},
		end() {
			const rest = lines.rest();
			if (!done && rest !== undefined) {
				text = rest;
				parseLines(0, text.length);
				text = '';
			}
			done = true;
			if (droppedErrors > 0) errors.push(`… and ${droppedErrors} more unparseable lines`);
			droppedErrors = 0;
			const families = new Map<string, ParsedFamily>();
			for (const [name, family] of metadata) {
				families.set(name, {name, type: family.type ?? (openMetrics ? 'unknown' : 'untyped'), help: family.help});
			}
			return {samples, families, errors, names, skipped};
		},
	};
}

const textPieces: PieceOps<string> = {
	newline: (piece, last) => (last ? piece.lastIndexOf('\n') : piece.indexOf('\n')),
	cut: (piece, from, to) => piece.slice(from, to),
	join: parts => parts.join(''),
	size: piece => piece.length,
};

const runPatterns = new Map<string, RegExp>();

/** Up to 1024 whole lines, each starting with the bare name `name` followed by `{` or a blank. */
export function runPattern(name: string): RegExp {
	let pattern = runPatterns.get(name);
	if (pattern === undefined) {
		// A bare name has no character special to a regular expression.
		pattern = new RegExp(`(?:${name}[{ \\t][^\\n]*\\n){1,1024}`, 'y');
		if (runPatterns.size >= 4096) runPatterns.clear();
		runPatterns.set(name, pattern);
	}
	return pattern;
}

/** Whether the whole of `text` is a bare metric name. */
function isBareName(text: string): boolean {
	if (text === '' || !isNameStart(text.charCodeAt(0))) return false;
	for (let i = 1; i < text.length; i++) if (!isNameChar(text.charCodeAt(i))) return false;
	return true;
}

/** Cheap check for a final `# EOF` line (OpenMetrics), ignoring trailing blank lines. */
function endsWithEof(text: string): boolean {
	let last = text.length;
	while (last > 0) {
		const c = text.charCodeAt(last - 1);
		if (c !== LF && c !== CR && c !== SPACE && c !== TAB) break;
		last--;
	}
	return last >= 5 && text.startsWith('# EOF', last - 5) && (last === 5 || text.charCodeAt(last - 6) === LF);
}

/**
 * Undoes backslash escapes: `\n` and each character in `escapable` lose their backslash;
 * any other escaped character keeps it. Label values escape `\\` and `"`; HELP text only `\\`.
 */
function unescapeText(raw: string, escapable: string): string {
	if (!raw.includes('\\')) return raw;
	let out = '';
	let from = 0;
	for (let i = raw.indexOf('\\'); i !== -1 && i + 1 < raw.length; i = raw.indexOf('\\', from)) {
		out += raw.slice(from, i);
		const next = raw[i + 1] ?? '';
		if (next === 'n') out += '\n';
		else if (escapable.includes(next)) out += next;
		else out += `\\${next}`;
		from = i + 2;
	}
	return out + raw.slice(from);
}

/** A token quoted in an error reason: control characters removed (a stray CR or escape code must not reach a terminal), at most `max` characters. */
function clip(text: string, max = 40): string {
	// eslint-disable-next-line no-control-regex
	const clean = text.replace(/[\u0000-\u001F\u007F-\u009F]/g, '');
	return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

/** The line for an error message: control characters removed, at most 120 characters. */
function excerpt(text: string, start: number, end: number): string {
	const line = text.slice(start, Math.min(end, start + 121));
	// eslint-disable-next-line no-control-regex
	const clean = line.replace(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g, '').replace(/\s+/g, ' ').trim();
	return end - start > 120 ? `${clean.slice(0, 119)}…` : clean;
}
