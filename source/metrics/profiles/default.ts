import {canonicalLabels, defineMetrics} from '../catalog.js';
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
		...defineMetrics({
			workerConnectorCount: 'kafka_connect_worker_connector_count',
			workerTaskCount: 'kafka_connect_worker_task_count',
			workerRebalancing: 'kafka_connect_worker_rebalancing',
			connectorStatus: 'kafka_connect_connector_status',
			taskStatus: 'kafka_connect_task_status',
			recordRate: [{name: 'kafka_connect_source_task_source_record_write_total'}, {name: 'kafka_connect_sink_task_sink_record_read_total'}],
			recordErrors: 'kafka_connect_task_record_errors_total',
			recordFailures: 'kafka_connect_task_record_failures_total',
			dlqWrites: 'kafka_connect_task_deadletterqueue_produce_requests_total',
			sinkLag: [consumerLag.kctop],
			sinkOffsetCommits: 'kafka_connect_sink_task_offset_commit_completion_total',
			taskRunningRatio: 'kafka_connect_task_running_ratio',
		}),
		...debeziumMetrics(['kctop']),
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
