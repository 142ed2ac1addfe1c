import {describe, expect, it} from 'vitest';
import {describeEvent, emptyJournal, recordSnapshot, type Journal} from '../../source/model/journal.js';
import type {ClusterSnapshot, SourceHealth} from '../../source/model/types.js';
import {makeConnector, makeHealth, makeSnapshot} from '../helpers/snapshot-factory.js';

// A Prometheus query still out past the live view's wait (SourceHealth.pendingSince) is not a
// change of the source: one that answers in about --timeout would flip slow/ok every refresh.

const snapshotWith = (metrics: SourceHealth, takenAt: number): ClusterSnapshot => ({...makeSnapshot({connectors: [makeConnector({name: 'sink'})]}), metrics, takenAt});
const ok = makeHealth({source: 'prometheus'});
const pending = makeHealth({source: 'prometheus', stale: true, lastError: 'no answer within 5s: still waiting for it, up to 1m0s', pendingSince: 4000});
const gaveUp = makeHealth({source: 'prometheus', stale: true, lastError: 'timed out after 1m', consecutiveFailures: 1});

function run(sequence: readonly SourceHealth[]): string[] {
	let journal: Journal = emptyJournal;
	const added: string[] = [];
	sequence.forEach((metrics, index) => {
		const recorded = recordSnapshot(journal, snapshotWith(metrics, 1000 * (index + 1)));
		journal = recorded.journal;
		added.push(...recorded.added.map(describeEvent));
	});
	return added;
}

describe('the journal and a slow Prometheus', () => {
	it('records nothing while answers come in around the wait', () => {
		expect(run([ok, pending, ok, pending, pending, ok])).toEqual([]);
	});

	it('records the give-up as failing, and the recovery', () => {
		expect(run([ok, pending, gaveUp, pending, ok])).toEqual(['prometheus source ok → failing: timed out after 1m', 'prometheus source failing → ok']);
	});

	it('the same stale health without pendingSince is a failure (the rule is the marker, not staleness)', () => {
		expect(run([ok, {...pending, pendingSince: undefined}, ok])).toEqual(['prometheus source ok → failing: no answer within 5s: still waiting for it, up to 1m0s', 'prometheus source failing → ok']);
	});
});
