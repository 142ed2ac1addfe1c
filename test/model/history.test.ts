import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {counterChange, counterIncrease, HistoryStore, historySeries, type HistoryPoint, type HistorySeriesName} from '../../source/model/history.js';

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

	it('keeps each connector\'s five series apart in its one array, as separate lists would', () => {
		// A model of the store: per connector and series, the list of values, the last `capacity` kept.
		const value = fc.oneof(fc.constant(undefined), fc.constant(Number.NaN), fc.constant(Number.POSITIVE_INFINITY), fc.integer({min: -5, max: 1000}), fc.double({noNaN: true}));
		const point = fc.record({lag: value, recordRate: value, errors: value, dlq: value, commits: value});
		const names = ['a', 'b', 'c'] as const;
		const step = fc.oneof(
			fc.record({kind: fc.constant('record' as const), points: fc.dictionary(fc.constantFrom(...names), point, {maxKeys: 3})}),
			fc.record({kind: fc.constant('seed' as const), name: fc.constantFrom(...names), points: fc.array(point, {maxLength: 9})}),
		);
		fc.assert(
			fc.property(fc.integer({min: 2, max: 6}), fc.array(step, {maxLength: 14}), fc.option(fc.integer({min: 0, max: 8}), {nil: undefined}), (capacity, steps, last) => {
				const history = new HistoryStore(capacity);
				const model = new Map<string, Record<HistorySeriesName, number[]>>();
				const append = (name: string, p: HistoryPoint): void => {
					const lists = model.get(name) ?? {lag: [], recordRate: [], errors: [], dlq: [], commits: []};
					for (const series of historySeries) {
						const v = p[series];
						lists[series] = [...lists[series], v === undefined || !Number.isFinite(v) ? Number.NaN : v].slice(-capacity);
					}
					model.set(name, lists);
				};
				for (const each of steps) {
					if (each.kind === 'record') {
						const points = new Map<string, HistoryPoint>(Object.entries(each.points));
						history.record(points);
						for (const name of [...model.keys()]) if (!points.has(name)) model.delete(name);
						points.forEach((p, name) => append(name, p));
					} else {
						history.seed(each.name, each.points);
						// A seed makes the connector known even with no points.
						if (!model.has(each.name)) model.set(each.name, {lag: [], recordRate: [], errors: [], dlq: [], commits: []});
						for (const p of each.points) append(each.name, p);
					}
				}
				for (const name of names) {
					const lists = model.get(name);
					expect(history.has(name)).toBe(lists !== undefined);
					if (lists === undefined) continue;
					const tail = (values: number[]) => (last === undefined ? values : values.slice(values.length - Math.min(last, values.length)));
					expect(history.get(name, last)).toEqual({lag: tail(lists.lag), recordRate: tail(lists.recordRate), errors: tail(lists.errors)});
					for (const series of historySeries) {
						expect([...history.window(name, series, 7)]).toEqual([...lists[series], 7]);
						expect(history.counterChange(name, series, undefined)).toEqual(counterChange(lists[series]));
					}
				}
			}),
			{numRuns: 500},
		);
	});

	it('keeps a series in 32 bits while its values are float32s exactly, and widens only that series, keeping every value, at the first that is not', () => {
		const history = new HistoryStore(150);
		// 22 Float64 slots of header, then a ring of 150 Float32 values for each series that moves.
		const header = 22 * 8;
		// recordRate and dlq stay 0: flat, no ring.
		for (let i = 0; i < 200; i++) history.record(new Map([['a', {lag: 40_000 + i, recordRate: 0, errors: i, dlq: 0, commits: 16_777_216 - i}]]));
		expect(history.bytes).toBe(header + 3 * 150 * 4);
		// A rate with a fraction: that series gets a ring, of 64-bit values.
		history.record(new Map([['a', {lag: 1, recordRate: 12.345, errors: 200, dlq: 0, commits: 7}]]));
		expect(history.bytes).toBe(header + 3 * 150 * 4 + 150 * 8);
		// A counter past 2^24: its ring widens.
		history.record(new Map([['a', {lag: 2, recordRate: 0.1, errors: 16_777_217, dlq: 0, commits: 8}]]));
		expect(history.bytes).toBe(header + 2 * 150 * 4 + 2 * 150 * 8);
		const window = [...history.window('a', 'recordRate', undefined)];
		expect(window.slice(-4)).toEqual([0, 12.345, 0.1, Number.NaN]);
		expect([...history.window('a', 'errors', undefined)].slice(-3)).toEqual([200, 16_777_217, Number.NaN]);
		expect(history.get('a').lag.slice(0, 2)).toEqual([40_052, 40_053]);
		expect(history.counterChange('a', 'errors', 16_777_218)).toEqual({increase: 16_777_218 - 52, reset: false});
		expect(history.counterChange('a', 'commits', undefined)).toEqual({increase: 1, reset: true});
	});

	it('gives a flat series a ring at its first different value and drops the ring once one value fills the window again', () => {
		const capacity = 5;
		const history = new HistoryStore(capacity);
		const header = 22 * 8;
		const record = (errors: number | undefined) => history.record(new Map([['a', {lag: undefined, recordRate: undefined, errors, dlq: undefined, commits: undefined}]]));
		for (let i = 0; i < 7; i++) record(0);
		expect(history.bytes).toBe(header);
		expect([...history.window('a', 'errors', undefined)]).toEqual([0, 0, 0, 0, 0, Number.NaN]);
		record(3);
		// A ring of five Float32 values, padded to whole Float64 slots.
		const ringed = header + 8 * Math.ceil((capacity * 4) / 8);
		expect(history.bytes).toBe(ringed);
		expect([...history.window('a', 'errors', undefined)]).toEqual([0, 0, 0, 0, 3, Number.NaN]);
		expect(history.counterChange('a', 'errors', undefined)).toEqual({increase: 3, reset: false});
		// Four more 3s: the window holds 0, 3, 3, 3, 3, still two values.
		for (let i = 0; i < 3; i++) record(3);
		expect(history.bytes).toBe(ringed);
		record(3);
		expect(history.bytes).toBe(header);
		expect([...history.window('a', 'errors', undefined)]).toEqual([3, 3, 3, 3, 3, Number.NaN]);
		expect(history.counterChange('a', 'errors', 4)).toEqual({increase: 1, reset: false});
		// -0 is not 0, and a gap is a value too.
		record(-0);
		expect(history.bytes).toBe(ringed);
		expect(Object.is(history.window('a', 'errors', undefined)[4], -0)).toBe(true);
		for (let i = 0; i < 4; i++) record(undefined);
		expect(history.bytes).toBe(ringed);
		record(undefined);
		expect(history.bytes).toBe(header);
		expect([...history.window('a', 'errors', 1)]).toEqual([Number.NaN, Number.NaN, Number.NaN, Number.NaN, Number.NaN, 1]);
		// A flat value that 32 bits cannot hold makes the new ring wide.
		for (let i = 0; i < 5; i++) record(0.1);
		expect(history.bytes).toBe(header);
		record(0.2);
		expect(history.bytes).toBe(header + capacity * 8);
		expect([...history.window('a', 'errors', undefined)]).toEqual([0.1, 0.1, 0.1, 0.1, 0.2, Number.NaN]);
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
