import {createServer, type Server} from 'node:http';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {KctopError} from '../../source/clients/errors.js';
import {createPrometheusClient} from '../../source/clients/prometheus/client.js';
import {createScrapeClient} from '../../source/clients/scrape/client.js';
import {detectProfileFromPrometheus} from '../../source/metrics/detect.js';
import {createPrometheusSource, metricTagLabel, timestampPromQL} from '../../source/metrics/prometheus-source.js';
import {joinOr, toPromQL} from '../../source/metrics/promql.js';
import {defaultProfile, kctopProfile} from '../../source/metrics/profiles/default.js';
import {profiles} from '../../source/metrics/profiles/index.js';
import {createScrapeSource} from '../../source/metrics/scrape-source.js';
import type {LogicalMetricId, MetricResults, Sample} from '../../source/metrics/types.js';
import {logicalMetricIds} from '../../source/metrics/types.js';
import {startPrometheus, type RunningPrometheus} from '../helpers/prometheus.js';
import {pointsOf} from '../helpers/range-series.js';

/**
 * A real Prometheus (Debian's package) scraping two fake Connect workers every second,
 * read back through the real Prometheus client and the Prometheus metrics source: the
 * PromQL generated from the default profile runs against a real engine.
 */

// Counters grow linearly with wall time, so any two scrapes give the same rate.
const writeRates = [100, 50] as const;
const started = Date.now();

function exposition(worker: 0 | 1): string {
	const seconds = (Date.now() - started) / 1000;
	const lines = [
		'# TYPE kafka_connect_worker_connector_count gauge',
		`kafka_connect_worker_connector_count ${worker === 0 ? 2 : 1}.0`,
		'# TYPE kafka_connect_connector_status gauge',
		'kafka_connect_connector_status{connector="cdc-test-connector",status="running",} 1.0',
		`kafka_connect_task_status{connector="cdc-test-connector",task="${worker}",status="running",} 1.0`,
		'# TYPE kafka_connect_source_task_source_record_write_total counter',
		`kafka_connect_source_task_source_record_write_total{connector="cdc-test-connector",task="${worker}",} ${writeRates[worker] * seconds}`,
		'# TYPE kafka_connect_task_record_errors_total counter',
		`kafka_connect_task_record_errors_total{connector="cdc-test-connector",task="${worker}",} ${worker + 3}.0`,
		`kafka_connect_task_record_errors_total{connector="\\"my:sink\\"",task="${worker}",} ${worker === 0 ? 'NaN' : '2.0'}`,
		'# TYPE kafka_connect_sink_consumer_records_lag_max gauge',
		`kafka_connect_sink_consumer_records_lag_max{connector="\\"my:sink\\"",task="${worker}",} ${worker === 0 ? 'NaN' : '42.0'}`,
	];
	if (worker === 0) {
		lines.push(
			'kafka_connect_connector_status{connector="\\"my:sink\\"",status="running",} 1.0',
			'debezium_connected{plugin="mysql",context="streaming",server="test",} 1.0',
			'debezium_connected{plugin="mysql",context="snapshot",server="test",} 0.0',
			'debezium_milli_seconds_behind_source{plugin="mysql",context="streaming",server="test",} 1500.0',
		);
	}

	return `${lines.join('\n')}\n`;
}

async function listen(server: Server): Promise<string> {
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			if (address === null || typeof address === 'string') {
				reject(new Error('no port'));
			} else {
				resolve(`127.0.0.1:${address.port}`);
			}
		});
	});
}

function byLabels(results: MetricResults, id: Parameters<MetricResults['get']>[0]): readonly Sample[] {
	return results.get(id) ?? [];
}

// Ten 1 s scrapes per window: a late scrape under load moves the rate by a few percent at most.
const rateWindow = '10s';
const workers: Server[] = [];
const targets: string[] = [];
let prometheus: RunningPrometheus | undefined;

beforeAll(async () => {
	for (const worker of [0, 1] as const) {
		const server = createServer((request, response) => {
			response.writeHead(request.url === '/metrics' ? 200 : 404, {'content-type': 'text/plain; version=0.0.4; charset=utf-8'});
			response.end(request.url === '/metrics' ? exposition(worker) : 'not found');
		});
		workers.push(server);
		targets.push(await listen(server));
	}

	prometheus = await startPrometheus({
		scrapeTargets: targets.map((target, index) => ({job: 'kafka-connect', targets: [target], labels: {worker_id: `connect-${index + 1}:8083`}})),
		scrapeIntervalSeconds: 1,
	});
	await prometheus.waitForTargetsUp(2, 20_000);
	// The rate window must be full of scrapes before rates are exact.
	await prometheus.waitForSeries('count_over_time(kafka_connect_source_task_source_record_write_total[10s]) >= 10', 30_000);
});

