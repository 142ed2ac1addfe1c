/**
 * Factories for the MBeans a Kafka Connect 3.x worker running Debezium 2.x/3.x registers,
 * with the real domains, property order, attribute names and value types
 * (shared/reference/connect-metrics-facts.md §1, §2). Property values go through Kafka's
 * `Sanitizer.jmxSanitize`, so a connector called `orders:v2` shows up as
 * `connector="orders:v2"`, exactly as a real worker registers it.
 *
 * Every factory takes the attribute values as a partial record merged over the values an
 * idle component reports (NaN for Kafka avg/max stats without samples, 0 for totals, −1 for
 * Debezium's "no event yet" timers), so callers set only what they simulate.
 */
import type {AttributeValue, MBean} from './types.js';

type Values = Readonly<Record<string, AttributeValue>>;
type Properties = ReadonlyArray<readonly [string, string]>;

// Kafka Sanitizer.MBEAN_PATTERN: [\w-%\. \t]*
const mbeanSafe = /^[A-Za-z0-9_\-%. \t]*$/;

/** Kafka `Sanitizer.jmxSanitize`: the value as is when it is JMX-safe, else `ObjectName.quote(value)`. */
export function jmxSanitize(value: string): string {
	if (mbeanSafe.test(value)) return value;
	let quoted = '"';
	for (const ch of value) {
		if (ch === '"' || ch === '*' || ch === '?' || ch === '\\') quoted += `\\${ch}`;
		else if (ch === '\n') quoted += '\\n';
		else quoted += ch;
	}
	return `${quoted}"`;
}

/** The canonical text of an MBean's ObjectName (`domain:k1=v1,k2=v2`, creation order). */
export function objectNameOf(bean: MBean): string {
	return `${bean.domain}:${bean.properties.map(([k, v]) => `${k}=${v}`).join(',')}`;
}

function bean(domain: string, properties: Properties, attributes: Values, numericTypes?: Readonly<Record<string, 'double' | 'long'>>): MBean {
	return numericTypes === undefined ? {domain, properties, attributes} : {domain, properties, attributes, numericTypes};
}

function tags(...pairs: ReadonlyArray<readonly [string, string | number]>): Properties {
	return pairs.map(([k, v]) => [k, jmxSanitize(String(v))] as const);
}

function merge<T extends Values>(defaults: T, values: Partial<T> | undefined): Values {
	const merged: Record<string, AttributeValue> = {...defaults};
	for (const [key, value] of Object.entries(values ?? {})) {
		if (value !== undefined) merged[key] = value;
	}
	return merged;
}

function hyphenate(values: Readonly<Record<string, AttributeValue | undefined>>): Values {
	const out: Record<string, AttributeValue> = {};
	for (const [key, value] of Object.entries(values)) {
		if (value !== undefined) out[key] = value;
	}
	return out;
}

// ---------------------------------------------------------------------------------------
// Kafka Connect worker

export interface WorkerValues extends Values {
	'connector-count': number;
	'task-count': number;
	'connector-startup-attempts-total': number;
	'connector-startup-success-total': number;
	'connector-startup-failure-total': number;
	'connector-startup-success-percentage': number;
	'connector-startup-failure-percentage': number;
	'task-startup-attempts-total': number;
	'task-startup-success-total': number;
	'task-startup-failure-total': number;
	'task-startup-success-percentage': number;
	'task-startup-failure-percentage': number;
}

/** `kafka.connect:type=connect-worker-metrics` */
export function workerMBean(values?: Partial<WorkerValues>): MBean {
	const defaults: WorkerValues = {
		'connector-count': 0,
		'task-count': 0,
		'connector-startup-attempts-total': 0,
		'connector-startup-success-total': 0,
		'connector-startup-failure-total': 0,
		'connector-startup-success-percentage': 0,
		'connector-startup-failure-percentage': 0,
		'task-startup-attempts-total': 0,
		'task-startup-success-total': 0,
		'task-startup-failure-total': 0,
		'task-startup-success-percentage': 0,
		'task-startup-failure-percentage': 0,
	};
	return bean('kafka.connect', tags(['type', 'connect-worker-metrics']), merge(defaults, values));
}

export interface WorkerConnectorValues extends Values {
	'connector-total-task-count': number;
	'connector-running-task-count': number;
	'connector-paused-task-count': number;
	'connector-failed-task-count': number;
	'connector-unassigned-task-count': number;
	'connector-destroyed-task-count': number;
	'connector-restarting-task-count': number;
}

