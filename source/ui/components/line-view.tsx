import chalk from 'chalk';
import {Box, Text} from 'ink';
import {memo} from 'react';
import type {Line, Segment} from '../lines.js';

export interface LineViewProps {
	readonly lines: readonly Line[];
}

/**
 * One segment styled the way Ink's `<Text color bold dimColor inverse>` styles its text
 * (same chalk instance, same order: dim, colour, bold, inverse), so a line can be one Ink
 * text node instead of one per segment and still draw byte for byte the same.
 */
export function styledSegment(part: Segment): string {
	let text = part.text;
	if (text === '') return text;
	if (part.dim === true) text = chalk.dim(text);
	if (part.color !== undefined) text = chalk[part.color](text);
	if (part.bold === true) text = chalk.bold(text);
	if (part.inverse === true) text = chalk.inverse(text);
	return text;
}

/** The text of one line with its segments' styles applied. */
export function styledText(line: Line): string {
	if (line.segments.length === 0) return ' ';
	let out = '';
	for (const part of line.segments) out += styledSegment(part);
	return out;
}

/**
 * One row: one Ink text node. Memoised on the line object, so a row whose line kept its
 * identity (see shareLines) is neither re-rendered by React nor re-laid-out by Ink.
 */
const Row = memo(function Row({line}: {readonly line: Line}): React.JSX.Element {
	return (
		<Text wrap="truncate-end" inverse={line.inverse === true}>
			{styledText(line)}
		</Text>
	);
});

/** Draws pre-fitted lines, one Ink Text per line. */
export function LineView({lines}: LineViewProps): React.JSX.Element {
	return (
		<Box flexDirection="column">
			{lines.map((line, index) => (
				// Lines are positional (row n of the screen): the index is the right key.
				// eslint-disable-next-line react/no-array-index-key
				<Row key={index} line={line} />
			))}
		</Box>
	);
}
