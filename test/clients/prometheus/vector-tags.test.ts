import {readFileSync} from 'node:fs';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {z} from 'zod';
import {createPrometheusClient, type InstantResult, type PrometheusClient} from '../../../source/clients/prometheus/client.js';
import {emptyVectorMemory, vectorHead} from '../../../source/clients/prometheus/vector-text.js';
import {caught} from '../../helpers/caught.js';
import {readVectorPieces} from '../../helpers/read-vector.js';
import {instantClients, origin} from './instant-clients.js';

/*
 * With `tagLabel`, the client hands out each row's tag apart and labels without the tag and
 * `__name__`, and rows of the same labels share one record. Read from the text (against the
 * last answer) or in full (a body laid out otherwise), the result must be the plain answer's
 * rows with the tag taken out: that is what the batched Prometheus source relies on.
 */

const tagLabel = 'kctop_metric';

const recorded = z
	.object({prometheusAnswer: z.object({data: z.object({result: z.array(z.object({metric: z.record(z.string(), z.string()), value: z.tuple([z.number(), z.string()])}))})})})
	.parse(JSON.parse(readFileSync(new URL('../../fixtures/prom/batched-answer-stale-worker-2.json', import.meta.url), 'utf8')));

interface Row {
	readonly metric: Record<string, string>;
	readonly value: readonly [number, string];
}

const realRows: readonly Row[] = recorded.prometheusAnswer.data.result;
const answer = (rows: readonly Row[]): unknown => ({status: 'success', data: {resultType: 'vector', result: rows}});
/** As Prometheus writes it: read from the text. */
const compact = (rows: readonly Row[]): string => JSON.stringify(answer(rows));
/** With whitespace: read in full. */
const pretty = (rows: readonly Row[]): string => JSON.stringify(answer(rows), null, 1);

/** What a tagged read must give: the plain read's rows, each tag taken out of its labels with `__name__`. */
function expectedOf(plainResult: InstantResult): {samples: unknown[]; tags: string[]} {
	const samples = plainResult.samples.map((sample) => {
		const labels: Record<string, string> = {};
		for (const [name, value] of Object.entries(sample.labels)) if (name !== tagLabel && name !== '__name__') Object.defineProperty(labels, name, {value, enumerable: true, writable: true, configurable: true});
		return {labels, value: sample.value};
	});
	return {samples, tags: plainResult.samples.map((sample) => sample.labels[tagLabel] ?? '')};
}

/** Plain data of a tagged result. */
const plainTagged = (result: InstantResult): {samples: unknown[]; tags: readonly string[] | undefined} => ({samples: result.samples.map((sample) => ({labels: {...sample.labels}, value: sample.value})), tags: result.tags});

