import fc from 'fast-check';
import type {MockAgent} from 'undici';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {createConnectClient, type ConnectClient} from '../../source/clients/connect/client.js';
import {connectorsExpandedSchema, connectorStatusSchema} from '../../source/clients/connect/schemas.js';
import {KctopError} from '../../source/clients/errors.js';
import {check, jsonBodies, realPayloads, settings, statuses, valueOrTypedError, expectErrorUnlessOk, expectReachedParsers, replyingAgent, type Reply, type Tally} from './mutate.js';

/**
 * The Connect REST client's parse path under generated and mutated bodies: real payloads
 * (test/fixtures/rest and shared/real-payloads) damaged as JSON trees and as bytes, served
 * through an undici MockAgent with any status. Every call must resolve with a value or
 * reject with a KctopError carrying a one-line message; nothing else, and nothing hangs
 * (fast-check's per-run timeout).
 */

const origin = 'http://c1:8083';
const seeds = realPayloads('rest', '.json');
const rawNewlines = realPayloads('rest', '.txt');


let agent: MockAgent;
let client: ConnectClient;
/** The answer the mock gives to every request of the current case. */
let reply: Reply = {status: 200, body: '{}', contentType: 'application/json'};

beforeAll(() => {
	agent = replyingAgent([origin], () => reply);
	client = createConnectClient({urls: [origin], timeoutMs: 1000, dispatcher: agent});
});

afterAll(async () => {
	await client.close();
	await agent.close();
});

const calls = {
	serverInfo: async () => client.serverInfo(),
	connectors: async () => client.connectors(),
	connectorStatus: async () => client.connectorStatus('cdc "orders"/\u001B[31m'),
	connectorConfig: async () => client.connectorConfig('sink'),
	tasks: async () => client.tasks('sink'),
	topics: async () => client.topics('sink'),
	offsets: async () => client.offsets('source'),
	restartConnector: async () => client.restartConnector('sink', {includeTasks: true, onlyFailed: true}),
	restartTask: async () => client.restartTask('sink', 0),
	pause: async () => client.pause('sink'),
} as const;
type CallName = keyof typeof calls;
const callNames = Object.keys(calls).filter((name): name is CallName => Object.hasOwn(calls, name));

const replies: fc.Arbitrary<Reply> = fc.record({
	status: statuses,
	body: fc.oneof({weight: 9, arbitrary: jsonBodies(seeds)}, {weight: 1, arbitrary: fc.constantFrom(...rawNewlines)}),
	contentType: fc.constantFrom('application/json', 'text/html', 'text/plain'),
});

describe('fuzz: Connect REST responses', () => {
	it('the seeds are the real payloads', () => {
		expect(seeds.length).toBeGreaterThanOrEqual(20);
		// Every listed real expand answer still parses, so the mutations start from valid bodies.
		const expand = seeds.filter(text => text.includes('"status"') && text.includes('"info"'));
		expect(expand.length).toBeGreaterThan(0);
		for (const text of expand) expect(connectorsExpandedSchema.safeParse(JSON.parse(text)).success).toBe(true);
	});

	it('every call answers a value or a KctopError, whatever the body and status', async () => {
		const tally: Tally = new Map();
		await check(
			'connect: client calls',
			fc.asyncProperty(
				fc.constantFrom(...callNames),
				replies,
				async (name: CallName, next: Reply) => {
					reply = next;
					const outcome = await valueOrTypedError<unknown>(calls[name], tally);
					expectErrorUnlessOk(outcome, next.status);
				},
			),
			settings(0x5eed_0001, 400),
		);
		expectReachedParsers(tally);
	});

	it('the schemas alone: safeParse never throws on mutated JSON trees', async () => {
		await check(
			'connect: schemas',
			fc.property(
				jsonBodies(seeds),
				(body: string) => {
					let json: unknown;
					try {
						json = JSON.parse(body);
					} catch {
						return;
					}
					for (const schema of [connectorsExpandedSchema, connectorStatusSchema]) {
						const result = schema.safeParse(json);
						expect(typeof result.success).toBe('boolean');
					}
				},
			),
			settings(0x5eed_0002, 600),
		);
	});
});
