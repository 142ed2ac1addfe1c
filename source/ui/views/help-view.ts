import {helpSections} from '../input/keymap.js';
import {segment, textLine, type Line} from '../lines.js';
import type {HelpView} from '../state/navigation.js';
import {displayWidth, fit} from '../text.js';
import type {Theme} from '../theme.js';

export interface HelpInput {
	readonly view: HelpView;
	readonly readOnly: boolean;
	readonly theme: Theme;
	readonly height: number;
}

export const helpChromeLines = 1;

/** Generated from the keymap: the same table that drives the router and the footer. */
export function helpContent(input: Pick<HelpInput, 'readOnly' | 'theme'>): Line[] {
	const sections = helpSections({readOnly: input.readOnly, ascii: input.theme.ascii});
	const keyWidth = Math.min(24, Math.max(...sections.flatMap(section => section.entries.map(entry => displayWidth(entry.keys)))));
	const lines: Line[] = [];
	for (const section of sections) {
		if (lines.length > 0) lines.push(textLine(' '));
		lines.push(textLine(section.title, {bold: true}));
		for (const entry of section.entries) lines.push({segments: [segment(`  ${fit(entry.keys, keyWidth)}  `, {color: input.theme.fg('cyan'), bold: true}), segment(entry.label)]});
	}
	if (input.readOnly) lines.push(textLine(' '), textLine('read-only: restart, pause, resume and stop are disabled', {color: input.theme.fg('yellow')}));
	return lines;
}

export function helpScrollable(input: HelpInput): {readonly count: number; readonly height: number} {
	return {count: helpContent(input).length, height: Math.max(1, input.height - helpChromeLines)};
}

export function helpBody(input: HelpInput): Line[] {
	const height = Math.max(1, input.height - helpChromeLines);
	const content = helpContent(input);
	const start = Math.min(input.view.scroll, Math.max(0, content.length - height));
	return [{segments: [segment('Help', {bold: true}), segment('  keys of every view · Esc/q/? back · ↑/↓ scroll', {dim: true})]}, ...content.slice(start, start + height)];
}