/** `kafka.connect:type=connect-worker-metrics,connector=<c>`: the connector's tasks on this worker, by state (Kafka 2.4+). */
export function workerConnectorMBean(connector: string, values?: Partial<WorkerConnectorValues>): MBean {
	const defaults: WorkerConnectorValues = {
		'connector-total-task-count': 0,
		'connector-running-task-count': 0,
		'connector-paused-task-count': 0,
		'connector-failed-task-count': 0,
		'connector-unassigned-task-count': 0,
		'connector-destroyed-task-count': 0,
		'connector-restarting-task-count': 0,
	};
	return bean('kafka.connect', tags(['type', 'connect-worker-metrics'], ['connector', connector]), merge(defaults, values));
}

export interface RebalanceValues extends Values {
	/** `EAGER` / `COMPATIBLE` / `SESSIONED` */
	'connect-protocol': string;
	/** Leader REST URL, e.g. `http://connect-1:8083/` */
	'leader-name': string;
	epoch: number;
	'completed-rebalances-total': number;
	rebalancing: number;
	'rebalance-max-time-ms': number;
	'rebalance-avg-time-ms': number;
	'time-since-last-rebalance-ms': number;
}

/** `kafka.connect:type=connect-worker-rebalance-metrics` (distributed mode). */
export function workerRebalanceMBean(values?: Partial<RebalanceValues>): MBean {
	const defaults: RebalanceValues = {
		'connect-protocol': 'SESSIONED',
		'leader-name': '',
		epoch: 0,
		'completed-rebalances-total': 0,
		rebalancing: 0,
		'rebalance-max-time-ms': Number.NaN,
		'rebalance-avg-time-ms': Number.NaN,
		'time-since-last-rebalance-ms': Number.POSITIVE_INFINITY,
	};
	return bean('kafka.connect', tags(['type', 'connect-worker-rebalance-metrics']), merge(defaults, values));
}

export interface CoordinatorValues extends Values {
	'assigned-connectors': number;
	'assigned-tasks': number;
	'heartbeat-response-time-max': number;
	'heartbeat-rate': number;
	'heartbeat-total': number;
	'join-time-avg': number;
	'join-time-max': number;
	'join-rate': number;
	'join-total': number;
	'sync-time-avg': number;
	'sync-time-max': number;
	'sync-rate': number;
	'sync-total': number;
	'rebalance-latency-avg': number;
	'rebalance-latency-max': number;
	'rebalance-latency-total': number;
	'rebalance-total': number;
	'rebalance-rate-per-hour': number;
	'failed-rebalance-total': number;
	'failed-rebalance-rate-per-hour': number;
	'last-rebalance-seconds-ago': number;
	'last-heartbeat-seconds-ago': number;
}

/** `kafka.connect:type=connect-coordinator-metrics,client-id="connect-<host:port>"` (Kafka ≥ 3.7 client id). */
export function coordinatorMBean(workerId: string, values?: Partial<CoordinatorValues>): MBean {
	const defaults: CoordinatorValues = {
		'assigned-connectors': 0,
		'assigned-tasks': 0,
		'heartbeat-response-time-max': Number.NaN,
		'heartbeat-rate': 0,
		'heartbeat-total': 0,
		'join-time-avg': Number.NaN,
		'join-time-max': Number.NaN,
		'join-rate': 0,
		'join-total': 0,
		'sync-time-avg': Number.NaN,
		'sync-time-max': Number.NaN,
		'sync-rate': 0,
		'sync-total': 0,
		'rebalance-latency-avg': Number.NaN,
		'rebalance-latency-max': Number.NaN,
		'rebalance-latency-total': 0,
		'rebalance-total': 0,
		'rebalance-rate-per-hour': 0,
		'failed-rebalance-total': 0,
		'failed-rebalance-rate-per-hour': 0,
		'last-rebalance-seconds-ago': -1,
		'last-heartbeat-seconds-ago': -1,
	};
	return bean('kafka.connect', tags(['type', 'connect-coordinator-metrics'], ['client-id', `connect-${workerId}`]), merge(defaults, values));
}

export interface AppInfo {
	readonly version: string;
	readonly commitId: string;
	readonly startTimeMs: number;
}

/**
 * app-info of a worker: the metrics-registry beans `kafka.connect:type=app-info` (ConnectMetrics,
 * no tag) and `kafka.connect:type=app-info,client-id="connect-<id>"` (the group member), both
 * with `version`, `commit-id` (Strings) and `start-time-ms` (long), and the standard MBean
 * `kafka.connect:type=app-info,id=<id>` with `Version`, `CommitId`, `StartTimeMs`.
 */
export function appInfoMBeans(workerId: string, info: AppInfo): MBean[] {
	const registry = {version: info.version, 'commit-id': info.commitId, 'start-time-ms': info.startTimeMs};
	return [
		bean('kafka.connect', tags(['type', 'app-info']), registry, {'start-time-ms': 'long'}),
		bean('kafka.connect', tags(['type', 'app-info'], ['client-id', `connect-${workerId}`]), registry, {'start-time-ms': 'long'}),
		bean('kafka.connect', tags(['type', 'app-info'], ['id', workerId]), {Version: info.version, CommitId: info.commitId, StartTimeMs: info.startTimeMs}, {StartTimeMs: 'long'}),
	];
}

