import {runInNewContext} from 'node:vm';
import {describe, expect, it} from 'vitest';
import {collectGarbage} from '../source/collect-once.js';

describe('collectGarbage', () => {
	it('runs one full collection: an object nothing holds is gone after it, and it says how long it took', async () => {
		let held: object | undefined = {payload: new Array(1000).fill('x')};
		const ref = new WeakRef(held);
		held = undefined;
		// A WeakRef keeps its target until the job that made it ends.
		await new Promise(resolve => setImmediate(resolve));
		let clock = 10;
		const took = collectGarbage(() => {
			clock += 7;
			return clock;
		});
		expect(took).toBe(7);
		expect(ref.deref()).toBeUndefined();
	});

	it('leaves --expose-gc as it found it: a context made afterwards has no gc function', () => {
		expect(collectGarbage()).toBeGreaterThanOrEqual(0);
		expect(runInNewContext('typeof gc')).toBe('undefined');
		expect(Reflect.get(globalThis, 'gc')).toBeUndefined();
	});
});
