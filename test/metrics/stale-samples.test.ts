import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {z} from 'zod';
import {connectorsExpandedSchema} from '../../source/clients/connect/schemas.js';
import {KctopError} from '../../source/clients/errors.js';
import type {InstantResult, PrometheusClient, ScrapeTarget} from '../../source/clients/prometheus/client.js';
import {parsePromDuration, parsePromValue} from '../../source/clients/prometheus/client.js';
import {querySuccessSchema} from '../../source/clients/prometheus/schemas.js';
import {createPrometheusSource, defaultScrapeIntervalMs, markStale, sampleTimeVector, timestampPromQL} from '../../source/metrics/prometheus-source.js';
import {catchAllProfile} from '../../source/metrics/profiles/catch-all.js';
import {kctopProfile} from '../../source/metrics/profiles/default.js';
import type {MetricsFetch} from '../../source/metrics/source.js';
import type {LogicalMetricId, Sample} from '../../source/metrics/types.js';
import {checkSnapshot, defaultCheckOptions} from '../../source/model/check.js';
import {buildSnapshot, defaultThresholds} from '../../source/model/snapshot.js';
import type {ClusterSnapshot, SourceHealth} from '../../source/model/types.js';
import {renderSnapshotText} from '../../source/ui/once.js';
import {tagApart} from '../helpers/tag-apart.js';

/**
 * Old samples served as current (issue #8): a restarted Prometheus keeps answering with
 * samples the exporters no longer publish, for its 5-minute lookback. The recorded answer
 * (test/fixtures/prom/README.md) comes from a real Prometheus whose worker 2 samples are
 * 180 s old; the query was asked at `time`.
 */
const recording = z
	.object({time: z.number(), prometheusAnswer: querySuccessSchema, connectors: connectorsExpandedSchema})
	.parse(JSON.parse(readFileSync(new URL('../fixtures/prom/batched-answer-stale-worker-2.json', import.meta.url), 'utf8')));

function recordedResult(): InstantResult {
	const {data} = recording.prometheusAnswer;
	if (data.resultType !== 'vector') throw new Error('the recording is an instant vector');
	return {samples: data.result.map(row => ({labels: row.metric, value: parsePromValue(row.value?.[1] ?? 'NaN')})), warnings: []};
}

function recordedClient(targets: () => Promise<readonly ScrapeTarget[]>): PrometheusClient & {readonly queries: string[]} {
	const queries: string[] = [];
	return {
		url: 'http://prom.test:9090',
		queries,
		query: async (promql, options) => {
			queries.push(promql);
			return tagApart(recordedResult(), options?.tagLabel);
		},
		queryRange: async () => ({series: [], warnings: []}),
		labelValues: async () => [],
		targets,
		close: async () => undefined,
	};
}

const everyTargetAt = (ms: number) => async (): Promise<readonly ScrapeTarget[]> => [1, 2, 3].map(n => ({scrapeIntervalMs: ms, labels: {instance: `w${n}:9404`}, up: true}));

async function fetchRecorded(targets: () => Promise<readonly ScrapeTarget[]>): Promise<MetricsFetch> {
	const source = createPrometheusSource({client: recordedClient(targets), profile: kctopProfile, rateWindow: '1m'});
	return source.fetch(recording.time);
}

const healthy = (source: SourceHealth['source'], at: number): SourceHealth => ({source, everSucceeded: true, stale: false, lastSuccessAt: at, lastAttemptAt: at, lastError: undefined, endpoint: undefined, warnings: [], consecutiveFailures: 0});

function snapshotOf(fetched: MetricsFetch): ClusterSnapshot {
	return buildSnapshot(
		{
			serverInfo: undefined,
			connectors: recording.connectors,
			metrics: fetched.results,
			rest: healthy('rest', recording.time),
			metricsHealth: {...healthy('prometheus', recording.time), staleSamples: fetched.stale},
			profile: kctopProfile,
			emptyMetrics: fetched.empty,
			workerMap: new Map(),
			thresholds: defaultThresholds,
		},
		{now: recording.time, sequence: 1, window: (_name, _series, current) => [current ?? Number.NaN]},
	).snapshot;
}

const row = (snapshot: ClusterSnapshot, name: string) => {
	const found = snapshot.connectors.find(each => each.name === name);
	if (found === undefined) throw new Error(`no ${name}`);
	return found;
};