// ---------------------------------------------------------------------------------------
// Connectors and tasks

export type ConnectorState = 'unassigned' | 'running' | 'paused' | 'failed' | 'restarting' | 'stopped' | 'destroyed';
export type TaskState = 'unassigned' | 'running' | 'paused' | 'failed' | 'restarting' | 'destroyed';

export interface ConnectorValues extends Values {
	'connector-type': 'source' | 'sink' | 'unknown';
	'connector-class': string;
	'connector-version': string;
	status: ConnectorState;
}

/** `kafka.connect:type=connector-metrics,connector=<c>`: four String attributes. */
export function connectorMBean(connector: string, values: ConnectorValues): MBean {
	return bean('kafka.connect', tags(['type', 'connector-metrics'], ['connector', connector]), {...values});
}

export interface ConnectorTaskValues extends Values {
	status: TaskState;
	'running-ratio': number;
	'pause-ratio': number;
	'offset-commit-max-time-ms': number;
	'offset-commit-avg-time-ms': number;
	'batch-size-max': number;
	'batch-size-avg': number;
	'offset-commit-failure-percentage': number;
	'offset-commit-success-percentage': number;
}

/** `kafka.connect:type=connector-task-metrics,connector=<c>,task=<n>` */
export function connectorTaskMBean(connector: string, task: number, values?: Partial<ConnectorTaskValues>): MBean {
	const defaults: ConnectorTaskValues = {
		status: 'running',
		'running-ratio': 1,
		'pause-ratio': 0,
		'offset-commit-max-time-ms': Number.NaN,
		'offset-commit-avg-time-ms': Number.NaN,
		'batch-size-max': Number.NaN,
		'batch-size-avg': Number.NaN,
		'offset-commit-failure-percentage': 0,
		'offset-commit-success-percentage': 0,
	};
	return bean('kafka.connect', taskTags('connector-task-metrics', connector, task), merge(defaults, values));
}

function taskTags(type: string, connector: string, task: number): Properties {
	return tags(['type', type], ['connector', connector], ['task', task]);
}

export interface SourceTaskValues extends Values {
	'source-record-poll-rate': number;
	'source-record-poll-total': number;
	'source-record-write-rate': number;
	'source-record-write-total': number;
	'poll-batch-max-time-ms': number;
	'poll-batch-avg-time-ms': number;
	'source-record-active-count': number;
	'source-record-active-count-max': number;
	'source-record-active-count-avg': number;
}

export interface TransactionValues {
	readonly 'transaction-size-min': number;
	readonly 'transaction-size-max': number;
	readonly 'transaction-size-avg': number;
}

/**
 * `kafka.connect:type=source-task-metrics,connector=<c>,task=<n>`. The `transaction-size-*`
 * attributes exist only for exactly-once source tasks: pass `transactions` to add them.
 */
export function sourceTaskMBean(connector: string, task: number, values?: Partial<SourceTaskValues>, transactions?: TransactionValues): MBean {
	const defaults: SourceTaskValues = {
		'source-record-poll-rate': 0,
		'source-record-poll-total': 0,
		'source-record-write-rate': 0,
		'source-record-write-total': 0,
		'poll-batch-max-time-ms': Number.NaN,
		'poll-batch-avg-time-ms': Number.NaN,
		'source-record-active-count': 0,
		'source-record-active-count-max': Number.NaN,
		'source-record-active-count-avg': Number.NaN,
	};
	return bean('kafka.connect', taskTags('source-task-metrics', connector, task), {...merge(defaults, values), ...(transactions ?? {})});
}

export interface SinkTaskValues extends Values {
	'sink-record-read-rate': number;
	'sink-record-read-total': number;
	'sink-record-send-rate': number;
	'sink-record-send-total': number;
	'sink-record-active-count': number;
	'sink-record-active-count-max': number;
	'sink-record-active-count-avg': number;
	'partition-count': number;
	'offset-commit-seq-no': number;
	'offset-commit-completion-rate': number;
	'offset-commit-completion-total': number;
	'offset-commit-skip-rate': number;
	'offset-commit-skip-total': number;
	'put-batch-max-time-ms': number;
	'put-batch-avg-time-ms': number;
}

