import type {ConnectorSpec, Placement} from './spec.js';
import {connectorStartFailureTrace, jdbcSinkConnectionRefusedTrace} from './traces.js';

/**
 * The default scenario: the stack users run (docker-compose.yml) playing an incident.
 *
 * Workers connect-1:8083, connect-2:8083, connect-3:8083 (connect-3 a standby with no
 * assignments at first). Timeline, in seconds since the simulation started, repeating
 * every SCENARIO_PERIOD_S seconds:
 *
 *    0  Debezium snapshots run (cdc-test 4 tables for 4 s, cdc-other 2 tables for 2 s;
 *       streaming Connected is 0 and MilliSecondsBehindSource/SinceLastEvent are -1
 *       until the first streamed event), then streaming starts.
 *   10  a batch job rewrites test.orders: cdc-test-connector's MilliSecondsBehindSource
 *       climbs (~1.3 s per second) until 30 s, then drains by ~50 s; the JDBC sink's
 *       consumer lag (records-lag-max) climbs with it.
 *   15  malformed records reach cdc-test.test.orders: jdbc-sink-orders logs record
 *       errors and writes them to dlq-jdbc-sink-orders (errors.tolerance=all) until 35 s.
 *   20  the `other` database drops: cdc-other-connector's Connected 1→0,
 *       NumberOfDisconnects +1, MilliSecondsSinceLastEvent grows.
 *   25  jdbc-sink-orders task 1 FAILS (java.sql.SQLException: Connection refused, with a
 *       `Caused by:` chain). It stays FAILED until restarted (by kctop, or at 150 s).
 *   40  `other` is back: cdc-other-connector reconnects (Connected 0→1).
 *   45  worker connect-2 dies: its REST and metrics ports refuse connections, its
 *       connector instances and tasks show UNASSIGNED (worker_id connect-2:8083).
 *   47  rebalance under way on the survivors until 53 s: `kafka_connect_worker_rebalancing`
 *       is 1 and REST answers 409 "Cannot complete request momentarily due to no known
 *       leader URL, likely because a rebalance was underway." to everything but `GET /`
 *       and the status endpoints.
 *   53  connect-2's work is reassigned to connect-1 and connect-3 (RUNNING, new
 *       worker_id; the moved tasks' metrics restart from zero on their new worker).
 *  120  connect-2 comes back (fresh JVM: its counters start from zero); rebalance
 *       120–124 s (409s again), then work is balanced back onto it.
 *  150  the on-call engineer restarts jdbc-sink-orders task 1 if nobody did.
 *  240  the timeline starts again (from the 10 s mark on: no new snapshots).
 */
export const SCENARIO_PERIOD_S = 240;

export const scenarioTimes = {
	lagSpikeStart: 10,
	lagSpikeEnd: 30,
	dlqStart: 15,
	dlqEnd: 35,
	dbDown: 20,
	taskFails: 25,
	dbUp: 40,
	workerDies: 45,
	rebalanceStart: 47,
	reassigned: 53,
	workerReturns: 120,
	rebalanceBackEnd: 124,
	scenarioRestartsTask: 150,
} as const;

export const scenarioNames = {
	cdcTest: 'cdc-test-connector',
	cdcOther: 'cdc-other-connector',
	jdbcSink: 'jdbc-sink-orders',
	fileSource: 'file-source-audit',
	dyingWorker: 1, // index of connect-2
	failingTask: 1,
} as const;

export const defaultWorkerHosts = ['connect-1', 'connect-2', 'connect-3'] as const;

const debeziumVersion = '2.7.3.Final';

function mysqlConnector(name: string, database: string, prefix: string, serverId: string, password: string, tables: readonly string[]): ConnectorSpec {
	return {
		name,
		className: 'io.debezium.connector.mysql.MySqlConnector',
		taskClass: 'io.debezium.connector.mysql.MySqlConnectorTask',
		version: debeziumVersion,
		type: 'source',
		config: {
			'connector.class': 'io.debezium.connector.mysql.MySqlConnector',
			'tasks.max': '1',
			'database.hostname': 'mysql',
			'database.port': '3306',
			'database.user': 'debezium',
			'database.password': password,
			'database.server.id': serverId,
			'topic.prefix': prefix,
			'database.include.list': database,
			'schema.history.internal.kafka.bootstrap.servers': 'kafka:9092',
			'schema.history.internal.kafka.topic': `schema-changes.${prefix}`,
			'include.schema.changes': 'true',
			'snapshot.mode': 'initial',
			'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
			'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
			name,
		},
		tasksMax: 1,
		topics: [prefix, ...tables.map(table => `${prefix}.${database}.${table}`)],
		partitionsPerTopic: 1,
		recordsPerSecond: 0,
		offsetStyle: 'debezium-mysql',
		debezium: {plugin: 'mysql', server: prefix, database, tables, snapshotSeconds: tables.length},
		failureTrace: connectorStartFailureTrace('io.debezium.connector.mysql.MySqlConnector'),
	};
}