describe('stale samples in the recorded answer of a real Prometheus', () => {
	it('marks every row behind which the newest sample is older than twice the scrape interval, with its age', async () => {
		const fetched = await fetchRecorded(everyTargetAt(1000));
		const ages = (id: LogicalMetricId): Array<[string, number | undefined]> => (fetched.results.get(id) ?? []).map(sample => [sample.labels['server'] ?? sample.labels['connector'] ?? '', sample.ageMs]);
		// Worker 2 runs cdc-other-connector and jdbc-sink-orders (the recording's REST answer says so).
		const old = (ms: number | undefined): boolean => ms !== undefined && ms > 179_000 && ms < 185_000;
		expect(ages('dbzConnected').find(([server]) => server === 'cdc-other')?.[1]).toSatisfy(old);
		expect(ages('dbzConnected').find(([server]) => server === 'cdc-test')?.[1]).toBeUndefined();
		expect(ages('sinkLag').find(([connector]) => connector === 'jdbc-sink-orders')?.[1]).toSatisfy(old);
		expect(fetched.stale?.limitMs).toBe(2000);
		expect(fetched.stale?.oldestMs).toSatisfy(old);
		expect(fetched.stale?.rows).toBeGreaterThanOrEqual(3);
	});

	it('keeps old values to show, marked, but never as current: lag and DBZ state are unknown for health and check', async () => {
		const snapshot = snapshotOf(await fetchRecorded(everyTargetAt(1000)));
		const sink = row(snapshot, 'jdbc-sink-orders');
		expect(sink.lag).toBeUndefined();
		expect(sink.staleMetrics?.lag).toBe(24);
		const cdcOther = row(snapshot, 'cdc-other-connector');
		expect(cdcOther.debezium?.connected).toBeUndefined();
		expect(cdcOther.staleMetrics?.connected).toBe(false);
		// cdc-test runs on worker 1, whose samples are fresh: nothing marked.
		expect(row(snapshot, 'cdc-test-connector').staleMetrics).toBeUndefined();

		const check = checkSnapshot(snapshot, defaultCheckOptions);
		expect(check.status).toBe('WARNING');
		expect(check.findings.map(finding => `${finding.subject}: ${finding.text}`)).toEqual(
			expect.arrayContaining([expect.stringMatching(/^jdbc-sink-orders: lag unknown: the newest samples are 18\ds old/), expect.stringMatching(/^cdc-other-connector: .*Debezium state unknown/)]),
		);
	});

	it('shows the age in the header and marks old cells with ? in the --once table, columns aligned', async () => {
		const text = renderSnapshotText(snapshotOf(await fetchRecorded(everyTargetAt(1000))), {columns: 160, ascii: false, color: false});
		expect(text).toMatch(/Prometheus stale 3m/);
		const lines = text.split('\n');
		const header = lines.find(line => line.startsWith('NAME '));
		const sink = lines.find(line => line.startsWith('jdbc-sink-orders '));
		expect(sink).toMatch(/24 rec\?/);
		// Right-aligned LAG: the marked cell ends where the header's LAG ends.
		expect(sink?.indexOf('24 rec?') ?? -1).toBe((header?.indexOf('LAG ') ?? 0) + 3 - '24 rec?'.length);
		// cdc-other's old samples say "snapshot running, not connected": shown as the old NO, marked.
		expect(lines.find(line => line.startsWith('cdc-other-connector '))).toMatch(/ NO\? /);
	});

	it('uses twice Prometheus default scrape interval when the targets API is missing (Thanos, Mimir)', async () => {
		const missing = async (): Promise<readonly ScrapeTarget[]> => {
			throw new KctopError({kind: 'http', source: 'prometheus', status: 404, message: 'Prometheus targets failed (404 Not Found)'});
		};
		const fetched = await fetchRecorded(missing);
		expect(fetched.stale?.limitMs).toBe(2 * defaultScrapeIntervalMs);
		// 180 s is still older than 2 minutes.
		expect(fetched.stale?.rows).toBeGreaterThan(0);
		const lenient = await fetchRecorded(everyTargetAt(120_000));
		expect(lenient.stale).toBeUndefined();
	});

	it('asks for the sample times inside the one batched query: one request per refresh', async () => {
		const client = recordedClient(everyTargetAt(1000));
		const source = createPrometheusSource({client, profile: kctopProfile, rateWindow: '1m'});
		await source.fetch(recording.time);
		await source.fetch(recording.time + 1000);
		expect(client.queries).toHaveLength(2);
		expect(client.queries[0]).toContain('"kctop_metric", "sinkLag:at"');
	});
});

