import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {changedConnectors, sameVisibleState} from '../../source/model/diff.js';
import type {ConnectorRow} from '../../source/model/types.js';
import {makeConnector, makeDebezium, makeSnapshot, makeTask} from '../helpers/snapshot-factory.js';

/** The fingerprint the diff compared before it compared fields (7b6b1dd), the reference the field comparison is held equal to. */
function referenceFingerprint(row: ConnectorRow): string {
	let text = `${row.state}|${row.health}|${row.workerId ?? ''}|${row.debezium?.connected ?? ''}`;
	for (const task of row.tasks) text += `|${task.id}:${task.state}@${task.workerId ?? ''}`;
	return text;
}

const state = fc.constantFrom('RUNNING', 'FAILED', 'PAUSED', 'UNASSIGNED');
const worker = fc.constantFrom(undefined, '', 'c1:8083', 'c2:8083');
const task = fc.record({id: fc.integer({min: 0, max: 3}), state, workerId: worker}).map(t => makeTask(t));
const row = fc
	.record({state, health: fc.constantFrom('ok', 'warn', 'crit'), workerId: worker, connected: fc.constantFrom(undefined, true, false), tasks: fc.array(task, {maxLength: 3})})
	.map(({connected, ...fields}) => makeConnector({name: 'a', ...fields, debezium: connected === undefined ? undefined : makeDebezium({connected})}));

describe('changedConnectors', () => {
	it('names connectors that appeared, vanished, or changed state, health, placement, connection or a task', () => {
		const before = makeSnapshot({connectors: [makeConnector({name: 'a'}), makeConnector({name: 'b'}), makeConnector({name: 'c', tasks: [makeTask({id: 0})]})]});
		const after = makeSnapshot({connectors: [makeConnector({name: 'a'}), makeConnector({name: 'c', tasks: [makeTask({id: 0, state: 'FAILED'})]}), makeConnector({name: 'd'})]});
		expect([...changedConnectors(before, after)].sort()).toEqual(['b', 'c', 'd']);
		expect(changedConnectors(after, after).size).toBe(0);
	});

	it('compares fields as the fingerprint strings did', () => {
		fc.assert(
			fc.property(row, row, fc.array(fc.boolean(), {minLength: 5, maxLength: 5}), (a, other, keep) => {
				// b takes each field from a or from the other row, so equal and unequal pairs both come up.
				const pick = <K extends keyof ConnectorRow>(key: K, index: number): ConnectorRow[K] => (keep[index] === true ? a[key] : other[key]);
				const b = {...a, state: pick('state', 0), health: pick('health', 1), workerId: pick('workerId', 2), debezium: pick('debezium', 3), tasks: pick('tasks', 4)};
				expect(sameVisibleState(a, b)).toBe(referenceFingerprint(a) === referenceFingerprint(b));
			}),
			{numRuns: 2000},
		);
	});
});
