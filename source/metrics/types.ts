/**
 * The catalog of logical metrics kctop reads, and the naming profile that maps each
 * one to series names and labels. A profile is data: PromQL (Prometheus mode) and the
 * local evaluator (direct-scrape mode) are both generated from it, so the two modes
 * read exactly the same series.
 */

export const logicalMetricIds = [
	'workerUp', // per worker target: 1 up, 0 down (Prometheus `up`; scrape mode: endpoint answered)
	'workerConnectorCount', // per worker: connectors it runs
	'workerTaskCount', // per worker: tasks it runs
	'workerRebalancing', // per worker: 1 while a rebalance is under way
	'connectorStatus', // per connector and status label: 1 for the current status (keeps `instance`: worker pairing)
	'taskStatus', // per connector, task and status label: 1 for the current status (keeps `instance`: worker pairing)
	'dbzConnected', // per Debezium server (topic.prefix): 1 connected, 0 not
	'dbzMsBehindSource', // per Debezium server: MilliSecondsBehindSource (−1 before the first event)
	'dbzMsSinceLastEvent', // per Debezium server: MilliSecondsSinceLastEvent (−1 before the first event)
	'dbzEventsRate', // per Debezium server: events seen per second
	'dbzErroneousEvents', // per Debezium server: NumberOfErroneousEvents (total)
	'dbzSnapshotRunning', // per Debezium server: 1 while the snapshot runs
	'dbzSnapshotTablesTotal', // per Debezium server: TotalTableCount of the snapshot
	'dbzSnapshotTablesRemaining', // per Debezium server: RemainingTableCount of the snapshot
	'dbzQueueRemaining', // per Debezium server: QueueRemainingCapacity (streaming)
	'dbzQueueTotal', // per Debezium server: QueueTotalCapacity (streaming)
	'dbzSnapshotRows', // per Debezium server: TotalNumberOfEventsSeen of the snapshot (rows read so far)
	'recordRate', // per connector: source records written / sink records read per second
	'recordErrors', // per connector: total-record-errors (total)
	'recordFailures', // per connector: total-record-failures (total)
	'dlqWrites', // per connector: deadletterqueue-produce-requests (total)
	'sinkLag', // per connector: consumer records-lag-max (records)
	'sinkOffsetCommits', // per sink connector: offset-commit-completion-total summed over its tasks (total)
	'taskRunningRatio', // per connector, task and instance: running-ratio (worker pairing where no status string is exported)
] as const;

export type LogicalMetricId = (typeof logicalMetricIds)[number];

/** Snapshot progress (tables, rows), queue fill, sink offset commits and task running-ratio: read where present, not counted in a profile's score. */
const detailMetricIds: ReadonlySet<LogicalMetricId> = new Set(['dbzSnapshotTablesTotal', 'dbzSnapshotTablesRemaining', 'dbzQueueRemaining', 'dbzQueueTotal', 'dbzSnapshotRows', 'sinkOffsetCommits', 'taskRunningRatio']);

/** The 17 metrics a profile is scored on ("N/17 metrics" in the header and in -o json). */
export const scoredMetricIds: readonly LogicalMetricId[] = logicalMetricIds.filter(id => !detailMetricIds.has(id));

export type LabelMatcherOp = '=' | '!=' | '=~' | '!~';

export interface LabelMatcher {
	readonly label: string;
	readonly op: LabelMatcherOp;
	/** For =~ and !~ a regular expression, fully anchored as in PromQL. */
	readonly value: string;
}

/**
 * PromQL `label_replace(v, target, replacement, source, regex)`: when `regex` (fully
 * anchored) matches the value of `source`, `target` is set to `replacement` with `$1`…
 * expanded; otherwise the series is left as it is. Profiles use it to give every
 * alternative the same label names (`connector` from a consumer `client_id`, `server` from
 * debezium-examples' `name`, `plugin` from a catch-all metric name).
 */
export interface Relabel {
	readonly target: string;
	readonly source: string;
	readonly regex: string;
	/** Default `$1`. */
	readonly replacement?: string;
}

export interface SeriesSelector {
	/** The metric name, or with `nameRegex` a PromQL regular expression over names (`{__name__=~"…"}`). */
	readonly name: string;
	readonly nameRegex?: boolean;
	/** With `nameRegex`: the names the regex stands for, where a profile knows them (sample times need one plain selector per name). */
	readonly names?: readonly string[];
	readonly matchers?: readonly LabelMatcher[];
	/**
	 * Applied in order, after `rate()` for rate metrics. `__name__` is a valid source
	 * only for `transform: 'value'` metrics (rate() drops the name, as in PromQL).
	 */
	readonly relabel?: readonly Relabel[];
}

