import {readFileSync} from 'node:fs';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {MockAgent} from 'undici';
import {z} from 'zod';
import {createHttp, errorReason, redactUrl, type Http} from '../../source/clients/http.js';
import {serverInfoSchema, connectorStatusSchema} from '../../source/clients/connect/schemas.js';
import {caught} from '../helpers/caught.js';
import {getFreePort as closedPort} from '../helpers/free-port.js';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/rest/${name}`, import.meta.url), 'utf8');
const origin = 'http://c1:8083';



function lastHeaders(agent: MockAgent): Record<string, string | string[]> {
	const headers = agent.getCallHistory()?.lastCall()?.headers;
	if (headers === null || headers === undefined) throw new Error('no request recorded');
	return headers;
}

describe('createHttp', () => {
	let agent: MockAgent;
	let http: Http;

	beforeEach(() => {
		agent = new MockAgent({enableCallHistory: true});
		agent.disableNetConnect();
		http = createHttp({source: 'connect', timeoutMs: 1000, dispatcher: agent});
	});

	afterEach(async () => {
		await http.close();
		await agent.close();
	});

	it('returns any status with headers and body, without throwing', async () => {
		agent.get(origin).intercept({path: '/connectors'}).reply(500, fixture('rest-error-500-forward-unknownhost-rest-advertised-host.json'), {headers: {'content-type': 'application/json'}});
		const response = await http.request(`${origin}/connectors`);
		expect(response.status).toBe(500);
		expect(response.headers['content-type']).toBe('application/json');
		expect(response.text).toContain('UnknownHostException: foobar2');
		expect(response.url).toBe(`${origin}/connectors`);
	});

	it('getJson parses a real GET / body (CP 7.9)', async () => {
		agent.get(origin).intercept({path: '/'}).reply(200, fixture('rest-root-cp-7.9.0-ccs-full-commit-sha.json'));
		const info = await http.getJson(`${origin}/`, serverInfoSchema);
		expect(info.version).toBe('7.9.0-ccs');
		expect(info.commit).toBe('ebe6df624d6bc758c37aba7053cf868c1e532ccd');
		expect(info.kafka_cluster_id).toBe('5L6g3nShT-eMCtK--X86sw');
	});

	it('encodes array query values as repeated parameters', async () => {
		agent.get(origin).intercept({path: '/connectors?expand=status&expand=info'}).reply(200, '{}');
		const body = await http.getJson(`${origin}/connectors`, z.record(z.string(), z.unknown()), {query: {expand: ['status', 'info']}});
		expect(body).toEqual({});
		expect(agent.getCallHistory()?.lastCall()?.fullUrl).toBe(`${origin}/connectors?expand=status&expand=info`);
	});

	it('sends a JSON-encoded body with a content type', async () => {
		agent.get(origin).intercept({path: '/x', method: 'POST'}).reply(201, '');
		const response = await http.request(`${origin}/x`, {method: 'post', body: {name: 'a', config: {'tasks.max': '1'}}});
		expect(response.status).toBe(201);
		const call = agent.getCallHistory()?.lastCall();
		expect(call?.method).toBe('POST');
		expect(call?.body).toBe('{"name":"a","config":{"tasks.max":"1"}}');
		expect(lastHeaders(agent)['content-type']).toBe('application/json');
	});

	it('turns a Connect error body into a one-line http error naming the status (409 is retryable)', async () => {
		agent.get(origin).intercept({path: '/'}).reply(409, fixture('rest-error-409-rebalance-conflicting-operation.json'));
		const error = await caught(http.getJson(`${origin}/`, serverInfoSchema));
		expect(error.kind).toBe('http');
		expect(error.source).toBe('connect');
		expect(error.status).toBe(409);
		expect(error.message).toBe('409 Conflict: Cannot complete request because of a conflicting operation (e.g. worker rebalance)');
		expect(error.isRetryable).toBe(true);
	});

	it('keeps a multi-line 400 message on one line and not retryable', async () => {
		agent.get(origin).intercept({path: '/'}).reply(400, fixture('rest-error-400-config-invalid-transform-class-not-found.json'));
		const error = await caught(http.getJson(`${origin}/`, serverInfoSchema));
		expect(error.kind).toBe('http');
		expect(error.message.startsWith('400 Bad Request: Connector configuration is invalid')).toBe(true);
		expect(error.message).not.toMatch(/[\n\r]/);
		expect(error.isRetryable).toBe(false);
	});

	it('maps the basic-auth filter 401 plain-text body to an auth error', async () => {
		agent.get(origin).intercept({path: '/'}).reply(401, 'User cannot access the resource.', {headers: {'content-type': 'text/plain'}});
		const error = await caught(http.getJson(`${origin}/`, serverInfoSchema));
		expect(error.kind).toBe('auth');
		expect(error.status).toBe(401);
		expect(error.message).toBe('401 Unauthorized: User cannot access the resource.');
		expect(error.isRetryable).toBe(false);
	});

	it('reports 500 "Request timed out" as a retryable http error', async () => {
		agent.get(origin).intercept({path: '/connectors'}).reply(500, '{"error_code":500,"message":"Request timed out"}');
		const error = await caught(http.getJson(`${origin}/connectors`, z.unknown()));
		expect(error.message).toBe('500 Internal Server Error: Request timed out');
		expect(error.isRetryable).toBe(true);
	});

	it('gives a clean one-line malformed error for the un-escaped hdfs3 status body', async () => {
		const text = fixture('rest-status-hdfs3-sink-task-failed-npe-k8s-fqdn-worker.raw-newlines.txt');
		agent.get(origin).intercept({path: '/connectors/hdfs3-sink/status'}).reply(200, text);
		const error = await caught(http.getJson(`${origin}/connectors/hdfs3-sink/status`, connectorStatusSchema));
		expect(error.kind).toBe('malformed');
		expect(error.message.startsWith(`invalid JSON from ${origin}/connectors/hdfs3-sink/status:`)).toBe(true);
		expect(error.message).not.toMatch(/[\n\r\t]/);
		expect(error.message.length).toBeLessThan(300);
		expect(error.message).not.toContain('WorkerSinkTask.deliverMessages');
		expect(error.isRetryable).toBe(false);
	});

	it('names the failing path on a schema mismatch, in one line', async () => {
		const body = JSON.parse(fixture('rest-status-replicator-10-tasks-mixed-failed-timeout.json'));
		body.tasks[3].id = 'three';
		agent.get(origin).intercept({path: '/s'}).reply(200, JSON.stringify(body));
		const error = await caught(http.getJson(`${origin}/s`, connectorStatusSchema));
		expect(error.kind).toBe('malformed');
		expect(error.message).toMatch(/^unexpected response from http:\/\/c1:8083\/s: tasks\.3\.id: /);
		expect(error.message).not.toContain('java.');
		expect(error.message).not.toMatch(/\n/);
	});

	it('times out a slow answer with kind timeout', async () => {
		const quick = createHttp({source: 'prometheus', timeoutMs: 30, dispatcher: agent});
		agent.get(origin).intercept({path: '/'}).reply(200, '{}').delay(5_000);
		const error = await caught(quick.request(`${origin}/`));
		expect(error.kind).toBe('timeout');
		expect(error.source).toBe('prometheus');
		expect(error.message).toBe(`timed out after 30 ms (GET ${origin}/)`);
		expect(error.isRetryable).toBe(true);
	});

	it('reports a caller abort as aborted, before or during the request', async () => {
		agent.get(origin).intercept({path: '/'}).reply(200, '{}').delay(5_000);
		const controller = new AbortController();
		const pending = caught(http.request(`${origin}/`, {signal: controller.signal}));
		controller.abort();
		const during = await pending;
		expect(during.kind).toBe('aborted');
		expect(during.isRetryable).toBe(false);

		const before = await caught(http.request(`${origin}/`, {signal: AbortSignal.abort()}));
		expect(before.kind).toBe('aborted');
	});

	it('sends basic auth and extra headers', async () => {
		const withAuth = createHttp({
			source: 'prometheus',
			timeoutMs: 1000,
			dispatcher: agent,
			auth: {type: 'basic', username: 'admin', password: 's3cr:et'},
			headers: {'X-Scope-OrgID': 'tenant-1'},
		});
		agent.get(origin).intercept({path: '/'}).reply(200, '{}');
		await withAuth.request(`${origin}/`);
		const headers = lastHeaders(agent);
		expect(headers['authorization']).toBe(`Basic ${Buffer.from('admin:s3cr:et').toString('base64')}`);
		expect(headers['x-scope-orgid']).toBe('tenant-1');
		expect(headers['accept']).toBe('application/json');
	});

	it('sends a bearer token', async () => {
		const withToken = createHttp({source: 'connect', timeoutMs: 1000, dispatcher: agent, auth: {type: 'bearer', token: 'abc.def'}});
		agent.get(origin).intercept({path: '/'}).reply(200, '{}');
		await withToken.request(`${origin}/`);
		expect(lastHeaders(agent)['authorization']).toBe('Bearer abc.def');
	});

	it('turns credentials in the URL into basic auth and keeps them out of the URL and messages', async () => {
		agent.get(origin).intercept({path: '/'}).reply(503, 'Service Unavailable');
		const error = await caught(http.getJson('http://bob:p%40ss@c1:8083/', z.unknown()));
		expect(lastHeaders(agent)['authorization']).toBe(`Basic ${Buffer.from('bob:p@ss').toString('base64')}`);
		expect(agent.getCallHistory()?.lastCall()?.fullUrl).toBe(`${origin}/`);
		expect(error.message).toBe('503 Service Unavailable: Service Unavailable');
		expect(error.url).toBe(`${origin}/`);
		expect(JSON.stringify([error.message, error.url])).not.toContain('p%40ss');
	});

	it('maps a refused connection on a real closed port, without leaking credentials', async () => {
		const real = createHttp({source: 'connect', timeoutMs: 2000});
		const port = await closedPort();
		const error = await caught(real.request(`http://bob:hunter2@127.0.0.1:${port}/`));
		await real.close();
		expect(error.kind).toBe('connection');
		expect(error.message).toBe(`connection refused (http://127.0.0.1:${port})`);
		expect(error.message).not.toContain('hunter2');
		expect(error.isRetryable).toBe(true);
	});

	it('maps undici error codes to readable connection errors', async () => {
		const cases: ReadonlyArray<readonly [string, string]> = [
			['ENOTFOUND', 'host not found'],
			['UND_ERR_CONNECT_TIMEOUT', 'connect timed out'],
			['UND_ERR_SOCKET', 'connection closed by the server'],
			['DEPTH_ZERO_SELF_SIGNED_CERT', 'TLS: self-signed certificate (use --ca-file or --insecure)'],
		];
		for (const [code, text] of cases) {
			agent.get(origin).intercept({path: `/${code}`}).replyWithError(Object.assign(new Error(`boom ${code}`), {code}));
			const error = await caught(http.request(`${origin}/${code}`));
			expect(error.kind).toBe('connection');
			expect(error.message).toBe(`${text} (${origin})`);
		}
	});

	it('rejects bad URLs and unreadable CA files with config errors', async () => {
		const error = await caught(http.request('not a url'));
		expect(error.kind).toBe('config');
		const ca = await caught(Promise.resolve().then(() => createHttp({source: 'connect', timeoutMs: 1000, caFile: '/nonexistent/ca.pem'})));
		expect(ca.kind).toBe('config');
		expect(ca.message).toMatch(/^cannot read CA file \/nonexistent\/ca\.pem: ENOENT/);
	});
});

