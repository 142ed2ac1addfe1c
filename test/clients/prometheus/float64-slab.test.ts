import {describe, expect, it} from 'vitest';
import {Float64Slab} from '../../../source/clients/prometheus/float64-slab.js';

describe('Float64Slab', () => {
	it('hands out zero-filled views that never overlap, from shared buffers, a new one when the last is full', () => {
		const slab = new Float64Slab(64);
		const lengths = [3, 0, 16, 7, 16, 16, 9, 5];
		const views = lengths.map(length => slab.take(length));
		expect(views.map(view => view.length)).toEqual(lengths);
		for (const view of views) expect([...view].every(value => value === 0)).toBe(true);
		views.forEach((view, index) => view.fill(index + 1));
		views.forEach((view, index) => expect([...view].every(value => value === index + 1)).toBe(true));
		// 3 + 0 + 16 + 7 + 16 + 16 = 58 fit the first buffer of 64; 9 more do not.
		expect(new Set(views.slice(0, 6).map(view => view.buffer)).size).toBe(1);
		expect(views[6]?.buffer).not.toBe(views[0]?.buffer);
		expect(views[7]?.buffer).toBe(views[6]?.buffer);
	});

	it('gives a request over a quarter of a buffer an array of its own', () => {
		const slab = new Float64Slab(64);
		const small = slab.take(4);
		const large = slab.take(17);
		expect(large.length).toBe(17);
		expect(large.buffer).not.toBe(small.buffer);
		expect(large.buffer.byteLength).toBe(17 * 8);
		expect(slab.take(4).buffer).toBe(small.buffer);
	});
});
