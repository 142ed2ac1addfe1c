import {MockAgent} from 'undici';
import {afterEach, beforeEach} from 'vitest';
import {createPrometheusClient, type InstantResult, type PrometheusClient} from '../../../source/clients/prometheus/client.js';

export const origin = 'http://prom:9090';
const json = {headers: {'content-type': 'application/json'}};

export interface InstantClients {
	/** The agent of the current test (for clients of a test's own). */
	agent(): MockAgent;
	/**
	 * Answers the next instant query with `body` and asks it: of `client` (read from the text
	 * when it can), of `reference` (a second client, to be given the same answer laid out
	 * otherwise: the full parse), or of a client of the test's own.
	 */
	ask(target: 'client' | 'reference' | PrometheusClient, body: string, options?: {readonly query?: string; readonly tagLabel?: string}): Promise<InstantResult>;
}

/** Two Prometheus clients over a MockAgent, made before and closed after each test of the describe block this is called in. */
export function instantClients(): InstantClients {
	let agent: MockAgent | undefined;
	let client: PrometheusClient | undefined;
	let reference: PrometheusClient | undefined;
	beforeEach(() => {
		agent = new MockAgent();
		agent.disableNetConnect();
		client = createPrometheusClient({url: origin, timeoutMs: 1000, dispatcher: agent});
		reference = createPrometheusClient({url: origin, timeoutMs: 1000, dispatcher: agent});
	});
	afterEach(async () => {
		await client?.close();
		await reference?.close();
		await agent?.close();
	});
	const current = (): MockAgent => {
		if (agent === undefined) throw new Error('instantClients: used outside a test');
		return agent;
	};
	return {
		agent: current,
		async ask(target, body, options = {}) {
			current().get(origin).intercept({path: path => path.startsWith('/api/v1/query')}).reply(200, body, json);
			const asked = target === 'client' ? client : target === 'reference' ? reference : target;
			if (asked === undefined) throw new Error('instantClients: used outside a test');
			return asked.query(options.query ?? 'q', options.tagLabel === undefined ? {} : {tagLabel: options.tagLabel});
		},
	};
}
