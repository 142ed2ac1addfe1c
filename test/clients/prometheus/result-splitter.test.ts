import {readFileSync} from 'node:fs';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {z} from 'zod';
import {ResultSplitter} from '../../../source/clients/prometheus/result-splitter.js';

/*
 * The splitter hands over the rows of data.result one by one and keeps the rest as the
 * envelope. Held against one JSON.parse of the whole body: put back together, rows and
 * envelope are that parse, however the body is cut into chunks; and the body is valid JSON
 * exactly when the envelope, every row and the commas between rows are.
 */

interface Split {
	readonly rows: string[];
	readonly envelope: string;
	readonly invalid: string | undefined;
}

function split(body: Uint8Array, cuts: readonly number[]): Split {
	const rows: string[] = [];
	const splitter = new ResultSplitter((text, index) => {
		expect(index).toBe(rows.length);
		rows.push(text);
	});
	let from = 0;
	for (const cut of [...cuts].sort((a, b) => a - b)) {
		const at = Math.min(cut, body.length);
		if (at < from) continue;
		splitter.write(body.subarray(from, at));
		from = at;
	}
	splitter.write(body.subarray(from));
	return {rows, envelope: splitter.end(), invalid: splitter.invalid};
}

function parses(text: string): boolean {
	try {
		JSON.parse(text);
		return true;
	} catch {
		return false;
	}
}

const recordSchema = z.record(z.string(), z.unknown());

/** Rows and envelope put back together: the envelope's data.result replaced by the rows. */
function reassembled({rows, envelope}: Split): unknown {
	const outer: unknown = JSON.parse(envelope);
	if (rows.length === 0) return outer;
	const root = recordSchema.parse(outer);
	const data = recordSchema.parse(root['data']);
	expect(data['result']).toEqual([]);
	return {...root, data: {...data, result: rows.map((row): unknown => JSON.parse(row))}};
}

const encoder = new TextEncoder();

const recorded = z
	.object({prometheusAnswer: z.object({data: z.object({result: z.array(z.object({metric: z.record(z.string(), z.string()), value: z.tuple([z.number(), z.string()])}))})})})
	.parse(JSON.parse(readFileSync(new URL('../../fixtures/prom/batched-answer-stale-worker-2.json', import.meta.url), 'utf8')));

/** A range answer from the recorded rows: each row's value repeated over 61 points, label values in several scripts. */
const recordedMatrix = {
	status: 'success',
	data: {
		resultType: 'matrix',
		result: recorded.prometheusAnswer.data.result.map((row, index) => ({
			metric: {...row.metric, connector: `${row.metric['connector'] ?? 'c'}-é-中文-🙂-"q"-\\-${index}`},
			values: Array.from({length: 61}, (_, point) => [1_795_765_900.25 + point * 5, point % 7 === 0 ? 'NaN' : row.value[1]]),
		})),
	},
	warnings: ['PromQL warning: encountered a mix of histograms and floats'],
};

/** Answers of the documented shape and others: keys in any order, other keys around, rows of any JSON value, any indentation. */
const answers = fc
	.record({
		rows: fc.array(fc.oneof({weight: 3, arbitrary: fc.record({metric: fc.dictionary(fc.string(), fc.string()), values: fc.array(fc.tuple(fc.double({noNaN: true}), fc.string()), {maxLength: 4})})}, {weight: 1, arbitrary: fc.jsonValue({maxDepth: 3})}), {maxLength: 6}),
		rootExtras: fc.dictionary(fc.constantFrom('status', 'warnings', 'infos', 'stats', 'errorType'), fc.jsonValue({maxDepth: 2}), {maxKeys: 3}),
		dataExtras: fc.dictionary(fc.constantFrom('resultType', 'stats', 'x'), fc.jsonValue({maxDepth: 2}), {maxKeys: 2}),
		dataFirst: fc.boolean(),
		resultFirst: fc.boolean(),
		indent: fc.constantFrom(undefined, 0, 1, 2, '\t', ' \r\n'),
	})
	.map(({rows, rootExtras, dataExtras, dataFirst, resultFirst, indent}) => {
		const data = resultFirst ? {result: rows, ...dataExtras} : {...dataExtras, result: rows};
		const root = dataFirst ? {data, ...rootExtras} : {...rootExtras, data};
		const text = JSON.stringify(root, null, indent);
		// Space before and after commas and colons too, which JSON.stringify never writes.
		return indent === ' \r\n' ? text.replaceAll(',', ' , ').replaceAll('":', '" :') : text;
	});

