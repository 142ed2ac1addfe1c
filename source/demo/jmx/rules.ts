/**
 * A TypeScript re-implementation of the Prometheus JMX exporter's rule engine, so that the
 * demo simulator and the tests produce exactly the series a real agent would produce from
 * the same YAML config and the same MBeans.
 *
 * Emulates prometheus/jmx_exporter 1.5.0 (client_java 1.4.x), the version the real stack in
 * docker-compose.yml runs. Read from the project's JmxCollector.java / MatchedRule /
 * MatchedRuleToMetricSnapshotsConverter and client_java PrometheusNaming
 * (shared/reference/connect-metrics-facts.md §3):
 *
 * - match string `domain<k1=v1, k2=v2><attrKeys>attrName: value`, properties in creation
 *   order, quoted values kept, the value printed as Java's `String.valueOf` would;
 * - each pattern compiled as `^.*(?:pattern).*$`, first matching rule wins (a String
 *   attribute caught by a rule without `value:` is dropped, it does not fall through);
 * - `name`/`labels`/`help`/`value` expanded with Java's `Matcher.replaceAll` rules (`$n`,
 *   `${name}`, `\` escapes, multi-digit group numbers only while they are legal);
 * - `safeName`, `lowercaseOutputName`, `lowercaseOutputLabelNames`, labels in sorted key
 *   order with empty names/values dropped, `valueFactor`, `type`, per-rule
 *   `attrNameSnakeCase` (jmx_exporter has no top-level form of it), the default export for
 *   a rule without `name` (and for a config without `rules`);
 * - 1.x naming: client_java `sanitizeMetricName` strips `_total`, `_created`, `_bucket`,
 *   `_info` (repeatedly) from every name, COUNTER samples get `_total` appended, a name
 *   whose rules disagree on the type becomes untyped, and samples with the same name and
 *   labels get the `_objectname` label;
 * - `includeObjectNames`/`excludeObjectNames` (and the old `whitelistObjectNames`/
 *   `blacklistObjectNames` aliases) with JMX ObjectName pattern semantics: `*`/`?` in the
 *   domain and in property values, `,*` for property-list patterns.
 *
 * Not implemented: `cache` (accepted, has no effect on the output), CompositeData and
 * TabularData attributes (model a TabularData row as its own MBean with the index column
 * added as a property, which is what the exporter does), `includeObjectNameAttributes`/
 * `excludeObjectNameAttributes`/`autoExcludeObjectNameAttributes`, `inferCounterTypeFromName`
 * (1.4+), `metricCustomizers`, `startDelaySeconds`, hex floating-point literals in `value:`,
 * client_java's label-name sanitising beyond `safeName`, and the JVM/`jmx_*` self metrics.
 * Two labels with the same name keep the first one (client_java would reject the sample).
 * Java regex syntax is translated where JavaScript differs: possessive quantifiers, atomic
 * groups, `\Q…\E`, `\A`/`\Z`/`\z`, `\h`, a leading `(?i)`.
 */
import {readFileSync} from 'node:fs';
import {parse as parseYaml} from 'yaml';
import * as z from 'zod';
import {KctopError} from '../../clients/errors.js';
import type {AttributeValue, ExportedSample, ExportedType, MBean} from './types.js';

export type JmxRuleType = 'GAUGE' | 'COUNTER' | 'UNKNOWN';

export interface JmxRule {
	/** The pattern as written in the config (undefined: matches everything). */
	readonly patternSource: string | undefined;
	/** Compiled `^.*(?:pattern).*$`. */
	readonly pattern: RegExp | undefined;
	readonly name: string | undefined;
	readonly value: string | undefined;
	readonly valueFactor: number;
	readonly help: string | undefined;
	readonly attrNameSnakeCase: boolean;
	readonly cache: boolean;
	readonly type: JmxRuleType;
	/** Label templates in sorted key order (Java TreeMap), or undefined when the rule has none. */
	readonly labels: ReadonlyArray<readonly [string, string]> | undefined;
}

export interface ObjectNamePattern {
	readonly source: string;
	readonly domain: string;
	readonly properties: ReadonlyArray<readonly [string, string]>;
	/** Ends with `,*` (or is `domain:*`): other properties may be present. */
	readonly propertyListPattern: boolean;
}

