import {describe, expect, it} from 'vitest';
import {parseCommandLine} from '../../../source/ui/input/command-line.js';

describe('parseCommandLine', () => {
	it('switches views with k9s aliases', () => {
		expect(parseCommandLine('connectors')).toEqual({kind: 'root', root: 'connectors'});
		expect(parseCommandLine(' co ')).toEqual({kind: 'root', root: 'connectors'});
		expect(parseCommandLine('workers')).toEqual({kind: 'root', root: 'workers'});
		expect(parseCommandLine('wo')).toEqual({kind: 'root', root: 'workers'});
		expect(parseCommandLine('help')).toEqual({kind: 'help'});
		expect(parseCommandLine('q')).toEqual({kind: 'quit'});
		expect(parseCommandLine('')).toEqual({kind: 'none'});
	});

	it('answers :ctx and unknown commands with a message', () => {
		expect(parseCommandLine('ctx prod')).toEqual({kind: 'context', name: 'prod'});
		expect(parseCommandLine('context')).toEqual({kind: 'context', name: undefined});
		expect(parseCommandLine('ev')).toEqual({kind: 'root', root: 'events'});
		const unknown = parseCommandLine('deploy now');
		expect(unknown).toMatchObject({kind: 'message', level: 'error'});
		expect(unknown.kind === 'message' ? unknown.text : '').toContain('unknown command: deploy');
	});
});
