import type {ClusterSnapshot} from './types.js';
import {restAnswersConflict} from './rebalance.js';

/**
 * The journal of what changed (pure): every transition kctop observes between refreshes,
 * with its time. It answers "since when?" ("FAILED 14m") and "what else moved?". Things
 * seen for the first time are remembered without an event (a first start over 10,000
 * connectors records nothing); a change is an event, and so is a value that differs from
 * the one a previous run of kctop persisted.
 */

export type JournalKind = 'connector' | 'task' | 'worker' | 'dbz-connected' | 'snapshot' | 'rebalance' | 'source' | 'action';

export interface JournalEvent {
	/** Clock time (ms) of the refresh that saw the change. */
	readonly at: number;
	readonly kind: JournalKind;
	/** What changed: connector name, `connector/task`, worker id, or the source (rest, prometheus, scrape). */
	readonly subject: string;
	readonly connector: string | undefined;
	readonly from: string | undefined;
	readonly to: string;
	/** One line of context: the first line of a trace, the REST error, the action's answer. */
	readonly detail: string | undefined;
}

export interface Known {
	readonly value: string;
	/** When it took that value; undefined when kctop found it so and never saw it change. */
	readonly since: number | undefined;
}

export interface Journal {
	/** Oldest first, at most `limit` events. */
	readonly events: readonly JournalEvent[];
	/** Last value of every subject, keyed by `${kind}:${subject}`. */
	readonly known: ReadonlyMap<string, Known>;
}

export const emptyJournal: Journal = {events: [], known: new Map()};

/** Events kept in memory (and in the file, after compaction). */
export const journalLimit = 2000;

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

/**
 * Folds a new snapshot into the journal: the events it adds (oldest first) and the journal
 * after them. Subjects missing from the snapshot are left as they were (a connector that
 * disappears is reported by REST as gone only through its absence: not an event here).
 */
export function recordSnapshot(journal: Journal, snapshot: ClusterSnapshot, limit = journalLimit): {readonly journal: Journal; readonly added: readonly JournalEvent[]} {
	const at = snapshot.takenAt;
	// REST data that is stale describes the past: do not date its states to now.
	const restFresh = !snapshot.rest.stale;
	// Copied on the first change only: most refreshes change nothing, and at 10,000 connectors
	// the map holds 40,000 subjects.
	let known: Map<string, Known> | undefined;
	const added: JournalEvent[] = [];
	for (const item of observe(snapshot)) {
		const fromRest = item.kind === 'connector' || item.kind === 'task';
		if (fromRest && !restFresh) continue;
		const key = keyOf(item.kind, item.subject);
		const before = (known ?? journal.known).get(key);
		if (before?.value === item.value) continue;
		known ??= new Map(journal.known);
		known.set(key, {value: item.value, since: before === undefined ? undefined : at});
		if (before !== undefined) added.push({at, kind: item.kind, subject: item.subject, connector: item.connector, from: before.value, to: item.value, detail: item.detail});
	}
	if (known === undefined) return {journal, added};
	if (added.length === 0) return {journal: {events: journal.events, known}, added};
	return {journal: {events: bounded([...journal.events, ...added], limit), known}, added};
}

/** Adds events from elsewhere (actions, or a file written by an earlier run) and what they say is the last value. */
export function appendEvents(journal: Journal, events: readonly JournalEvent[], limit = journalLimit): Journal {
	if (events.length === 0) return journal;
	const known = new Map(journal.known);
	for (const event of events) if (event.kind !== 'action') known.set(keyOf(event.kind, event.subject), {value: event.to, since: event.at});
	return {events: bounded([...journal.events, ...events], limit), known};
}

/** How long a subject has had its current value, if kctop (this run or an earlier one) saw it change. */
export function sinceOf(journal: Journal, kind: JournalKind, subject: string): number | undefined {
	return journal.known.get(keyOf(kind, subject))?.since;
}

/** Newest first, optionally only one connector's (its tasks included). */
export function recentEvents(journal: Journal, connector?: string): JournalEvent[] {
	const events = connector === undefined ? [...journal.events] : journal.events.filter(event => event.connector === connector);
	return events.reverse();
}

/** One line: "cdc-orders/0 RUNNING → FAILED: ConnectException: …". */
export function describeEvent(event: JournalEvent): string {
	const what = event.kind === 'dbz-connected' ? `${event.subject} database` : event.kind === 'snapshot' ? `${event.subject} snapshot` : event.kind === 'source' ? `${event.subject} source` : event.kind === 'rebalance' ? 'rebalance' : event.subject;
	const change = event.from === undefined ? event.to : `${event.from} → ${event.to}`;
	return `${what} ${change}${event.detail === undefined ? '' : `: ${event.detail}`}`;
}
