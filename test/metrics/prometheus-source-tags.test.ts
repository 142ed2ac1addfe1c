import {readFileSync} from 'node:fs';
import fc from 'fast-check';
import {MockAgent} from 'undici';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {z} from 'zod';
import {createPrometheusClient, type PrometheusClient} from '../../source/clients/prometheus/client.js';
import {createPrometheusSource, metricTagLabel} from '../../source/metrics/prometheus-source.js';
import {kctopProfile} from '../../source/metrics/profiles/default.js';
import {tagApart} from '../helpers/tag-apart.js';

/*
 * The batched source asks the client for the tag apart (tagLabel): the client then keeps one
 * label record per label set, and the source copies nothing. What the source gives must be
 * what it gives over a client that reads the answer with the tag among the labels and has the
 * test take it apart (tagApart), refresh after refresh, over the same answers.
 */

const origin = 'http://prom:9090';
const json = {headers: {'content-type': 'application/json'}};

const recording = z
	.object({time: z.number(), prometheusAnswer: z.object({data: z.object({result: z.array(z.object({metric: z.record(z.string(), z.string()), value: z.tuple([z.number(), z.string()])}))})})})
	.parse(JSON.parse(readFileSync(new URL('../fixtures/prom/batched-answer-stale-worker-2.json', import.meta.url), 'utf8')));

interface Row {
	readonly metric: Readonly<Record<string, string>>;
	readonly value: readonly [number, string];
}

const recorded: readonly Row[] = recording.prometheusAnswer.data.result;

interface Edit {
	readonly kind: 'drop' | 'rotate' | 'value' | 'label';
	readonly at: number;
	/** The new value's text (`value`) or worker_id (`label`). */
	readonly value?: string;
}

const edit: fc.Arbitrary<Edit> = fc.oneof(
	fc.record({kind: fc.constantFrom('drop' as const, 'rotate' as const), at: fc.nat()}),
	fc.record({kind: fc.constant('value' as const), at: fc.nat(), value: fc.constantFrom('0', '1', 'NaN', '-3.5', '1795765776.52')}),
	fc.record({kind: fc.constant('label' as const), at: fc.nat(), value: fc.constantFrom('x', '', 'connect-9:8083', '"quoted"')}),
);

/** The recorded rows edited as the next refreshes of a cluster edit them, at the answer's new time. */
function edited(edits: readonly Edit[], time: number): Row[] {
	let rows: Row[] = recorded.map((row) => ({metric: row.metric, value: [time / 1000, row.value[1]] as const}));
	for (const change of edits) {
		if (rows.length === 0) break;
		const at = change.at % rows.length;
		const row = rows[at];
		if (row === undefined) continue;
		if (change.kind === 'drop' || change.kind === 'rotate') rows = change.kind === 'drop' ? rows.filter((_, index) => index !== at) : [...rows.slice(at), ...rows.slice(0, at)];
		else if (change.kind === 'value') rows[at] = {...row, value: [row.value[0], change.value ?? '0']};
		else rows[at] = {...row, metric: {...row.metric, worker_id: change.value ?? ''}};
	}
	return rows;
}

/** A client that reads the answer with the tag among the labels, and takes the tag apart afterwards, in the test (tagApart): the reference. */
function untagged(client: PrometheusClient): PrometheusClient {
	return {...client, query: async (promql, options = {}) => tagApart(await client.query(promql, {...(options.time === undefined ? {} : {time: options.time}), ...(options.signal === undefined ? {} : {signal: options.signal})}), options.tagLabel)};
}

describe('the batched source over a client that hands the tag apart', () => {
	let agent: MockAgent;

	beforeEach(() => {
		agent = new MockAgent();
		agent.disableNetConnect();
		agent.get(origin).intercept({path: (path) => path.startsWith('/api/v1/label/')}).reply(200, '{"status":"success","data":[]}', json).persist();
	});

	afterEach(async () => {
		await agent.close();
	});

	it('gives, refresh after refresh, what it gives over a client that leaves the tag among the labels (the recorded answer, edited)', async () => {
		let seen = 0;
		await fc.assert(
			fc.asyncProperty(fc.array(fc.array(edit, {maxLength: 5}), {minLength: 1, maxLength: 4}), fc.boolean(), async (runs, prettyOne) => {
				const tagged = createPrometheusClient({url: origin, timeoutMs: 1000, dispatcher: agent});
				const plain = createPrometheusClient({url: origin, timeoutMs: 1000, dispatcher: agent});
				const sourceOf = (client: PrometheusClient) => createPrometheusSource({client, profile: kctopProfile, rateWindow: '1m', staleAfterMs: 60_000});
				const sources = [sourceOf(tagged), sourceOf(untagged(plain))] as const;
				const asked: boolean[] = [];
				for (const [index, edits] of [[], ...runs].entries()) {
					const now = recording.time + index * 2000;
					const rows = edited(edits, now);
					const answer = {status: 'success', data: {resultType: 'vector', result: rows}};
					// One answer laid out otherwise: the client reads it in full.
					const body = prettyOne && index === 1 ? JSON.stringify(answer, null, 1) : JSON.stringify(answer);
					const results = [];
					for (const source of sources) {
						agent
							.get(origin)
							.intercept({path: (path) => path.startsWith('/api/v1/query'), method: () => true})
							.reply(200, (request) => {
								asked.push(String(request.body ?? request.path).includes(metricTagLabel));
								return body;
							}, json);
						results.push(await source.fetch(now));
					}
					const [fromTagged, fromPlain] = results;
					expect(fromTagged?.results).toEqual(fromPlain?.results);
					expect(fromTagged?.empty).toEqual(fromPlain?.empty);
					expect(fromTagged?.stale).toEqual(fromPlain?.stale);
					const samples = [...(fromTagged?.results.values() ?? [])].flat();
					expect(samples.length).toBeGreaterThan(0);
					// Read with the tag apart: metrics of the same labels share one record (the plain path copies each row's).
					if (index === 0) expect(new Set(samples.map((sample) => sample.labels)).size).toBeLessThan(samples.length);
				}
				// Every answer was the batched query's.
				expect(asked.every(Boolean)).toBe(true);
				seen += 1;
				await tagged.close();
				await plain.close();
			}),
			{numRuns: 40},
		);
		expect(seen).toBe(40);
	});
});
