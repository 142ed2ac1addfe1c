import {describe, expect, it} from 'vitest';
import {initialSort, reduceSort, sortColumns, sortConnectors} from '../../../source/ui/state/sort.js';
import {makeConnector, makeDebezium, makeTask} from '../../helpers/snapshot-factory.js';

const rows = [
	makeConnector({name: 'b-ok', lag: 10, recordRate: 5}),
	makeConnector({name: 'a-ok', lag: undefined, recordRate: 50}),
	makeConnector({name: 'c-failed', state: 'FAILED', lag: 500, tasks: []}),
	makeConnector({name: 'd-paused', state: 'PAUSED', lag: 99, tasks: [makeTask({id: 0, state: 'PAUSED'})]}),
	makeConnector({name: 'e-task-failed', tasks: [makeTask({id: 0, state: 'FAILED', trace: 'x'})], lag: 1}),
];

const names = (list: readonly {readonly name: string}[]): string[] => list.map(row => row.name);

describe('reduceSort', () => {
	it('chooses a column, and the same column again reverses', () => {
		const byLag = reduceSort(initialSort, {type: 'sort/column-chosen', column: 'lag'});
		expect(byLag).toEqual({column: 'lag', reversed: false});
		expect(reduceSort(byLag, {type: 'sort/column-chosen', column: 'lag'})).toEqual({column: 'lag', reversed: true});
		expect(reduceSort({column: 'lag', reversed: true}, {type: 'sort/column-chosen', column: 'name'})).toEqual({column: 'name', reversed: false});
	});

	it('cycles through every column back to the default', () => {
		let state = initialSort;
		const seen: string[] = [];
		for (let i = 0; i < sortColumns.length; i++) {
			state = reduceSort(state, {type: 'sort/cycled'});
			seen.push(state.column);
		}
		expect(seen.at(-1)).toBe('failures');
		expect(new Set(seen).size).toBe(sortColumns.length);
	});
});

describe('sortConnectors', () => {
	it('puts failures first by default (crit, warn, then name)', () => {
		expect(names(sortConnectors(rows, initialSort))).toEqual(['c-failed', 'e-task-failed', 'd-paused', 'a-ok', 'b-ok']);
	});

	it('sorts numbers largest first, unknown values last in both directions', () => {
		expect(names(sortConnectors(rows, {column: 'lag', reversed: false}))).toEqual(['c-failed', 'd-paused', 'b-ok', 'e-task-failed', 'a-ok']);
		expect(names(sortConnectors(rows, {column: 'lag', reversed: true}))).toEqual(['e-task-failed', 'b-ok', 'd-paused', 'c-failed', 'a-ok']);
	});

	it('sorts names A→Z and reversed Z→A', () => {
		expect(names(sortConnectors(rows, {column: 'name', reversed: false}))).toEqual(['a-ok', 'b-ok', 'c-failed', 'd-paused', 'e-task-failed']);
		expect(names(sortConnectors(rows, {column: 'name', reversed: true}))).toEqual(['e-task-failed', 'd-paused', 'c-failed', 'b-ok', 'a-ok']);
	});

	it('sorts states by severity', () => {
		expect(names(sortConnectors(rows, {column: 'state', reversed: false})).slice(0, 2)).toEqual(['c-failed', 'd-paused']);
	});

	it('does not modify its input', () => {
		const before = names(rows);
		sortConnectors(rows, {column: 'name', reversed: true});
		expect(names(rows)).toEqual(before);
	});

	it('failures first follows the one severity order: a FAILED task above a lost database (the misorder of issue 10)', () => {
		const incident = [
			makeConnector({name: 'a-paused', state: 'PAUSED', tasks: [makeTask({id: 0, state: 'PAUSED'})]}),
			makeConnector({name: 'b-dbz-lost', debezium: makeDebezium({connected: false}), health: 'crit'}),
			makeConnector({name: 'c-snapshotting', debezium: makeDebezium({connected: false, snapshotRunning: true})}),
			makeConnector({name: 'd-lagging', lag: 50_000, lagUnit: 'records'}),
			makeConnector({name: 'e-unassigned', tasks: [makeTask({id: 0, state: 'UNASSIGNED'})]}),
			makeConnector({name: 'f-errors', errorsIncrease: 3}),
			makeConnector({name: 'g-on-down-worker', severity: 'worker-down'}),
			makeConnector({name: 'z-task-failed', tasks: [makeTask({id: 0, state: 'FAILED', trace: 'x'})]}),
		];
		expect(names(sortConnectors(incident, initialSort))).toEqual(['z-task-failed', 'g-on-down-worker', 'e-unassigned', 'b-dbz-lost', 'd-lagging', 'f-errors', 'a-paused', 'c-snapshotting']);
		expect(names(sortConnectors(incident, {column: 'failures', reversed: true}))[0]).toBe('c-snapshotting');
	});
});
