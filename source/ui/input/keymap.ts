import {stopRefusal} from '../../model/action-plan.js';
import {kafkaVersionOf, olderThan} from '../../model/version.js';
import type {ModalState} from '../state/modal.js';
import type {View, ViewKind} from '../state/navigation.js';

/**
 * The keymap is data: key → command per context (each view, the confirmation dialog and
 * the text prompts). The router resolves keys with it, and the footer hints, the dialog's
 * hints and the help screen are generated from it, so they can never disagree.
 */

/** Where keys go: the view in front, or the dialog / prompt that takes keys before it. */
export type KeyContext = ViewKind | 'confirm' | 'filter-prompt' | 'command-prompt';

/** What a binding's "disabled reason" looks at. */
export interface BindingState {
	readonly readOnly: boolean;
	readonly view: View;
	readonly modal: ModalState;
	/** What the Connect worker reported in `GET /` (undefined: not known). */
	readonly connectVersion: string | undefined;
}

/** The subset of Ink's Key the router needs, plus the typed text. */
export interface KeyPress {
	readonly input: string;
	readonly up?: boolean;
	readonly down?: boolean;
	readonly left?: boolean;
	readonly right?: boolean;
	readonly pageUp?: boolean;
	readonly pageDown?: boolean;
	readonly home?: boolean;
	readonly end?: boolean;
	readonly return?: boolean;
	readonly escape?: boolean;
	readonly tab?: boolean;
	readonly backspace?: boolean;
	readonly delete?: boolean;
	readonly ctrl?: boolean;
	readonly shift?: boolean;
	readonly meta?: boolean;
}

export type SpecialKey = 'up' | 'down' | 'left' | 'right' | 'pageUp' | 'pageDown' | 'home' | 'end' | 'return' | 'escape' | 'tab' | 'backspace';

export type KeyChord =
	| {readonly input: string; readonly ctrl?: boolean}
	| {readonly special: SpecialKey; readonly shift?: boolean};

export type Command =
	| 'quit'
	| 'force-quit'
	| 'back'
	| 'help'
	| 'refresh'
	| 'write-report'
	| 'freeze'
	| 'mark'
	| 'clear-marks'
	| 'command-line'
	| 'filter'
	| 'faults-only'
	| 'move-up'
	| 'move-down'
	| 'top'
	| 'bottom'
	| 'page-up'
	| 'page-down'
	| 'drill-in'
	| 'sort-name'
	| 'sort-state'
	| 'sort-type'
	| 'sort-class'
	| 'sort-lag'
	| 'sort-errors'
	| 'sort-rate'
	| 'sort-workers'
	| 'sort-dlq'
	| 'sort-cycle'
	| 'tab-next'
	| 'tab-previous'
	| 'tab-1'
	| 'tab-2'
	| 'tab-3'
	| 'tab-4'
	| 'tab-5'
	| 'tab-6'
	| 'toggle-wrap'
	| 'restart-failed'
	| 'restart-all'
	| 'restart-task'
	| 'pause'
	| 'resume'
	| 'stop'
	| 'confirm-send'
	| 'confirm-focus'
	| 'confirm-activate'
	| 'confirm-cancel'
	| 'filter-keep'
	| 'filter-clear'
	| 'command-run'
	| 'command-close'
	| 'prompt-erase';

export interface Binding {
	readonly keys: readonly KeyChord[];
	readonly command: Command;
	/** Description on the help screen. */
	readonly help: string;
	/** Short label in the footer; bindings without one are only on the help screen. */
	readonly hint?: string;
	/** The views it works in ('all': every view, not the dialog or the prompts). */
	readonly views: readonly KeyContext[] | 'all';
	/** Sends a REST call (behind a confirmation): hidden in read-only mode, where the key says so. */
	readonly action?: boolean;
	/** Why the binding cannot work right now (undefined: it can). Disabled bindings leave the footer; the key shows the reason. */
	readonly disabled?: (state: BindingState) => string | undefined;
}

const lists: readonly ViewKind[] = ['connectors', 'workers', 'failures', 'failure-members', 'events', 'detail', 'trace', 'help'];
const roots: readonly ViewKind[] = ['connectors', 'workers', 'failures', 'events'];
const actionViews: readonly ViewKind[] = ['connectors', 'detail', 'failures', 'failure-members'];
/** Where Space marks rows: the actions of these views apply to every marked connector. */
const markViews: readonly ViewKind[] = ['connectors', 'failures', 'failure-members'];

export const readOnlyReason = 'read-only: actions are disabled (--read-only)';
const needsTasksTab = (state: BindingState): string | undefined =>
	state.view.kind === 'detail' && state.view.tab === 'tasks' ? undefined : 'restart task: open the Tasks tab (2) and select a task';
