import {isDeepStrictEqual} from 'node:util';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {recordedResults, recording} from '../helpers/recorded-answer.js';
import type {ConnectorsExpanded} from '../../source/clients/connect/schemas.js';
import {kctopProfile} from '../../source/metrics/profiles/default.js';
import type {MetricResults} from '../../source/metrics/types.js';
import {buildSnapshot, defaultThresholds, keepEqualRows, sameData, sameRow} from '../../source/model/snapshot.js';
import type {ClusterSnapshot, ConnectorRow, SourceHealth} from '../../source/model/types.js';
import type {SinkVerdict} from '../../source/model/sink-verdict.js';

/**
 * buildSnapshot hands out the previous snapshot's row object for a connector whose row is
 * equal in every field. A snapshot with kept rows must equal the one built without them.
 */

const healthy = (source: SourceHealth['source'], at: number): SourceHealth => ({source, everSucceeded: true, stale: false, lastSuccessAt: at, lastAttemptAt: at, lastError: undefined, endpoint: undefined, warnings: [], consecutiveFailures: 0});

function snapshotOf(connectors: ConnectorsExpanded, results: MetricResults, at: number, previous?: ClusterSnapshot): ClusterSnapshot {
	return buildSnapshot(
		{serverInfo: undefined, connectors, metrics: results, rest: healthy('rest', at), metricsHealth: healthy('prometheus', at), profile: kctopProfile, emptyMetrics: [], workerMap: new Map(), thresholds: defaultThresholds},
		{now: at, sequence: 1, window: (_name, _series, current) => [current ?? Number.NaN], previous, stepMs: 2000},
	).snapshot;
}

/** A previous snapshot whose rows are copies: equal data, no object to keep. */
const withCopiedRows = (snapshot: ClusterSnapshot): ClusterSnapshot => ({...snapshot, connectors: snapshot.connectors.map(row => structuredClone(row))});

