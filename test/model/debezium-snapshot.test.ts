import {describe, expect, it} from 'vitest';
import {checkSnapshot} from '../../source/model/check.js';
import {dbzText} from '../../source/ui/layout/columns.js';
import {makeTheme} from '../../source/ui/theme.js';
import {build, expandedFromStatus, results, statusFixture} from './helpers.js';

/** A Debezium connector during its initial snapshot: streaming's Connected is 0, and that is work, not an outage. */

const status = statusFixture('rest-status-debezium-mysql-running-before-failover.json');
const connectors = expandedFromStatus(status, {'connector.class': 'io.debezium.connector.mysql.MySqlConnector', 'topic.prefix': 'exam'});
const server = (value: number) => [{labels: {server: 'exam'}, value}];

function snapshotAt(running: number, remaining: number) {
	return build({
		connectors,
		metrics: results({
			dbzConnected: [{labels: {server: 'exam', plugin: 'mysql'}, value: 0}],
			dbzSnapshotRunning: server(running),
			dbzSnapshotTablesTotal: server(8),
			dbzSnapshotTablesRemaining: server(remaining),
			dbzMsBehindSource: server(-1),
			dbzEventsRate: server(348),
			dbzQueueRemaining: server(6144),
			dbzQueueTotal: server(8192),
		}),
	}).snapshot;
}

describe('Debezium snapshot', () => {
	it('running: progress in tables, queue fill, health not critical, check does not page', () => {
		const snapshot = snapshotAt(1, 5);
		const row = snapshot.connectors[0];
		expect(row?.debezium).toMatchObject({server: 'exam', connected: false, snapshotRunning: true, snapshotTablesTotal: 8, snapshotTablesRemaining: 5, queueRemaining: 6144, queueTotal: 8192, noEventYet: true, eventsPerSecond: 348});
		expect(row?.health).toBe('ok');
		expect(row?.problems).toEqual([]);
		expect(checkSnapshot(snapshot)).toMatchObject({status: 'OK', exitCode: 0});
	});

	it('the DBZ cell says SNAPSHOT with tables done of total, not NO', () => {
		const theme = makeTheme({color: false, ascii: false});
		const row = snapshotAt(1, 5).connectors[0];
		if (!row) throw new Error('no row');
		expect(dbzText(row, theme).text).toBe('SNAPSHOT 3/8');
		expect(dbzText({...row, debezium: row.debezium && {...row.debezium, snapshotTablesTotal: undefined}}, theme).text).toBe('SNAPSHOT');
	});

	it('once the snapshot is over, Connected 0 is an outage again', () => {
		const snapshot = snapshotAt(0, 0);
		const row = snapshot.connectors[0];
		expect(row?.health).toBe('crit');
		expect(row?.problems).toContain('Debezium not connected to the database');
		expect(checkSnapshot(snapshot).exitCode).toBe(2);
		if (row) expect(dbzText(row, makeTheme({color: false, ascii: false})).text).toBe('NO');
	});
});

describe('check and worker liveness', () => {
	it('names the REST worker that is down, and an exporter no evidence pairs only as a warning', () => {
		const snapshot = build({
			connectors,
			metrics: results({
				workerUp: [
					{labels: {instance: '10.1.0.4:9404'}, value: 0},
					{labels: {instance: '10.1.0.5:9404'}, value: 0},
				],
				taskStatus: [{labels: {connector: 'cdc-exam', task: '0', status: 'running', instance: '10.1.0.4:9404'}, value: 1}],
			}),
		}).snapshot;
		const result = checkSnapshot(snapshot);
		expect(result.findings).toContainEqual({status: 'CRITICAL', severity: 'worker-down', subject: 'worker kafka-connect-1:8083', text: 'worker is down'});
		expect(result.findings).toContainEqual({status: 'WARNING', severity: 'source', subject: 'exporter 10.1.0.5:9404', text: 'down and not paired with a worker (pair it with --worker-map)'});
		expect(result.findings.filter(finding => finding.subject.includes('10.1.0.5'))).toHaveLength(1);
		expect(result.status).toBe('CRITICAL');
	});
});
