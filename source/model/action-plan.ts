import type {ConnectorRow, State} from './types.js';
import {capabilitiesOf, describeVersion} from './version.js';

/**
 * Actions as REST calls, planned from what the user asked, the connector as last seen and
 * the worker's version; and checked afterwards against later snapshots (pure).
 */

/** One REST call that changes a connector. */
export type ConnectorAction =
	| {readonly kind: 'restart-connector'; readonly connector: string; readonly includeTasks: boolean; readonly onlyFailed: boolean}
	| {readonly kind: 'restart-task'; readonly connector: string; readonly task: number}
	| {readonly kind: 'pause'; readonly connector: string}
	| {readonly kind: 'resume'; readonly connector: string}
	| {readonly kind: 'stop'; readonly connector: string};

/** What the user asked for (one key). */
export type ActionIntent =
	| {readonly kind: 'restart-failed'; readonly connector: string}
	| {readonly kind: 'restart-all'; readonly connector: string}
	| {readonly kind: 'restart-task'; readonly connector: string; readonly task: number}
	| {readonly kind: 'pause'; readonly connector: string}
	| {readonly kind: 'resume'; readonly connector: string}
	| {readonly kind: 'stop'; readonly connector: string};

/** What a later snapshot must show for the action to count as done. */
export interface Expectation {
	/** Connector state wanted, if the connector itself is a target. */
	readonly connector: State | undefined;
	/** Tasks that must reach `taskState`. */
	readonly tasks: readonly number[];
	readonly taskState: State | undefined;
}

export interface ActionPlan {
	readonly intent: ActionIntent;
	/** The calls, sent one after another; the dialog lists every one. */
	readonly calls: readonly ConnectorAction[];
	/** Why the calls are not the obvious one (an old worker), shown in the dialog. */
	readonly note: string | undefined;
	readonly expect: Expectation;
}

export function intentLabel(intent: ActionIntent): string {
	switch (intent.kind) {
		case 'restart-failed':
			return 'restart failed connector and tasks';
		case 'restart-all':
			return 'restart connector and all tasks';
		case 'restart-task':
			return `restart task ${intent.task}`;
		default:
			return intent.kind;
	}
}

const restartConnector = (connector: string, includeTasks: boolean, onlyFailed: boolean): ConnectorAction => ({kind: 'restart-connector', connector, includeTasks, onlyFailed});
const restartTask = (connector: string, task: number): ConnectorAction => ({kind: 'restart-task', connector, task});

/**
 * The calls for an intent, or the reason it is refused. `version` is what `GET /` reported.
 * Before Kafka 3.0 `restart?includeTasks&onlyFailed` answers 204 and ignores both, so
 * "restart failed" becomes one restart per FAILED task (and the connector's own restart only
 * if it FAILED); stop needs 3.5.
 */
export function planAction(intent: ActionIntent, row: ConnectorRow, version: string | undefined): ActionPlan | string {
	const name = row.name;
	const can = capabilitiesOf(version);
	const oldWorker = can.version === undefined ? 'the worker did not say its version' : `Connect ${describeVersion(can.version)}`;
	const allTasks = row.tasks.map(task => task.id);
	switch (intent.kind) {
		case 'restart-failed': {
			const failedTasks = row.tasks.filter(task => task.state === 'FAILED').map(task => task.id);
			const connectorFailed = row.state === 'FAILED';
			if (failedTasks.length === 0 && !connectorFailed) return `nothing has failed in ${name}: no restart needed (R restarts the connector and all its tasks)`;
			const expect: Expectation = {connector: connectorFailed ? 'RUNNING' : undefined, tasks: failedTasks, taskState: 'RUNNING'};
			if (can.restartWithTasks) return {intent, calls: [restartConnector(name, true, true)], note: undefined, expect};
			return {
				intent,
				calls: [...(connectorFailed ? [restartConnector(name, false, false)] : []), ...failedTasks.map(task => restartTask(name, task))],
				note: `${oldWorker}: restart?onlyFailed needs 3.0, so each failed part is restarted on its own`,
				expect,
			};
		}
		case 'restart-all': {
			const expect: Expectation = {connector: 'RUNNING', tasks: allTasks, taskState: 'RUNNING'};
			if (can.restartWithTasks) return {intent, calls: [restartConnector(name, true, false)], note: undefined, expect};
			return {intent, calls: [restartConnector(name, false, false), ...allTasks.map(task => restartTask(name, task))], note: `${oldWorker}: restart?includeTasks needs 3.0, so each task is restarted on its own`, expect};
		}
		case 'restart-task':
			return {intent, calls: [restartTask(name, intent.task)], note: undefined, expect: {connector: undefined, tasks: [intent.task], taskState: 'RUNNING'}};
		case 'pause':
			return {intent, calls: [{kind: 'pause', connector: name}], note: undefined, expect: {connector: 'PAUSED', tasks: allTasks, taskState: 'PAUSED'}};
		case 'resume':
			return {intent, calls: [{kind: 'resume', connector: name}], note: undefined, expect: {connector: 'RUNNING', tasks: [], taskState: undefined}};
		case 'stop':
			if (!can.stop && can.version !== undefined) return stopRefusal(can.version.reported);
			return {intent, calls: [{kind: 'stop', connector: name}], note: undefined, expect: {connector: 'STOPPED', tasks: [], taskState: undefined}};
	}
}

export function stopRefusal(reported: string): string {
	return `stop needs Kafka Connect 3.5 or newer; this worker runs ${reported} (p pauses instead)`;
}