const cuts = fc.array(fc.nat({max: 4000}), {maxLength: 12});

describe('splitting a Prometheus answer into its rows', () => {
	it('hands over a recorded range answer row by row, cut every 7 bytes across multi-byte characters, as JSON.parse reads it whole', () => {
		const body = encoder.encode(JSON.stringify(recordedMatrix));
		const parts = split(body, Array.from({length: Math.ceil(body.length / 7)}, (_, index) => index * 7));
		expect(parts.rows).toHaveLength(recordedMatrix.data.result.length);
		expect(parts.invalid).toBeUndefined();
		expect(JSON.parse(parts.envelope)).toEqual({...recordedMatrix, data: {resultType: 'matrix', result: []}});
		expect(reassembled(parts)).toEqual(JSON.parse(JSON.stringify(recordedMatrix)));
	});

	it('puts any answer back together as JSON.parse reads it whole, however it is cut', () => {
		fc.assert(
			fc.property(answers, cuts, (text, at) => {
				const parts = split(encoder.encode(text), at);
				expect(parts.invalid).toBeUndefined();
				expect(reassembled(parts)).toEqual(JSON.parse(text));
			}),
			{seed: 0x5e1_17, numRuns: 400},
		);
	});

	it('leaves an answer without data.result whole in the envelope', () => {
		for (const body of [{status: 'error', errorType: 'bad_data', error: 'parse error'}, {status: 'success', data: ['a', 'b']}, {status: 'success', data: {resultType: 'string', result: 'x'}}, {data: {results: [{}]}}, [{data: {result: [1]}}], 'text']) {
			const text = JSON.stringify(body);
			const parts = split(encoder.encode(text), [3, 9]);
			expect(parts.rows).toEqual([]);
			expect(parts.envelope).toBe(text);
		}
		// A scalar's [time, "value"] is split like rows; the client refuses the result type before reading them.
		const scalar = split(encoder.encode('{"status":"success","data":{"resultType":"scalar","result":[1,"2"]}}'), []);
		expect(scalar.rows).toEqual(['1', '"2"']);
		expect(reassembled(scalar)).toEqual({status: 'success', data: {resultType: 'scalar', result: [1, '2']}});
		// A key escaped in the answer is not recognised: the answer stays whole, and reads the same.
		const escaped = '{"data":{"res\\u0075lt":[{"metric":{}}]}}';
		expect(split(encoder.encode(escaped), []).envelope).toBe(escaped);
	});

	it('finds the body invalid exactly when JSON.parse of the whole would (bytes inserted, deleted or replaced)', () => {
		const mutated = fc.tuple(answers, fc.nat(), fc.constantFrom('', ',', '"', '{', '}', '[', ']', ':', '\\', ' ', 'x', '1', 'é'), fc.integer({min: 0, max: 2}), cuts).map(([text, position, insert, remove, at]) => {
			const where = position % (text.length + 1);
			return {text: `${text.slice(0, where)}${insert}${text.slice(where + remove)}`, at};
		});
		let invalid = 0;
		fc.assert(
			fc.property(mutated, ({text, at}) => {
				const parts = split(encoder.encode(text), at);
				const whole = parses(text);
				const pieces = parts.invalid === undefined && parses(parts.envelope) && parts.rows.every(parses);
				expect(pieces).toBe(whole);
				if (whole) expect(reassembled(parts)).toEqual(JSON.parse(text));
				else invalid += 1;
			}),
			{seed: 0x5e1_18, numRuns: 1500},
		);
		// The mutations made invalid answers often enough for the property to mean something.
		expect(invalid).toBeGreaterThan(300);
	});

	it('reports commas missing or extra between rows', () => {
		expect(split(encoder.encode('{"data":{"result":[{} {}]}}'), []).invalid).toMatch(/missing comma/);
		expect(split(encoder.encode('{"data":{"result":[{},]}}'), []).invalid).toMatch(/unexpected comma/);
		expect(split(encoder.encode('{"data":{"result":[,{}]}}'), []).invalid).toMatch(/unexpected comma/);
		expect(split(encoder.encode('{"data":{"result":[{},{}]}}'), [20, 21]).invalid).toBeUndefined();
	});
});
