import {createHash} from 'node:crypto';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {createBodyMemo, createMemoReader, type RememberedBody} from '../../source/clients/http.js';

/**
 * createMemoReader hashes a body piece by piece as it arrives and compares its length and
 * SHA-256 with the memo's. Held equal to the plain way: hold every piece (up to the limit),
 * join them, compare the whole with the last body's bytes.
 */

interface Outcome {
	readonly unchanged: boolean;
	/**
	 * What the consumer got, all its pieces joined: where a piece ends may differ (the bytes
	 * that matched the memo's come as one view of them), and the consumers (streamed
	 * parsers) read any cut the same, which their own tests hold them to.
	 */
	readonly consumed: string;
	/** What the memo remembers afterwards: the body, as hex. */
	readonly remembered: string | undefined;
}

const hex = (bytes: Uint8Array | undefined): string | undefined => (bytes === undefined ? undefined : Buffer.from(bytes).toString('hex'));

/** The plain way (readRemembered of 7d5d0f7): held pieces, joined, compared with the last body's bytes. */
function reference(last: Uint8Array | undefined, limit: number, pieces: readonly Uint8Array[], declared: number | undefined): Outcome {
	const consumed: string[] = [];
	let remembered = last;
	const consume = (chunk: Uint8Array): void => void consumed.push(hex(chunk) ?? '');
	const held: Uint8Array[] = [];
	let heldBytes = 0;
	let streaming = declared !== undefined && declared > limit;
	if (streaming) remembered = undefined;
	for (const chunk of pieces) {
		if (streaming) {
			consume(chunk);
			continue;
		}
		held.push(chunk);
		heldBytes += chunk.byteLength;
		if (heldBytes <= limit) continue;
		streaming = true;
		remembered = undefined;
		for (const piece of held.splice(0)) consume(piece);
	}
	if (streaming) return {unchanged: false, consumed: consumed.join(''), remembered: hex(remembered)};
	const body = Buffer.concat(held, heldBytes);
	if (remembered !== undefined && Buffer.compare(body, remembered) === 0) return {unchanged: true, consumed: consumed.join(''), remembered: hex(remembered)};
	consume(body);
	return {unchanged: false, consumed: consumed.join(''), remembered: hex(body)};
}

const sha256 = (bytes: Uint8Array): Buffer => createHash('sha256').update(bytes).digest();
const record = (bytes: Uint8Array, keepsBytes: boolean): RememberedBody => ({length: bytes.byteLength, digest: sha256(bytes), bytes: keepsBytes ? bytes : undefined});

/**
 * The reader under test. The memo's record is given back as the body it stands for: the
 * bytes when it keeps them, otherwise the one body of the test with its length and digest.
 */
function actual(last: Uint8Array | undefined, limit: number, pieces: readonly Uint8Array[], declared: number | undefined, keepsBytes: boolean): Outcome {
	const memo = createBodyMemo(limit, keepsBytes);
	memo.remember(last === undefined ? undefined : record(last, keepsBytes));
	const consumed: string[] = [];
	const reader = createMemoReader(memo, chunk => void consumed.push(hex(chunk) ?? ''), declared);
	for (const chunk of pieces) reader.write(chunk);
	const unchanged = reader.end();
	const kept = memo.last();
	if (kept === undefined) return {unchanged, consumed: consumed.join(''), remembered: undefined};
	if (keepsBytes) {
		expect(kept.bytes).toBeDefined();
		expect(kept.length).toBe(kept.bytes?.byteLength);
		expect(kept.digest.equals(sha256(kept.bytes ?? new Uint8Array()))).toBe(true);
		return {unchanged, consumed: consumed.join(''), remembered: hex(kept.bytes)};
	}
	expect(kept.bytes).toBeUndefined();
	const candidates = [last, Buffer.concat(pieces)].filter((body): body is Uint8Array => body !== undefined && body.byteLength === kept.length && sha256(body).equals(kept.digest));
	return {unchanged, consumed: consumed.join(''), remembered: hex(candidates[0]) ?? 'a digest of no body of the test'};
}

/** Cuts `body` at the given places (sorted, deduplicated, within it). */
function cut(body: Uint8Array, at: readonly number[]): Uint8Array[] {
	const places = [...new Set(at.map(n => n % (body.byteLength + 1)))].sort((a, b) => a - b);
	const pieces: Uint8Array[] = [];
	let from = 0;
	for (const place of [...places, body.byteLength]) {
		pieces.push(body.subarray(from, place));
		from = place;
	}
	return pieces;
}

const bytes = fc.uint8Array({maxLength: 24, max: 3});

describe('createMemoReader', () => {
	it('tells the same bodies apart as holding, joining and comparing them did, and hands the consumer the same bytes', () => {
		// The next body: the last one, an edit of it (a byte changed, cut short, made longer), or any other.
		const scenario = fc.record({
			last: fc.option(bytes, {nil: undefined}),
			edit: fc.constantFrom('same', 'byte', 'shorter', 'longer', 'other'),
			other: bytes,
			at: fc.nat(),
			cuts: fc.array(fc.nat({max: 60}), {maxLength: 6}),
			limit: fc.integer({min: 0, max: 30}),
			declare: fc.constantFrom('none', 'true', 'wrong'),
			keepsBytes: fc.boolean(),
		});
		fc.assert(
			fc.property(scenario, ({last, edit, other, at, cuts, limit, declare, keepsBytes}) => {
				const base = last ?? other;
				let body: Uint8Array;
				if (edit === 'same') body = Uint8Array.from(base);
				else if (edit === 'byte' && base.byteLength > 0) {
					body = Uint8Array.from(base);
					const i = at % base.byteLength;
					body[i] = ((body[i] ?? 0) + 1) % 4;
				} else if (edit === 'shorter') body = base.slice(0, at % (base.byteLength + 1));
				else if (edit === 'longer') body = Uint8Array.from([...base, ...other]);
				else body = other;
				const declared = declare === 'none' ? undefined : declare === 'true' ? body.byteLength : at % 40;
				const pieces = cut(body, cuts);
				expect(actual(last, limit, pieces, declared, keepsBytes)).toEqual(reference(last, limit, pieces, declared));
			}),
			{numRuns: 3000},
		);
	});

	it('joins nothing of a body equal to the memo’s, and keeps its record; a memo without bytes keeps 32 bytes of digest', () => {
		const last = Buffer.from('{"a":{"status":{"name":"a"}}}');
		for (const keepsBytes of [true, false]) {
			const memo = createBodyMemo(1024, keepsBytes);
			const first = createMemoReader(memo, () => undefined);
			first.write(last);
			expect(first.end()).toBe(false);
			const kept = memo.last();
			expect(kept?.digest.byteLength).toBe(32);
			expect(kept?.bytes === undefined).toBe(!keepsBytes);
			const got: Uint8Array[] = [];
			const reader = createMemoReader(memo, chunk => void got.push(chunk));
			for (const piece of cut(Buffer.from(last), [3, 9, 20])) reader.write(piece);
			expect(reader.end()).toBe(true);
			expect(got).toEqual([]);
			expect(memo.last()).toBe(kept);
		}
	});
});
