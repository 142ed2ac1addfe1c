import type {ProfileSummary} from '../metrics/types.js';
/**
 * The immutable picture of the cluster that one refresh produces. Built by pure
 * functions in model/ from raw REST and metric results; read by the UI and by
 * `--once`/`-o json`. Strings here are as the cluster sent them: the UI makes them
 * safe to print (see ui/text.ts), JSON output keeps them exact.
 */

import type {Hint} from './hints.js';
import type {Severity} from './severity.js';
import type {SinkVerdict} from './sink-verdict.js';
import type {RootCause} from './trace.js';

export type HealthLevel = 'ok' | 'warn' | 'crit';

/** REST states plus what kctop infers when REST cannot tell. */
export type State = 'RUNNING' | 'PAUSED' | 'STOPPED' | 'FAILED' | 'UNASSIGNED' | 'RESTARTING' | 'DESTROYED' | 'UNKNOWN' | (string & {});

export interface SourceHealth {
	readonly source: 'rest' | 'prometheus' | 'scrape';
	/** false when no answer has ever been received. */
	readonly everSucceeded: boolean;
	/** true when the last attempt failed and the data shown is the last good one. */
	readonly stale: boolean;
	readonly lastSuccessAt: number | undefined;
	readonly lastAttemptAt: number | undefined;
	/** One line: why the last attempt failed (already free of control characters). */
	readonly lastError: string | undefined;
	/** Which endpoint answered last (Connect fails over between workers). */
	readonly endpoint: string | undefined;
	/** Prometheus warnings or partial-data notes from the last answer. */
	readonly warnings: readonly string[];
	/** The last answer carried samples older than twice the scrape interval: how many rows, the oldest age (at the answer) and the limit, in ms. */
	readonly staleSamples?: {readonly rows: number; readonly oldestMs: number; readonly limitMs: number} | undefined;
	readonly consecutiveFailures: number;
	/** The live view: a metrics request sent at this clock time is still out, past the time a refresh waits for it (StoreOptions.metricsWait). */
	readonly pendingSince?: number | undefined;
}

export interface TaskRow {
	readonly id: number;
	readonly state: State;
	readonly workerId: string | undefined;
	/** true when `workerId` is only where the task ran last (it is UNASSIGNED now). */
	readonly workerLastKnown: boolean;
	readonly trace: string | undefined;
	/** The first line of the trace, for the task table. */
	readonly traceHead: string | undefined;
	/** The deepest `Caused by:` of the trace (model/trace.ts). */
	readonly cause: RootCause | undefined;
	/** One line naming the setting or command to look at, for well-known failures (model/hints.ts). */
	readonly hint: Hint | undefined;
	/** Task status as the worker's metrics report it (lower case mapped to upper), when available. */
	readonly metricState: State | undefined;
}

export interface DebeziumInfo {
	/** topic.prefix (2.x+) or database.server.name (1.x): the `server` label of its metrics. */
	readonly server: string;
	/** mysql, postgres, sql_server, mongodb, oracle, mariadb… from the connector class or the plugin label. */
	readonly plugin: string | undefined;
	readonly connected: boolean | undefined;
	/** −1 (no event yet) is kept as undefined with `noEventYet` set. */
	readonly msBehindSource: number | undefined;
	readonly msSinceLastEvent: number | undefined;
	readonly noEventYet: boolean;
	readonly eventsPerSecond: number | undefined;
	readonly erroneousEvents: number | undefined;
	/** true while the initial snapshot runs (streaming's `connected` is false meanwhile: not an outage). */
	readonly snapshotRunning: boolean | undefined;
	/** Snapshot progress: tables in the snapshot and tables still to do (TotalTableCount, RemainingTableCount). */
	readonly snapshotTablesTotal: number | undefined;
	readonly snapshotTablesRemaining: number | undefined;
	/** Rows the snapshot has read so far (the snapshot's TotalNumberOfEventsSeen): progress where tables are not reported. */
	readonly snapshotRows?: number | undefined;
	/** The change-event queue between the reader and Kafka Connect (QueueRemainingCapacity of QueueTotalCapacity). */
	readonly queueRemaining: number | undefined;
	readonly queueTotal: number | undefined;
}

