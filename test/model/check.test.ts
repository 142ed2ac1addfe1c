import {describe, expect, it} from 'vitest';
import {checkSnapshot} from '../../source/model/check.js';
import {build, expandedFixture, expandedFromStatus, results, statusFixture} from './helpers.js';

describe('checkSnapshot', () => {
	it('is ok (exit 0) for a healthy cluster', () => {
		const {snapshot} = build({connectors: expandedFixture('rest-connectors-expand-info-status-datagen-6-tasks-2-workers.json')});
		expect(checkSnapshot(snapshot)).toEqual({level: 'ok', exitCode: 0, findings: []});
	});

	it('is critical (exit 2) for a failed task, with the connector named', () => {
		const status = statusFixture('rest-status-debezium-sqlserver-task-failed-permission-denied.json');
		const {snapshot} = build({connectors: expandedFromStatus(status, {'connector.class': 'io.debezium.connector.sqlserver.SqlServerConnector'})});
		const result = checkSnapshot(snapshot);
		expect(result.exitCode).toBe(2);
		expect(result.findings[0]!.text).toMatch(new RegExp(`^${status.name}: .*FAILED`));
	});

	it('is a warning (exit 1) for a paused connector, critical when a worker is down', () => {
		const paused = statusFixture('rest-status-mongodb-sink-paused-2-tasks-NAME-EDITED.json');
		const connectors = expandedFromStatus(paused, {'connector.class': 'com.mongodb.kafka.connect.MongoSinkConnector'});
		expect(checkSnapshot(build({connectors}).snapshot).exitCode).toBe(1);
		const down = build({connectors, metrics: results({workerUp: [{labels: {instance: 'x:9404', worker_id: 'x:8083'}, value: 0}]})}).snapshot;
		const result = checkSnapshot(down);
		expect(result.exitCode).toBe(2);
		expect(result.findings[0]).toEqual({level: 'crit', text: 'worker x:8083 is down'});
	});

	it('is critical when REST never answered', () => {
		const {snapshot} = build({connectors: undefined, rest: {source: 'rest', everSucceeded: false, stale: false, lastSuccessAt: undefined, lastAttemptAt: 1, lastError: 'connection refused (http://localhost:8083)', endpoint: undefined, warnings: [], consecutiveFailures: 1}});
		expect(checkSnapshot(snapshot).findings[0]!.text).toBe('Kafka Connect REST unreachable: connection refused (http://localhost:8083)');
	});
});
