import {actionLabel, describeAction} from '../../store/actions.js';
import type {ActionOutcome, ConnectorAction} from '../../store/types.js';
import {footerHints, type BindingState, type Hint, type KeyContext} from '../input/keymap.js';
import {segment, type Line, type Segment} from '../lines.js';
import type {CompiledFilter} from '../state/filter.js';
import type {UiMessage} from '../state/ui-state.js';
import {safe} from '../text.js';
import type {Theme} from '../theme.js';

export interface FooterInput {
	/** The keymap context in front (a view, the dialog or a prompt): its hints fill the first line. */
	readonly context: KeyContext;
	readonly bindingState: BindingState;
	readonly readOnly: boolean;
	readonly theme: Theme;
	readonly filterDraft: string | undefined;
	readonly filter: CompiledFilter;
	readonly command: string | undefined;
	readonly message: UiMessage | undefined;
	readonly lastAction: ActionOutcome | undefined;
	/** A confirmed action still waiting for its answer. */
	readonly sending: ConnectorAction | undefined;
}

export function outcomeSegment(outcome: ActionOutcome, theme: Theme): Segment {
	const {method, path} = describeAction(outcome.action);
	const glyph = outcome.ok ? theme.glyphs.ok : theme.glyphs.failed;
	return segment(`${glyph} ${actionLabel(outcome.action)} ${safe(outcome.action.connector)}: ${safe(outcome.message)} (${method} ${safe(path)})`, {color: theme.fg(outcome.ok ? 'green' : 'red'), bold: !outcome.ok});
}

/** Key hints as drawn in the footer and the dialog: the key bold, its label dim. */
export function hintSegments(hints: readonly Hint[], theme: Theme): Segment[] {
	const segments: Segment[] = [];
	for (const hint of hints) {
		if (segments.length > 0) segments.push(segment('  '));
		segments.push(segment(hint.keys, {bold: true, color: theme.fg('cyan')}), segment(` ${hint.label}`, {dim: true}));
	}
	return segments;
}

/** Two lines: the key hints of the context in front (from the keymap), then the prompt or the last outcome. */
export function footerLines(input: FooterInput): Line[] {
	const {theme} = input;
	// An unarmed dialog takes no key yet: offer none (the dialog says it is waiting).
	const unarmed = input.context === 'confirm' && input.bindingState.modal?.armed !== true;
	const hints = unarmed ? [] : hintSegments(footerHints(input.context, input.bindingState, {ascii: theme.ascii}), theme);
	if (input.readOnly) hints.push(segment('  read-only', {color: theme.fg('yellow')}));
	let status: Segment[];
	if (input.command !== undefined) {
		status = [segment(':', {bold: true}), segment(input.command), segment('_', {inverse: true})];
	} else if (input.filterDraft !== undefined) {
		status = [segment('/', {bold: true}), segment(input.filterDraft), segment('_', {inverse: true})];
		if (input.filter.fallback) status.push(segment('  invalid regex: matching as plain text', {color: theme.fg('yellow')}));
	} else if (input.message !== undefined) {
		status = [segment(safe(input.message.text), {color: input.message.level === 'error' ? theme.fg('red') : undefined, bold: input.message.level === 'error'})];
	} else if (input.sending !== undefined) {
		const {method, path} = describeAction(input.sending);
		status = [segment(`${theme.glyphs.refreshing} sending ${method} ${safe(path)}…`, {color: theme.fg('cyan')})];
	} else if (input.lastAction !== undefined) {
		status = [outcomeSegment(input.lastAction, theme)];
	} else {
		status = [segment(' ')];
	}
	return [{segments: hints}, {segments: status}];
}
