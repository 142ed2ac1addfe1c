import {describe, expect, it} from 'vitest';
import {checkSnapshot, checkText, defaultCheckOptions} from '../../source/model/check.js';
import type {ClusterSnapshot} from '../../source/model/types.js';
import {build, expandedFixture, expandedFromStatus, results, statusFixture} from './helpers.js';

const healthy = () => build({connectors: expandedFixture('rest-connectors-expand-info-status-datagen-6-tasks-2-workers.json')}).snapshot;
const paused = () => expandedFromStatus(statusFixture('rest-status-mongodb-sink-paused-2-tasks-NAME-EDITED.json'), {'connector.class': 'com.mongodb.kafka.connect.MongoSinkConnector'});
const sqlserver = () =>
	expandedFromStatus(statusFixture('rest-status-debezium-sqlserver-task-failed-permission-denied.json'), {'connector.class': 'io.debezium.connector.sqlserver.SqlServerConnector', 'database.user': 'sa'});
const unassigned = () => expandedFromStatus(statusFixture('rest-status-task-unassigned-while-metrics-say-running.json'), {'connector.class': 'com.azure.cosmos.kafka.connect.source.CosmosDBSourceConnector'});

describe('kctop check exit codes (Nagios/Icinga)', () => {
	it('0 OK for a healthy cluster, with a summary line and performance data', () => {
		const result = checkSnapshot(healthy());
		expect(result).toMatchObject({status: 'OK', exitCode: 0, findings: []});
		expect(result.summary).toBe('OK: 1 connector, 6 tasks, 2/2 workers up | connectors=1 tasks=6 failed_connectors=0 failed_tasks=0 unassigned_tasks=0 workers_up=2;;;0;2');
	});

	it('1 WARNING for a paused connector; --allow-paused makes it OK', () => {
		const snapshot = build({connectors: paused()}).snapshot;
		const result = checkSnapshot(snapshot);
		expect(result).toMatchObject({status: 'WARNING', exitCode: 1});
		expect(result.summary).toMatch(/^WARNING: 1 paused or stopped connector · 1 connector, 2 tasks/);
		expect(result.findings).toEqual([{status: 'WARNING', severity: 'paused', subject: 'mongo_sink_demo', text: 'connector PAUSED (--allow-paused to accept)'}]);
		expect(checkSnapshot(snapshot, {...defaultCheckOptions, allowPaused: true})).toMatchObject({status: 'OK', exitCode: 0, findings: []});
	});

	it('2 CRITICAL for a FAILED task, with its root cause and hint (real SQL Server trace)', () => {
		const result = checkSnapshot(build({connectors: sqlserver()}).snapshot);
		expect(result).toMatchObject({status: 'CRITICAL', exitCode: 2});
		expect(result.summary).toMatch(/^CRITICAL: 1 failed task · 1 connector, 1 task, /);
		expect(result.findings[0]).toEqual({
			status: 'CRITICAL',
			severity: 'failed',
			subject: 'debezium-sqlserver-source/0',
			text: 'task FAILED on connect:8083',
			cause: "SQLServerException: The SELECT permission was denied on the object 'change_tables', database 'testDB', schema 'cdc'.",
			hint: expect.stringContaining('database user "sa"') as unknown,
		});
		expect(checkText(result).split('\n').slice(1, 3)).toEqual([
			"CRITICAL debezium-sqlserver-source/0: task FAILED on connect:8083: SQLServerException: The SELECT permission was denied on the object 'change_tables', database 'testDB', schema 'cdc'.",
			'  hint: access refused: check the grants of database user "sa" (the object is named in the message), or the ACLs of the worker\'s Kafka principal',
		]);
	});

	it('3 UNKNOWN when the Connect REST API cannot be reached', () => {
		const {snapshot} = build({connectors: undefined, rest: {source: 'rest', everSucceeded: false, stale: false, lastSuccessAt: undefined, lastAttemptAt: 1, lastError: 'connection refused (http://localhost:8083)', endpoint: undefined, warnings: [], consecutiveFailures: 1}});
		const result = checkSnapshot(snapshot);
		expect(result).toMatchObject({status: 'UNKNOWN', exitCode: 3, summary: 'UNKNOWN: Kafka Connect REST unreachable: connection refused (http://localhost:8083)'});
	});
});

