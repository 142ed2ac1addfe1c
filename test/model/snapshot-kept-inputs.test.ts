import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import type {ConnectorsExpanded} from '../../source/clients/connect/schemas.js';
import {kctopProfile} from '../../source/metrics/profiles/default.js';
import type {MetricResults, Sample} from '../../source/metrics/types.js';
import {HistoryStore} from '../../source/model/history.js';
import {buildSnapshot, defaultThresholds, type BuiltSnapshot, type HealthThresholds} from '../../source/model/snapshot.js';
import type {ClusterSnapshot, SourceHealth} from '../../source/model/types.js';
import {recordedResults, recording} from '../helpers/recorded-answer.js';

/**
 * buildSnapshot takes a connector's row from the last snapshot, without building it, when its
 * REST entry is the same object, every metric list is the same list, and its counter changes
 * and sink verdict (which move with the history window) come out the same. A run of refreshes
 * built that way must give, refresh after refresh, the snapshots and history points of the
 * same run built with nothing taken (the previous snapshot handed over as a copy, which the
 * model knows nothing of).
 */

const healthy = (source: SourceHealth['source'], at: number): SourceHealth => ({source, everSucceeded: true, stale: false, lastSuccessAt: at, lastAttemptAt: at, lastError: undefined, endpoint: undefined, warnings: [], consecutiveFailures: 0});

interface Step {
	readonly connectors: ConnectorsExpanded;
	readonly metrics: MetricResults;
	readonly thresholds: HealthThresholds;
}

/** One chain of refreshes: its history, and its last snapshot (handed over as a copy when `copies`). */
function chain(copies: boolean): (step: Step, at: number) => BuiltSnapshot {
	const history = new HistoryStore(4);
	let previous: ClusterSnapshot | undefined;
	let sequence = 0;
	return (step, at) => {
		sequence += 1;
		const built = buildSnapshot(
			{serverInfo: undefined, connectors: step.connectors, metrics: step.metrics, rest: healthy('rest', at), metricsHealth: healthy('prometheus', at), profile: kctopProfile, emptyMetrics: [], workerMap: new Map(), thresholds: step.thresholds},
			{
				now: at,
				sequence,
				window: (name, series, current) => history.window(name, series, current),
				counterChange: (name, series, current) => history.counterChange(name, series, current),
				previous: copies && previous !== undefined ? {...previous} : previous,
				stepMs: 2000,
			},
		);
		history.record(built.points);
		previous = built.snapshot;
		return built;
	};
}

type Change =
	| {readonly kind: 'value'; readonly id: number; readonly at: number; readonly value: number}
	| {readonly kind: 'entry'; readonly at: number; readonly state: 'FAILED' | 'RUNNING' | 'PAUSED'}
	| {readonly kind: 'thresholds'}
	| {readonly kind: 'up'; readonly at: number; readonly value: 0 | 1};

const baseMetrics = recordedResults();
const ids = [...baseMetrics.keys()];
const names = Object.keys(recording.connectors);

const change: fc.Arbitrary<Change> = fc.oneof(
	fc.record({kind: fc.constant('value' as const), id: fc.nat(ids.length - 1), at: fc.nat(), value: fc.oneof(fc.constantFrom(0, 1, 5, 1e6, Number.NaN), fc.double({noNaN: true, min: -10, max: 1e9}))}),
	fc.record({kind: fc.constant('entry' as const), at: fc.nat(names.length - 1), state: fc.constantFrom('FAILED' as const, 'RUNNING' as const, 'PAUSED' as const)}),
	fc.record({kind: fc.constant('thresholds' as const)}),
	fc.record({kind: fc.constant('up' as const), at: fc.nat(2), value: fc.constantFrom(0 as const, 1 as const)}),
);

