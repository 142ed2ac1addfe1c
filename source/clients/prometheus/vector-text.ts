import type {Sample} from '../../metrics/types.js';
import {backslash, closeArray, closeObject, comma, openArray, openObject, quote} from './json-bytes.js';

type Labels = Readonly<Record<string, string>>;

/** A row's labels as the caller reads them, and its tag (the value of a label the caller takes apart from the others: '' when the caller takes none). */
export interface RowHead {
	readonly labels: Labels;
	readonly tag: string;
}

/** What one answer left, by row: four 32-bit hashes (two of its `metric` object's bytes, two of its value's), its labels, its tag and its sample. */
interface VectorRows {
	hashes: Int32Array;
	count: number;
	labels: Labels[];
	tags: string[];
	samples: Sample[];
}

/**
 * What the reader keeps of the last answer to one query (`last`), the arrays the next answer
 * is written into (`spare`: the two are swapped when an answer has been read whole, so a
 * refresh allocates no arrays of its own), and the bytes of a row cut by the end of a piece.
 * Hashes, not text: the last answer's text (20 MB at 10,009 connectors) is not kept.
 *
 * The spare costs 8.7 MB between refreshes at 10,009 connectors (217,000 rows). Writing each
 * answer into arrays of its own instead, the last answer's let go, was measured side by side
 * there (one process each, two runs, 120 s): mean RSS 314 / 285 MB against 282 / 284 MB, and
 * 4.25 / 4.54 s of CPU against 3.39 / 4.08 s. The arrays grown row by row each refresh leave
 * garbage that takes back what the spare holds.
 */
export interface VectorMemory {
	last: VectorRows;
	spare: VectorRows;
	/** The bytes of the row being read when a piece ended, at its start (grown as needed, kept for the next answer). */
	scratch: Buffer;
	/** The last answer was refused (its layout, a native histogram, an error): the caller keeps the next one's bytes for the full parse. */
	keepBytes: boolean;
}

const emptyRows = (): VectorRows => ({hashes: new Int32Array(0), count: 0, labels: [], tags: [], samples: []});

export function emptyVectorMemory(): VectorMemory {
	return {last: emptyRows(), spare: emptyRows(), scratch: Buffer.allocUnsafeSlow(0), keepBytes: false};
}

/** What a reader gives: the samples, each one's tag by position, and the answer without its rows when more than `]}}` followed them. The lists are the caller's to keep. */
export interface VectorRead {
	readonly samples: Sample[];
	readonly tags: string[];
	/** The answer with an empty `result` (warnings, infos, other members), for the caller's full parse; undefined when the answer held only the rows. */
	readonly envelope: string | undefined;
}

/** Reads one answer piece by piece as it arrives (createVectorReader). */
export interface VectorReader {
	write(chunk: Uint8Array): void;
	/** The answer's head has been read: from here the reader alone holds what it needs of the answer. */
	readonly pastHead: boolean;
	/** The reader gave up on this answer: what arrives is ignored, and end() gives undefined. */
	readonly refused: boolean;
	/** The answer is complete: its rows, or undefined when the reader refused it (or it was cut short). */
	end(): VectorRead | undefined;
}

/** How Prometheus writes the start of a successful instant-vector answer, byte for byte. */
export const vectorHead = '{"status":"success","data":{"resultType":"vector","result":[';
const headBytes = Buffer.from(vectorHead, 'latin1');
const rowHeadBytes = Buffer.from('{"metric":{', 'latin1');
const valueHeadBytes = Buffer.from(',"value":[', 'latin1');
/** A row longer than this (a label value of a megabyte) is left to the full parse: a row cut by pieces is read again from its start with each piece. */
const maxRowBytes = 1024 * 1024;
/** More than this after the rows (warnings, infos) is left to the full parse. */
const maxTailBytes = 1024 * 1024;
/** The longest sample time read here (`1795765956.681` is 14). */
const maxTimeBytes = 32;

const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;
const MIX_SEED = 0x9747b28c | 0;
const MIX_PRIME = 0x5bd1e995;

/** What readRow gives besides a position: the row needs bytes not yet arrived, or the reader gives up. */
const NEED_MORE = -1;
const REFUSE = -2;

const PHASE_HEAD = 0;
const PHASE_ROWS = 1;
const PHASE_TAIL = 2;
const PHASE_REFUSED = 3;
const PHASE_DONE = 4;
/** The first bytes of a piece tried for the end of a row the last piece cut (then four times as many, up to the whole piece). */
const cutRowStep = 4096;

function isDigit(byte: number): boolean {
	return byte >= ZERO && byte <= NINE;
}

/** The index past the digits of `bytes` from `at` up to `end`. */
function digitsEnd(bytes: Uint8Array, at: number, end: number): number {
	let index = at;
	while (index < end && isDigit(bytes[index] ?? 0)) index++;
	return index;
}

