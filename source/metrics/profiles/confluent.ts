import {canonicalLabels, defineMetrics} from '../catalog.js';
import type {NamingProfile} from '../types.js';
import {defaultFormatConnect} from './catch-all.js';
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
		...defineMetrics({...defaultFormatConnect, connectorStatus: [{name: 'kafka_connect_connector_metrics', matchers: [{label: 'status', op: '=~', value: '.+'}]}]}),
		...debeziumMetrics(['debezium-examples', 'catch-all', 'kctop']),
		sinkLag: sinkLagMetric([consumerLag.catchAll]),
	},
};
