import {canonicalLabels, defineMetrics, withAndWithoutTotal, type SeriesSpec} from '../catalog.js';
import type {NamingProfile} from '../types.js';
import {consumerLag, debeziumMetrics, sinkLagMetric} from './shared.js';

/**
 * The Connect names of jmx_exporter's default format: `<domain>_<first property
 * value>_<attribute>` with the other properties as labels. Kafka Connect's `status`
 * attributes are strings, which the default format drops. Counters keep `_total` under
 * jmx_exporter 0.x and lose it under 1.x (untyped); both are read.
 */
export const defaultFormatConnect: SeriesSpec = {
	workerConnectorCount: 'kafka_connect_connect_worker_metrics_connector_count',
	workerTaskCount: 'kafka_connect_connect_worker_metrics_task_count',
	workerRebalancing: 'kafka_connect_connect_worker_rebalance_metrics_rebalancing',
	recordRate: [...withAndWithoutTotal('kafka_connect_source_task_metrics_source_record_write'), ...withAndWithoutTotal('kafka_connect_sink_task_metrics_sink_record_read')],
	recordErrors: 'kafka_connect_task_error_metrics_total_record_errors',
	recordFailures: 'kafka_connect_task_error_metrics_total_record_failures',
	dlqWrites: 'kafka_connect_task_error_metrics_deadletterqueue_produce_requests',
	sinkOffsetCommits: withAndWithoutTotal('kafka_connect_sink_task_metrics_offset_commit_completion'),
	taskRunningRatio: 'kafka_connect_connector_task_metrics_running_ratio',
};

/**
 * `catch-all`: rules of the form `pattern: ".*"` (or no rules at all). Connector and task
 * status come from REST only.
 */
export const catchAllProfile: NamingProfile = {
	name: 'catch-all',
	description: 'jmx_exporter default format (`pattern: ".*"`)',
	labels: canonicalLabels,
	metrics: {
		...defineMetrics(defaultFormatConnect),
		...debeziumMetrics(['catch-all', 'debezium-examples', 'kctop']),
		sinkLag: sinkLagMetric([consumerLag.catchAll]),
	},
};
