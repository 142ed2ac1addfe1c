import {catalog, defineMetric} from '../catalog.js';
import type {LabelMatcher, LogicalMetricId, MetricDefinition, SeriesSelector} from '../types.js';

/**
 * Series every profile can fall back on, because people mix rule files: the Debezium part
 * of a setup often comes from a different file than the Connect part (a Strimzi worker
 * with debezium-examples rules is common), and sink lag may come from kafka-exporter.
 * Each profile lists its own spelling first; `or` then takes, per row, the first that has data.
 */

/** The Debezium naming schemes kctop knows. */
export type DebeziumScheme = 'kctop' | 'catch-all' | 'debezium-examples';

type DebeziumMetricId = Extract<LogicalMetricId, `dbz${string}`>;

interface DebeziumAttribute {
	/** Debezium's attribute name (`MilliSecondsBehindSource`). */
	readonly attribute: string;
	/** This repository's rules: `debezium_<snake_case>`. */
	readonly snake: string;
	readonly matchers: readonly LabelMatcher[];
}

const streaming: readonly LabelMatcher[] = [{label: 'context', op: '=~', value: 'streaming|binlog'}];
const snapshotContext: readonly LabelMatcher[] = [{label: 'context', op: '=', value: 'snapshot'}];

const debeziumAttributes: Readonly<Record<DebeziumMetricId, DebeziumAttribute>> = {
	dbzConnected: {attribute: 'Connected', snake: 'connected', matchers: streaming},
	dbzMsBehindSource: {attribute: 'MilliSecondsBehindSource', snake: 'milli_seconds_behind_source', matchers: streaming},
	dbzMsSinceLastEvent: {attribute: 'MilliSecondsSinceLastEvent', snake: 'milli_seconds_since_last_event', matchers: streaming},
	dbzEventsRate: {attribute: 'TotalNumberOfEventsSeen', snake: 'total_number_of_events_seen', matchers: []},
	dbzErroneousEvents: {attribute: 'NumberOfErroneousEvents', snake: 'number_of_erroneous_events', matchers: []},
	dbzSnapshotRunning: {attribute: 'SnapshotRunning', snake: 'snapshot_running', matchers: snapshotContext},
	dbzSnapshotTablesTotal: {attribute: 'TotalTableCount', snake: 'total_table_count', matchers: snapshotContext},
	dbzSnapshotTablesRemaining: {attribute: 'RemainingTableCount', snake: 'remaining_table_count', matchers: snapshotContext},
	dbzQueueRemaining: {attribute: 'QueueRemainingCapacity', snake: 'queue_remaining_capacity', matchers: streaming},
	dbzQueueTotal: {attribute: 'QueueTotalCapacity', snake: 'queue_total_capacity', matchers: streaming},
	dbzSnapshotRows: {attribute: 'TotalNumberOfEventsSeen', snake: 'total_number_of_events_seen', matchers: snapshotContext},
};

/** The catch-all names put the plugin (`mysql`, `sql_server`…) in the metric name. */
const catchAllPlugin = 'debezium_([a-z0-9_]+)_connector_metrics_.+';

/** Debezium's JMX domains (`debezium.<plugin>`), for the places a name regex cannot be used (rate(), sample times). */
const debeziumPlugins = ['mysql', 'mariadb', 'postgres', 'sql_server', 'mongodb', 'oracle', 'db2', 'informix', 'vitess', 'spanner'] as const;

