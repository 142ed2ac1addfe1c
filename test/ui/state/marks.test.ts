import {describe, expect, it} from 'vitest';
import {markedInOrder, marksText, noMarks, reduceMarks} from '../../../source/ui/state/marks.js';

describe('marks', () => {
	it('toggles one name on and off, and clears them all', () => {
		const one = reduceMarks(noMarks, {type: 'marks/toggled', names: ['jdbc-sink']});
		expect([...one]).toEqual(['jdbc-sink']);
		const two = reduceMarks(one, {type: 'marks/toggled', names: ['oracle_tsm']});
		expect([...two].sort()).toEqual(['jdbc-sink', 'oracle_tsm']);
		expect([...reduceMarks(two, {type: 'marks/toggled', names: ['jdbc-sink']})]).toEqual(['oracle_tsm']);
		expect(reduceMarks(two, {type: 'marks/cleared'}).size).toBe(0);
		// Nothing to clear: the same object (no re-render).
		expect(reduceMarks(noMarks, {type: 'marks/cleared'})).toBe(noMarks);
	});

	it('marks a whole failure group, or unmarks it when every member was marked', () => {
		const some = reduceMarks(noMarks, {type: 'marks/toggled', names: ['a']});
		const group = reduceMarks(some, {type: 'marks/toggled', names: ['a', 'b', 'c']});
		expect([...group].sort()).toEqual(['a', 'b', 'c']);
		expect(reduceMarks(group, {type: 'marks/toggled', names: ['a', 'b', 'c']}).size).toBe(0);
		expect(reduceMarks(some, {type: 'marks/toggled', names: []})).toBe(some);
	});

	it('orders marked names as shown, then the hidden ones by name', () => {
		const marks = new Set(['zeta', 'alpha', 'mid', 'hidden-b', 'hidden-a']);
		expect(markedInOrder(marks, ['mid', 'unmarked', 'zeta', 'alpha'])).toEqual(['mid', 'zeta', 'alpha', 'hidden-a', 'hidden-b']);
	});

	it('says how many are marked and how many of them the filter hides', () => {
		expect(marksText(noMarks, 0)).toBe('');
		expect(marksText(new Set(['a', 'b', 'c']), 0)).toBe('3 marked');
		expect(marksText(new Set(['a', 'b', 'c']), 1)).toBe('3 marked (1 not shown)');
	});
});