const needsStop = (state: BindingState): string | undefined => {
	const version = kafkaVersionOf(state.connectVersion);
	return olderThan(version, 3, 5) && version !== undefined ? stopRefusal(version.reported) : undefined;
};
const needsDeliberate = (state: BindingState): string | undefined => {
	if (state.modal?.deliberate !== true) return undefined;
	return state.modal.unknownBefore.length > 0 ? 'the last request may have been applied: asking again needs Tab to OK, then Enter' : 'this action stops data flowing: Tab to OK, then Enter';
};

const key = (input: string): KeyChord => ({input});
const ctrl = (input: string): KeyChord => ({input, ctrl: true});
const special = (name: SpecialKey, shift = false): KeyChord => ({special: name, shift});

export const keymap: readonly Binding[] = [
	{keys: [ctrl('c')], command: 'force-quit', help: 'quit from anywhere', views: 'all'},
	{keys: [key('q')], command: 'quit', help: 'back, or quit at the top level', hint: 'quit', views: roots},
	{keys: [key('q'), special('escape')], command: 'back', help: 'back', hint: 'back', views: ['detail', 'trace', 'help', 'failure-members']},
	{keys: [special('escape')], command: 'back', help: 'clear the filter / faults-only', views: roots},
	{keys: [key('?')], command: 'help', help: 'this help', hint: 'help', views: 'all'},
	{keys: [special('return')], command: 'drill-in', help: 'open the connector / worker\'s connectors / failure group / event\'s connector', hint: 'open', views: roots},
	{keys: [special('return')], command: 'drill-in', help: 'open the connector at the failed task', hint: 'open', views: ['failure-members']},
	{keys: [special('return')], command: 'drill-in', help: 'open the trace of the selected task (Tasks) or of the connector (Overview)', hint: 'trace', views: ['detail']},
	{keys: [key('/')], command: 'filter', help: 'filter (regex, case-insensitive; ! inverts; Esc clears, Enter keeps)', hint: 'filter', views: roots},
	{keys: [key(':')], command: 'command-line', help: 'command: :connectors :co :workers :wo :failures :fa :events :ev :help :ctx NAME :q', hint: 'cmd', views: 'all'},
	{keys: [special('up'), key('k')], command: 'move-up', help: 'move up', views: lists},
	{keys: [special('down'), key('j')], command: 'move-down', help: 'move down', views: lists},
	{keys: [key('g'), special('home')], command: 'top', help: 'go to the top', views: lists},
	{keys: [key('G'), special('end')], command: 'bottom', help: 'go to the bottom', views: lists},
	{keys: [special('pageUp'), ctrl('b')], command: 'page-up', help: 'page up', views: lists},
	{keys: [special('pageDown'), ctrl('f')], command: 'page-down', help: 'page down', views: lists},
	{keys: [ctrl('z')], command: 'faults-only', help: 'faults only (rows whose health is not ok)', hint: 'faults', views: ['connectors']},
	{keys: [key('N')], command: 'sort-name', help: 'sort by name (again: reverse)', views: ['connectors']},
	{keys: [key('S')], command: 'sort-state', help: 'sort by state', views: ['connectors']},
	{keys: [key('T')], command: 'sort-type', help: 'sort by type', views: ['connectors']},
	{keys: [key('K')], command: 'sort-class', help: 'sort by connector class', views: ['connectors']},
	{keys: [key('L')], command: 'sort-lag', help: 'sort by lag', views: ['connectors']},
	{keys: [key('E')], command: 'sort-errors', help: 'sort by errors', views: ['connectors']},
	{keys: [key('V')], command: 'sort-rate', help: 'sort by events/s', views: ['connectors']},
	{keys: [key('W')], command: 'sort-workers', help: 'sort by workers', views: ['connectors']},
	{keys: [key('D')], command: 'sort-dlq', help: 'sort by DLQ writes', views: ['connectors']},
	{keys: [key('o')], command: 'sort-cycle', help: 'cycle the sort column (failures first is the default)', hint: 'sort', views: ['connectors']},
	{keys: [special('right'), special('tab')], command: 'tab-next', help: 'next tab', hint: 'tab', views: ['detail']},
	{keys: [special('left'), special('tab', true)], command: 'tab-previous', help: 'previous tab', views: ['detail']},
	{keys: [key('1')], command: 'tab-1', help: 'Overview tab', views: ['detail']},
	{keys: [key('2')], command: 'tab-2', help: 'Tasks tab', views: ['detail']},
	{keys: [key('3')], command: 'tab-3', help: 'Config tab', views: ['detail']},
	{keys: [key('4')], command: 'tab-4', help: 'Topics tab', views: ['detail']},
	{keys: [key('5')], command: 'tab-5', help: 'Offsets tab', views: ['detail']},
	{keys: [key('6')], command: 'tab-6', help: 'Charts tab', views: ['detail']},
	{keys: [key('w')], command: 'toggle-wrap', help: 'wrap / truncate long lines', hint: 'wrap', views: ['trace']},
	{keys: [key('r')], command: 'restart-failed', help: 'restart failed connector and tasks (of every marked connector)', hint: 'restart failed', views: actionViews, action: true},
	{keys: [key('R')], command: 'restart-all', help: 'restart connector and all tasks (of every marked connector)', hint: 'restart all', views: actionViews, action: true},
	{keys: [key('t')], command: 'restart-task', help: 'restart the selected task (Tasks tab)', hint: 'restart task', views: ['detail'], action: true, disabled: needsTasksTab},
	{keys: [key('p')], command: 'pause', help: 'pause the connector (every marked one)', hint: 'pause', views: actionViews, action: true},
	{keys: [key('u')], command: 'resume', help: 'resume the connector (every marked one)', hint: 'resume', views: actionViews, action: true},
	{keys: [key('s')], command: 'stop', help: 'stop the connector, every marked one (Kafka Connect 3.5 and later)', hint: 'stop', views: actionViews, action: true, disabled: needsStop},
	{keys: [ctrl('r')], command: 'refresh', help: 'refresh now', hint: 'refresh', views: 'all'},
	{keys: [key('P')], command: 'write-report', help: 'write the incident report (Markdown) to a file named in the status line', hint: 'report', views: roots},
	{keys: [key('f')], command: 'freeze', help: 'freeze / unfreeze the display (polling goes on)', hint: 'freeze', views: 'all'},
	{keys: [key(' ')], command: 'mark', help: 'mark / unmark the connector (a failure group: all its connectors); actions apply to every marked one', hint: 'mark', views: markViews},
	{keys: [ctrl(' ')], command: 'clear-marks', help: 'clear every mark', views: markViews},
	// The confirmation dialog: it takes every key while it is open.
	{keys: [special('tab'), special('tab', true), special('left'), special('right')], command: 'confirm-focus', help: 'move the focus between Cancel and OK', hint: 'OK/Cancel', views: ['confirm']},
	{keys: [special('return')], command: 'confirm-activate', help: 'press the focused button (focus starts on Cancel)', hint: 'press', views: ['confirm']},
	{keys: [key('y'), key('Y')], command: 'confirm-send', help: 'send at once (restart failed, restart task, resume; not pause, stop, restart all, nor a request asked again after a timeout)', hint: 'send', views: ['confirm'], disabled: needsDeliberate},
	{keys: [key('n'), key('N'), special('escape'), key('q')], command: 'confirm-cancel', help: 'cancel: nothing is sent', hint: 'cancel', views: ['confirm']},
	// The filter (/) and command (:) prompts: other keys type text; a paste goes here too.
	{keys: [special('return')], command: 'filter-keep', help: 'keep the filter and leave the prompt', hint: 'keep', views: ['filter-prompt']},
	{keys: [special('escape')], command: 'filter-clear', help: 'clear the filter', hint: 'clear', views: ['filter-prompt']},
	{keys: [special('return')], command: 'command-run', help: 'run the command', hint: 'run', views: ['command-prompt']},
	{keys: [special('escape')], command: 'command-close', help: 'close the prompt', hint: 'close', views: ['command-prompt']},
	{keys: [special('backspace')], command: 'prompt-erase', help: 'erase the last character (on an empty command: close it)', views: ['filter-prompt', 'command-prompt']},
];