describe('kctop check thresholds and wording', () => {
	it('plural only where it belongs: 6 failed tasks of the real Replicator payload, 1 failed task of SQL Server', () => {
		const replicator = expandedFromStatus(statusFixture('rest-status-replicator-10-tasks-mixed-failed-timeout.json'), {'connector.class': 'io.confluent.connect.replicator.ReplicatorSourceConnector'});
		expect(checkSnapshot(build({connectors: replicator}).snapshot).summary).toMatch(/^CRITICAL: 6 failed tasks · 1 connector, 10 tasks, 1\/1 workers up \| .*failed_tasks=6 /);
		const both = checkSnapshot(build({connectors: {...replicator, ...sqlserver(), ...paused()}}).snapshot);
		expect(both.summary).toMatch(/^CRITICAL: 7 failed tasks, 1 paused or stopped connector · 3 connectors, 13 tasks/);
		// Worst first: every CRITICAL before the WARNING.
		expect(both.findings.at(-1)?.status).toBe('WARNING');
	});

	it('--warn-unassigned turns UNASSIGNED from CRITICAL into WARNING', () => {
		const snapshot = build({connectors: unassigned()}).snapshot;
		expect(checkSnapshot(snapshot).findings[0]).toEqual({status: 'CRITICAL', severity: 'unassigned', subject: 'my_connector', text: '1 task UNASSIGNED'});
		const relaxed = checkSnapshot(snapshot, {...defaultCheckOptions, warnUnassigned: true});
		expect(relaxed).toMatchObject({status: 'WARNING', exitCode: 1});
		expect(relaxed.summary).toMatch(/^WARNING: 1 connector with unassigned tasks · /);
	});

	it('--max-errors-increase: errors rising by more than N over the window is WARNING, up to N is OK', () => {
		const snapshot = build({connectors: expandedFixture('rest-connectors-expand-info-status-datagen-6-tasks-2-workers.json'), metrics: results({recordErrors: [{labels: {connector: 'source-datagen-01'}, value: 15}]})}, () => [10]).snapshot;
		expect(snapshot.connectors[0]?.errorsIncrease).toBe(5);
		expect(checkSnapshot(snapshot).findings).toEqual([{status: 'WARNING', severity: 'degraded', subject: 'source-datagen-01', text: '5 record errors in the window (limit 0)'}]);
		expect(checkSnapshot(snapshot, {...defaultCheckOptions, maxErrorsIncrease: 5}).status).toBe('OK');
	});

	it('--max-lag: lag at or over it is CRITICAL, over the warn limit WARNING', () => {
		const base = healthy();
		const lagging = (ms: number): ClusterSnapshot => ({...base, connectors: base.connectors.map(row => ({...row, lag: ms, lagUnit: 'ms' as const}))});
		const options = {...defaultCheckOptions, thresholds: {...defaultCheckOptions.thresholds, lagWarnMs: 10_000, lagCritMs: 60_000}};
		expect(checkSnapshot(lagging(5_000), options).status).toBe('OK');
		expect(checkSnapshot(lagging(20_000), options).findings).toEqual([{status: 'WARNING', severity: 'lagging', subject: 'source-datagen-01', text: 'lag 20s behind source (limit 60s)'}]);
		expect(checkSnapshot(lagging(60_000), options)).toMatchObject({status: 'CRITICAL', exitCode: 2, summary: expect.stringMatching(/^CRITICAL: 1 connector lagging · /) as unknown});
	});

	it('a worker down is CRITICAL, named once as a worker and once per connector on it', () => {
		const down = build({connectors: paused(), metrics: results({workerUp: [{labels: {instance: 'x:9404', worker_id: 'x:8083'}, value: 0}]})}).snapshot;
		const result = checkSnapshot(down);
		expect(result.exitCode).toBe(2);
		expect(result.findings[0]).toEqual({status: 'CRITICAL', severity: 'worker-down', subject: 'worker x:8083', text: 'worker is down'});
		expect(result.summary).toMatch(/^CRITICAL: 1 worker down, 1 paused or stopped connector · /);
	});

	it('-o json: the result serialises with every detail', () => {
		const result = checkSnapshot(build({connectors: sqlserver()}).snapshot);
		const parsed: unknown = JSON.parse(JSON.stringify(result));
		expect(parsed).toEqual(result);
	});
});
