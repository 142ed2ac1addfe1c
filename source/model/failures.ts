import {causeText, type RootCause} from './trace.js';
import type {Hint} from './hints.js';
import type {ConnectorRow} from './types.js';

/** One FAILED connector or task. `task` is undefined for the connector itself. */
export interface FailureMember {
	readonly connector: string;
	readonly task: number | undefined;
	readonly workerId: string | undefined;
}

/** A FAILED connector or task with its root cause and hint. */
export interface Failure extends FailureMember {
	readonly cause: RootCause | undefined;
	readonly hint: Hint | undefined;
}

/** The connector itself when FAILED, then each FAILED task by id. */
export function failuresOf(row: ConnectorRow): Failure[] {
	const own: Failure[] = row.state === 'FAILED' ? [{connector: row.name, task: undefined, workerId: row.workerId, cause: row.cause, hint: row.hint}] : [];
	return [...own, ...row.tasks.filter(task => task.state === 'FAILED').map(task => ({connector: row.name, task: task.id, workerId: task.workerId, cause: task.cause, hint: task.hint}))];
}

/** Failures with one fingerprint, across tasks and connectors. */
export interface FailureGroup {
	readonly fingerprint: string;
	/** The root cause of the first member (by connector name, then task id): the example shown. */
	readonly cause: RootCause | undefined;
	readonly hint: Hint | undefined;
	readonly members: readonly FailureMember[];
}

const noTrace = '(no trace)';

/**
 * FAILED connectors and tasks grouped by the fingerprint of their root cause, largest group
 * first (then by fingerprint, so the order is stable). A FAILED instance without a trace joins
 * the "(no trace)" group.
 */
export function groupFailures(connectors: readonly ConnectorRow[]): FailureGroup[] {
	const groups = new Map<string, {cause: RootCause | undefined; hint: Hint | undefined; members: FailureMember[]}>();
	const sorted = [...connectors].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
	for (const {cause, hint, ...member} of sorted.flatMap(failuresOf)) {
		const key = cause?.fingerprint ?? noTrace;
		const group = groups.get(key);
		if (group) group.members.push(member);
		else groups.set(key, {cause, hint, members: [member]});
	}
	return [...groups]
		.map(([fingerprint, group]) => ({fingerprint, ...group}))
		.sort((a, b) => b.members.length - a.members.length || (a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0));
}

function plural(count: number, word: string): string {
	return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** "37 tasks", "1 connector, 2 tasks in 2 connectors". */
export function groupCount(group: FailureGroup): string {
	const tasks = group.members.filter(member => member.task !== undefined);
	const connectors = group.members.length - tasks.length;
	const spread = new Set(tasks.map(member => member.connector)).size;
	const parts = [...(connectors > 0 ? [plural(connectors, 'connector')] : []), ...(tasks.length > 0 ? [`${plural(tasks.length, 'task')}${spread > 1 ? ` in ${plural(spread, 'connector')}` : ''}`] : [])];
	return parts.join(', ');
}

/** "37 tasks · PSQLException: Connection refused (db-3:5432)". */
export function groupTitle(group: FailureGroup, separator = '·'): string {
	return `${groupCount(group)} ${separator} ${group.cause === undefined ? noTrace : causeText(group.cause)}`;
}

/** "orders-sink/3" for a task, "orders-sink" for the connector itself. */
export function memberName(member: FailureMember): string {
	return member.task === undefined ? member.connector : `${member.connector}/${member.task}`;
}