function appliesTo(binding: Binding, context: KeyContext): boolean {
	if (binding.views === 'all') return context !== 'confirm' && context !== 'filter-prompt' && context !== 'command-prompt';
	return binding.views.includes(context);
}

/** Why a binding cannot work now, or undefined. Read-only comes first for actions. */
export function disabledReason(binding: Binding, state: BindingState): string | undefined {
	if (binding.action === true && state.readOnly) return readOnlyReason;
	return binding.disabled?.(state);
}

export function bindingsFor(context: KeyContext): Binding[] {
	return keymap.filter(binding => appliesTo(binding, context));
}

export function matches(chord: KeyChord, press: KeyPress): boolean {
	if ('special' in chord) {
		const down = chord.special === 'backspace' ? press.backspace === true || press.delete === true : press[chord.special] === true;
		return down && (chord.shift === true) === (press.shift === true);
	}
	if (press.meta === true) return false;
	if (chord.ctrl === true) return press.ctrl === true && press.input.toLowerCase() === chord.input;
	return press.ctrl !== true && press.input === chord.input;
}

export interface Resolved {
	readonly command: Command;
	/** Set when the binding cannot work now: the router shows it instead of running the command. */
	readonly disabled: string | undefined;
}

export function resolveKey(context: KeyContext, press: KeyPress, state: BindingState): Resolved | undefined {
	for (const binding of keymap) {
		if (!appliesTo(binding, context)) continue;
		if (binding.keys.some(chord => matches(chord, press))) return {command: binding.command, disabled: disabledReason(binding, state)};
	}
	return undefined;
}

