import {describe, expect, it} from 'vitest';
import {anchorList, clampList, initialListState, reduceList, scrollBy} from '../../../source/ui/state/list.js';

const bounds = {count: 100, height: 10};

describe('reduceList', () => {
	it('moves and keeps the selection in the window', () => {
		let state = initialListState;
		for (let i = 0; i < 12; i++) state = reduceList(state, {type: 'list/moved', by: 1}, bounds);
		expect(state).toMatchObject({index: 12, offset: 3});
		state = reduceList(state, {type: 'list/moved', by: -10}, bounds);
		expect(state).toMatchObject({index: 2, offset: 2});
	});

	it('clamps at both ends', () => {
		expect(reduceList(initialListState, {type: 'list/moved', by: -1}, bounds).index).toBe(0);
		const bottom = reduceList(initialListState, {type: 'list/jumped', to: 'bottom'}, bounds);
		expect(bottom).toMatchObject({index: 99, offset: 90});
		expect(reduceList(bottom, {type: 'list/moved', by: 1}, bounds).index).toBe(99);
		expect(reduceList(bottom, {type: 'list/jumped', to: 'top'}, bounds)).toMatchObject({index: 0, offset: 0});
	});

	it('pages by the window height', () => {
		const paged = reduceList(initialListState, {type: 'list/paged', direction: 1}, bounds);
		expect(paged).toMatchObject({index: 10, offset: 10});
		expect(reduceList(paged, {type: 'list/paged', direction: -1}, bounds)).toMatchObject({index: 0, offset: 0});
	});

	it('copes with an empty list and resets', () => {
		expect(reduceList(initialListState, {type: 'list/moved', by: 3}, {count: 0, height: 10})).toMatchObject({index: 0, offset: 0});
		expect(reduceList({index: 5, offset: 2, name: 'x'}, {type: 'list/reset'}, bounds)).toEqual(initialListState);
	});
});

describe('anchorList', () => {
	it('follows the selected name when rows move', () => {
		const names = ['a', 'b', 'c', 'd'];
		const state = {index: 1, offset: 0, name: 'd'};
		expect(anchorList(state, {count: 4, height: 2}, name => names.indexOf(name))).toMatchObject({index: 3, offset: 2});
	});

	it('keeps the index when the name is gone', () => {
		expect(anchorList({index: 7, offset: 0, name: 'gone'}, {count: 5, height: 10}, () => -1)).toMatchObject({index: 4});
	});
});

describe('clampList and scrollBy', () => {
	it('clamps when the list shrinks', () => {
		expect(clampList({index: 50, offset: 45, name: undefined}, {count: 20, height: 10})).toMatchObject({index: 19, offset: 10});
	});

	it('scrolls within bounds', () => {
		expect(scrollBy(0, 5, 30, 10)).toBe(5);
		expect(scrollBy(18, 5, 30, 10)).toBe(20);
		expect(scrollBy(3, -10, 30, 10)).toBe(0);
		expect(scrollBy(0, 5, 4, 10)).toBe(0);
	});
});
