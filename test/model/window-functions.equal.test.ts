import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {counterChange, counterIncrease, HistoryStore, historySeries, type HistoryPoint} from '../../source/model/history.js';
import {defaultSinkVerdictOptions, sinkVerdict, windowFunctions} from '../../source/model/sink-verdict.js';
import {referenceCounterChange, referenceCounterIncrease, referenceFiniteSummary, referenceNeverFell, referenceSlopePerPoint, referenceTrendOf} from './window-reference.js';

/**
 * The window functions read the history in place (a Float64Array view, NaN for "no value")
 * instead of copying it into arrays: held equal to the implementations they replaced.
 */

/** Window values as they occur: gaps (NaN), infinities the ring turns into gaps, counters that grow and reset, lags, rates, zeros. */
const value = fc.oneof(
	{weight: 1, arbitrary: fc.constant(Number.NaN)},
	{weight: 1, arbitrary: fc.constantFrom(Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0, -0, -1)},
	{weight: 4, arbitrary: fc.integer({min: 0, max: 5000})},
	{weight: 2, arbitrary: fc.double({min: -1e6, max: 1e6, noNaN: true})},
);
const series = (maxLength: number) => fc.array(value, {maxLength});
const runs = {numRuns: 600};

describe('counterChange and counterIncrease read in place', () => {
	it('equal the copying implementations, on arrays and on Float64Array views', () => {
		fc.assert(
			fc.property(series(40), values => {
				const view = Float64Array.from(values);
				expect(counterChange(values)).toEqual(referenceCounterChange(values));
				expect(counterChange(view)).toEqual(referenceCounterChange(values));
				expect(counterIncrease(values)).toEqual(referenceCounterIncrease(values));
				expect(counterIncrease(view)).toEqual(referenceCounterIncrease(values));
			}),
			runs,
		);
	});
});

describe('the sink verdict\'s window functions read in place', () => {
	const {finiteSummary, slopePerPoint, trendOf, neverFell, sliceStart} = windowFunctions;

	it('equal the copying implementations, the trend over the last points read from sliceStart instead of a slice', () => {
		fc.assert(
			fc.property(series(30), fc.integer({min: -3, max: 40}), (values, trendPoints) => {
				const view = Float64Array.from(values);
				const recent = values.slice(-trendPoints);
				const from = sliceStart(values.length, -trendPoints);
				for (const window of [values, view]) {
					expect(finiteSummary(window)).toEqual(referenceFiniteSummary(values));
					expect(neverFell(window)).toBe(referenceNeverFell(values));
					expect(slopePerPoint(window, from)).toEqual(referenceSlopePerPoint(recent));
					expect(trendOf(window, from)).toEqual(referenceTrendOf(recent));
				}
			}),
			runs,
		);
	});

	it('sinkVerdict gives the same verdict on a Float64Array view as on an array', () => {
		const window = fc.record({
			length: fc.integer({min: 0, max: 30}),
			lag: series(30),
			readRate: series(30),
			commits: series(30),
			stepMs: fc.option(fc.constantFrom(0, 2000, 5000, -1), {nil: undefined}),
			connectorState: fc.constantFrom('RUNNING', 'PAUSED', 'FAILED'),
			tasksRunning: fc.integer({min: 0, max: 3}),
			tasksTotal: fc.integer({min: 0, max: 3}),
		});
		fc.assert(
			fc.property(window, w => {
				// Series aligned to one length, as the store hands them out.
				const fit = (values: readonly number[]) => Array.from({length: w.length}, (_, i) => values[i] ?? Number.NaN);
				const arrays = {...w, lag: fit(w.lag), readRate: fit(w.readRate), commits: fit(w.commits)};
				expect(sinkVerdict({...arrays, lag: Float64Array.from(arrays.lag), readRate: Float64Array.from(arrays.readRate), commits: Float64Array.from(arrays.commits)}, defaultSinkVerdictOptions)).toEqual(sinkVerdict(arrays));
			}),
			runs,
		);
	});
});

/** Up to 25 recorded history points, each series present or not. */
const points = fc.array(fc.record({lag: fc.option(value, {nil: undefined}), recordRate: fc.option(value, {nil: undefined}), errors: fc.option(value, {nil: undefined}), dlq: fc.option(value, {nil: undefined}), commits: fc.option(value, {nil: undefined})}), {maxLength: 25});

/** A HistoryStore of `capacity` with `recorded` recorded for connector "a". */
function recordedHistory(capacity: number, recorded: readonly HistoryPoint[]): HistoryStore {
	const history = new HistoryStore(capacity);
	for (const point of recorded) history.record(new Map<string, HistoryPoint>([['a', point]]));
	return history;
}

describe('HistoryStore.window', () => {
	it('is the recorded values, oldest first, then the current one, whatever the ring has wrapped', () => {
		fc.assert(
			fc.property(fc.integer({min: 2, max: 12}), points, fc.option(value, {nil: undefined}), (capacity, recorded, current) => {
				const history = recordedHistory(capacity, recorded);
				for (const name of historySeries) {
					const expected = recorded.slice(-capacity).map(point => {
						const v = point[name];
						return v === undefined || !Number.isFinite(v) ? Number.NaN : v;
					});
					expected.push(current ?? Number.NaN);
					expect([...history.window('a', name, current)]).toEqual(expected);
				}
				expect([...history.window('absent', 'lag', current)]).toEqual([current ?? Number.NaN]);
			}),
			runs,
		);
	});
});

describe('HistoryStore.counterChange', () => {
	it('equals counterChange over the window and the reference over the copied values, whatever the ring has wrapped', () => {
		fc.assert(
			fc.property(fc.integer({min: 2, max: 12}), points, fc.option(value, {nil: undefined}), (capacity, recorded, current) => {
				const history = recordedHistory(capacity, recorded);
				for (const name of historySeries) {
					const copied = [...history.window('a', name, current)];
					expect(history.counterChange('a', name, current)).toEqual(counterChange(copied));
					expect(history.counterChange('a', name, current)).toEqual(referenceCounterChange(copied));
				}
				expect(history.counterChange('absent', 'errors', current)).toEqual(referenceCounterChange([current ?? Number.NaN]));
			}),
			runs,
		);
	});
});
