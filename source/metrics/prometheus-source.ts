import type {PrometheusClient, ScrapeTarget} from '../clients/prometheus/client.js';
import {KctopError, isKctopError, oneLine} from '../clients/errors.js';
import {detectProfile, namesFromPrometheus, resolvesConnect} from './detect.js';
import {applyRelabel, compilePromRegex} from './evaluate-samples.js';
import {settle} from '../model/settle.js';
import {joinOr, relabelToString, selectorToString, toPromQL} from './promql.js';
import {candidatesOf, type MetricsFetch, type MetricsSource, type ProfileChoice, type StaleSamples} from './source.js';
import type {LabelMatcher, LogicalMetricId, MetricDefinition, MetricHistory, MetricResults, NamingProfile, ProfileMatch, RangeSeries, Sample, SeriesSelector} from './types.js';
import {logicalMetricIds} from './types.js';

/** The metrics whose history feeds sparklines and charts (one query_range each at start-up). */
export const historyMetricIds = ['dbzMsBehindSource', 'sinkLag', 'recordRate', 'dbzEventsRate', 'recordErrors', 'recordFailures', 'dlqWrites', 'sinkOffsetCommits'] as const satisfies readonly LogicalMetricId[];

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
	/** One batched query per refresh (default) or one per logical metric. */
	readonly batch?: boolean;
	/**
	 * Samples older than this are stale (shown with their age, never taken as current).
	 * Default: twice the longest scrape interval of Prometheus's active targets (read once, at
	 * start, from /api/v1/targets), or twice Prometheus's default of 1m when that API is missing.
	 */
	readonly staleAfterMs?: number;
	/** A monotonic clock in ms (default performance.now): how long an answer took, for the clock check. */
	readonly monotonicNow?: () => number;
}

interface CompiledQuery {
	readonly id: LogicalMetricId;
	readonly promql: string;
	/** The newest sample time per result row (`min by (…) (timestamp(…))`), for the metrics whose age matters. */
	readonly timestampPromql?: string | undefined;
}

/** The metrics whose sample times are asked for in the batched query: the ones the grid, the health and `check` read. */
export const freshnessMetricIds = ['workerConnectorCount', 'workerTaskCount', 'connectorStatus', 'taskStatus', 'dbzConnected', 'dbzMsBehindSource', 'dbzMsSinceLastEvent', 'dbzSnapshotRunning', 'sinkLag', 'recordRate', 'dbzEventsRate'] as const satisfies readonly LogicalMetricId[];

/** A difference between this host's clock and Prometheus's that is taken as skew (the Date header has whole seconds). */
export const clockSkewToleranceMs = 10_000;

/** Prometheus's default scrape_interval, assumed when the targets API does not say. */
export const defaultScrapeIntervalMs = 60_000;

/**
 * The sample time of a metric's rows: per alternative, the time of the OLDEST sample behind
 * each result row (`min by`), so a row built from one stale series is stale. timestamp()
 * needs a plain selector to return sample times (on anything else it returns the evaluation
 * time), and it drops `__name__`: see sampleTimeVector for name regexes and relabelling from
 * the name. Alternatives it cannot time have rows without a time (never marked stale).
 */
