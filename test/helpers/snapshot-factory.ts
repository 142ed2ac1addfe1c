import {readFileSync} from 'node:fs';
import {z} from 'zod';
import {connectorInfoSchema, connectorStatusSchema, connectorsExpandedSchema, type ConnectorStatus} from '../../source/clients/connect/schemas.js';
import {shortClassName} from '../../source/model/format.js';
import {hintFor} from '../../source/model/hints.js';
import {connectorSeverity} from '../../source/model/severity.js';
import {defaultThresholds} from '../../source/model/snapshot.js';
import {rootCause} from '../../source/model/trace.js';
import type {ClusterSnapshot, ConnectorRow, DebeziumInfo, SourceHealth, TaskRow, WorkerRow} from '../../source/model/types.js';

/**
 * Realistic ClusterSnapshot objects for UI tests: defaults plus overrides, with rows built
 * from real REST payloads in test/fixtures/ui (parsed with the client's zod schemas).
 */

const fixtureDir = new URL('../fixtures/ui/', import.meta.url);

export function readFixture(name: string): unknown {
	const parsed: unknown = JSON.parse(readFileSync(new URL(name, fixtureDir), 'utf8'));
	return parsed;
}

export function statusFixture(name: string): ConnectorStatus {
	return connectorStatusSchema.parse(readFixture(name));
}

export const fixtures = {
	sqlserverFailed: 'rest-status-debezium-sqlserver-task-failed-permission-denied.json',
	oracleFailed: 'rest-status-debezium-oracle-connector-and-failed-task-on-different-workers.json',
	unassigned: 'rest-status-task-unassigned-while-metrics-say-running.json',
	datagen: 'rest-connectors-expand-info-status-datagen-6-tasks-2-workers.json',
	replicator: 'rest-status-replicator-10-tasks-mixed-failed-timeout.json',
} as const;

export const takenAt = Date.parse('2025-06-01T12:00:00Z');

export function makeHealth(overrides: Partial<SourceHealth> & Pick<SourceHealth, 'source'>): SourceHealth {
	return {
		everSucceeded: true,
		stale: false,
		lastSuccessAt: takenAt - 1000,
		lastAttemptAt: takenAt - 1000,
		lastError: undefined,
		endpoint: overrides.source === 'rest' ? 'http://c1:8083' : 'http://prom:9090',
		warnings: [],
		consecutiveFailures: 0,
		...overrides,
	};
}

export function makeTask(overrides: Partial<TaskRow> & Pick<TaskRow, 'id'>): TaskRow {
	const trace = overrides.trace;
	return {state: 'RUNNING', workerId: 'c1:8083', trace: undefined, traceHead: trace?.split('\n')[0], cause: rootCause(trace), hint: hintFor(trace), metricState: undefined, ...overrides};
}

export function tasksFromStatus(status: ConnectorStatus): TaskRow[] {
	return status.tasks.map(task => makeTask({id: task.id, state: task.state, workerId: task.worker_id, trace: task.trace, traceHead: task.trace?.split('\n')[0]}));
}

export function makeDebezium(overrides: Partial<DebeziumInfo> = {}): DebeziumInfo {
	return {
		server: 'dbserver1',
		plugin: 'mysql',
		connected: true,
		msBehindSource: 850,
		msSinceLastEvent: 1200,
		noEventYet: false,
		eventsPerSecond: 42,
		erroneousEvents: 0,
		snapshotRunning: false,
		...overrides,
	};
}

