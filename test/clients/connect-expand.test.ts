import {readFileSync} from 'node:fs';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {readConnectorsExpanded} from '../../source/clients/connect/expand.js';
import {connectorsExpandedSchema} from '../../source/clients/connect/schemas.js';
import {ShapeError} from '../../source/clients/shape.js';
import {check, jsonBodies, realPayloads, settings} from '../fuzz/mutate.js';

/**
 * readConnectorsExpanded reads the expand body on every refresh without zod; the zod schema
 * stays the reference. For the real payloads and their mutations, both accept the same
 * bodies and give the same connectors, and a rejected body names the same path.
 */

const expandSeeds = realPayloads('rest', '.json').filter(text => text.includes('"status"') || text.includes('"info"'));

function parsed(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

/** What each reader makes of one JSON value: the connectors, or the path of the first problem. */
function outcomes(json: unknown): {readonly zod: unknown; readonly walker: unknown} {
	const reference = connectorsExpandedSchema.safeParse(json);
	let walker: unknown;
	try {
		walker = {ok: readConnectorsExpanded(json)};
	} catch (error) {
		if (!(error instanceof ShapeError)) throw error;
		walker = {path: error.path.map(String)};
	}
	return {zod: reference.success ? {ok: reference.data} : {path: (reference.error.issues[0]?.path ?? []).map(String)}, walker};
}

describe('readConnectorsExpanded', () => {
	it('reads the real expand payloads exactly as the zod schema does', () => {
		expect(expandSeeds.length).toBeGreaterThan(2);
		for (const text of expandSeeds) {
			const {zod, walker} = outcomes(JSON.parse(text));
			expect(walker).toEqual(zod);
		}
	});

	it('reads 1,009 copies of a real connector entry as the schema does, null config values as empty text', () => {
		const body = JSON.parse(readFileSync(new URL('../fixtures/rest/rest-connectors-expand-info-status-datagen-6-tasks-2-workers.json', import.meta.url), 'utf8'));
		const [name, entry] = Object.entries(body)[0] ?? [];
		if (name === undefined || typeof entry !== 'object' || entry === null) throw new Error('the fixture has a connector');
		const many: Record<string, unknown> = {};
		for (let index = 0; index < 1009; index++) many[`${name}-${index}`] = entry;
		const withNull = {...many, nulls: {info: {name: 'nulls', config: {'connector.class': 'X', 'transforms.a.regex': null}, tasks: [], type: 'sink'}}};
		const read = readConnectorsExpanded(withNull);
		expect(Object.keys(read)).toHaveLength(1010);
		expect(read['nulls']?.info?.config).toEqual({'connector.class': 'X', 'transforms.a.regex': ''});
		expect(read).toEqual(connectorsExpandedSchema.parse(withNull));
	});

	it('keeps unknown fields and a connector named __proto__ as a plain entry', () => {
		const read = readConnectorsExpanded(JSON.parse('{"__proto__": {"status": {"name": "__proto__", "connector": {"state": "RUNNING", "worker_id": "w:8083", "extra": 1}, "tasks": [{"id": 0, "state": "RUNNING", "worker_id": "w:8083"}]}, "x": true}}'));
		expect(Object.keys(read)).toEqual(['__proto__']);
		expect(Object.getPrototypeOf(read)).toBe(Object.prototype);
		expect(read['__proto__']?.status?.connector).toEqual({state: 'RUNNING', worker_id: 'w:8083', extra: 1});
		expect(read['__proto__']).toMatchObject({x: true});
	});

	it('names the path of the first problem', () => {
		const task = {id: 1.5, state: 'RUNNING', worker_id: 'w'};
		expect(() => readConnectorsExpanded({a: {status: {name: 'a', connector: {state: 'RUNNING', worker_id: 'w'}, tasks: [task]}}})).toThrow('a.status.tasks.0.id: expected an integer');
		expect(() => readConnectorsExpanded({a: {info: {name: 'a', config: {k: 1}, tasks: []}}})).toThrow('a.info.config.k: expected string, received number');
		expect(() => readConnectorsExpanded([])).toThrow('(root): expected record, received array');
	});

	it('accepts and rejects the same mutated bodies as the zod schema, with the same result', async () => {
		await check(
			'connect: expand reader equals the schema',
			fc.property(jsonBodies(expandSeeds), (text: string) => {
				const json = parsed(text);
				if (json === undefined) return;
				const {zod, walker} = outcomes(json);
				expect(walker).toEqual(zod);
			}),
			settings(0x5eed_0c01, 400),
		);
	});
});