/** Whether bytes [from, end) are a JSON number (RFC 8259: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`). */
function isJsonNumber(bytes: Uint8Array, from: number, end: number): boolean {
	let at = bytes[from] === MINUS ? from + 1 : from;
	if (bytes[at] === ZERO) at += 1;
	else {
		const next = digitsEnd(bytes, at, end);
		if (next === at) return false;
		at = next;
	}
	if (at < end && bytes[at] === DOT) {
		const next = digitsEnd(bytes, at + 1, end);
		if (next === at + 1) return false;
		at = next;
	}
	const e = at < end ? bytes[at] : undefined;
	if (e === 0x65 || e === 0x45) {
		at += 1;
		const sign = bytes[at];
		if (at < end && (sign === PLUS || sign === MINUS)) at += 1;
		const next = digitsEnd(bytes, at, end);
		if (next === at) return false;
		at = next;
	}
	return at === end;
}

/** Whether `bytes` hold `expected` at `at` (all of it arrived: the caller checked the length). */
function holds(bytes: Uint8Array, at: number, expected: Uint8Array): boolean {
	for (let index = 0; index < expected.length; index++) if (bytes[at + index] !== expected[index]) return false;
	return true;
}

/** A key for two 32-bit hashes within Number's exact integers (53 bits of the 64). */
function keyOf(h1: number, h2: number): number {
	return (h1 >>> 0) * 0x200000 + (h2 >>> 11);
}

