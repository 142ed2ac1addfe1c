import {describe, expect, it} from 'vitest';
import {appendEvents, describeEvent, emptyJournal, recentEvents, recordSnapshot, sinceOf, type JournalEvent} from '../../source/model/journal.js';
import type {ClusterSnapshot} from '../../source/model/types.js';
import {connectorFromStatus, makeConnector, makeSnapshot, makeTask, staleRest} from '../helpers/snapshot-factory.js';

const at = (snapshot: ClusterSnapshot, takenAt: number): ClusterSnapshot => ({...snapshot, takenAt});

describe('recordSnapshot', () => {
	const healthy = makeSnapshot({connectors: [makeConnector({name: 'sink', tasks: [makeTask({id: 0}), makeTask({id: 1})]})]});
	const failed = makeSnapshot({connectors: [makeConnector({name: 'sink', tasks: [makeTask({id: 0}), makeTask({id: 1, state: 'FAILED', trace: 'org.apache.kafka.connect.errors.ConnectException: boom\n\tat x'})]})]});

	it('remembers what it finds without an event, then records each change once with its time', () => {
		const first = recordSnapshot(emptyJournal, at(healthy, 1000));
		expect(first.added).toEqual([]);
		expect(sinceOf(first.journal, 'task', 'sink/1')).toBeUndefined();
		const second = recordSnapshot(first.journal, at(failed, 5000));
		expect(second.added.map(describeEvent)).toEqual(['sink/1 RUNNING → FAILED: org.apache.kafka.connect.errors.ConnectException: boom']);
		expect(sinceOf(second.journal, 'task', 'sink/1')).toBe(5000);
		const third = recordSnapshot(second.journal, at(failed, 7000));
		expect(third.added).toEqual([]);
		expect(third.journal).toBe(second.journal);
	});

	it('leaves the journal it was given as it was: a change goes to a copy of what is known', () => {
		const first = recordSnapshot(emptyJournal, at(healthy, 1000)).journal;
		const knownBefore = [...first.known];
		const second = recordSnapshot(first, at(failed, 5000));
		expect(second.journal.known).not.toBe(first.known);
		expect([...first.known]).toEqual(knownBefore);
		expect(sinceOf(first, 'task', 'sink/1')).toBeUndefined();
		// A subject seen for the first time is remembered without an event, in a new journal too.
		const grown = recordSnapshot(second.journal, at(makeSnapshot({connectors: [...failed.connectors, makeConnector({name: 'other'})]}), 6000));
		expect(grown.added).toEqual([]);
		expect(grown.journal).not.toBe(second.journal);
		expect(grown.journal.events).toBe(second.journal.events);
		expect(grown.journal.known.get('connector:other')).toEqual({value: 'RUNNING', since: undefined});
		expect(second.journal.known.has('connector:other')).toBe(false);
	});

	it('does not date states from stale REST data to now', () => {
		const first = recordSnapshot(emptyJournal, at(healthy, 1000)).journal;
		const stale = recordSnapshot(first, {...at(failed, 5000), rest: staleRest()});
		expect(stale.added.filter(event => event.kind === 'task')).toEqual([]);
		expect(stale.added.map(describeEvent)).toContain('rest source ok → failing: connection refused');
	});

	it('keeps at most the limit, newest last, and lists newest first', () => {
		let journal = recordSnapshot(emptyJournal, at(healthy, 0)).journal;
		for (let index = 1; index <= 6; index++) journal = recordSnapshot(journal, at(index % 2 === 1 ? failed : healthy, index * 1000), 4).journal;
		expect(journal.events).toHaveLength(4);
		expect(recentEvents(journal).map(event => event.at)).toEqual([6000, 5000, 4000, 3000]);
	});

	it('takes the last values from events of an earlier run', () => {
		const earlier: JournalEvent[] = [{at: 100, kind: 'task', subject: 'sink/1', connector: 'sink', from: 'RUNNING', to: 'FAILED', detail: undefined}];
		const restored = appendEvents(emptyJournal, earlier);
		const next = recordSnapshot(restored, at(failed, 9000));
		expect(next.added.filter(event => event.kind === 'task')).toEqual([]);
		expect(sinceOf(next.journal, 'task', 'sink/1')).toBe(100);
	});

	it('reads real payloads: a connector FAILED with no tasks, and six of ten tasks FAILED', () => {
		const running = makeSnapshot({connectors: [makeConnector({name: 'replicator', tasks: Array.from({length: 10}, (_, id) => makeTask({id}))})]});
		const journal = recordSnapshot(emptyJournal, at(running, 0)).journal;
		const replicator = connectorFromStatus('rest-status-replicator-10-tasks-mixed-failed-timeout.json');
		const added = recordSnapshot(journal, at(makeSnapshot({connectors: [replicator]}), 1000)).added;
		expect(added.map(event => event.subject)).toEqual(['replicator/1', 'replicator/3', 'replicator/6', 'replicator/7', 'replicator/8', 'replicator/9']);
		expect(added.every(event => event.detail?.startsWith('org.apache.kafka') === true)).toBe(true);
	});
});
