import {readFileSync} from 'node:fs';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {z} from 'zod';
import type {InstantResult, PrometheusClient} from '../../source/clients/prometheus/client.js';
import {parsePromValue} from '../../source/clients/prometheus/client.js';
import {querySuccessSchema} from '../../source/clients/prometheus/schemas.js';
import {createPrometheusSource, metricTagLabel} from '../../source/metrics/prometheus-source.js';
import {defaultProfile, kctopProfile} from '../../source/metrics/profiles/default.js';
import {tagApart} from '../helpers/tag-apart.js';

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
		query: async (_promql, options) => tagApart(answers[Math.min(next++, answers.length - 1)] ?? {samples: [], warnings: []}, options?.tagLabel),
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

/** `first` with rows replaced (position modulo the length), then reversed when asked. */
function replacedRows(first: readonly Row[], changes: ReadonlyArray<readonly [number, Row]>, reorder: boolean): Row[] {
	const second = [...first];
	for (const [at, replacement] of changes) if (second.length > 0) second[at % second.length] = replacement;
	if (reorder) second.reverse();
	return second;
}

describe('the batched answer, read after an earlier one', () => {
	it('returns what a source without the earlier answer returns, whatever changed between them', async () => {
		await fc.assert(
			fc.asyncProperty(fc.array(row, {maxLength: 12}), fc.array(fc.tuple(fc.nat(), row), {maxLength: 4}), fc.boolean(), async (first, changes, reorder) => {
				const second = replacedRows(first, changes, reorder);
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

	it('returns the same when the client hands back the row objects of the last answer (the vector reader does for rows that did not change)', async () => {
		await fc.assert(
			fc.asyncProperty(fc.array(row, {maxLength: 12}), fc.array(fc.tuple(fc.nat(), row), {maxLength: 4}), fc.boolean(), async (first, changes, reorder) => {
				const second = replacedRows(first, changes, reorder);
				const firstAnswer = answerOf(first);
				// A row equal to the row at its place in the first answer is that row's object.
				const secondAnswer: InstantResult = {
					samples: answerOf(second).samples.map((sample, index) => {
						const before = firstAnswer.samples[index];
						return before !== undefined && first[index] === second[index] ? before : sample;
					}),
					warnings: [],
				};
				const shared = sourceOf(answering([firstAnswer, secondAnswer, secondAnswer]));
				const before = await shared.fetch(0);
				const after = await shared.fetch(2000);
				const fresh = await sourceOf(answering([answerOf(second)])).fetch(2000);
				expect(after.results).toEqual(fresh.results);
				expect(after.empty).toEqual(fresh.empty);
				expect(after.stale).toEqual(fresh.stale);
				// Unchanged and fresh (no sample-time rows): the very lists of the first fetch.
				if (first === second || (!reorder && changes.length === 0 && !first.some(each => each.tag.endsWith(':at')))) {
					for (const [id, samples] of after.results) expect(samples).toBe(before.results.get(id));
				}
				// At its own time: a sample-time row can pass the staleness limit between 2000 and 4000.
				const again = await shared.fetch(4000);
				expect(again.results).toEqual((await sourceOf(answering([answerOf(second)])).fetch(4000)).results);
			}),
			{numRuns: 300},
		);
	});

	it('hands out the samples the client gives as they are: a row the client kept is the same sample, a changed row the new one', async () => {
		const first = answerOf([
			{tag: 'recordRate', connector: 'a', value: 1},
			{tag: 'recordRate', connector: 'b', value: 2},
		]);
		const [kept] = first.samples;
		const second: InstantResult = {samples: [...(kept === undefined ? [] : [kept]), ...answerOf([{tag: 'recordRate', connector: 'b', value: 3}]).samples], warnings: []};
		const source = sourceOf(answering([first, second]));
		const [a1, b1] = (await source.fetch(0)).results.get('recordRate') ?? [];
		const [a2, b2] = (await source.fetch(2000)).results.get('recordRate') ?? [];
		expect(a2).toBe(a1);
		expect(b2).not.toBe(b1);
		expect(b2).toEqual({labels: {connector: 'b'}, value: 3});
	});

	it('says so, and reads metric by metric, when a client returns the batched answer without its tags', async () => {
		const client: PrometheusClient = {...answering([answerOf([{tag: 'recordRate', connector: 'a', value: 1}])]), query: async () => answerOf([{tag: 'recordRate', connector: 'a', value: 1}])};
		const fetched = await sourceOf(client).fetch(0);
		expect(fetched.warnings.some(warning => warning.includes('the Prometheus client returned the batched answer without its tags'))).toBe(true);
	});
});

/** The recorded batched answer of a real Prometheus (test/fixtures/prom/README.md). */
const recording = z
	.object({time: z.number(), prometheusAnswer: querySuccessSchema})
	.parse(JSON.parse(readFileSync(new URL('../fixtures/prom/batched-answer-stale-worker-2.json', import.meta.url), 'utf8')));

function recordedRows(): Array<{readonly labels: Readonly<Record<string, string>>; readonly value: number}> {
	const {data} = recording.prometheusAnswer;
	if (data.resultType !== 'vector') throw new Error('the recording is an instant vector');
	return data.result.map(row => ({labels: row.metric, value: parsePromValue(row.value?.[1] ?? 'NaN')}));
}

/** An answer made from the recorded one: rows dropped, values changed, runs moved, as the next refreshes of a cluster bring. */
const edits = fc.array(
	fc.oneof(
		fc.record({kind: fc.constant('drop' as const), at: fc.nat()}),
		fc.record({kind: fc.constant('value' as const), at: fc.nat(), value: fc.oneof(fc.constantFrom(0, 1, Number.NaN, -0), fc.double({noNaN: true}))}),
		fc.record({kind: fc.constant('label' as const), at: fc.nat(), value: fc.constantFrom('x', '', 'connect-9:8083')}),
		fc.record({kind: fc.constant('rotate' as const), at: fc.nat()}),
	),
	{maxLength: 6},
);

function edited(base: ReturnType<typeof recordedRows>, changes: ReadonlyArray<{readonly kind: 'drop' | 'value' | 'label' | 'rotate'; readonly at: number; readonly value?: number | string}>): InstantResult {
	let rows = [...base];
	for (const change of changes) {
		if (rows.length === 0) break;
		const at = change.at % rows.length;
		const row = rows[at];
		if (row === undefined) continue;
		if (change.kind === 'drop') rows.splice(at, 1);
		else if (change.kind === 'value' && typeof change.value === 'number') rows[at] = {...row, value: change.value};
		else if (change.kind === 'label' && typeof change.value === 'string') rows[at] = {...row, labels: {...row.labels, worker_id: change.value}};
		else if (change.kind === 'rotate') rows = [...rows.slice(at), ...rows.slice(0, at)];
	}
	return {samples: rows, warnings: []};
}

describe('a run of batched answers, each read after the one before', () => {
	it('returns, for every answer, what a source that never saw the earlier ones returns (generated rows)', async () => {
		await fc.assert(
			fc.asyncProperty(fc.array(fc.array(row, {maxLength: 10}), {minLength: 2, maxLength: 5}), async answers => {
				const shared = sourceOf(answering(answers.map(answerOf)));
				for (const [index, answer] of answers.entries()) {
					const after = await shared.fetch(index * 2000);
					const fresh = await sourceOf(answering([answerOf(answer)])).fetch(index * 2000);
					expect(after.results).toEqual(fresh.results);
					expect(after.empty).toEqual(fresh.empty);
					expect(after.stale).toEqual(fresh.stale);
				}
			}),
			{numRuns: 200},
		);
	});

	it('returns, for every answer, what a fresh source returns (the recorded answer of a real Prometheus, edited)', async () => {
		const base = recordedRows();
		const source = (client: PrometheusClient) => createPrometheusSource({client, profile: kctopProfile, rateWindow: '1m', staleAfterMs: 60_000});
		await fc.assert(
			fc.asyncProperty(fc.array(edits, {minLength: 1, maxLength: 4}), async runs => {
				const answers = [edited(base, []), ...runs.map(changes => edited(base, changes))];
				const shared = source(answering(answers));
				for (const [index, answer] of answers.entries()) {
					const after = await shared.fetch(recording.time + index * 2000);
					const fresh = await source(answering([answer])).fetch(recording.time + index * 2000);
					expect(after.results).toEqual(fresh.results);
					expect(after.empty).toEqual(fresh.empty);
					expect(after.stale).toEqual(fresh.stale);
				}
			}),
			{numRuns: 40},
		);
	});

	it('hands back the same list for a metric whose samples all repeat (the recorded answer twice), and a new one for a metric where one changed', async () => {
		const base = recordedRows();
		const changedAt = base.findIndex(each => each.labels[metricTagLabel] === 'recordErrors');
		const changed = base.map((each, index) => (index === changedAt ? {...each, value: each.value + 1} : each));
		const source = createPrometheusSource({client: answering([{samples: base, warnings: []}, {samples: changed, warnings: []}]), profile: kctopProfile, rateWindow: '1m', staleAfterMs: 1e12});
		const first = await source.fetch(recording.time);
		const second = await source.fetch(recording.time + 2000);
		expect(changedAt).toBeGreaterThanOrEqual(0);
		expect(second.results.get('recordErrors')).not.toBe(first.results.get('recordErrors'));
		expect(second.results.get('recordErrors')).toEqual((await createPrometheusSource({client: answering([{samples: changed, warnings: []}]), profile: kctopProfile, rateWindow: '1m', staleAfterMs: 1e12}).fetch(recording.time)).results.get('recordErrors'));
		// Metrics with sample-time rows go through markStale, which makes its own lists.
		const timed = new Set(base.flatMap(each => (each.labels[metricTagLabel]?.endsWith(':at') === true ? [each.labels[metricTagLabel]?.slice(0, -3)] : [])));
		const repeated = [...first.results].filter(([id, samples]) => id !== 'recordErrors' && !timed.has(id) && samples.length > 0).map(([id]) => id);
		expect(repeated.length).toBeGreaterThan(5);
		for (const id of repeated) expect(second.results.get(id)).toBe(first.results.get(id));
	});
});
