/**
 * The exposition parser over the raw bytes of a response body, as they arrive: what a
 * direct scrape at 10,000 connectors needs (about 50 MB and 500,000 lines per worker, of
 * which a profile reads one line in five).
 *
 * - Lines are found with `indexOf(0x0a)` in the bytes; nothing is decoded to text before
 *   its line is known to be wanted.
 * - A sample line is decided by its metric name, compared byte by byte with the name of the
 *   line before (lines of one family come together): a skipped line costs that comparison
 *   and nothing else, no string, no object.
 * - A kept line of the common shape (`name{label="value",…} value`, no escapes, no
 *   timestamp, no stray blanks, ASCII or UTF-8 values) is parsed from the bytes: label names
 *   and values equal to those of the line before are reused, others decoded once and
 *   shared within the body.
 * - Every other line (comments, escapes, timestamps, CRLF quirks, errors, anything after
 *   `# EOF`) is decoded and handed to the text parser (parser.ts), which stays the
 *   reference: the result is the one `parseExposition` gives for the decoded text, held so
 *   by property tests over real and mutated payloads (test/clients/scrape-bytes.test.ts).
 */
import {createExpositionParser, isNameChar, isNameStart, parseGoFloat, runPattern, type ExpositionSink, type ParseOptions} from './parser.js';
import {linesOf, type PieceOps} from './pieces.js';
import type {ParsedExposition, ParsedSample} from './types.js';

/**
 * What one endpoint's last body gave, handed from one scrape to the next: an exporter writes
 * the same series in the same order body after body.
 *
 * - Its label sets, by a hash of their bytes: a set found there is neither parsed nor decoded
 *   again, and its labels object is the one the last refresh had (the evaluator then takes
 *   over what it worked out for it).
 * - The label set and the sample of each line parsed from the bytes, in order: a line is
 *   first compared with the line at its place in the last body (no hash, no lookup), and a
 *   sample equal to that line's (same name, same labels object, same value) is that sample.
 *
 * Sets no body used lately are dropped when they outnumber the ones in use.
 */
export interface ScrapeMemory {
	/** @internal Every label set remembered, by hash. */
	readonly sets: Map<number, LabelSet[]>;
	/** @internal How many sets `sets` holds. */
	size: number;
	/** @internal The number of the last body read. */
	generation: number;
	/** @internal The label set (undefined: none) and the sample of each line the last body parsed from the bytes. */
	entries: readonly (LabelSet | undefined)[];
	samples: readonly ParsedSample[];
}

export function createScrapeMemory(): ScrapeMemory {
	return {sets: new Map(), size: 0, generation: 0, entries: [], samples: []};
}

export interface ByteParseOptions extends ParseOptions {
	/** What the endpoint's last body gave (and is updated with this one's). Default: a memory of this body only. */
	readonly memory?: ScrapeMemory;
}

/** How far (in lines) a line is looked for around its expected place in the last body, after a line inserted or removed. */
const realign = 8;

/** A parser fed the body's bytes piece by piece; a line may span pieces. */
export interface ByteExpositionParser {
	push(chunk: Uint8Array): void;
	end(): ParsedExposition;
}

const TAB = 9;
const LF = 10;
const CR = 13;
const SPACE = 32;
const QUOTE = 34;
const HASH = 35;
const PLUS = 43;
const COMMA = 44;
const MINUS = 45;
const DOT = 46;
const ZERO = 48;
const NINE = 57;
const EQUALS = 61;
const BACKSLASH = 92;
const LBRACE = 123;
const RBRACE = 125;

const noLabels: Readonly<Record<string, string>> = Object.freeze({});

/** Powers of ten a double holds exactly: with a mantissa below 2^53, one multiplication or division rounds correctly. */
const exactPowers = Array.from({length: 23}, (_, exponent) => 10 ** exponent);

