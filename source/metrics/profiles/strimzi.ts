import {canonicalLabels, defineMetrics, withAndWithoutTotal} from '../catalog.js';
import type {NamingProfile} from '../types.js';
import {consumerLag, debeziumMetrics, sinkLagMetric} from './shared.js';

/**
 * `strimzi`: Strimzi's `kafka-connect-metrics` ConfigMap (`metrics-config.yml`). Its
 * `kafka_connect_connector_status` is the connector status (the upstream jmx_exporter
 * example uses that name for tasks, with a `task` label: those series are left out). Strimzi
 * matches no Debezium MBean, so Debezium comes from whatever rules were added next to it
 * (debezium-examples' most often). Sink lag: Strimzi has no client-level records-lag-max;
 * the per-partition `records_lag` carries it.
 */
export const strimziProfile: NamingProfile = {
	name: 'strimzi',
	description: "Strimzi's kafka-connect-metrics rules",
	labels: canonicalLabels,
	metrics: {
		...defineMetrics({
			workerConnectorCount: 'kafka_connect_worker_connector_count',
			workerTaskCount: 'kafka_connect_worker_task_count',
			workerRebalancing: 'kafka_connect_worker_rebalance_rebalancing',
			connectorStatus: [{name: 'kafka_connect_connector_status', matchers: [{label: 'task', op: '=', value: ''}]}],
			taskStatus: 'kafka_connect_connector_task_status',
			recordRate: [...withAndWithoutTotal('kafka_connect_source_task_source_record_write'), ...withAndWithoutTotal('kafka_connect_sink_task_sink_record_read')],
			recordErrors: 'kafka_connect_task_error_total_record_errors',
			recordFailures: 'kafka_connect_task_error_total_record_failures',
			dlqWrites: 'kafka_connect_task_error_deadletterqueue_produce_requests',
			sinkOffsetCommits: withAndWithoutTotal('kafka_connect_sink_task_offset_commit_completion'),
			taskRunningRatio: 'kafka_connect_connector_task_running_ratio',
		}),
		...debeziumMetrics(['debezium-examples', 'catch-all', 'kctop']),
		sinkLag: sinkLagMetric([consumerLag.strimziMax, consumerLag.strimzi]),
	},
};
