import {batchCalls, batchLabel} from '../../model/action-plan.js';
import {describeAction} from '../../clients/connect/action-call.js';
import {footerHints, type BindingState} from '../input/keymap.js';
import {segment, textLine, type Line, type Segment} from '../lines.js';
import type {ConfirmModal} from '../state/modal.js';
import {safe, wrap} from '../text.js';
import type {Theme} from '../theme.js';
import {hintSegments} from './footer.js';

function button(label: string, focused: boolean, theme: Theme, color: 'green' | 'red'): Segment {
	// The focus shows without colour too: `[> OK <]` against `[  OK  ]`.
	return focused ? segment(`[> ${label} <]`, {bold: true, inverse: true, color: theme.fg(color)}) : segment(`[  ${label}  ]`, {dim: true});
}

/** At most this many lines of calls and refusals; the rest is counted ("+N more"). */
export const maxListedLines = 24;

/**
 * Content of the confirmation dialog (inside its border): what will be sent to which
 * connectors, every REST call in the order it is sent (wrapped, never cut), the marked
 * connectors left out and why, then the buttons. A long list stops at `maxLines` lines
 * (24 at most) with "+N more". The key hints come from the keymap's `confirm` context;
 * until the dialog is armed it says that keys are being ignored, so nobody confirms blind.
 */
export function confirmLines(modal: ConfirmModal, state: BindingState, theme: Theme, innerWidth: number, maxLines = maxListedLines): Line[] {
	const {batch} = modal;
	const width = Math.max(10, innerWidth);
	const calls = batchCalls(batch);
	const targets = batch.plans.map(plan => plan.intent.connector);
	const notes = [...new Set(batch.plans.map(plan => plan.note).filter((note): note is string => note !== undefined))];
	const lines: Line[] = [{segments: [segment('Confirm: ', {bold: true}), segment(batchLabel(batch), {bold: true, color: theme.fg('yellow')})]}];
	if (targets.length === 1 && batch.refused.length === 0) lines.push({segments: [segment('connector ', {dim: true}), segment(safe(targets[0] ?? ''), {bold: true})]});
	for (const note of notes) lines.push(...wrap(note, width).map(piece => textLine(piece, {color: theme.fg('yellow')})));
	if (modal.unknownBefore.length > 0) {
		const text = `the last request to ${modal.unknownBefore.map(name => safe(name)).join(', ')} timed out and may have been applied: this sends it again as a new request, not a retry`;
		lines.push(...wrap(text, width).map(piece => textLine(piece, {color: theme.fg('red'), bold: true})));
	}
	if (calls.length > 1 || targets.length > 1) lines.push(textLine(`${calls.length} call${calls.length === 1 ? '' : 's'} to ${targets.length} connector${targets.length === 1 ? '' : 's'}, sent in this order, each once:`, {dim: true}));
	const entries: Line[][] = [
		...calls.map(call => {
			const {method, path} = describeAction(call);
			return wrap(`${method} ${safe(path, 4000)}`, width).map(piece => textLine(piece, {color: theme.fg('cyan')}));
		}),
		...batch.refused.map((item, index) => [
			...(index === 0 ? [textLine(`not sent to ${batch.refused.length} marked connector${batch.refused.length === 1 ? '' : 's'}:`, {dim: true})] : []),
			...wrap(`${theme.glyphs.failed} ${safe(item.connector)}: ${safe(item.reason)}`, width).map(piece => textLine(piece, {color: theme.fg('yellow')})),
		]),
	];
	const budget = Math.max(2, Math.min(maxListedLines, maxLines));
	let used = 0;
	let shown = 0;
	for (const entry of entries) {
		const last = shown === entries.length - 1;
		// Keep one line for "+N more" unless this is the last entry.
		if (used + entry.length > budget - (last ? 0 : 1)) break;
		lines.push(...entry);
		used += entry.length;
		shown += 1;
	}
	if (shown < entries.length) {
		const moreCalls = Math.max(0, calls.length - shown);
		const moreRefused = entries.length - shown - moreCalls;
		const parts = [moreCalls > 0 ? `${moreCalls} more call${moreCalls === 1 ? '' : 's'}` : '', moreRefused > 0 ? `${moreRefused} more left out` : ''].filter(part => part !== '');
		lines.push(textLine(`+${entries.length - shown} more (${parts.join(', ')})`, {dim: true, bold: true}));
	}
	lines.push({segments: [button('Cancel', modal.focus === 'cancel', theme, 'red'), segment('  '), button('OK', modal.focus === 'ok', theme, 'green')]});
	if (modal.deliberate) lines.push(textLine(modal.unknownBefore.length > 0 ? 'asking again needs a deliberate confirmation: Tab to OK, then Enter' : 'this stops data flowing: Tab to OK, then Enter', {color: theme.fg('yellow')}));
	if (modal.armed) {
		lines.push({segments: hintSegments(footerHints('confirm', state, {ascii: theme.ascii}), theme)});
	} else {
		lines.push(textLine('waiting for the keyboard to be still…', {dim: true}));
	}
	if (modal.dropped > 0) lines.push(textLine(`ignored ${modal.dropped} key${modal.dropped === 1 ? '' : 's'} typed before the dialog was ready`, {dim: true}));
	return lines;
}
