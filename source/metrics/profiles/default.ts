import {canonicalLabels, defineMetric} from '../catalog.js';
import type {NamingProfile} from '../types.js';
import {consumerLag, debeziumMetrics, sinkLagMetric} from './shared.js';

/**
 * Exactly the names produced by this repository's `jmx-exporter-config.yml` (lower-case
 * names and labels, `connector`/`task` labels on Connect metrics, Debezium metrics as
 * `debezium_<snake_case_attribute>` with `plugin`/`context`/`server` labels, sink consumer
 * lag with `connector`/`task`). Every counter there is a COUNTER named `*_total`, so
 * jmx_exporter 0.x and 1.x give the same names. test/stack/jmx-rules.test.ts applies that
 * file's rules to the real MBean names and checks that every series named here is produced.
 */
export const defaultProfile: NamingProfile = {
	name: 'kctop',
	aliases: ['default'],
	description: "this repository's jmx-exporter-config.yml",
	labels: canonicalLabels,
	metrics: {
		workerUp: defineMetric('workerUp', [{name: 'up'}]),
		workerConnectorCount: defineMetric('workerConnectorCount', [{name: 'kafka_connect_worker_connector_count'}]),
		workerTaskCount: defineMetric('workerTaskCount', [{name: 'kafka_connect_worker_task_count'}]),
		workerRebalancing: defineMetric('workerRebalancing', [{name: 'kafka_connect_worker_rebalancing'}]),
		connectorStatus: defineMetric('connectorStatus', [{name: 'kafka_connect_connector_status'}]),
		taskStatus: defineMetric('taskStatus', [{name: 'kafka_connect_task_status'}]),
		...debeziumMetrics(['kctop']),
		recordRate: defineMetric('recordRate', [{name: 'kafka_connect_source_task_source_record_write_total'}, {name: 'kafka_connect_sink_task_sink_record_read_total'}]),
		recordErrors: defineMetric('recordErrors', [{name: 'kafka_connect_task_record_errors_total'}]),
		recordFailures: defineMetric('recordFailures', [{name: 'kafka_connect_task_record_failures_total'}]),
		dlqWrites: defineMetric('dlqWrites', [{name: 'kafka_connect_task_deadletterqueue_produce_requests_total'}]),
		sinkLag: defineMetric('sinkLag', [consumerLag.kctop]),
	},
};

/**
 * `kctop` (alias `default`), the built-in profile: the names above first, then, like every
 * profile, the other Debezium naming schemes and every sink-lag spelling (kafka-exporter's
 * consumer-group lag first), for setups that mix rule files.
 */
export const kctopProfile: NamingProfile = {
	...defaultProfile,
	metrics: {
		...defaultProfile.metrics,
		...debeziumMetrics(['kctop', 'debezium-examples', 'catch-all']),
		sinkLag: sinkLagMetric([consumerLag.kctop]),
	},
};
