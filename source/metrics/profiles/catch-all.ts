import {canonicalLabels, defineMetric, withAndWithoutTotal} from '../catalog.js';
import type {NamingProfile} from '../types.js';
import {consumerLag, debeziumMetrics, sinkLagMetric} from './shared.js';

/**
 * `catch-all`: jmx_exporter's default format, from rules of the form `pattern: ".*"` (or
 * no rules at all): `<domain>_<first property value>_<attribute>` with the other properties
 * as labels. Kafka Connect's `status` attributes are strings, which the default format
 * drops, so connector and task status come from REST only. Counters keep `_total` under
 * jmx_exporter 0.x and lose it under 1.x (untyped); both are read.
 */
export const catchAllProfile: NamingProfile = {
	name: 'catch-all',
	description: 'jmx_exporter default format (`pattern: ".*"`)',
	labels: canonicalLabels,
	metrics: {
		workerUp: defineMetric('workerUp', [{name: 'up'}]),
		workerConnectorCount: defineMetric('workerConnectorCount', [{name: 'kafka_connect_connect_worker_metrics_connector_count'}]),
		workerTaskCount: defineMetric('workerTaskCount', [{name: 'kafka_connect_connect_worker_metrics_task_count'}]),
		workerRebalancing: defineMetric('workerRebalancing', [{name: 'kafka_connect_connect_worker_rebalance_metrics_rebalancing'}]),
		...debeziumMetrics(['catch-all', 'debezium-examples', 'kctop']),
		recordRate: defineMetric('recordRate', [
			...withAndWithoutTotal('kafka_connect_source_task_metrics_source_record_write'),
			...withAndWithoutTotal('kafka_connect_sink_task_metrics_sink_record_read'),
		]),
		recordErrors: defineMetric('recordErrors', [{name: 'kafka_connect_task_error_metrics_total_record_errors'}]),
		recordFailures: defineMetric('recordFailures', [{name: 'kafka_connect_task_error_metrics_total_record_failures'}]),
		dlqWrites: defineMetric('dlqWrites', [{name: 'kafka_connect_task_error_metrics_deadletterqueue_produce_requests'}]),
		sinkLag: sinkLagMetric([consumerLag.catchAll]),
	},
};