/** `kafka.connect:type=sink-task-metrics,connector=<c>,task=<n>` (no `sink-record-lag-max`: Kafka never registers it). */
export function sinkTaskMBean(connector: string, task: number, values?: Partial<SinkTaskValues>): MBean {
	const defaults: SinkTaskValues = {
		'sink-record-read-rate': 0,
		'sink-record-read-total': 0,
		'sink-record-send-rate': 0,
		'sink-record-send-total': 0,
		'sink-record-active-count': 0,
		'sink-record-active-count-max': Number.NaN,
		'sink-record-active-count-avg': Number.NaN,
		'partition-count': 0,
		'offset-commit-seq-no': 0,
		'offset-commit-completion-rate': 0,
		'offset-commit-completion-total': 0,
		'offset-commit-skip-rate': 0,
		'offset-commit-skip-total': 0,
		'put-batch-max-time-ms': Number.NaN,
		'put-batch-avg-time-ms': Number.NaN,
	};
	return bean('kafka.connect', taskTags('sink-task-metrics', connector, task), merge(defaults, values));
}

export interface TaskErrorValues extends Values {
	'total-record-failures': number;
	'total-record-errors': number;
	'total-records-skipped': number;
	'total-retries': number;
	'total-errors-logged': number;
	'deadletterqueue-produce-requests': number;
	'deadletterqueue-produce-failures': number;
	'last-error-timestamp': number;
}

/** `kafka.connect:type=task-error-metrics,connector=<c>,task=<n>` */
export function taskErrorMBean(connector: string, task: number, values?: Partial<TaskErrorValues>): MBean {
	const defaults: TaskErrorValues = {
		'total-record-failures': 0,
		'total-record-errors': 0,
		'total-records-skipped': 0,
		'total-retries': 0,
		'total-errors-logged': 0,
		'deadletterqueue-produce-requests': 0,
		'deadletterqueue-produce-failures': 0,
		'last-error-timestamp': 0,
	};
	return bean('kafka.connect', taskTags('task-error-metrics', connector, task), merge(defaults, values));
}

export interface PartitionFetchValues {
	readonly topic: string;
	readonly partition: number;
	readonly 'records-lag'?: number;
	readonly 'records-lag-max'?: number;
	readonly 'records-lag-avg'?: number;
	readonly 'records-lead'?: number;
	readonly 'records-lead-min'?: number;
	readonly 'records-lead-avg'?: number;
	readonly 'preferred-read-replica'?: number;
}

export interface SinkConsumerValues {
	readonly 'records-lag-max'?: number;
	readonly 'records-lead-min'?: number;
	readonly 'records-consumed-rate'?: number;
	readonly 'records-consumed-total'?: number;
	readonly 'bytes-consumed-rate'?: number;
	readonly 'bytes-consumed-total'?: number;
	readonly 'fetch-latency-avg'?: number;
	readonly 'fetch-latency-max'?: number;
	readonly 'fetch-rate'?: number;
	readonly 'fetch-total'?: number;
	/** Assigned partitions that have been fetched at least once. */
	readonly partitions?: readonly PartitionFetchValues[];
}

/** The client id of a sink task's consumer: `connector-consumer-<connector>-<task>`. */
export function sinkConsumerClientId(connector: string, task: number): string {
	return `connector-consumer-${connector}-${task}`;
}

/**
 * The sink task consumer's `kafka.consumer:type=consumer-fetch-manager-metrics,client-id=…`
 * bean and one `…,topic=…,partition=…` bean per fetched partition (`.` in topic names
 * becomes `_`, as Kafka's FetchMetricsManager does).
 */
export function sinkConsumerMBeans(connector: string, task: number, values?: SinkConsumerValues): MBean[] {
	const clientId = sinkConsumerClientId(connector, task);
	const {partitions = [], ...client} = values ?? {};
	const clientDefaults = {
		'records-lag-max': Number.NaN,
		'records-lead-min': Number.NaN,
		'records-consumed-rate': 0,
		'records-consumed-total': 0,
		'bytes-consumed-rate': 0,
		'bytes-consumed-total': 0,
		'fetch-latency-avg': Number.NaN,
		'fetch-latency-max': Number.NaN,
		'fetch-rate': 0,
		'fetch-total': 0,
	};
	const beans = [bean('kafka.consumer', tags(['type', 'consumer-fetch-manager-metrics'], ['client-id', clientId]), merge(clientDefaults, hyphenate(client)))];
	for (const {topic, partition, ...rest} of partitions) {
		const defaults = {
			'records-lag': 0,
			'records-lag-max': Number.NaN,
			'records-lag-avg': Number.NaN,
			'records-lead': 0,
			'records-lead-min': Number.NaN,
			'records-lead-avg': Number.NaN,
			'preferred-read-replica': -1,
		};
		beans.push(
			bean(
				'kafka.consumer',
				tags(['type', 'consumer-fetch-manager-metrics'], ['client-id', clientId], ['topic', topic.replaceAll('.', '_')], ['partition', partition]),
				merge(defaults, hyphenate(rest)),
				{'preferred-read-replica': 'long'},
			),
		);
	}
	return beans;
}

export interface SourceTaskBeansValues {
	readonly task?: Partial<ConnectorTaskValues>;
	readonly source?: Partial<SourceTaskValues>;
	readonly errors?: Partial<TaskErrorValues>;
}

