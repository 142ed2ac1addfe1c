import type {PrometheusClient} from '../clients/prometheus/client.js';
import {KctopError, isKctopError, oneLine} from '../clients/errors.js';
import {detectProfile, namesFromPrometheus, resolvesConnect} from './detect.js';
import {toPromQL} from './promql.js';
import {candidatesOf, type MetricsFetch, type MetricsSource, type ProfileChoice} from './source.js';
import type {LabelMatcher, LogicalMetricId, MetricDefinition, MetricHistory, MetricResults, NamingProfile, ProfileMatch, RangeSeries, Sample} from './types.js';
import {logicalMetricIds} from './types.js';

/** The metrics whose history feeds sparklines and charts (one query_range each at start-up). */
export const historyMetricIds = ['dbzMsBehindSource', 'sinkLag', 'recordRate', 'dbzEventsRate', 'recordErrors', 'recordFailures', 'dlqWrites'] as const satisfies readonly LogicalMetricId[];

export interface PrometheusSourceOptions {
	readonly client: PrometheusClient;
	/** A forced profile, or the candidates to detect among (one label-values call). */
	readonly profile: ProfileChoice;
	/** Range of rate(), e.g. `1m` (at least 4 scrape intervals is the usual advice). */
	readonly rateWindow: string;
	/** Extra matchers on the workerUp selector, e.g. job=~".*connect.*". */
	readonly upMatchers?: readonly LabelMatcher[];
	/** For the header; defaults to "Prometheus <url>". */
	readonly description?: string;
}

interface CompiledQuery {
	readonly id: LogicalMetricId;
	readonly promql: string;
}

function toKctopError(error: unknown): KctopError {
	if (isKctopError(error)) {
		return error;
	}

	const message = error instanceof Error ? error.message : String(error);
	return new KctopError({kind: 'malformed', source: 'prometheus', message: `Prometheus query failed: ${message}`}, {cause: error});
}

/** The result labels without __name__; values were unquoted once, by the client. */
function withoutName(labels: Readonly<Record<string, string>>): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [label, value] of Object.entries(labels)) {
		if (label !== '__name__') {
			out[label] = value;
		}
	}

	return out;
}

function definitionsOf(profile: NamingProfile, ids: readonly LogicalMetricId[]): MetricDefinition[] {
	const out: MetricDefinition[] = [];
	for (const id of ids) {
		const definition = profile.metrics[id];
		if (definition !== undefined) {
			out.push(definition);
		}
	}

	return out;
}

interface Compiled {
	readonly match: ProfileMatch;
	readonly queries: readonly CompiledQuery[];
	readonly historyQueries: readonly CompiledQuery[];
}

/**
 * Reads the profile's logical metrics from Prometheus: one instant query per logical
 * metric, all in parallel, so a refresh costs the same number of queries whatever the
 * number of connectors. A failed query becomes a warning (that metric is absent from
 * the results); when every query fails, `fetch` throws the first error.
 *
 * The profile: before the first query round, one label-values call restricted to the
 * candidates' series names scores every candidate (a forced profile is only scored) and
 * the best is used. Until the choice rests on Connect's own series, the next refresh
 * asks again (one more call), so a Prometheus that has not scraped the workers yet does
 * not pin a wrong profile. A label-values call that fails for good (an API that lacks it)
 * falls back to the first candidate, with a warning.
 */
