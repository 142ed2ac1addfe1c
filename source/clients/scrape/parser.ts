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
function isNameStart(code: number): boolean {
	return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 95 || code === 58;
}

/** [a-zA-Z0-9_:] */
function isNameChar(code: number): boolean {
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

export function parseExposition(text: string, options: ParseOptions = {}): ParsedExposition {
	const openMetrics = options.openMetrics ?? endsWithEof(text);
	const unquote = options.unquoteLabelValues ?? true;
	const maxErrors = options.maxErrors ?? 100;
	const timestampFactor = openMetrics ? 1000 : 1;

	const samples: ParsedSample[] = [];
	const metadata = new Map<string, MutableFamily>();
	const errors: string[] = [];
	let droppedErrors = 0;

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

	/** A bare name at the cursor ([a-zA-Z_:][a-zA-Z0-9_:]*), possibly empty. */
	const readBareName = (): string => {
		const start = pos;
		if (pos < end && isNameStart(text.charCodeAt(pos))) {
			pos++;
			while (pos < end && isNameChar(text.charCodeAt(pos))) pos++;
		}
		return text.slice(start, pos);
	};

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
		return escaped ? unescapeText(raw, '\\"') : raw;
	};

	/** A token up to the next blank or the end of the line. */
	const readToken = (): string => {
		const start = pos;
		while (pos < end && !isBlank(text.charCodeAt(pos))) pos++;
		return text.slice(start, pos);
	};

	const parseSample = (): ParsedSample => {
		let name = readBareName();
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
						name = quoted;
						skipBlanks();
						const after = code();
						if (after === COMMA) pos++;
						else if (after !== RBRACE) fail('expected "," or "}" after the metric name');
						continue;
					}
					labelName = quoted;
				} else {
					labelName = readBareName();
					if (labelName === '') fail(c === -1 ? 'unterminated label set' : 'expected a label name');
					skipBlanks();
				}
				if (code() !== EQUALS) fail(`expected "=" after label ${clip(labelName, 100)}`);
				pos++;
				skipBlanks();
				if (code() !== QUOTE) fail(`expected a quoted value for label ${clip(labelName, 100)}`);
				const raw = readQuoted();
				const value = unquote ? unquoteJmxValue(raw) : raw;
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
		const valueText = readToken();
		if (valueText === '') fail('missing value');
		const value = parseGoFloat(valueText);
		if (value === undefined) return fail(`invalid value "${clip(valueText)}"`);
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
		const name = code() === QUOTE ? readQuoted() : readToken();
		if (name === '') fail(`# ${keyword} without a metric name`);
		if (keyword === 'HELP') {
			// One separating blank; the rest of the line is the text.
			if (pos < end && isBlank(text.charCodeAt(pos))) pos++;
			const family = familyOf(name);
			if (family.help !== undefined) fail(`second # HELP for ${clip(name, 100)}`);
			family.help = unescapeText(text.slice(pos, end), '\\');
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
	let lastKept = true;
	let skipped = 0;
	/** Decides a sample line at the cursor by its bare name; false: skip the line. */
	const wanted = (): boolean => {
		if (keep === undefined) return true;
		let nameEnd = pos;
		if (nameEnd < end && isNameStart(text.charCodeAt(nameEnd))) {
			nameEnd++;
			while (nameEnd < end && isNameChar(text.charCodeAt(nameEnd))) nameEnd++;
		}
		// A quoted name inside the braces, or no name: parsed in full (and judged as a sample).
		if (nameEnd === pos) return true;
		if (nameEnd - pos !== lastName.length || !text.startsWith(lastName, pos)) {
			lastName = text.slice(pos, nameEnd);
			lastKept = keep(lastName);
			names.add(lastName);
		}
		return lastKept;
	};

	let lineNumber = 0;
	let lineStart = 0;
	let sawEof = false;
	while (lineStart < text.length) {
		lineNumber++;
		const newline = text.indexOf('\n', lineStart);
		const lineEnd = newline === -1 ? text.length : newline;
		pos = lineStart;
		end = lineEnd > lineStart && text.charCodeAt(lineEnd - 1) === CR ? lineEnd - 1 : lineEnd;
		skipBlanks();
		if (pos < end) {
			if (sawEof) {
				report(lineNumber, lineStart, end, 'content after # EOF ignored');
				break;
			}
			try {
				if (text.charCodeAt(pos) === HASH) {
					if (parseComment()) sawEof = true;
				} else if (wanted()) {
					const sample = parseSample();
					if (sample.name !== lastName) {
						lastName = sample.name;
						lastKept = true;
						names.add(sample.name);
					}
					samples.push(sample);
				} else {
					skipped++;
				}
			} catch (error) {
				if (!(error instanceof LineError)) throw error;
				report(lineNumber, lineStart, end, `${error.reason} (column ${error.column - lineStart + 1})`);
			}
		}
		lineStart = lineEnd + 1;
	}
	if (droppedErrors > 0) errors.push(`… and ${droppedErrors} more unparseable lines`);

	const families = new Map<string, ParsedFamily>();
	for (const [name, family] of metadata) {
		families.set(name, {name, type: family.type ?? (openMetrics ? 'unknown' : 'untyped'), help: family.help});
	}
	return {samples, families, errors, names, skipped};
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
