import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {counterChange, HistoryStore, historySeries, type CounterChange, type HistoryPoint} from '../../source/model/history.js';
import {referenceCounterChange} from './window-reference.js';

/**
 * HistoryStore.counterChange keeps the errors and DLQ counters' scan state as points arrive
 * instead of scanning the window each refresh. Held equal, bit for bit (resets, gaps, values
 * leaving the window, -0), to the scan over the window it replaced.
 */

/** Counter values as they occur: repeats (a quiet counter), growth, drops, gaps, infinities, fractions, -0. */
const value = fc.oneof(
	{weight: 2, arbitrary: fc.constant(undefined)},
	{weight: 1, arbitrary: fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0, -0)},
	{weight: 6, arbitrary: fc.integer({min: 0, max: 4})},
	{weight: 2, arbitrary: fc.integer({min: 0, max: 5000})},
	{weight: 2, arbitrary: fc.double({min: -1e3, max: 1e6, noNaN: true})},
);
const point = fc.record({lag: value, recordRate: value, errors: value, dlq: value, commits: value});
const names = ['a', 'b'] as const;
const step = fc.oneof(
	{weight: 8, arbitrary: fc.record({kind: fc.constant('record' as const), points: fc.dictionary(fc.constantFrom(...names), point, {maxKeys: 2})})},
	{weight: 1, arbitrary: fc.record({kind: fc.constant('seed' as const), name: fc.constantFrom(...names), points: fc.array(point, {maxLength: 9})})},
	{weight: 6, arbitrary: fc.record({kind: fc.constant('ask' as const), name: fc.constantFrom(...names, 'c'), current: value})},
);

/** Equal with -0 told from 0 (toEqual alone would not). */
function expectSame(actual: CounterChange | undefined, expected: CounterChange | undefined): void {
	expect(actual).toEqual(expected);
	if (actual !== undefined && expected !== undefined) expect(Object.is(actual.increase, expected.increase)).toBe(true);
}

describe('HistoryStore.counterChange keeps its counters as points arrive', () => {
	it('equals counterChange over the window after any sequence of records, seeds and questions', () => {
		fc.assert(
			fc.property(fc.integer({min: 2, max: 6}), fc.array(step, {maxLength: 40}), (capacity, steps) => {
				const history = new HistoryStore(capacity);
				const kept: Array<Map<string, HistoryPoint>> = [];
				for (const s of steps) {
					if (s.kind === 'record') {
						const points = new Map(Object.entries(s.points));
						kept.push(points);
						history.record(points);
					} else if (s.kind === 'seed') {
						history.seed(s.name, s.points);
					} else {
						for (const series of historySeries) {
							const window = Array.from(history.window(s.name, series, s.current));
							const reference = referenceCounterChange(window);
							expectSame(history.counterChange(s.name, series, s.current), reference);
							expectSame(counterChange(window), reference);
						}
					}
				}
			}),
			{numRuns: 1500},
		);
	});

	it('stays equal over long runs of a quiet counter, a growing one, resets and gaps, long past the window', () => {
		const history = new HistoryStore(5);
		const errors = [0, 0, 0, 3, 3, 7, Number.NaN, 7, 2, 2, 2, Number.NaN, Number.NaN, 5, 5, 5, 5, 5, 5, 1, 0.5, 0.25, 0.75, 0.75, 0.75, 0.75, 0.75, 0.75, -0, 0];
		for (const [i, errorsTotal] of errors.entries()) {
			history.record(new Map([['a', {lag: i, recordRate: 1, errors: errorsTotal, dlq: i % 3 === 0 ? undefined : i, commits: undefined}]]));
			for (const current of [undefined, errorsTotal, errorsTotal + 1, 0]) {
				for (const series of ['errors', 'dlq'] as const) {
					expectSame(history.counterChange('a', series, current), referenceCounterChange(Array.from(history.window('a', series, current))));
				}
			}
		}
		// The quiet stretch at the end: a reset seen in the window, then nothing new.
		expect(history.counterChange('a', 'errors', 0)).toEqual({increase: 0, reset: true});
	});
});