afterAll(async () => {
	await prometheus?.stop();
	await Promise.all(workers.map(async (server) => new Promise<void>((resolve) => server.close(() => resolve()))));
});

function prometheusUrl(): string {
	if (prometheus === undefined) throw new Error('Prometheus did not start');
	return prometheus.url;
}

describe('Prometheus source against a real Prometheus', () => {
	it('returns per-connector values, NaN rules, quoted labels stripped and target labels', async () => {
		const client = createPrometheusClient({url: prometheusUrl(), timeoutMs: 5000});
		const source = createPrometheusSource({client, profile: defaultProfile, rateWindow, upMatchers: [{label: 'job', op: '=~', value: '.*connect.*'}]});
		try {
			const fetched = await source.fetch(Date.now());
			expect(fetched.warnings).toEqual([]);
			expect(fetched.endpoint).toBe(prometheusUrl());
			// Prometheus's clock, from its Date header: what a skewed host clock is corrected by.
			const answer = await client.query('up');
			expect(answer.serverTime).toBeDefined();
			expect(Math.abs((answer.serverTime ?? 0) - Date.now())).toBeLessThan(10_000);

			const up = [...byLabels(fetched.results, 'workerUp')].sort((a, b) => (a.labels['worker_id'] ?? '').localeCompare(b.labels['worker_id'] ?? ''));
			expect(up).toEqual([
				{labels: {instance: targets[0], job: 'kafka-connect', worker_id: 'connect-1:8083'}, value: 1},
				{labels: {instance: targets[1], job: 'kafka-connect', worker_id: 'connect-2:8083'}, value: 1},
			]);
			expect(byLabels(fetched.results, 'workerConnectorCount')).toEqual(
				expect.arrayContaining([{labels: {instance: targets[0], worker_id: 'connect-1:8083'}, value: 2}]),
			);

			expect(byLabels(fetched.results, 'connectorStatus')).toEqual(
				expect.arrayContaining([
					{labels: {connector: 'cdc-test-connector', status: 'running', instance: targets[0]}, value: 1},
					{labels: {connector: 'cdc-test-connector', status: 'running', instance: targets[1]}, value: 1},
					{labels: {connector: 'my:sink', status: 'running', instance: targets[0]}, value: 1},
				]),
			);
			expect(byLabels(fetched.results, 'taskStatus')).toHaveLength(2);
			expect(byLabels(fetched.results, 'dbzConnected')).toEqual([{labels: {server: 'test', plugin: 'mysql'}, value: 1}]);
			expect(byLabels(fetched.results, 'dbzMsBehindSource')).toEqual([{labels: {server: 'test'}, value: 1500}]);

			const errors = byLabels(fetched.results, 'recordErrors');
			expect(errors.find((sample) => sample.labels['connector'] === 'cdc-test-connector')?.value).toBe(7);
			expect(errors.find((sample) => sample.labels['connector'] === 'my:sink')?.value).toBeNaN();
			expect(byLabels(fetched.results, 'sinkLag')).toEqual([{labels: {connector: 'my:sink'}, value: 42}]);

			const rates = byLabels(fetched.results, 'recordRate');
			expect(rates).toHaveLength(1);
			expect(rates[0]?.labels).toEqual({connector: 'cdc-test-connector'});
			// 100/s + 50/s; Prometheus extrapolates to the window edges, so allow a little slack.
			expect(rates[0]?.value).toBeGreaterThan(150 * 0.85);
			expect(rates[0]?.value).toBeLessThan(150 * 1.15);

			expect(fetched.empty).toEqual(expect.arrayContaining(['dlqWrites', 'dbzEventsRate', 'workerTaskCount', 'dbzSnapshotRunning']));
			expect(fetched.empty).not.toContain('recordRate');
		} finally {
			await source.close();
		}
	});

	it('fetches history points with the same PromQL over query_range', async () => {
		const client = createPrometheusClient({url: prometheusUrl(), timeoutMs: 5000});
		const source = createPrometheusSource({client, profile: defaultProfile, rateWindow});
		try {
			const history = await source.fetchHistory(Date.now(), 30_000, 1000);
			const lag = history.get('sinkLag');
			expect(lag).toHaveLength(1);
			expect(lag?.[0]?.labels).toEqual({connector: 'my:sink'});
			const lagPoints = pointsOf(lag?.[0]);
			expect(lagPoints.length).toBeGreaterThanOrEqual(3);
			// max skips NaN: 42 once worker 2 was scraped (NaN at a step where only worker 1's NaN was).
			expect(lagPoints.every(([, value]) => value === 42 || Number.isNaN(value))).toBe(true);
			expect(lagPoints.at(-1)?.[1]).toBe(42);
			const rate = history.get('recordRate')?.[0];
			const ratePoints = pointsOf(rate);
			expect(ratePoints.length).toBeGreaterThanOrEqual(1);
			expect(ratePoints.every(([at]) => Number.isInteger(at) && at <= Date.now())).toBe(true);
			expect(history.get('dlqWrites')).toEqual([]);
		} finally {
			await source.close();
		}
	});

	it('gives the same rows in direct-scrape mode as through Prometheus (value metrics)', async () => {
		const promSource = createPrometheusSource({client: createPrometheusClient({url: prometheusUrl(), timeoutMs: 5000}), profile: defaultProfile, rateWindow});
		const scrapeSource = createScrapeSource({client: createScrapeClient({urls: targets.map((target) => `http://${target}/metrics`), timeoutMs: 5000}), profile: defaultProfile});
		try {
			const [viaPrometheus, viaScrape] = await Promise.all([promSource.fetch(Date.now()), scrapeSource.fetch(Date.now())]);
			const sorted = (samples: readonly Sample[]): string[] => samples.map((sample) => JSON.stringify([Object.entries(sample.labels).sort(), String(sample.value)])).sort();
			// workerUp and the worker_* metrics carry Prometheus' target labels (job, worker_id) only there; rates need two scrapes.
			const compared: LogicalMetricId[] = ['connectorStatus', 'taskStatus', 'dbzConnected', 'dbzMsBehindSource', 'recordErrors', 'sinkLag', 'dlqWrites'];
			for (const id of compared) {
				expect(sorted(byLabels(viaScrape.results, id)), id).toEqual(sorted(byLabels(viaPrometheus.results, id)));
			}

			expect(sorted(byLabels(viaScrape.results, 'workerUp'))).toEqual(sorted(targets.map((instance) => ({labels: {instance}, value: 1}))));
		} finally {
			await Promise.all([promSource.close(), scrapeSource.close()]);
		}
	});

	it('answers the batched query grouped as a balanced tree exactly as the left-leaning chain, rows in the same order', async () => {
		const client = createPrometheusClient({url: prometheusUrl(), timeoutMs: 5000});
		try {
			// Every profile's parts, each tagged as the batched query tags them: timestamp() parts (old rows) included.
			for (const profile of profiles) {
				const parts = logicalMetricIds.flatMap((id) => {
					const definition = profile.metrics[id];
					if (definition === undefined) return [];
					const times = timestampPromQL(definition);
					const tag = (promql: string, value: string): string => `label_replace(${promql}, "${metricTagLabel}", "${value}", "", "")`;
					return [tag(toPromQL(definition, {rateWindow}), id), ...(times === undefined ? [] : [tag(`(${times}) < (time() - 0.5)`, `${id}:at`)])];
				});
				expect(parts.length).toBeGreaterThan(2);
				const time = Date.now() - 2000;
				const [chain, balanced] = await Promise.all([client.query(parts.join(' or '), {time}), client.query(joinOr(parts), {time})]);
				expect(joinOr(parts)).not.toBe(parts.join(' or '));
				expect(chain.samples.length, profile.name).toBeGreaterThan(3);
				expect(balanced.samples.map((sample) => [sample.labels, String(sample.value)]), profile.name).toEqual(chain.samples.map((sample) => [sample.labels, String(sample.value)]));
			}
		} finally {
			await client.close();
		}
	});

	it('detects the default profile from the series names', async () => {
		const client = createPrometheusClient({url: prometheusUrl(), timeoutMs: 5000});
		try {
			// kafka_connect_task_status and kafka_connect_worker_connector_count are both scraped.
			const match = await detectProfileFromPrometheus(client, profiles);
			expect(match.profile).toBe(kctopProfile);
			expect(match.resolved).toEqual(expect.arrayContaining(['workerUp', 'workerConnectorCount', 'connectorStatus', 'taskStatus', 'dbzConnected', 'recordRate', 'sinkLag']));
		} finally {
			await client.close();
		}
	});

	it('throws a retryable connection KctopError once Prometheus is stopped', async () => {
		const doomed = await startPrometheus({scrapeTargets: [{job: 'kafka-connect', targets: [targets[0] ?? '']}]});
		const client = createPrometheusClient({url: doomed.url, timeoutMs: 5000});
		const source = createPrometheusSource({client, profile: defaultProfile, rateWindow});
		try {
			await expect(source.fetch(Date.now())).resolves.toMatchObject({endpoint: doomed.url});
			await doomed.stop();
			const failure = await source.fetch(Date.now()).then(
				() => undefined,
				(error: unknown) => error,
			);
			expect(failure).toBeInstanceOf(KctopError);
			expect(failure).toMatchObject({kind: 'connection', source: 'prometheus', isRetryable: true});
		} finally {
			await doomed.stop();
			await source.close();
		}
	});
});
