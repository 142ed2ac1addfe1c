import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {emptyJournal, recordSnapshot, type Journal} from '../../source/model/journal.js';
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

describe('recordSnapshot without an observation per subject', () => {
	it('adds the same events and knows the same values as the fold it replaced, refresh after refresh', () => {
		const refreshes = fc.tuple(...Array.from({length: 6}, (_, i) => snapshot(takenAt + i * 2000)));
		fc.assert(
			fc.property(refreshes, fc.integer({min: 1, max: 5}), (snapshots, limit) => {
				let journal: Journal = emptyJournal;
				let reference: Journal = emptyJournal;
				for (const each of snapshots) {
					const next = recordSnapshot(journal, each, limit);
					const expected = referenceRecordSnapshot(reference, each, limit);
					expect(next.added).toEqual(expected.added);
					expect(next.journal.events).toEqual(expected.journal.events);
					expect([...next.journal.known]).toEqual([...expected.journal.known]);
					expect(next.journal === journal).toBe(expected.journal === reference);
					journal = next.journal;
					reference = expected.journal;
				}
			}),
			{numRuns: 400},
		);
	});
});