describe('errorReason', () => {
	it('reads the Connect error shape', () => {
		expect(errorReason(fixture('rest-error-500-forward-unknownhost-rest-advertised-host.json'))).toBe(
			'IO Error trying to forward REST request: java.net.UnknownHostException: foobar2: Name or service not known',
		);
	});

	it('reads the Prometheus error shape', () => {
		expect(errorReason('{"status":"error","errorType":"bad_data","error":"parse error at char 5: unexpected \\"}\\""}')).toBe('bad_data: parse error at char 5: unexpected "}"');
	});

	it('takes the first line of plain text and the title of an HTML page', () => {
		expect(errorReason('User cannot access the resource.')).toBe('User cannot access the resource.');
		expect(errorReason('\n  first line\nsecond line')).toBe('first line');
		expect(errorReason('<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>')).toBe('502 Bad Gateway');
		expect(errorReason('')).toBe('');
	});

	it('neutralises escape sequences from a hostile body, visibly', () => {
		expect(errorReason('{"error_code":404,"message":"Connector \\u001b[31mevil\\u001b[0m not found"}')).toBe('Connector ␛[31mevil␛[0m not found');
	});

	it('caps a huge message', () => {
		expect(errorReason(fixture('rest-error-500-expand-status-info-missing-plugin-class.json')).length).toBeLessThanOrEqual(500);
	});
});

describe('redactUrl', () => {
	it('removes userinfo and leaves other URLs alone', () => {
		expect(redactUrl('http://user:pass@c1:8083/connectors')).toBe('http://c1:8083/connectors');
		expect(redactUrl('https://c1:8443/')).toBe('https://c1:8443/');
		expect(redactUrl('garbage //user:pw@host')).toBe('garbage //host');
	});
});
