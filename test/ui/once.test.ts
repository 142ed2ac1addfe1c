import {stripVTControlCharacters} from 'node:util';
import {describe, expect, it} from 'vitest';
import {renderSnapshotText} from '../../source/ui/once.js';
import {displayWidth} from '../../source/ui/text.js';
import {makeConnector, realisticSnapshot, staleRest, unreachablePrometheus} from '../helpers/snapshot-factory.js';
import {build, expandedFromStatus, statusFixture} from '../model/helpers.js';

describe('renderSnapshotText', () => {
	const snapshot = realisticSnapshot();

	it('prints the header, the workers and the connectors, failures first', () => {
		const text = renderSnapshotText(snapshot, {columns: 160, ascii: false, color: false});
		const lines = text.trimEnd().split('\n');
		expect(lines[0]).toContain('Connect 3.9.0');
		expect(text).toContain('Workers (4)');
		expect(text).toContain('Connectors (7)');
		const connectorsAt = lines.findIndex(each => each.startsWith('Connectors (7)'));
		expect(lines[connectorsAt + 1]).toMatch(/^NAME\s+TYPE\s+CLASS\s+STATE/);
		expect(lines[connectorsAt + 2]).toMatch(/^debezium-sqlserver-source\s+source\s+SqlServer\s+RUNNING/);
		expect(lines[lines.findIndex(each => each.startsWith('Problems (')) - 2]).toMatch(/^source-datagen-01\b/);
		expect(text).toContain('DOWN');
	});

	it('has no escape codes without colour and colours states with it', () => {
		const plain = renderSnapshotText(snapshot, {columns: 120, ascii: false, color: false});
		expect(plain).not.toContain('\u001B');
		const coloured = renderSnapshotText(snapshot, {columns: 120, ascii: false, color: true});
		expect(coloured).toContain('\u001B[32mRUNNING');
		expect(coloured).toMatch(/\u001B\[[0-9;]*31m/);
		expect(stripVTControlCharacters(coloured).split('\n').map(each => each.trimEnd())).toEqual(plain.split('\n'));
	});

	it('keeps every line within the width at 80 columns', () => {
		const text = renderSnapshotText(snapshot, {columns: 80, ascii: true, color: false});
		for (const each of text.split('\n')) expect(displayWidth(each)).toBeLessThanOrEqual(80);
		expect(text).not.toContain('WORKERS ');
		expect(text).toContain('…');
	});

	it('draws sparklines from the history when given one (ASCII ramp with --ascii)', () => {
		const text = renderSnapshotText(snapshot, {columns: 200, ascii: true, color: false, history: name => ({lag: name === 'jdbc-sink' ? [0, 1, 2, 3, 4, 5, 6, 7] : [], recordRate: [], errors: []})});
		expect(text).toContain('LAG TREND');
		expect(text).toContain(' .:-=+*#');
		expect(renderSnapshotText(snapshot, {columns: 200, ascii: true, color: false})).not.toContain('LAG TREND');
	});

	it('says when REST is stale and why metrics are unavailable', () => {
		const text = renderSnapshotText(realisticSnapshot({rest: staleRest(), metrics: unreachablePrometheus()}), {columns: 160, ascii: false, color: false});
		expect(text).toContain('REST stale 34s: connection refused (http://c1:8083)');
		expect(text).toContain('metrics unavailable: connect ECONNREFUSED 127.0.0.1:9090');
	});

	it('prints hostile names without their escape codes', () => {
		const text = renderSnapshotText(realisticSnapshot({connectors: [makeConnector({name: 'evil\u001B[2J\u001B[31m\u0007-sink'})]}), {columns: 120, ascii: false, color: false});
		expect(text).toContain('evil-sink');
		expect(text).not.toMatch(/[\u0000-\u0009\u000B-\u001F]/);
	});

	it('a connector whose only task FAILED reads FAILED on its row without colour (real SQL Server payload)', () => {
		const {snapshot: real} = build({connectors: expandedFromStatus(statusFixture('rest-status-debezium-sqlserver-task-failed-permission-denied.json'), {'connector.class': 'io.debezium.connector.sqlserver.SqlServerConnector'})});
		const text = renderSnapshotText(real, {columns: 80, ascii: true, color: false});
		const row = text.split('\n').find(each => each.startsWith('debezium-sqlserver-source '));
		expect(row).toMatch(/RUNNING\s+0\/1 1 FAILED/);
	});

	it('ends with a problems section: one line per FAILED task with its root cause and hint, then the others, worst first', () => {
		const replicator = expandedFromStatus(statusFixture('rest-status-replicator-10-tasks-mixed-failed-timeout.json'), {'connector.class': 'io.confluent.connect.replicator.ReplicatorSourceConnector'});
		const sftp = expandedFromStatus(statusFixture('rest-status-sftp-source-connector-failed-no-tasks.json'), {'connector.class': 'io.confluent.connect.sftp.SftpCsvSourceConnector'});
		const sqlserver = expandedFromStatus(statusFixture('rest-status-debezium-sqlserver-task-failed-permission-denied.json'), {'connector.class': 'io.debezium.connector.sqlserver.SqlServerConnector', 'database.user': 'sa'});
		const paused = expandedFromStatus(statusFixture('rest-status-mongodb-sink-paused-2-tasks-NAME-EDITED.json'), {'connector.class': 'com.mongodb.kafka.connect.MongoSinkConnector'});
		const {snapshot: real} = build({connectors: {...replicator, ...sftp, ...sqlserver, ...paused}});
		const lines = renderSnapshotText(real, {columns: 200, ascii: false, color: false}).trimEnd().split('\n');
		const problems = lines.slice(lines.findIndex(each => each.startsWith('Problems (')));
		expect(problems[0]).toMatch(/^Problems \(9\)/);
		expect(problems.slice(1).map(each => each.replace(/\s+/g, ' '))).toEqual([
			"FAILED debezium-sqlserver-source/0 SQLServerException: The SELECT permission was denied on the object 'change_tables', database 'testDB', schema 'cdc'.",
			' hint: access refused: check the grants of database user "sa" (the object is named in the message), or the ACLs of the worker\'s Kafka principal',
			'FAILED replicator/1 ConnectException: Failed to obtain source cluster ID, please restart the source Kafka cluster',
			expect.stringMatching(/^FAILED replicator\/3 TimeoutException: Timeout of 60000ms expired before the last committed offset/) as unknown,
			'FAILED replicator/6 ConnectException: Failed to obtain source cluster ID, please restart the source Kafka cluster',
			'FAILED replicator/7 ConnectException: Failed to obtain source cluster ID, please restart the source Kafka cluster',
			'FAILED replicator/8 ConnectException: Failed to obtain source cluster ID, please restart the source Kafka cluster',
			'FAILED replicator/9 ConnectException: Failed to obtain source cluster ID, please restart the source Kafka cluster',
			'FAILED sftp-source-csv 2: No such file',
			'PAUSED/STOPPED mongo_sink_demo paused',
		]);
	});
});