/** The task-level beans of a source task: connector-task, source-task and task-error metrics. */
export function sourceTaskMBeans(connector: string, task: number, values?: SourceTaskBeansValues): MBean[] {
	return [connectorTaskMBean(connector, task, values?.task), sourceTaskMBean(connector, task, values?.source), taskErrorMBean(connector, task, values?.errors)];
}

export interface SinkTaskBeansValues {
	readonly task?: Partial<ConnectorTaskValues>;
	readonly sink?: Partial<SinkTaskValues>;
	readonly errors?: Partial<TaskErrorValues>;
	readonly consumer?: SinkConsumerValues;
}

/** The task-level beans of a sink task: connector-task, sink-task, task-error metrics and its consumer's fetch metrics. */
export function sinkTaskMBeans(connector: string, task: number, values?: SinkTaskBeansValues): MBean[] {
	return [
		connectorTaskMBean(connector, task, values?.task),
		sinkTaskMBean(connector, task, values?.sink),
		taskErrorMBean(connector, task, values?.errors),
		...sinkConsumerMBeans(connector, task, values?.consumer),
	];
}

/** The task-level beans of a source or sink task (see sourceTaskMBeans / sinkTaskMBeans). */
export function connectorTaskMBeans(
	connector: string,
	task: number,
	values: ({readonly kind: 'source'} & SourceTaskBeansValues) | ({readonly kind: 'sink'} & SinkTaskBeansValues),
): MBean[] {
	return values.kind === 'source' ? sourceTaskMBeans(connector, task, values) : sinkTaskMBeans(connector, task, values);
}

// ---------------------------------------------------------------------------------------
// Debezium

/** Domain suffix (`debezium.<plugin>`), from Debezium's `Module.contextName()` lower-cased. */
export type DebeziumPlugin = 'mysql' | 'mariadb' | 'postgres' | 'oracle' | 'sql_server' | 'mongodb';

export interface DebeziumScope {
	readonly plugin: DebeziumPlugin;
	/** `topic.prefix` (Debezium 2.x/3.x). */
	readonly server: string;
	/** Task id for the SQL Server and MongoDB forms (default 0). */
	readonly task?: number;
	/** SQL Server per-database beans. */
	readonly database?: string;
	/** `custom.metric.tags` (2.4+), appended after the default tags. */
	readonly customTags?: ReadonlyArray<readonly [string, string]>;
}

/**
 * Property order per connector family: `context,server` (MySQL, MariaDB, PostgreSQL, Oracle),
 * `server,task,context[,database]` (SQL Server, multi-partition) and `context,server,task` (MongoDB).
 */
export function debeziumProperties(scope: DebeziumScope, context: string): Properties {
	const task = scope.task ?? 0;
	const custom = scope.customTags ?? [];
	switch (scope.plugin) {
		case 'sql_server':
			return tags(['type', 'connector-metrics'], ['server', scope.server], ['task', task], ['context', context], ...(scope.database === undefined ? [] : [['database', scope.database] as const]), ...custom);
		case 'mongodb':
			return tags(['type', 'connector-metrics'], ['context', context], ['server', scope.server], ['task', task], ...custom);
		default:
			return tags(['type', 'connector-metrics'], ['context', context], ['server', scope.server], ...custom);
	}
}

export interface DebeziumCommonValues extends Values {
	LastEvent: string;
	MilliSecondsSinceLastEvent: number;
	TotalNumberOfEventsSeen: number;
	TotalNumberOfCreateEventsSeen: number;
	TotalNumberOfUpdateEventsSeen: number;
	TotalNumberOfDeleteEventsSeen: number;
	NumberOfEventsFiltered: number;
	NumberOfErroneousEvents: number;
	QueueTotalCapacity: number;
	QueueRemainingCapacity: number;
	MaxQueueSizeInBytes: number;
	CurrentQueueSizeInBytes: number;
}

const commonDefaults: DebeziumCommonValues = {
	LastEvent: '',
	MilliSecondsSinceLastEvent: -1,
	TotalNumberOfEventsSeen: 0,
	TotalNumberOfCreateEventsSeen: 0,
	TotalNumberOfUpdateEventsSeen: 0,
	TotalNumberOfDeleteEventsSeen: 0,
	NumberOfEventsFiltered: 0,
	NumberOfErroneousEvents: 0,
	QueueTotalCapacity: 8192,
	QueueRemainingCapacity: 8192,
	MaxQueueSizeInBytes: 0,
	CurrentQueueSizeInBytes: 0,
};

export interface DebeziumSnapshotValues extends DebeziumCommonValues {
	TotalTableCount: number;
	RemainingTableCount: number;
	SnapshotRunning: boolean;
	SnapshotCompleted: boolean;
	SnapshotAborted: boolean;
	SnapshotPaused: boolean;
	SnapshotSkipped: boolean;
	SnapshotDurationInSeconds: number;
	SnapshotPausedDurationInSeconds: number;
	ChunkId: string;
	ChunkFrom: string;
	ChunkTo: string;
	TableFrom: string;
	TableTo: string;
}

