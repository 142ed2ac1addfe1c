import {canonicalLabels, defineMetrics} from '../catalog.js';
import type {NamingProfile} from '../types.js';
import {debeziumMetrics, sinkLagMetric} from './shared.js';

/**
 * `debezium-examples`: debezium/debezium-examples `monitoring/debezium-jmx-exporter/config.yml`,
 * the file Debezium's documentation points to: `debezium_metrics_<Attribute>{plugin,name,context}`
 * where `name` is the server (topic.prefix; `name="mongo1, task=0"` for MongoDB 2.x, which
 * the model strips), plus `kafka_connect_worker_metrics_*`. It exports no connector or task
 * metrics; sink lag needs kafka-exporter or a consumer rule from another file.
 */
export const debeziumExamplesProfile: NamingProfile = {
	name: 'debezium-examples',
	description: 'debezium-examples monitoring/debezium-jmx-exporter/config.yml',
	labels: canonicalLabels,
	metrics: {
		...defineMetrics({workerConnectorCount: 'kafka_connect_worker_metrics_connector_count', workerTaskCount: 'kafka_connect_worker_metrics_task_count'}),
		...debeziumMetrics(['debezium-examples', 'catch-all', 'kctop']),
		sinkLag: sinkLagMetric([]),
	},
};
