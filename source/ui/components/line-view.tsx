import {Box, Text} from 'ink';
import type {Line} from '../lines.js';

export interface LineViewProps {
	readonly lines: readonly Line[];
}

/** Draws pre-fitted lines: one Ink Text per line, one nested Text per styled segment. */
export function LineView({lines}: LineViewProps): React.JSX.Element {
	return (
		<Box flexDirection="column">
			{lines.map((line, index) => (
				// Lines are positional (row n of the screen): the index is the right key.
				// eslint-disable-next-line react/no-array-index-key
				<Text key={index} wrap="truncate-end" inverse={line.inverse === true}>
					{line.segments.length === 0
						? ' '
						: line.segments.map((part, partIndex) => (
								// eslint-disable-next-line react/no-array-index-key
								<Text key={partIndex} color={part.color} bold={part.bold === true} dimColor={part.dim === true} inverse={part.inverse === true}>
									{part.text}
								</Text>
							))}
				</Text>
			))}
		</Box>
	);
}