/**
 * `debezium.<plugin>:type=connector-metrics,…,context=snapshot,…`. MySQL/MariaDB add
 * `HoldingGlobalLock`, MongoDB adds `NumberOfDisconnects` (defaults false/0; override via `values`).
 */
export function debeziumSnapshotMBean(scope: DebeziumScope, values?: Partial<DebeziumSnapshotValues> & Values): MBean {
	const defaults: DebeziumSnapshotValues = {
		...commonDefaults,
		TotalTableCount: 0,
		RemainingTableCount: 0,
		SnapshotRunning: false,
		SnapshotCompleted: false,
		SnapshotAborted: false,
		SnapshotPaused: false,
		SnapshotSkipped: false,
		SnapshotDurationInSeconds: 0,
		SnapshotPausedDurationInSeconds: 0,
		ChunkId: '',
		ChunkFrom: '',
		ChunkTo: '',
		TableFrom: '',
		TableTo: '',
	};
	const extras: Values = scope.plugin === 'mysql' || scope.plugin === 'mariadb' ? {HoldingGlobalLock: false} : scope.plugin === 'mongodb' ? {NumberOfDisconnects: 0} : {};
	return bean(`debezium.${scope.plugin}`, debeziumProperties(scope, 'snapshot'), merge({...defaults, ...extras}, values));
}

/** One TabularData row of the snapshot's `RowsScanned` (Map<String,Long>): jmx_exporter adds the index column as a `key` property. */
export function debeziumRowsScannedMBean(scope: DebeziumScope, table: string, rows: number): MBean {
	return bean(`debezium.${scope.plugin}`, [...debeziumProperties(scope, 'snapshot'), ['key', table]], {RowsScanned: rows});
}

export interface DebeziumStreamingValues extends DebeziumCommonValues {
	Connected: boolean;
	MilliSecondsBehindSource: number;
	NumberOfCommittedTransactions: number;
	LastTransactionId: string;
}

/** Debezium 3.6+ lag statistics on the streaming bean. */
export interface DebeziumLagStatistics {
	readonly MilliSecondsBehindSourceMinValue: number;
	readonly MilliSecondsBehindSourceMaxValue: number;
	readonly MilliSecondsBehindSourceAverageValue: number;
	readonly MilliSecondsBehindSourceP50: number;
	readonly MilliSecondsBehindSourceP95: number;
	readonly MilliSecondsBehindSourceP99: number;
	readonly NumberOfUnchangedEventsSkipped: number;
}

const streamingExtras: Readonly<Partial<Record<DebeziumPlugin, Values>>> = {
	mysql: {
		BinlogFilename: '',
		BinlogPosition: 0,
		GtidSet: '',
		IsGtidModeEnabled: false,
		NumberOfSkippedEvents: 0,
		NumberOfDisconnects: 0,
		NumberOfRolledBackTransactions: 0,
		NumberOfNotWellFormedTransactions: 0,
		NumberOfLargeTransactions: 0,
	},
	mongodb: {NumberOfDisconnects: 0, NumberOfPrimaryElections: 0, LastSourceEventPollTime: 0, LastEmptyPollTime: 0, NumberOfEmptyPolls: 0},
};

/**
 * `debezium.<plugin>:type=connector-metrics,…,context=streaming,…` (pass `context: 'binlog'`
 * for MySQL ≤ 1.4's legacy reader). MySQL/MariaDB get the binlog extras, MongoDB its
 * disconnect/poll extras; SQL Server's task-level bean (no `database`) has only `Connected`
 * and the queue attributes.
 */
export function debeziumStreamingMBean(
	scope: DebeziumScope,
	values?: Partial<DebeziumStreamingValues> & Values,
	options?: {readonly context?: 'streaming' | 'binlog'; readonly lagStatistics?: DebeziumLagStatistics},
): MBean {
	const context = options?.context ?? 'streaming';
	const properties = debeziumProperties(scope, context);
	const domain = `debezium.${scope.plugin}`;
	if (scope.plugin === 'sql_server' && scope.database === undefined) {
		const taskLevel = {
			Connected: true,
			QueueTotalCapacity: commonDefaults.QueueTotalCapacity,
			QueueRemainingCapacity: commonDefaults.QueueRemainingCapacity,
			MaxQueueSizeInBytes: 0,
			CurrentQueueSizeInBytes: 0,
		};
		const picked = Object.fromEntries(Object.entries(values ?? {}).filter(([k]) => k in taskLevel));
		return bean(domain, properties, merge(taskLevel, picked));
	}
	const defaults: DebeziumStreamingValues = {
		...commonDefaults,
		Connected: true,
		MilliSecondsBehindSource: -1,
		NumberOfCommittedTransactions: 0,
		LastTransactionId: '',
	};
	const extras = streamingExtras[scope.plugin === 'mariadb' ? 'mysql' : scope.plugin] ?? {};
	const lag: Values = options?.lagStatistics === undefined ? {} : {...options.lagStatistics};
	return bean(domain, properties, {...merge({...defaults, ...extras}, values), ...lag}, {
		MilliSecondsBehindSourceAverageValue: 'double',
		MilliSecondsBehindSourceP50: 'double',
		MilliSecondsBehindSourceP95: 'double',
		MilliSecondsBehindSourceP99: 'double',
	});
}

