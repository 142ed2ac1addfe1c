import {actionLabel, describeAction} from '../../store/actions.js';
import type {ConnectorAction} from '../../store/types.js';
import {segment, textLine, type Line} from '../lines.js';
import {safe, wrap} from '../text.js';
import type {Theme} from '../theme.js';

/** Content of the confirmation dialog (inside its border): the exact REST call is never truncated, only wrapped. */
export function confirmLines(action: ConnectorAction, theme: Theme, innerWidth: number): Line[] {
	const {method, path} = describeAction(action);
	const call = `${method} ${safe(path, 4000)}`;
	return [
		{segments: [segment('Confirm: ', {bold: true}), segment(actionLabel(action), {bold: true, color: theme.fg('yellow')})]},
		{segments: [segment('connector ', {dim: true}), segment(safe(action.connector), {bold: true})]},
		...wrap(call, Math.max(10, innerWidth)).map(piece => textLine(piece, {color: theme.fg('cyan')})),
		{segments: [segment('y', {bold: true, color: theme.fg('green')}), segment('/Enter send   '), segment('n', {bold: true, color: theme.fg('red')}), segment('/Esc cancel')]},
	];
}
