import {batchOf} from '../../../source/model/action-plan.js';
import {describe, expect, it} from 'vitest';
import {chordLabel, footerHints, helpSections, keyFor, keymap, readOnlyReason, resolveKey, type BindingState, type KeyContext} from '../../../source/ui/input/keymap.js';
import type {KeyPress} from '../../../source/ui/input/keymap.js';
import {reduceModal} from '../../../source/ui/state/modal.js';
import type {View} from '../../../source/ui/state/navigation.js';
import {onePlan} from '../../helpers/plans.js';

const grid: View = {kind: 'connectors'};
const state = (overrides: Partial<BindingState> = {}): BindingState => ({readOnly: false, view: grid, modal: undefined, connectVersion: '3.9.0', ...overrides});
const rw = state();
const ro = state({readOnly: true});
const command = (context: KeyContext, press: KeyPress, at: BindingState = rw) => resolveKey(context, press, at)?.command;

describe('resolveKey', () => {
	it('maps k9s keys to commands for the view in front', () => {
		expect(command('connectors', {input: 'j'})).toBe('move-down');
		expect(command('connectors', {input: '', down: true})).toBe('move-down');
		expect(command('connectors', {input: 'G', shift: true})).toBe('bottom');
		expect(command('connectors', {input: 'f', ctrl: true})).toBe('page-down');
		expect(command('connectors', {input: 'z', ctrl: true})).toBe('faults-only');
		expect(command('connectors', {input: 'L', shift: true})).toBe('sort-lag');
		expect(command('connectors', {input: 'q'})).toBe('quit');
		expect(command('detail', {input: 'q'})).toBe('back');
		expect(command('detail', {input: '3'})).toBe('tab-3');
		expect(command('detail', {input: '', tab: true, shift: true})).toBe('tab-previous');
		expect(command('detail', {input: '', tab: true})).toBe('tab-next');
		expect(command('trace', {input: 'w'})).toBe('toggle-wrap');
		expect(command('workers', {input: 'f'})).toBe('freeze');
		expect(command('connectors', {input: ' '})).toBe('mark');
		expect(command('connectors', {input: ' ', ctrl: true})).toBe('clear-marks');
		expect(command('help', {input: 'r', ctrl: true})).toBe('refresh');
	});

	it('does not confuse a letter with its ctrl chord or an unrelated view', () => {
		expect(command('connectors', {input: 'r'})).toBe('restart-failed');
		expect(command('connectors', {input: 'r', ctrl: true})).toBe('refresh');
		expect(command('connectors', {input: 't'})).toBeUndefined();
		expect(command('workers', {input: 'L'})).toBeUndefined();
		expect(command('connectors', {input: 'x'})).toBeUndefined();
	});

	it('resolves actions in read-only mode as disabled, with the reason', () => {
		for (const input of ['r', 'R', 'p', 'u', 's']) expect(resolveKey('connectors', {input}, ro)).toMatchObject({disabled: readOnlyReason});
		expect(resolveKey('connectors', {input: 'j'}, ro)?.disabled).toBeUndefined();
	});

	it('gives restart task a disabled reason outside the Tasks tab', () => {
		const overview = state({view: {kind: 'detail', connector: 'x', tab: 'overview', task: 0, scroll: 0}});
		const tasks = state({view: {kind: 'detail', connector: 'x', tab: 'tasks', task: 0, scroll: 0}});
		expect(resolveKey('detail', {input: 't'}, overview)?.disabled).toMatch(/Tasks tab/);
		expect(resolveKey('detail', {input: 't'}, tasks)).toEqual({command: 'restart-task', disabled: undefined});
		expect(footerHints('detail', overview).map(hint => hint.label)).not.toContain('restart task');
		expect(footerHints('detail', tasks).map(hint => hint.label)).toContain('restart task');
	});

	it('has a context for the confirmation dialog: y only for actions that keep data flowing', () => {
		const gentle = state({modal: reduceModal(undefined, {type: 'modal/opened', batch: batchOf(onePlan({kind: 'restart-task', connector: 'x', task: 0}))})});
		const deliberate = state({modal: reduceModal(undefined, {type: 'modal/opened', batch: batchOf(onePlan({kind: 'stop', connector: 'x'}))})});
		expect(resolveKey('confirm', {input: 'y'}, gentle)).toEqual({command: 'confirm-send', disabled: undefined});
		expect(resolveKey('confirm', {input: 'y'}, deliberate)?.disabled).toMatch(/Tab to OK, then Enter/);
		expect(command('confirm', {input: '', tab: true}, deliberate)).toBe('confirm-focus');
		expect(command('confirm', {input: '\r', return: true}, deliberate)).toBe('confirm-activate');
		expect(command('confirm', {input: '', escape: true}, deliberate)).toBe('confirm-cancel');
		// View keys do not reach through the dialog.
		expect(command('confirm', {input: 'j'}, deliberate)).toBeUndefined();
		expect(footerHints('confirm', deliberate).map(hint => hint.label)).not.toContain('send');
		expect(footerHints('confirm', gentle).map(hint => hint.label)).toContain('send');
	});

	it('has contexts for the prompts, where letters are text', () => {
		expect(command('filter-prompt', {input: '\r', return: true})).toBe('filter-keep');
		expect(command('filter-prompt', {input: '', escape: true})).toBe('filter-clear');
		expect(command('command-prompt', {input: '\r', return: true})).toBe('command-run');
		expect(command('command-prompt', {input: '', backspace: true})).toBe('prompt-erase');
		expect(command('filter-prompt', {input: 'q'})).toBeUndefined();
		expect(command('filter-prompt', {input: ' '})).toBeUndefined();
	});

	it('does not offer stop to a worker older than 3.5, and says why', () => {
		for (const version of ['2.4.1', '3.4.0', '7.4.0-ccs']) {
			expect(resolveKey('connectors', {input: 's'}, state({connectVersion: version}))?.disabled, version).toMatch(/stop needs Kafka Connect 3\.5 or newer/);
			expect(footerHints('connectors', state({connectVersion: version})).map(hint => hint.label), version).not.toContain('stop');
		}
		for (const version of ['3.5.0', '3.9.0', '7.5.1-ccs', undefined]) expect(resolveKey('connectors', {input: 's'}, state({connectVersion: version}))?.disabled, String(version)).toBeUndefined();
	});

	it('finds the key of a command, so tests survive a rebinding', () => {
		expect(keyFor('pause')).toEqual({input: 'p'});
		expect(keyFor('confirm-focus', 'confirm')).toEqual({special: 'tab', shift: false});
		expect(() => keyFor('filter-keep', 'connectors')).toThrow(/no key/);
	});
});

