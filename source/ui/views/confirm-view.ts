import {intentLabel} from '../../model/action-plan.js';
import {describeAction} from '../../store/actions.js';
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

/**
 * Content of the confirmation dialog (inside its border). The exact REST call is never
 * truncated, only wrapped. The key hints come from the keymap's `confirm` context; until the
 * dialog is armed it says that keys are being ignored, so nobody confirms blind.
 */
export function confirmLines(modal: ConfirmModal, state: BindingState, theme: Theme, innerWidth: number): Line[] {
	const {plan} = modal;
	const calls = plan.calls.flatMap(call => {
		const {method, path} = describeAction(call);
		return wrap(`${method} ${safe(path, 4000)}`, Math.max(10, innerWidth)).map(piece => textLine(piece, {color: theme.fg('cyan')}));
	});
	const lines: Line[] = [
		{segments: [segment('Confirm: ', {bold: true}), segment(intentLabel(plan.intent), {bold: true, color: theme.fg('yellow')})]},
		{segments: [segment('connector ', {dim: true}), segment(safe(plan.intent.connector), {bold: true})]},
		...(plan.note === undefined ? [] : wrap(plan.note, Math.max(10, innerWidth)).map(piece => textLine(piece, {color: theme.fg('yellow')}))),
		...(plan.calls.length > 1 ? [textLine(`${plan.calls.length} calls, sent in this order:`, {dim: true})] : []),
		...calls,
		{segments: [button('Cancel', modal.focus === 'cancel', theme, 'red'), segment('  '), button('OK', modal.focus === 'ok', theme, 'green')]},
	];
	if (modal.deliberate) lines.push(textLine('this stops data flowing: Tab to OK, then Enter', {color: theme.fg('yellow')}));
	if (modal.armed) {
		lines.push({segments: hintSegments(footerHints('confirm', state, {ascii: theme.ascii}), theme)});
	} else {
		lines.push(textLine('waiting for the keyboard to be still…', {dim: true}));
	}
	if (modal.dropped > 0) lines.push(textLine(`ignored ${modal.dropped} key${modal.dropped === 1 ? '' : 's'} typed before the dialog was ready`, {dim: true}));
	return lines;
}