export interface JmxExporterConfig {
	readonly lowercaseOutputName: boolean;
	readonly lowercaseOutputLabelNames: boolean;
	/** Empty: every MBean. */
	readonly includeObjectNames: readonly ObjectNamePattern[];
	readonly excludeObjectNames: readonly ObjectNamePattern[];
	readonly rules: readonly JmxRule[];
}

const scalar = z.union([z.string(), z.number(), z.boolean()]);

const ruleSchema = z.looseObject({
	pattern: scalar.optional(),
	name: z.string().optional(),
	value: scalar.nullable().optional(),
	valueFactor: scalar.nullable().optional(),
	attrNameSnakeCase: z.boolean().optional(),
	cache: z.boolean().optional(),
	type: z.enum(['GAUGE', 'COUNTER', 'UNTYPED', 'UNKNOWN']).optional(),
	help: z.string().optional(),
	labels: z.record(z.string(), z.string({error: 'label values must be strings (quote them)'})).optional(),
});

const objectNameList = z.array(z.string());

const configSchema = z.looseObject({
	lowercaseOutputName: z.boolean().optional(),
	lowercaseOutputLabelNames: z.boolean().optional(),
	includeObjectNames: objectNameList.optional(),
	whitelistObjectNames: objectNameList.optional(),
	excludeObjectNames: objectNameList.optional(),
	blacklistObjectNames: objectNameList.optional(),
	rules: z.array(ruleSchema).optional(),
});

function configError(reason: string, cause?: unknown): KctopError {
	return new KctopError({kind: 'config', source: 'config', message: `jmx exporter config: ${reason}`}, cause === undefined ? undefined : {cause});
}

/** Parses and validates a jmx_exporter YAML config. Invalid input throws KctopError kind 'config' with a one-line reason. */
export function parseJmxConfig(yamlText: string): JmxExporterConfig {
	let document: unknown;
	try {
		// SnakeYAML reads YAML 1.1 and tolerates duplicate keys (the last one wins).
		document = parseYaml(yamlText, {version: '1.1', uniqueKeys: false});
	} catch (error) {
		throw configError(`not valid YAML: ${error instanceof Error ? error.message : String(error)}`, error);
	}
	// An empty file is an empty config (one default rule), as in JmxCollector.
	const parsed = configSchema.safeParse(document ?? {});
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		const where = issue === undefined || issue.path.length === 0 ? 'top level' : issue.path.map(String).join('.');
		throw configError(`${where}: ${issue?.message ?? 'invalid'}`);
	}
	const raw = parsed.data;
	const rules = raw.rules === undefined ? [defaultRule()] : raw.rules.map((rule, index) => compileRule(rule, index));
	return {
		lowercaseOutputName: raw.lowercaseOutputName ?? false,
		lowercaseOutputLabelNames: raw.lowercaseOutputLabelNames ?? false,
		includeObjectNames: (raw.includeObjectNames ?? raw.whitelistObjectNames ?? []).map(parseObjectNamePattern),
		excludeObjectNames: (raw.excludeObjectNames ?? raw.blacklistObjectNames ?? []).map(parseObjectNamePattern),
		rules,
	};
}

function defaultRule(): JmxRule {
	return {
		patternSource: undefined,
		pattern: undefined,
		name: undefined,
		value: undefined,
		valueFactor: 1,
		help: undefined,
		attrNameSnakeCase: false,
		cache: false,
		type: 'UNKNOWN',
		labels: undefined,
	};
}