function asBuffer(chunk: Uint8Array): Buffer {
	return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/** Whether the bytes [from, from + text.length) are the ASCII string `text`. */
function bytesEqual(buf: Buffer, from: number, text: string): boolean {
	// Names of one family share long prefixes: compare from the end.
	for (let i = text.length - 1; i >= 0; i--) if (buf[from + i] !== text.charCodeAt(i)) return false;
	return true;
}

/**
 * The plain decimal at [start, stop) (`-12.5`, `1.8467645E7`) without making a string of it,
 * when at most 15 significant digits and a power of ten up to 22 give it exactly; undefined
 * for everything else (NaN, Inf, long mantissas, garbage), which Go's rules decide
 * (parseGoFloat, what the text parser reads every value with).
 */
function plainDecimal(buf: Buffer, start: number, stop: number): number | undefined {
	let i = start;
	let c = buf[i] ?? -1;
	const negative = c === MINUS;
	if (negative || c === PLUS) c = buf[++i] ?? -1;
	let mantissa = 0;
	let digits = 0;
	let significant = 0;
	let exponent = 0;
	while (c >= ZERO && c <= NINE && i < stop) {
		mantissa = mantissa * 10 + (c - ZERO);
		if (mantissa !== 0) significant++;
		digits++;
		c = buf[++i] ?? -1;
	}
	if (c === DOT && i < stop) {
		c = buf[++i] ?? -1;
		while (c >= ZERO && c <= NINE && i < stop) {
			mantissa = mantissa * 10 + (c - ZERO);
			if (mantissa !== 0) significant++;
			digits++;
			exponent--;
			c = buf[++i] ?? -1;
		}
	}
	if (digits === 0 || significant > 15) return undefined;
	if ((c | 0x20) === 101 && i < stop) {
		// e / E
		c = buf[++i] ?? -1;
		const negativeExponent = c === MINUS;
		if (negativeExponent || c === PLUS) c = buf[++i] ?? -1;
		let written = 0;
		let count = 0;
		while (c >= ZERO && c <= NINE && count < 4 && i < stop) {
			written = written * 10 + (c - ZERO);
			count++;
			c = buf[++i] ?? -1;
		}
		if (count === 0 || count === 4) return undefined;
		exponent += negativeExponent ? -written : written;
	}
	if (i !== stop) return undefined;
	let value: number;
	if (mantissa === 0) value = 0;
	else if (exponent >= 0 && exponent <= 22) value = mantissa * (exactPowers[exponent] ?? Number.NaN);
	else if (exponent < 0 && exponent >= -22) value = mantissa / (exactPowers[-exponent] ?? Number.NaN);
	else return undefined;
	return negative ? -value : value;
}

/** A label set as written (the bytes from `{` to `}`, one char per byte) and its labels. */
export interface LabelSet {
	readonly text: string;
	readonly labels: Readonly<Record<string, string>>;
	/** The last body (ScrapeMemory.generation) that had it. */
	seen: number;
}

const utf8Bom = [0xef, 0xbb, 0xbf];

const bytePieces: PieceOps<Buffer> = {
	newline: (piece, last) => (last ? piece.lastIndexOf(LF) : piece.indexOf(LF)),
	// A copy: the piece itself need not outlive the call.
	cut: (piece, from, to) => Buffer.from(piece.subarray(from, to)),
	join: parts => Buffer.concat(parts),
	size: piece => piece.length,
};

// FNV-1a over bytes (or UTF-16 code units), cut to a small integer (a Map key V8 hashes fast).
const fnvBasis = 0x811c9dc5;
const fnvPrime = 0x01000193;
const smallHash = 0x3fffffff;

/** The hash `ownBytes` gives an ASCII string's bytes (a decoded non-ASCII string hashes by its code units: never equal bytes). */
function hashOf(text: string): number {
	let hash = fnvBasis;
	for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), fnvPrime);
	return hash & smallHash;
}

