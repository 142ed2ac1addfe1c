import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import type {InstantResult, PrometheusClient} from '../../source/clients/prometheus/client.js';
import {createPrometheusSource, metricTagLabel} from '../../source/metrics/prometheus-source.js';
import {defaultProfile} from '../../source/metrics/profiles/default.js';

/**
 * Between two refreshes the batched answer mostly repeats itself: the source keeps the rows
 * of the last answer and shares the label records (and whole samples) of rows that did not
 * change. What it returns must be what a source that never saw the earlier answer returns.
 */

interface Row {
	readonly tag: string;
	readonly connector: string;
	readonly task?: string;
	readonly value: number;
}

const answerOf = (rows: readonly Row[]): InstantResult => ({
	samples: rows.map(row => ({labels: {__name__: 'x', connector: row.connector, [metricTagLabel]: row.tag, ...(row.task === undefined ? {} : {task: row.task})}, value: row.value})),
	warnings: [],
});

/** A Prometheus that gives the answers in turn (the last one again after that). */
function answering(answers: readonly InstantResult[]): PrometheusClient {
	let next = 0;
	return {
		url: 'http://prom.test:9090',
		query: async () => answers[Math.min(next++, answers.length - 1)] ?? {samples: [], warnings: []},
		queryRange: async () => Promise.reject(new Error('no range answer')),
		labelValues: async () => [],
		close: async () => undefined,
	};
}

const sourceOf = (client: PrometheusClient) => createPrometheusSource({client, profile: defaultProfile, rateWindow: '1m', staleAfterMs: 60_000});

const row = fc.record({
	tag: fc.constantFrom('recordRate', 'sinkLag', 'taskStatus', 'recordErrors', 'sinkLag:at', 'noSuchMetric'),
	connector: fc.constantFrom('a', 'b', 'c'),
	task: fc.option(fc.constantFrom('0', '1'), {nil: undefined}),
	value: fc.oneof(fc.constantFrom(0, 1, Number.NaN, -0), fc.double({noNaN: true})),
});

describe('the batched answer, read after an earlier one', () => {
	it('returns what a source without the earlier answer returns, whatever changed between them', async () => {
		await fc.assert(
			fc.asyncProperty(fc.array(row, {maxLength: 12}), fc.array(fc.tuple(fc.nat(), row), {maxLength: 4}), fc.boolean(), async (first, changes, reorder) => {
				const second = [...first];
				for (const [at, replacement] of changes) if (second.length > 0) second[at % second.length] = replacement;
				if (reorder) second.reverse();
				const shared = sourceOf(answering([answerOf(first), answerOf(second)]));
				await shared.fetch(0);
				const after = await shared.fetch(2000);
				const fresh = await sourceOf(answering([answerOf(second)])).fetch(2000);
				expect(after.results).toEqual(fresh.results);
				expect(after.empty).toEqual(fresh.empty);
				expect(after.stale).toEqual(fresh.stale);
			}),
			{numRuns: 300},
		);
	});

	it('keeps the samples of rows that did not change, and the labels of rows whose value changed', async () => {
		const first = [
			{tag: 'recordRate', connector: 'a', value: 1},
			{tag: 'recordRate', connector: 'b', value: 2},
		];
		const second = [
			{tag: 'recordRate', connector: 'a', value: 1},
			{tag: 'recordRate', connector: 'b', value: 3},
		];
		const source = sourceOf(answering([answerOf(first), answerOf(second)]));
		const [a1, b1] = (await source.fetch(0)).results.get('recordRate') ?? [];
		const [a2, b2] = (await source.fetch(2000)).results.get('recordRate') ?? [];
		expect(a2).toBe(a1);
		expect(b2).not.toBe(b1);
		expect(b2?.labels).toBe(b1?.labels);
		expect(b2).toEqual({labels: {connector: 'b'}, value: 3});
	});
});
