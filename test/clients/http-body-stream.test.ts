import {MockAgent} from 'undici';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {createHttp} from '../../source/clients/http.js';

describe('createHttp onBody: a body taken piece by piece', () => {
	let agent: MockAgent;

	beforeEach(() => {
		agent = new MockAgent();
		agent.disableNetConnect();
	});

	afterEach(async () => {
		await agent.close();
	});

	it('hands a 2xx body to the consumer instead of `text`, with the status and headers first', async () => {
		agent.get('http://w:9404').intercept({path: '/metrics'}).reply(200, 'a 1\nb 2\n', {headers: {'content-type': 'text/plain; version=0.0.4'}});
		const http = createHttp({source: 'scrape', timeoutMs: 1000, dispatcher: agent});
		const seen: Array<{status: number; type: string | undefined}> = [];
		const pieces: string[] = [];
		const response = await http.request('http://w:9404/metrics', {
			onBody: (status, headers) => {
				seen.push({status, type: headers['content-type']});
				return chunk => pieces.push(Buffer.from(chunk).toString('utf8'));
			},
		});
		expect(seen).toEqual([{status: 200, type: 'text/plain; version=0.0.4'}]);
		expect(pieces.join('')).toBe('a 1\nb 2\n');
		expect(response.text).toBe('');
	});

	it('collects the body as text when the consumer declines it (an error page)', async () => {
		agent.get('http://w:9404').intercept({path: '/metrics'}).reply(503, 'down for maintenance');
		const http = createHttp({source: 'scrape', timeoutMs: 1000, dispatcher: agent});
		const response = await http.request('http://w:9404/metrics', {onBody: status => (status === 200 ? () => undefined : undefined)});
		expect(response.status).toBe(503);
		expect(response.text).toBe('down for maintenance');
	});

	it('still stops a body past the cap', async () => {
		agent.get('http://w:9404').intercept({path: '/metrics'}).reply(200, 'x'.repeat(5000));
		const http = createHttp({source: 'scrape', timeoutMs: 1000, maxBodyBytes: 1000, dispatcher: agent});
		let received = 0;
		await expect(http.request('http://w:9404/metrics', {onBody: () => chunk => (received += chunk.byteLength)})).rejects.toMatchObject({kind: 'too-large'});
		expect(received).toBeLessThanOrEqual(1000);
	});
});
