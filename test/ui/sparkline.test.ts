import {describe, expect, it} from 'vitest';
import {chart, sparkline} from '../../source/ui/sparkline.js';
import {makeTheme} from '../../source/ui/theme.js';

const unicode = makeTheme({ascii: false, color: true}).glyphs;
const ascii = makeTheme({ascii: true, color: true}).glyphs;

describe('sparkline', () => {
	it('scales from zero to the maximum, newest on the right', () => {
		expect(sparkline([0, 7, 14], 3, unicode.spark)).toBe('▁▅█');
		expect(sparkline([0, 7, 14], 3, ascii.spark)).toBe(' =#');
	});

	it('pads on the left when there is less history than width, and keeps the last values when more', () => {
		expect(sparkline([1, 2], 5, unicode.spark)).toBe('   ▅█');
		expect(sparkline([100, 0, 1, 2], 2, unicode.spark)).toBe('▅█');
	});

	it('leaves blanks for NaN and infinities and a floor for flat lines', () => {
		expect(sparkline([1, Number.NaN, 2], 3, unicode.spark)).toBe('▅ █');
		expect(sparkline([0, 0, 0], 3, unicode.spark)).toBe('▁▁▁');
		expect(sparkline([], 0, unicode.spark)).toBe('');
	});
});

describe('chart', () => {
	it('draws bars of the right height with labels', () => {
		const drawn = chart([0, 4, 8], 3, 2, ['.', 'x', '#']);
		// Two rows, two steps per row: 8 → 4 steps = full column; 4 → 2 steps = bottom full.
		expect(drawn.rows).toEqual(['..#', '.##']);
		expect(drawn).toMatchObject({min: 0, max: 8, last: 8});
	});

	it('uses partial cells at the top of a bar', () => {
		const drawn = chart([0, 10], 2, 1, unicode.chart);
		expect(drawn.rows).toEqual([' █']);
		const half = chart([0, 5, 10], 3, 1, unicode.chart);
		expect(half.rows[0]?.[1]).toBe('▄');
	});

	it('has no labels without data', () => {
		expect(chart([], 4, 2, unicode.chart)).toEqual({rows: ['    ', '    '], min: undefined, max: undefined, last: undefined});
	});
});