export function createPrometheusSource(options: PrometheusSourceOptions): MetricsSource {
	const {client} = options;
	const candidates = candidatesOf(options.profile);
	const promqlOptions = {rateWindow: options.rateWindow, upMatchers: options.upMatchers ?? []};
	const queriesOf = (profile: NamingProfile): CompiledQuery[] =>
		definitionsOf(profile, logicalMetricIds).map((definition) => ({id: definition.id, promql: toPromQL(definition, promqlOptions)}));
	// Every candidate's queries once up front: a bad profile or rate window fails at start-up, not on a refresh.
	const compiled = new Map(candidates.map((candidate) => [candidate, queriesOf(candidate)]));
	const compile = (match: ProfileMatch): Compiled => {
		const queries = compiled.get(match.profile) ?? queriesOf(match.profile);
		return {match, queries, historyQueries: queries.filter((query) => historyMetricIds.some((id) => id === query.id))};
	};

	let current: Compiled | undefined;
	let detecting: Promise<Compiled> | undefined;
	let detectionWarning: string | undefined;
	const detect = async (signal?: AbortSignal): Promise<Compiled> => {
		try {
			const names = await namesFromPrometheus(client, candidates, signal);
			detectionWarning = undefined;
			current = compile(detectProfile(names, candidates));
		} catch (error) {
			const kctopError = toKctopError(error);
			if (kctopError.isRetryable && current === undefined) {
				throw kctopError;
			}

			detectionWarning = oneLine(`profile detection failed: ${kctopError.message}`);
			current ??= compile(detectProfile(new Set(), candidates.slice(0, 1)));
		}

		return current;
	};

	const ready = async (signal?: AbortSignal): Promise<Compiled> => {
		if (current !== undefined && resolvesConnect(current.match)) {
			return current;
		}

		// fetch and fetchHistory of the first refresh share one detection call.
		detecting ??= detect(signal).finally(() => {
			detecting = undefined;
		});
		return detecting;
	};

	return {
		kind: 'prometheus',
		description: options.description ?? `Prometheus ${client.url}`,

		async fetch(now: number, signal?: AbortSignal): Promise<MetricsFetch> {
			const {queries, match} = await ready(signal);
			const settled = await Promise.allSettled(queries.map(async (query) => client.query(query.promql, {time: now, signal})));
			const results = new Map<LogicalMetricId, readonly Sample[]>();
			const warnings = new Set<string>(detectionWarning === undefined ? [] : [detectionWarning]);
			const empty: LogicalMetricId[] = [];
			let firstError: KctopError | undefined;
			settled.forEach((outcome, index) => {
				const query = queries[index];
				if (query === undefined) {
					return;
				}

				if (outcome.status === 'rejected') {
					const error = toKctopError(outcome.reason);
					firstError ??= error;
					warnings.add(oneLine(`${query.id}: ${error.message}`));
					return;
				}

				for (const warning of outcome.value.warnings) {
					warnings.add(oneLine(warning));
				}

				const samples = outcome.value.samples.map((sample) => ({labels: withoutName(sample.labels), value: sample.value}));
				results.set(query.id, samples);
				if (samples.length === 0) {
					empty.push(query.id);
				}
			});

			if (firstError !== undefined && results.size === 0) {
				throw firstError;
			}

			const metricResults: MetricResults = results;
			return {results: metricResults, warnings: [...warnings], empty, endpoint: client.url, profile: match};
		},

		async fetchHistory(now: number, windowMs: number, stepMs: number, signal?: AbortSignal): Promise<MetricHistory> {
			const {historyQueries} = await ready(signal);
			const start = now - windowMs;
			const settled = await Promise.allSettled(
				historyQueries.map(async (query) => client.queryRange(query.promql, {start, end: now, stepMs, signal})),
			);
			const history = new Map<LogicalMetricId, readonly RangeSeries[]>();
			let firstError: KctopError | undefined;
			settled.forEach((outcome, index) => {
				const query = historyQueries[index];
				if (query === undefined) {
					return;
				}

				if (outcome.status === 'rejected') {
					firstError ??= toKctopError(outcome.reason);
					return;
				}

				history.set(
					query.id,
					outcome.value.series.map((series) => ({labels: withoutName(series.labels), points: series.points})),
				);
			});

			if (firstError !== undefined && history.size === 0) {
				throw firstError;
			}

			return history;
		},

		async close(): Promise<void> {
			await client.close();
		},
	};
}
