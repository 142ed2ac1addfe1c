/**
 * Whole lines out of the pieces a body arrives in, for the text parser (string pieces) and
 * the byte parser (Buffer pieces): each piece's whole lines are read in the piece itself, and
 * only the one line that spans pieces is joined.
 */
export interface PieceOps<T> {
	/** Index of the first (or, with `last`, the last) newline of `piece`, or -1. */
	newline(piece: T, last: boolean): number;
	/** The part [from, to) of `piece`, owning its memory (the piece itself need not outlive the call). */
	cut(piece: T, from: number, to: number): T;
	join(parts: readonly T[]): T;
	size(piece: T): number;
}

export interface Lines<T> {
	/** Reads the whole lines of `piece` (a line cut from the piece before first); keeps the unfinished last one. */
	push(piece: T): void;
	/** The unfinished last line, if any (taken: a second call gives undefined). */
	rest(): T | undefined;
}

/** `read(block, from, limit)` is called with runs of whole lines, each ending just before `limit` with a newline. */
export function linesOf<T>(ops: PieceOps<T>, read: (block: T, from: number, limit: number) => void): Lines<T> {
	let pending: T[] = [];
	return {
		push(piece) {
			const first = ops.newline(piece, false);
			if (first === -1) {
				pending.push(piece);
				return;
			}
			let from = 0;
			if (pending.length > 0) {
				pending.push(ops.cut(piece, 0, first + 1));
				const line = ops.join(pending);
				pending = [];
				read(line, 0, ops.size(line));
				from = first + 1;
			}
			const limit = ops.newline(piece, true) + 1;
			read(piece, from, limit);
			if (limit < ops.size(piece)) pending.push(ops.cut(piece, limit, ops.size(piece)));
		},
		rest() {
			if (pending.length === 0) return undefined;
			const line = ops.join(pending);
			pending = [];
			return line;
		},
	};
}
