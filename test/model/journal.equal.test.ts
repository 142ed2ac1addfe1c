import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {appendEvents, emptyJournal, recordSnapshot, type Journal, type JournalEvent} from '../../source/model/journal.js';
import type {ClusterSnapshot} from '../../source/model/types.js';
import {makeConnector, makeDebezium, makeHealth, makeSnapshot, makeTask, makeWorker, takenAt} from '../helpers/snapshot-factory.js';
import {referenceRecordSnapshot} from './journal-reference.js';

/** A small cluster whose states, placements, Debezium flags, workers and sources change from one refresh to the next. */
const snapshot = (at: number): fc.Arbitrary<ClusterSnapshot> =>
	fc
		.record({
			connectors: fc.uniqueArray(
				fc.record({
					name: fc.constantFrom('a', 'b', 'c'),
					state: fc.constantFrom('RUNNING', 'FAILED', 'PAUSED'),
					trace: fc.constantFrom(undefined, 'org.apache.kafka.connect.errors.ConnectException: boom\n\tat x', ''),
					tasks: fc.uniqueArray(fc.record({id: fc.integer({min: 0, max: 2}), state: fc.constantFrom('RUNNING', 'FAILED', 'UNASSIGNED'), workerId: fc.constantFrom(undefined, 'c1:8083', 'c2:8083'), trace: fc.constantFrom(undefined, 'java.lang.NullPointerException\n\tat y')}), {selector: t => t.id, maxLength: 3}),
					connected: fc.constantFrom(undefined, true, false),
					snapshotRunning: fc.constantFrom(undefined, true, false),
				}),
				{selector: c => c.name, maxLength: 3},
			),
			workers: fc.uniqueArray(fc.record({id: fc.constantFrom('c1:8083', 'c2:8083'), up: fc.constantFrom(undefined, true, false)}), {selector: w => w.id, maxLength: 2}),
			restStale: fc.boolean(),
			restError: fc.constantFrom(undefined, 'HTTP 409 Conflict: rebalance in progress', 'connection refused'),
			metrics: fc.constantFrom(undefined, 'ok', 'failing'),
		})
		.map(drawn =>
			makeSnapshot({
				takenAt: at,
				connectors: drawn.connectors.map(c =>
					makeConnector({
						name: c.name,
						state: c.state,
						trace: c.trace,
						tasks: c.tasks.map(t => makeTask(t)),
						debezium: c.connected === undefined && c.snapshotRunning === undefined ? undefined : makeDebezium({connected: c.connected, snapshotRunning: c.snapshotRunning}),
					}),
				),
				workers: drawn.workers.map(w => makeWorker(w)),
				rest: makeHealth({source: 'rest', stale: drawn.restStale, lastError: drawn.restError}),
				metrics: drawn.metrics === undefined ? undefined : makeHealth({source: 'prometheus', stale: drawn.metrics === 'failing', lastError: drawn.metrics === 'failing' ? 'timeout' : undefined}),
			}),
		);

/** Records the snapshot into both journals, expects the same events, values and sameness, and hands back both. */
function recordBoth(journal: Journal, reference: Journal, snapshot: ClusterSnapshot, limit: number): [Journal, Journal] {
	const next = recordSnapshot(journal, snapshot, limit);
	const expected = referenceRecordSnapshot(reference, snapshot, limit);
	expect(next.added).toEqual(expected.added);
	expect(next.journal.events).toEqual(expected.journal.events);
	expect([...next.journal.known]).toEqual([...expected.journal.known]);
	expect(next.journal === journal).toBe(expected.journal === reference);
	return [next.journal, expected.journal];
}