function compileRule(rule: z.infer<typeof ruleSchema>, index: number): JmxRule {
	const where = `rules[${index}]`;
	const patternSource = rule.pattern === undefined ? undefined : String(rule.pattern);
	let pattern: RegExp | undefined;
	if (patternSource !== undefined) {
		const translated = javaRegexToJs(patternSource);
		try {
			pattern = new RegExp(`^.*(?:${translated.source}).*$`, translated.flags);
		} catch (error) {
			throw configError(`${where}: pattern does not compile: ${error instanceof Error ? error.message : String(error)}`, error);
		}
	}
	const labels =
		rule.labels === undefined
			? undefined
			: Object.entries(rule.labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => [k, v] as const);
	if ((labels !== undefined || rule.help !== undefined) && rule.name === undefined) {
		throw configError(`${where}: 'labels' and 'help' need a 'name'`);
	}
	if (rule.name !== undefined && pattern === undefined) {
		throw configError(`${where}: 'name' needs a 'pattern'`);
	}
	// Java: String.valueOf(yaml value); an empty value means "no value".
	const value = rule.value === undefined || rule.value === null ? undefined : String(rule.value);
	if (value !== undefined && value !== '' && pattern === undefined) {
		throw configError(`${where}: 'value' needs a 'pattern'`);
	}
	let valueFactor = 1;
	if (rule.valueFactor !== undefined && rule.valueFactor !== null) {
		// Java: Double.valueOf(String.valueOf(x)), falling back to 1.0 when it does not parse.
		valueFactor = parseJavaDouble(String(rule.valueFactor)) ?? 1;
	}
	const groupCount = pattern === undefined ? 0 : countGroups(pattern);
	const groupNames = pattern === undefined ? new Set<string>() : namedGroups(pattern);
	const templates: Array<readonly [string, string]> = [];
	if (rule.name !== undefined) templates.push(['name', rule.name]);
	if (value !== undefined) templates.push(['value', value]);
	if (rule.help !== undefined) templates.push(['help', rule.help]);
	for (const [k, v] of labels ?? []) templates.push([`label ${JSON.stringify(k)}`, k], [`label ${JSON.stringify(k)} value`, v]);
	for (const [what, template] of templates) {
		const problem = checkReplacement(template, groupCount, groupNames);
		if (problem !== undefined) throw configError(`${where}: ${what}: ${problem}`);
	}
	const type = rule.type === undefined || rule.type === 'UNTYPED' ? 'UNKNOWN' : rule.type;
	return {
		patternSource,
		pattern,
		name: rule.name,
		value,
		valueFactor,
		help: rule.help,
		attrNameSnakeCase: rule.attrNameSnakeCase ?? false,
		cache: rule.cache ?? false,
		type,
		labels,
	};
}

let repoConfig: JmxExporterConfig | undefined;

/** This repository's jmx-exporter-config.yml, read and parsed once. */
export function loadRepoJmxConfig(): JmxExporterConfig {
	if (repoConfig === undefined) {
		const url = new URL('../../../jmx-exporter-config.yml', import.meta.url);
		let text: string;
		try {
			text = readFileSync(url, 'utf8');
		} catch (error) {
			throw configError(`cannot read ${url.pathname}: ${error instanceof Error ? error.message : String(error)}`, error);
		}
		repoConfig = parseJmxConfig(text);
	}
	return repoConfig;
}

// ---------------------------------------------------------------------------------------
// Applying the rules

interface MatchedRule {
	readonly name: string;
	readonly matchName: string;
	readonly type: JmxRuleType;
	readonly help: string;
	readonly labels: ReadonlyArray<readonly [string, string]>;
	readonly value: number;
}

/** What a jmx_exporter 1.x agent with `config` exports for `mbeans` (sorted by name, then labels). */
export function applyRules(config: JmxExporterConfig, mbeans: readonly MBean[]): ExportedSample[] {
	const matched: MatchedRule[] = [];
	for (const bean of mbeans) {
		if (!isSelected(config, bean)) continue;
		const beanName = `${bean.domain}<${bean.properties.map(([k, v]) => `${k}=${v}`).join(', ')}><>`;
		for (const [attrName, beanValue] of Object.entries(bean.attributes)) {
			const result = recordAttribute(config, bean, beanName, attrName, beanValue);
			if (result !== undefined) matched.push(result);
		}
	}
	return toSamples(matched);
}

function isSelected(config: JmxExporterConfig, bean: MBean): boolean {
	if (config.includeObjectNames.length > 0 && !config.includeObjectNames.some((p) => objectNameMatches(p, bean))) return false;
	return !config.excludeObjectNames.some((p) => objectNameMatches(p, bean));
}