describe('footer and help come from the keymap', () => {
	it('lists the hints of the view in front', () => {
		const connectors = footerHints('connectors', rw).map(hint => `${hint.keys} ${hint.label}`);
		expect(connectors).toContain('/ filter');
		expect(connectors).toContain('r restart failed');
		expect(footerHints('trace', rw).map(hint => hint.label)).toContain('wrap');
		expect(footerHints('trace', rw).map(hint => hint.label)).not.toContain('filter');
		expect(footerHints('filter-prompt', rw).map(hint => `${hint.keys} ${hint.label}`)).toEqual(['Enter keep', 'Esc clear']);
	});

	it('hides actions from the footer and the help in read-only mode', () => {
		expect(footerHints('connectors', ro).map(hint => hint.label)).not.toContain('pause');
		const helpText = JSON.stringify(helpSections({readOnly: true}));
		expect(helpText).not.toContain('pause the connector');
		expect(helpText).not.toContain('Confirmation dialog');
		expect(JSON.stringify(helpSections({readOnly: false}))).toContain('pause the connector');
	});

	it('describes every binding on the help screen, the dialog and prompts included', () => {
		const sections = helpSections({readOnly: false});
		const described = new Set(sections.flatMap(section => section.entries.map(entry => entry.label)));
		for (const binding of keymap) expect(described.has(binding.help)).toBe(true);
		expect(sections.map(section => section.title)).toEqual(expect.arrayContaining([expect.stringMatching(/^Confirmation dialog/), expect.stringMatching(/^Filter prompt/), expect.stringMatching(/^Command prompt/)]));
	});

	it('labels chords like a user types them', () => {
		expect(chordLabel({input: 'z', ctrl: true})).toBe('ctrl-z');
		expect(chordLabel({input: ' '})).toBe('space');
		expect(chordLabel({special: 'up'})).toBe('↑');
		expect(chordLabel({special: 'up'}, true)).toBe('Up');
		expect(chordLabel({special: 'tab', shift: true})).toBe('shift-Tab');
	});
});