/** A connector row; task counts, workers and health follow from the tasks unless overridden. */
export function makeConnector(overrides: Partial<ConnectorRow> & Pick<ConnectorRow, 'name'>): ConnectorRow {
	const className = overrides.className ?? 'io.confluent.connect.jdbc.JdbcSinkConnector';
	const tasks = overrides.tasks ?? [makeTask({id: 0})];
	const state = overrides.state ?? 'RUNNING';
	const workerId = overrides.workerId ?? 'c1:8083';
	const tasksFailed = tasks.filter(task => task.state === 'FAILED').length;
	const unhealthy = state === 'FAILED' || tasksFailed > 0;
	const warn = state === 'UNASSIGNED' || state === 'PAUSED' || tasks.some(task => task.state === 'UNASSIGNED');
	const health = overrides.health ?? (unhealthy ? 'crit' : warn ? 'warn' : 'ok');
	const row: Omit<ConnectorRow, 'severity'> = {
		type: 'sink',
		className,
		shortClass: shortClassName(className),
		state,
		workerId,
		trace: undefined,
		cause: rootCause(overrides.trace),
		hint: hintFor(overrides.trace),
		tasks,
		tasksRunning: tasks.filter(task => task.state === 'RUNNING').length,
		tasksTotal: tasks.length,
		tasksFailed,
		workers: [...new Set([workerId, ...tasks.flatMap(task => (task.workerId === undefined ? [] : [task.workerId]))])].sort(),
		config: {'connector.class': className, name: overrides.name, 'tasks.max': String(tasks.length), topics: 'orders'},
		debezium: undefined,
		lag: 120,
		lagUnit: 'records',
		recordRate: 15.5,
		recordErrors: 0,
		recordFailures: 0,
		dlqWrites: 0,
		errorsIncrease: 0,
		dlqIncrease: 0,
		metricState: undefined,
		disagreements: [],
		health,
		problems: health === 'ok' ? [] : tasksFailed > 0 ? [`${tasksFailed} task${tasksFailed === 1 ? '' : 's'} FAILED`] : [`connector ${state}`],
		...overrides,
	};
	return {severity: overrides.severity ?? connectorSeverity(row, defaultThresholds, new Set()), ...row};
}

/** A connector row from a real `/status` payload, with overrides. */
export function connectorFromStatus(file: string, overrides: Partial<ConnectorRow> = {}): ConnectorRow {
	const status = statusFixture(file);
	const type = status.type === 'source' || status.type === 'sink' ? status.type : 'unknown';
	return makeConnector({
		name: status.name,
		type,
		state: status.connector.state,
		workerId: status.connector.worker_id,
		trace: status.connector.trace,
		tasks: tasksFromStatus(status),
		...overrides,
	});
}

/** The datagen connector of the real `?expand=info&expand=status` payload (config included). */
export function datagenConnector(): ConnectorRow {
	const expanded = connectorsExpandedSchema.parse(readFixture(fixtures.datagen));
	const entry = z.object({status: connectorStatusSchema, info: connectorInfoSchema}).parse(expanded['source-datagen-01']);
	return makeConnector({
		name: entry.info.name,
		type: 'source',
		className: entry.info.config['connector.class'] ?? 'unknown',
		shortClass: shortClassName(entry.info.config['connector.class'] ?? 'unknown'),
		state: entry.status.connector.state,
		workerId: entry.status.connector.worker_id,
		tasks: tasksFromStatus(entry.status),
		config: entry.info.config,
		lag: undefined,
		lagUnit: undefined,
		recordRate: 4,
	});
}

export function makeWorker(overrides: Partial<WorkerRow> & Pick<WorkerRow, 'id'>): WorkerRow {
	return {
		host: overrides.id.split(':')[0] ?? overrides.id,
		instance: `${overrides.id.split(':')[0] ?? overrides.id}:9404`,
		up: true,
		inRest: true,
		connectors: 2,
		tasks: 4,
		rebalancing: false,
		metricConnectors: 2,
		metricTasks: 4,
		...overrides,
	};
}

export function makeSnapshot(overrides: Partial<ClusterSnapshot> = {}): ClusterSnapshot {
	const connectors = overrides.connectors ?? [];
	const workers = overrides.workers ?? [makeWorker({id: 'c1:8083'}), makeWorker({id: 'c2:8083'})];
	const connectorsByState: Record<string, number> = {};
	const tasksByState: Record<string, number> = {};
	for (const row of connectors) {
		connectorsByState[row.state] = (connectorsByState[row.state] ?? 0) + 1;
		for (const task of row.tasks) tasksByState[task.state] = (tasksByState[task.state] ?? 0) + 1;
	}
	return {
		takenAt,
		sequence: 1,
		cluster: {version: '3.9.0', commit: '84b9ed1f8e6d2a2a', kafkaClusterId: 'Tqe8nxuwRZq0m6pJq0Hbmw'},
		workers,
		connectors,
		totals: {
			connectors: connectors.length,
			connectorsByState,
			tasks: connectors.reduce((sum, row) => sum + row.tasks.length, 0),
			tasksByState,
			failedTasks: tasksByState['FAILED'] ?? 0,
			workersUp: workers.filter(worker => worker.up === true).length,
			workersTotal: workers.length,
		},
		rest: makeHealth({source: 'rest'}),
		metrics: makeHealth({source: 'prometheus'}),
		profile: 'default',
		missingMetrics: [],
		...overrides,
	};
}

