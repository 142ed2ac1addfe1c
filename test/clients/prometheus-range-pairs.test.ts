import {MockAgent} from 'undici';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {createPrometheusClient, type PrometheusClient} from '../../source/clients/prometheus/client.js';
import {promSamplePairsSchema} from '../../source/clients/prometheus/schemas.js';
import {caught} from '../helpers/caught.js';
import {pointsOf} from '../helpers/range-series.js';

/**
 * A range's sample pairs are checked in place (no copy of every pair, which cost 140 MB of heap
 * at 1,009 connectors): the check must still refuse every pair that is not [seconds, "value"].
 */

const origin = 'http://prom:9090';
const matrix = (values: unknown): string => JSON.stringify({status: 'success', data: {resultType: 'matrix', result: [{metric: {connector: 'a'}, values}]}});

describe('range sample pairs', () => {
	let agent: MockAgent;
	let client: PrometheusClient;

	beforeEach(() => {
		agent = new MockAgent();
		agent.disableNetConnect();
		client = createPrometheusClient({url: origin, timeoutMs: 1000, dispatcher: agent});
	});

	afterEach(async () => {
		await client.close();
		await agent.close();
	});

	it('accepts [seconds, "value"] pairs, returning the same array it was given', () => {
		const pairs = [
			[1_700_000_000, '1'],
			[1_700_000_002, 'NaN'],
		];
		const parsed = promSamplePairsSchema.safeParse(pairs);
		expect(parsed.success).toBe(true);
		expect(parsed.data).toBe(pairs);
		expect(promSamplePairsSchema.safeParse([]).success).toBe(true);
	});

	it.each([
		['a number as the value', [[1, 2]]],
		['a string as the time', [['1', '2']]],
		['three elements', [[1, '2', 3]]],
		['one element', [[1]]],
		['a pair that is an object', [{0: 1, 1: '2'}]],
		['null in the list', [[1, '2'], null]],
		['not a list', {0: [1, '2']}],
	])('refuses %s as a clear malformed error', async (_name, values) => {
		agent.get(origin).intercept({path: path => path.startsWith('/api/v1/query_range')}).reply(200, matrix(values), {headers: {'content-type': 'application/json'}});
		const error = await caught(client.queryRange('up', {start: 0, end: 60_000, stepMs: 15_000}));
		expect(error.kind).toBe('malformed');
		expect(error.isRetryable).toBe(false);
		expect(error.message).toMatch(/^Prometheus query_range: unexpected response from http:\/\/prom:9090\/api\/v1\/query_range: data\.result\.0\.values: expected \[<unix seconds>, "<value>"\] pairs$/);
	});

	it('converts a large matrix (2,000 series × 150 points) point by point', async () => {
		const series = Array.from({length: 2000}, (_, index) => ({metric: {connector: `c-${index}`}, values: Array.from({length: 150}, (_, point) => [1_700_000_000 + point * 2, String(index + point)])}));
		agent.get(origin).intercept({path: path => path.startsWith('/api/v1/query_range')}).reply(200, JSON.stringify({status: 'success', data: {resultType: 'matrix', result: series}}), {headers: {'content-type': 'application/json'}});
		const result = await client.queryRange('up', {start: 1_700_000_000_000, end: 1_700_000_300_000, stepMs: 2000});
		expect(result.series).toHaveLength(2000);
		expect(result.series[1999]?.labels).toEqual({connector: 'c-1999'});
		expect(pointsOf(result.series[1999]).at(-1)).toEqual([1_700_000_298_000, 1999 + 149]);
		expect(result.series.every(each => each.times.length === 150 && each.values.length === 150)).toBe(true);
	});
});
