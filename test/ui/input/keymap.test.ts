import {describe, expect, it} from 'vitest';
import {chordLabel, footerHints, helpSections, keymap, resolveCommand} from '../../../source/ui/input/keymap.js';

const rw = {readOnly: false};
const ro = {readOnly: true};

describe('resolveCommand', () => {
	it('maps k9s keys to commands for the view in front', () => {
		expect(resolveCommand('connectors', {input: 'j'}, rw)).toBe('move-down');
		expect(resolveCommand('connectors', {input: '', down: true}, rw)).toBe('move-down');
		expect(resolveCommand('connectors', {input: 'G', shift: true}, rw)).toBe('bottom');
		expect(resolveCommand('connectors', {input: 'f', ctrl: true}, rw)).toBe('page-down');
		expect(resolveCommand('connectors', {input: 'z', ctrl: true}, rw)).toBe('faults-only');
		expect(resolveCommand('connectors', {input: 'L', shift: true}, rw)).toBe('sort-lag');
		expect(resolveCommand('connectors', {input: 'q'}, rw)).toBe('quit');
		expect(resolveCommand('detail', {input: 'q'}, rw)).toBe('back');
		expect(resolveCommand('detail', {input: '3'}, rw)).toBe('tab-3');
		expect(resolveCommand('detail', {input: '', tab: true, shift: true}, rw)).toBe('tab-previous');
		expect(resolveCommand('detail', {input: '', tab: true}, rw)).toBe('tab-next');
		expect(resolveCommand('trace', {input: 'w'}, rw)).toBe('toggle-wrap');
		expect(resolveCommand('workers', {input: ' '}, rw)).toBe('freeze');
		expect(resolveCommand('help', {input: 'r', ctrl: true}, rw)).toBe('refresh');
	});

	it('does not confuse a letter with its ctrl chord or an unrelated view', () => {
		expect(resolveCommand('connectors', {input: 'r'}, rw)).toBe('restart-failed');
		expect(resolveCommand('connectors', {input: 'r', ctrl: true}, rw)).toBe('refresh');
		expect(resolveCommand('connectors', {input: 't'}, rw)).toBeUndefined();
		expect(resolveCommand('workers', {input: 'L'}, rw)).toBeUndefined();
		expect(resolveCommand('connectors', {input: 'x'}, rw)).toBeUndefined();
	});

	it('has no actions in read-only mode', () => {
		for (const input of ['r', 'R', 'p', 'u', 's']) expect(resolveCommand('connectors', {input}, ro)).toBeUndefined();
		expect(resolveCommand('detail', {input: 't'}, ro)).toBeUndefined();
	});
});

describe('footer and help come from the keymap', () => {
	it('lists the hints of the view in front', () => {
		const connectors = footerHints('connectors', rw).map(hint => `${hint.keys} ${hint.label}`);
		expect(connectors).toContain('/ filter');
		expect(connectors).toContain('r restart failed');
		expect(footerHints('trace', rw).map(hint => hint.label)).toContain('wrap');
		expect(footerHints('trace', rw).map(hint => hint.label)).not.toContain('filter');
	});

	it('hides actions from the footer and the help in read-only mode', () => {
		expect(footerHints('connectors', ro).map(hint => hint.label)).not.toContain('pause');
		const helpText = JSON.stringify(helpSections(ro));
		expect(helpText).not.toContain('pause the connector');
		expect(JSON.stringify(helpSections(rw))).toContain('pause the connector');
	});

	it('describes every binding on the help screen', () => {
		const described = new Set(helpSections(rw).flatMap(section => section.entries.map(entry => entry.label)));
		for (const binding of keymap) expect(described.has(binding.help)).toBe(true);
	});

	it('labels chords like a user types them', () => {
		expect(chordLabel({input: 'z', ctrl: true})).toBe('ctrl-z');
		expect(chordLabel({input: ' '})).toBe('space');
		expect(chordLabel({special: 'up'})).toBe('↑');
		expect(chordLabel({special: 'up'}, true)).toBe('Up');
		expect(chordLabel({special: 'tab', shift: true})).toBe('shift-Tab');
	});
});
