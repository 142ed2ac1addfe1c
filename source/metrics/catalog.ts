import type {LogicalMetricId, MetricDefinition, ProfileLabels, SeriesSelector} from './types.js';
import {logicalMetricIds} from './types.js';

/**
 * What each logical metric is, whatever the naming: which entity a row identifies, how it
 * is aggregated and which labels it keeps. Profiles only say where the series are
 * (`defineMetric`), so every profile yields rows with the same label names
 * (`connector`, `task`, `status`, `server`, `plugin`, `instance`, `worker_id`), which is
 * what the model joins on.
 */
export interface CatalogEntry {
	readonly entity: MetricDefinition['entity'];
	readonly kind: MetricDefinition['kind'];
	readonly transform: MetricDefinition['transform'];
	readonly aggregate: MetricDefinition['aggregate'];
	readonly by: readonly string[];
	/** The MBean attribute behind the metric and the kind of rule that exports it (for "missing" hints). */
	readonly rule: string;
}

/** The label names every profile's rows carry (relabelling gives them to every alternative). */
export const canonicalLabels: ProfileLabels = {connector: 'connector', task: 'task', status: 'status', server: 'server', instance: 'instance', workerId: 'worker_id'};

const worker = ['instance', 'worker_id'] as const;

export const catalog: Readonly<Record<LogicalMetricId, CatalogEntry>> = {
	workerUp: {entity: 'worker', kind: 'gauge', transform: 'value', aggregate: 'max', by: ['instance', 'job', 'worker_id'], rule: 'Prometheus `up` of the worker targets (--prometheus-job)'},
	workerConnectorCount: {entity: 'worker', kind: 'gauge', transform: 'value', aggregate: 'max', by: worker, rule: 'kafka.connect:type=connect-worker-metrics connector-count'},
	workerTaskCount: {entity: 'worker', kind: 'gauge', transform: 'value', aggregate: 'max', by: worker, rule: 'kafka.connect:type=connect-worker-metrics task-count'},
	workerRebalancing: {entity: 'worker', kind: 'gauge', transform: 'value', aggregate: 'max', by: worker, rule: 'kafka.connect:type=connect-worker-rebalance-metrics rebalancing'},
	connectorStatus: {
		entity: 'connector',
		kind: 'gauge',
		transform: 'value',
		aggregate: 'max',
		// instance: which exporter carries the connector, the evidence that pairs exporters with workers.
		by: ['connector', 'status', 'instance'],
		rule: 'kafka.connect:type=connector-metrics status (a string: needs a rule with `value: 1` and a `status` label, e.g. `kafka.connect<type=connector-metrics, connector=(.+)><>status: ([a-z-]+)`)',
	},
	taskStatus: {
		entity: 'task',
		kind: 'gauge',
		transform: 'value',
		aggregate: 'max',
		by: ['connector', 'task', 'status', 'instance'],
		rule: 'kafka.connect:type=connector-task-metrics status (a string: needs a rule with `value: 1` and a `status` label, e.g. `kafka.connect<type=connector-task-metrics, connector=(.+), task=(\\d+)><>status: ([a-z-]+)`)',
	},
	dbzConnected: {entity: 'dbz-server', kind: 'gauge', transform: 'value', aggregate: 'min', by: ['server', 'plugin'], rule: 'debezium.<plugin>:type=connector-metrics,context=streaming Connected'},
	dbzMsBehindSource: {entity: 'dbz-server', kind: 'gauge', transform: 'value', aggregate: 'max', by: ['server'], rule: 'debezium.<plugin>:type=connector-metrics,context=streaming MilliSecondsBehindSource'},
	dbzMsSinceLastEvent: {entity: 'dbz-server', kind: 'gauge', transform: 'value', aggregate: 'max', by: ['server'], rule: 'debezium.<plugin>:type=connector-metrics,context=streaming MilliSecondsSinceLastEvent'},
	dbzEventsRate: {entity: 'dbz-server', kind: 'counter', transform: 'rate', aggregate: 'sum', by: ['server'], rule: 'debezium.<plugin>:type=connector-metrics TotalNumberOfEventsSeen'},
	dbzErroneousEvents: {entity: 'dbz-server', kind: 'counter', transform: 'value', aggregate: 'sum', by: ['server'], rule: 'debezium.<plugin>:type=connector-metrics NumberOfErroneousEvents'},
	dbzSnapshotRunning: {entity: 'dbz-server', kind: 'gauge', transform: 'value', aggregate: 'max', by: ['server'], rule: 'debezium.<plugin>:type=connector-metrics,context=snapshot SnapshotRunning'},
	dbzSnapshotTablesTotal: {entity: 'dbz-server', kind: 'gauge', transform: 'value', aggregate: 'sum', by: ['server'], rule: 'debezium.<plugin>:type=connector-metrics,context=snapshot TotalTableCount'},
	dbzSnapshotTablesRemaining: {entity: 'dbz-server', kind: 'gauge', transform: 'value', aggregate: 'sum', by: ['server'], rule: 'debezium.<plugin>:type=connector-metrics,context=snapshot RemainingTableCount'},
	dbzQueueRemaining: {entity: 'dbz-server', kind: 'gauge', transform: 'value', aggregate: 'sum', by: ['server'], rule: 'debezium.<plugin>:type=connector-metrics,context=streaming QueueRemainingCapacity'},
	dbzQueueTotal: {entity: 'dbz-server', kind: 'gauge', transform: 'value', aggregate: 'sum', by: ['server'], rule: 'debezium.<plugin>:type=connector-metrics,context=streaming QueueTotalCapacity'},
	dbzSnapshotRows: {entity: 'dbz-server', kind: 'counter', transform: 'value', aggregate: 'sum', by: ['server'], rule: 'debezium.<plugin>:type=connector-metrics,context=snapshot TotalNumberOfEventsSeen'},
	recordRate: {entity: 'connector', kind: 'counter', transform: 'rate', aggregate: 'sum', by: ['connector'], rule: 'kafka.connect:type=source-task-metrics source-record-write-total / sink-task-metrics sink-record-read-total'},
	recordErrors: {entity: 'connector', kind: 'counter', transform: 'value', aggregate: 'sum', by: ['connector'], rule: 'kafka.connect:type=task-error-metrics total-record-errors'},
	recordFailures: {entity: 'connector', kind: 'counter', transform: 'value', aggregate: 'sum', by: ['connector'], rule: 'kafka.connect:type=task-error-metrics total-record-failures'},
	dlqWrites: {entity: 'connector', kind: 'counter', transform: 'value', aggregate: 'sum', by: ['connector'], rule: 'kafka.connect:type=task-error-metrics deadletterqueue-produce-requests'},
	sinkLag: {
		entity: 'connector',
		kind: 'gauge',
		transform: 'value',
		aggregate: 'max',
		by: ['connector'],
		rule: 'kafka.consumer:type=consumer-fetch-manager-metrics,client-id=connector-consumer-<connector>-<task> records-lag-max, or kafka-exporter kafka_consumergroup_lag{consumergroup="connect-<connector>"}',
	},
	sinkOffsetCommits: {
		entity: 'connector',
		kind: 'counter',
		transform: 'value',
		aggregate: 'sum',
		by: ['connector'],
		rule: 'kafka.connect:type=sink-task-metrics offset-commit-completion-total (the sink verdict: STOP when it does not move)',
	},
	taskRunningRatio: {
		entity: 'task',
		kind: 'gauge',
		transform: 'value',
		aggregate: 'max',
		// instance: which exporter carries the task, pairing evidence for rules that drop the status strings (catch-all).
		by: ['connector', 'task', 'instance'],
		rule: 'kafka.connect:type=connector-task-metrics running-ratio',
	},
};