function recordAttribute(config: JmxExporterConfig, bean: MBean, beanName: string, attrName: string, beanValue: AttributeValue): MatchedRule | undefined {
	const property = (key: string): string => bean.properties.find(([k]) => k === key)?.[1] ?? 'null';
	let help = `${bean.domain}:name=${property('name')},type=${property('type')},attribute=${attrName}`;
	const description = bean.descriptions?.[attrName];
	if (description !== undefined && description !== attrName) help = `${description} ${help}`;
	const valueText = javaValueString(bean, attrName, beanValue);

	for (const rule of config.rules) {
		const attributeName = rule.attrNameSnakeCase ? toSnakeAndLowerCase(attrName) : attrName;
		const matchName = `${beanName}${attributeName}: ${valueText}`;
		let match: RegExpExecArray | undefined;
		if (rule.pattern !== undefined) {
			const result = rule.pattern.exec(matchName);
			if (result === null) continue;
			match = result;
		}

		let ruleValue: number | undefined;
		if (rule.value !== undefined && rule.value !== '' && match !== undefined) {
			ruleValue = parseJavaDouble(expandReplacement(rule.value, match));
			// The exporter gives up on the attribute (it does not try later rules).
			if (ruleValue === undefined) return undefined;
		}
		const value = numericValue(ruleValue ?? beanValue, rule.valueFactor);

		if (rule.name === undefined || match === undefined) {
			if (value === undefined) return undefined;
			return defaultExport(config, bean, attributeName, matchName, help, value, rule.type);
		}

		let name = safeName(expandReplacement(rule.name, match));
		if (name === '') return undefined;
		if (config.lowercaseOutputName) name = name.toLowerCase();
		if (rule.help !== undefined) help = expandReplacement(rule.help, match);

		const labels: Array<readonly [string, string]> = [];
		for (const [nameTemplate, valueTemplate] of rule.labels ?? []) {
			let labelName = safeName(expandReplacement(nameTemplate, match));
			const labelValue = expandReplacement(valueTemplate, match);
			if (config.lowercaseOutputLabelNames) labelName = labelName.toLowerCase();
			if (labelName !== '' && labelValue !== '') labels.push([labelName, labelValue]);
		}
		if (value === undefined) return undefined;
		return {name: sanitizeMetricName(name), matchName, type: rule.type, help, labels: sortLabels(labels), value};
	}
	return undefined;
}

/** Numbers × valueFactor, Booleans 1/0 (no factor), anything else unsupported. */
function numericValue(value: AttributeValue, valueFactor: number): number | undefined {
	if (typeof value === 'number') return value * valueFactor;
	if (typeof value === 'boolean') return value ? 1 : 0;
	return undefined;
}

function defaultExport(
	config: JmxExporterConfig,
	bean: MBean,
	attributeName: string,
	matchName: string,
	help: string,
	value: number,
	type: JmxRuleType,
): MatchedRule | undefined {
	const first = bean.properties[0];
	let name = safeName(first === undefined ? `${bean.domain}_${attributeName}` : `${bean.domain}_${first[1]}_${attributeName}`);
	if (config.lowercaseOutputName) name = name.toLowerCase();
	const labels = bean.properties.slice(1).map(([k, v]) => {
		const labelName = safeName(k);
		return [config.lowercaseOutputLabelNames ? labelName.toLowerCase() : labelName, v] as const;
	});
	if (name === '') return undefined;
	return {name: sanitizeMetricName(name), matchName, type, help, labels: sortLabels(labels), value};
}

function toSamples(matched: readonly MatchedRule[]): ExportedSample[] {
	const byName = new Map<string, MatchedRule[]>();
	for (const rule of matched) {
		const group = byName.get(rule.name);
		if (group === undefined) byName.set(rule.name, [rule]);
		else group.push(rule);
	}
	const samples: ExportedSample[] = [];
	for (const name of [...byName.keys()].sort(compareStrings)) {
		const group = byName.get(name) ?? [];
		const first = group[0];
		if (first === undefined) continue;
		const ruleType = group.every((r) => r.type === first.type) ? first.type : 'UNKNOWN';
		const type: ExportedType = ruleType === 'COUNTER' ? 'counter' : ruleType === 'GAUGE' ? 'gauge' : 'untyped';
		const sampleName = type === 'counter' ? `${name}_total` : name;
		const keys = new Set(group.map((r) => labelKey(r.labels)));
		const unique = keys.size === group.length;
		const points = group.map((r) => ({
			labels: unique ? r.labels : sortLabels([...r.labels, ['_objectname', r.matchName.slice(0, r.matchName.lastIndexOf(':'))] as const]),
			value: r.value,
		}));
		points.sort((a, b) => compareLabels(a.labels, b.labels));
		for (const point of points) {
			// Text format 0.0.4 writes a counter's HELP/TYPE lines with the `_total` name too.
			samples.push({name: sampleName, family: sampleName, type, help: first.help, labels: point.labels, value: point.value});
		}
	}
	return samples;
}

