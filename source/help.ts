import {flagSpecs, kebab, type FlagSpec} from './config/config.js';

/** `kctop --help` wraps at the terminal's width, and never wider than this. */
export const maxHelpWidth = 80;

const indent = '    ';
/** Flags longer than this put their description on the next line. */
const flagColumn = 24;

/** Greedy word wrap; a word longer than the width (a URL) keeps its own line whole. */
export function wrapWords(text: string, width: number): string[] {
	const lines: string[] = [];
	let line = '';
	for (const word of text.split(/\s+/).filter(each => each !== '')) {
		if (line === '') line = word;
		else if (line.length + 1 + word.length <= width) line += ` ${word}`;
		else {
			lines.push(line);
			line = word;
		}
	}
	if (line !== '') lines.push(line);
	return lines;
}

/**
 * Two columns: the flag, then its description wrapped beside it (or below a long flag). In a
 * narrow terminal every description goes below its flag, indented.
 */
function option(flag: string, text: string, width: number): string[] {
	const twoColumns = width - (indent.length + flagColumn + 2) >= 30;
	const column = twoColumns ? indent.length + flagColumn + 2 : indent.length * 2;
	const wrapped = wrapWords(text, width - column);
	const pad = ' '.repeat(column);
	if (!twoColumns || flag.length > flagColumn) return [`${indent}${flag}`, ...wrapped.map(line => `${pad}${line}`)];
	return wrapped.map((line, index) => (index === 0 ? `${indent}${flag.padEnd(flagColumn + 2)}${line}` : `${pad}${line}`));
}

function paragraph(text: string, width: number): string[] {
	return wrapWords(text, width - 2).map(line => `  ${line}`);
}

const examples = [
	'kctop --connect http://c1:8083,http://c2:8083 --prometheus http://prom:9090',
	'kctop --connect http://c1:8083 --scrape http://c1:9404/metrics',
	"kctop --once -o json | jq '.connectors[] | select(.health != \"ok\")'",
	'kctop check --max-lag 30s || page-someone',
	'kctop --demo',
];

/**
 * The text of `kctop --help` for a terminal `columns` wide (undefined when stdout is not a
 * terminal): every line fits in min(columns, 80), examples included.
 */
export function helpText(columns: number | undefined): string {
	const width = Math.min(maxHelpWidth, Math.max(40, columns ?? maxHelpWidth));
	const options = Object.entries(flagSpecs).flatMap(([name, raw]) => {
		const spec: FlagSpec = raw;
		const flag = `${spec.shortFlag ? `-${spec.shortFlag}, ` : ''}--${kebab(name)}${spec.kind === 'boolean' ? '' : ` ${spec.placeholder ?? 'VALUE'}`}`;
		const fallback = spec.default === undefined || spec.default === false || spec.default === '' ? '' : ` (default: ${String(spec.default)})`;
		return option(flag, `${spec.description}${fallback}; env ${spec.env}`, width);
	});
	const lines = [
		'',
		...paragraph('top for Kafka Connect: a live view of workers, connectors, tasks, Debezium connection and lag, and record errors, from the Connect REST API and Prometheus.', width),
		'',
		'  Usage',
		...option('$ kctop [options]', 'live view (one snapshot when stdout is not a terminal)', width),
		...option('$ kctop check [options]', 'Nagios/Icinga plugin: exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN', width),
		'',
		'  Options',
		...options,
		...option('--help', 'show this help', width),
		...option('--version', 'show the version', width),
		'',
		'  Examples',
		...examples.flatMap(example => wrapWords(`$ ${example}`, width - indent.length).map((line, index) => `${indent}${index === 0 ? '' : '  '}${line}`)),
		'',
		...paragraph('Keys: ? in the running program lists them all.', width),
		'',
	];
	return lines.join('\n');
}
