import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import type {ConnectorsExpanded} from '../../source/clients/connect/schemas.js';
import {historyMetricIds} from '../../source/metrics/prometheus-source.js';
import {defaultProfile} from '../../source/metrics/profiles/default.js';
import type {LogicalMetricId, MetricHistory, RangeSeries} from '../../source/metrics/types.js';
import {HistoryStore, historySeries} from '../../source/model/history.js';
import {seedHistory} from '../../source/store/store.js';
import {expandedFixture, expandedFromStatus, statusFixture} from '../model/helpers.js';
import {rangeSeries} from '../helpers/range-series.js';
import {seedHistoryReference, type PointsSeries} from './seed-history-reference.js';

/**
 * seedHistory reads range series as typed arrays (times, values) where it read [time, value]
 * pairs: over real connectors (sources, sinks, Debezium) and generated ranges, with points on
 * and off the refresh grid, outside the window, duplicated, NaN, ±Inf and negative, it seeds
 * exactly what the old code seeded.
 */

const connectors: ConnectorsExpanded = {
	...expandedFixture('rest-connectors-expand-info-status-datagen-6-tasks-2-workers.json'),
	...expandedFromStatus(statusFixture('rest-status-debezium-mysql-running-before-failover.json'), {'connector.class': 'io.debezium.connector.mysql.MySqlConnector', 'topic.prefix': 'dbserver1'}),
	...expandedFromStatus(statusFixture('rest-status-debezium-sqlserver-task-failed-permission-denied.json'), {'connector.class': 'io.debezium.connector.sqlserver.SqlServerConnector', 'database.server.name': '"quoted-server"'}),
	...expandedFromStatus(statusFixture('rest-status-sftp-sink-4-tasks-spread-over-2-workers.json'), {'connector.class': 'io.confluent.connect.sftp.SftpSinkConnector'}),
	...expandedFromStatus(statusFixture('rest-status-mongodb-sink-paused-2-tasks-NAME-EDITED.json'), {'connector.class': 'com.mongodb.kafka.connect.MongoSinkConnector'}),
};
const names = Object.keys(connectors);
/** The values the server label takes: the Debezium servers above (one with the JMX quotes), and one nobody has. */
const servers = ['dbserver1', '"quoted-server"', 'quoted-server', 'nobody'];

const now = 1_800_000_000_000;
const stepMs = 2000;

const value = fc.oneof(
	{weight: 6, arbitrary: fc.double({min: -10, max: 1e9, noNaN: true})},
	{weight: 1, arbitrary: fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -1, 0)},
);
/** Times on the grid, between two steps, beyond either end of the window. */
const time = fc.oneof(
	{weight: 5, arbitrary: fc.integer({min: -2, max: 70}).map(back => now - back * stepMs)},
	{weight: 1, arbitrary: fc.integer({min: -5000, max: 150_000}).map(back => now - back)},
);
const points = fc.array(fc.tuple(time, value), {maxLength: 40}).map(list => [...list].sort(([a], [b]) => a - b));

function seriesFor(id: LogicalMetricId): fc.Arbitrary<Array<{readonly labels: Readonly<Record<string, string>>; readonly points: Array<[number, number]>}>> {
	const byServer = id === 'dbzMsBehindSource' || id === 'dbzEventsRate';
	const key = byServer ? defaultProfile.labels.server : defaultProfile.labels.connector;
	const label = fc.constantFrom(...(byServer ? servers : [...names, 'not-a-connector']));
	return fc.array(fc.record({labels: label.map(name => ({[key]: name})), points}), {maxLength: 6});
}

const ranges = fc.record(Object.fromEntries(historyMetricIds.map(id => [id, seriesFor(id)]))).map(record => new Map(Object.entries(record)));

function seeded(capacity: number, seed: (history: HistoryStore) => void): Record<string, Record<string, number[]>> {
	const history = new HistoryStore(capacity);
	seed(history);
	const out: Record<string, Record<string, number[]>> = {};
	for (const name of names) {
		if (!history.has(name)) continue;
		out[name] = Object.fromEntries(historySeries.map(series => [series, Array.from(history.window(name, series, undefined))]));
	}
	return out;
}

describe('seedHistory over typed arrays', () => {
	it('seeds what the [time, value] version seeded', () => {
		fc.assert(
			fc.property(ranges, fc.integer({min: 10, max: 60}), (generated, capacity) => {
				const asPairs = new Map<LogicalMetricId, readonly PointsSeries[]>();
				const typed = new Map<LogicalMetricId, readonly RangeSeries[]>();
				for (const [id, list] of generated) {
					const metric = historyMetricIds.find(each => each === id);
					if (metric === undefined) continue;
					asPairs.set(metric, list);
					typed.set(metric, list.map(each => rangeSeries(each.labels, each.points)));
				}
				const history: MetricHistory = typed;
				const expected = seeded(capacity, store => seedHistoryReference(store, asPairs, connectors, defaultProfile, now, stepMs, capacity));
				const actual = seeded(capacity, store => seedHistory(store, history, connectors, defaultProfile, now, stepMs, capacity));
				expect(actual).toEqual(expected);
			}),
			{numRuns: 300},
		);
	});

	it('seeds something on this generator (the property is not vacuous)', () => {
		const series = rangeSeries({connector: names[0] ?? ''}, Array.from({length: 9}, (_, i) => [now - (9 - i) * stepMs, i] as [number, number]));
		const history = new HistoryStore(10);
		seedHistory(history, new Map([['recordRate', [series]]]), connectors, defaultProfile, now, stepMs, 10);
		expect(history.get(names[0] ?? '').recordRate).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
	});

	it('holds each point of a coarser range query for the slots up to the next one, at most one step', () => {
		// A query at 3 refresh steps: points 9, 6 and 3 steps ago; the last is held up to now.
		const coarse = {...rangeSeries({connector: names[0] ?? ''}, [[now - 9 * stepMs, 1], [now - 6 * stepMs, 2], [now - 3 * stepMs, 3]]), stepMs: 3 * stepMs};
		const history = new HistoryStore(13);
		seedHistory(history, new Map([['recordRate', [coarse]]]), connectors, defaultProfile, now, stepMs, 13);
		// Slots 12 … 1 intervals ago: nothing before the first point, then each point for three slots.
		expect(history.get(names[0] ?? '').recordRate).toEqual([Number.NaN, Number.NaN, Number.NaN, 1, 1, 1, 2, 2, 2, 3, 3, 3]);

		// A gap of two steps in the answer (a scrape missed) is not bridged: the point stands for one step only.
		const gappy = {...rangeSeries({connector: names[0] ?? ''}, [[now - 9 * stepMs, 1], [now - 3 * stepMs, 3]]), stepMs: 3 * stepMs};
		const other = new HistoryStore(13);
		seedHistory(other, new Map([['recordRate', [gappy]]]), connectors, defaultProfile, now, stepMs, 13);
		expect(other.get(names[0] ?? '').recordRate).toEqual([Number.NaN, Number.NaN, Number.NaN, 1, 1, 1, Number.NaN, Number.NaN, Number.NaN, 3, 3, 3]);
	});
});
