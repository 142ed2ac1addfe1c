import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {MockAgent} from 'undici';
import {createFormEncoder} from '../../source/clients/http.js';
import {createPrometheusClient} from '../../source/clients/prometheus/client.js';
import {batchedPromQL} from '../../source/metrics/prometheus-source.js';
import {profiles} from '../../source/metrics/profiles/index.js';
import {toPromQL} from '../../source/metrics/promql.js';
import {logicalMetricIds} from '../../source/metrics/types.js';

/** The batched instant query kctop sends each refresh, for every built-in profile. */
const batchedQueries = profiles.map(profile => {
	const ids = logicalMetricIds.filter(id => profile.metrics[id] !== undefined);
	return batchedPromQL(
		ids.flatMap(id => {
			const definition = profile.metrics[id];
			return definition === undefined ? [] : [{id, promql: toPromQL(definition, {rateWindow: '1m'})}];
		}),
		120_000,
	);
});

describe('createFormEncoder', () => {
	it('encodes as URLSearchParams does, while the query stays and the time moves, and when the query changes back and forth', () => {
		const encode = createFormEncoder();
		const reference = (params: Record<string, string>): string => new URLSearchParams(params).toString();
		const odd = 'sum by (connector) (x{name=~"a b&c=d+e"}) or ü 🙂 ␛ \n % #';
		const sequence = [...batchedQueries, batchedQueries[0] ?? '', odd, batchedQueries[0] ?? '', odd, odd];
		expect(batchedQueries.every(query => query.length > 2000)).toBe(true);
		sequence.forEach((query, index) => {
			for (const time of ['1764288000', '1764288002.5', '1764288000']) {
				const params = {query, time: `${time}${index}`};
				expect(encode(params)).toBe(reference(params));
			}
		});
		expect(encode({})).toBe('');
		expect(encode({query: '', time: ''})).toBe(reference({query: '', time: ''}));
	});
});

describe('the Prometheus client with a long query', () => {
	let agent: MockAgent;
	beforeEach(() => {
		agent = new MockAgent({enableCallHistory: true});
		agent.disableNetConnect();
	});
	afterEach(async () => {
		await agent.close();
	});

	it('posts the same form bytes as before on every refresh, with each refresh its own time', async () => {
		const client = createPrometheusClient({url: 'http://prom:9090', timeoutMs: 1000, dispatcher: agent});
		const answer = JSON.stringify({status: 'success', data: {resultType: 'vector', result: []}});
		const query = batchedQueries[0] ?? '';
		const times = [1_700_000_000_000, 1_700_000_002_000, 1_700_000_000_000];
		for (const time of times) {
			agent.get('http://prom:9090').intercept({path: '/api/v1/query', method: 'POST'}).reply(200, answer, {headers: {'content-type': 'application/json'}});
			await client.query(query, {time});
			const call = agent.getCallHistory()?.lastCall();
			expect(call?.method).toBe('POST');
			expect(call?.body).toBe(new URLSearchParams({query, time: String(time / 1000)}).toString());
		}
	});
});