/** A metric definition from the catalog and the series a profile reads it from (alternatives, first wins). */
export function defineMetric(id: LogicalMetricId, series: readonly SeriesSelector[]): MetricDefinition {
	const entry = catalog[id];
	return {id, entity: entry.entity, series, kind: entry.kind, transform: entry.transform, aggregate: entry.aggregate, by: entry.by};
}

/** The spellings of a counter name across jmx_exporter versions: 0.x keeps `_total` as written, 1.x strips it from untyped names. */
export function withAndWithoutTotal(base: string, selector: Omit<SeriesSelector, 'name'> = {}): SeriesSelector[] {
	return [
		{...selector, name: `${base}_total`},
		{...selector, name: base},
	];
}

/** Where a profile reads each metric: one series name, or selectors tried in order. */
export type SeriesSpec = Partial<Record<LogicalMetricId, string | readonly SeriesSelector[]>>;

/** The definitions of a profile's metrics from where it reads them; `up` is always read for workerUp. */
export function defineMetrics(spec: SeriesSpec): Partial<Record<LogicalMetricId, MetricDefinition>> {
	const out: Partial<Record<LogicalMetricId, MetricDefinition>> = {workerUp: defineMetric('workerUp', [{name: 'up'}])};
	for (const id of logicalMetricIds) {
		const series = spec[id];
		if (series !== undefined) out[id] = defineMetric(id, typeof series === 'string' ? [{name: series}] : series);
	}

	return out;
}
