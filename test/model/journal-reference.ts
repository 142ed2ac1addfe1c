/**
 * The journal's fold as it was before it stopped building an observation per subject
 * (commit 7b6b1dd): the reference journal.equal.test.ts holds the new one equal to.
 */
import {journalLimit, type Journal, type JournalEvent, type JournalKind, type Known} from '../../source/model/journal.js';
import {restAnswersConflict} from '../../source/model/rebalance.js';
import type {ClusterSnapshot} from '../../source/model/types.js';

interface Observation {
	readonly kind: Exclude<JournalKind, 'action'>;
	readonly subject: string;
	readonly connector: string | undefined;
	readonly value: string;
	readonly detail: string | undefined;
}

const keyOf = (kind: JournalKind, subject: string): string => `${kind}:${subject}`;

function firstLine(text: string | undefined): string | undefined {
	const line = text?.split('\n')[0]?.trim();
	return line === undefined || line === '' ? undefined : line;
}

/** Everything the journal tracks in one snapshot, as (kind, subject, value). */
function observe(snapshot: ClusterSnapshot): Observation[] {
	const seen: Observation[] = [];
	for (const row of snapshot.connectors) {
		seen.push({kind: 'connector', subject: row.name, connector: row.name, value: row.state, detail: row.state === 'FAILED' ? firstLine(row.trace) : undefined});
		for (const task of row.tasks) {
			seen.push({kind: 'task', subject: `${row.name}/${task.id}`, connector: row.name, value: task.state, detail: task.state === 'FAILED' ? firstLine(task.trace) : task.workerId === undefined ? undefined : `on ${task.workerId}`});
		}
		const dbz = row.debezium;
		if (dbz?.connected !== undefined) seen.push({kind: 'dbz-connected', subject: row.name, connector: row.name, value: dbz.connected ? 'connected' : 'disconnected', detail: undefined});
		if (dbz?.snapshotRunning !== undefined) seen.push({kind: 'snapshot', subject: row.name, connector: row.name, value: dbz.snapshotRunning ? 'running' : 'not running', detail: undefined});
	}
	for (const worker of snapshot.workers) {
		if (worker.up !== undefined) seen.push({kind: 'worker', subject: worker.id, connector: undefined, value: worker.up ? 'up' : 'down', detail: worker.instance});
	}
	const rebalancing = snapshot.rest.stale && restAnswersConflict(snapshot.rest);
	seen.push({kind: 'rebalance', subject: 'cluster', connector: undefined, value: rebalancing ? 'in progress' : 'none', detail: rebalancing ? snapshot.rest.lastError : undefined});
	for (const source of [snapshot.rest, snapshot.metrics]) {
		if (source === undefined) continue;
		const value = source.stale || !source.everSucceeded ? 'failing' : 'ok';
		seen.push({kind: 'source', subject: source.source, connector: undefined, value, detail: value === 'failing' ? source.lastError : undefined});
	}
	return seen;
}

function bounded(events: readonly JournalEvent[], limit: number): readonly JournalEvent[] {
	return events.length > limit ? events.slice(events.length - limit) : events;
}

export function referenceRecordSnapshot(journal: Journal, snapshot: ClusterSnapshot, limit = journalLimit): {readonly journal: Journal; readonly added: readonly JournalEvent[]} {
	let known: Map<string, Known> | undefined;
	const added: JournalEvent[] = [];
	for (const item of observe(snapshot)) {
		if ((item.kind === 'connector' || item.kind === 'task') && snapshot.rest.stale) continue;
		const key = keyOf(item.kind, item.subject);
		const before = (known ?? journal.known).get(key);
		if (before?.value === item.value) continue;
		known ??= new Map(journal.known);
		known.set(key, {value: item.value, since: before === undefined ? undefined : snapshot.takenAt});
		if (before !== undefined) added.push({at: snapshot.takenAt, kind: item.kind, subject: item.subject, connector: item.connector, from: before.value, to: item.value, detail: item.detail});
	}
	if (known === undefined) return {journal, added};
	if (added.length === 0) return {journal: {events: journal.events, known}, added};
	return {journal: {events: bounded([...journal.events, ...added], limit), known}, added};
}

