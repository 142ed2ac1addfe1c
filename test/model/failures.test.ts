import {describe, expect, it} from 'vitest';
import {groupFailures, groupTitle, memberName} from '../../source/model/failures.js';
import {build, expandedFromStatus, statusFixture} from './helpers.js';

describe('groupFailures', () => {
	it('groups the real Replicator tasks by root cause, largest group first, and the SFTP connector failure apart', () => {
		const replicator = expandedFromStatus(statusFixture('rest-status-replicator-10-tasks-mixed-failed-timeout.json'), {'connector.class': 'io.confluent.connect.replicator.ReplicatorSourceConnector'});
		const sftp = expandedFromStatus(statusFixture('rest-status-sftp-source-connector-failed-no-tasks.json'), {'connector.class': 'io.confluent.connect.sftp.SftpCsvSourceConnector'});
		const {snapshot} = build({connectors: {...replicator, ...sftp}});
		const groups = groupFailures(snapshot.connectors);
		expect(groups.map(group => groupTitle(group))).toEqual([
			'5 tasks · ConnectException: Failed to obtain source cluster ID, please restart the source Kafka cluster',
			expect.stringMatching(/^1 connector · 2: No such file$|^1 task · TimeoutException: Timeout of 60000ms expired/) as unknown,
			expect.stringMatching(/^1 connector · 2: No such file$|^1 task · TimeoutException: Timeout of 60000ms expired/) as unknown,
		]);
		expect(groups[0]?.members.map(memberName)).toEqual(['replicator/1', 'replicator/6', 'replicator/7', 'replicator/8', 'replicator/9']);
		expect(groups.flatMap(group => group.members).find(member => member.task === undefined)).toEqual({connector: 'sftp-source-csv', task: undefined, workerId: 'connect:8083'});
	});

	it('names the connectors a group spans and keeps a FAILED task without a trace', () => {
		const status = statusFixture('rest-status-replicator-10-tasks-mixed-failed-timeout.json');
		const copy = {...status, name: 'replicator-b', tasks: status.tasks.map(task => (task.id === 0 ? {...task, state: 'FAILED', trace: undefined} : task))};
		const {snapshot} = build({connectors: {...expandedFromStatus(status, {}), ...expandedFromStatus(copy, {})}});
		const titles = groupFailures(snapshot.connectors).map(group => groupTitle(group));
		expect(titles[0]).toBe('10 tasks in 2 connectors · ConnectException: Failed to obtain source cluster ID, please restart the source Kafka cluster');
		expect(titles).toContain('1 task · (no trace)');
	});
});
