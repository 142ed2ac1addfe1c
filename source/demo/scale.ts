import {createRandom, type Random} from './random.js';
import {defaultConnectorSpecs} from './scenario.js';
import type {ConnectorSpec, InitialTrouble} from './spec.js';
import {debeziumPostgresTrace, elasticsearchSinkTrace, jdbcSinkConnectionRefusedTrace, s3SinkTrace, connectorStartFailureTrace} from './traces.js';

/**
 * `--scale N`: N connectors, deterministic for a seed. The first four are the default
 * scenario's (so the incident still plays at scale); the rest are a realistic mix of
 * Debezium MySQL/PostgreSQL sources, JDBC/S3/Elasticsearch sinks and other sources, with
 * 1–8 tasks (Debezium: 1), and a few in trouble: failed tasks, paused connectors and
 * disconnected Debezium sources.
 */

const domains = ['orders', 'payments', 'inventory', 'customers', 'shipping', 'billing', 'catalog', 'ledger', 'audit', 'users', 'sessions', 'pricing', 'returns', 'loyalty', 'fraud', 'search'];
const tableNames = ['items', 'events', 'accounts', 'lines', 'history', 'status'];

type Kind = 'mysql' | 'postgres' | 'jdbc' | 's3' | 'elasticsearch' | 'file' | 'datagen';
const kinds: ReadonlyArray<readonly [Kind, number]> = [
	['mysql', 18],
	['postgres', 14],
	['jdbc', 20],
	['s3', 16],
	['elasticsearch', 14],
	['file', 8],
	['datagen', 10],
];

function pickKind(random: Random): Kind {
	const total = kinds.reduce((sum, [, weight]) => sum + weight, 0);
	let roll = random.next() * total;
	for (const [kind, weight] of kinds) {
		roll -= weight;
		if (roll < 0) return kind;
	}
	return 'datagen';
}

function trouble(random: Random, kind: Kind, tasks: number, index: number): InitialTrouble | undefined {
	const roll = random.next();
	const debezium = kind === 'mysql' || kind === 'postgres';
	if (roll < 0.03) return {failedTasks: [random.int(0, tasks - 1)]};
	if (roll < 0.05) return {paused: true};
	// Guarantee at least one disconnected Debezium source in any scale ≥ 10.
	if (debezium && (roll < 0.07 || index === 9)) return {disconnected: true};
	return undefined;
}

