/**
 * Splits a Prometheus answer, as its bytes arrive, into the rows of `data.result` (each
 * handed over as its own JSON text) and the envelope around them (the answer with an empty
 * `result`). Each row is then parsed on its own, so the answer is never held whole: neither
 * the body's text nor its JSON tree.
 *
 * Why: the start-up range query at 1,009 connectors answers 8.9 MB with 348,554 pairs. One
 * JSON.parse of it built a tree of about 40 MB that lived long enough to reach V8's old
 * generation, and V8 keeps the pages such a peak needed in its page pool after the tree is
 * dead: about 30 MB of resident memory for the rest of the session. Row by row, each row's
 * objects die young.
 *
 * Only structure is read here (brackets, strings, the keys `data` and `result` at the top two
 * levels); every value is judged later by JSON.parse and the readers. An answer whose
 * `data.result` this does not find (another shape, escaped key names) passes whole into the
 * envelope, where the ordinary reading sees it.
 */

import {backslash, closeArray, closeObject, colon, comma, openArray, openObject, quote} from './json-bytes.js';

/** Longest key captured: `result` and `data` are all that is compared. */
const maxKeyLength = 8;

function isSpace(byte: number): boolean {
	return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

export class ResultSplitter {
	/** Open containers, outermost first: openObject or openArray. */
	private readonly stack: number[] = [];
	/** The last key seen in the root object and in `data` (levels 1 and 2). */
	private readonly keys: [string, string] = ['', ''];
	private expectKey = false;
	private inString = false;
	private escaped = false;
	/** Bytes of a key being read at level 1 or 2 (undefined when the string is not such a key). */
	private keyBytes: number[] | undefined;
	/** Depth of the stack inside `data.result`; 0 before it is found, -1 once it is closed. */
	private resultDepth = 0;
	/** Pieces of a row that began in an earlier chunk. */
	private rowPieces: Uint8Array[] = [];
	private inRow = false;
	/** Brackets open in the container row being read (the row's own included). */
	private rowDepth = 0;
	/** Inside a row that is a number, a literal or a string (not valid as a row; its reader says so). */
	private inScalar = false;
	/** Between rows: a row was read and no comma has followed it yet. */
	private afterRow = false;
	private rows = 0;
	private readonly envelope: Uint8Array[] = [];
	private readonly decoder = new TextDecoder('utf-8', {ignoreBOM: true});
	/** Set when the bytes between rows are not valid JSON (a missing or extra comma). */
	invalid: string | undefined;

	/** `onRow(text, index)` gets each row of `data.result` as soon as its last byte is in. */
	constructor(private readonly onRow: (text: string, index: number) => void) {}

	write(chunk: Uint8Array): void {
		const stack = this.stack;
		// Where the part of this chunk that belongs to the envelope, or to the row being read, began; -1 when none.
		let envelopeFrom = this.resultDepth > 0 ? -1 : 0;
		let rowFrom = this.inRow ? 0 : -1;
		for (let i = 0; i < chunk.length; i++) {
			if (this.inRow && !this.inScalar) {
				// Inside a container row (nearly all of an answer's bytes): only its end is looked for.
				i = this.skipRow(chunk, i);
				if (i === chunk.length) break;
				this.emitRow(chunk, rowFrom, i + 1);
				rowFrom = -1;
				continue;
			}
			const byte = chunk[i] ?? 0;
			if (this.inString) {
				if (this.escaped) this.escaped = false;
				else if (byte === backslash) {
					this.escaped = true;
					this.keyBytes = undefined;
				} else if (byte === quote) {
					this.inString = false;
					if (this.keyBytes !== undefined) {
						this.keys[stack.length - 1] = String.fromCharCode(...this.keyBytes);
						this.keyBytes = undefined;
					}
					// A row that is a string ends with its closing quote.
					if (this.inRow && stack.length === this.resultDepth) {
						this.emitRow(chunk, rowFrom, i + 1);
						rowFrom = -1;
					}
				} else if (this.keyBytes !== undefined) {
					if (this.keyBytes.length < maxKeyLength) this.keyBytes.push(byte);
					else this.keyBytes = undefined;
				}
				continue;
			}
			if (this.inScalar) {
				// A row that is a number or a literal ends before a separator (its bytes are judged by JSON.parse).
				if (byte !== comma && byte !== closeArray && !isSpace(byte)) continue;
				this.emitRow(chunk, rowFrom, i);
				rowFrom = -1;
			}
			if (this.resultDepth > 0 && stack.length === this.resultDepth && !this.inRow) {
				// Between the rows of data.result.
				if (isSpace(byte)) continue;
				if (byte === comma) {
					if (!this.afterRow) this.invalid ??= `unexpected comma in data.result after ${this.rows} rows`;
					this.afterRow = false;
					continue;
				}
				if (byte === closeArray) {
					if (!this.afterRow && this.rows > 0) this.invalid ??= 'unexpected comma at the end of data.result';
					stack.pop();
					this.resultDepth = -1;
					envelopeFrom = i;
					continue;
				}
				if (this.afterRow) this.invalid ??= `missing comma in data.result after ${this.rows} rows`;
				this.inRow = true;
				rowFrom = i;
				if (byte === openObject || byte === openArray) {
					this.rowDepth = 1;
					continue;
				}
				this.inScalar = true;
				if (byte === quote) {
					this.inString = true;
					this.keyBytes = undefined;
				}
				continue;
			}
			switch (byte) {
				case quote: {
					this.inString = true;
					const key = this.expectKey && stack.length <= 2 && stack[stack.length - 1] === openObject;
					this.keyBytes = key ? [] : undefined;
					// A key too long or escaped is left as '', which matches nothing.
					if (key) this.keys[stack.length - 1] = '';
					break;
				}
				case openObject:
				case openArray: {
					const isResult = byte === openArray && this.resultDepth === 0 && stack.length === 2 && stack[0] === openObject && stack[1] === openObject && this.keys[0] === 'data' && this.keys[1] === 'result';
					stack.push(byte);
					this.expectKey = byte === openObject;
					if (isResult) {
						this.resultDepth = stack.length;
						this.envelope.push(chunk.slice(envelopeFrom, i + 1));
						envelopeFrom = -1;
					}
					break;
				}
				case closeObject:
				case closeArray:
					stack.pop();
					this.expectKey = false;
					break;
				case colon:
					this.expectKey = false;
					break;
				case comma:
					this.expectKey = stack[stack.length - 1] === openObject;
					break;
				default:
					break;
			}
		}
		if (rowFrom >= 0) this.rowPieces.push(chunk.slice(rowFrom));
		if (envelopeFrom >= 0) this.envelope.push(chunk.slice(envelopeFrom));
	}

	/** The envelope's text: the answer without the rows of data.result (all of it when no such array was found). */
	end(): string {
		// A row left open (a cut answer) goes to the envelope, whose JSON.parse then reports the answer as invalid.
		for (const piece of this.rowPieces) this.envelope.push(piece);
		this.rowPieces = [];
		return this.decoder.decode(concat(this.envelope));
	}

	/**
	 * Reads a container row from `from` up to its closing bracket: its index, or the chunk's
	 * length when the row goes on in the next chunk. Strings are skipped, brackets counted;
	 * whether they match is JSON.parse's to judge, on the row's text.
	 */
	private skipRow(chunk: Uint8Array, from: number): number {
		let depth = this.rowDepth;
		let inString = this.inString;
		let escaped = this.escaped;
		let i = from;
		for (; i < chunk.length; i++) {
			const byte = chunk[i] ?? 0;
			if (inString) {
				if (escaped) escaped = false;
				else if (byte === backslash) escaped = true;
				else if (byte === quote) inString = false;
			} else if (byte === quote) inString = true;
			else if (byte === openObject || byte === openArray) depth += 1;
			else if (byte === closeObject || byte === closeArray) {
				depth -= 1;
				if (depth === 0) break;
			}
		}
		this.rowDepth = depth;
		this.inString = inString;
		this.escaped = escaped;
		return i;
	}

	private emitRow(chunk: Uint8Array, from: number, to: number): void {
		const last = chunk.subarray(from, to);
		const bytes = this.rowPieces.length === 0 ? last : concat([...this.rowPieces, last]);
		this.rowPieces = [];
		this.inRow = false;
		this.inScalar = false;
		this.afterRow = true;
		const index = this.rows;
		this.rows += 1;
		this.onRow(this.decoder.decode(bytes), index);
	}
}

function concat(pieces: readonly Uint8Array[]): Uint8Array {
	if (pieces.length === 1 && pieces[0] !== undefined) return pieces[0];
	let length = 0;
	for (const piece of pieces) length += piece.length;
	const out = new Uint8Array(length);
	let at = 0;
	for (const piece of pieces) {
		out.set(piece, at);
		at += piece.length;
	}
	return out;
}
