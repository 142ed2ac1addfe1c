import {createVectorReader, type RowHead, type VectorMemory, type VectorRead} from '../../source/clients/prometheus/vector-text.js';

/**
 * Reads `body` with a vector reader, handed over in pieces of `sizes` bytes (taken in turn; the
 * whole body at once by default), as the client hands over an answer's bytes as they arrive.
 * Every other piece is a plain Uint8Array copy rather than a Buffer view, as a caller may pass.
 */
export function readVectorPieces(
	body: string | Uint8Array,
	memory: VectorMemory,
	headOf: (json: unknown) => RowHead | undefined,
	valueOf: (text: string) => number | undefined,
	sizes: readonly number[] = [],
): VectorRead | undefined {
	const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body);
	const reader = createVectorReader(memory, headOf, valueOf);
	let at = 0;
	let turn = 0;
	while (at < bytes.length) {
		const size = Math.max(1, sizes.length === 0 ? bytes.length : (sizes[turn % sizes.length] ?? bytes.length));
		const piece = bytes.subarray(at, at + size);
		reader.write(turn % 2 === 1 ? new Uint8Array(piece) : piece);
		at += size;
		turn += 1;
	}
	return reader.end();
}