describe('markStale', () => {
	const results = new Map<LogicalMetricId, readonly Sample[]>([['sinkLag', [{labels: {connector: 'a'}, value: 5}, {labels: {connector: 'b'}, value: 7}, {labels: {connector: 'c'}, value: 9}]]]);
	const times = new Map<LogicalMetricId, readonly Sample[]>([['sinkLag', [{labels: {connector: 'a'}, value: 1000}, {labels: {connector: 'b'}, value: 1028}]]]);

	it('marks rows older than the limit, leaves fresh rows and rows without a time alone', () => {
		const {results: marked, stale} = markStale(results, times, 1_030_000, 2000);
		expect(marked.get('sinkLag')).toEqual([{labels: {connector: 'a'}, value: 5, ageMs: 30_000}, {labels: {connector: 'b'}, value: 7}, {labels: {connector: 'c'}, value: 9}]);
		expect(stale).toEqual({rows: 1, oldestMs: 30_000, limitMs: 2000});
	});

	it('reports nothing when every row is within the limit (the limit itself is not stale)', () => {
		expect(markStale(results, times, 1_002_000, 2000).stale).toBeUndefined();
		expect(markStale(results, times, 1_002_001, 2000).stale).toEqual({rows: 1, oldestMs: 2001, limitMs: 2000});
	});
});