export interface DebeziumSchemaHistoryValues extends Values {
	Status: string;
	RecoveryStartTime: number;
	ChangesRecovered: number;
	ChangesApplied: number;
	MilliSecondsSinceLastAppliedChange: number;
	MilliSecondsSinceLastRecoveredChange: number;
	LastAppliedChange: string;
	LastRecoveredChange: string;
}

/** `…,context=schema-history,…` (MySQL, MariaDB, Oracle, SQL Server). */
export function debeziumSchemaHistoryMBean(scope: DebeziumScope, values?: Partial<DebeziumSchemaHistoryValues>): MBean {
	const defaults: DebeziumSchemaHistoryValues = {
		Status: 'RUNNING',
		RecoveryStartTime: -1,
		ChangesRecovered: 0,
		ChangesApplied: 0,
		MilliSecondsSinceLastAppliedChange: -1,
		MilliSecondsSinceLastRecoveredChange: -1,
		LastAppliedChange: '',
		LastRecoveredChange: '',
	};
	return bean(`debezium.${scope.plugin}`, debeziumProperties(scope, 'schema-history'), merge(defaults, values));
}

// ---------------------------------------------------------------------------------------
// JVM

export interface JvmValues {
	readonly threadCount: number;
	readonly peakThreadCount: number;
	readonly daemonThreadCount: number;
	readonly processCpuLoad: number;
	readonly openFileDescriptorCount: number;
	readonly maxFileDescriptorCount: number;
	readonly uptimeMs: number;
}

/** A few simple `java.lang` beans (Threading, OperatingSystem, Runtime). */
export function jvmMBeans(values?: Partial<JvmValues>): MBean[] {
	const v: JvmValues = {
		threadCount: 60,
		peakThreadCount: 64,
		daemonThreadCount: 40,
		processCpuLoad: 0.05,
		openFileDescriptorCount: 200,
		maxFileDescriptorCount: 1_048_576,
		uptimeMs: 60_000,
		...values,
	};
	return [
		bean('java.lang', [['type', 'Threading']], {ThreadCount: v.threadCount, PeakThreadCount: v.peakThreadCount, DaemonThreadCount: v.daemonThreadCount}),
		bean('java.lang', [['type', 'OperatingSystem']], {ProcessCpuLoad: v.processCpuLoad, OpenFileDescriptorCount: v.openFileDescriptorCount, MaxFileDescriptorCount: v.maxFileDescriptorCount}, {ProcessCpuLoad: 'double'}),
		bean('java.lang', [['type', 'Runtime']], {Uptime: v.uptimeMs}),
	];
}

// ---------------------------------------------------------------------------------------
// The reference catalog

/**
 * One instance of every bean above with every attribute, using the identities of the
 * reference's derived tables (shared/reference/derived-names): connectors `my-source` and
 * `my-sink` (task 0), worker `10.0.0.1:8083`, Debezium servers `dbserver1`, `server1`
 * (SQL Server, database `testDB`) and `mongo1`.
 */
