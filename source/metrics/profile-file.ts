import {readFile} from 'node:fs/promises';
import {LineCounter, parseDocument} from 'yaml';
import * as z from 'zod';
import {KctopError, isKctopError} from '../clients/errors.js';
import {canonicalLabels, defineMetric} from './catalog.js';
import {compilePromRegex} from './evaluate-samples.js';
import {autoProfileName, findProfile, profileNames, profiles} from './profiles/index.js';
import type {ProfileChoice} from './source.js';
import type {LabelMatcher, LabelMatcherOp, LogicalMetricId, MetricDefinition, NamingProfile, Relabel, SeriesSelector} from './types.js';
import {logicalMetricIds} from './types.js';

/**
 * A naming profile written by the user (`--profile-file FILE`), in YAML:
 *
 *   name: our-rules
 *   extends: strimzi                 # optional: start from a built-in profile
 *   metrics:
 *     taskStatus:
 *       - 'kafka_connect_task_state{status=~".+"}'
 *     sinkLag:
 *       - series: 'kafka_consumer_records_lag_max{client_id=~"connector-consumer-.+"}'
 *         labels:
 *           connector: {from: client_id, regex: 'connector-consumer-(.+)-[0-9]+'}
 *
 * Each metric lists PromQL selectors, tried in order (the first with data wins per row);
 * `labels` renames or derives the labels kctop joins on. Errors name the file and line.
 */

const metricNamePattern = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const labelNamePattern = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

const labelName = z.string().regex(labelNamePattern, 'not a label name');

const relabelSchema = z.union([
	labelName,
	z.strictObject({
		from: labelName,
		regex: z.string().optional(),
		replacement: z.string().optional(),
	}),
]);

const seriesSchema = z.union([
	z.string(),
	z.strictObject({
		series: z.string(),
		labels: z.record(labelName, relabelSchema).optional(),
	}),
]);

const metricsShape: Record<string, z.ZodOptional<z.ZodArray<typeof seriesSchema>>> = {};
for (const id of logicalMetricIds) {
	metricsShape[id] = z.array(seriesSchema).optional();
}

const fileSchema = z.strictObject({
	name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'use lower-case letters, digits, ".", "_" and "-"'),
	description: z.string().optional(),
	extends: z.string().optional(),
	metrics: z.strictObject(metricsShape).optional(),
});

type SeriesEntry = z.infer<typeof seriesSchema>;

/** A PromQL selector: `name`, `name{a="x",b=~'y'}` or `{__name__=~"re",…}`. */
export function parseSelector(text: string): SeriesSelector {
	const source = text.trim();
	const brace = source.indexOf('{');
	const name = (brace === -1 ? source : source.slice(0, brace)).trim();
	if (name !== '' && !metricNamePattern.test(name)) {
		throw new Error(`invalid metric name ${JSON.stringify(name)}`);
	}

	const matchers: LabelMatcher[] = [];
	if (brace !== -1) {
		if (!source.endsWith('}')) {
			throw new Error(`expected "}" at the end of ${JSON.stringify(source)}`);
		}

		const body = source.slice(brace + 1, -1);
		let at = 0;
		const skipSpace = (): void => {
			while (at < body.length && /\s/.test(body[at] ?? '')) at++;
		};

		for (;;) {
			skipSpace();
			if (at >= body.length) break;
			const label = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(body.slice(at))?.[0];
			if (label === undefined) throw new Error(`expected a label name at ${JSON.stringify(body.slice(at))}`);
			at += label.length;
			skipSpace();
			const op = /^(=~|!~|!=|=)/.exec(body.slice(at))?.[0];
			if (op === undefined) throw new Error(`expected =, !=, =~ or !~ after ${label}`);
			at += op.length;
			skipSpace();
			const quote = body[at];
			if (quote !== '"' && quote !== "'") throw new Error(`expected a quoted value after ${label}${op}`);
			let value = '';
			at++;
			for (;;) {
				const char = body[at];
				if (char === undefined) throw new Error(`unterminated value after ${label}${op}`);
				at++;
				if (char === quote) break;
				if (char === '\\') {
					const escaped = body[at];
					at++;
					value += escaped === 'n' ? '\n' : escaped === 't' ? '\t' : (escaped ?? '');
				} else {
					value += char;
				}
			}

			matchers.push({label, op: toOp(op), value});
			skipSpace();
			if (body[at] === ',') at++;
			else if (at < body.length) throw new Error(`expected "," or "}" at ${JSON.stringify(body.slice(at))}`);
		}
	}

	for (const matcher of matchers) {
		if (matcher.op === '=~' || matcher.op === '!~') compilePromRegex(matcher.value);
	}

	const nameMatcher = matchers.find((matcher) => matcher.label === '__name__');
	const others = matchers.filter((matcher) => matcher !== nameMatcher);
	if (name !== '') {
		if (nameMatcher !== undefined) throw new Error('give the metric name either before "{" or as __name__, not both');
		return others.length === 0 ? {name} : {name, matchers: others};
	}

	if (nameMatcher === undefined || (nameMatcher.op !== '=' && nameMatcher.op !== '=~')) {
		throw new Error(`no metric name in ${JSON.stringify(source)} (write name{…} or {__name__=~"…"})`);
	}

	const base = nameMatcher.op === '=~' ? {name: nameMatcher.value, nameRegex: true} : {name: nameMatcher.value};
	return others.length === 0 ? base : {...base, matchers: others};
}