export function timestampPromQL(definition: MetricDefinition): string | undefined {
	const by = definition.by.join(', ');
	const parts = definition.series.flatMap((selector) => {
		const vector = sampleTimeVector(selector);
		return vector === undefined ? [] : [`min by (${by}) (${vector})`];
	});
	return parts.length === 0 ? undefined : parts.join(' or ');
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

/** The label that tags each logical metric's rows inside the one batched query. */
export const metricTagLabel = 'kctop_metric';

/**
 * Every logical metric in one PromQL expression: each query's rows tagged with its id by
 * label_replace, joined by `or` (the tag keeps the label sets of different metrics apart,
 * so `or` drops nothing) in a balanced tree (joinOr: a chain costs Prometheus time quadratic
 * in the parts). One request per refresh whatever the number of metrics.
 *
 * With `staleAfterMs`, the sample times of the metrics whose age matters come too, but only
 * the rows older than that at the query's evaluation time (`… < time() - seconds`): a fresh
 * row needs no time (markStale leaves rows without one as they are), and at a thousand
 * connectors the times of every row were a third of the answer.
 */
export function batchedPromQL(queries: readonly CompiledQuery[], staleAfterMs?: number): string {
	const tag = (promql: string, value: string): string => `label_replace(${promql}, "${metricTagLabel}", "${value}", "", "")`;
	const parts = queries.map((query) => tag(query.promql, query.id));
	if (staleAfterMs !== undefined) {
		for (const query of queries) {
			const old = oldSampleTimesPromQL(query, staleAfterMs);
			if (old !== undefined) parts.push(tag(old, `${query.id}${timestampTagSuffix}`));
		}
	}
	return joinOr(parts);
}

/** The sample times of a metric's rows older than `staleAfterMs` at the query's evaluation time; undefined for a metric whose age is not checked. */
export function oldSampleTimesPromQL(query: CompiledQuery, staleAfterMs: number): string | undefined {
	return query.timestampPromql === undefined ? undefined : `(${query.timestampPromql}) < (time() - ${staleAfterMs / 1000})`;
}

/** The tag of a metric's sample-time rows in the batched query: `dbzConnected:at`. */
export const timestampTagSuffix = ':at';

/**
 * Marks the rows whose newest sample is older than `limitMs` at `now` with their age
 * (`ageMs`); `times` holds, per metric, rows of the same labels whose value is the sample
 * time in unix seconds. Rows without a time are left as they are. Pure.
 */
export function markStale(
	results: ReadonlyMap<LogicalMetricId, readonly Sample[]>,
	times: ReadonlyMap<LogicalMetricId, readonly Sample[]>,
	now: number,
	limitMs: number,
): {readonly results: Map<LogicalMetricId, readonly Sample[]>; readonly stale: StaleSamples | undefined} {
	const out = new Map<LogicalMetricId, readonly Sample[]>();
	let rows = 0;
	let oldestMs = 0;
	for (const [id, samples] of results) {
		const at = new Map((times.get(id) ?? []).map((row) => [labelsKey(row.labels), row.value]));
		let marked: Sample[] | undefined;
		for (let index = 0; index < samples.length; index++) {
			const sample = samples[index];
			if (sample === undefined) continue;
			const seconds = at.size === 0 ? undefined : at.get(labelsKey(sample.labels));
			if (seconds === undefined || !Number.isFinite(seconds)) continue;
			const ageMs = Math.max(0, now - Math.round(seconds * 1000));
			if (ageMs <= limitMs) continue;
			rows += 1;
			oldestMs = Math.max(oldestMs, ageMs);
			marked ??= samples.slice();
			marked[index] = {...sample, ageMs};
		}
		// Nothing old: the list itself, so what the model derived from it last time still holds.
		out.set(id, marked ?? samples);
	}
	return {results: out, stale: rows === 0 ? undefined : {rows, oldestMs, limitMs}};
}

/**
 * The identity of a label set (every label, sorted, each name and value prefixed with its
 * length, so no two sets share a key), by label record: the client hands out the records of
 * the last answer again (the vector reader, vector-text.ts), so most keys are made once.
 */
const labelsKeys = new WeakMap<Readonly<Record<string, string>>, string>();
function labelsKey(labels: Readonly<Record<string, string>>): string {
	let key = labelsKeys.get(labels);
	if (key === undefined) {
		const names = Object.keys(labels);
		if (names.length > 1) names.sort();
		key = '';
		for (const name of names) {
			const value = labels[name] ?? '';
			key += `${name.length}:${name}${value.length}:${value}`;
		}
		labelsKeys.set(labels, key);
	}
	return key;
}

/**
 * The sample times of one selector's series, relabelled as its values are. timestamp() is
 * applied to plain selectors only: a name regex is read name by name from the names its
 * profile lists (one timestamp() over the regex would drop `__name__` and fail on two names
 * with the same labels), and a relabel step that reads `__name__` becomes a constant label,
 * worked out here from the name. undefined: a name regex that lists no names.
 */
export function sampleTimeVector(selector: SeriesSelector): string | undefined {
	const names = selector.nameRegex === true ? (selector.names ?? []) : [selector.name];
	const parts = names.map((name) => {
		let vector = `timestamp(${selectorToString({name, ...(selector.matchers === undefined ? {} : {matchers: selector.matchers})})})`;
		for (const step of selector.relabel ?? []) {
			if (step.source !== '__name__') vector = relabelToString(vector, [step]);
			else if (compilePromRegex(step.regex).test(name)) vector = relabelToString(vector, [{target: step.target, source: step.target, regex: '.*', replacement: applyRelabel({__name__: name}, [step])[step.target] ?? ''}]);
		}
		return vector;
	});
	return parts.length === 0 ? undefined : parts.join(' or ');
}

/** The samples of a metric the answer has no row of: one list, the same every refresh. */
const noSamples: readonly Sample[] = [];

/** Logical metric ids by name, for the tags of a batched answer. */
const metricIdByName: ReadonlyMap<string, LogicalMetricId> = new Map(logicalMetricIds.map((id) => [id, id]));

/** The same items in the same order (by identity). */
function sameItems<U>(a: readonly U[], b: readonly U[]): boolean {
	if (a.length !== b.length) return false;
	for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
	return true;
}

/** A row's labels without the tag and `__name__`. */
function labelsWithoutTag(row: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
	const copy: Record<string, string> = {};
	// for-in, not Object.keys: no array of names per row (the client's label records are plain own-property objects).
	for (const label in row) {
		if (!Object.hasOwn(row, label)) continue;
		const value = row[label];
		if (label === '__name__' || label === metricTagLabel || value === undefined) continue;
		// A label named __proto__ must stay a plain property, never the prototype.
		if (label === '__proto__') Object.defineProperty(copy, label, {value, enumerable: true, writable: true, configurable: true});
		else copy[label] = value;
	}
	return copy;
}

/** The lists of a split answer by metric, values and sample-time rows (`id:at`) apart, and the list a tag names (made on its first row; undefined for rows to skip). */
function tagLists<U>(ids: ReadonlySet<string>): {readonly values: Map<LogicalMetricId, U[]>; readonly times: Map<LogicalMetricId, U[]>; readonly listOf: (tag: string) => U[] | undefined} {
	const values = new Map<LogicalMetricId, U[]>();
	const times = new Map<LogicalMetricId, U[]>();
	const listOf = (tag: string): U[] | undefined => {
		const isTime = tag.endsWith(timestampTagSuffix);
		const id = metricIdByName.get(isTime ? tag.slice(0, -timestampTagSuffix.length) : tag);
		if (id === undefined || !ids.has(id)) return undefined;
		const into = isTime ? times : values;
		let list = into.get(id);
		if (list === undefined) {
			list = [];
			into.set(id, list);
		}
		return list;
	};
	return {values, times, listOf};
}

/** Each metric's list, or the list `previous` handed out for it when that holds the same items in the same order. */
function keptLists<U>(values: ReadonlyMap<LogicalMetricId, readonly U[]>, previous: ReadonlyMap<LogicalMetricId, readonly U[]> | undefined): ReadonlyMap<LogicalMetricId, readonly U[]> {
	const out = new Map<LogicalMetricId, readonly U[]>();
	for (const [id, list] of values) {
		const before = previous?.get(id);
		out.set(id, before !== undefined && sameItems(before, list) ? before : list);
	}
	return out;
}

/**
 * The samples of a batched answer that the client read with the tag apart (`tags`, by
 * position; the labels hold neither the tag nor `__name__`), by the logical metric their tag
 * names, sample-time rows apart. The client hands out the very sample of the last answer for
 * a row that did not change, so nothing is copied here, and a metric whose samples are all
 * those `previous` handed out, in the same order, gets that list back.
 */
function splitTagged(
	samples: readonly Sample[],
	tags: readonly string[],
	ids: ReadonlySet<string>,
	previous: ReadonlyMap<LogicalMetricId, readonly Sample[]> | undefined,
): {readonly values: ReadonlyMap<LogicalMetricId, readonly Sample[]>; readonly times: ReadonlyMap<LogicalMetricId, readonly Sample[]>} {
	const {values, times, listOf} = tagLists<Sample>(ids);
	let runTag: string | undefined;
	let runList: Sample[] | undefined;
	for (let index = 0; index < samples.length; index++) {
		const sample = samples[index];
		const tag = tags[index] ?? '';
		if (tag !== runTag) {
			runTag = tag;
			runList = listOf(tag);
		}
		if (sample !== undefined) runList?.push(sample);
	}
	return {values: keptLists(values, previous), times};
}

/**
 * The series of a batched range answer, by the logical metric their tag names, sample-time
 * series (`id:at`) apart. Each series' labels are copied once, without the tag and `__name__`,
 * and handed to `make`. The series of one part of the `or` come one after another: the tag's
 * metric and list are looked up once per run of series with the same tag, not per series.
 */
function splitByTag<T extends {readonly labels: Readonly<Record<string, string>>}, U>(
	rows: readonly T[],
	ids: ReadonlySet<string>,
	make: (row: T, labels: Readonly<Record<string, string>>) => U,
): {readonly values: ReadonlyMap<LogicalMetricId, readonly U[]>; readonly times: ReadonlyMap<LogicalMetricId, readonly U[]>} {
	const {values, times, listOf} = tagLists<U>(ids);
	let runTag: string | undefined;
	let runList: U[] | undefined;
	for (const row of rows) {
		const tag = row.labels[metricTagLabel] ?? '';
		if (tag !== runTag) {
			runTag = tag;
			runList = listOf(tag);
		}
		runList?.push(make(row, labelsWithoutTag(row.labels)));
	}
	return {values, times};
}

/**
 * markStale over the metrics that have sample-time rows only (the batched query asks for the
 * stale ones alone, so on a healthy cluster there are none): the others' rows stay as they
 * are, which is what markStale does with rows without a time, without a pass over them.
 */
function markStaleWhereTimed(
	results: ReadonlyMap<LogicalMetricId, readonly Sample[]>,
	times: ReadonlyMap<LogicalMetricId, readonly Sample[]>,
	now: number,
	limitMs: number,
): {readonly results: ReadonlyMap<LogicalMetricId, readonly Sample[]>; readonly stale: StaleSamples | undefined} {
	if (times.size === 0) return {results, stale: undefined};
	const timed = new Map<LogicalMetricId, readonly Sample[]>();
	for (const id of times.keys()) timed.set(id, results.get(id) ?? []);
	const marked = markStale(timed, times, now, limitMs);
	const out = new Map(results);
	for (const [id, samples] of marked.results) if (results.has(id)) out.set(id, samples);
	return {results: out, stale: marked.stale};
}

/**
 * Reads the profile's logical metrics from Prometheus: ONE instant query carrying every
 * logical metric (batchedPromQL), and one range query for the history at start-up, so a
 * refresh costs one request whatever the number of metrics or connectors. When Prometheus
 * refuses the batch itself (a PromQL error in one part fails the whole expression), kctop
 * says so once and goes on with one query per logical metric, all in parallel: there a
 * failed query is a warning (that metric is absent); when every query fails, `fetch`
 * throws the first error.
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
		definitionsOf(profile, logicalMetricIds).map((definition) => ({
			id: definition.id,
			promql: toPromQL(definition, promqlOptions),
			timestampPromql: freshnessMetricIds.some((id) => id === definition.id) ? timestampPromQL(definition) : undefined,
		}));
	// Every candidate's queries once up front: a bad profile or rate window fails at start-up, not on a refresh.
	const compiled = new Map(candidates.map((candidate) => [candidate, queriesOf(candidate)]));
	/** The history queries of a compiled profile: the logical metrics sparklines draw. */
	const historyQueriesOf = (queries: readonly CompiledQuery[]): CompiledQuery[] => queries.filter((query) => historyMetricIds.some((id) => id === query.id));

	const compile = (match: ProfileMatch): Compiled => {
		const queries = compiled.get(match.profile) ?? queriesOf(match.profile);
		return {match, queries, historyQueries: historyQueriesOf(queries)};
	};

	let current: Compiled | undefined;
	/** The last batched answer's query and lists by metric: the next answer to the same query hands back the lists that did not change (splitTagged). */
	let lastRows: {readonly query: string; readonly values: ReadonlyMap<LogicalMetricId, readonly Sample[]>} | undefined;
	/** One query per refresh until Prometheus refuses the batched expression. */
	let batching = options.batch ?? true;
	let batchWarning: string | undefined;
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

	// How far Prometheus's clock is ahead of this host's (0 until an answer shows a skew over
	// clockSkewToleranceMs). Queries are asked at Prometheus's time, and sample ages are
	// measured against it: a bastion whose clock is minutes off would otherwise read old
	// values as current (behind) or see everything stale (ahead).
	let clockOffsetMs = 0;
	let skewWarning: string | undefined;
	const monotonicNow = options.monotonicNow ?? (() => performance.now());
	/**
	 * Prometheus wrote its Date header (whole seconds, up to 1 s early) between the query's
	 * sending (`sentAt`) and its answer's arrival (`tookMs` later). Only a header outside that
	 * span, by more than the tolerance, is skew: a slow answer is not. Against the query's
	 * start alone, a Prometheus taking 30 s to answer read as a host clock 30 s behind, and the
	 * next queries were asked 30 s in Prometheus's future, where every sample looked stale.
	 */
	const learnClock = (sentAt: number, tookMs: number, serverTime: number | undefined): number => {
		if (serverTime === undefined) return sentAt + clockOffsetMs;
		const afterAnswer = serverTime - (sentAt + Math.max(0, tookMs));
		const beforeQuery = serverTime - sentAt;
		clockOffsetMs = afterAnswer > clockSkewToleranceMs ? afterAnswer : beforeQuery < -clockSkewToleranceMs ? beforeQuery : 0;
		skewWarning = clockOffsetMs === 0 ? undefined : `this host's clock is ${Math.round(Math.abs(clockOffsetMs) / 1000)} s ${clockOffsetMs > 0 ? 'behind' : 'ahead of'} Prometheus's: Prometheus's time is used`;
		return sentAt + clockOffsetMs;
	};

	/** What the targets API said, once it answered (or is known to be missing). */
	interface Learned {
		/** Twice the longest scrape interval of the active targets, or twice Prometheus's default 1m. */
		readonly staleAfterMs: number;
		/** The shortest scrape interval of the workers' targets (the job upMatchers names). */
		readonly workerScrapeMs: number | undefined;
	}
	const jobMatcher = options.upMatchers?.find((matcher) => matcher.label === 'job' && matcher.op === '=~');
	const jobPattern = jobMatcher === undefined ? undefined : compilePromRegex(jobMatcher.value);
	const unknownTargets: Learned = {staleAfterMs: 2 * defaultScrapeIntervalMs, workerScrapeMs: undefined};
	let learning: Promise<Learned> | undefined;
	/** Once, at start (the fetch and the start-up range query share the one call); a retryable failure is asked again next time. */
	const learnTargets = async (signal?: AbortSignal): Promise<Learned> => {
		learning ??= (async () => {
			let targets: readonly ScrapeTarget[];
			try {
				targets = (await client.targets?.({...(signal === undefined ? {} : {signal})})) ?? [];
			} catch (error) {
				if (toKctopError(error).isRetryable) {
					learning = undefined;
					return unknownTargets;
				}
				targets = [];
			}
			const longest = Math.max(0, ...targets.map((target) => target.scrapeIntervalMs ?? 0));
			const workers = targets.filter((target) => jobPattern === undefined || jobPattern.test(target.labels.job ?? ''));
			const shortest = Math.min(...workers.map((target) => target.scrapeIntervalMs ?? Number.POSITIVE_INFINITY));
			return {staleAfterMs: longest > 0 ? 2 * longest : unknownTargets.staleAfterMs, workerScrapeMs: Number.isFinite(shortest) && shortest > 0 ? shortest : undefined};
		})();
		return learning;
	};
	const learnStaleness = async (signal?: AbortSignal): Promise<number> => options.staleAfterMs ?? (await learnTargets(signal)).staleAfterMs;
	/**
	 * The step of the start-up range query: the refresh interval, or the workers' scrape
	 * interval when that is longer. Points between two scrapes only repeat the last one, and
	 * each step costs Prometheus an evaluation of every history series: at 1,009 connectors,
	 * 2 s steps over 5 minutes took it 14.6 s, past kctop's request timeout.
	 */
	const historyStep = async (stepMs: number, signal?: AbortSignal): Promise<number> => Math.max(stepMs, (await learnTargets(signal)).workerScrapeMs ?? stepMs);

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

	/** One range query over the window carrying every history metric (or, once Prometheus refused that, one per metric). */
	const rangeHistory = async (historyQueries: readonly CompiledQuery[], now: number, windowMs: number, refreshStepMs: number, signal?: AbortSignal): Promise<MetricHistory> => {
		const start = now - windowMs;
		const stepMs = await historyStep(refreshStepMs, signal);
		const held = stepMs > refreshStepMs ? {stepMs} : {};
		if (batching && historyQueries.length > 1) {
			try {
				const answer = await client.queryRange(batchedPromQL(historyQueries), {start, end: now, stepMs, signal});
				const byId = splitByTag(answer.series, new Set(historyQueries.map((query) => query.id)), (series, labels): RangeSeries => ({labels, times: series.times, values: series.values, ...held})).values;
				const history = new Map<LogicalMetricId, readonly RangeSeries[]>();
				for (const query of historyQueries) history.set(query.id, byId.get(query.id) ?? []);
				return history;
			} catch (error) {
				const kctopError = toKctopError(error);
				if (kctopError.isRetryable) throw kctopError;
				batching = false;
				batchWarning = oneLine(`one query per metric from now on: Prometheus refused the batched query (${kctopError.message})`);
			}
		}

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
				outcome.value.series.map((series) => ({labels: withoutName(series.labels), times: series.times, values: series.values, ...held})),
			);
		});

		if (firstError !== undefined && history.size === 0) {
			throw firstError;
		}

		return history;
	};

	return {
		kind: 'prometheus',
		description: options.description ?? `Prometheus ${client.url}`,

		async fetch(now: number, signal?: AbortSignal): Promise<MetricsFetch> {
			const [{queries, match}, limit] = await Promise.all([ready(signal), learnStaleness(signal)]);
			if (batching && queries.length > 1) {
				try {
					const batchedQuery = batchedPromQL(queries, limit);
					const asked = monotonicNow();
					const answer = await client.query(batchedQuery, {time: now + clockOffsetMs, signal, tagLabel: metricTagLabel});
					const serverNow = learnClock(now, monotonicNow() - asked, answer.serverTime);
					const ids = new Set(queries.map((query) => query.id));
					const before = lastRows?.query === batchedQuery ? lastRows : undefined;
					// The client returns the tag apart when asked (PrometheusClient.query).
					if (answer.tags === undefined) throw new KctopError({kind: 'malformed', source: 'prometheus', message: 'the Prometheus client returned the batched answer without its tags'});
					const {values, times} = splitTagged(answer.samples, answer.tags, ids, before?.values);
					lastRows = {query: batchedQuery, values};
					const results = new Map<LogicalMetricId, readonly Sample[]>();
					const empty: LogicalMetricId[] = [];
					for (const query of queries) {
						const samples = values.get(query.id) ?? noSamples;
						results.set(query.id, samples);
						if (samples.length === 0) empty.push(query.id);
					}

					const marked = markStaleWhereTimed(results, times, serverNow, limit);
					const warnings = [...new Set([...(detectionWarning === undefined ? [] : [detectionWarning]), ...(skewWarning === undefined ? [] : [skewWarning]), ...answer.warnings.map((warning) => oneLine(warning))])];
					return {results: marked.results, warnings, empty, endpoint: client.url, profile: match, ...(marked.stale === undefined ? {} : {stale: marked.stale})};
				} catch (error) {
					const kctopError = toKctopError(error);
					if (kctopError.isRetryable) throw kctopError;
					// The expression itself was refused: stop batching, and read metric by metric from now on.
					batching = false;
					batchWarning = oneLine(`one query per metric from now on: Prometheus refused the batched query (${kctopError.message})`);
				}
			}

			// Metric by metric, the old rows' sample times come in queries of their own (one per
			// metric whose age is checked), so values are age-checked here too.
			const timed = queries.flatMap((query) => {
				const promql = oldSampleTimesPromQL(query, limit);
				return promql === undefined ? [] : [{id: query.id, promql}];
			});
			const asked = monotonicNow();
			const [settled, timeSettled] = await Promise.all([
				Promise.allSettled(queries.map(async (query) => client.query(query.promql, {time: now + clockOffsetMs, signal}))),
				Promise.allSettled(timed.map(async ({promql}) => client.query(promql, {time: now + clockOffsetMs, signal}))),
			]);
			const plainSamples = (samples: readonly Sample[]): Sample[] => samples.map((sample) => ({labels: withoutName(sample.labels), value: sample.value}));
			const times = new Map<LogicalMetricId, readonly Sample[]>();
			timeSettled.forEach((outcome, index) => {
				const query = timed[index];
				if (query !== undefined && outcome.status === 'fulfilled' && outcome.value.samples.length > 0) times.set(query.id, plainSamples(outcome.value.samples));
			});
			const results = new Map<LogicalMetricId, readonly Sample[]>();
			const warnings = new Set<string>([...(detectionWarning === undefined ? [] : [detectionWarning]), ...(batchWarning === undefined ? [] : [batchWarning])]);
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

				const samples = plainSamples(outcome.value.samples);
				results.set(query.id, samples);
				if (samples.length === 0) {
					empty.push(query.id);
				}
			});

			const answered = settled.find((outcome) => outcome.status === 'fulfilled');
			const serverNow = answered?.status === 'fulfilled' ? learnClock(now, monotonicNow() - asked, answered.value.serverTime) : now + clockOffsetMs;
			if (skewWarning !== undefined) warnings.add(skewWarning);
			if (firstError !== undefined && results.size === 0) {
				throw firstError;
			}

			const marked = markStaleWhereTimed(results, times, serverNow, limit);
			return {results: marked.results, warnings: [...warnings], empty, endpoint: client.url, profile: match, ...(marked.stale === undefined ? {} : {stale: marked.stale})};
		},

		async fetchHistory(now: number, windowMs: number, stepMs: number, signal?: AbortSignal): Promise<MetricHistory> {
			if (current !== undefined && resolvesConnect(current.match)) return rangeHistory(current.historyQueries, now, windowMs, stepMs, signal);
			// At start-up the range query does not wait for detection: it asks with the first
			// candidate's names (the built-in profile, or the forced one) beside the detection
			// call, and asks again only when detection picks another profile.
			const [guess] = candidates;
			const guessed = guess === undefined ? undefined : settle(rangeHistory(historyQueriesOf(compiled.get(guess) ?? queriesOf(guess)), now, windowMs, stepMs, signal));
			const {match, historyQueries} = await ready(signal);
			const early = await guessed;
			if (early !== undefined && match.profile === guess) {
				if (early.status === 'rejected') throw early.reason;
				return early.value;
			}
			return rangeHistory(historyQueries, now, windowMs, stepMs, signal);
		},

		async close(): Promise<void> {
			await client.close();
		},
	};
}