/** The step after `step` with `changes` made: new lists, entries and thresholds only where a change touches them. */
function next(step: Step, changes: readonly Change[]): Step {
	let {connectors, metrics, thresholds} = step;
	for (const each of changes) {
		if (each.kind === 'thresholds') thresholds = {...thresholds, lagWarnRecords: thresholds.lagWarnRecords === 1 ? defaultThresholds.lagWarnRecords : 1};
		else if (each.kind === 'up') {
			// A worker's exporter says it is down (or up again): the severity of the rows on it moves.
			const up = metrics.get('workerUp') ?? [];
			metrics = new Map(metrics).set('workerUp', up.map((sample, index) => (index === each.at ? {labels: sample.labels, value: each.value} : sample)));
		} else if (each.kind === 'entry') {
			const name = names[each.at] ?? '';
			const entry = connectors[name];
			if (entry?.status === undefined) continue;
			connectors = {...connectors, [name]: {...entry, status: {...entry.status, connector: {...entry.status.connector, state: each.state}}}};
		} else {
			const id = ids[each.id];
			const samples: Sample[] = [...(id === undefined ? [] : (metrics.get(id) ?? []))];
			const sample = samples[each.at % Math.max(1, samples.length)];
			if (id === undefined || sample === undefined) continue;
			samples[each.at % samples.length] = {labels: sample.labels, value: each.value};
			metrics = new Map(metrics).set(id, samples);
		}
	}
	return {connectors, metrics, thresholds};
}

describe('rows taken from the last snapshot as they are', () => {
	it('give, refresh after refresh, the snapshots and points of the same refreshes built with nothing taken (the recorded answer of a real Prometheus, edited)', () => {
		let taken = 0;
		let wentDown = false;
		fc.assert(
			fc.property(fc.array(fc.array(change, {maxLength: 3}), {minLength: 2, maxLength: 9}), steps => {
				const kept = chain(false);
				const built = chain(true);
				let step: Step = {connectors: recording.connectors, metrics: baseMetrics, thresholds: defaultThresholds};
				let before: ClusterSnapshot | undefined;
				for (const [index, changes] of steps.entries()) {
					step = next(step, changes);
					const at = recording.time + index * 2000;
					const a = kept(step, at);
					const b = built(step, at);
					expect(a.snapshot).toEqual(b.snapshot);
					expect([...a.points]).toEqual([...b.points]);
					if (before !== undefined) taken += a.snapshot.connectors.filter(row => before?.connectors.includes(row) === true).length;
					wentDown ||= a.snapshot.connectors.some(row => row.severity === 'worker-down');
					before = a.snapshot;
				}
			}),
			{numRuns: 300},
		);
		// The rows were taken, not only built again.
		expect(taken).toBeGreaterThan(300);
		expect(wentDown).toBe(true);
	});

	it('takes every row of a refresh whose entries and metric lists are those of the last one, and builds again a row whose entry changed', () => {
		const kept = chain(false);
		const first = kept({connectors: recording.connectors, metrics: baseMetrics, thresholds: defaultThresholds}, recording.time).snapshot;
		const second = kept({connectors: recording.connectors, metrics: baseMetrics, thresholds: defaultThresholds}, recording.time + 2000).snapshot;
		expect(second.connectors).toHaveLength(names.length);
		for (const [index, row] of second.connectors.entries()) expect(row).toBe(first.connectors[index]);
		// The workers' counts of the same rows are the ones counted before; a worker's count moves with a row that changed.
		expect(second.workers).toEqual(first.workers);
		expect(second.workers.some(worker => worker.connectors > 0 && worker.tasks > 0)).toBe(true);
		const name = names[0] ?? '';
		const entry = recording.connectors[name];
		if (entry?.status === undefined) throw new Error('the recording has a status for its first connector');
		const changed = {...recording.connectors, [name]: {...entry, status: {...entry.status, connector: {...entry.status.connector, state: 'PAUSED' as const}}}};
		const third = kept({connectors: changed, metrics: baseMetrics, thresholds: defaultThresholds}, recording.time + 4000).snapshot;
		expect(third.connectors.find(row => row.name === name)?.state).toBe('PAUSED');
		expect(third.workers).toEqual(chain(true)({connectors: changed, metrics: baseMetrics, thresholds: defaultThresholds}, recording.time + 4000).snapshot.workers);
		const failed = {...changed, [name]: {...entry, status: {...entry.status, connector: {...entry.status.connector, state: 'UNASSIGNED' as const}}}};
		const fourth = kept({connectors: failed, metrics: baseMetrics, thresholds: defaultThresholds}, recording.time + 6000).snapshot;
		expect(fourth.workers).toEqual(chain(true)({connectors: failed, metrics: baseMetrics, thresholds: defaultThresholds}, recording.time + 6000).snapshot.workers);
		expect(fourth.workers).not.toEqual(third.workers);
		// A sink's verdict moves with its window (one more point each refresh): only the other rows are sure to be taken.
		const others = third.connectors.filter(row => row.name !== name && row.type !== 'sink');
		expect(others.length).toBeGreaterThan(0);
		expect(others.every(row => second.connectors.includes(row))).toBe(true);
	});
});