export function referenceMBeans(): MBean[] {
	const workerId = '10.0.0.1:8083';
	const mysql: DebeziumScope = {plugin: 'mysql', server: 'dbserver1'};
	const postgres: DebeziumScope = {plugin: 'postgres', server: 'dbserver1'};
	const oracle: DebeziumScope = {plugin: 'oracle', server: 'dbserver1'};
	const mariadb: DebeziumScope = {plugin: 'mariadb', server: 'dbserver1'};
	const sqlServer: DebeziumScope = {plugin: 'sql_server', server: 'server1', task: 0};
	const sqlServerDb: DebeziumScope = {...sqlServer, database: 'testDB'};
	const mongo: DebeziumScope = {plugin: 'mongodb', server: 'mongo1', task: 0};
	const snapshot = {TotalTableCount: 4, RemainingTableCount: 0, SnapshotCompleted: true, SnapshotDurationInSeconds: 12, TotalNumberOfEventsSeen: 30, MilliSecondsSinceLastEvent: 5000};
	const streaming = {Connected: true, MilliSecondsBehindSource: 250, MilliSecondsSinceLastEvent: 300, TotalNumberOfEventsSeen: 1234, NumberOfCommittedTransactions: 100, QueueRemainingCapacity: 8000};
	return [
		workerMBean({'connector-count': 2, 'task-count': 2, 'connector-startup-attempts-total': 2, 'connector-startup-success-total': 2, 'connector-startup-success-percentage': 1, 'task-startup-attempts-total': 2, 'task-startup-success-total': 2, 'task-startup-success-percentage': 1}),
		workerConnectorMBean('my-source', {'connector-total-task-count': 1, 'connector-running-task-count': 1}),
		workerRebalanceMBean({'connect-protocol': 'SESSIONED', 'leader-name': `http://${workerId}/`, epoch: 3, 'completed-rebalances-total': 3, 'time-since-last-rebalance-ms': 60_000}),
		coordinatorMBean(workerId, {'assigned-connectors': 2, 'assigned-tasks': 2, 'rebalance-total': 3, 'last-rebalance-seconds-ago': 60}),
		...appInfoMBeans(workerId, {version: '3.9.0', commitId: 'a60e31147e6b01ee', startTimeMs: 1_700_000_000_000}),
		connectorMBean('my-source', {'connector-type': 'source', 'connector-class': 'io.debezium.connector.mysql.MySqlConnector', 'connector-version': '3.0.0.Final', status: 'running'}),
		connectorTaskMBean('my-source', 0, {status: 'running', 'batch-size-avg': 10, 'batch-size-max': 20}),
		sourceTaskMBean('my-source', 0, {'source-record-poll-rate': 5, 'source-record-poll-total': 1000, 'source-record-write-rate': 5, 'source-record-write-total': 1000}, {'transaction-size-min': 1, 'transaction-size-max': 10, 'transaction-size-avg': 4}),
		taskErrorMBean('my-source', 0),
		connectorMBean('my-sink', {'connector-type': 'sink', 'connector-class': 'org.apache.kafka.connect.file.FileStreamSinkConnector', 'connector-version': '3.9.0', status: 'running'}),
		connectorTaskMBean('my-sink', 0, {status: 'running'}),
		sinkTaskMBean('my-sink', 0, {'sink-record-read-rate': 5, 'sink-record-read-total': 900, 'sink-record-send-total': 900, 'partition-count': 1}),
		taskErrorMBean('my-sink', 0, {'total-record-errors': 2, 'total-record-failures': 1, 'deadletterqueue-produce-requests': 2, 'last-error-timestamp': 1_700_000_100_000}),
		...sinkConsumerMBeans('my-sink', 0, {
			'records-lag-max': 42,
			'records-consumed-rate': 5,
			'records-consumed-total': 900,
			'fetch-latency-avg': 3,
			partitions: [{topic: 'orders', partition: 0, 'records-lag': 42, 'records-lag-max': 42, 'records-lag-avg': 20, 'records-lead': 900, 'records-lead-min': 880, 'records-lead-avg': 890}],
		}),
		debeziumSnapshotMBean(mysql, snapshot),
		debeziumRowsScannedMBean(mysql, 'inventory.customers', 4),
		debeziumStreamingMBean(mysql, streaming),
		debeziumStreamingMBean(mysql, streaming, {context: 'binlog'}),
		debeziumSchemaHistoryMBean(mysql, {ChangesApplied: 20, ChangesRecovered: 20}),
		debeziumSnapshotMBean(mariadb, snapshot),
		debeziumStreamingMBean(mariadb, streaming),
		debeziumSnapshotMBean(postgres, snapshot),
		debeziumRowsScannedMBean(postgres, 'inventory.customers', 4),
		debeziumStreamingMBean(postgres, streaming, {
			lagStatistics: {
				MilliSecondsBehindSourceMinValue: 10,
				MilliSecondsBehindSourceMaxValue: 900,
				MilliSecondsBehindSourceAverageValue: 200.5,
				MilliSecondsBehindSourceP50: 180,
				MilliSecondsBehindSourceP95: 700,
				MilliSecondsBehindSourceP99: 880,
				NumberOfUnchangedEventsSkipped: -1,
			},
		}),
		debeziumSnapshotMBean(oracle, snapshot),
		debeziumRowsScannedMBean(oracle, 'inventory.customers', 4),
		debeziumStreamingMBean(oracle, streaming),
		debeziumSchemaHistoryMBean(oracle),
		debeziumSnapshotMBean(sqlServer),
		debeziumSnapshotMBean(sqlServerDb, snapshot),
		debeziumStreamingMBean(sqlServer, {Connected: true}),
		debeziumStreamingMBean(sqlServerDb, streaming),
		debeziumSchemaHistoryMBean(sqlServer),
		debeziumSnapshotMBean(mongo, snapshot),
		debeziumStreamingMBean(mongo, streaming),
		...jvmMBeans(),
	];
}
