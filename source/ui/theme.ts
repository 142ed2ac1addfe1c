import type {Severity} from '../model/severity.js';
import type {HealthLevel, State} from '../model/types.js';

export type ColorName = 'red' | 'green' | 'yellow' | 'blue' | 'magenta' | 'cyan' | 'gray' | 'white';

export interface Glyphs {
	/** Sparkline ramp, lowest first. */
	readonly spark: readonly string[];
	/** Chart ramp for multi-line charts: index 0 is empty, the last is a full cell. */
	readonly chart: readonly string[];
	readonly sortAscending: string;
	readonly sortDescending: string;
	readonly disagreement: string;
	readonly refreshing: string;
	readonly warning: string;
	readonly ok: string;
	readonly failed: string;
	readonly separator: string;
}

export interface Theme {
	readonly color: boolean;
	readonly ascii: boolean;
	readonly glyphs: Glyphs;
	/** Ink border style for boxes (the confirmation dialog). */
	readonly border: 'round' | 'classic';
	/** The colour to use, or undefined when colour is off (NO_COLOR). */
	readonly fg: (color: ColorName | undefined) => ColorName | undefined;
	readonly stateColor: (state: State | undefined) => ColorName | undefined;
	readonly healthColor: (health: HealthLevel) => ColorName | undefined;
	/** Colour of a place in the severity order (model/severity.ts); none for fine. */
	readonly severityColor: (severity: Severity) => ColorName | undefined;
}

const unicodeGlyphs: Glyphs = {
	spark: ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'],
	chart: [' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'],
	sortAscending: '▲',
	sortDescending: '▼',
	disagreement: '≠',
	refreshing: '⟳',
	warning: '⚠',
	ok: '✓',
	failed: '✗',
	separator: '·',
};

const asciiGlyphs: Glyphs = {
	spark: [' ', '.', ':', '-', '=', '+', '*', '#'],
	chart: [' ', '.', ':', '#'],
	sortAscending: '^',
	sortDescending: 'v',
	disagreement: '!',
	refreshing: '*',
	warning: '!',
	ok: '+',
	failed: 'x',
	separator: '|',
};

const stateColors: Readonly<Record<string, ColorName>> = {
	RUNNING: 'green',
	PAUSED: 'yellow',
	STOPPED: 'gray',
	FAILED: 'red',
	UNASSIGNED: 'magenta',
	RESTARTING: 'cyan',
	DESTROYED: 'gray',
};

const healthColors: Readonly<Record<HealthLevel, ColorName | undefined>> = {ok: undefined, warn: 'yellow', crit: 'red'};

const severityColors: Readonly<Record<Severity, ColorName | undefined>> = {
	failed: 'red',
	'worker-down': 'red',
	unassigned: 'magenta',
	disconnected: 'red',
	lagging: 'yellow',
	degraded: 'yellow',
	paused: 'gray',
	fine: undefined,
};

export function makeTheme(options: {readonly ascii: boolean; readonly color: boolean}): Theme {
	const fg = (color: ColorName | undefined): ColorName | undefined => (options.color ? color : undefined);
	return {
		color: options.color,
		ascii: options.ascii,
		glyphs: options.ascii ? asciiGlyphs : unicodeGlyphs,
		border: options.ascii ? 'classic' : 'round',
		fg,
		stateColor: state => fg(state === undefined ? undefined : stateColors[state]),
		healthColor: health => fg(healthColors[health]),
		severityColor: severity => fg(severityColors[severity]),
	};
}