/** A cluster an on-call engineer could meet: failed Debezium tasks, a paused sink, a REST/metrics disagreement. */
export function realisticConnectors(): ConnectorRow[] {
	return [
		connectorFromStatus(fixtures.sqlserverFailed, {
			className: 'io.debezium.connector.sqlserver.SqlServerConnector',
			shortClass: 'SqlServer',
			debezium: makeDebezium({server: 'server1', plugin: 'sql_server', connected: false, msBehindSource: 184_000}),
			lag: 184_000,
			lagUnit: 'ms',
			recordRate: 0,
			recordErrors: 3,
			recordFailures: 1,
			errorsIncrease: 2,
			config: {
				'connector.class': 'io.debezium.connector.sqlserver.SqlServerConnector',
				'database.hostname': 'sqlserver',
				'database.user': 'sa',
				'database.password': 'Password!',
				'topic.prefix': 'server1',
				'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
				'schema.history.internal.kafka.bootstrap.servers': 'broker:9092',
				'database.history.producer.sasl.jaas.config': 'org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="p";',
				'aws.secret.access.key': '${file:/opt/secrets.properties:aws.secret}',
			},
		}),
		connectorFromStatus(fixtures.oracleFailed, {
			className: 'io.debezium.connector.oracle.OracleConnector',
			shortClass: 'Oracle',
			debezium: makeDebezium({server: 'tsm', plugin: 'oracle', connected: true, msBehindSource: 12_400}),
			lag: 12_400,
			lagUnit: 'ms',
		}),
		connectorFromStatus(fixtures.unassigned, {
			className: 'com.azure.cosmos.kafka.connect.CosmosSourceConnector',
			shortClass: 'CosmosSource',
			type: 'source',
			lag: undefined,
			lagUnit: undefined,
			metricState: 'RUNNING',
			tasks: statusFixture(fixtures.unassigned).tasks.map(task => makeTask({id: task.id, state: task.state, workerId: task.worker_id, metricState: 'RUNNING'})),
			disagreements: ['task 0: REST says UNASSIGNED, metrics say running'],
		}),
		datagenConnector(),
		makeConnector({
			name: 'jdbc-sink',
			lag: 1234,
			lagUnit: 'records',
			recordRate: 250,
			dlqWrites: 7,
			dlqIncrease: 2,
			config: {
				'connector.class': 'io.confluent.connect.jdbc.JdbcSinkConnector',
				'connection.url': 'jdbc:postgresql://db:5432/shop?user=kafka&password=hunter2&ssl=true',
				'connection.password': 'hunter2',
				topics: 'orders',
				'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
			},
		}),
		makeConnector({name: 'mongo-sink', state: 'PAUSED', className: 'com.mongodb.kafka.connect.MongoSinkConnector', tasks: [makeTask({id: 0, state: 'PAUSED'}), makeTask({id: 1, state: 'PAUSED', workerId: 'c2:8083'})], lag: 50_000, lagUnit: 'records', recordRate: 0}),
		makeConnector({
			name: 'mysql-cdc',
			type: 'source',
			className: 'io.debezium.connector.mysql.MySqlConnector',
			debezium: makeDebezium(),
			lag: 850,
			lagUnit: 'ms',
			recordRate: 42,
			workerId: 'c2:8083',
			tasks: [makeTask({id: 0, workerId: 'c2:8083'})],
		}),
	];
}

export function realisticSnapshot(overrides: Partial<ClusterSnapshot> = {}): ClusterSnapshot {
	const connectors = overrides.connectors ?? realisticConnectors();
	const workers = overrides.workers ?? [
		makeWorker({id: 'connect:8083', connectors: 1, tasks: 1}),
		makeWorker({id: 'c1:8083'}),
		makeWorker({id: 'c2:8083', up: false, metricConnectors: undefined, metricTasks: undefined}),
		makeWorker({id: '10.50.253.6:8085', metricTasks: 3, tasks: 1, rebalancing: true}),
	];
	return makeSnapshot({...overrides, connectors, workers});
}

/** REST failing for 34 s: the last good data is kept and marked stale. */
export function staleRest(): SourceHealth {
	return makeHealth({source: 'rest', stale: true, lastSuccessAt: takenAt - 34_000, lastAttemptAt: takenAt - 1000, lastError: 'connection refused', endpoint: 'http://c1:8083', consecutiveFailures: 5});
}

/** Prometheus never answered. */
export function unreachablePrometheus(): SourceHealth {
	return makeHealth({source: 'prometheus', everSucceeded: false, stale: false, lastSuccessAt: undefined, lastAttemptAt: takenAt - 500, lastError: 'connect ECONNREFUSED 127.0.0.1:9090', endpoint: 'http://prom:9090', consecutiveFailures: 3});
}
