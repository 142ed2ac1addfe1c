import {describe, expect, it} from 'vitest';
import {planAction, verifyPlan, verifyTimeoutMs, type ActionPlan} from '../../source/model/action-plan.js';
import type {ConnectorRow} from '../../source/model/types.js';
import {planFor} from '../helpers/plans.js';
import {connectorFromStatus, makeConnector, makeTask} from '../helpers/snapshot-factory.js';

// Real /status payloads: a replicator with 6 of 10 tasks FAILED; a connector FAILED with no tasks.
const replicator = connectorFromStatus('rest-status-replicator-10-tasks-mixed-failed-timeout.json');
const sftpFailed = connectorFromStatus('rest-status-sftp-source-connector-failed-no-tasks.json');
const healthy = makeConnector({name: 'healthy', tasks: [makeTask({id: 0}), makeTask({id: 1})]});

describe('planAction', () => {
	it('restarts failed parts with one call from Kafka 3.0 on', () => {
		for (const version of ['3.0.0', '3.9.0', '7.9.0-ccs']) {
			const plan = planFor({kind: 'restart-failed', connector: replicator.name}, replicator, version);
			expect(plan.calls, version).toEqual([{kind: 'restart-connector', connector: replicator.name, includeTasks: true, onlyFailed: true}]);
			expect(plan.note).toBeUndefined();
		}
	});

	it('before 3.0 (and when the version is unknown) sends one restart per FAILED task, and says why', () => {
		for (const version of ['2.4.1', '6.1.1-ce', undefined]) {
			const plan = planFor({kind: 'restart-failed', connector: replicator.name}, replicator, version);
			expect(plan.calls.map(call => (call.kind === 'restart-task' ? call.task : call.kind)), String(version)).toEqual([1, 3, 6, 7, 8, 9]);
			expect(plan.note).toMatch(/restart\?onlyFailed needs 3\.0/);
			expect(plan.expect).toEqual({connector: undefined, tasks: [1, 3, 6, 7, 8, 9], taskState: 'RUNNING'});
		}
		expect(planFor({kind: 'restart-failed', connector: replicator.name}, replicator, '2.4.1').note).toMatch(/^Connect 2\.4\.1:/);
	});

	it('before 3.0 restarts the connector object only when it FAILED itself', () => {
		const plan = planFor({kind: 'restart-failed', connector: sftpFailed.name}, sftpFailed, '2.4.1');
		expect(plan.calls).toEqual([{kind: 'restart-connector', connector: sftpFailed.name, includeTasks: false, onlyFailed: false}]);
		expect(plan.expect.connector).toBe('RUNNING');
	});

	it('says there is nothing to restart when nothing failed', () => {
		expect(planAction({kind: 'restart-failed', connector: 'healthy'}, healthy, '3.9.0')).toMatch(/^nothing has failed in healthy: no restart needed/);
	});

	it('restarts everything per task before 3.0', () => {
		expect(planFor({kind: 'restart-all', connector: 'healthy'}, healthy, '2.4.1').calls).toEqual([
			{kind: 'restart-connector', connector: 'healthy', includeTasks: false, onlyFailed: false},
			{kind: 'restart-task', connector: 'healthy', task: 0},
			{kind: 'restart-task', connector: 'healthy', task: 1},
		]);
		expect(planFor({kind: 'restart-all', connector: 'healthy'}, healthy, '3.9.0').calls).toEqual([{kind: 'restart-connector', connector: 'healthy', includeTasks: true, onlyFailed: false}]);
	});

	it('refuses stop before 3.5 with the reason, and sends it from 3.5 or when the version is unknown', () => {
		expect(planAction({kind: 'stop', connector: 'healthy'}, healthy, '2.4.1')).toBe('stop needs Kafka Connect 3.5 or newer; this worker runs 2.4.1 (p pauses instead)');
		expect(planAction({kind: 'stop', connector: 'healthy'}, healthy, '7.4.0-ccs')).toMatch(/runs 7\.4\.0-ccs/);
		expect(planFor({kind: 'stop', connector: 'healthy'}, healthy, '3.5.0').calls).toEqual([{kind: 'stop', connector: 'healthy'}]);
		expect(planFor({kind: 'stop', connector: 'healthy'}, healthy, undefined).calls).toHaveLength(1);
	});
});

describe('verifyPlan', () => {
	const sentAt = 1_000_000;
	const restartTask3: ActionPlan = planFor({kind: 'restart-task', connector: replicator.name, task: 3}, replicator, '3.9.0');
	const withTask = (row: ConnectorRow, id: number, state: string, trace?: string): ConnectorRow => ({...row, tasks: row.tasks.map(task => (task.id === id ? makeTask({id, state, trace}) : task))});

	it('waits, then confirms when the task runs again', () => {
		expect(verifyPlan(restartTask3, replicator, sentAt, sentAt + 2000)).toEqual({status: 'waiting', text: 'waiting for RUNNING…'});
		expect(verifyPlan(restartTask3, withTask(replicator, 3, 'RUNNING'), sentAt, sentAt + 6000)).toEqual({status: 'confirmed', text: 'task 3 RUNNING after 6 s'});
	});

	it('says the task is still FAILED, with its trace, once the time is up', () => {
		const still = withTask(replicator, 3, 'FAILED', 'org.apache.kafka.common.errors.TimeoutException: Timeout of 60000ms expired before the position for partition x could be determined\n\tat a.b');
		expect(verifyPlan(restartTask3, still, sentAt, sentAt + verifyTimeoutMs)).toEqual({status: 'failed', text: 'task 3 still FAILED after 30 s: org.apache.kafka.common.errors.TimeoutException: Timeout of 60000ms expired before the position for partition x could be determined'});
	});

	it('checks pause, resume and stop by the connector state', () => {
		const pause = planFor({kind: 'pause', connector: 'healthy'}, healthy, '3.9.0');
		expect(verifyPlan(pause, healthy, sentAt, sentAt + 1000).status).toBe('waiting');
		const paused = {...healthy, state: 'PAUSED', tasks: healthy.tasks.map(task => ({...task, state: 'PAUSED'}))};
		expect(verifyPlan(pause, paused, sentAt, sentAt + 3000)).toEqual({status: 'confirmed', text: 'PAUSED after 3 s'});
		const stop = planFor({kind: 'stop', connector: 'healthy'}, healthy, '3.9.0');
		expect(verifyPlan(stop, healthy, sentAt, sentAt + verifyTimeoutMs)).toEqual({status: 'failed', text: 'connector still RUNNING after 30 s'});
		expect(verifyPlan(stop, undefined, sentAt, sentAt + verifyTimeoutMs)).toEqual({status: 'failed', text: 'healthy is no longer listed'});
	});
});
