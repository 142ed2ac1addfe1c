import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {changedByMap, changedConnectors} from '../../source/model/diff.js';
import type {ClusterSnapshot} from '../../source/model/types.js';
import {makeConnector, makeDebezium, makeSnapshot, makeTask} from '../helpers/snapshot-factory.js';

/** Rows drawn from few shapes under few names, so the same name often holds an equal row on both sides. */
const rows = (sorted: boolean): fc.Arbitrary<ClusterSnapshot> =>
	fc
		.array(
			fc.record({
				name: fc.constantFrom('a', 'b', 'c', 'd', 'e'),
				state: fc.constantFrom('RUNNING', 'RUNNING', 'FAILED'),
				health: fc.constantFrom('ok', 'ok', 'crit'),
				connected: fc.constantFrom(undefined, true),
				task: fc.constantFrom(undefined, 'RUNNING', 'FAILED'),
			}),
			{maxLength: 6},
		)
		.map(drawn =>
			makeSnapshot({
				connectors: (sorted ? [...drawn].sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0)) : drawn).map(each =>
					makeConnector({name: each.name, state: each.state, health: each.health, debezium: each.connected === undefined ? undefined : makeDebezium({connected: each.connected}), tasks: each.task === undefined ? [] : [makeTask({id: 0, state: each.task})]}),
				),
			}),
		);

/** Mostly sorted, as buildSnapshot makes them; sometimes as drawn (names twice, out of order). */
const snapshot = fc.constantFrom(true, true, true, false).chain(rows);

describe('changedConnectors over name-sorted rows', () => {
	it('names the same connectors, in the same order, as the general Map walk: sorted or not, names twice, rows shared', () => {
		fc.assert(
			fc.property(snapshot, snapshot, fc.array(fc.boolean(), {minLength: 6, maxLength: 6}), (before, drawnAfter, share) => {
				// Some rows are the very objects of the previous snapshot, as a carried-over row is.
				const after = {...drawnAfter, connectors: drawnAfter.connectors.map((row, i) => (share[i] === true ? (before.connectors.find(old => old.name === row.name) ?? row) : row))};
				expect([...changedConnectors(before, after)]).toEqual([...changedByMap(before, after)]);
			}),
			{numRuns: 2000},
		);
	});
});
