import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {MockAgent} from 'undici';
import {KctopError} from '../../source/clients/errors.js';
import {
	createPrometheusClient,
	parsePromValue,
	PrometheusApiError,
	type PrometheusClient,
} from '../../source/clients/prometheus/client.js';
import {batchedQueries} from '../helpers/batched-queries.js';
import {caught} from '../helpers/caught.js';
import {pointsOf} from '../helpers/range-series.js';

/*
 * Bodies follow the documented shapes of the Prometheus HTTP API
 * (https://prometheus.io/docs/prometheus/latest/querying/api/): values as JSON strings,
 * timestamps as float seconds, {status:"error", errorType, error} on failure.
 */

const origin = 'http://prom:9090';
const json = {headers: {'content-type': 'application/json'}};

/** Matches a request whose path (before the query string) is exactly `pathname`. */
const pathIs =
	(pathname: string) =>
	(path: string): boolean =>
		new URL(path, origin).pathname === pathname;


function lastCall(agent: MockAgent) {
	const call = agent.getCallHistory()?.lastCall();
	if (call === undefined) throw new Error('no request recorded');
	return call;
}

function vector(result: unknown[], extra: Record<string, unknown> = {}): string {
	return JSON.stringify({status: 'success', data: {resultType: 'vector', result}, ...extra});
}

