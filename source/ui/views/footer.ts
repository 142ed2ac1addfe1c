import {batchCalls, batchLabel, type Verification} from '../../model/action-plan.js';
import {describeCalls} from '../../store/actions.js';
import type {ActionBatch, BatchOutcome} from '../../store/types.js';
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
	readonly lastBatch: BatchOutcome | undefined;
	/** A confirmed action still waiting for its answer. */
	readonly sending: ActionBatch | undefined;
	/** "3 marked" (empty: nothing is marked). */
	readonly marked?: string;
}

/** Where the connectors of a batch stand: "confirmed", "2 confirmed, 1 waiting…", or the first that failed. */
function verificationOf(outcome: BatchOutcome): Verification | undefined {
	const checks = outcome.items.map(item => item.verification).filter((each): each is Verification => each !== undefined);
	const [only] = checks;
	if (only === undefined) return undefined;
	if (outcome.items.length === 1) return only;
	const count = (status: Verification['status']): number => checks.filter(each => each.status === status).length;
	const failed = outcome.items.find(item => item.verification?.status === 'failed');
	const summary = [`${count('confirmed')} confirmed`, count('waiting') > 0 ? `${count('waiting')} waiting` : '', count('failed') > 0 ? `${count('failed')} not` : ''].filter(part => part !== '').join(', ');
	if (failed !== undefined) return {status: 'failed', text: `${summary}: ${failed.plan.intent.connector} ${failed.verification?.text ?? ''}`};
	return {status: count('waiting') > 0 ? 'waiting' : 'confirmed', text: summary};
}

/**
 * "✓ restart task 3 replicator: 204 No Content · task 3 RUNNING after 6 s (POST …)", or for
 * marked connectors "✓ restart failed on 3 connectors: 3 applied · 3 confirmed (3 calls)".
 * The verification decides the colour once it is known: a 204 whose task is still FAILED is
 * red; an unknown outcome (a timeout) is red until the status shows it applied.
 */
export function outcomeSegments(outcome: BatchOutcome, theme: Theme): Segment[] {
	const verification = verificationOf(outcome);
	const failed = !outcome.ok || verification?.status === 'failed';
	const glyph = verification?.status === 'waiting' ? theme.glyphs.refreshing : failed ? theme.glyphs.failed : theme.glyphs.ok;
	const [single] = outcome.batch.plans;
	const target = single !== undefined && outcome.items.length === 1 && outcome.batch.refused.length === 0 ? ` ${safe(single.intent.connector)}` : '';
	const color = theme.fg(outcome.ok ? 'green' : 'red');
	const sent = segment(`${glyph} ${batchLabel(outcome.batch)}${target}: ${safe(outcome.message)}`, {color, bold: !outcome.ok});
	// The calls go last: on a narrow terminal the line is cut there, not in the outcome.
	const calls = segment(` (${safe(describeCalls(batchCalls(outcome.batch)))})`, {color});
	if (verification === undefined) return [sent, calls];
	return [sent, segment(` · ${safe(verification.text)}`, {color: verification.status === 'waiting' ? undefined : theme.fg(verification.status === 'confirmed' ? 'green' : 'red'), bold: verification.status === 'failed', dim: verification.status === 'waiting'}), calls];
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
	// The count comes first: a long hint line is cut at the right edge.
	if (input.marked !== undefined && input.marked !== '') hints.unshift(segment(`${input.marked}  `, {color: theme.fg('magenta'), bold: true, inverse: true}));
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
		status = [segment(`${theme.glyphs.refreshing} sending ${safe(describeCalls(batchCalls(input.sending)))} to ${safe(input.sending.plans.map(plan => plan.intent.connector).join(', '), 200)}…`, {color: theme.fg('cyan')})];
	} else if (input.lastBatch !== undefined) {
		status = outcomeSegments(input.lastBatch, theme);
	} else {
		status = [segment(' ')];
	}
	return [{segments: hints}, {segments: status}];
}