export function createByteExpositionParser(options: ByteParseOptions = {}): ByteExpositionParser {
	const {memory = createScrapeMemory(), ...parseOptions} = options;
	const generation = ++memory.generation;
	// The lines of the last body parsed from the bytes, and this body's; `shift`: how far this body's places are from the last one's.
	const lastEntries = memory.entries;
	const lastSamples = memory.samples;
	const entries: (LabelSet | undefined)[] = [];
	const samples: ParsedSample[] = [];
	let shift = 0;
	// Sets this body used.
	let used = 0;
	const given = options.keep;
	// Asked once per name (the text parser may ask again for lines it is handed).
	const decisions = new Map<string, boolean>();
	const keep =
		given === undefined
			? undefined
			: (name: string): boolean => {
					let kept = decisions.get(name);
					if (kept === undefined) {
						kept = given(name);
						decisions.set(name, kept);
					}
					return kept;
				};
	const sink: ExpositionSink = createExpositionParser({...parseOptions, ...(keep === undefined ? {} : {keep})});
	// Lines the text parser is handed are decoded here; a byte-order mark is dropped only at the start of the body.
	const decoder = new TextDecoder('utf-8', {ignoreBOM: true});

	// Every label name and value, once per body: found by a hash of its bytes, so a value seen before is never decoded again.
	const strings = new Map<number, string[]>();
	const own = (text: string): string => {
		const hash = hashOf(text);
		const bucket = strings.get(hash);
		const found = bucket?.find(other => other === text);
		if (found !== undefined) return found;
		if (bucket === undefined) strings.set(hash, [text]);
		else bucket.push(text);
		return text;
	};
	const ownBytes = (buf: Buffer, start: number, end: number): string => {
		let hash = fnvBasis;
		for (let i = start; i < end; i++) hash = Math.imul(hash ^ (buf[i] ?? 0), fnvPrime);
		hash &= smallHash;
		const bucket = strings.get(hash);
		if (bucket !== undefined) {
			for (const other of bucket) if (other.length === end - start && bytesEqual(buf, start, other)) return other;
		}
		const text = buf.toString('latin1', start, end);
		if (bucket === undefined) strings.set(hash, [text]);
		else bucket.push(text);
		return text;
	};

	// The name of the sample line before and whether it was kept (see ExpositionSink.last).
	let lastName = '';
	let lastBare = false;
	let lastKept = true;
	// Lines read here since the text parser last heard of them.
	let lines = 0;
	let skipped = 0;
	const flush = (): void => {
		if (lines === 0) return;
		sink.count(lines, skipped);
		lines = 0;
		skipped = 0;
	};

	/** Hands the text parser the lines [start, stop) (stop just past a newline, or the end of the body). */
	const handOver = (buf: Buffer, start: number, stop: number): void => {
		flush();
		sink.last = {name: lastName, bare: lastBare, kept: lastKept};
		sink.push(decoder.decode(buf.subarray(start, stop), {stream: false}));
		({name: lastName, bare: lastBare, kept: lastKept} = sink.last);
	};

	// Label names and values of the line before, by position: lines of one family repeat most of them.
	const recentLabels: string[] = [];
	const recentValues: string[] = [];

	/**
	 * Every label set parsed from the bytes (memory.sets), by the bytes of its braces:
	 * families of one connector or task repeat the same set line after line
	 * (`{connector="x",task="0"}` in the status, errors, failures, dead-letter and
	 * running-ratio families), and bodies repeat them refresh after refresh, so a set seen
	 * before is found by a hash of its text and its labels object is shared, neither parsed nor
	 * decoded again. Label objects are never changed once parsed.
	 */
	const {sets} = memory;

	/** The set at [from, from + length), found by its hash or parsed and remembered; undefined when not in the common shape. */
	const labelSetAt = (buf: Buffer, from: number, length: number): LabelSet | undefined => {
		let hash = fnvBasis;
		for (let i = from; i < from + length; i++) hash = Math.imul(hash ^ (buf[i] ?? 0), fnvPrime);
		hash &= smallHash;
		const bucket = sets.get(hash);
		if (bucket !== undefined) {
			for (const entry of bucket) if (entry.text.length === length && bytesEqual(buf, from, entry.text)) return entry;
		}
		const parsed = parseLabels(buf, from, from + length);
		if (parsed === undefined) return undefined;
		const entry: LabelSet = {text: buf.toString('latin1', from, from + length), labels: parsed, seen: 0};
		if (bucket === undefined) sets.set(hash, [entry]);
		else bucket.push(entry);
		memory.size++;
		return entry;
	};

	/**
	 * The labels in the braces at `from` (on the `{`) up to `stop`; undefined when they are not
	 * in the common shape or do not end right at `stop`.
	 */
	const parseLabels = (buf: Buffer, from: number, stop: number): Readonly<Record<string, string>> | undefined => {
		let pos = from + 1;
		let collected: Record<string, string> | undefined;
		let count = 0;
		for (;;) {
			let c = buf[pos] ?? -1;
			if (c === RBRACE) {
				pos++;
				break;
			}
			// Label name: bare.
			const labelStart = pos;
			if (!isNameStart(c)) return undefined;
			while (pos < stop && isNameChar(buf[pos] ?? -1)) pos++;
			if (buf[pos] !== EQUALS || buf[pos + 1] !== QUOTE) return undefined;
			const labelLength = pos - labelStart;
			const recentLabel = recentLabels[count];
			let labelName: string;
			if (recentLabel !== undefined && recentLabel.length === labelLength && bytesEqual(buf, labelStart, recentLabel)) {
				labelName = recentLabel;
			} else {
				labelName = ownBytes(buf, labelStart, pos);
				recentLabels[count] = labelName;
			}
			pos += 2;
			// Value: up to the closing quote, without escapes.
			const valueStart = pos;
			let ascii = true;
			for (;;) {
				if (pos >= stop) return undefined;
				c = buf[pos] ?? -1;
				if (c === QUOTE) break;
				if (c === BACKSLASH) return undefined;
				if (c > 0x7f) ascii = false;
				pos++;
			}
			const valueLength = pos - valueStart;
			const recentValue = recentValues[count];
			let value: string;
			if (ascii && recentValue !== undefined && recentValue.length === valueLength && bytesEqual(buf, valueStart, recentValue)) {
				value = recentValue;
			} else {
				value = ascii ? ownBytes(buf, valueStart, pos) : own(decoder.decode(buf.subarray(valueStart, pos)));
				recentValues[count] = value;
			}
			pos++; // closing quote
			collected ??= {};
			// Label names are shared strings: a duplicate is one of this line's names before it.
			if (labelName === '__proto__') return undefined;
			for (let i = 0; i < count; i++) if (recentLabels[i] === labelName) return undefined;
			collected[labelName] = value;
			count++;
			c = buf[pos] ?? -1;
			if (c === COMMA) {
				pos++;
			} else if (c !== RBRACE) {
				return undefined;
			}
		}
		return pos === stop ? (collected ?? noLabels) : undefined;
	};

	/** A sample line [start, end) whose bare name `name` ends at `nameEnd`, in the common shape; undefined: the text parser must read it. */
	const fastSample = (buf: Buffer, name: string, nameEnd: number, end: number): ParsedSample | undefined => {
		// The value is what follows the last blank: one blank, no timestamp.
		let blank = end - 1;
		while (blank > nameEnd && buf[blank] !== SPACE && buf[blank] !== TAB) blank--;
		if ((buf[blank] !== SPACE && buf[blank] !== TAB) || blank === end - 1) return undefined;
		const before = buf[blank - 1];
		if (before === SPACE || before === TAB) return undefined;
		let entry: LabelSet | undefined;
		const place = entries.length + shift;
		if (blank > nameEnd) {
			if (buf[nameEnd] !== LBRACE || before !== RBRACE) return undefined;
			const length = blank - nameEnd;
			// The line at this place in the last body, else the hash.
			const expected = lastEntries[place];
			if (expected !== undefined && expected.text.length === length && bytesEqual(buf, nameEnd, expected.text)) {
				entry = expected;
			} else {
				entry = labelSetAt(buf, nameEnd, length);
				if (entry === undefined) return undefined;
				if (entry.seen >= generation - 1) {
					// A line inserted or removed before: found a little further on or back in the last body, this body's places follow it from here.
					for (let distance = 1; distance <= realign; distance++) {
						if (lastEntries[place + distance] === entry) {
							shift += distance;
							break;
						}
						if (lastEntries[place - distance] === entry) {
							shift -= distance;
							break;
						}
					}
				}
			}
		}
		for (let pos = blank + 1; pos < end; pos++) {
			// A value no float is written with (the text parser reports it).
			if ((buf[pos] ?? 0) > 0x7f) return undefined;
		}
		const value = plainDecimal(buf, blank + 1, end) ?? parseGoFloat(buf.toString('latin1', blank + 1, end));
		if (value === undefined) return undefined;
		if (entry !== undefined && entry.seen !== generation) {
			entry.seen = generation;
			used++;
		}
		const labels = entry?.labels ?? noLabels;
		const last = lastSamples[entries.length + shift];
		const sample = last !== undefined && last.name === name && last.labels === labels && Object.is(last.value, value) ? last : {name, labels, value};
		entries.push(entry);
		samples.push(sample);
		return sample;
	};

	/**
	 * After a skipped line, skips the lines from `from` on that start with the same name, as
	 * the text parser does: one regular-expression match per run of up to 1024 lines, over the
	 * bytes seen as a one-byte string (names are ASCII; other bytes only need to be "not a
	 * newline"), in windows that grow while the run goes on. Returns where the first other line starts.
	 */
	const skipRun = (buf: Buffer, from: number, limit: number): number => {
		const pattern = runPattern(lastName);
		let at = from;
		let window = 16_384;
		while (at < limit) {
			const to = Math.min(limit, at + window);
			const text = buf.toString('latin1', at, to);
			let stop = 0;
			for (;;) {
				pattern.lastIndex = stop;
				if (!pattern.test(text)) break;
				stop = pattern.lastIndex;
			}
			for (let i = 0; i < stop; i = text.indexOf('\n', i) + 1) {
				lines++;
				skipped++;
			}
			at += stop;
			// A whole line after the run that does not match: the run is over.
			if (to === limit || text.indexOf('\n', stop) !== -1) return at;
			window *= 2;
		}
		return at;
	};

	/**
	 * A `# HELP` or `# TYPE` line [start, end) in the plain shape (`# HELP name text` with ASCII
	 * text and no backslash; `# TYPE name type` in lower case; one blank each) given to the text
	 * parser without decoding the line. False: nothing done, the line goes to the text parser.
	 */
	const metadata = (buf: Buffer, start: number, end: number): boolean => {
		if (end - start < 8 || buf[start + 1] !== SPACE || buf[start + 6] !== SPACE) return false;
		const help = bytesEqual(buf, start + 2, 'HELP');
		if (!help && !bytesEqual(buf, start + 2, 'TYPE')) return false;
		const nameStart = start + 7;
		if (!isNameStart(buf[nameStart] ?? -1)) return false;
		let nameEnd = nameStart + 1;
		while (nameEnd < end && isNameChar(buf[nameEnd] ?? -1)) nameEnd++;
		if (nameEnd < end && buf[nameEnd] !== SPACE) return false;
		const textStart = Math.min(end, nameEnd + 1);
		for (let i = textStart; i < end; i++) {
			const c = buf[i] ?? -1;
			if (c === BACKSLASH || c > 0x7e || c < SPACE) return false;
			// A type is one lower-case word.
			if (!help && (c < 97 || c > 122)) return false;
		}
		if (!help && textStart === end) return false;
		flush();
		return sink.meta(help ? 'HELP' : 'TYPE', ownBytes(buf, nameStart, nameEnd), buf.toString('latin1', textStart, end));
	};

	/** Reads the lines [from, limit) of `buf`; limit is just past a newline, or the end of the body. */
	const scan = (buf: Buffer, from: number, limit: number): void => {
		// After `# EOF` the text parser reads (and refuses) the rest.
		if (sink.stopped) {
			if (from < limit) handOver(buf, from, limit);
			return;
		}
		let start = from;
		while (start < limit) {
			const newline = buf.indexOf(LF, start);
			const next = newline === -1 || newline >= limit ? limit : newline + 1;
			let end = newline === -1 || newline >= limit ? limit : newline;
			if (end > start && buf[end - 1] === CR) end--;
			const first = buf[start] ?? -1;
			if (end === start) {
				lines++;
				start = next;
				continue;
			}
			if (first === HASH && metadata(buf, start, end)) {
				lines++;
				start = next;
				continue;
			}
			if (!isNameStart(first)) {
				// Comments, leading blanks, quoted names, garbage.
				handOver(buf, start, next);
				start = next;
				// After `# EOF` the text parser reads (and refuses) the rest.
				if (sink.stopped) {
					handOver(buf, start, limit);
					return;
				}
				continue;
			}
			// The bare name, and the decision for it.
			let nameEnd: number;
			let name: string;
			if (lastBare && end - start >= lastName.length && bytesEqual(buf, start, lastName) && !isNameChar(buf[start + lastName.length] ?? -1)) {
				nameEnd = start + lastName.length;
				name = lastName;
				if (!lastKept) {
					lines++;
					skipped++;
					start = skipRun(buf, next, limit);
					continue;
				}
			} else {
				nameEnd = start + 1;
				while (nameEnd < end && isNameChar(buf[nameEnd] ?? -1)) nameEnd++;
				name = buf.toString('latin1', start, nameEnd);
				const kept = keep === undefined || keep(name);
				if (keep !== undefined) {
					lastName = name;
					lastBare = true;
					lastKept = kept;
					sink.saw(name);
				}
				if (!kept) {
					lines++;
					skipped++;
					start = skipRun(buf, next, limit);
					continue;
				}
			}
			const sample = fastSample(buf, name, nameEnd, end);
			if (sample === undefined) {
				handOver(buf, start, next);
			} else {
				if (keep === undefined && name !== lastName) {
					lastName = name;
					lastBare = true;
					lastKept = true;
					sink.saw(name);
				}
				flush();
				sink.add(sample);
			}
			start = next;
		}
	};

	// The start of the body, until it shows whether it begins with a byte-order mark.
	let head: Buffer | undefined = Buffer.alloc(0);
	const body = linesOf<Buffer>(bytePieces, scan);
	const feed = (buf: Buffer): void => body.push(buf);
	const startBody = (buf: Buffer): void => {
		let from = 0;
		if (buf.length >= 3 && buf[0] === utf8Bom[0] && buf[1] === utf8Bom[1] && buf[2] === utf8Bom[2]) from = 3;
		head = undefined;
		feed(buf.subarray(from));
	};

	return {
		push(chunk) {
			const buf = asBuffer(chunk);
			if (buf.length === 0) return;
			if (head === undefined) {
				feed(buf);
				return;
			}
			head = Buffer.concat([head, buf]);
			if (head.length >= utf8Bom.length) startBody(head);
		},
		end() {
			if (head !== undefined) startBody(head);
			const rest = body.rest();
			if (rest !== undefined) scan(rest, 0, rest.length);
			flush();
			sink.last = {name: lastName, bare: lastBare, kept: lastKept};
			memory.entries = entries;
			memory.samples = samples;
			// Sets no body used lately are dropped once they outnumber those this body used.
			if (memory.size > 2 * used + 1024) {
				for (const [hash, bucket] of sets) {
					const kept = bucket.filter(entry => entry.seen === generation);
					if (kept.length === 0) sets.delete(hash);
					else sets.set(hash, kept);
				}
				memory.size = used;
			}
			return sink.end();
		},
	};
}