function debeziumSelectors(id: DebeziumMetricId, scheme: DebeziumScheme): SeriesSelector[] {
	const {attribute, snake, matchers} = debeziumAttributes[id];
	switch (scheme) {
		case 'kctop':
			return [{name: `debezium_${snake}`, matchers}];
		case 'debezium-examples': {
			// `name` is the server (with MongoDB's ", task=0" folded in; the model strips it). Appended
			// to a file with `lowercaseOutputName: true` (Strimzi's, whose metricsConfig is one file)
			// the attribute is lower-cased: `debezium_metrics_connected`.
			const relabel = [{target: 'server', source: 'name', regex: '(.*)'}];
			return [attribute, attribute.toLowerCase()].map(spelling => ({name: `debezium_metrics_${spelling}`, matchers, relabel}));
		}
		case 'catch-all': {
			// `debezium_<plugin>_connector_metrics_<Attribute>`, lower-cased under lowercaseOutputName.
			if (catalog[id].transform === 'rate') {
				// rate() drops the name: two families with the same server would collide in one
				// rate({__name__=~…}) ("same labelset"), so each name is its own alternative.
				return debeziumPlugins.flatMap((plugin) => [attribute, attribute.toLowerCase()].map((spelling) => ({name: `debezium_${plugin}_connector_metrics_${spelling}`, matchers})));
			}

			const plugin = id === 'dbzConnected' ? [{target: 'plugin', source: '__name__', regex: catchAllPlugin}] : [];
			// The names listed too: the sample times (stale marking) are read name by name.
			const names = debeziumPlugins.flatMap((each) => [attribute, attribute.toLowerCase()].map((spelling) => `debezium_${each}_connector_metrics_${spelling}`));
			return [{name: `debezium_[a-z0-9_]+_connector_metrics_(?:${attribute}|${attribute.toLowerCase()})`, nameRegex: true, names, matchers, relabel: plugin}];
		}
	}
}

/** The Debezium metrics, read with the given schemes in order. */
export function debeziumMetrics(schemes: readonly DebeziumScheme[]): Record<DebeziumMetricId, MetricDefinition> {
	const pick = (id: DebeziumMetricId): MetricDefinition => defineMetric(id, schemes.flatMap((scheme) => debeziumSelectors(id, scheme)));
	return {
		dbzConnected: pick('dbzConnected'),
		dbzMsBehindSource: pick('dbzMsBehindSource'),
		dbzMsSinceLastEvent: pick('dbzMsSinceLastEvent'),
		dbzEventsRate: pick('dbzEventsRate'),
		dbzErroneousEvents: pick('dbzErroneousEvents'),
		dbzSnapshotRunning: pick('dbzSnapshotRunning'),
		dbzSnapshotTablesTotal: pick('dbzSnapshotTablesTotal'),
		dbzSnapshotTablesRemaining: pick('dbzSnapshotTablesRemaining'),
		dbzQueueRemaining: pick('dbzQueueRemaining'),
		dbzQueueTotal: pick('dbzQueueTotal'),
		dbzSnapshotRows: pick('dbzSnapshotRows'),
	};
}

/** A sink task's consumer client id is `connector-consumer-<connector>-<task>`. */
const consumerClientId = 'connector-consumer-(.+)-[0-9]+';

function fromClientId(name: string, label: string): SeriesSelector {
	return {name, matchers: [{label, op: '=~', value: 'connector-consumer-.+'}], relabel: [{target: 'connector', source: label, regex: consumerClientId}]};
}

/** kafka-exporter's committed-offset lag of the sink's group `connect-<connector>`: it survives a dead task. */
export const kafkaExporterLag: SeriesSelector = {
	name: 'kafka_consumergroup_lag',
	matchers: [{label: 'consumergroup', op: '=~', value: 'connect-.+'}],
	relabel: [{target: 'connector', source: 'consumergroup', regex: 'connect-(.+)'}],
};

/** The sink consumer's records-lag-max as each rule file names it. */
export const consumerLag = {
	kctop: {name: 'kafka_connect_sink_consumer_records_lag_max'},
	catchAll: fromClientId('kafka_consumer_consumer_fetch_manager_metrics_records_lag_max', 'client_id'),
	// Strimzi exports no client-level records-lag-max; per partition it collapses into records_lag.
	strimzi: fromClientId('kafka_consumer_fetch_manager_records_lag', 'clientid'),
	strimziMax: fromClientId('kafka_consumer_fetch_manager_records_lag_max', 'clientid'),
} as const satisfies Record<string, SeriesSelector>;

/** Sink lag: kafka-exporter first when it is there, then the given consumer spellings, then every other one. */
export function sinkLagMetric(own: readonly SeriesSelector[]): MetricDefinition {
	const rest = Object.values(consumerLag).filter((selector) => !own.includes(selector));
	return defineMetric('sinkLag', [kafkaExporterLag, ...own, ...rest]);
}