/** The first key of a command in a context, as the help labels it (tests press keys by command, so a rebinding cannot break them). */
export function keyFor(command: Command, context?: KeyContext): KeyChord {
	const binding = keymap.find(each => each.command === command && (context === undefined || appliesTo(each, context)));
	const chord = binding?.keys[0];
	if (chord === undefined) throw new Error(`no key is bound to ${command}`);
	return chord;
}

const specialLabels: Readonly<Record<SpecialKey, string>> = {
	up: '↑',
	down: '↓',
	left: '←',
	right: '→',
	pageUp: 'PgUp',
	pageDown: 'PgDn',
	home: 'Home',
	end: 'End',
	return: 'Enter',
	escape: 'Esc',
	tab: 'Tab',
	backspace: 'Backspace',
};

const asciiSpecialLabels: Partial<Record<SpecialKey, string>> = {up: 'Up', down: 'Down', left: 'Left', right: 'Right'};

export function chordLabel(chord: KeyChord, ascii = false): string {
	if ('special' in chord) {
		const name = (ascii ? asciiSpecialLabels[chord.special] : undefined) ?? specialLabels[chord.special];
		return chord.shift === true ? `shift-${name}` : name;
	}
	if (chord.ctrl === true) return `ctrl-${chord.input === ' ' ? 'space' : chord.input}`;
	return chord.input === ' ' ? 'space' : chord.input;
}

export interface Hint {
	readonly keys: string;
	readonly label: string;
}

/** Footer hints of the context in front: the first key of each binding that has a hint and can work now. */
export function footerHints(context: KeyContext, state: BindingState, options: {readonly ascii?: boolean} = {}): Hint[] {
	const seen = new Set<string>();
	const hints: Hint[] = [];
	for (const binding of bindingsFor(context)) {
		if (binding.hint === undefined || seen.has(binding.hint) || disabledReason(binding, state) !== undefined) continue;
		const first = binding.keys[0];
		if (first === undefined) continue;
		seen.add(binding.hint);
		hints.push({keys: chordLabel(first, options.ascii), label: binding.hint});
	}
	return hints;
}

export interface HelpSection {
	readonly title: string;
	readonly entries: readonly Hint[];
}

const sectionTitles: ReadonlyArray<{readonly title: string; readonly context: KeyContext}> = [
	{title: 'Connectors', context: 'connectors'},
	{title: 'Workers', context: 'workers'},
	{title: 'Failures (grouped by root cause)', context: 'failures'},
	{title: 'Failure group members', context: 'failure-members'},
	{title: 'Events (what changed, newest first)', context: 'events'},
	{title: 'Connector detail', context: 'detail'},
	{title: 'Trace viewer', context: 'trace'},
	{title: 'Confirmation dialog (keys typed before it appears are ignored)', context: 'confirm'},
	{title: 'Filter prompt (other keys and pastes type text)', context: 'filter-prompt'},
	{title: 'Command prompt (other keys and pastes type text)', context: 'command-prompt'},
];

/** The help screen: global keys once, then what each context adds. Actions are left out in read-only mode. */
export function helpSections(options: {readonly readOnly: boolean; readonly ascii?: boolean}): HelpSection[] {
	const describe = (binding: Binding): Hint => ({keys: binding.keys.map(chord => chordLabel(chord, options.ascii)).join(' '), label: binding.help});
	const shown = (binding: Binding): boolean => !(options.readOnly && binding.action === true);
	const global = keymap.filter(binding => binding.views === 'all');
	const sections: HelpSection[] = [{title: 'Everywhere', entries: global.map(describe)}];
	for (const {title, context} of sectionTitles) {
		if (options.readOnly && context === 'confirm') continue;
		const entries = keymap.filter(binding => binding.views !== 'all' && appliesTo(binding, context) && shown(binding)).map(describe);
		if (entries.length > 0) sections.push({title, entries});
	}
	return sections;
}