function asBuffer(chunk: Uint8Array): Buffer {
	return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/**
 * The rows of an instant-vector answer read from its bytes as they arrive: neither the body's
 * text nor its JSON tree is ever built. At ten thousand connectors the answer is 20 MB and
 * 155,000 rows; JSON.parse built a tree of about a million objects per refresh, and the text
 * alone, decoded and then kept to compare the next answer with, was 20 MB of V8's
 * large-object space per refresh, freed only by full collections.
 *
 * Prometheus answers the same query with the same rows in the same order refresh after
 * refresh; mostly only the values move. So each row's `metric` object is hashed (two 32-bit
 * hashes of its bytes) and compared with the hashes of the row at the same place in the last
 * answer (`memory`): when equal, its labels and tag are the ones read then; when its value's
 * hashes are equal too, the sample is the one handed out then. A row not found there is
 * looked up among all of the last answer's rows by its hashes, and else its object is decoded
 * and read with JSON.parse (of that object alone) and `headOf`.
 *
 * Read here: the form Prometheus writes (`{"status":"success","data":{"resultType":"vector",
 * "result":[{"metric":{…},"value":[<time>,"<value>"]},…]` without whitespace), then anything
 * after the rows (`]}}` alone, or warnings and infos, handed back as the envelope). Anything
 * else (a native histogram row, another server's layout, a value with an escape, text that is
 * not JSON) is refused, and the caller parses the body in full, which also gives the error for
 * a malformed one. `headOf` and `valueOf` return undefined for what they refuse.
 */
export function createVectorReader(
	memory: VectorMemory,
	headOf: (json: unknown) => RowHead | undefined,
	valueOf: (text: string) => number | undefined,
): VectorReader {
	const {last} = memory;
	const next = memory.spare;
	const known = last.count;
	const lastHashes = last.hashes;
	let hashes = next.hashes;
	let phase = PHASE_HEAD;
	/** Bytes of vectorHead matched so far. */
	let headSeen = 0;
	/** Bytes of a cut row at the start of memory.scratch. */
	let pending = 0;
	let row = 0;
	let byKey: Map<number, number> | undefined;
	/** The sample time of the rows read so far (every row of an answer has the same one). */
	const time = new Uint8Array(maxTimeBytes);
	let timeLength = 0;
	const tail: Buffer[] = [];
	let tailBytes = 0;

	/** The index of the last answer's row with these hashes, or undefined. */
	const findKnown = (h1: number, h2: number): number | undefined => {
		if (known === 0) return undefined;
		if (byKey === undefined) {
			byKey = new Map();
			for (let index = known - 1; index >= 0; index--) byKey.set(keyOf(lastHashes[4 * index] ?? 0, lastHashes[4 * index + 1] ?? 0), index);
		}
		return byKey.get(keyOf(h1, h2));
	};

	/**
	 * One row from `at` (and the `,` or `]` after it) when all of it is in bytes[at, end): the
	 * index past it, NEED_MORE, or REFUSE. A row ending with `]` ends the rows.
	 */
	const readRow = (bytes: Buffer, at: number, end: number): number => {
		if (row === 0 && at < end && bytes[at] === closeArray) {
			phase = PHASE_TAIL;
			return at + 1;
		}
		if (end - at < rowHeadBytes.length) return NEED_MORE;
		if (!holds(bytes, at, rowHeadBytes)) return REFUSE;
		// The metric object, hashed as it is scanned: strings skipped (escapes included) up to the `}` that closes it.
		const objectStart = at + rowHeadBytes.length - 1;
		let h1 = Math.imul(FNV_OFFSET ^ openObject, FNV_PRIME);
		let h2 = Math.imul(MIX_SEED ^ openObject, MIX_PRIME);
		let index = objectStart + 1;
		let inString = false;
		for (;; index++) {
			if (index >= end) return NEED_MORE;
			const byte = bytes[index] ?? 0;
			h1 = Math.imul(h1 ^ byte, FNV_PRIME);
			h2 = Math.imul(h2 ^ byte, MIX_PRIME);
			h2 ^= h2 >>> 15;
			if (inString) {
				if (byte === quote) inString = false;
				else if (byte === backslash) {
					index += 1;
					if (index >= end) return NEED_MORE;
					const escaped = bytes[index] ?? 0;
					h1 = Math.imul(h1 ^ escaped, FNV_PRIME);
					h2 = Math.imul(h2 ^ escaped, MIX_PRIME);
					h2 ^= h2 >>> 15;
				}
			} else if (byte === quote) inString = true;
			else if (byte === closeObject) break;
			else if (byte === openObject || byte === openArray) return REFUSE;
		}
		const objectEnd = index + 1;
		h2 = Math.imul(h2 ^ (objectEnd - objectStart), MIX_PRIME);
		if (end - objectEnd < valueHeadBytes.length) return NEED_MORE;
		if (!holds(bytes, objectEnd, valueHeadBytes)) return REFUSE;

		// The time: compared with the one read before, checked when it differs.
		const timeStart = objectEnd + valueHeadBytes.length;
		let timeEnd = timeStart;
		while (timeEnd < end && bytes[timeEnd] !== comma) {
			if (timeEnd - timeStart >= maxTimeBytes) return REFUSE;
			timeEnd++;
		}
		if (timeEnd >= end) return NEED_MORE;
		const timeBytes = timeEnd - timeStart;
		let sameTime = timeBytes === timeLength;
		for (let k = 0; sameTime && k < timeBytes; k++) sameTime = bytes[timeStart + k] === time[k];
		if (!sameTime) {
			if (!isJsonNumber(bytes, timeStart, timeEnd)) return REFUSE;
			time.set(bytes.subarray(timeStart, timeEnd));
			timeLength = timeBytes;
		}
		if (timeEnd + 1 >= end) return NEED_MORE;
		if (bytes[timeEnd + 1] !== quote) return REFUSE;

		// The value's text, hashed: up to its closing quote (an escape is left to the full parse).
		const valueStart = timeEnd + 2;
		let v1 = FNV_OFFSET;
		let v2 = MIX_SEED;
		let close = valueStart;
		for (;; close++) {
			if (close >= end) return NEED_MORE;
			const byte = bytes[close] ?? 0;
			if (byte === quote) break;
			if (byte === backslash) return REFUSE;
			v1 = Math.imul(v1 ^ byte, FNV_PRIME);
			v2 = Math.imul(v2 ^ byte, MIX_PRIME);
			v2 ^= v2 >>> 15;
		}
		v2 = Math.imul(v2 ^ (close - valueStart), MIX_PRIME);
		// `"]}` and then `,` or `]`.
		if (end - close < 4) return NEED_MORE;
		if (bytes[close + 1] !== closeArray || bytes[close + 2] !== closeObject) return REFUSE;
		const following = bytes[close + 3];
		if (following !== comma && following !== closeArray) return REFUSE;

		// The labels: the last answer's at this place, or at another, or read.
		let labels: Labels | undefined;
		let tag = '';
		if (row < known && lastHashes[4 * row] === h1 && lastHashes[4 * row + 1] === h2) {
			labels = last.labels[row];
			tag = last.tags[row] ?? '';
		} else {
			const found = findKnown(h1, h2);
			if (found === undefined) {
				let json: unknown;
				try {
					json = JSON.parse(bytes.toString('utf8', objectStart, objectEnd));
				} catch {
					return REFUSE;
				}
				const head = headOf(json);
				labels = head?.labels;
				tag = head?.tag ?? '';
			} else {
				labels = last.labels[found];
				tag = last.tags[found] ?? '';
			}
		}
		if (labels === undefined) return REFUSE;

		// The sample: the last answer's at this place when its labels and value are the same.
		let sample: Sample | undefined;
		if (row < known && last.labels[row] === labels && lastHashes[4 * row + 2] === v1 && lastHashes[4 * row + 3] === v2) sample = last.samples[row];
		if (sample === undefined) {
			const value = valueOf(bytes.toString('latin1', valueStart, close));
			if (value === undefined) return REFUSE;
			sample = {labels, value};
		}

		if (hashes.length < 4 * (row + 1)) {
			const grown = new Int32Array(Math.max(64, 2 * hashes.length, 4 * (known + 16)));
			grown.set(hashes);
			hashes = grown;
			next.hashes = grown;
		}
		hashes[4 * row] = h1;
		hashes[4 * row + 1] = h2;
		hashes[4 * row + 2] = v1;
		hashes[4 * row + 3] = v2;
		next.labels[row] = labels;
		next.tags[row] = tag;
		next.samples[row] = sample;
		row += 1;
		if (following === closeArray) phase = PHASE_TAIL;
		return close + 4;
	};

	const refuse = (): void => {
		phase = PHASE_REFUSED;
		pending = 0;
		tail.length = 0;
	};

	/** The rows in bytes[from, end) (a piece); a row it cuts goes to memory.scratch. */
	const readRows = (bytes: Buffer, from: number, end: number): void => {
		let at = from;
		while (phase === PHASE_ROWS) {
			const after = readRow(bytes, at, end);
			if (after === REFUSE) return refuse();
			if (after === NEED_MORE) {
				const left = end - at;
				if (left > maxRowBytes) return refuse();
				if (memory.scratch.length < left) memory.scratch = Buffer.allocUnsafeSlow(Math.max(left, cutRowStep, 2 * memory.scratch.length));
				bytes.copy(memory.scratch, 0, at, end);
				pending = left;
				return;
			}
			at = after;
		}
		if (phase === PHASE_TAIL) addTail(bytes.subarray(at, end));
	};

	/**
	 * The row the last piece cut, finished with the first bytes of `bytes` from `from` (copied
	 * after it in memory.scratch, a few kB at a time: not the whole piece): the index in `bytes`
	 * past it, or -1 when the piece ends before it does (then all of it was added) or it was refused.
	 */
	const finishCutRow = (bytes: Buffer, from: number): number => {
		const available = bytes.length - from;
		let take = Math.min(available, cutRowStep);
		for (;;) {
			const total = pending + take;
			if (total > maxRowBytes) {
				refuse();
				return -1;
			}
			if (memory.scratch.length < total) {
				const grown = Buffer.allocUnsafeSlow(Math.max(total, 2 * memory.scratch.length));
				memory.scratch.copy(grown, 0, 0, pending);
				memory.scratch = grown;
			}
			bytes.copy(memory.scratch, pending, from, from + take);
			const after = readRow(memory.scratch, 0, total);
			if (after === REFUSE) {
				refuse();
				return -1;
			}
			if (after !== NEED_MORE) {
				const used = after - pending;
				pending = 0;
				return from + used;
			}
			if (take === available) {
				pending = total;
				return -1;
			}
			take = Math.min(available, 4 * take);
		}
	};

	const addTail = (bytes: Buffer): void => {
		if (bytes.length === 0) return;
		tailBytes += bytes.length;
		if (tailBytes > maxTailBytes) return refuse();
		// A copy: the piece's buffer is not held past this call.
		tail.push(Buffer.from(bytes));
	};

	return {
		get pastHead() {
			return phase !== PHASE_HEAD;
		},
		get refused() {
			return phase === PHASE_REFUSED;
		},
		write(chunk) {
			if (phase === PHASE_REFUSED || phase === PHASE_DONE) return;
			const bytes = asBuffer(chunk);
			let from = 0;
			if (phase === PHASE_HEAD) {
				while (from < bytes.length && headSeen < headBytes.length) {
					if (bytes[from] !== headBytes[headSeen]) return refuse();
					from++;
					headSeen++;
				}
				if (headSeen < headBytes.length) return;
				phase = PHASE_ROWS;
			}
			if (pending > 0) {
				from = finishCutRow(bytes, from);
				if (from < 0) return;
			}
			if (phase === PHASE_ROWS) readRows(bytes, from, bytes.length);
			else if (phase === PHASE_TAIL) addTail(bytes.subarray(from));
		},
		end() {
			if (phase !== PHASE_TAIL) {
				if (phase !== PHASE_DONE) refuse();
				return undefined;
			}
			const after = Buffer.concat(tail, tailBytes).toString('utf8');
			// Only `]}}` may follow the rows for the answer to be the rows alone; anything else goes back as the envelope.
			const envelope = after === '}}' ? undefined : `${vectorHead}]${after}`;
			next.count = row;
			next.labels.length = row;
			next.tags.length = row;
			next.samples.length = row;
			// The last answer's arrays take the next one.
			memory.last = next;
			memory.spare = last;
			memory.keepBytes = false;
			phase = PHASE_DONE;
			return {samples: next.samples.slice(), tags: next.tags.slice(), envelope};
		},
	};
}