function labelKey(labels: ReadonlyArray<readonly [string, string]>): string {
	return JSON.stringify(labels);
}

function sortLabels(labels: ReadonlyArray<readonly [string, string]>): ReadonlyArray<readonly [string, string]> {
	const seen = new Set<string>();
	const unique = labels.filter(([k]) => (seen.has(k) ? false : (seen.add(k), true)));
	return unique.sort(([a], [b]) => compareStrings(a, b));
}

export function compareStrings(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}

/** Orders label lists the way applyRules sorts its output (name, then value, pair by pair). */
export function compareLabels(a: ReadonlyArray<readonly [string, string]>, b: ReadonlyArray<readonly [string, string]>): number {
	for (let i = 0; i < Math.min(a.length, b.length); i++) {
		const [ak, av] = a[i] ?? ['', ''];
		const [bk, bv] = b[i] ?? ['', ''];
		const byName = compareStrings(ak, bk);
		if (byName !== 0) return byName;
		const byValue = compareStrings(av, bv);
		if (byValue !== 0) return byValue;
	}
	return a.length - b.length;
}

// ---------------------------------------------------------------------------------------
// Naming helpers (exported for tests and for the simulator)

/** jmx_exporter `safeName`: characters outside [a-zA-Z0-9:_] become `_`, runs of `_` collapse, a leading digit gets a `_` prefix. */
export function safeName(name: string): string {
	let out = /^\p{Nd}/u.test(name) ? '_' : '';
	let previousUnderscore = false;
	for (let i = 0; i < name.length; i++) {
		const ch = name.charAt(i);
		const legal = ch === ':' || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
		if (legal) {
			out += ch;
			previousUnderscore = false;
		} else if (!previousUnderscore) {
			out += '_';
			previousUnderscore = true;
		}
	}
	return out;
}

/** jmx_exporter `toSnakeAndLowerCase`: `MilliSecondsBehindSource` → `milli_seconds_behind_source`, `testTCPTest` → `test_tcptest`. */
export function toSnakeAndLowerCase(attrName: string): string {
	if (attrName === '') return attrName;
	const isUpper = (ch: string): boolean => ch !== ch.toLowerCase() && ch === ch.toUpperCase();
	const first = attrName.charAt(0);
	let previousUpperOrUnderscore = isUpper(first) || first === '_';
	let out = first.toLowerCase();
	for (let i = 1; i < attrName.length; i++) {
		const ch = attrName.charAt(i);
		const upper = isUpper(ch);
		if (!previousUpperOrUnderscore && upper) out += '_';
		out += ch.toLowerCase();
		previousUpperOrUnderscore = upper || ch === '_';
	}
	return out;
}

const reservedSuffixes = ['_total', '_created', '_bucket', '_info', '.total', '.created', '.bucket', '.info'];

/** client_java 1.x `PrometheusNaming.sanitizeMetricName`: strips reserved suffixes until none is left. */
export function sanitizeMetricName(name: string): string {
	let sanitized = name;
	let modified = true;
	while (modified) {
		modified = false;
		for (const suffix of reservedSuffixes) {
			if (sanitized === suffix) return suffix.slice(1);
			if (sanitized.endsWith(suffix)) {
				sanitized = sanitized.slice(0, -suffix.length);
				modified = true;
			}
		}
	}
	return sanitized;
}

