import {describe, expect, it} from 'vitest';
import {build, expandedFixture, expandedFromStatus, results, statusFixture} from './helpers.js';

describe('buildSnapshot over real REST payloads', () => {
	it('counts connectors, tasks and workers of the datagen cluster (6 tasks over 2 workers)', () => {
		const {snapshot} = build({connectors: expandedFixture('rest-connectors-expand-info-status-datagen-6-tasks-2-workers.json')});
		expect(snapshot.connectors).toHaveLength(1);
		const row = snapshot.connectors[0]!;
		expect(row.name).toBe('source-datagen-01');
		expect(row.shortClass).toBe('Datagen');
		expect(row.tasksTotal).toBe(6);
		expect(row.tasksRunning).toBe(6);
		expect(row.workers.length).toBe(2);
		expect(snapshot.workers.map(w => w.id)).toEqual(row.workers);
		expect(snapshot.workers.reduce((n, w) => n + w.tasks, 0)).toBe(6);
		expect(snapshot.totals.connectorsByState).toEqual({RUNNING: 1});
		expect(snapshot.totals.failedTasks).toBe(0);
		expect(row.health).toBe('ok');
	});

	it('handles the empty cluster', () => {
		const {snapshot} = build({connectors: expandedFixture('rest-connectors-expand-info-status-empty-cluster.json')});
		expect(snapshot.connectors).toEqual([]);
		expect(snapshot.totals.connectors).toBe(0);
		expect(snapshot.workers).toEqual([]);
	});

	it('marks a Debezium SQL Server connector with a failed task critical and keeps the first trace line', () => {
		const status = statusFixture('rest-status-debezium-sqlserver-task-failed-permission-denied.json');
		const {snapshot} = build({connectors: expandedFromStatus(status, {'connector.class': 'io.debezium.connector.sqlserver.SqlServerConnector', 'topic.prefix': 'server1'})});
		const row = snapshot.connectors[0]!;
		expect(row.tasksFailed).toBeGreaterThan(0);
		expect(row.health).toBe('crit');
		expect(row.problems[0]).toMatch(/FAILED/);
		const failed = row.tasks.find(t => t.state === 'FAILED')!;
		expect(failed.traceHead).toBe(failed.trace!.split('\n')[0]!.trim());
		expect(failed.traceHead).not.toContain('\n');
		expect(row.debezium?.server).toBe('server1');
		expect(row.debezium?.plugin).toBe('sql_server');
		expect(snapshot.totals.failedTasks).toBe(row.tasksFailed);
	});

	it('flags REST and metrics disagreeing (task UNASSIGNED in REST, running in metrics)', () => {
		const status = statusFixture('rest-status-task-unassigned-while-metrics-say-running.json');
		const {snapshot} = build({
			connectors: expandedFromStatus(status, {'connector.class': 'com.example.MySourceConnector'}),
			metrics: results({taskStatus: [{labels: {connector: 'my_connector', task: '0', status: 'running'}, value: 1}]}),
		});
		const row = snapshot.connectors[0]!;
		expect(row.tasks[0]!.state).toBe('UNASSIGNED');
		expect(row.tasks[0]!.metricState).toBe('RUNNING');
		expect(row.disagreements).toEqual(['task 0: REST UNASSIGNED, metrics RUNNING']);
		// UNASSIGNED ranks above a lost database in the severity order, which is critical.
		expect(row.health).toBe('crit');
		expect(row.severity).toBe('unassigned');
	});

	it('treats a connector FAILED with no tasks as critical (sftp source)', () => {
		const status = statusFixture('rest-status-sftp-source-connector-failed-no-tasks.json');
		const {snapshot} = build({connectors: expandedFromStatus(status, {'connector.class': 'io.confluent.connect.sftp.SftpCsvSourceConnector'})});
		expect(snapshot.connectors[0]!.state).toBe('FAILED');
		expect(snapshot.connectors[0]!.health).toBe('crit');
		expect(snapshot.connectors[0]!.trace).toBeDefined();
	});

	it('counts mixed task states of the replicator (10 tasks)', () => {
		const status = statusFixture('rest-status-replicator-10-tasks-mixed-failed-timeout.json');
		const {snapshot} = build({connectors: expandedFromStatus(status, {'connector.class': 'io.confluent.connect.replicator.ReplicatorSourceConnector'})});
		const row = snapshot.connectors[0]!;
		expect(row.tasksTotal).toBe(status.tasks.length);
		expect(row.tasksFailed).toBe(status.tasks.filter(t => t.state === 'FAILED').length);
		expect(row.tasksRunning + row.tasksFailed).toBeLessThanOrEqual(row.tasksTotal);
		expect(snapshot.totals.tasksByState['FAILED']).toBe(row.tasksFailed);
	});
});

