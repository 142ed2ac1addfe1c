import {afterAll, describe, expect, it} from 'vitest';
import type {Line} from '../../../source/ui/lines.js';
import {initialAppState} from '../../../source/store/store.js';
import {buildScreen} from '../../../source/ui/screen.js';
import {createRowsSelector} from '../../../source/ui/select.js';
import {initialUiState} from '../../../source/ui/state/ui-state.js';
import {makeTheme} from '../../../source/ui/theme.js';
import {realisticSnapshot} from '../../helpers/snapshot-factory.js';

// Colour must be on before chalk (through Ink) is first loaded in this file's modules.
const previousForceColor = process.env['FORCE_COLOR'];
process.env['FORCE_COLOR'] = '1';
const {Box, Text} = await import('ink');
const {render} = await import('ink-testing-library');
const {LineView} = await import('../../../source/ui/components/line-view.js');

afterAll(() => {
	if (previousForceColor === undefined) delete process.env['FORCE_COLOR'];
	else process.env['FORCE_COLOR'] = previousForceColor;
});

/** How lines were drawn before: one Ink Text per segment, nested in one Text per line. */
function NestedLineView({lines}: {readonly lines: readonly Line[]}): React.JSX.Element {
	return (
		<Box flexDirection="column">
			{lines.map((line, index) => (
				// eslint-disable-next-line react/no-array-index-key
				<Text key={index} wrap="truncate-end" inverse={line.inverse === true}>
					{line.segments.length === 0
						? ' '
						: line.segments.map((part, partIndex) => (
								// eslint-disable-next-line react/no-array-index-key
								<Text key={partIndex} color={part.color} bold={part.bold === true} dimColor={part.dim === true} inverse={part.inverse === true}>
									{part.text}
								</Text>
							))}
				</Text>
			))}
		</Box>
	);
}

function drawn(element: React.JSX.Element): string {
	const instance = render(element);
	const frame = instance.lastFrame() ?? '';
	instance.unmount();
	return frame;
}

function screenLines(width: number): Line[] {
	const snapshot = realisticSnapshot();
	const state = {...initialAppState({demo: true, readOnly: false, intervalMs: 2000, unreachableHint: undefined}), snapshot, now: snapshot.takenAt};
	const selectRows = createRowsSelector();
	const rows = selectRows({snapshot, filterText: '', sort: initialUiState.sort, faultsOnly: false, journal: state.journal});
	const screen = buildScreen({state, ui: initialUiState, rows, history: () => ({lag: [1, 5, 3], recordRate: [2, 2, 9], errors: []}), theme: makeTheme({ascii: false, color: true}), readOnly: false, width, height: 30});
	return [...screen.header, ...screen.body, ...screen.footer];
}

describe('LineView', () => {
	it('draws a real screen byte for byte as nested Ink Text elements do', () => {
		const lines = screenLines(99);
		const flat = drawn(<LineView lines={lines} />);
		expect(flat).toMatch(/\u001B\[3\dm/); // colour is on: the comparison covers styles
		expect(flat).toBe(drawn(<NestedLineView lines={lines} />));
	});

	it('draws every style combination, inverse rows, empty rows and wide characters the same', () => {
		const lines: Line[] = [
			{segments: []},
			{segments: [{text: 'plain '}, {text: 'red', color: 'red'}, {text: ' bold', bold: true}, {text: ' dim', dim: true}, {text: ' inv', inverse: true}]},
			{segments: [{text: 'all', color: 'cyan', bold: true, dim: true, inverse: true}, {text: ''}, {text: '表示 ✓ ▁▃▅', color: 'gray'}]},
			{segments: [{text: 'selected '}, {text: 'FAILED', color: 'red', bold: true}, {text: ' ', dim: true}], inverse: true},
			{segments: [{text: 'x'.repeat(120), color: 'yellow'}]},
		];
		const flat = drawn(<LineView lines={lines} />);
		expect(flat).toContain('\u001B[7m');
		expect(flat).toBe(drawn(<NestedLineView lines={lines} />));
	});
});