function toOp(op: string): LabelMatcherOp {
	switch (op) {
		case '=~':
		case '!~':
		case '!=':
			return op;
		default:
			return '=';
	}
}

function toSelector(entry: SeriesEntry): SeriesSelector {
	if (typeof entry === 'string') return parseSelector(entry);
	const selector = parseSelector(entry.series);
	const relabel: Relabel[] = Object.entries(entry.labels ?? {}).map(([target, spec]) => {
		const step = typeof spec === 'string' ? {target, source: spec, regex: '(.*)'} : {target, source: spec.from, regex: spec.regex ?? '(.*)', replacement: spec.replacement};
		compilePromRegex(step.regex);
		return step.replacement === undefined ? {target: step.target, source: step.source, regex: step.regex} : {...step, replacement: step.replacement};
	});
	return relabel.length === 0 ? selector : {...selector, relabel};
}

function fileError(file: string, line: number | undefined, reason: string): KctopError {
	return new KctopError({kind: 'config', source: 'config', message: `${file}${line === undefined ? '' : `:${line}`}: ${reason}`});
}

/**
 * Parses and validates a profile file's text. Throws a KctopError (kind `config`) whose
 * message is `FILE:LINE: reason`.
 */
export function parseProfileFile(text: string, file: string, builtIns: readonly NamingProfile[] = profiles): NamingProfile {
	const lineCounter = new LineCounter();
	const document = parseDocument(text, {lineCounter, prettyErrors: false});
	const syntaxError = document.errors[0];
	if (syntaxError !== undefined) {
		throw fileError(file, lineCounter.linePos(syntaxError.pos[0]).line, `not valid YAML: ${syntaxError.message.split('\n')[0] ?? ''}`);
	}

	const lineOf = (path: readonly PropertyKey[]): number | undefined => {
		for (let length = path.length; length >= 0; length--) {
			const node: unknown = document.getIn(path.slice(0, length).map((key) => (typeof key === 'symbol' ? String(key) : key)), true);
			if (typeof node === 'object' && node !== null && 'range' in node && Array.isArray(node.range) && typeof node.range[0] === 'number') {
				return lineCounter.linePos(node.range[0]).line;
			}
		}

		return undefined;
	};

	const parsed = fileSchema.safeParse(document.toJS());
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		if (issue === undefined) throw fileError(file, undefined, 'invalid profile');
		const key = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
		const path = key === undefined ? issue.path : [...issue.path, key];
		const where = path.map(String).join('.');
		const reason =
			key !== undefined && issue.path.join('.') === 'metrics'
				? `unknown metric ${JSON.stringify(key)}; known: ${logicalMetricIds.join(', ')}`
				: `${where === '' ? '' : `${where}: `}${issue.message}`;
		throw fileError(file, lineOf(path), reason);
	}

	const data = parsed.data;
	let base: NamingProfile | undefined;
	if (data.extends !== undefined) {
		base = findProfile(data.extends, builtIns);
		if (base === undefined) {
			throw fileError(file, lineOf(['extends']), `extends: unknown profile ${JSON.stringify(data.extends)}; built in: ${profileNames(builtIns).filter((name) => name !== 'auto').join(', ')}`);
		}
	}

	const metrics: Partial<Record<LogicalMetricId, MetricDefinition>> = {...base?.metrics};
	for (const id of logicalMetricIds) {
		const entries = data.metrics?.[id];
		if (entries === undefined) continue;
		const series = entries.map((entry, index) => {
			try {
				return toSelector(entry);
			} catch (error) {
				const message = isKctopError(error) || error instanceof Error ? error.message : String(error);
				throw fileError(file, lineOf(['metrics', id, index]), `metrics.${id}[${index}]: ${message}`);
			}
		});
		if (series.length === 0) delete metrics[id];
		else metrics[id] = defineMetric(id, series);
	}

	metrics.workerUp ??= defineMetric('workerUp', [{name: 'up'}]);
	return {
		name: data.name,
		description: data.description ?? `profile file ${file}${base === undefined ? '' : ` (extends ${base.name})`}`,
		labels: canonicalLabels,
		metrics,
	};
}

/** Reads and parses a profile file; an unreadable file is a config error too. */
export async function loadProfileFile(path: string, builtIns: readonly NamingProfile[] = profiles): Promise<NamingProfile> {
	let text: string;
	try {
		text = await readFile(path, 'utf8');
	} catch (error) {
		throw fileError(path, undefined, `cannot read the profile file: ${error instanceof Error ? error.message : String(error)}`);
	}

	return parseProfileFile(text, path, builtIns);
}

/**
 * What `--profile` and `--profile-file` ask for: the file's profile (forced), every
 * built-in profile (`auto`: detection), or one built-in profile (forced).
 */
export async function profileChoice(name: string, file: string | undefined): Promise<ProfileChoice> {
	if (file !== undefined) return loadProfileFile(file);
	if (name === autoProfileName) return profiles;
	const profile = findProfile(name);
	if (profile === undefined) throw new KctopError({kind: 'config', source: 'config', message: `--profile: unknown profile ${JSON.stringify(name)}; valid: ${profileNames().join(', ')}`});
	return profile;
}