/** Java `Double.toString`: `5.0`, `0.001`, `1.0E7`, `1.7E12`, `NaN`, `Infinity`. */
export function javaDoubleToString(d: number): string {
	if (Number.isNaN(d)) return 'NaN';
	if (d === Number.POSITIVE_INFINITY) return 'Infinity';
	if (d === Number.NEGATIVE_INFINITY) return '-Infinity';
	if (d === 0) return Object.is(d, -0) ? '-0.0' : '0.0';
	const abs = Math.abs(d);
	if (abs >= 1e-3 && abs < 1e7) {
		const text = String(d);
		return text.includes('.') ? text : `${text}.0`;
	}
	const [mantissa = '0', exponent = '0'] = d.toExponential().split('e');
	return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${Number(exponent)}`;
}

function javaValueString(bean: MBean, attrName: string, value: AttributeValue): string {
	if (typeof value === 'string') return value;
	if (typeof value === 'boolean') return value ? 'true' : 'false';
	const declared = bean.numericTypes?.[attrName];
	const asLong = declared === undefined ? !bean.domain.startsWith('kafka.') && Number.isInteger(value) : declared === 'long' && Number.isInteger(value);
	return asLong ? BigInt(value).toString() : javaDoubleToString(value);
}

/** Java `Double.valueOf` for decimal input (NaN, Infinity, exponents, f/d suffixes); undefined when it would throw. */
export function parseJavaDouble(text: string): number | undefined {
	// Java's trim() drops every char <= U+0020 at both ends.
	// eslint-disable-next-line no-control-regex
	const trimmed = text.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '');
	const match = /^([+-]?)(NaN|Infinity|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)[fFdD]?$/.exec(trimmed);
	if (match === null) return undefined;
	const [, sign = '', body = ''] = match;
	if (body === 'NaN') return Number.NaN;
	const magnitude = body === 'Infinity' ? Number.POSITIVE_INFINITY : Number(body);
	return sign === '-' ? -magnitude : magnitude;
}

// ---------------------------------------------------------------------------------------
// Java regex and replacement semantics

/** Translates the Java regex constructs JavaScript lacks; everything else is passed through. */
export function javaRegexToJs(pattern: string): {readonly source: string; readonly flags: string} {
	let flags = '';
	let src = pattern;
	if (src.startsWith('(?i)')) {
		flags = 'i';
		src = src.slice(4);
	}
	let out = '';
	let inClass = false;
	for (let i = 0; i < src.length; i++) {
		const ch = src.charAt(i);
		if (ch === '\\') {
			const next = src.charAt(i + 1);
			if (next === 'Q') {
				const end = src.indexOf('\\E', i + 2);
				const literal = end < 0 ? src.slice(i + 2) : src.slice(i + 2, end);
				out += literal.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
				i = end < 0 ? src.length : end + 1;
				continue;
			}
			if (!inClass && next === 'A') out += '^';
			else if (!inClass && (next === 'Z' || next === 'z')) out += '$';
			else if (next === 'h') out += inClass ? ' \\t\\xA0' : '[ \\t\\xA0]';
			else out += ch + next;
			i++;
			continue;
		}
		if (inClass) {
			if (ch === ']') inClass = false;
			out += ch;
			continue;
		}
		if (ch === '[') {
			inClass = true;
			out += ch;
			// A `]` right after `[` or `[^` is a literal in Java.
			if (src.charAt(i + 1) === '^') {
				out += '^';
				i++;
			}
			if (src.charAt(i + 1) === ']') {
				out += '\\]';
				i++;
			}
			continue;
		}
		if (ch === '(' && src.startsWith('(?>', i)) {
			out += '(?:';
			i += 2;
			continue;
		}
		out += ch;
		// Possessive quantifier (`*+`, `++`, `?+`, `{n}+`): keep it greedy.
		if ((ch === '*' || ch === '+' || ch === '?' || ch === '}') && src.charAt(i + 1) === '+') i++;
	}
	return {source: out, flags};
}

function countGroups(pattern: RegExp): number {
	const probe = new RegExp(`${pattern.source}|`, pattern.flags).exec('');
	return probe === null ? 0 : probe.length - 1;
}

function namedGroups(pattern: RegExp): Set<string> {
	const probe = new RegExp(`${pattern.source}|`, pattern.flags).exec('');
	return new Set(Object.keys(probe?.groups ?? {}));
}

type ReplacementPart = {readonly literal: string} | {readonly group: number} | {readonly named: string};

function parseReplacement(template: string, groupCount: number): ReplacementPart[] | string {
	const parts: ReplacementPart[] = [];
	let i = 0;
	while (i < template.length) {
		const ch = template.charAt(i);
		if (ch === '\\') {
			if (i + 1 >= template.length) return 'character to be escaped is missing';
			parts.push({literal: template.charAt(i + 1)});
			i += 2;
		} else if (ch === '$') {
			i++;
			if (i >= template.length) return "illegal group reference: '$' at the end";
			if (template.charAt(i) === '{') {
				const end = template.indexOf('}', i);
				if (end < 0) return "named capturing group is missing trailing '}'";
				parts.push({named: template.slice(i + 1, end)});
				i = end + 1;
				continue;
			}
			const first = template.charCodeAt(i) - 48;
			if (first < 0 || first > 9) return `illegal group reference '$${template.charAt(i)}'`;
			let group = first;
			i++;
			// Java takes further digits only while the number stays a legal group.
			while (i < template.length) {
				const digit = template.charCodeAt(i) - 48;
				if (digit < 0 || digit > 9 || group * 10 + digit > groupCount) break;
				group = group * 10 + digit;
				i++;
			}
			parts.push({group});
		} else {
			parts.push({literal: ch});
			i++;
		}
	}
	return parts;
}

function checkReplacement(template: string, groupCount: number, groupNames: ReadonlySet<string>): string | undefined {
	const parts = parseReplacement(template, groupCount);
	if (typeof parts === 'string') return parts;
	for (const part of parts) {
		if ('group' in part && part.group > groupCount) return `refers to $${part.group} but the pattern has ${groupCount} group(s)`;
		if ('named' in part && !groupNames.has(part.named)) return `refers to \${${part.named}} but the pattern has no such group`;
	}
	return undefined;
}

/** Java `matcher.replaceAll(template)` for a match that spans the whole input. */
export function expandReplacement(template: string, match: RegExpExecArray): string {
	const parts = parseReplacement(template, match.length - 1);
	if (typeof parts === 'string') return template;
	let out = '';
	for (const part of parts) {
		if ('literal' in part) out += part.literal;
		else if ('group' in part) out += match[part.group] ?? '';
		else out += match.groups?.[part.named] ?? '';
	}
	return out;
}

// ---------------------------------------------------------------------------------------
// JMX ObjectName patterns

/** Parses `domain:key=value,...[,*]` (wildcards `*`/`?` allowed in the domain and in values). */
export function parseObjectNamePattern(source: string): ObjectNamePattern {
	const colon = source.indexOf(':');
	if (colon < 0) throw configError(`object name ${JSON.stringify(source)} has no ':'`);
	const domain = source.slice(0, colon);
	const rest = source.slice(colon + 1);
	if (rest === '') throw configError(`object name ${JSON.stringify(source)} has no key properties`);
	const properties: Array<readonly [string, string]> = [];
	let propertyListPattern = false;
	for (const element of splitProperties(rest)) {
		if (element === '*') {
			propertyListPattern = true;
			continue;
		}
		const eq = element.indexOf('=');
		if (eq <= 0) throw configError(`object name ${JSON.stringify(source)}: ${JSON.stringify(element)} is not key=value`);
		properties.push([element.slice(0, eq), element.slice(eq + 1)]);
	}
	return {source, domain, properties, propertyListPattern};
}

function splitProperties(text: string): string[] {
	const elements: string[] = [];
	let current = '';
	let quoted = false;
	for (let i = 0; i < text.length; i++) {
		const ch = text.charAt(i);
		if (quoted && ch === '\\') {
			current += ch + text.charAt(i + 1);
			i++;
			continue;
		}
		if (ch === '"') quoted = !quoted;
		if (ch === ',' && !quoted) {
			elements.push(current);
			current = '';
			continue;
		}
		current += ch;
	}
	elements.push(current);
	return elements;
}

function wildcardMatches(pattern: string, text: string): boolean {
	let source = '';
	for (let i = 0; i < pattern.length; i++) {
		const ch = pattern.charAt(i);
		if (ch === '\\' && i + 1 < pattern.length) {
			// Quoted values are compared as written (escapes included); only a bare `*`/`?` is a wildcard.
			source += `${ch}${pattern.charAt(i + 1)}`.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
			i++;
		} else if (ch === '*') source += '[\\s\\S]*';
		else if (ch === '?') source += '[\\s\\S]';
		else source += ch.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
	}
	return new RegExp(`^${source}$`).test(text);
}

/** JMX `ObjectName.apply` for the simple cases jmx_exporter configs use. */
export function objectNameMatches(pattern: ObjectNamePattern, bean: MBean): boolean {
	if (!wildcardMatches(pattern.domain, bean.domain)) return false;
	if (!pattern.propertyListPattern && pattern.properties.length !== bean.properties.length) return false;
	return pattern.properties.every(([key, value]) => {
		const actual = bean.properties.find(([k]) => k === key);
		return actual !== undefined && wildcardMatches(value, actual[1]);
	});
}
