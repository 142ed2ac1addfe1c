import {createServer, type Server} from 'node:http';
import {afterEach, describe, expect, it} from 'vitest';
import {classifyRequest, countByKind, formatTrace, isRefreshMarker, requestKinds, requestTrace, startCountingProxy, type CountingProxy, type ProxiedRequest} from '../../source/bench/counting-proxy.js';

describe('classifyRequest', () => {
	it('tells PromQL instant and range queries from metadata calls', () => {
		expect(classifyRequest('prometheus', '/api/v1/query?query=up')).toBe('promql-instant');
		expect(classifyRequest('prometheus', '/api/v1/query')).toBe('promql-instant');
		expect(classifyRequest('prometheus', '/api/v1/query_range?query=up&start=1&end=2&step=1')).toBe('promql-range');
		expect(classifyRequest('prometheus', '/api/v1/label/__name__/values?match[]=up')).toBe('metadata');
		expect(classifyRequest('prometheus', '/api/v1/series?match[]=up')).toBe('metadata');
		expect(classifyRequest('prometheus', '/api/v1/status/buildinfo')).toBe('metadata');
	});

	it('counts everything to a REST worker as REST and everything to an exporter as a scrape', () => {
		expect(classifyRequest('rest', '/api/v1/query')).toBe('rest');
		expect(classifyRequest('scrape', '/metrics')).toBe('scrape');
	});
});

describe('isRefreshMarker', () => {
	it('is the expand call kctop makes once per refresh, and nothing else', () => {
		expect(isRefreshMarker('rest', '/connectors?expand=status&expand=info')).toBe(true);
		expect(isRefreshMarker('rest', '/connectors?foo=1&expand=info')).toBe(true);
		expect(isRefreshMarker('rest', '/connectors')).toBe(false);
		expect(isRefreshMarker('rest', '/connectors/orders/status')).toBe(false);
		expect(isRefreshMarker('rest', '/')).toBe(false);
		expect(isRefreshMarker('prometheus', '/connectors?expand=status')).toBe(false);
	});
});

describe('countByKind', () => {
	const at = (kind: ProxiedRequest['kind'], startedAt: number): ProxiedRequest => ({kind, path: '/', startedAt, endedAt: startedAt + 1, responseBytes: 0, status: 200});
	it('counts requests that arrived in [from, to)', () => {
		const requests = [at('rest', 0), at('promql-instant', 1), at('promql-instant', 2), at('promql-range', 3), at('rest', 10)];
		expect(countByKind(requests, 0, 10)).toEqual({rest: 1, 'promql-instant': 2, 'promql-range': 1, metadata: 0, scrape: 0});
		expect(countByKind(requests, 2, 11)).toEqual({rest: 1, 'promql-instant': 1, 'promql-range': 1, metadata: 0, scrape: 0});
	});
});

describe('requestTrace', () => {
	const request = (kind: ProxiedRequest['kind'], startedAt: number, endedAt: number | undefined, extra: Partial<ProxiedRequest> = {}): ProxiedRequest => ({kind, path: '/', startedAt, endedAt, responseBytes: 10, status: endedAt === undefined ? undefined : 200, ...extra});

	it('times the requests of the asked kinds that arrived in the span, from its start, in arrival order', () => {
		const requests = [
			request('promql-range', 1030, undefined, {abandonedAt: 31_030}),
			request('rest', 1005, 1040),
			request('promql-instant', 1020, 4500),
			request('promql-range', 31_100, 40_000, {responseBytes: 5e6}),
			request('promql-instant', 50_000, 50_010),
		];
		const trace = requestTrace(requests, 1000, 45_000, ['promql-instant', 'promql-range']);
		expect(trace).toEqual([
			{kind: 'promql-instant', atMs: 20, ms: 3480, status: 200, bytes: 10},
			{kind: 'promql-range', atMs: 30, ms: undefined, status: undefined, bytes: 10, abandonedAfterMs: 30_000},
			{kind: 'promql-range', atMs: 30_100, ms: 8900, status: 200, bytes: 5e6},
		]);
		expect(formatTrace(trace)).toBe('instant 3.48 s, range gave up after 30.0 s, range 8.90 s');
		expect(formatTrace(requestTrace(requests, 1000, 45_000, requestKinds)).startsWith('REST 35 ms, ')).toBe(true);
	});

	it('names an error status and an answer that never came', () => {
		expect(formatTrace([{kind: 'promql-instant', atMs: 0, ms: 812, status: 503, bytes: 40}, {kind: 'metadata', atMs: 5, ms: undefined, status: undefined, bytes: 0}])).toBe('instant 812 ms (503), metadata unanswered');
		expect(formatTrace([])).toBe('none');
	});
});

