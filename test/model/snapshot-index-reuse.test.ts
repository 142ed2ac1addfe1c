import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {recordedResults, recording} from '../helpers/recorded-answer.js';
import {kctopProfile} from '../../source/metrics/profiles/default.js';
import type {MetricResults, NamingProfile} from '../../source/metrics/types.js';
import {buildSnapshot, defaultThresholds} from '../../source/model/snapshot.js';
import type {ClusterSnapshot, SourceHealth} from '../../source/model/types.js';

/**
 * The model keeps the indexes it builds from a metric's sample list (by connector, connector
 * state, task state) with the list, and reuses them when the next refresh hands it the same
 * list (the Prometheus source does when the metric's samples all repeat). A snapshot built
 * from reused indexes must be the snapshot built from fresh ones.
 */

/** The same results in new lists of new samples: nothing to reuse. */
const copied = (results: MetricResults): MetricResults => new Map([...results].map(([id, samples]) => [id, samples.map(sample => ({labels: {...sample.labels}, value: sample.value}))]));

const healthy = (source: SourceHealth['source']): SourceHealth => ({source, everSucceeded: true, stale: false, lastSuccessAt: recording.time, lastAttemptAt: recording.time, lastError: undefined, endpoint: undefined, warnings: [], consecutiveFailures: 0});

function snapshotOf(results: MetricResults, profile: NamingProfile): ClusterSnapshot {
	return buildSnapshot(
		{serverInfo: undefined, connectors: recording.connectors, metrics: results, rest: healthy('rest'), metricsHealth: healthy('prometheus'), profile, emptyMetrics: [], workerMap: new Map(), thresholds: defaultThresholds},
		{now: recording.time, sequence: 1, window: (_name, _series, current) => [current ?? Number.NaN]},
	).snapshot;
}

describe('indexes reused with their sample list', () => {
	it('give the snapshot fresh indexes give (the recorded answer of a real Prometheus)', () => {
		const results = recordedResults();
		const first = snapshotOf(results, kctopProfile);
		const again = snapshotOf(results, kctopProfile);
		expect(again).toEqual(snapshotOf(copied(results), kctopProfile));
		expect(again).toEqual(first);
		expect(first.connectors.some(row => row.metricState !== undefined)).toBe(true);
		expect(first.connectors.some(row => row.tasks.some(task => task.metricState !== undefined))).toBe(true);
		expect(first.connectors.some(row => row.recordErrors !== undefined)).toBe(true);
	});

	it('are not reused for a profile that keys them by other labels', () => {
		const results = recordedResults();
		// Connector and task swapped: every join misses, which a stale index would hide.
		const swapped: NamingProfile = {...kctopProfile, labels: {...kctopProfile.labels, connector: kctopProfile.labels.task, task: kctopProfile.labels.connector, status: kctopProfile.labels.instance}};
		snapshotOf(results, kctopProfile);
		expect(snapshotOf(results, swapped)).toEqual(snapshotOf(copied(results), swapped));
		expect(snapshotOf(results, kctopProfile)).toEqual(snapshotOf(copied(results), kctopProfile));
	});

	it('give the snapshot fresh indexes give, whatever lists repeat between refreshes (generated values)', () => {
		const base = recordedResults();
		const ids = [...base.keys()];
		fc.assert(
			fc.property(fc.array(fc.tuple(fc.constantFrom(...ids), fc.nat(), fc.oneof(fc.constantFrom(0, 1, 2, Number.NaN), fc.double({noNaN: true}))), {maxLength: 8}), changes => {
				// The first refresh's lists stay; those a change touches are new lists in the second.
				const second = new Map(base);
				for (const [id, at, value] of changes) {
					const samples = [...(second.get(id) ?? [])];
					const sample = samples[at % Math.max(1, samples.length)];
					if (sample === undefined) continue;
					samples[at % samples.length] = {labels: sample.labels, value};
					second.set(id, samples);
				}
				snapshotOf(base, kctopProfile);
				expect(snapshotOf(second, kctopProfile)).toEqual(snapshotOf(copied(second), kctopProfile));
			}),
			{numRuns: 100},
		);
	});
});
