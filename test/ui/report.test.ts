import {describe, expect, it} from 'vitest';
import {appendEvents, emptyJournal} from '../../source/model/journal.js';
import {incidentReport} from '../../source/ui/report.js';
import {realisticSnapshot, takenAt} from '../helpers/snapshot-factory.js';

describe('incident report (Markdown)', () => {
	const snapshot = realisticSnapshot();
	const journal = appendEvents(emptyJournal, [
		{at: takenAt - 120_000, kind: 'task', subject: 'debezium-sqlserver-source/0', connector: 'debezium-sqlserver-source', from: 'RUNNING', to: 'FAILED', detail: 'SQLServerException: The SELECT permission was denied'},
		{at: takenAt - 60_000, kind: 'worker', subject: 'c2:8083', connector: undefined, from: 'up', to: 'down', detail: undefined},
	]);
	const report = incidentReport({snapshot, journal, history: () => ({lag: [1, 2, 3, 8], recordRate: [5, 5, 4, 1], errors: []}), timeZone: 'UTC'});

	it('holds the cluster, the time in local time and UTC, and the counts', () => {
		expect(report).toMatch(/^# kctop incident report: Tqe8nxuwRZq0m6pJq0Hbmw\n/);
		expect(report).toContain('- Taken: 2025-06-01 12:00:00 local (2025-06-01 12:00:00 UTC)');
		expect(report).toMatch(/- Kafka Connect 3\.9\.0/);
		expect(report).toMatch(/- Connectors 7 \(.*\), tasks 13, failed tasks 2/);
	});

	it('lists what is not fine worst first, with the root cause and the hint of the real SQL Server trace', () => {
		const table = report.slice(report.indexOf('## Not fine'), report.indexOf('## Failures grouped'));
		const rows = table.split('\n').filter(line => line.startsWith('| ') && !line.startsWith('| connector'));
		expect(rows[0]).toMatch(/^\| debezium-sqlserver-source \| failed \| RUNNING \| 0\/1 1 FAILED \| SQLServerException: The SELECT permission was denied .*\| access refused/);
		expect(rows.some(row => row.startsWith('| mongo-sink | lagging | PAUSED | 0/2 |'))).toBe(true);
		expect(report).toMatch(/## Failures grouped by root cause\n\n- 1 task · SQLServerException/);
	});

	it('gives the last transitions newest first and the histories as sparklines', () => {
		const events = report.slice(report.indexOf('## Last transitions'), report.indexOf('## Lag and rates'));
		expect(events.indexOf('c2:8083 up → down')).toBeLessThan(events.indexOf('debezium-sqlserver-source/0 RUNNING → FAILED'));
		expect(events).toContain('2025-06-01 11:59:00 local (2025-06-01 11:59:00 UTC): c2:8083 up → down');
		expect(report).toMatch(/ {2}lag {2}\s*▂▃▄█ now 50k rec/);
	});

	it('shows control characters in names instead of passing them to whoever reads the file', () => {
		const hostile = {...snapshot, connectors: snapshot.connectors.map((row, index) => (index === 0 ? {...row, name: 'evil\u001B[2Jname|x'} : row))};
		const text = incidentReport({snapshot: hostile, journal: emptyJournal, history: () => ({lag: [], recordRate: [], errors: []}), timeZone: 'UTC'});
		expect(text).not.toContain('\u001B');
		expect(text).toContain('evil␛[2Jname\\|x');
	});
});
