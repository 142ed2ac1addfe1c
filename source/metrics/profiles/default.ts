import type {MetricDefinition, NamingProfile} from '../types.js';

/**
 * The default profile: exactly the names produced by this repository's
 * `jmx-exporter-config.yml` (lower-case names and labels, `connector`/`task` labels on
 * Connect metrics, Debezium metrics as `debezium_<snake_case_attribute>` with
 * `plugin`/`context`/`server` labels, sink consumer lag with `connector`/`task`).
 * test/stack/jmx-rules.test.ts applies that file's rules to the real MBean names and
 * checks that every series named here is produced.
 */

const streaming = [{label: 'context', op: '=~', value: 'streaming|binlog'}] as const;
const snapshot = [{label: 'context', op: '=', value: 'snapshot'}] as const;

const metrics = {
	workerUp: {id: 'workerUp', entity: 'worker', series: [{name: 'up'}], kind: 'gauge', transform: 'value', aggregate: 'max', by: ['instance', 'job', 'worker_id']},
	workerConnectorCount: {id: 'workerConnectorCount', entity: 'worker', series: [{name: 'kafka_connect_worker_connector_count'}], kind: 'gauge', transform: 'value', aggregate: 'max', by: ['instance', 'worker_id']},
	workerTaskCount: {id: 'workerTaskCount', entity: 'worker', series: [{name: 'kafka_connect_worker_task_count'}], kind: 'gauge', transform: 'value', aggregate: 'max', by: ['instance', 'worker_id']},
	workerRebalancing: {id: 'workerRebalancing', entity: 'worker', series: [{name: 'kafka_connect_worker_rebalancing'}], kind: 'gauge', transform: 'value', aggregate: 'max', by: ['instance', 'worker_id']},
	connectorStatus: {id: 'connectorStatus', entity: 'connector', series: [{name: 'kafka_connect_connector_status'}], kind: 'gauge', transform: 'value', aggregate: 'max', by: ['connector', 'status', 'instance']},
	taskStatus: {id: 'taskStatus', entity: 'task', series: [{name: 'kafka_connect_task_status'}], kind: 'gauge', transform: 'value', aggregate: 'max', by: ['connector', 'task', 'status', 'instance']},
	dbzConnected: {id: 'dbzConnected', entity: 'dbz-server', series: [{name: 'debezium_connected', matchers: streaming}], kind: 'gauge', transform: 'value', aggregate: 'min', by: ['server', 'plugin']},
	dbzMsBehindSource: {id: 'dbzMsBehindSource', entity: 'dbz-server', series: [{name: 'debezium_milli_seconds_behind_source', matchers: streaming}], kind: 'gauge', transform: 'value', aggregate: 'max', by: ['server']},
	dbzMsSinceLastEvent: {id: 'dbzMsSinceLastEvent', entity: 'dbz-server', series: [{name: 'debezium_milli_seconds_since_last_event', matchers: streaming}], kind: 'gauge', transform: 'value', aggregate: 'max', by: ['server']},
	dbzEventsRate: {id: 'dbzEventsRate', entity: 'dbz-server', series: [{name: 'debezium_total_number_of_events_seen'}], kind: 'counter', transform: 'rate', aggregate: 'sum', by: ['server']},
	dbzErroneousEvents: {id: 'dbzErroneousEvents', entity: 'dbz-server', series: [{name: 'debezium_number_of_erroneous_events'}], kind: 'counter', transform: 'value', aggregate: 'sum', by: ['server']},
	dbzSnapshotRunning: {id: 'dbzSnapshotRunning', entity: 'dbz-server', series: [{name: 'debezium_snapshot_running', matchers: [{label: 'context', op: '=', value: 'snapshot'}]}], kind: 'gauge', transform: 'value', aggregate: 'max', by: ['server']},
	dbzSnapshotTablesTotal: {id: 'dbzSnapshotTablesTotal', entity: 'dbz-server', series: [{name: 'debezium_total_table_count', matchers: snapshot}], kind: 'gauge', transform: 'value', aggregate: 'sum', by: ['server']},
	dbzSnapshotTablesRemaining: {id: 'dbzSnapshotTablesRemaining', entity: 'dbz-server', series: [{name: 'debezium_remaining_table_count', matchers: snapshot}], kind: 'gauge', transform: 'value', aggregate: 'sum', by: ['server']},
	dbzQueueRemaining: {id: 'dbzQueueRemaining', entity: 'dbz-server', series: [{name: 'debezium_queue_remaining_capacity', matchers: streaming}], kind: 'gauge', transform: 'value', aggregate: 'sum', by: ['server']},
	dbzQueueTotal: {id: 'dbzQueueTotal', entity: 'dbz-server', series: [{name: 'debezium_queue_total_capacity', matchers: streaming}], kind: 'gauge', transform: 'value', aggregate: 'sum', by: ['server']},
	recordRate: {
		id: 'recordRate',
		entity: 'connector',
		series: [{name: 'kafka_connect_source_task_source_record_write_total'}, {name: 'kafka_connect_sink_task_sink_record_read_total'}],
		kind: 'counter',
		transform: 'rate',
		aggregate: 'sum',
		by: ['connector'],
	},
	recordErrors: {id: 'recordErrors', entity: 'connector', series: [{name: 'kafka_connect_task_record_errors_total'}], kind: 'counter', transform: 'value', aggregate: 'sum', by: ['connector']},
	recordFailures: {id: 'recordFailures', entity: 'connector', series: [{name: 'kafka_connect_task_record_failures_total'}], kind: 'counter', transform: 'value', aggregate: 'sum', by: ['connector']},
	dlqWrites: {id: 'dlqWrites', entity: 'connector', series: [{name: 'kafka_connect_task_deadletterqueue_produce_requests_total'}], kind: 'counter', transform: 'value', aggregate: 'sum', by: ['connector']},
	sinkLag: {id: 'sinkLag', entity: 'connector', series: [{name: 'kafka_connect_sink_consumer_records_lag_max'}], kind: 'gauge', transform: 'value', aggregate: 'max', by: ['connector']},
} as const satisfies Record<string, MetricDefinition>;

export const defaultProfile: NamingProfile = {
	name: 'default',
	description: "this repository's jmx-exporter-config.yml",
	labels: {connector: 'connector', task: 'task', status: 'status', server: 'server', instance: 'instance', workerId: 'worker_id'},
	metrics,
	detect: ['kafka_connect_worker_connector_count', 'kafka_connect_task_status'],
};
