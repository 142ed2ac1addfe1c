import {describe, expect, it} from 'vitest';
import {batchCalls, batchLabel, batchOf, batchTargets, planBatch} from '../../source/model/action-plan.js';
import {describeAction} from '../../source/clients/connect/action-call.js';
import {connectorFromStatus, makeConnector, makeTask} from '../helpers/snapshot-factory.js';
import {planFor} from '../helpers/plans.js';

/** Real payloads: a Debezium SQL Server connector with its task FAILED, a Replicator with several FAILED tasks, a healthy sink. */
const sqlserver = connectorFromStatus('rest-status-debezium-sqlserver-task-failed-permission-denied.json');
const oracle = connectorFromStatus('rest-status-replicator-10-tasks-mixed-failed-timeout.json');
const healthy = makeConnector({name: 'jdbc-sink', tasks: [makeTask({id: 0}), makeTask({id: 1})]});
const rows = new Map([sqlserver, oracle, healthy].map(row => [row.name, row]));
const find = (name: string) => rows.get(name);
const paths = (calls: ReturnType<typeof batchCalls>) => calls.map(call => {
	const {method, path} = describeAction(call);
	return `${method} ${path}`;
});

describe('planBatch', () => {
	it('on Connect 2.4 restarts each FAILED task of each marked connector on its own', () => {
		const batch = planBatch('restart-failed', [sqlserver.name, oracle.name], find, '2.4.1');
		const failed = (row: typeof sqlserver) => row.tasks.filter(task => task.state === 'FAILED').map(task => `POST /connectors/${encodeURIComponent(row.name)}/tasks/${task.id}/restart`);
		expect(failed(sqlserver).length).toBeGreaterThan(0);
		expect(failed(oracle).length).toBeGreaterThan(0);
		expect(paths(batchCalls(batch))).toEqual([...failed(sqlserver), ...failed(oracle)]);
		expect(batch.refused).toEqual([]);
		expect(batch.plans.every(plan => plan.note?.includes('restart?onlyFailed needs 3.0'))).toBe(true);
		expect(batchLabel(batch)).toBe('restart failed on 2 connectors');
	});

	it('on 3.9 sends one restart?includeTasks=true&onlyFailed=true per connector, and lists what it leaves out', () => {
		const batch = planBatch('restart-failed', [oracle.name, healthy.name, 'gone-connector', oracle.name], find, '3.9.0');
		expect(paths(batchCalls(batch))).toEqual([`POST /connectors/${oracle.name}/restart?includeTasks=true&onlyFailed=true`]);
		expect(batch.refused).toEqual([
			{connector: 'jdbc-sink', reason: expect.stringMatching(/^nothing has failed in jdbc-sink/)},
			{connector: 'gone-connector', reason: 'no longer in the cluster'},
		]);
		expect(batchTargets(batch)).toEqual([oracle.name, 'jdbc-sink', 'gone-connector']);
		expect(batchLabel(batch)).toBe('restart failed on 3 connectors');
	});

	it('refuses stop before 3.5 for every connector, and plans it from 3.5', () => {
		const old = planBatch('stop', [healthy.name, oracle.name], find, '3.4.0');
		expect(old.plans).toEqual([]);
		expect(old.refused.map(item => item.reason)).toEqual([expect.stringMatching(/stop needs Kafka Connect 3\.5/), expect.stringMatching(/stop needs Kafka Connect 3\.5/)]);
		const current = planBatch('stop', [healthy.name, oracle.name], find, '3.5.0');
		expect(paths(batchCalls(current))).toEqual(['PUT /connectors/jdbc-sink/stop', `PUT /connectors/${oracle.name}/stop`]);
	});

	it('a single plan is a batch of one, labelled as before', () => {
		const plan = planFor({kind: 'pause', connector: 'jdbc-sink'}, healthy, '3.9.0');
		const batch = batchOf(plan);
		expect(batch).toEqual({kind: 'pause', plans: [plan], refused: []});
		expect(batchLabel(batch)).toBe('pause');
	});
});