describe('rows kept from the previous snapshot', () => {
	it('are the previous objects when nothing changed, and the snapshot is the one built without them (recorded answer of a real Prometheus)', () => {
		const results = recordedResults();
		const first = snapshotOf(recording.connectors, results, recording.time);
		const second = snapshotOf(recording.connectors, results, recording.time + 2000, first);
		second.connectors.forEach((row, index) => expect(row).toBe(first.connectors[index]));
		expect(second).toEqual(snapshotOf(recording.connectors, results, recording.time + 2000, withCopiedRows(first)));
	});

	it('are new objects for the connectors whose values or state changed, the others kept', () => {
		const results = recordedResults();
		const first = snapshotOf(recording.connectors, results, recording.time);
		const changed = first.connectors.find(row => row.recordErrors !== undefined)?.name;
		expect(changed).toBeDefined();
		const moved = new Map(results);
		moved.set('recordErrors', (results.get('recordErrors') ?? []).map(sample => (sample.labels['connector'] === changed ? {...sample, value: sample.value + 1} : sample)));
		const [name, entry] = Object.entries(recording.connectors)[0] ?? [];
		const paused: ConnectorsExpanded = name === undefined || entry?.status === undefined ? recording.connectors : {...recording.connectors, [name]: {...entry, status: {...entry.status, connector: {...entry.status.connector, state: 'PAUSED'}}}};
		const second = snapshotOf(paused, moved, recording.time + 2000, first);
		expect(second).toEqual(snapshotOf(paused, moved, recording.time + 2000, withCopiedRows(first)));
		for (const [index, row] of second.connectors.entries()) {
			const before = first.connectors[index];
			if (row.name === changed || row.name === name) expect(row).not.toBe(before);
			else expect(row).toBe(before);
		}
	});

	it('keepEqualRows gives rows equal to the rows it was given, each the given one or an equal previous one of that name', () => {
		const base = snapshotOf(recording.connectors, recordedResults(), recording.time).connectors;
		const variant = (row: ConnectorRow, change: number): ConnectorRow => {
			switch (change % 4) {
				case 0:
					return row;
				case 1:
					return structuredClone(row);
				case 2:
					return {...row, lag: (row.lag ?? 0) + 1};
				default:
					return {...row, tasks: row.tasks.map(task => ({...task, state: 'FAILED'}))};
			}
		};
		fc.assert(
			fc.property(fc.array(fc.nat(7), {minLength: base.length, maxLength: base.length}), fc.array(fc.nat(7), {minLength: base.length, maxLength: base.length}), fc.nat(base.length), (before, after, drop) => {
				const previous = base.map((row, index) => variant(row, before[index] ?? 0)).filter((_row, index) => index !== drop);
				const rows = base.map((row, index) => variant(row, after[index] ?? 0));
				const kept = keepEqualRows(rows, previous);
				expect(kept).toEqual(rows);
				kept.forEach((row, index) => expect(row === rows[index] || (previous.includes(row) && row.name === rows[index]?.name)).toBe(true));
			}),
			{numRuns: 100},
		);
	});

	it('sameRow compares every field of a row, its tasks, its Debezium state and its sink verdict', () => {
		const rows = snapshotOf(recording.connectors, recordedResults(), recording.time).connectors;
		/** Another value of the same field. */
		const other = (value: unknown): unknown => {
			if (typeof value === 'number') return value + 1;
			if (typeof value === 'string') return `${value}x`;
			if (typeof value === 'boolean') return !value;
			if (value === undefined || value === null) return 1;
			if (Array.isArray(value)) return [...value, 'x'];
			// A record: none (its own fields are changed one by one below).
			return undefined;
		};
		/** The object once per field, that field changed (Object.assign keeps the object's type). */
		const changedKeys = <T extends object>(object: T): T[] => Object.keys(object).map(key => Object.assign({...object}, {[key]: other(Reflect.get(object, key))}));
		const sink: SinkVerdict = {verdict: 'OK', reason: 'draining', trend: 'draining', slopePerSecond: -2, catchUp: {kind: 'eta', ms: 5000}, points: 12};
		const withTasks = rows.find(row => row.tasks.length > 0);
		const withDebezium = rows.find(row => row.debezium !== undefined);
		const [task, ...otherTasks] = withTasks?.tasks ?? [];
		const debezium = withDebezium?.debezium;
		if (withTasks === undefined || withDebezium === undefined || task === undefined || debezium === undefined) throw new Error('the recording has rows with tasks and with Debezium state');
		const base: ConnectorRow = {...withTasks, sink};
		expect(sameRow(base, structuredClone(base))).toBe(true);
		for (const changed of changedKeys(base)) expect(sameRow(base, changed)).toBe(false);
		for (const changed of changedKeys(task)) expect(sameRow(base, {...base, tasks: [changed, ...otherTasks]})).toBe(false);
		for (const changed of changedKeys(debezium)) expect(sameRow(withDebezium, {...withDebezium, debezium: changed})).toBe(false);
		for (const changed of changedKeys(sink)) expect(sameRow(base, {...base, sink: changed})).toBe(false);
	});

	it('sameData is deep strict equality over JSON-like data (NaN equal, 0 and -0 not, a missing key not an undefined one)', () => {
		const value = fc.letrec(tie => ({
			leaf: fc.oneof(fc.constantFrom(0, -0, Number.NaN, 1, undefined, null, '', 'a', true, false), fc.double(), fc.string({maxLength: 3})),
			node: fc.oneof({depthSize: 'small'}, tie('leaf'), fc.array(tie('node'), {maxLength: 3}), fc.dictionary(fc.constantFrom('a', 'b', 'c'), tie('node'), {maxKeys: 3, noNullPrototype: true})),
		})).node;
		fc.assert(
			fc.property(value, value, (a, b) => {
				expect(sameData(a, b)).toBe(isDeepStrictEqual(a, b));
				expect(sameData(a, structuredClone(a))).toBe(true);
			}),
			{numRuns: 500},
		);
		expect(sameData({a: undefined}, {})).toBe(false);
		expect(sameData(new Map([['a', 1]]), new Map([['a', 2]]))).toBe(false);
	});
});
