import {describe, expect, it} from 'vitest';
import {counterChange, counterIncrease, HistoryStore} from '../../source/model/history.js';

const point = (n: number) => ({lag: n, recordRate: n * 2, errors: n, dlq: undefined});

describe('HistoryStore', () => {
	it('keeps at most `capacity` points per connector, oldest first', () => {
		const history = new HistoryStore(3);
		for (let i = 1; i <= 5; i++) history.record(new Map([['a', point(i)]]));
		expect(history.get('a').lag).toEqual([3, 4, 5]);
		expect(history.get('a').recordRate).toEqual([6, 8, 10]);
		expect(history.get('a', 2).lag).toEqual([4, 5]);
	});

	it('stores missing values as NaN gaps and forgets connectors that vanished', () => {
		const history = new HistoryStore(4);
		history.record(new Map([['a', point(1)], ['b', point(1)]]));
		history.record(new Map([['a', {lag: undefined, recordRate: Number.POSITIVE_INFINITY, errors: 2, dlq: 1}]]));
		expect(history.get('a').lag[1]).toBeNaN();
		expect(history.get('a').recordRate[1]).toBeNaN();
		expect(history.has('b')).toBe(false);
		expect(history.get('b')).toEqual({lag: [], recordRate: [], errors: []});
		expect(history.size).toBe(1);
	});

	it('refuses a capacity that cannot hold a line', () => {
		expect(() => new HistoryStore(1)).toThrow(RangeError);
	});
});

describe('counterIncrease', () => {
	it('adds up increases and counts a reset as a restart from zero', () => {
		expect(counterIncrease([5, 7, 9])).toBe(4);
		expect(counterIncrease([5, 7, 2, 3])).toBe(2 + 2 + 1);
		expect(counterIncrease([Number.NaN, 4, Number.NaN, 6])).toBe(2);
		expect(counterIncrease([8])).toBe(0);
		expect(counterIncrease([])).toBeUndefined();
		expect(counterIncrease([Number.NaN])).toBeUndefined();
	});
});

describe('counterChange', () => {
	it('is the plain increase while the total only grows', () => {
		expect(counterChange([5, 7, 9])).toEqual({increase: 4, reset: false});
		expect(counterChange([Number.NaN, 4, Number.NaN, 6])).toEqual({increase: 2, reset: false});
		expect(counterChange([8])).toEqual({increase: 0, reset: false});
		expect(counterChange([])).toBeUndefined();
	});

	it('after a drop counts only from the drop, and says there was one', () => {
		// A worker with 200 errors dies: the total falls to the survivors' 50 and then grows by 15.
		// Counting the 50 as new (Prometheus' reset rule) would read +65 where +15 happened.
		expect(counterChange([230, 250, 50, 60, 65])).toEqual({increase: 15, reset: true});
		expect(counterChange([40, 0])).toEqual({increase: 0, reset: true});
		// Never more than the total since the drop.
		const change = counterChange([300, 10, 20, 65]);
		expect(change?.increase).toBeLessThanOrEqual(65);
	});
});
