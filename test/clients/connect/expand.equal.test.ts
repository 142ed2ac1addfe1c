import {readFileSync} from 'node:fs';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {readConnectorsExpanded} from '../../../source/clients/connect/expand.js';
import {ShapeError} from '../../../source/clients/shape.js';
import {check, jsonBodies, realPayloads, settings} from '../../fuzz/mutate.js';
import {referenceReadConnectorsExpanded} from './expand-reference.js';

/**
 * The expand reader checks the parsed body in place; the copying reader it replaced is the
 * reference. Each gets its own JSON.parse of the same text (the in-place one writes null
 * config values over): both accept the same bodies, give equal connectors, or name the same
 * path and problem.
 */

const expandSeeds = realPayloads('rest', '.json').filter(text => text.includes('"status"') || text.includes('"info"'));

function outcome(text: string, read: (json: unknown) => unknown): unknown {
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch {
		return 'not JSON';
	}
	try {
		return {ok: read(json)};
	} catch (error) {
		if (!(error instanceof ShapeError)) throw error;
		return {message: error.message};
	}
}

describe('readConnectorsExpanded in place', () => {
	it('reads every real expand payload as the copying reader did', () => {
		expect(expandSeeds.length).toBeGreaterThan(2);
		for (const text of expandSeeds) {
			const read = outcome(text, readConnectorsExpanded);
			expect(read).toHaveProperty('ok');
			expect(read).toEqual(outcome(text, referenceReadConnectorsExpanded));
		}
	});

	it('reads a 1,009-connector body with null config values as the copying reader did', () => {
		const fixture: unknown = JSON.parse(readFileSync(new URL('../../fixtures/rest/rest-connectors-expand-info-status-datagen-6-tasks-2-workers.json', import.meta.url), 'utf8'));
		const [name, entry] = Object.entries(fixture ?? {})[0] ?? [];
		if (name === undefined) throw new Error('the fixture has a connector');
		const many: Record<string, unknown> = {};
		for (let index = 0; index < 1009; index++) many[`${name}-${index}`] = entry;
		many['nulls'] = {info: {name: 'nulls', config: {'connector.class': 'X', 'transforms.a.regex': null}, tasks: [], type: 'sink'}};
		const text = JSON.stringify(many);
		const read = readConnectorsExpanded(JSON.parse(text));
		expect(read['nulls']?.info?.config).toEqual({'connector.class': 'X', 'transforms.a.regex': ''});
		expect(read).toEqual(referenceReadConnectorsExpanded(JSON.parse(text)));
	});

	it('accepts and rejects the same mutated bodies as the copying reader, with the same result or the same error', async () => {
		await check(
			'connect: in-place expand reader equals the copying one',
			fc.property(jsonBodies(expandSeeds), (text: string) => {
				expect(outcome(text, readConnectorsExpanded)).toEqual(outcome(text, referenceReadConnectorsExpanded));
			}),
			settings(0x5eed_0c02, 400),
		);
	});
});