describe('timestampPromQL', () => {
	it('takes the oldest sample time per result row of each plain-selector alternative', () => {
		const definition = kctopProfile.metrics.sinkLag;
		expect(definition).toBeDefined();
		const promql = definition === undefined ? '' : (timestampPromQL(definition) ?? '');
		// Relabelling goes outside timestamp(), which returns sample times only for a plain selector.
		expect(promql).toContain(' or min by (connector) (timestamp(kafka_connect_sink_consumer_records_lag_max)) or ');
		expect(promql).toContain('min by (connector) (label_replace(timestamp(kafka_consumergroup_lag{consumergroup=~"connect-.+"}), "connector", "$1", "consumergroup", "connect-(.+)"))');
	});

	it('reads a name regex name by name from the names its profile lists, the plugin taken from each name as a constant label', () => {
		const definition = catchAllProfile.metrics.dbzConnected;
		expect(definition?.series[0]?.nameRegex).toBe(true);
		const promql = definition === undefined ? '' : (timestampPromQL(definition) ?? '');
		// timestamp() only on plain selectors: never on the regex, whose names it would drop and collide.
		expect(promql).not.toContain('timestamp({__name__');
		expect(promql).toContain('label_replace(timestamp(debezium_mysql_connector_metrics_Connected{context=~"streaming|binlog"}), "plugin", "mysql", "plugin", ".*")');
		expect(promql).toContain('label_replace(timestamp(debezium_sql_server_connector_metrics_connected{context=~"streaming|binlog"}), "plugin", "sql_server", "plugin", ".*")');
		// Every listed name is timed within one `min by` of that alternative; the other schemes follow as before.
		const [catchAll] = promql.split(') or min by');
		expect(catchAll?.match(/timestamp\(/g)).toHaveLength(20);
		expect(promql).toContain(
			'min by (server, plugin) (label_replace(timestamp(debezium_metrics_Connected{context=~"streaming|binlog"}), "server", "$1", "name", "(.*)")) or min by (server, plugin) (label_replace(timestamp(debezium_metrics_connected{context=~"streaming|binlog"}), "server", "$1", "name", "(.*)")) or min by (server, plugin) (timestamp(debezium_connected{context=~"streaming|binlog"}))',
		);
		// Lag is read the same way (no relabel from the name there).
		const behind = catchAllProfile.metrics.dbzMsBehindSource;
		expect(behind === undefined ? '' : timestampPromQL(behind)).toContain('min by (server) (timestamp(debezium_mysql_connector_metrics_MilliSecondsBehindSource{context=~"streaming|binlog"}) or timestamp(debezium_mysql_connector_metrics_millisecondsbehindsource{context=~"streaming|binlog"}) or ');
	});

	it('a name regex without listed names is not timed (its rows are never marked)', () => {
		expect(sampleTimeVector({name: 'debezium_.+_connected', nameRegex: true})).toBeUndefined();
		expect(sampleTimeVector({name: 'up'})).toBe('timestamp(up)');
	});
});

describe('parsePromDuration', () => {
	it('reads the durations the targets API writes', () => {
		expect([parsePromDuration('15s'), parsePromDuration('1m30s'), parsePromDuration('500ms'), parsePromDuration('1h'), parsePromDuration('soon')]).toEqual([15_000, 90_000, 500, 3_600_000, undefined]);
	});
});

describe('a host clock that is off from Prometheus\'s', () => {
	/** The recorded answer, stamped with Prometheus's clock (the time the recording was asked at); records the `time` each query asked for. */
	/**
	 * `tookMs`: how long each answer takes on `clock`, the source's monotonic clock (0: at once),
	 * with Prometheus's Date header written as the answer leaves, `tookMs` after recording.time.
	 */
	function skewClient(clock = {ms: 0}, tookMs = 0): PrometheusClient & {readonly times: Array<number | undefined>} {
		const times: Array<number | undefined> = [];
		return {
			url: 'http://prom.test:9090',
			times,
			query: async (_promql, options) => {
				times.push(options?.time);
				clock.ms += tookMs;
				return {...tagApart(recordedResult(), options?.tagLabel), serverTime: recording.time + tookMs};
			},
			queryRange: async () => ({series: [], warnings: []}),
			labelValues: async () => [],
			targets: everyTargetAt(1000),
			close: async () => undefined,
		};
	}
	const oldRows = (fetched: MetricsFetch): string[] => (fetched.results.get('dbzConnected') ?? []).filter(sample => sample.ageMs !== undefined).map(sample => sample.labels['server'] ?? '');

	for (const [label, offsetMs, word] of [['ahead by 3 minutes', 180_000, 'ahead of'], ['behind by 3 minutes', -180_000, 'behind']] as const) {
		it(`${label}: ages are measured on Prometheus's clock, the next query asks at its time, and a warning says so`, async () => {
			const client = skewClient();
			const source = createPrometheusSource({client, profile: kctopProfile, rateWindow: '1m', monotonicNow: () => 0});
			const first = await source.fetch(recording.time + offsetMs);
			// The same rows are old as when the host's clock is right: only worker 2's.
			expect(oldRows(first)).toEqual(oldRows(await fetchRecorded(everyTargetAt(1000))));
			expect(oldRows(first)).toEqual(['cdc-other']);
			expect(first.stale?.oldestMs).toBeLessThan(185_000);
			expect(first.warnings).toContain(`this host's clock is 180 s ${word} Prometheus's: Prometheus's time is used`);
			await source.fetch(recording.time + offsetMs + 2000);
			expect(client.times.at(-1)).toBe(recording.time + 2000);
		});
	}

	it('within 10 s: no correction and no warning', async () => {
		const client = skewClient();
		const source = createPrometheusSource({client, profile: kctopProfile, rateWindow: '1m', monotonicNow: () => 0});
		const fetched = await source.fetch(recording.time + 4000);
		expect(fetched.warnings.some(warning => warning.includes('clock'))).toBe(false);
		await source.fetch(recording.time + 6000);
		expect(client.times.at(-1)).toBe(recording.time + 6000);
	});

	it('a slow answer is not skew: 30 s to answer, the Date header 30 s after the query left, and the host clock right', async () => {
		const clock = {ms: 0};
		const client = skewClient(clock, 30_000);
		const source = createPrometheusSource({client, profile: kctopProfile, rateWindow: '1m', monotonicNow: () => clock.ms});
		const first = await source.fetch(recording.time);
		expect(first.warnings.some(warning => warning.includes('clock'))).toBe(false);
		expect(oldRows(first)).toEqual(['cdc-other']);
		await source.fetch(recording.time + 32_000);
		// Asked at the host's own time, not 30 s in Prometheus's future.
		expect(client.times.at(-1)).toBe(recording.time + 32_000);
	});

	for (const [label, offsetMs, word] of [['behind by 3 minutes', -180_000, 'behind'], ['ahead by 3 minutes', 180_000, 'ahead of']] as const) {
		it(`a slow answer from a host ${label}: still skew, measured from the span the header can lie in`, async () => {
			const clock = {ms: 0};
			const client = skewClient(clock, 30_000);
			const source = createPrometheusSource({client, profile: kctopProfile, rateWindow: '1m', monotonicNow: () => clock.ms});
			const first = await source.fetch(recording.time + offsetMs);
			// Behind: the header came 180 s after the answer arrived; ahead: 150 s before the query left (it was written 30 s in).
			expect(first.warnings).toContain(`this host's clock is ${offsetMs < 0 ? 180 : 150} s ${word} Prometheus's: Prometheus's time is used`);
		});
	}
});