export type Verification =
	| {readonly status: 'waiting'; readonly text: string}
	| {readonly status: 'confirmed'; readonly text: string}
	| {readonly status: 'failed'; readonly text: string};

/** How long kctop watches for the result of an action before it says it did not happen. */
export const verifyTimeoutMs = 30_000;

function seconds(ms: number): string {
	return `${Math.max(0, Math.round(ms / 1000))} s`;
}

function list(ids: readonly number[]): string {
	return ids.length === 1 ? `task ${ids[0]}` : `tasks ${ids.join(', ')}`;
}

/**
 * Did the snapshot taken at `now` show what the plan expects? Waiting until it does or the
 * timeout passes; then "still FAILED: <first line of the trace>" names what is wrong.
 */
export function verifyPlan(plan: ActionPlan, row: ConnectorRow | undefined, sentAt: number, now: number): Verification {
	const elapsed = now - sentAt;
	const late = elapsed >= verifyTimeoutMs;
	if (row === undefined) return late ? {status: 'failed', text: `${plan.intent.connector} is no longer listed`} : {status: 'waiting', text: 'waiting for the next refresh…'};
	const {expect} = plan;
	const connectorOk = expect.connector === undefined || row.state === expect.connector;
	const tasks = expect.tasks.map(id => ({id, task: row.tasks.find(each => each.id === id)}));
	const lagging = tasks.filter(({task}) => expect.taskState !== undefined && task?.state !== expect.taskState);
	const target = expect.connector ?? expect.taskState ?? 'done';
	if (connectorOk && lagging.length === 0) {
		const what = expect.tasks.length > 0 && expect.connector === undefined ? `${list(expect.tasks)} ${expect.taskState ?? ''}`.trim() : `${expect.connector ?? target}`;
		return {status: 'confirmed', text: `${what} after ${seconds(elapsed)}`};
	}
	if (!late) return {status: 'waiting', text: `waiting for ${target}…`};
	const failedTask = tasks.find(({task}) => task?.state === 'FAILED')?.task;
	if (failedTask !== undefined) return {status: 'failed', text: `task ${failedTask.id} still FAILED after ${seconds(elapsed)}${failedTask.traceHead === undefined ? '' : `: ${failedTask.traceHead}`}`};
	if (!connectorOk) return {status: 'failed', text: `connector still ${row.state} after ${seconds(elapsed)}${row.state === 'FAILED' && row.trace !== undefined ? `: ${row.trace.split('\n')[0] ?? ''}` : ''}`};
	return {status: 'failed', text: `${list(lagging.map(each => each.id))} not ${target} after ${seconds(elapsed)}`};
}

/** What a key asks of the marked connectors (restart task is for one task of one connector only). */
export type BulkKind = Exclude<ActionIntent['kind'], 'restart-task'>;

/** A marked connector the action leaves out, and why (stop before 3.5, nothing failed, gone). */
export interface RefusedItem {
	readonly connector: string;
	readonly reason: string;
}

/**
 * One confirmation's worth of work: a plan per connector (each version-aware, as for one
 * connector), sent one after another, and the connectors left out with their reason. A
 * single action is a batch of one plan.
 */
export interface ActionBatch {
	readonly kind: ActionIntent['kind'];
	readonly plans: readonly ActionPlan[];
	readonly refused: readonly RefusedItem[];
}

export function batchOf(plan: ActionPlan): ActionBatch {
	return {kind: plan.intent.kind, plans: [plan], refused: []};
}

/** Every call of a batch, in the order it is sent. */
export function batchCalls(batch: ActionBatch): ConnectorAction[] {
	return batch.plans.flatMap(plan => plan.calls);
}

/** The connectors a batch is about (planned first, then refused), for the dialog and the audit log. */
export function batchTargets(batch: ActionBatch): string[] {
	return [...batch.plans.map(plan => plan.intent.connector), ...batch.refused.map(item => item.connector)];
}

/** "restart failed connector and tasks" for one connector; "restart failed on 3 connectors" for a batch. */
export function batchLabel(batch: ActionBatch): string {
	const [first] = batch.plans;
	if (first !== undefined && batch.plans.length === 1 && batch.refused.length === 0) return intentLabel(first.intent);
	const short: Readonly<Record<ActionIntent['kind'], string>> = {'restart-failed': 'restart failed', 'restart-all': 'restart all', 'restart-task': 'restart task', pause: 'pause', resume: 'resume', stop: 'stop'};
	const count = batch.plans.length + batch.refused.length;
	return `${short[batch.kind]} on ${count} connector${count === 1 ? '' : 's'}`;
}

/**
 * The plan of a bulk action: `planAction` for each named connector, in the order given.
 * A connector that is not in the snapshot, or whose plan is refused, is listed with its
 * reason and the rest go ahead.
 */
export function planBatch(kind: BulkKind, names: readonly string[], find: (name: string) => ConnectorRow | undefined, version: string | undefined): ActionBatch {
	const plans: ActionPlan[] = [];
	const refused: RefusedItem[] = [];
	for (const name of new Set(names)) {
		const row = find(name);
		if (row === undefined) {
			refused.push({connector: name, reason: 'no longer in the cluster'});
			continue;
		}
		const plan = planAction({kind, connector: name}, row, version);
		if (typeof plan === 'string') refused.push({connector: name, reason: plan});
		else plans.push(plan);
	}
	return {kind, plans, refused};
}