describe('instant answers read with the tag apart (tagLabel)', () => {
	const clients = instantClients();
	/** An answer asked of `target`, with the tag apart or not. */
	const ask = async (target: 'client' | 'reference' | PrometheusClient, body: string, tagged: boolean): Promise<InstantResult> => clients.ask(target, body, tagged ? {tagLabel} : {});

	it('gives the real batched answer without its tags and names, the tags apart, one record per label set, from the text and in full', async () => {
		const plainResult = await ask('reference', compact(realRows), false);
		const fromText = await ask('client', compact(realRows), true);
		const inFull = await ask('reference', pretty(realRows), true);
		expect(plainTagged(fromText)).toEqual(expectedOf(plainResult));
		expect(plainTagged(inFull)).toEqual(expectedOf(plainResult));
		expect(fromText.tags).toContain('dbzConnected');
		for (const result of [fromText, inFull]) {
			const records = new Set(result.samples.map((sample) => sample.labels));
			const sets = new Set(result.samples.map((sample) => JSON.stringify(sample.labels)));
			expect(records.size).toBe(sets.size);
			expect(records.size).toBeLessThan(result.samples.length);
		}
		// Untagged, the labels are as Prometheus gave them, and no tags come.
		expect(plainResult.tags).toBeUndefined();
		expect(plainResult.samples[0]?.labels[tagLabel]).toBeDefined();
	});

	it('keeps the samples of rows that did not change, and gives the tags of rows that moved', async () => {
		const first = await ask('client', compact(realRows), true);
		const later = realRows.map((row) => ({...row, value: [row.value[0] + 2, row.value[1]] as const}));
		const second = await ask('client', compact(later), true);
		second.samples.forEach((sample, index) => expect(sample).toBe(first.samples[index]));
		expect(second.tags).toEqual(first.tags);
		const rotated = [...later.slice(7), ...later.slice(0, 7)];
		const third = await ask('client', compact(rotated), true);
		expect(plainTagged(third)).toEqual(expectedOf(await ask('reference', compact(rotated), false)));
		expect(third.samples[0]?.labels).toBe(first.samples[7]?.labels);
	});

	it('does not hand a tagged read the rows of an untagged read of the same query, nor the other way round', async () => {
		const plainResult = await ask('client', compact(realRows), false);
		const tagged = await ask('client', compact(realRows), true);
		const again = await ask('client', compact(realRows), false);
		expect(plainTagged(tagged)).toEqual(expectedOf(plainResult));
		expect(again.samples.map((sample) => ({...sample.labels}))).toEqual(plainResult.samples.map((sample) => ({...sample.labels})));
		expect(again.tags).toBeUndefined();
	});

	it('takes as a row\'s time exactly what JSON takes as a number', async () => {
		const times = ['0', '-0', '12', '1795765956.681', '1e5', '1E+5', '-1.5e-3', '0.0', '01', '1.', '.5', '-', '1.5e', '+1', '1e', '0x1', '00', '-01', '1.5E+', 'NaN', '١', '1e+05'];
		for (const time of times) {
			const body = `${vectorHead}{"metric":{"a":"b","${tagLabel}":"t"},"value":[${time},"1"]}]}}`;
			let isNumber = true;
			try {
				JSON.parse(body);
			} catch {
				isNumber = false;
			}
			const direct = readVectorPieces(body, emptyVectorMemory(), (json: unknown) => ({labels: {json: JSON.stringify(json)}, tag: ''}), Number);
			expect(direct !== undefined).toBe(isNumber);
			if (isNumber) expect(plainTagged(await ask('client', body, true))).toEqual({samples: [{labels: {a: 'b'}, value: 1}], tags: ['t']});
			else expect(await caught(ask('client', body, true))).toMatchObject({kind: 'malformed', source: 'prometheus'});
		}
	});

	it('gives what the plain read gives, tags apart, over any sequence of answers (tags, names, JMX quotes, __proto__, rows moved and changed)', async () => {
		const labelValue = fc.oneof(fc.string({maxLength: 6}), fc.constantFrom('"q"', '"a\\"b"', '}', '\\', 'é☃'));
		const row: fc.Arbitrary<Row> = fc.record({
			metric: fc.record(
				{
					[tagLabel]: fc.constantFrom('recordRate', 'sinkLag', 'sinkLag:at', '"quoted"', ''),
					__name__: fc.constantFrom('up', 'x'),
					connector: fc.constantFrom('a', 'b', '"c"'),
					task: fc.constantFrom('0', '1'),
					['__proto__']: labelValue,
					other: labelValue,
				},
				{requiredKeys: []},
			),
			value: fc.tuple(fc.constantFrom(1795765956.681, 12), fc.constantFrom('1', '0', 'NaN', '+Inf', '-3', '0.25')),
		});
		await fc.assert(
			fc.asyncProperty(fc.array(fc.array(row, {maxLength: 10}), {minLength: 1, maxLength: 4}), fc.boolean(), async (answers, prettyLast) => {
				// A client of its own: the first answer is read with nothing to compare with.
				const fresh = createPrometheusClient({url: origin, timeoutMs: 1000, dispatcher: clients.agent()});
				for (const [index, rows] of answers.entries()) {
					const body = prettyLast && index === answers.length - 1 ? pretty(rows) : compact(rows);
					const tagged = await ask(fresh, body, true);
					expect(plainTagged(tagged)).toEqual(expectedOf(await ask('reference', body, false)));
					// Read with nothing to compare with, rows of the same labels (in the same order) share one record.
					if (index === 0 || body.includes('\n')) {
						const records = new Set(tagged.samples.map((sample) => sample.labels));
						expect(records.size).toBe(new Set(tagged.samples.map((sample) => JSON.stringify(Object.entries(sample.labels)))).size);
					}
				}
				await fresh.close();
			}),
			{numRuns: 150},
		);
	});
});
