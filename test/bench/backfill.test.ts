import {readFileSync} from 'node:fs';
import {createServer} from 'node:http';
import {describe, expect, it} from 'vitest';
import {historicValue, historySeriesFilter, historySpanMs, kctopHistoryWindow, openMetricsHistory, scrapedLabels, type BackfillTarget} from '../../source/bench/backfill.js';
import {closeServer, listenOnLoopback} from '../../source/bench/loopback.js';
import {startPrometheus} from '../../source/bench/prometheus.js';
import {parseExposition} from '../../source/clients/scrape/parser.js';
import {profiles} from '../../source/metrics/profiles/index.js';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/metrics/${name}`, import.meta.url), 'utf8');
const worker1 = fixture('worker-1-t0.prom');
const keep = historySeriesFilter(profiles);

function collect(pieces: Generator<string, {readonly series: number; readonly samples: number}>): {readonly text: string; readonly series: number; readonly samples: number} {
	let text = '';
	let next = pieces.next();
	while (next.done !== true) {
		text += next.value;
		next = pieces.next();
	}
	return {text, ...next.value};
}

describe('historySeriesFilter', () => {
	it('keeps the names the history queries read, of every profile, and no other', () => {
		expect(keep('kafka_connect_task_record_errors_total')).toBe(true);
		expect(keep('kafka_connect_sink_consumer_records_lag_max')).toBe(true);
		expect(keep('debezium_milli_seconds_behind_source')).toBe(true);
		// Listed under a name regex of the built-in profile, and matched by it.
		expect(keep('debezium_mysql_connector_metrics_MilliSecondsBehindSource')).toBe(true);
		expect(keep('debezium_madeup_connector_metrics_MilliSecondsBehindSource')).toBe(true);
		// Read by the instant query only.
		expect(keep('kafka_connect_task_status')).toBe(false);
		expect(keep('debezium_connected')).toBe(false);
		expect(keep('kafka_connect_worker_connector_count')).toBe(false);
	});
});

describe('scrapedLabels', () => {
	it('puts the target labels on top and keeps a clashing sample label as exported_<name>, sorted', () => {
		expect(scrapedLabels({connector: 'a', instance: 'exp:1'}, {job: 'kafka-connect', instance: '127.0.0.1:9'})).toEqual([
			['connector', 'a'],
			['exported_instance', 'exp:1'],
			['instance', '127.0.0.1:9'],
			['job', 'kafka-connect'],
		]);
	});
});

describe('historicValue', () => {
	it('climbs a counter to its value (integers stay integers) and leaves zero, NaN and negatives alone', () => {
		const steps = 10;
		const values = Array.from({length: steps + 1}, (_, i) => historicValue('counter', 5000, steps - i, steps, 0));
		expect(values.at(-1)).toBe(5000);
		expect(values[0]).toBe(2500);
		for (let i = 1; i < values.length; i++) expect(values[i] ?? 0).toBeGreaterThanOrEqual(values[i - 1] ?? 0);
		expect(values.every(Number.isInteger)).toBe(true);
		expect(historicValue('counter', 0, 4, steps, 0)).toBe(0);
		expect(historicValue('gauge', -1, 4, steps, 0)).toBe(-1);
		expect(historicValue('gauge', Number.NaN, 4, steps, 0)).toBeNaN();
	});

	it('swings a gauge within ±25 % and ends on its value', () => {
		const values = Array.from({length: 50}, (_, back) => historicValue('gauge', 1000, back, 49, 1.3));
		expect(values[0]).toBe(1000);
		expect(Math.min(...values)).toBeGreaterThanOrEqual(750);
		expect(Math.max(...values)).toBeLessThanOrEqual(1250);
		expect(new Set(values).size).toBeGreaterThan(10);
	});
});

describe('openMetricsHistory', () => {
	const target: BackfillTarget = {exposition: worker1, labels: {job: 'kafka-connect', instance: '127.0.0.1:9100', worker_id: 'connect-1:8083'}};
	const span = {endMs: 1_764_000_003_500, spanMs: 60_000, intervalMs: 5000};
	const {text, series, samples} = collect(openMetricsHistory([target], keep, span, 512));
	const parsed = parseExposition(text, {openMetrics: true, unquoteLabelValues: false});
	const source = parseExposition(worker1, {unquoteLabelValues: false}).samples.filter(sample => keep(sample.name));

	it('writes valid OpenMetrics: every line parses, # EOF last', () => {
		expect(parsed.errors).toEqual([]);
		expect(text.endsWith('\n# EOF\n')).toBe(true);
	});

	it('writes each history series of the exposition, with the target labels, one sample per interval over the span, oldest first', () => {
		expect(series).toBe(source.length);
		expect(samples).toBe(source.length * 13);
		expect(parsed.samples.length).toBe(samples);
		const times = [...new Set(parsed.samples.map(sample => sample.timestamp))];
		// The end is rounded down to the interval.
		expect(times).toEqual(Array.from({length: 13}, (_, i) => 1_764_000_000_000 - 60_000 + i * 5000));
		for (const sample of source) {
			const written = parsed.samples.filter(each => each.name === sample.name && JSON.stringify(each.labels) === JSON.stringify(Object.fromEntries(scrapedLabels(sample.labels, target.labels))));
			expect(written.length, `${sample.name} ${JSON.stringify(sample.labels)}`).toBe(13);
			expect(written.map(each => each.timestamp)).toEqual(times);
			// The newest sample is the exposition's value, so the first live scrape continues the series.
			expect(Object.is(written.at(-1)?.value, sample.value)).toBe(true);
		}
	});

	it('keeps label values as Prometheus stores them: the JMX quotes stay, escaped', () => {
		expect(text).toContain('connector="\\"my:sink\\""');
		expect(parsed.samples.some(sample => sample.labels['connector'] === '"my:sink"')).toBe(true);
	});

	it('keeps a family together: no name appears in two runs of lines', () => {
		const names = text.split('\n').filter(line => line !== '' && !line.startsWith('#')).map(line => line.slice(0, line.indexOf('{')));
		const runs = names.filter((name, i) => name !== names[i - 1]);
		expect(new Set(runs).size).toBe(runs.length);
	});
});

describe('kctopHistoryWindow', () => {
	it('reads kctop’s defaults: 5 minutes of history, rates over 1 minute', () => {
		expect(kctopHistoryWindow(2)).toEqual({historyMs: 300_000, rateWindowMs: 60_000});
	});
});

describe('a backfilled Prometheus', () => {
	it('answers the range kctop asks at start-up from the backfilled blocks, and joins the scraped series to them', async () => {
		const server = createServer((request, reply) => {
			request.resume();
			reply.writeHead(200, {'content-type': 'text/plain; version=0.0.4'});
			reply.end(worker1);
		});
		const port = await listenOnLoopback(server, 'the test exporter');
		const window = kctopHistoryWindow(2);
		const prometheus = await startPrometheus({
			scrapeIntervalSeconds: 5,
			scrapeTargets: [{job: 'kafka-connect', targets: [`127.0.0.1:${port}`], labels: {worker_id: 'connect-1:8083'}}],
			history: {spanMs: historySpanMs(window.historyMs, window.rateWindowMs, 5000), keep},
			readyTimeoutMs: 60_000,
		});
		try {
			expect(prometheus.backfilled?.series).toBe(parseExposition(worker1).samples.filter(sample => keep(sample.name)).length);
			await prometheus.waitForTargetsUp(1, 60_000);
			await prometheus.waitForSeries('kafka_connect_task_status', 60_000);
			// The start-up range query's window, asked now at the refresh step.
			const end = Date.now() / 1000;
			const query = new URLSearchParams({query: 'count(kafka_connect_task_record_errors_total) or vector(0)', start: String(end - window.historyMs / 1000), end: String(end), step: '2'});
			const answer: unknown = await (await fetch(`${prometheus.url}/api/v1/query_range?${query}`)).json();
			const values = JSON.stringify(answer).match(/\[[\d.]+,"\d+"\]/g) ?? [];
			// Every step of the window has both series (never 0: history is there; never 4: the live scrape's labels equal the backfilled ones).
			expect(values.length).toBe(window.historyMs / 2000 + 1);
			expect(values.every(pair => pair.endsWith(',"2"]'))).toBe(true);
		} finally {
			await prometheus.stop();
			await closeServer(server);
		}
	}, 120_000);
});
