import {expect} from 'vitest';
import type {CounterState, ScrapeEvaluation} from '../../source/metrics/evaluate-samples.js';

/** A counter state's entries in key order (a state's own order follows the scrape). */
function sortedState(state: CounterState): [string, unknown][] {
	return [...state.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Two evaluations are the same: results in order, empty metrics, and counter state. */
export function expectSameEvaluation(actual: ScrapeEvaluation, expected: ScrapeEvaluation): void {
	expect([...actual.results.entries()]).toEqual([...expected.results.entries()]);
	expect(actual.empty).toEqual(expected.empty);
	expect(sortedState(actual.state)).toEqual(sortedState(expected.state));
}