describe('Debezium join through topic.prefix', () => {
	const mysql = (name: string, prefixKey: string, prefix: string) => ({
		[name]: {
			status: {name, connector: {state: 'RUNNING', worker_id: 'connect-1:8083'}, tasks: [{id: 0, state: 'RUNNING', worker_id: 'connect-1:8083'}], type: 'source'},
			info: {name, config: {'connector.class': 'io.debezium.connector.mysql.MySqlConnector', [prefixKey]: prefix}, tasks: [{connector: name, task: 0}], type: 'source'},
		},
	});

	it('reads Connected, lag and since-last-event by server label, not by connector name', () => {
		const {snapshot} = build({
			connectors: mysql('cdc-test-connector', 'topic.prefix', 'cdc-test'),
			metrics: results({
				dbzConnected: [{labels: {server: 'cdc-test', plugin: 'mysql'}, value: 0}],
				dbzMsBehindSource: [{labels: {server: 'cdc-test'}, value: 45_000}],
				dbzMsSinceLastEvent: [{labels: {server: 'cdc-test'}, value: 60_000}],
				dbzEventsRate: [{labels: {server: 'cdc-test'}, value: 12.5}],
			}),
		});
		const row = snapshot.connectors[0]!;
		expect(row.debezium).toMatchObject({server: 'cdc-test', connected: false, msBehindSource: 45_000, msSinceLastEvent: 60_000, plugin: 'mysql'});
		expect(row.lag).toBe(45_000);
		expect(row.lagUnit).toBe('ms');
		expect(row.recordRate).toBe(12.5);
		expect(row.health).toBe('crit');
		expect(row.problems).toContain('Debezium not connected to the database');
	});

	it('uses database.server.name on Debezium 1.x and strips quotes and swallowed tags from the label', () => {
		const {snapshot} = build({
			connectors: mysql('legacy', 'database.server.name', 'db:1'),
			metrics: results({dbzConnected: [{labels: {server: '"db:1", task=0'}, value: 1}], dbzMsBehindSource: [{labels: {server: '"db:1"'}, value: -1}]}),
		});
		const dbz = snapshot.connectors[0]!.debezium!;
		expect(dbz.connected).toBe(true);
		expect(dbz.msBehindSource).toBeUndefined();
		expect(dbz.noEventYet).toBe(true);
	});

	it('leaves non-Debezium connectors without Debezium info', () => {
		const {snapshot} = build({connectors: expandedFixture('rest-connectors-expand-info-status-datagen-6-tasks-2-workers.json')});
		expect(snapshot.connectors[0]!.debezium).toBeUndefined();
	});
});

describe('sinks, errors and increases', () => {
	const sink = {
		'jdbc-sink': {
			status: {name: 'jdbc-sink', connector: {state: 'RUNNING', worker_id: 'w1:8083'}, tasks: [{id: 0, state: 'RUNNING', worker_id: 'w1:8083'}], type: 'sink'},
			info: {name: 'jdbc-sink', config: {'connector.class': 'io.confluent.connect.jdbc.JdbcSinkConnector'}, tasks: [{connector: 'jdbc-sink', task: 0}], type: 'sink'},
		},
	};

	it('takes sink lag in records and computes the error increase across a counter reset', () => {
		const {snapshot, points} = build(
			{
				connectors: sink,
				metrics: results({
					sinkLag: [{labels: {connector: 'jdbc-sink'}, value: 20_000}],
					recordErrors: [{labels: {connector: 'jdbc-sink'}, value: 3}],
					recordFailures: [{labels: {connector: 'jdbc-sink'}, value: 2}],
					dlqWrites: [{labels: {connector: 'jdbc-sink'}, value: 7}],
				}),
			},
			// errors went 10 → 12, then the worker restarted (counter reset), now 5: increase = 2 + 5.
			(_, series) => (series === 'errors' ? [10, 12] : [7]),
		);
		const row = snapshot.connectors[0]!;
		expect(row.lag).toBe(20_000);
		expect(row.lagUnit).toBe('records');
		expect(row.errorsIncrease).toBe(7);
		expect(row.dlqIncrease).toBe(0);
		expect(row.health).toBe('warn');
		expect(points.get('jdbc-sink')).toEqual({lag: 20_000, recordRate: undefined, errors: 5, dlq: 7});
	});

	it('ignores NaN values instead of showing them', () => {
		const {snapshot} = build({connectors: sink, metrics: results({sinkLag: [{labels: {connector: 'jdbc-sink'}, value: Number.NaN}]})});
		expect(snapshot.connectors[0]!.lag).toBeUndefined();
	});
});

