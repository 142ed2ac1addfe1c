import {canonicalLabels, defineMetric, withAndWithoutTotal} from '../catalog.js';
import type {NamingProfile} from '../types.js';
import {consumerLag, debeziumMetrics, sinkLagMetric} from './shared.js';

/**
 * `confluent`: confluentinc/jmx-monitoring-stacks `kafka_connect.yml`. Its Connect names
 * are those of the default format (no rule sets a type, so jmx_exporter 1.x drops every
 * `_total`), plus the connector status as `kafka_connect_connector_metrics{connector,status}`
 * (one series per string attribute: only those with a `status` label are read). It has no
 * task status. Debezium rules are copied from debezium-examples (`debezium_metrics_*`).
 */
export const confluentProfile: NamingProfile = {
	name: 'confluent',
	description: 'confluentinc/jmx-monitoring-stacks kafka_connect.yml',
	labels: canonicalLabels,
	metrics: {
		workerUp: defineMetric('workerUp', [{name: 'up'}]),
		workerConnectorCount: defineMetric('workerConnectorCount', [{name: 'kafka_connect_connect_worker_metrics_connector_count'}]),
		workerTaskCount: defineMetric('workerTaskCount', [{name: 'kafka_connect_connect_worker_metrics_task_count'}]),
		workerRebalancing: defineMetric('workerRebalancing', [{name: 'kafka_connect_connect_worker_rebalance_metrics_rebalancing'}]),
		connectorStatus: defineMetric('connectorStatus', [{name: 'kafka_connect_connector_metrics', matchers: [{label: 'status', op: '=~', value: '.+'}]}]),
		...debeziumMetrics(['debezium-examples', 'catch-all', 'kctop']),
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
