import {describe, expect, it} from 'vitest';
import {groupFailures, memberName, type FailureGroup, type FailureMember} from '../../source/model/failures.js';
import {lineText} from '../../source/ui/lines.js';
import {initialListState} from '../../source/ui/state/list.js';
import {failureMembersBody, failuresBody} from '../../source/ui/views/list-views.js';
import {makeTheme} from '../../source/ui/theme.js';
import {build, expandedFromStatus, statusFixture} from '../model/helpers.js';

const theme = makeTheme({ascii: false, color: false});

function rowsOf<T>(rows: readonly T[], name: (row: T) => string) {
	return {rows, indexOf: (wanted: string) => rows.findIndex(row => name(row) === wanted)};
}

function realGroups(): FailureGroup[] {
	const replicator = expandedFromStatus(statusFixture('rest-status-replicator-10-tasks-mixed-failed-timeout.json'), {'connector.class': 'io.confluent.connect.replicator.ReplicatorSourceConnector'});
	const sqlserver = expandedFromStatus(statusFixture('rest-status-debezium-sqlserver-task-failed-permission-denied.json'), {'connector.class': 'io.debezium.connector.sqlserver.SqlServerConnector', 'database.user': 'sa'});
	return groupFailures(build({connectors: {...replicator, ...sqlserver}}).snapshot.connectors);
}

describe('the failures view (renderers; the :failures command is not wired yet)', () => {
	it('lists the groups of the real payloads, largest first, with count, root cause and hint', () => {
		const groups = realGroups();
		const text = failuresBody({groups: rowsOf(groups, group => group.fingerprint), list: initialListState, theme, width: 300, height: 10}).map(lineText);
		expect(text[0]).toMatch(/^Failures {2}3 root causes · 7 FAILED/);
		expect(text[1]).toMatch(/^FAILED\s+ROOT CAUSE\s+HINT/);
		expect(text[2]).toMatch(/^5 tasks\s+ConnectException: Failed to obtain source cluster ID/);
		expect(text.find(each => each.includes('SQLServerException'))).toMatch(/^1 task\s+SQLServerException: .*access refused: check the grants of database user "sa"/);
	});

	it('says so when nothing FAILED', () => {
		const text = failuresBody({groups: rowsOf<FailureGroup>([], group => group.fingerprint), list: initialListState, theme, width: 100, height: 10}).map(lineText);
		expect(text[2]).toBe('no FAILED connector or task');
	});

	it('lists the members of a group (Enter), with the worker of each', () => {
		const group = realGroups()[0]!;
		const text = failureMembersBody({group, members: rowsOf<FailureMember>(group.members, memberName), list: initialListState, theme, width: 120, height: 10}).map(lineText);
		expect(text[0]).toBe('5 tasks · ConnectException: Failed to obtain source cluster ID, please restart the source Kafka cluster');
		expect(text[1]).toMatch(/^CONNECTOR\/TASK\s+WORKER/);
		expect(text.slice(2).map(each => each.trimEnd().replace(/\s+/, ' '))).toEqual(['replicator/1 connect3:8083', 'replicator/6 connect3:8083', 'replicator/7 connect3:8083', 'replicator/8 connect3:8083', 'replicator/9 connect3:8083']);
	});
});