describe('workers', () => {
	const two = {
		a: {
			status: {name: 'a', connector: {state: 'RUNNING', worker_id: 'connect-1:8083'}, tasks: [{id: 0, state: 'RUNNING', worker_id: 'connect-2:8083'}], type: 'source'},
			info: {name: 'a', config: {'connector.class': 'x.A'}, tasks: [{connector: 'a', task: 0}], type: 'source'},
		},
	};

	it('joins Prometheus targets by worker_id label, and adds a target REST does not know (a standby)', () => {
		const {snapshot} = build({
			connectors: two,
			metrics: results({
				workerUp: [
					{labels: {instance: 'connect-1:9404', worker_id: 'connect-1:8083'}, value: 1},
					{labels: {instance: 'connect-2:9404', worker_id: 'connect-2:8083'}, value: 0},
					{labels: {instance: 'connect-3:9404', worker_id: 'connect-3:8083'}, value: 1},
				],
			}),
		});
		expect(snapshot.workers.map(w => [w.id, w.up, w.inRest, w.instance])).toEqual([
			['connect-1:8083', true, true, 'connect-1:9404'],
			['connect-2:8083', false, true, 'connect-2:9404'],
			['connect-3:8083', true, false, 'connect-3:9404'],
		]);
		expect(snapshot.totals.workersUp).toBe(2);
		expect(snapshot.totals.workersTotal).toBe(3);
	});

	it('joins by host name when there is no worker_id label, and by --worker-map when hosts differ', () => {
		const {snapshot} = build({
			connectors: two,
			metrics: results({workerUp: [{labels: {instance: 'connect-1:9404'}, value: 1}, {labels: {instance: '10.0.0.9:9404'}, value: 1}]}),
			workerMap: new Map([['10.0.0.9:9404', 'connect-2:8083']]),
		});
		expect(snapshot.workers.find(w => w.id === 'connect-1:8083')?.instance).toBe('connect-1:9404');
		expect(snapshot.workers.find(w => w.id === 'connect-2:8083')?.instance).toBe('10.0.0.9:9404');
		expect(snapshot.workers).toHaveLength(2);
	});
});

describe('severity in the snapshot', () => {
	it('root cause and hint of each FAILED task come with the row (real SQL Server trace)', () => {
		const status = statusFixture('rest-status-debezium-sqlserver-task-failed-permission-denied.json');
		const row = build({connectors: expandedFromStatus(status, {'connector.class': 'io.debezium.connector.sqlserver.SqlServerConnector', 'database.user': 'sa'})}).snapshot.connectors[0]!;
		expect(row.severity).toBe('failed');
		expect(row.tasks[0]!.cause).toMatchObject({shortName: 'SQLServerException', depth: 1});
		expect(row.tasks[0]!.hint?.id).toBe('access-denied');
		expect(row.cause).toBeUndefined();
	});

	it('a connector on a down worker is critical, ranked worker-down, with the worker named', () => {
		const status = statusFixture('rest-status-sftp-sink-4-tasks-spread-over-2-workers.json');
		const {snapshot} = build({
			connectors: expandedFromStatus(status, {'connector.class': 'io.confluent.connect.sftp.SftpSinkConnector'}),
			metrics: results({workerUp: [{labels: {instance: 'connect2:9404', worker_id: 'connect2:8083'}, value: 0}]}),
		});
		const row = snapshot.connectors[0]!;
		expect(row.severity).toBe('worker-down');
		expect(row.health).toBe('crit');
		expect(row.problems[0]).toBe('on worker connect2:8083, which is down');
	});
});
