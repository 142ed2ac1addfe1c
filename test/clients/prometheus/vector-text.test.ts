import {readFileSync} from 'node:fs';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {z} from 'zod';
import type {InstantResult} from '../../../source/clients/prometheus/client.js';
import {emptyVectorMemory, vectorHead} from '../../../source/clients/prometheus/vector-text.js';
import {caught} from '../../helpers/caught.js';
import {readVectorPieces} from '../../helpers/read-vector.js';
import {instantClients} from './instant-clients.js';

/*
 * The vector reader reads Prometheus's instant-vector answers from their bytes as they arrive,
 * comparing each row with the row at its place in the last answer (by hashes). What the client gives must be what the full
 * parse (JSON.parse, then the row checks) gives for the same answer. The full parse is what the
 * client does with a body laid out otherwise: the same answer pretty-printed is the reference.
 */

const recorded = z
	.object({prometheusAnswer: z.object({status: z.literal('success'), data: z.object({resultType: z.literal('vector'), result: z.array(z.object({metric: z.record(z.string(), z.string()), value: z.tuple([z.number(), z.string()])}))})})})
	.parse(JSON.parse(readFileSync(new URL('../../fixtures/prom/batched-answer-stale-worker-2.json', import.meta.url), 'utf8')));

interface Row {
	readonly metric: Record<string, string>;
	readonly value: readonly [number, string];
}

/** Any record of strings, without a tag (the reader's headOf, for calls made here directly). */
const labelsOf = (json: unknown): {labels: Record<string, string>; tag: string} | undefined => {
	const labels = z.record(z.string(), z.string()).safeParse(json).data;
	return labels === undefined ? undefined : {labels, tag: ''};
};

const realRows: readonly Row[] = recorded.prometheusAnswer.data.result;
const answer = (rows: readonly Row[], extra: Record<string, unknown> = {}): {status: string; data: {resultType: string; result: readonly Row[]}} => ({status: 'success', data: {resultType: 'vector', result: rows}, ...extra});
/** As Prometheus writes it: what the vector reader reads. */
const compact = (rows: readonly Row[]): string => JSON.stringify(answer(rows));
/** The same answer with whitespace: the client's full parse. */
const pretty = (rows: readonly Row[]): string => JSON.stringify(answer(rows), null, 1);

/** Plain data of a result (samples compared by value). */
const plain = (result: InstantResult): unknown => ({samples: result.samples.map(sample => ({labels: {...sample.labels}, value: sample.value})), warnings: result.warnings});

