/**
 * Float64Arrays cut from a few large buffers instead of one allocation each. A range answer's
 * times and values (two short arrays per series: 11,428 at 1,009 connectors) live only until
 * the start-up history is seeded. Allocated one by one, each was a small block on glibc's
 * heap, between blocks that stay (the history rings are made while they live), and the heap
 * kept their pages after they were freed. A buffer this large is mapped on its own and handed
 * back whole when its last view is dropped; pages never written are never resident.
 */
export class Float64Slab {
	private buffer: Float64Array | undefined;
	private used = 0;

	constructor(private readonly slabLength = 1 << 19) {}

	/** A zero-filled array of `length` values, a view into the current buffer (a new one when it is full). */
	take(length: number): Float64Array {
		if (length > this.slabLength / 4) return new Float64Array(length);
		if (this.buffer === undefined || this.used + length > this.buffer.length) {
			this.buffer = new Float64Array(this.slabLength);
			this.used = 0;
		}
		const view = this.buffer.subarray(this.used, this.used + length);
		this.used += length;
		return view;
	}
}
