import fc from 'fast-check';
import type {MockAgent} from 'undici';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {KctopError} from '../../source/clients/errors.js';
import {createPrometheusClient, parsePromValue, type PrometheusClient} from '../../source/clients/prometheus/client.js';
import {parseExposition} from '../../source/clients/scrape/parser.js';
import {check, expectTypedError, jsonBodies, realPayloads, settings, statuses, valueOrTypedError, expectErrorUnlessOk, expectReachedParsers, replyingAgent, type Reply, type Tally} from './mutate.js';

/**
 * The Prometheus client's parse path under generated and mutated API answers. The seeds are
 * built from the real exporter payloads (their series and values, JMX-quoted label values
 * included) in the documented API shapes (vector, matrix, scalar, label values, error
 * bodies, warnings), then damaged as JSON trees and as bytes, and served with any status.
 */

const origin = 'http://prom:9090';
const exposition = realPayloads('metrics', '.prom');

function seedBodies(): string[] {
	const bodies: string[] = [];
	const at = 1_764_220_000.123;
	for (const text of exposition) {
		const samples = parseExposition(text, {unquoteLabelValues: false}).samples.slice(0, 40);
		const metric = (sample: (typeof samples)[number]): Record<string, string> => ({__name__: sample.name, ...sample.labels});
		const valueText = (value: number): string => (Number.isNaN(value) ? 'NaN' : value === Infinity ? '+Inf' : value === -Infinity ? '-Inf' : String(value));
		bodies.push(
			JSON.stringify({status: 'success', data: {resultType: 'vector', result: samples.map(sample => ({metric: metric(sample), value: [at, valueText(sample.value)]}))}}),
			JSON.stringify({
				status: 'success',
				data: {resultType: 'matrix', result: samples.slice(0, 10).map(sample => ({metric: metric(sample), values: [0, 15, 30].map(offset => [at + offset, valueText(sample.value + offset)])}))},
				warnings: ['PromQL warning: encountered a mix of histograms and floats for metric name'],
			}),
			JSON.stringify({status: 'success', data: [...new Set(samples.map(sample => sample.name))]}),
		);
	}
	bodies.push(
		JSON.stringify({status: 'success', data: {resultType: 'scalar', result: [at, '1']}}),
		JSON.stringify({status: 'success', data: null}),
		JSON.stringify({status: 'error', errorType: 'bad_data', error: 'invalid parameter "query": 1:1: parse error: unexpected end of input'}),
		JSON.stringify({status: 'error', errorType: 'timeout', error: 'query timed out in expression evaluation'}),
		JSON.stringify({status: 'success', data: {resultType: 'vector', result: [{metric: {}, histogram: [at, {count: '2', sum: '1', buckets: [[0, '0', '1', '2']]}]}]}, infos: ['PromQL info: metric might not be a counter']}),
	);
	return bodies;
}

const seeds = seedBodies();


let agent: MockAgent;
let client: PrometheusClient;
let reply: Reply = {status: 200, body: '{}', contentType: 'application/json'};

beforeAll(() => {
	agent = replyingAgent([origin], () => reply);
	client = createPrometheusClient({url: origin, timeoutMs: 1000, dispatcher: agent});
});

afterAll(async () => {
	await client.close();
	await agent.close();
});

const calls = {
	query: async () => client.query('up{job=~".*connect.*"}'),
	queryRange: async () => client.queryRange('kafka_connect_connector_status', {start: 1_764_220_000_000, end: 1_764_220_300_000, stepMs: 15_000}),
	labelValues: async () => client.labelValues('connector', {match: ['kafka_connect_connector_status']}),
} as const;
type CallName = keyof typeof calls;
const callNames = Object.keys(calls).filter((name): name is CallName => Object.hasOwn(calls, name));

/** Structurally valid answers with arbitrary labels, timestamps and value strings. */
const generatedBodies: fc.Arbitrary<string> = fc
	.record({
		resultType: fc.constantFrom('vector', 'matrix', 'scalar', 'string'),
		labels: fc.dictionary(fc.string({maxLength: 12}), fc.string({unit: 'binary', maxLength: 30}), {maxKeys: 4}),
		at: fc.oneof(fc.double(), fc.integer()),
		value: fc.oneof(fc.constantFrom('NaN', '+Inf', '-Inf', 'Inf', '-1', '1e400', '0x1p-2', ' 1', '1_000', ''), fc.string({maxLength: 10}), fc.double().map(String)),
	})
	.map(({resultType, labels, at, value}) => {
		const result =
			resultType === 'vector' ? [{metric: labels, value: [at, value]}] : resultType === 'matrix' ? [{metric: labels, values: [[at, value]]}] : [at, value];
		return JSON.stringify({status: 'success', data: {resultType, result}});
	});

describe('fuzz: Prometheus API answers', () => {
	it('every query answers a value or a KctopError, whatever the body and status', async () => {
		const tally: Tally = new Map();
		expect(seeds.length).toBeGreaterThanOrEqual(8);
		await check(
			'prometheus: client calls',
			fc.asyncProperty(
				fc.constantFrom(...callNames),
				fc.record({status: statuses, body: fc.oneof({weight: 3, arbitrary: jsonBodies(seeds)}, {weight: 1, arbitrary: generatedBodies}), contentType: fc.constant('application/json')}),
				async (name: CallName, next: Reply) => {
					reply = next;
					const outcome = await valueOrTypedError<Awaited<ReturnType<(typeof calls)[CallName]>>>(calls[name], tally);
					expectErrorUnlessOk(outcome, next.status);
					// Values that come back are numbers: text never leaks through as a value.
					if (!(outcome instanceof KctopError) && 'samples' in outcome) for (const sample of outcome.samples) expect(typeof sample.value).toBe('number');
				},
			),
			settings(0x5eed_0101, 400),
		);
		expectReachedParsers(tally);
	});

	it('parsePromValue returns a number or throws a KctopError for any text', async () => {
		await check(
			'prometheus: sample values',
			fc.property(
				fc.oneof(fc.string({unit: 'binary', maxLength: 30}), fc.double().map(String), fc.constantFrom('NaN', '+Inf', '-Inf', '+inf', 'nan', '0x10', '1e-400', '-0')),
				(text: string) => {
					try {
						expect(typeof parsePromValue(text)).toBe('number');
					} catch (error) {
						expectTypedError(error);
					}
				},
			),
			settings(0x5eed_0102, 500),
		);
	});
});