describe('createPrometheusClient', () => {
	let agent: MockAgent;
	let client: PrometheusClient;

	beforeEach(() => {
		agent = new MockAgent({enableCallHistory: true});
		agent.disableNetConnect();
		client = createPrometheusClient({url: origin, timeoutMs: 1000, dispatcher: agent});
	});

	afterEach(async () => {
		await client.close();
		await agent.close();
	});

	it('runs an instant query and returns samples with __name__, NaN/+Inf/-Inf and unquoted labels', async () => {
		agent
			.get(origin)
			.intercept({path: pathIs('/api/v1/query'), method: 'GET'})
			.reply(
				200,
				vector([
					{metric: {__name__: 'debezium_metrics_MilliSecondsBehindSource', context: 'streaming', name: 'dbserver1, task=0', plugin: 'mongodb'}, value: [1_700_000_000.5, '85']},
					{metric: {__name__: 'kafka_connect_connector_task_metrics_batch_size_avg', connector: 'c', task: '0'}, value: [1_700_000_000.5, 'NaN']},
					{metric: {__name__: 'x', client_id: '"connect-10.0.0.1:8083"'}, value: [1_700_000_000.5, '+Inf']},
					{metric: {}, value: [1_700_000_000.5, '-Inf']},
					{metric: {}, value: [1_700_000_000.5, '1.5e+06']},
				]),
				json,
			);
		const result = await client.query('debezium_metrics_MilliSecondsBehindSource or x', {time: 1_700_000_000_500});
		expect(result.warnings).toEqual([]);
		expect(result.samples).toHaveLength(5);
		expect(result.samples[0]).toEqual({
			labels: {__name__: 'debezium_metrics_MilliSecondsBehindSource', context: 'streaming', name: 'dbserver1, task=0', plugin: 'mongodb'},
			value: 85,
		});
		expect(result.samples[1]?.value).toBeNaN();
		expect(result.samples[2]).toEqual({labels: {__name__: 'x', client_id: 'connect-10.0.0.1:8083'}, value: Number.POSITIVE_INFINITY});
		expect(result.samples[3]).toEqual({labels: {}, value: Number.NEGATIVE_INFINITY});
		expect(result.samples[4]?.value).toBe(1_500_000);

		const call = lastCall(agent);
		expect(call.method).toBe('GET');
		expect(call.path).toBe('/api/v1/query');
		expect(call.searchParams).toEqual({query: 'debezium_metrics_MilliSecondsBehindSource or x', time: '1700000000.5'});
	});

	it('turns a scalar result into one sample with no labels', async () => {
		agent
			.get(origin)
			.intercept({path: pathIs('/api/v1/query')})
			.reply(200, JSON.stringify({status: 'success', data: {resultType: 'scalar', result: [1_700_000_000, '42']}}), json);
		expect(await client.query('scalar(up)')).toEqual({samples: [{labels: {}, value: 42}], warnings: []});
		expect(lastCall(agent).searchParams).toEqual({query: 'scalar(up)'});
	});

	it('runs a range query: seconds → ms, start/end/step sent in seconds', async () => {
		agent
			.get(origin)
			.intercept({path: pathIs('/api/v1/query_range')})
			.reply(
				200,
				JSON.stringify({
					status: 'success',
					data: {
						resultType: 'matrix',
						result: [
							{
								metric: {connector: '"my:conn"', task: '0'},
								values: [
									[1_700_000_000, '1'],
									[1_700_000_015.001, 'NaN'],
									[1_700_000_030, '+Inf'],
								],
							},
							{metric: {connector: 'other'}, values: []},
						],
					},
				}),
				json,
			);
		const result = await client.queryRange('rate(x[1m])', {start: 1_700_000_000_000, end: 1_700_000_030_000, stepMs: 15_000});
		expect(result.warnings).toEqual([]);
		expect(result.series).toHaveLength(2);
		expect(result.series[0]?.labels).toEqual({connector: 'my:conn', task: '0'});
		const points = pointsOf(result.series[0]);
		expect(points.map(point => point[0])).toEqual([1_700_000_000_000, 1_700_000_015_001, 1_700_000_030_000]);
		expect(points[0]?.[1]).toBe(1);
		expect(points[1]?.[1]).toBeNaN();
		expect(points[2]?.[1]).toBe(Number.POSITIVE_INFINITY);
		expect(result.series[1]).toEqual({labels: {connector: 'other'}, times: new Float64Array(), values: new Float64Array()});
		expect(lastCall(agent).searchParams).toEqual({query: 'rate(x[1m])', start: '1700000000', end: '1700000030', step: '15'});
	});

	it('returns warnings and infos as one-line strings (Thanos/Mimir partial responses)', async () => {
		agent
			.get(origin)
			.intercept({path: pathIs('/api/v1/query')})
			.reply(
				200,
				vector([{metric: {__name__: 'up', instance: 'connect-1:9404'}, value: [1, '1']}], {
					warnings: ['partial response: store "10.0.0.7:10901" unavailable:\nrpc error'],
					infos: ['PromQL info: metric might not be a counter, name does not end in _total/_sum/_count/_bucket: "x"'],
				}),
				json,
			);
		const result = await client.query('up');
		expect(result.samples).toEqual([{labels: {__name__: 'up', instance: 'connect-1:9404'}, value: 1}]);
		expect(result.warnings).toEqual([
			'partial response: store "10.0.0.7:10901" unavailable: rpc error',
			'info: PromQL info: metric might not be a counter, name does not end in _total/_sum/_count/_bucket: "x"',
		]);
	});

	it('maps a 400 bad_data answer to a non-retryable http error with Prometheus\' text', async () => {
		agent
			.get(origin)
			.intercept({path: pathIs('/api/v1/query')})
			.reply(400, JSON.stringify({status: 'error', errorType: 'bad_data', error: 'invalid parameter "query": 1:5: parse error: unexpected <EOF>'}), json);
		const error = await caught(client.query('sum('));
		expect(error).toBeInstanceOf(PrometheusApiError);
		expect(error.kind).toBe('http');
		expect(error.source).toBe('prometheus');
		expect(error.status).toBe(400);
		expect(error.isRetryable).toBe(false);
		expect(error.message).toBe('Prometheus query failed (400 Bad Request): bad_data: invalid parameter "query": 1:5: parse error: unexpected <EOF>');
		expect(error instanceof PrometheusApiError && error.errorType).toBe('bad_data');
	});

	it('makes 503 timeouts and 422 execution errors retryable', async () => {
		const pool = agent.get(origin);
		pool.intercept({path: pathIs('/api/v1/query')}).reply(503, JSON.stringify({status: 'error', errorType: 'timeout', error: 'query timed out in expression evaluation'}), json);
		pool.intercept({path: pathIs('/api/v1/query')}).reply(422, JSON.stringify({status: 'error', errorType: 'execution', error: 'query processing would load too many samples into memory'}), json);
		const timeout = await caught(client.query('up'));
		expect(timeout.status).toBe(503);
		expect(timeout.isRetryable).toBe(true);
		expect(timeout.message).toContain('timeout: query timed out in expression evaluation');
		const execution = await caught(client.query('up'));
		expect(execution.status).toBe(422);
		expect(execution.kind).toBe('http');
		expect(execution.isRetryable).toBe(true);
		expect(execution.message).toContain('execution: query processing would load too many samples');
	});

	it('maps a 401 to an auth error and a proxy HTML 502 to a retryable http error', async () => {
		const pool = agent.get(origin);
		pool.intercept({path: pathIs('/api/v1/query')}).reply(401, 'Unauthorized\n', {headers: {'content-type': 'text/plain'}});
		pool.intercept({path: pathIs('/api/v1/query')}).reply(502, '<html><head><title>502 Bad Gateway</title></head><body><h1>502</h1></body></html>', {
			headers: {'content-type': 'text/html'},
		});
		const auth = await caught(client.query('up'));
		expect(auth.kind).toBe('auth');
		expect(auth.status).toBe(401);
		expect(auth.isRetryable).toBe(false);
		const gateway = await caught(client.query('up'));
		expect(gateway.kind).toBe('http');
		expect(gateway.status).toBe(502);
		expect(gateway.isRetryable).toBe(true);
		expect(gateway.message).toContain('502 Bad Gateway');
	});

	it('reports bodies that are not the API shape as malformed', async () => {
		const pool = agent.get(origin);
		pool.intercept({path: pathIs('/api/v1/query')}).reply(200, '<html>login</html>', {headers: {'content-type': 'text/html'}});
		pool.intercept({path: pathIs('/api/v1/query')}).reply(200, JSON.stringify({status: 'success', data: {resultType: 'vector', result: [{metric: {}, value: [1, 2]}]}}), json);
		pool.intercept({path: pathIs('/api/v1/query')}).reply(200, vector([{metric: {}, value: [1, 'twelve']}]), json);
		pool.intercept({path: pathIs('/api/v1/query')}).reply(200, JSON.stringify({status: 'success', data: {resultType: 'matrix', result: []}}), json);
		pool.intercept({path: pathIs('/api/v1/query_range')}).reply(200, vector([]), json);

		const notJson = await caught(client.query('up'));
		expect(notJson.kind).toBe('malformed');
		expect(notJson.message).toMatch(/^Prometheus query: invalid JSON from http:\/\/prom:9090\/api\/v1\/query/);
		const numberValue = await caught(client.query('up'));
		expect(numberValue.kind).toBe('malformed');
		expect(numberValue.message).toContain('data.result.0.value.1');
		const badValue = await caught(client.query('up'));
		expect(badValue.kind).toBe('malformed');
		expect(badValue.message).toContain('invalid sample value "twelve"');
		const matrix = await caught(client.query('up[5m]'));
		expect(matrix.kind).toBe('malformed');
		expect(matrix.message).toContain('range vector (matrix)');
		const rangeVector = await caught(client.queryRange('up', {start: 0, end: 60_000, stepMs: 15_000}));
		expect(rangeVector.kind).toBe('malformed');
		expect(rangeVector.isRetryable).toBe(false);
	});

	it('names the row and field of a result of the wrong shape, for vectors, matrices and scalars', async () => {
		const good = {metric: {connector: 'orders'}, value: [1, '1']};
		const cases: ReadonlyArray<readonly [string, string, string]> = [
			['/api/v1/query', vector([good, {metric: {connector: 'orders', task: 0}, value: [1, '1']}]), 'data.result.1.metric.task: expected string, received number'],
			['/api/v1/query', vector([good, good, {metric: [], value: [1, '1']}]), 'data.result.2.metric: expected record, received array'],
			['/api/v1/query', vector([{value: [1, '1']}]), 'data.result.0.metric: expected record, received undefined'],
			['/api/v1/query', vector([good, {metric: {}, value: [1, '1', 2]}]), 'data.result.1.value: expected a [time, "value"] pair, received 3 items'],
			['/api/v1/query', vector([good, 'row']), 'data.result.1: expected object, received string'],
			['/api/v1/query', JSON.stringify({status: 'success', data: {resultType: 'vector', result: {}}}), 'data.result: expected array, received object'],
			['/api/v1/query', JSON.stringify({status: 'success', data: {resultType: 'scalar', result: ['1', '1']}}), 'data.result.0: expected number, received string'],
			['/api/v1/query_range', JSON.stringify({status: 'success', data: {resultType: 'matrix', result: [{metric: {}, values: [[1, '1'], [2, null]]}]}}), 'data.result.0.values: expected [<unix seconds>, "<value>"] pairs'],
			['/api/v1/query_range', JSON.stringify({status: 'success', data: {resultType: 'matrix', result: [{metric: {}, values: 'x'}]}}), 'data.result.0.values: expected [<unix seconds>, "<value>"] pairs'],
		];
		for (const [path, body] of cases) agent.get(origin).intercept({path: pathIs(path)}).reply(200, body, json);
		for (const [path, , message] of cases) {
			const error = await caught(path === '/api/v1/query' ? client.query('up') : client.queryRange('up', {start: 0, end: 60_000, stepMs: 15_000}));
			expect(error.kind).toBe('malformed');
			expect(error.isRetryable).toBe(false);
			expect(error.message).toContain(`unexpected response from http://prom:9090${path}: ${message}`);
		}
	});

	it('skips native histogram rows with a warning and keeps a label named __proto__ as a plain label', async () => {
		agent
			.get(origin)
			.intercept({path: pathIs('/api/v1/query')})
			.reply(200, '{"status":"success","data":{"resultType":"vector","result":[{"metric":{"__proto__":"x","job":"\\"connect\\""},"value":[1,"2"]},{"metric":{},"histogram":[1,{"count":"1"}]}]}}', json);
		const answer = await client.query('up');
		expect(answer.samples).toHaveLength(1);
		expect(Object.keys(answer.samples[0]?.labels ?? {})).toEqual(['__proto__', 'job']);
		expect(answer.samples[0]?.labels['job']).toBe('connect');
		expect(Object.getPrototypeOf(answer.samples[0]?.labels)).toBe(Object.prototype);
		expect(answer.warnings).toEqual(['1 native histogram series ignored']);
	});

	it('lists label values with match[] selectors', async () => {
		const pool = agent.get(origin);
		pool.intercept({path: pathIs('/api/v1/label/__name__/values')}).reply(
			200,
			JSON.stringify({status: 'success', data: ['kafka_connect_connector_status', 'debezium_metrics_Connected']}),
			json,
		);
		pool.intercept({path: pathIs('/api/v1/label/__name__/values')}).reply(200, JSON.stringify({status: 'success', data: null}), json);
		const names = await client.labelValues('__name__', {match: ['{__name__=~"kafka_connect_.*"}', '{__name__=~"debezium_.*"}']});
		expect(names).toEqual(['kafka_connect_connector_status', 'debezium_metrics_Connected']);
		const sent = new URL(lastCall(agent).fullUrl);
		expect(sent.searchParams.getAll('match[]')).toEqual(['{__name__=~"kafka_connect_.*"}', '{__name__=~"debezium_.*"}']);
		expect(await client.labelValues('__name__')).toEqual([]);
		expect(new URL(lastCall(agent).fullUrl).search).toBe('');
	});

	it('sends a long query with POST, form-encoded', async () => {
		agent
			.get(origin)
			.intercept({path: '/api/v1/query', method: 'POST'})
			.reply(200, vector([{metric: {connector: 'c-1'}, value: [1, '3']}]), json);
		const promql = `sum by (connector) (kafka_connect_connector_status{connector=~"${Array.from({length: 300}, (_, index) => `conn-${index}`).join('|')}"})`;
		expect(promql.length).toBeGreaterThan(2000);
		const result = await client.query(promql, {time: 1_700_000_000_000});
		expect(result.samples).toEqual([{labels: {connector: 'c-1'}, value: 3}]);
		const call = lastCall(agent);
		expect(call.method).toBe('POST');
		expect(call.fullUrl).toBe(`${origin}/api/v1/query`);
		const headers = call.headers ?? {};
		expect(headers['content-type']).toBe('application/x-www-form-urlencoded');
		const form = new URLSearchParams(call.body ?? '');
		expect(form.get('query')).toBe(promql);
		expect(form.get('time')).toBe('1700000000');
	});

	it('rejects an invalid range before sending anything', async () => {
		const badStep = await caught(client.queryRange('up', {start: 0, end: 60_000, stepMs: 0}));
		expect(badStep.kind).toBe('config');
		const backwards = await caught(client.queryRange('up', {start: 60_000, end: 0, stepMs: 15_000}));
		expect(backwards.kind).toBe('config');
		expect(agent.getCallHistory()?.calls()).toEqual([]);
	});
});