describe('startCountingProxy', () => {
	let upstream: Server | undefined;
	let proxy: CountingProxy | undefined;
	afterEach(async () => {
		await proxy?.close();
		await new Promise<void>(resolve => (upstream ? upstream.close(() => resolve()) : resolve()));
	});

	it('forwards requests and bodies both ways, counts each by kind and announces refresh markers', async () => {
		upstream = createServer((request, response) => {
			let body = '';
			request.on('data', (chunk: Buffer) => (body += chunk.toString()));
			request.on('end', () => {
				response.writeHead(200, {'content-type': 'application/json'});
				response.end(JSON.stringify({method: request.method, url: request.url, body}));
			});
		});
		const port = await new Promise<number>(resolve =>
			upstream?.listen(0, '127.0.0.1', () => {
				const address = upstream?.address();
				resolve(typeof address === 'object' && address !== null ? address.port : 0);
			}),
		);
		let clock = 0;
		proxy = await startCountingProxy(`http://127.0.0.1:${port}`, 'prometheus', () => ++clock);
		const markers: number[] = [];
		proxy.onRefreshMarker(at => markers.push(at));

		const instant = await fetch(`${proxy.url}/api/v1/query`, {method: 'POST', body: new URLSearchParams({query: 'up'})});
		expect(await instant.json()).toEqual({method: 'POST', url: '/api/v1/query', body: 'query=up'});
		const range = await fetch(`${proxy.url}/api/v1/query_range?query=up`);
		expect(await range.json()).toEqual({method: 'GET', url: '/api/v1/query_range?query=up', body: ''});

		expect(proxy.requests.map(each => each.kind)).toEqual(['promql-instant', 'promql-range']);
		// The last instant query and the first range query are kept as sent, for the floor that reads both sources.
		expect(proxy.lastInstantQuery()).toEqual({method: 'POST', path: '/api/v1/query', contentType: 'application/x-www-form-urlencoded;charset=UTF-8', body: 'query=up'});
		expect(proxy.firstRangeQuery()).toEqual({method: 'GET', path: '/api/v1/query_range?query=up', contentType: undefined, body: ''});
		expect(proxy.requests.every(each => each.status === 200 && each.responseBytes > 0)).toBe(true);
		// A Prometheus proxy never marks a refresh: only the REST expand call does.
		expect(markers).toEqual([]);
	});

	it('drops the upstream request when the client gives up before the answer', async () => {
		let upstreamClosed: () => void = () => undefined;
		const closed = new Promise<void>(resolve => {
			upstreamClosed = resolve;
		});
		// An upstream that never answers (a long query), and says when its request's connection closes.
		upstream = createServer(request => {
			request.resume();
			request.socket.once('close', () => upstreamClosed());
		});
		const port = await new Promise<number>(resolve =>
			upstream?.listen(0, '127.0.0.1', () => {
				const address = upstream?.address();
				resolve(typeof address === 'object' && address !== null ? address.port : 0);
			}),
		);
		let clock = 100;
		proxy = await startCountingProxy(`http://127.0.0.1:${port}`, 'prometheus', () => (clock += 7));
		const controller = new AbortController();
		const answer = fetch(`${proxy.url}/api/v1/query_range`, {method: 'POST', body: new URLSearchParams({query: 'up'}), signal: controller.signal}).catch((error: unknown) => error);
		await new Promise<void>(resolve => {
			const check = (): void => void (proxy?.requests.length === 1 ? resolve() : setImmediate(check));
			check();
		});
		controller.abort();
		expect(await answer).toBeInstanceOf(Error);
		// Resolves only if the proxy closed its upstream connection.
		await closed;
		expect(proxy.requests[0]?.endedAt).toBeUndefined();
		// The trace says the client gave up, and when: arrival at 107, the close read the clock next.
		expect(proxy.requests[0]?.abandonedAt).toBe(114);
		expect(requestTrace(proxy.requests, 100, 200, requestKinds)).toEqual([{kind: 'promql-range', atMs: 7, ms: undefined, status: undefined, bytes: 0, abandonedAfterMs: 7}]);
	});

	it('answers 502 with a reason when the upstream is gone', async () => {
		proxy = await startCountingProxy('http://127.0.0.1:1', 'rest', () => 0);
		const markers: number[] = [];
		proxy.onRefreshMarker(at => markers.push(at));
		const response = await fetch(`${proxy.url}/connectors?expand=status&expand=info`);
		expect(response.status).toBe(502);
		expect(await response.text()).toMatch(/^bench proxy: /);
		expect(markers).toHaveLength(1);
		expect(proxy.requests[0]?.kind).toBe('rest');
	});
});