export interface ConnectorRow {
	readonly name: string;
	readonly type: 'source' | 'sink' | 'unknown';
	/** Fully-qualified connector.class. */
	readonly className: string;
	/** Last segment of the class name, without a trailing "Connector" when that leaves something. */
	readonly shortClass: string;
	readonly state: State;
	readonly workerId: string | undefined;
	readonly trace: string | undefined;
	/** Root cause and hint of the connector's own trace (a connector FAILED in start()). */
	readonly cause: RootCause | undefined;
	readonly hint: Hint | undefined;
	readonly tasks: readonly TaskRow[];
	readonly tasksRunning: number;
	readonly tasksTotal: number;
	readonly tasksFailed: number;
	/** Distinct worker ids of the connector and its tasks, sorted. */
	readonly workers: readonly string[];
	readonly config: Readonly<Record<string, string>>;
	readonly debezium: DebeziumInfo | undefined;
	/** Lag now: ms behind source (Debezium sources) or records (sinks); undefined when unknown. */
	readonly lag: number | undefined;
	readonly lagUnit: 'ms' | 'records' | undefined;
	/** Records per second (source writes or sink reads, or Debezium events for Debezium sources). */
	readonly recordRate: number | undefined;
	readonly recordErrors: number | undefined;
	readonly recordFailures: number | undefined;
	readonly dlqWrites: number | undefined;
	/** Increase of errors + failures over the history window; after a counter reset, only what was counted since. */
	readonly errorsIncrease: number | undefined;
	readonly dlqIncrease: number | undefined;
	/** Sinks: the Burrow-style lag verdict over the history window and the time to catch up (model/sink-verdict.ts). */
	readonly sink?: SinkVerdict | undefined;
	/** The total dropped within the window (a task restarted or a worker went away): the increase counts from there. */
	readonly errorsReset?: boolean;
	readonly dlqReset?: boolean;
	/** Connector status from metrics, when the profile provides it. */
	readonly metricState: State | undefined;
	/** Human-readable notes where REST and metrics disagree. */
	readonly disagreements: readonly string[];
	readonly health: HealthLevel;
	/** Where the connector stands in the one severity order (model/severity.ts). */
	readonly severity: Severity;
	/** Why health is not ok, shortest first (for `check` and the detail overview). */
	readonly problems: readonly string[];
	/**
	 * Present when the lag or Debezium `connected` samples are older than twice the scrape
	 * interval (Prometheus kept serving them): `lag` and `debezium.connected` are then
	 * undefined (unknown for health and `check`) and these are the old values, to show marked.
	 */
	readonly staleMetrics?: {readonly ageMs: number; readonly lag: number | undefined; readonly connected: boolean | undefined};
}

/**
 * How a row's exporter instance was paired with its REST worker: `rest` (a REST worker no
 * exporter was paired with), the evidence that paired them (join.ts), or `unpaired` (an
 * exporter instance no evidence could pair: shown, never counted as a worker).
 */
export type WorkerPairing = 'rest' | 'map' | 'label' | 'host' | 'assignment' | 'previous' | 'elimination' | 'unpaired';

export interface WorkerRow {
	/** REST worker_id (host:port) when known, else (label-paired standby, or unpaired) the instance. */
	readonly id: string;
	readonly host: string;
	/** Prometheus instance (or scrape URL host:port) joined to this worker. */
	readonly instance: string | undefined;
	/** true/false from the exporter's `up` (or scrape success), else true when the worker's own REST endpoint answered; undefined when nothing knows. */
	readonly up: boolean | undefined;
	/** Where `up` comes from. Never from the states of the items the worker hosts. */
	readonly liveness: 'exporter' | 'rest' | 'unknown';
	readonly pairing: WorkerPairing;
	/** Seen as a worker_id in REST statuses. */
	readonly inRest: boolean;
	readonly connectors: number;
	readonly tasks: number;
	readonly rebalancing: boolean | undefined;
	/** Counts reported by the worker's own metrics (may disagree with REST). */
	readonly metricConnectors: number | undefined;
	readonly metricTasks: number | undefined;
	/**
	 * The metric values (METRICS, REBAL) are old, with their age at the snapshot (ms): the
	 * samples are older than the staleness limit, or (`missing`) Prometheus answered without any
	 * of this worker's series and these are the last ones seen (model/carry-forward.ts).
	 */
	readonly metricsStale?: {readonly ageMs: number; readonly missing: boolean} | undefined;
}

export interface ClusterInfo {
	readonly version: string | undefined;
	readonly commit: string | undefined;
	readonly kafkaClusterId: string | undefined;
}

export interface Totals {
	readonly connectors: number;
	readonly connectorsByState: Readonly<Record<string, number>>;
	readonly tasks: number;
	readonly tasksByState: Readonly<Record<string, number>>;
	readonly failedTasks: number;
	/** Workers (exporters no evidence pairs not included) whose liveness is up, down, unknown. */
	readonly workersUp: number;
	readonly workersDown: number;
	readonly workersUnknown: number;
	readonly workersTotal: number;
}

/** Short history per connector for sparklines and charts; oldest first, one point per refresh. */
export interface ConnectorHistory {
	readonly lag: readonly number[];
	readonly recordRate: readonly number[];
	readonly errors: readonly number[];
}

export interface ClusterSnapshot {
	/** Clock time (ms) the snapshot was built. */
	readonly takenAt: number;
	/** Increments with every snapshot. */
	readonly sequence: number;
	readonly cluster: ClusterInfo;
	readonly workers: readonly WorkerRow[];
	readonly connectors: readonly ConnectorRow[];
	readonly totals: Totals;
	readonly rest: SourceHealth;
	/** undefined when kctop runs without a metrics source. */
	readonly metrics: SourceHealth | undefined;
	/** Name of the naming profile in use. */
	readonly profile: string;
	/** N of 17 logical metrics the profile resolves, and what is missing (undefined before the first metrics answer). */
	readonly profileSummary?: ProfileSummary | undefined;
	/** Metrics the profile cannot provide or that returned no series at all. */
	readonly missingMetrics: readonly string[];
	/** Exporter instances that could not be paired with a REST worker (`--worker-map` pairs them). */
	readonly unpairedInstances: readonly string[];
}