describe('createPrometheusClient options', () => {
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

	it('keeps the path prefix of the base URL (Mimir) and sends basic auth and X-Scope-OrgID', async () => {
		const client = createPrometheusClient({
			url: 'http://mimir:8080/prometheus/',
			timeoutMs: 1000,
			dispatcher: agent,
			auth: {type: 'basic', username: 'kctop', password: 's3cret'},
			headers: {'X-Scope-OrgID': 'team-connect'},
		});
		agent
			.get('http://mimir:8080')
			.intercept({path: pathIs('/prometheus/api/v1/query')})
			.reply(200, vector([]), json);
		expect(client.url).toBe('http://mimir:8080/prometheus');
		expect(await client.query('up')).toEqual({samples: [], warnings: []});
		const headers = lastCall(agent).headers ?? {};
		expect(headers['authorization']).toBe(`Basic ${Buffer.from('kctop:s3cret').toString('base64')}`);
		expect(headers['x-scope-orgid']).toBe('team-connect');
		await client.close();
	});

	it('sends a bearer token', async () => {
		const client = createPrometheusClient({url: 'https://thanos.example/', timeoutMs: 1000, dispatcher: agent, auth: {type: 'bearer', token: 'tok-123'}});
		agent
			.get('https://thanos.example')
			.intercept({path: pathIs('/api/v1/label/instance/values')})
			.reply(200, JSON.stringify({status: 'success', data: ['connect-1:9404']}), json);
		expect(await client.labelValues('instance')).toEqual(['connect-1:9404']);
		expect(lastCall(agent).headers?.['authorization']).toBe('Bearer tok-123');
		await client.close();
	});

	it('rejects a bad base URL with a config error', () => {
		expect(() => createPrometheusClient({url: 'prom:9090', timeoutMs: 1000, dispatcher: agent})).toThrow(/unsupported URL scheme prom:/);
		expect(() => createPrometheusClient({url: 'not a url', timeoutMs: 1000, dispatcher: agent})).toThrow(KctopError);
		expect(() => createPrometheusClient({url: 'http://p:9090/?x=1', timeoutMs: 1000, dispatcher: agent})).toThrow(/must not have a query/);
	});
});

describe('parsePromValue', () => {
	it('parses the strings Prometheus sends and rejects anything else', () => {
		expect(parsePromValue('NaN')).toBeNaN();
		expect(parsePromValue('+Inf')).toBe(Number.POSITIVE_INFINITY);
		expect(parsePromValue('-Inf')).toBe(Number.NEGATIVE_INFINITY);
		expect(parsePromValue('1.5e+06')).toBe(1_500_000);
		expect(parsePromValue('-1')).toBe(-1);
		expect(() => parsePromValue('')).toThrow(KctopError);
		expect(() => parsePromValue('1 2')).toThrow(/invalid sample value/);
	});
});
