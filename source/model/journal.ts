import type {ClusterSnapshot} from './types.js';
import {restAnswersConflict} from './rebalance.js';
import {strictlyAscending} from './diff.js';

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

const keyOf = (kind: JournalKind, subject: string): string => `${kind}:${subject}`;

function firstLine(text: string | undefined): string | undefined {
	const line = text?.split('\n')[0]?.trim();
	return line === undefined || line === '' ? undefined : line;
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
	// the map holds 40,000 subjects. For the same reason nothing is built for a subject whose
	// value did not change (the event's detail included).
	let known: Map<string, Known> | undefined;
	const added: JournalEvent[] = [];
	/** Notes a subject's value; returns the value it replaced when that is an event (a subject seen before that changed). */
	const note = (kind: JournalKind, subject: string, value: string): string | undefined => {
		const key = keyOf(kind, subject);
		const before = (known ?? journal.known).get(key);
		if (before?.value === value) return undefined;
		known ??= new Map(journal.known);
		known.set(key, {value, since: before === undefined ? undefined : at});
		return before?.value;
	};
	const event = (kind: JournalKind, subject: string, connector: string | undefined, from: string, to: string, detail: string | undefined): void => {
		added.push({at, kind, subject, connector, from, to, detail});
	};

	// Rows equal to the basis's row at the same place note nothing (their values are what `known`
	// holds already): at 10,000 connectors that skips 40,000 keys built and looked up per refresh.
	const matchable = restFresh && uniqueInOrder(snapshot.connectors);
	const basis = matchable ? bases.get(journal.known) : undefined;
	const basisRows = basis?.connectors;
	for (let index = 0; index < snapshot.connectors.length; index++) {
		const row = snapshot.connectors[index];
		if (row === undefined) continue;
		const same = basisRows?.[index];
		if (same !== undefined && sameJournalValues(same, row)) continue;
		if (restFresh) {
			const connectorFrom = note('connector', row.name, row.state);
			if (connectorFrom !== undefined) event('connector', row.name, row.name, connectorFrom, row.state, row.state === 'FAILED' ? firstLine(row.trace) : undefined);
			for (const task of row.tasks) {
				const subject = `${row.name}/${task.id}`;
				const taskFrom = note('task', subject, task.state);
				if (taskFrom !== undefined) event('task', subject, row.name, taskFrom, task.state, task.state === 'FAILED' ? firstLine(task.trace) : task.workerId === undefined ? undefined : `on ${task.workerId}`);
			}
		}
		const dbz = row.debezium;
		if (dbz?.connected !== undefined) {
			const value = dbz.connected ? 'connected' : 'disconnected';
			const from = note('dbz-connected', row.name, value);
			if (from !== undefined) event('dbz-connected', row.name, row.name, from, value, undefined);
		}
		if (dbz?.snapshotRunning !== undefined) {
			const value = dbz.snapshotRunning ? 'running' : 'not running';
			const from = note('snapshot', row.name, value);
			if (from !== undefined) event('snapshot', row.name, row.name, from, value, undefined);
		}
	}
	for (const worker of snapshot.workers) {
		if (worker.up === undefined) continue;
		const value = worker.up ? 'up' : 'down';
		const from = note('worker', worker.id, value);
		if (from !== undefined) event('worker', worker.id, undefined, from, value, worker.instance);
	}
	const rebalancing = snapshot.rest.stale && restAnswersConflict(snapshot.rest);
	const rebalance = rebalancing ? 'in progress' : 'none';
	const rebalanceFrom = note('rebalance', 'cluster', rebalance);
	if (rebalanceFrom !== undefined) event('rebalance', 'cluster', undefined, rebalanceFrom, rebalance, rebalancing ? snapshot.rest.lastError : undefined);
	for (const source of [snapshot.rest, snapshot.metrics]) {
		if (source === undefined) continue;
		// A metrics answer still out past a refresh's wait (the live view) changes nothing here: a
		// Prometheus that answers in about --timeout would otherwise fill the journal with
		// slow/ok flips. A query that gives up is journaled as failing when it does.
		if (source.pendingSince !== undefined) continue;
		const value = source.stale || !source.everSucceeded ? 'failing' : 'ok';
		const from = note('source', source.source, value);
		if (from !== undefined) event('source', source.source, undefined, from, value, value === 'failing' ? source.lastError : undefined);
	}

	const next: Journal = known === undefined ? journal : added.length === 0 ? {events: journal.events, known} : {events: bounded([...journal.events, ...added], limit), known};
	// The new known map holds this snapshot's values now (when its REST part was noted and its rows can be matched by place).
	if (matchable) bases.set(next.known, snapshot);
	return {journal: next, added};
}

/**
 * Per known map, the last snapshot recorded into it with fresh REST data and rows in strict
 * name order (tasks in strict id order): every value it would note is what the map holds. A
 * map is never changed once made (a change copies it), so the entry stays true; a later
 * snapshot recorded without a change replaces it. Weak: a map no journal uses takes its
 * entry with it.
 */
const bases = new WeakMap<ReadonlyMap<string, Known>, ClusterSnapshot>();

/** Names strictly ascending, and each row's task ids: a row then stands for its subjects alone, and the basis's row at the same place is its own. */
function uniqueInOrder(rows: ClusterSnapshot['connectors']): boolean {
	if (!strictlyAscending(rows)) return false;
	for (const row of rows) {
		for (let i = 1; i < row.tasks.length; i++) if (!((row.tasks[i - 1]?.id ?? Infinity) < (row.tasks[i]?.id ?? -Infinity))) return false;
	}
	return true;
}

/** Same name, state, task ids and states, and Debezium connection and snapshot flags: every subject the row notes has the basis's value. */
function sameJournalValues(a: ClusterSnapshot['connectors'][number], b: ClusterSnapshot['connectors'][number]): boolean {
	if (a.name !== b.name || a.state !== b.state || a.tasks.length !== b.tasks.length) return false;
	if (a.debezium?.connected !== b.debezium?.connected || a.debezium?.snapshotRunning !== b.debezium?.snapshotRunning) return false;
	for (let i = 0; i < a.tasks.length; i++) {
		const x = a.tasks[i];
		const y = b.tasks[i];
		if (x !== y && (x === undefined || y === undefined || x.id !== y.id || x.state !== y.state)) return false;
	}
	return true;
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
