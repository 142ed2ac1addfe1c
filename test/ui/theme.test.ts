import {describe, expect, it} from 'vitest';
import {lineToAnsi, fitLine, lineText} from '../../source/ui/lines.js';
import {makeTheme} from '../../source/ui/theme.js';
import {displayWidth} from '../../source/ui/text.js';

describe('makeTheme', () => {
	it('colours states and health when colour is on', () => {
		const theme = makeTheme({ascii: false, color: true});
		expect(theme.stateColor('RUNNING')).toBe('green');
		expect(theme.stateColor('FAILED')).toBe('red');
		expect(theme.stateColor('PAUSED')).toBe('yellow');
		expect(theme.stateColor('UNASSIGNED')).toBe('magenta');
		expect(theme.stateColor('RESTARTING')).toBe('cyan');
		expect(theme.stateColor('DEGRADED')).toBeUndefined();
		expect(theme.healthColor('crit')).toBe('red');
		expect(theme.border).toBe('round');
		expect(theme.glyphs.spark).toEqual(['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█']);
	});

	it('has no colour at all with NO_COLOR', () => {
		const theme = makeTheme({ascii: false, color: false});
		expect(theme.stateColor('FAILED')).toBeUndefined();
		expect(theme.healthColor('crit')).toBeUndefined();
		expect(theme.fg('red')).toBeUndefined();
	});

	it('uses ASCII glyphs and borders with --ascii', () => {
		const theme = makeTheme({ascii: true, color: true});
		expect(theme.border).toBe('classic');
		expect(theme.glyphs.spark.join('')).toBe(' .:-=+*#');
		for (const glyph of [...theme.glyphs.chart, theme.glyphs.disagreement, theme.glyphs.warning, theme.glyphs.sortAscending, theme.glyphs.sortDescending, theme.glyphs.refreshing]) {
			expect(glyph).toMatch(/^[\u0020-\u007E]$/);
		}
	});
});

describe('lines', () => {
	const value = {segments: [{text: 'FAILED', color: 'red' as const, bold: true}, {text: ' 漢字 tail'}]};

	it('turns a line into SGR text only when colour is on', () => {
		expect(lineToAnsi(value, true)).toBe('\u001B[1;31mFAILED\u001B[0m 漢字 tail');
		expect(lineToAnsi(value, false)).toBe('FAILED 漢字 tail');
	});

	it('fits a line to a width across segments', () => {
		const fitted = fitLine(value, 10);
		expect(displayWidth(lineText(fitted))).toBeLessThanOrEqual(10);
		expect(lineText(fitted)).toMatch(/^FAILED 漢…?$/);
		const inverse = fitLine({segments: [{text: 'x'}], inverse: true}, 5);
		expect(lineText(inverse)).toBe('x    ');
	});
});
