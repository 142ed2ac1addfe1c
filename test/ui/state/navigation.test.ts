import {describe, expect, it} from 'vitest';
import {initialNavigation, openDetailConnector, reduceNavigation, tabAt, topView, type DetailView} from '../../../source/ui/state/navigation.js';

const detail: DetailView = {kind: 'detail', connector: 'jdbc-sink', tab: 'overview', task: 0, scroll: 0};

describe('reduceNavigation', () => {
	it('pushes and pops views above the root, never the root itself', () => {
		const pushed = reduceNavigation(initialNavigation, {type: 'nav/pushed', view: detail});
		expect(topView(pushed)).toEqual(detail);
		const popped = reduceNavigation(pushed, {type: 'nav/popped'});
		expect(popped).toEqual(initialNavigation);
		expect(reduceNavigation(popped, {type: 'nav/popped'})).toEqual(initialNavigation);
	});

	it('switches the root and drops everything above it', () => {
		const deep = reduceNavigation(reduceNavigation(initialNavigation, {type: 'nav/pushed', view: detail}), {type: 'nav/pushed', view: {kind: 'help', scroll: 0}});
		expect(reduceNavigation(deep, {type: 'nav/root-chosen', root: 'workers'})).toEqual([{kind: 'workers'}]);
	});

	it('changes only a top view of the same kind', () => {
		const pushed = reduceNavigation(initialNavigation, {type: 'nav/pushed', view: detail});
		const changed = reduceNavigation(pushed, {type: 'nav/top-changed', view: {...detail, tab: 'config'}});
		expect(topView(changed)).toMatchObject({tab: 'config'});
		expect(reduceNavigation(pushed, {type: 'nav/top-changed', view: {kind: 'help', scroll: 3}})).toBe(pushed);
		expect(reduceNavigation(initialNavigation, {type: 'nav/top-changed', view: detail})).toBe(initialNavigation);
	});

	it('knows which connector detail is open, even under a trace', () => {
		const withTrace = reduceNavigation(reduceNavigation(initialNavigation, {type: 'nav/pushed', view: detail}), {type: 'nav/pushed', view: {kind: 'trace', connector: 'jdbc-sink', task: 0, scroll: 0, wrap: true}});
		expect(openDetailConnector(withTrace)).toBe('jdbc-sink');
		expect(openDetailConnector(initialNavigation)).toBeUndefined();
	});

	it('wraps tab indices', () => {
		expect(tabAt(0)).toBe('overview');
		expect(tabAt(6)).toBe('overview');
		expect(tabAt(-1)).toBe('charts');
	});
});
