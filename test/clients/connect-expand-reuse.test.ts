import {readFileSync} from 'node:fs';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {MockAgent} from 'undici';
import {createConnectClient, rememberedBodyChars, type ConnectClient} from '../../source/clients/connect/client.js';
import {readConnectorsExpanded} from '../../source/clients/connect/expand.js';
import {KctopError} from '../../source/clients/errors.js';
import {caught} from '../helpers/caught.js';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/rest/${name}`, import.meta.url), 'utf8');
const c1 = 'http://c1:8083';
const expandPath = '/connectors?expand=status&expand=info';
const datagen = fixture('rest-connectors-expand-info-status-datagen-6-tasks-2-workers.json');
const s3 = fixture('rest-connectors-expand-status-s3-source-running.json');
/** A real failed filestream sink (CP 7.9) under its name, with a null config value (read as ''). */
const failedSink = `{"local-file-sink": ${fixture('rest-expand-entry-filestream-sink-task-failed-cp-7.9.json').replace(/"file":\s*"[^"]*"/, '"file": null')}}`;

/** What a fresh read of `text` gives. */
const fresh = (text: string): unknown => readConnectorsExpanded(JSON.parse(text));

describe('the expand body, read once while it stays the same', () => {
	let agent: MockAgent;
	let client: ConnectClient;
	beforeEach(() => {
		agent = new MockAgent({enableCallHistory: true});
		agent.disableNetConnect();
		client = createConnectClient({urls: [c1], timeoutMs: 1000, dispatcher: agent});
	});
	afterEach(async () => {
		await client.close();
		await agent.close();
	});
	const answer = (text: string, status = 200): void => {
		agent.get(c1).intercept({path: expandPath}).reply(status, text, {headers: {'content-type': 'application/json'}});
	};

	it('hands back the same data for the same bytes, and a fresh read whenever the body changes, back and forth', async () => {
		expect(failedSink).toContain('"file": null');
		const bodies = [datagen, datagen, s3, datagen, failedSink, failedSink, datagen, s3, s3];
		const read: unknown[] = [];
		for (const body of bodies) {
			answer(body);
			const result = await client.connectors();
			expect(result.fallback).toBe(false);
			expect(result.connectors).toEqual(fresh(body));
			read.push(result.connectors);
		}
		// Identical consecutive bodies: the very same object; any change: a new one.
		bodies.forEach((body, index) => {
			if (index === 0) return;
			if (body === bodies[index - 1]) expect(read[index]).toBe(read[index - 1]);
			else expect(read[index]).not.toBe(read[index - 1]);
		});
		expect(Object.values(read[5] ?? {}).map(entry => entry.info?.config['file'])).toEqual(['']);
	});

	it('a body one byte different is read again; an error answer in between is still an error and the body after it is read', async () => {
		answer(datagen);
		const first = await client.connectors();
		const changed = datagen.replace('"RUNNING"', '"PAUSED"');
		expect(changed).not.toBe(datagen);
		answer(changed);
		const second = await client.connectors();
		expect(second.connectors).not.toBe(first.connectors);
		expect(second.connectors['source-datagen-01']?.status?.connector.state).toBe('PAUSED');
		answer('{"error_code":409,"message":"Cannot complete request momentarily due to stale configuration"}', 409);
		expect(await caught(client.connectors())).toBeInstanceOf(KctopError);
		answer(changed);
		const third = await client.connectors();
		expect(third.connectors).toBe(second.connectors);
		answer('{"broken": ');
		expect((await caught(client.connectors()) as KctopError).kind).toBe('malformed');
		answer(changed);
		expect((await client.connectors()).connectors).toEqual(fresh(changed));
	});

	it('does not keep a body over the size it remembers', async () => {
		const entry = JSON.stringify(JSON.parse(datagen)['source-datagen-01']);
		const names = Math.ceil(rememberedBodyChars / entry.length) + 1;
		const large = `{${Array.from({length: names}, (_, index) => `"c${index}": ${entry}`).join(',')}}`;
		expect(large.length).toBeGreaterThan(rememberedBodyChars);
		answer(large);
		const first = await client.connectors();
		answer(large);
		const second = await client.connectors();
		expect(second.connectors).not.toBe(first.connectors);
		expect(second.connectors).toEqual(first.connectors);
	});
});
