import {describe, expect, it} from 'vitest';
import {sameLine, shareLines, type Line} from '../../source/ui/lines.js';

const row = (text: string, extra: Partial<Line> = {}): Line => ({segments: [{text: 'name '}, {text, color: 'green'}], ...extra});

describe('sameLine', () => {
	it('compares texts and every style, segment by segment', () => {
		expect(sameLine(row('RUNNING'), row('RUNNING'))).toBe(true);
		expect(sameLine(row('RUNNING'), row('FAILED'))).toBe(false);
		expect(sameLine(row('RUNNING'), row('RUNNING', {inverse: true}))).toBe(false);
		expect(sameLine({segments: [{text: 'a', bold: false}]}, {segments: [{text: 'a'}]})).toBe(true);
		expect(sameLine({segments: [{text: 'a'}]}, {segments: [{text: 'a', dim: true}]})).toBe(false);
		expect(sameLine({segments: [{text: 'a', color: 'red'}]}, {segments: [{text: 'a', color: 'yellow'}]})).toBe(false);
		expect(sameLine({segments: [{text: 'ab'}]}, {segments: [{text: 'a'}, {text: 'b'}]})).toBe(false);
	});
});

describe('shareLines', () => {
	it('returns the earlier array when every line draws the same', () => {
		const before = [row('RUNNING'), row('PAUSED')];
		expect(shareLines(before, [row('RUNNING'), row('PAUSED')])).toBe(before);
	});

	it('keeps the identity of unchanged lines and takes the changed ones', () => {
		const before = [row('RUNNING'), row('PAUSED'), row('RUNNING')];
		const changed = row('FAILED');
		const after = shareLines(before, [row('RUNNING'), changed, row('RUNNING')]);
		expect(after).not.toBe(before);
		expect(after[0]).toBe(before[0]);
		expect(after[1]).toBe(changed);
		expect(after[2]).toBe(before[2]);
	});

	it('treats a different line count as a change', () => {
		const before = [row('RUNNING')];
		const after = shareLines(before, [row('RUNNING'), row('PAUSED')]);
		expect(after).toHaveLength(2);
		expect(after[0]).toBe(before[0]);
		expect(shareLines(undefined, before)).toBe(before);
	});
});