const jdbcUrl = 'jdbc:postgresql://warehouse:5432/analytics';

/** The four connectors of the stack, in the order REST lists them. */
export function defaultConnectorSpecs(): ConnectorSpec[] {
	const jdbcTopics = ['cdc-test.test.orders', 'cdc-test.test.order_items'];
	return [
		mysqlConnector(scenarioNames.cdcTest, 'test', 'cdc-test', '184054', '${file:/opt/kafka/external-configuration/secrets/mysql.properties:password}', ['orders', 'customers', 'products', 'order_items']),
		mysqlConnector(scenarioNames.cdcOther, 'other', 'cdc-other', '184055', 'dbz', ['accounts', 'invoices']),
		{
			name: scenarioNames.jdbcSink,
			className: 'io.confluent.connect.jdbc.JdbcSinkConnector',
			taskClass: 'io.confluent.connect.jdbc.sink.JdbcSinkTask',
			version: '10.7.6',
			type: 'sink',
			config: {
				'connector.class': 'io.confluent.connect.jdbc.JdbcSinkConnector',
				'tasks.max': '2',
				topics: jdbcTopics.join(','),
				'connection.url': jdbcUrl,
				'connection.user': 'connect',
				'connection.password': 'Wareh0use!2024',
				'insert.mode': 'upsert',
				'pk.mode': 'record_key',
				'auto.create': 'true',
				'auto.evolve': 'true',
				'transforms': 'unwrap',
				'transforms.unwrap.type': 'io.debezium.transforms.ExtractNewRecordState',
				'transforms.unwrap.drop.tombstones': 'false',
				'errors.tolerance': 'all',
				'errors.log.enable': 'true',
				'errors.log.include.messages': 'true',
				'errors.deadletterqueue.topic.name': 'dlq-jdbc-sink-orders',
				'errors.deadletterqueue.topic.replication.factor': '1',
				'errors.deadletterqueue.context.headers.enable': 'true',
				name: scenarioNames.jdbcSink,
			},
			tasksMax: 2,
			topics: jdbcTopics,
			partitionsPerTopic: 3,
			recordsPerSecond: 40,
			offsetStyle: 'sink',
			failureTrace: jdbcSinkConnectionRefusedTrace(jdbcUrl),
		},
		{
			name: scenarioNames.fileSource,
			className: 'org.apache.kafka.connect.file.FileStreamSourceConnector',
			taskClass: 'org.apache.kafka.connect.file.FileStreamSourceTask',
			version: '3.9.0',
			type: 'source',
			config: {
				'connector.class': 'org.apache.kafka.connect.file.FileStreamSourceConnector',
				'tasks.max': '1',
				file: '/var/log/app/audit.log',
				topic: 'audit-log',
				'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
				'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
				name: scenarioNames.fileSource,
			},
			tasksMax: 1,
			topics: ['audit-log'],
			partitionsPerTopic: 1,
			recordsPerSecond: 6,
			offsetStyle: 'file',
			failureTrace: connectorStartFailureTrace('org.apache.kafka.connect.file.FileStreamSourceConnector'),
		},
	];
}

/** Where each default connector starts (worker indexes; connect-3, index 2, has nothing). */
export const defaultPlacements: Readonly<Record<string, Placement>> = {
	[scenarioNames.cdcTest]: {connector: 0, tasks: [0]},
	[scenarioNames.cdcOther]: {connector: 1, tasks: [1]},
	[scenarioNames.jdbcSink]: {connector: 1, tasks: [1, 0]},
	[scenarioNames.fileSource]: {connector: 0, tasks: [1]},
};

/**
 * How a simulated sink consumes, switched per connector (`--sink NAME=MODE`, or
 * `SimCluster.setSinkMode`), so that every sink verdict (model/sink-verdict.ts) can be produced:
 *
 *   normal   reads up to three times what arrives, commits offsets every second       → OK
 *   slow     reads half of what arrives: lag grows while records are read            → WARN
 *   stalled  reads nothing, still commits (the same offsets) every second: lag grows  → STALL
 *   stopped  put() never returns: nothing read, no offset commit, tasks still RUNNING → STOP
 */
export const sinkModes = ['normal', 'slow', 'stalled', 'stopped'] as const;
export type SinkMode = (typeof sinkModes)[number];

export class SinkSwitchError extends Error {}

/** Parses `NAME=MODE` (the connector name may contain `=`: the last one separates). */
export function parseSinkSwitch(text: string): {readonly connector: string; readonly mode: SinkMode} {
	const at = text.lastIndexOf('=');
	const connector = at <= 0 ? '' : text.slice(0, at);
	const mode = sinkModes.find(each => each === text.slice(at + 1));
	if (connector === '' || mode === undefined) throw new SinkSwitchError(`bad sink switch "${text}": expected NAME=MODE with MODE one of ${sinkModes.join(', ')}, e.g. ${scenarioNames.jdbcSink}=stalled`);
	return {connector, mode};
}
