import {describe, expect, it} from 'vitest';
import {compileFilter, connectorHaystack, effectiveFilter, escapeRegex, initialFilter, reduceFilter} from '../../../source/ui/state/filter.js';
import {makeConnector} from '../../helpers/snapshot-factory.js';

describe('reduceFilter', () => {
	it('edits a draft that filters live, then keeps it on accept', () => {
		let state = reduceFilter(initialFilter, {type: 'filter/opened'});
		state = reduceFilter(state, {type: 'filter/typed', text: 'sin'});
		state = reduceFilter(state, {type: 'filter/typed', text: 'kx'});
		state = reduceFilter(state, {type: 'filter/erased'});
		expect(effectiveFilter(state)).toBe('sink');
		expect(state.applied).toBe('');
		state = reduceFilter(state, {type: 'filter/accepted'});
		expect(state).toEqual({applied: 'sink', draft: undefined});
	});

	it('clears on Esc and ignores typing when the prompt is closed', () => {
		const kept = {applied: 'x', draft: undefined};
		expect(reduceFilter(kept, {type: 'filter/typed', text: 'y'})).toBe(kept);
		expect(reduceFilter({applied: 'x', draft: 'xy'}, {type: 'filter/cleared'})).toEqual(initialFilter);
		expect(reduceFilter(kept, {type: 'filter/replaced', text: 'c1:8083'})).toEqual({applied: 'c1:8083', draft: undefined});
	});
});

describe('compileFilter', () => {
	const debezium = makeConnector({name: 'mysql-cdc', className: 'io.debezium.connector.mysql.MySqlConnector', shortClass: 'MySql'});
	const sink = makeConnector({name: 'jdbc-sink', state: 'FAILED', workerId: 'c2:8083', tasks: []});

	it('matches a case-insensitive regex over name, class, state and workers', () => {
		const byClass = compileFilter('DEBEZIUM');
		expect(byClass.matches(connectorHaystack(debezium))).toBe(true);
		expect(byClass.matches(connectorHaystack(sink))).toBe(false);
		expect(compileFilter('^failed$').matches(connectorHaystack(sink))).toBe(true);
		expect(compileFilter('c2:80').matches(connectorHaystack(sink))).toBe(true);
		expect(compileFilter('sink|cdc').matches(connectorHaystack(debezium))).toBe(true);
	});

	it('inverts with a leading !', () => {
		const inverted = compileFilter('!sink');
		expect(inverted.inverted).toBe(true);
		expect(inverted.matches(connectorHaystack(sink))).toBe(false);
		expect(inverted.matches(connectorHaystack(debezium))).toBe(true);
	});

	it('falls back to a substring match for an invalid regex and says so', () => {
		const invalid = compileFilter('jdbc-(sink');
		expect(invalid.fallback).toBe(true);
		expect(invalid.matches('JDBC-(SINK v2')).toBe(true);
		expect(invalid.matches('jdbc-sink')).toBe(false);
		expect(compileFilter('jdbc').fallback).toBe(false);
	});

	it('is inactive when empty (also "!" alone)', () => {
		expect(compileFilter('').active).toBe(false);
		expect(compileFilter('!').active).toBe(false);
	});

	it('escapes worker ids for an exact match', () => {
		expect(new RegExp(escapeRegex('10.0.0.1:8083')).test('10a0b0c1:8083')).toBe(false);
		expect(new RegExp(escapeRegex('10.0.0.1:8083')).test('10.0.0.1:8083')).toBe(true);
	});
});