function generated(index: number, random: Random): ConnectorSpec {
	const kind = pickKind(random);
	const domain = random.pick(domains);
	const id = String(index).padStart(5, '0');
	const sourceTopics = (prefix: string): string[] => tableNames.slice(0, random.int(1, 4)).map(table => `${prefix}.${domain}.${table}`);
	const upstream = `${random.pick(['mysql', 'pg'])}-${domain}.${domain}.${random.pick(tableNames)}`;
	switch (kind) {
		case 'mysql':
		case 'postgres': {
			const name = `${kind}-cdc-${domain}-${id}`;
			const prefix = `${kind === 'mysql' ? 'mysql' : 'pg'}-${domain}-${id}`;
			const tables = tableNames.slice(0, random.int(1, 5));
			const className = kind === 'mysql' ? 'io.debezium.connector.mysql.MySqlConnector' : 'io.debezium.connector.postgresql.PostgresConnector';
			return {
				name,
				className,
				taskClass: kind === 'mysql' ? 'io.debezium.connector.mysql.MySqlConnectorTask' : 'io.debezium.connector.postgresql.PostgresConnectorTask',
				version: '2.7.3.Final',
				type: 'source',
				config: {
					'connector.class': className,
					'tasks.max': '1',
					'database.hostname': `${kind}-${domain}.db.internal`,
					'database.port': kind === 'mysql' ? '3306' : '5432',
					'database.user': 'debezium',
					'database.password': '${file:/opt/kafka/external-configuration/secrets/db.properties:password}',
					...(kind === 'mysql' ? {'database.server.id': String(200000 + index), 'database.include.list': domain} : {'database.dbname': domain, 'plugin.name': 'pgoutput', 'slot.name': `debezium_${domain}_${id}`}),
					'topic.prefix': prefix,
					...(kind === 'mysql' ? {'schema.history.internal.kafka.bootstrap.servers': 'kafka:9092', 'schema.history.internal.kafka.topic': `schema-changes.${prefix}`} : {}),
					name,
				},
				tasksMax: 1,
				topics: tables.map(table => `${prefix}.${domain}.${table}`),
				partitionsPerTopic: 1,
				recordsPerSecond: 0,
				offsetStyle: kind === 'mysql' ? 'debezium-mysql' : 'debezium-postgres',
				debezium: {plugin: kind, server: prefix, database: domain, tables, snapshotSeconds: 0},
				failureTrace: kind === 'postgres' ? debeziumPostgresTrace(prefix) : connectorStartFailureTrace(className),
				trouble: trouble(random, kind, 1, index),
			};
		}
		case 'jdbc':
		case 's3':
		case 'elasticsearch': {
			const name = `${kind}-sink-${domain}-${id}`;
			const tasks = random.int(1, 8);
			const topics = [upstream, ...(random.chance(0.4) ? [`${upstream}_archive`] : [])];
			const className = {
				jdbc: 'io.confluent.connect.jdbc.JdbcSinkConnector',
				s3: 'io.confluent.connect.s3.S3SinkConnector',
				elasticsearch: 'io.confluent.connect.elasticsearch.ElasticsearchSinkConnector',
			}[kind];
			const taskClass = {
				jdbc: 'io.confluent.connect.jdbc.sink.JdbcSinkTask',
				s3: 'io.confluent.connect.s3.S3SinkTask',
				elasticsearch: 'io.confluent.connect.elasticsearch.ElasticsearchSinkTask',
			}[kind];
			const specific: Record<string, string> =
				kind === 'jdbc'
					? {'connection.url': `jdbc:postgresql://dwh.internal:5432/${domain}`, 'connection.user': 'connect', 'connection.password': 'changeme', 'insert.mode': 'upsert', 'pk.mode': 'record_key'}
					: kind === 's3'
						? {'s3.bucket.name': `datalake-${domain}`, 's3.region': 'eu-west-1', 'flush.size': '1000', 'storage.class': 'io.confluent.connect.s3.storage.S3Storage', 'format.class': 'io.confluent.connect.s3.format.parquet.ParquetFormat'}
						: {'connection.url': 'https://search.internal:9200', 'connection.username': 'connect', 'connection.password': 'changeme', 'key.ignore': 'false'};
			const tolerant = random.chance(0.5);
			return {
				name,
				className,
				taskClass,
				version: {jdbc: '10.7.6', s3: '10.5.13', elasticsearch: '14.1.1'}[kind],
				type: 'sink',
				config: {
					'connector.class': className,
					'tasks.max': String(tasks),
					topics: topics.join(','),
					...specific,
					...(tolerant ? {'errors.tolerance': 'all', 'errors.deadletterqueue.topic.name': `dlq-${name}`} : {}),
					name,
				},
				tasksMax: tasks,
				topics,
				partitionsPerTopic: Math.max(1, Math.min(12, tasks * random.int(1, 2))),
				recordsPerSecond: random.int(5, 400),
				offsetStyle: 'sink',
				failureTrace: kind === 'jdbc' ? jdbcSinkConnectionRefusedTrace(`jdbc:postgresql://dwh.internal:5432/${domain}`) : kind === 's3' ? s3SinkTrace(`datalake-${domain}`) : elasticsearchSinkTrace(upstream),
				trouble: trouble(random, kind, tasks, index),
			};
		}
		case 'file':
		case 'datagen': {
			const name = `${kind === 'file' ? 'file-source' : 'datagen'}-${domain}-${id}`;
			const tasks = kind === 'file' ? 1 : random.int(1, 8);
			const className = kind === 'file' ? 'org.apache.kafka.connect.file.FileStreamSourceConnector' : 'io.confluent.kafka.connect.datagen.DatagenConnector';
			const topic = kind === 'file' ? `${domain}-log` : `${domain}_generated`;
			return {
				name,
				className,
				taskClass: kind === 'file' ? 'org.apache.kafka.connect.file.FileStreamSourceTask' : 'io.confluent.kafka.connect.datagen.DatagenTask',
				version: kind === 'file' ? '3.9.0' : '0.6.6',
				type: 'source',
				config: {
					'connector.class': className,
					'tasks.max': String(tasks),
					...(kind === 'file' ? {file: `/var/log/${domain}/app.log`, topic} : {'kafka.topic': topic, quickstart: random.pick(['ratings', 'users', 'orders', 'pageviews']), 'max.interval': String(random.int(10, 1000))}),
					name,
				},
				tasksMax: tasks,
				topics: [topic],
				partitionsPerTopic: 1,
				recordsPerSecond: random.int(1, 200),
				offsetStyle: kind === 'file' ? 'file' : 'generic-source',
				failureTrace: connectorStartFailureTrace(className),
				trouble: trouble(random, kind, tasks, index),
			};
		}
	}
}

/** `scale` connector specs for a seed (scale ≥ 1). */
export function scaledConnectorSpecs(scale: number, seed: number): ConnectorSpec[] {
	const random = createRandom(seed ^ 0x5ca1e);
	const base = defaultConnectorSpecs().slice(0, Math.min(4, scale));
	const specs: ConnectorSpec[] = [...base];
	for (let index = base.length; index < scale; index++) specs.push(generated(index, random));
	return specs;
}
