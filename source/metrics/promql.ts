import {KctopError} from '../clients/errors.js';
import type {LabelMatcher, MetricDefinition, Relabel, SeriesSelector} from './types.js';

/**
 * PromQL generated from a naming profile's metric definitions. One definition gives one
 * instant-vector expression; the same expression serves instant and range queries.
 *
 * Shapes:
 * - gauge or counter, transform value: `max by (connector, status) (name{matchers})`
 * - counter, transform rate:           `sum by (connector) (rate(name{matchers}[1m]))`
 * - alternatives: each aggregated on its own, joined with ` or `, so that per result
 *   group the first alternative that has data wins (the label sets after aggregation
 *   are exactly the `by` labels, which is what `or` matches on).
 * - a name regex:                      `{__name__=~"debezium_.+_connected",context="streaming"}`
 * - relabelling (inside the aggregation, outside rate()):
 *                                      `max by (connector) (label_replace(x, "connector", "$1", "client_id", "connector-consumer-(.+)-[0-9]+"))`
 */

export interface PromQLOptions {
	/** Range of `rate()`, a Prometheus duration such as `1m` or `90s`. */
	readonly rateWindow: string;
	/** Extra matchers for the workerUp selectors only (e.g. `job=~".*connect.*"`). */
	readonly upMatchers?: readonly LabelMatcher[];
}

const metricNamePattern = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const labelNamePattern = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
// A Prometheus duration: one or more <number><unit> parts, e.g. 1m, 90s, 1h30m.
const durationPattern = /^(?:\d+(?:ms|s|m|h|d|w|y))+$/;

/**
 * Quotes a string as a PromQL (Go-style) double-quoted string literal. Regex matcher
 * values go through this too, so a regex `a\.b` becomes `"a\\.b"`.
 */
export function quotePromQLString(value: string): string {
	let out = '"';
	for (const char of value) {
		switch (char) {
			case '\\':
				out += '\\\\';
				break;
			case '"':
				out += '\\"';
				break;
			case '\n':
				out += '\\n';
				break;
			case '\r':
				out += '\\r';
				break;
			case '\t':
				out += '\\t';
				break;
			default: {
				const code = char.codePointAt(0) ?? 0;
				out += code < 0x20 || code === 0x7f ? `\\x${code.toString(16).padStart(2, '0')}` : char;
			}
		}
	}

	return `${out}"`;
}

function checkLabelName(label: string, context: string): string {
	if (!labelNamePattern.test(label)) {
		throw new KctopError({kind: 'config', source: 'config', message: `invalid label name ${JSON.stringify(label)} in ${context}`});
	}

	return label;
}

export function matcherToString(matcher: LabelMatcher, context = 'a selector'): string {
	return `${checkLabelName(matcher.label, context)}${matcher.op}${quotePromQLString(matcher.value)}`;
}

/** `name`, `name{a="x",b=~"y|z"}` or `{__name__=~"re",…}`; extra matchers are appended after the selector's own. */
export function selectorToString(selector: SeriesSelector, extraMatchers: readonly LabelMatcher[] = []): string {
	const own = selector.matchers ?? [];
	if (selector.nameRegex === true) {
		const matchers = [{label: '__name__', op: '=~', value: selector.name} as const, ...own, ...extraMatchers];
		return `{${matchers.map((matcher) => matcherToString(matcher, selector.name)).join(',')}}`;
	}

	if (!metricNamePattern.test(selector.name)) {
		throw new KctopError({kind: 'config', source: 'config', message: `invalid metric name ${JSON.stringify(selector.name)}`});
	}

	const matchers = [...own, ...extraMatchers];
	if (matchers.length === 0) {
		return selector.name;
	}

	return `${selector.name}{${matchers.map((matcher) => matcherToString(matcher, selector.name)).join(',')}}`;
}

/** Wraps a vector expression in one `label_replace` per relabel step. */
export function relabelToString(vector: string, relabel: readonly Relabel[] = []): string {
	let out = vector;
	for (const step of relabel) {
		checkLabelName(step.target, 'a relabel target');
		checkLabelName(step.source, 'a relabel source');
		out = `label_replace(${out}, ${quotePromQLString(step.target)}, ${quotePromQLString(step.replacement ?? '$1')}, ${quotePromQLString(step.source)}, ${quotePromQLString(step.regex)})`;
	}

	return out;
}

/**
 * Expressions joined by `or`, grouped as a balanced tree: `(a or b) or (c or d)`. Prometheus
 * evaluates `x or y` in time proportional to the rows of both sides, and `or` groups to the
 * left, so in a chain `a or b or … or z` the rows of the first parts are handled again at
 * every later `or`: quadratic in the number of parts when each has many rows, as the
 * batched query's parts have (one per logical metric, a thousand rows each at a thousand
 * connectors). Balanced, each row is handled about log2(parts) times. The answer is the
 * chain's, rows in the same order: `or` keeps its left side and adds the right side's rows
 * whose label sets are new, which does not depend on the grouping.
 */
export function joinOr(parts: readonly string[]): string {
	if (parts.length <= 2) return parts.join(' or ');
	const half = Math.ceil(parts.length / 2);
	const group = (side: readonly string[]): string => (side.length === 1 ? (side[0] ?? '') : `(${joinOr(side)})`);
	return `${group(parts.slice(0, half))} or ${group(parts.slice(half))}`;
}

export function toPromQL(definition: MetricDefinition, options: PromQLOptions): string {
	if (definition.series.length === 0) {
		throw new KctopError({kind: 'config', source: 'config', message: `metric ${definition.id} has no series`});
	}

	if (definition.transform === 'rate' && !durationPattern.test(options.rateWindow)) {
		throw new KctopError({kind: 'config', source: 'config', message: `invalid rate window ${JSON.stringify(options.rateWindow)} (expected a duration such as 1m)`});
	}

	const by = definition.by.map((label) => checkLabelName(label, definition.id)).join(', ');
	const extra = definition.id === 'workerUp' ? (options.upMatchers ?? []) : [];
	return definition.series
		.map((selector) => {
			const vector = selectorToString(selector, extra);
			const inner = relabelToString(definition.transform === 'rate' ? `rate(${vector}[${options.rateWindow}])` : vector, selector.relabel);
			return `${definition.aggregate} by (${by}) (${inner})`;
		})
		.join(' or ');
}