describe('instant answers read from their bytes (the vector reader)', () => {
	const {ask} = instantClients();

	it('gives what the full parse gives for a real batched answer, then the same samples again for the same rows', async () => {
		const expected = plain(await ask('reference', pretty(realRows)));
		const first = await ask('client', compact(realRows));
		expect(plain(first)).toEqual(expected);
		expect(first.samples.length).toBe(realRows.length);
		// The next refresh: new sample times, the same values.
		const later = realRows.map(row => ({...row, value: [row.value[0] + 2, row.value[1]] as const}));
		const second = await ask('client', compact(later));
		expect(plain(second)).toEqual(expected);
		second.samples.forEach((sample, index) => expect(sample).toBe(first.samples[index]));
	});

	it('keeps the labels of a row whose value moved, and makes a new sample for it', async () => {
		const first = await ask('client', compact(realRows));
		const moved = realRows.map((row, index) => (index === 3 ? {...row, value: [row.value[0], '42.5'] as const} : row));
		const second = await ask('client', compact(moved));
		expect(second.samples[3]).not.toBe(first.samples[3]);
		expect(second.samples[3]?.labels).toBe(first.samples[3]?.labels);
		expect(second.samples[3]?.value).toBe(42.5);
		expect(second.samples[4]).toBe(first.samples[4]);
	});

	it('finds the labels of rows that moved to another place (a row added at the front, one dropped)', async () => {
		const first = await ask('client', compact(realRows));
		const added: Row = {metric: {kctop_metric: 'recordRate', connector: 'new-one', instance: 'h:1'}, value: [1, '3']};
		const shifted = [added, ...realRows.slice(0, 5), ...realRows.slice(6)];
		const second = await ask('client', compact(shifted));
		expect(plain(second)).toEqual(plain(await ask('reference', pretty(shifted))));
		expect(second.samples[1]?.labels).toBe(first.samples[0]?.labels);
		expect(second.samples[6]?.labels).toBe(first.samples[6]?.labels);
	});

	it('unquotes JMX-quoted label values and keeps a label named __proto__ as a plain label, as the full parse does', async () => {
		const rows: Row[] = [
			{metric: {__name__: 'kafka_connect_connector_status', connector: '"quoted \\"name\\""', ['__proto__']: 'x', '}': '{"metric":'}, value: [1.5, 'NaN']},
			{metric: {a: '\\', b: '\u00e9\u2603', c: '},"value":[1,"2"]}'}, value: [1.5, '+Inf']},
			{metric: {}, value: [1.5, '-Inf']},
			{metric: {d: 'e'}, value: [1.5, '1.5e+06']},
		];
		const body = compact(rows);
		const read = await ask('client', body);
		expect(plain(read)).toEqual(plain(await ask('reference', pretty(rows))));
		expect(Object.getPrototypeOf(read.samples[0]?.labels)).toBe(Object.prototype);
		expect(read.samples[0]?.labels['connector']).toBe('quoted "name"');
		expect(Object.hasOwn(read.samples[0]?.labels ?? {}, '__proto__')).toBe(true);
		// The same body again: every sample reused.
		const again = await ask('client', body);
		again.samples.forEach((sample, index) => expect(sample).toBe(read.samples[index]));
	});

	it('hands back what follows the rows (warnings, infos) as the envelope, and leaves to the full parse what it does not read: native histograms, whitespace, another layout', async () => {
		expect(readVectorPieces(compact(realRows), emptyVectorMemory(), labelsOf, Number)).toMatchObject({samples: {length: realRows.length}, envelope: undefined});
		const noted = [JSON.stringify(answer(realRows.slice(0, 2), {warnings: ['partial response']})), JSON.stringify(answer(realRows.slice(0, 2), {infos: ['metric might not be a counter']}))];
		for (const body of noted) {
			const read = readVectorPieces(body, emptyVectorMemory(), labelsOf, Number);
			expect(read?.samples).toHaveLength(2);
			expect(read?.envelope === undefined ? undefined : JSON.parse(read.envelope)).toEqual({...JSON.parse(body), data: {resultType: 'vector', result: []}});
		}
		const refused = [
			JSON.stringify({status: 'success', data: {resultType: 'vector', result: [{metric: {a: 'b'}, histogram: [1, {count: '2', sum: '3'}]}]}}),
			pretty(realRows.slice(0, 2)),
			JSON.stringify({status: 'success', isPartial: false, data: {resultType: 'vector', result: []}}),
		];
		for (const body of refused) expect(readVectorPieces(body, emptyVectorMemory(), labelsOf, Number)).toBeUndefined();
		const warned = await ask('client', noted[0] ?? '');
		expect(warned.warnings).toEqual(['partial response']);
		expect(warned.samples).toHaveLength(2);
		expect((await ask('client', noted[1] ?? '')).warnings).toEqual(['info: metric might not be a counter']);
		const histogram = await ask('client', refused[0] ?? '');
		expect(histogram.samples).toEqual([]);
		expect(histogram.warnings).toEqual(['1 native histogram series ignored']);
	});

	it('reads an answer the same whatever pieces its bytes arrive in (cut inside rows, escapes and multi-byte characters)', () => {
		const rows: Row[] = [
			{metric: {connector: 'é☃-"q"\\', kctop_metric: 'lag', task: '0'}, value: [1795765956.681, '12']},
			...realRows,
			{metric: {a: '},"value":[1,"2"]}'}, value: [1795765956.681, '+Inf']},
		];
		const body = Buffer.from(`${compact(rows).slice(0, -2)},"warnings":["w"]}`, 'utf8');
		const whole = readVectorPieces(body, emptyVectorMemory(), labelsOf, Number);
		expect(whole?.samples).toHaveLength(rows.length);
		fc.assert(
			fc.property(fc.array(fc.integer({min: 1, max: 300}), {minLength: 1, maxLength: 8}), fc.integer({min: 0, max: 2}), (sizes, repeats) => {
				const memory = emptyVectorMemory();
				// The same answer again, from the memory of the ones before (rows found by their hashes).
				for (let k = 0; k <= repeats; k++) {
					const read = readVectorPieces(body, memory, labelsOf, Number, sizes);
					expect(read?.samples.map(sample => ({labels: {...sample.labels}, value: sample.value}))).toEqual(whole?.samples.map(sample => ({labels: {...sample.labels}, value: sample.value})));
					expect(read?.envelope).toBe(whole?.envelope);
				}
			}),
			{numRuns: 200},
		);
	});

	it('gives the full parse its errors: a bad value, a label that is not a string, a body cut short, bytes after the end', async () => {
		const bad = [
			`${vectorHead}{"metric":{"a":"b"},"value":[1,"twelve"]}]}}`,
			`${vectorHead}{"metric":{"a":1},"value":[1,"1"]}]}}`,
			`${vectorHead}{"metric":{"a":"b"},"value":["1","1"]}]}}`,
			`${vectorHead}{"metric":{"a":"b"},"value":[1,"1"]}`,
			`${vectorHead}{"metric":{"a":"b"},"value":[1,"1"]}]}}]}}`,
			`${vectorHead}{"metric":{"a":"b\\x"},"value":[1,"1"]}]}}`,
		];
		for (const body of bad) {
			const error = await caught(ask('client', body));
			expect(error).toMatchObject({kind: 'malformed', source: 'prometheus'});
		}
		// A good answer after them is read as usual.
		expect(plain(await ask('client', compact(realRows.slice(0, 3))))).toEqual(plain(await ask('reference', pretty(realRows.slice(0, 3)))));
	});

	it('gives what the full parse gives over any sequence of answers (labels with escapes, rows added, dropped, moved, values changed)', async () => {
		const labelValue = fc.oneof(fc.string({maxLength: 8}), fc.constantFrom('"q"', '"a\\"b"', '}', '{"metric":', '\\', '","value":[', 'é☃'));
		const row: fc.Arbitrary<Row> = fc.record({
			metric: fc.dictionary(fc.oneof(fc.constantFrom('connector', 'task', 'kctop_metric', '__name__', '__proto__', '}', 'value'), fc.string({maxLength: 5})), labelValue, {maxKeys: 5}),
			value: fc.tuple(fc.constantFrom(1795765956.681, 1795765958.7, 0, 12), fc.constantFrom('1', '0', 'NaN', '+Inf', '-Inf', '1.5e+06', '-3', '0.25')),
		});
		await fc.assert(
			fc.asyncProperty(fc.array(row, {maxLength: 12}), fc.array(fc.tuple(fc.nat(12), fc.nat(12), fc.constantFrom('1', '7', 'NaN')), {maxLength: 6}), async (rows, edits) => {
				// The first answer, then the same one edited: a row's value changed, a row moved or dropped.
				const next = [...rows];
				for (const [from, to, value] of edits) {
					const moved = next.splice(from % Math.max(1, next.length), 1)[0];
					if (moved !== undefined && to % 3 !== 0) next.splice(to % (next.length + 1), 0, to % 2 === 0 ? moved : {...moved, value: [moved.value[0], value]});
				}
				expect(readVectorPieces(compact(rows), emptyVectorMemory(), labelsOf, Number)?.samples).toHaveLength(rows.length);
				const given: InstantResult[] = [];
				for (const body of [rows, next, next, rows]) {
					const read = await ask('client', compact(body));
					expect(plain(read)).toEqual(plain(await ask('reference', pretty(body))));
					given.push(read);
				}
				// The same answer twice: the same samples.
				given[2]?.samples.forEach((sample, index) => expect(sample).toBe(given[1]?.samples[index]));
			}),
			{numRuns: 150},
		);
	});

	it('never changes a list it handed out, answers later', () => {
		const memory = emptyVectorMemory();
		const first = readVectorPieces(compact(realRows), memory, labelsOf, Number);
		if (first === undefined) throw new Error('the reader refused the recorded answer');
		const samples = [...first.samples];
		const tags = [...first.tags];
		// Three more answers, into the reader's two sets of arrays in turn: every value changed, a row fewer, the first again.
		const changed = realRows.map(row => ({...row, value: [row.value[0], '7'] as const}));
		for (const rows of [changed, realRows.slice(1), realRows]) expect(readVectorPieces(compact(rows), memory, labelsOf, Number)?.samples).toHaveLength(rows.length);
		expect(first.samples).toHaveLength(samples.length);
		first.samples.forEach((sample, index) => expect(sample).toBe(samples[index]));
		expect(first.tags).toEqual(tags);
	});
});