export interface MetricDefinition {
	readonly id: LogicalMetricId;
	/** What one result row identifies, and so which of the profile's labels `by` names. */
	readonly entity: 'worker' | 'connector' | 'task' | 'dbz-server';
	/** Alternatives, tried in order: PromQL joins them with `or`; scrape mode takes, per group, the first that has data. */
	readonly series: readonly SeriesSelector[];
	/** counter: only goes up (resets on restart); gauge: anything. */
	readonly kind: 'gauge' | 'counter';
	/** value: the sample as it is; rate: per-second increase over the rate window (counters only). */
	readonly transform: 'value' | 'rate';
	readonly aggregate: 'sum' | 'max' | 'min';
	/** Labels the result keeps (PromQL `by (...)`); every other label is aggregated away. */
	readonly by: readonly string[];
}

export interface ProfileLabels {
	/** Connect connector name on Connect metrics. */
	readonly connector: string;
	readonly task: string;
	/** Status label value on connectorStatus / taskStatus (lower case `running`, `failed`…). */
	readonly status: string;
	/** Debezium logical server name (= the connector's topic.prefix). */
	readonly server: string;
	/** Prometheus target label. */
	readonly instance: string;
	/** Optional target label carrying the REST worker_id (host:port); joins are exact when present. */
	readonly workerId: string;
}

export interface NamingProfile {
	readonly name: string;
	readonly description: string;
	readonly labels: ProfileLabels;
	/** A metric the profile's exporter rules do not produce is absent: kctop shows n/a, never a wrong number. */
	readonly metrics: Readonly<Partial<Record<LogicalMetricId, MetricDefinition>>>;
	/** Other names this profile answers to on the command line (`default` for `kctop`). */
	readonly aliases?: readonly string[];
}

/** A logical metric a profile cannot fill from the names present, and what would produce it. */
export interface MissingMetric {
	readonly metric: LogicalMetricId;
	/** The series the profile reads for it first (`-` when the profile has none). */
	readonly series: string;
	/** The MBean attribute behind it and what kind of exporter rule exports it. */
	readonly rule: string;
}

/** What the snapshot and `-o json` say about the profile in use. */
export interface ProfileSummary {
	/** true: chosen by detection; false: forced. */
	readonly detected: boolean;
	readonly resolved: number;
	readonly total: number;
	readonly missing: readonly MissingMetric[];
}

/** How well a profile fits the series names an exporter publishes. */
export interface ProfileMatch {
	readonly profile: NamingProfile;
	/** true: chosen by detection; false: forced with --profile / --profile-file. */
	readonly detected: boolean;
	/** Logical metrics at least one of whose series names is present. */
	readonly resolved: readonly LogicalMetricId[];
	readonly missing: readonly MissingMetric[];
	/** Out of how many (the scored metrics: 17). */
	readonly total: number;
}

/** One result row of a logical metric: the kept labels (quotes stripped) and a number (may be NaN, ±Inf). */
export interface Sample {
	readonly labels: Readonly<Record<string, string>>;
	readonly value: number;
	/** Set only when the newest sample behind the row is older than the staleness limit: its age in ms at the query time. */
	readonly ageMs?: number;
}

/**
 * One series of a range result: its points as two typed arrays of the same length, built once
 * from the answer (at 1,009 connectors a start-up answer holds about 855k points: as arrays of
 * [time, value] they were as many small objects on the heap).
 */
export interface RangeSeries {
	readonly labels: Readonly<Record<string, string>>;
	/** Sample times, unix milliseconds, in the answer's order (ascending). */
	readonly times: Float64Array;
	/** The value at each time (may be NaN, ±Inf). */
	readonly values: Float64Array;
	/**
	 * The step of the range query the series came from, when it is longer than the refresh
	 * interval (kctop asks at the scrape interval, not finer): each point stands for the
	 * history slots up to the next point, at most this long.
	 */
	readonly stepMs?: number;
}

export type MetricResults = ReadonlyMap<LogicalMetricId, readonly Sample[]>;
export type MetricHistory = ReadonlyMap<LogicalMetricId, readonly RangeSeries[]>;