describe('recordSnapshot without an observation per subject', () => {
	it('adds the same events and knows the same values as the fold it replaced, refresh after refresh', () => {
		const refreshes = fc.tuple(...Array.from({length: 6}, (_, i) => snapshot(takenAt + i * 2000)));
		fc.assert(
			fc.property(refreshes, fc.integer({min: 1, max: 5}), (snapshots, limit) => {
				let journal: Journal = emptyJournal;
				let reference: Journal = emptyJournal;
				for (const each of snapshots) [journal, reference] = recordBoth(journal, reference, each, limit);
			}),
			{numRuns: 400},
		);
	});

	it('skips rows equal to the last recorded snapshot without changing a result: sorted names, repeats, duplicates, stale REST, appended events', () => {
		interface Shape {
			readonly state: string;
			readonly tasks: ReadonlyArray<{readonly id: number; readonly state: string}>;
			readonly connected: boolean | undefined;
			readonly snapshotRunning: boolean | undefined;
		}
		const shape: fc.Arbitrary<Shape> = fc.record({
			state: fc.constantFrom('RUNNING', 'FAILED'),
			tasks: fc.constantFrom([], [{id: 0, state: 'RUNNING'}], [{id: 0, state: 'FAILED'}], [{id: 0, state: 'FAILED'}, {id: 1, state: 'RUNNING'}], [{id: 0, state: 'RUNNING'}, {id: 1, state: 'RUNNING'}], [{id: 1, state: 'RUNNING'}, {id: 0, state: 'RUNNING'}], [{id: 0, state: 'RUNNING'}, {id: 0, state: 'FAILED'}]),
			connected: fc.constantFrom(undefined, true, false),
			snapshotRunning: fc.constantFrom(undefined, true, false),
		});
		type Change = 'keep' | 'state' | 'task' | 'connected' | 'snapshot' | Shape;
		/** The last shape at a place, kept, with one field changed, or a new one. */
		const changed = (before: Shape, change: Change): Shape => {
			const flip = (value: boolean | undefined): boolean | undefined => (value === undefined ? true : value ? false : undefined);
			if (change === 'keep') return before;
			if (change === 'state') return {...before, state: before.state === 'RUNNING' ? 'FAILED' : 'RUNNING'};
			if (change === 'task') return {...before, tasks: before.tasks.map((task, k) => (k === 0 ? {...task, state: task.state === 'RUNNING' ? 'FAILED' : 'RUNNING'} : task))};
			if (change === 'connected') return {...before, connected: flip(before.connected)};
			if (change === 'snapshot') return {...before, snapshotRunning: flip(before.snapshotRunning)};
			return change;
		};
		// Per refresh: which names are there (sorted as buildSnapshot sorts them; now and then one twice), and how each place changes.
		const change: fc.Arbitrary<Change> = fc.oneof({weight: 6, arbitrary: fc.constant('keep' as const)}, {weight: 4, arbitrary: fc.constantFrom('state' as const, 'task' as const, 'connected' as const, 'snapshot' as const)}, {weight: 1, arbitrary: shape});
		const refresh = fc.record({
			names: fc.oneof({weight: 3, arbitrary: fc.constant<readonly string[]>(['a', 'b', 'c'])}, {weight: 2, arbitrary: fc.constant<readonly string[]>(['a', 'a', 'c'])}, {weight: 1, arbitrary: fc.array(fc.constantFrom('a', 'b', 'c', 'd'), {maxLength: 4}).map((names): readonly string[] => [...names].sort())}),
			changes: fc.array(change, {minLength: 4, maxLength: 4}),
			restStale: fc.constantFrom(false, false, true),
			appended: fc.oneof({weight: 4, arbitrary: fc.constant<ReadonlyArray<{readonly kind: 'connector' | 'task' | 'action'; readonly subject: string; readonly to: string}>>([])}, {weight: 1, arbitrary: fc.array(fc.record({kind: fc.constantFrom('connector' as const, 'task' as const, 'action' as const), subject: fc.constantFrom('a', 'b', 'a/0'), to: fc.constantFrom('RUNNING', 'FAILED')}), {minLength: 1, maxLength: 2}).map((events): ReadonlyArray<{readonly kind: 'connector' | 'task' | 'action'; readonly subject: string; readonly to: string}> => events)}),
		});
		fc.assert(
			fc.property(fc.array(refresh, {minLength: 2, maxLength: 10}), fc.integer({min: 1, max: 30}), (refreshes, limit) => {
				let journal: Journal = emptyJournal;
				let reference: Journal = emptyJournal;
				const last = new Map<string, Shape>();
				for (const [index, drawn] of refreshes.entries()) {
					const at = takenAt + index * 2000;
					const connectors = drawn.names.map((name, i) => {
						const place = `${i}:${name}`;
						const now = changed(last.get(place) ?? {state: 'RUNNING', tasks: [{id: 0, state: 'RUNNING'}], connected: undefined, snapshotRunning: undefined}, drawn.changes[i] ?? 'keep');
						last.set(place, now);
						return makeConnector({name, state: now.state, tasks: now.tasks.map(task => makeTask(task)), debezium: now.connected === undefined && now.snapshotRunning === undefined ? undefined : makeDebezium({connected: now.connected, snapshotRunning: now.snapshotRunning})});
					});
					const each = makeSnapshot({takenAt: at, connectors, workers: [makeWorker({id: 'c1:8083', up: true})], rest: makeHealth({source: 'rest', stale: drawn.restStale})});
					const appended: JournalEvent[] = drawn.appended.map(event => ({at: at - 1000, kind: event.kind, subject: event.subject, connector: 'a', from: undefined, to: event.to, detail: undefined}));
					journal = appendEvents(journal, appended, limit);
					reference = appendEvents(reference, appended, limit);
					[journal, reference] = recordBoth(journal, reference, each, limit);
				}
			}),
			{numRuns: 600},
		);
	});
});
