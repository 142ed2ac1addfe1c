import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {defaultProfile} from '../../source/metrics/profiles/default.js';
import {createSteppedClock} from '../../source/demo/clock.js';
import {expositionContentType} from '../../source/demo/jmx/exposition.js';
import {startDemoCluster, type DemoCluster} from '../../source/demo/server.js';
import {call, find, samples, T0, type Line} from './helpers.js';

/**
 * The workers' /metrics endpoints over the whole first cycle of the default scenario,
 * scraped once a second: the default profile's series all appear, counters never go
 * down on a live worker, special values are where Kafka and Debezium put them.
 */

interface Scrape {
	readonly second: number;
	readonly worker: number;
	readonly lines: readonly Line[];
	readonly counters: ReadonlySet<string>;
}

const clock = createSteppedClock(T0);
let demo: DemoCluster;
const scrapes: Scrape[] = [];
const contentTypes = new Set<string | null>();

/** Prometheus adds these target labels; the exporter does not. */
const targetLabels = new Set(['instance', 'job', 'worker_id']);

function key(line: Line): string {
	return `${line.name}{${Object.entries(line.labels)
		.sort(([a], [b]) => (a < b ? -1 : 1))
		.map(([name, value]) => `${name}=${value}`)
		.join(',')}}`;
}

beforeAll(async () => {
	demo = await startDemoCluster({seed: 5, clock});
	for (let second = 0; second <= 130; second++) {
		clock.set(T0 + second * 1000);
		await demo.sync();
		for (let worker = 0; worker < demo.metricsUrls.length; worker++) {
			if (!demo.cluster.workers[worker]?.alive) continue;
			const answer = await call(demo.metricsUrls[worker] ?? '');
			expect(answer.status).toBe(200);
			contentTypes.add(answer.contentType);
			const counters = new Set([...answer.text.matchAll(/^# TYPE (\S+) counter$/gm)].map(match => match[1] ?? ''));
			scrapes.push({second, worker, lines: samples(answer.text), counters});
		}
	}
}, 120_000);

afterAll(async () => {
	await demo.close();
});

describe('metrics endpoints', () => {
	it('serve the Prometheus text content type', () => {
		expect([...contentTypes]).toEqual([expositionContentType]);
	});

	it('export every series the default profile queries, with the labels it groups by', () => {
		const all = scrapes.flatMap(scrape => scrape.lines);
		const checked: string[] = [];
		for (const definition of Object.values(defaultProfile.metrics)) {
			for (const selector of definition.series) {
				if (selector.name === 'up') continue; // written by Prometheus, not by the exporter
				const matching = find(all, selector.name).filter(line =>
					(selector.matchers ?? []).every(matcher => {
						const actual = line.labels[matcher.label] ?? '';
						const anchored = new RegExp(`^(?:${matcher.value})$`);
						if (matcher.op === '=') return actual === matcher.value;
						if (matcher.op === '!=') return actual !== matcher.value;
						if (matcher.op === '=~') return anchored.test(actual);
						return !anchored.test(actual);
					}),
				);
				expect(matching.length, `${definition.id}: ${selector.name}`).toBeGreaterThan(0);
				for (const label of definition.by.filter(name => !targetLabels.has(name))) {
					expect(
						matching.some(line => label in line.labels),
						`${selector.name} has label ${label}`,
					).toBe(true);
				}
				checked.push(selector.name);
			}
		}
		expect(checked.length).toBeGreaterThanOrEqual(16);
	});

	it('never lets a counter go down between two consecutive scrapes of a live worker', () => {
		const counterNames = new Set(
			Object.values(defaultProfile.metrics)
				.filter(definition => definition.kind === 'counter')
				.flatMap(definition => definition.series.map(selector => selector.name)),
		);
		let compared = 0;
		for (let worker = 0; worker < 3; worker++) {
			const mine = scrapes.filter(scrape => scrape.worker === worker);
			for (let i = 1; i < mine.length; i++) {
				const previous = mine[i - 1];
				const current = mine[i];
				if (!previous || !current || current.second !== previous.second + 1) continue;
				const before = new Map(previous.lines.map(line => [key(line), line.value]));
				for (const line of current.lines) {
					if (!current.counters.has(line.name.replace(/_total$/, '') + '_total') && !current.counters.has(line.name) && !counterNames.has(line.name)) continue;
					const old = before.get(key(line));
					if (old === undefined) continue;
					compared++;
					expect(line.value, `${key(line)} on worker ${worker} at ${current.second}s`).toBeGreaterThanOrEqual(old);
				}
			}
		}
		expect(compared).toBeGreaterThan(1000);
	});

	it('shows -1 for Debezium timers before the first event, then real values', () => {
		const first = scrapes.find(scrape => scrape.second === 0 && scrape.worker === 0);
		const labels = {server: 'cdc-test', context: 'streaming'};
		expect(find(first?.lines ?? [], 'debezium_milli_seconds_behind_source', labels)[0]?.value).toBe(-1);
		expect(find(first?.lines ?? [], 'debezium_milli_seconds_since_last_event', labels)[0]?.value).toBe(-1);
		const later = scrapes.find(scrape => scrape.second === 8 && scrape.worker === 0);
		expect(find(later?.lines ?? [], 'debezium_milli_seconds_behind_source', labels)[0]?.value).toBeGreaterThanOrEqual(0);
	});

	it('reports NaN and +Inf where Kafka does (no samples yet, no rebalance yet)', () => {
		const first = scrapes.find(scrape => scrape.second === 1 && scrape.worker === 0)?.lines ?? [];
		expect(first.some(line => Number.isNaN(line.value))).toBe(true);
		expect(first.filter(line => line.value === Number.POSITIVE_INFINITY).map(line => line.name)).toContain('kafka_connect_worker_time_since_last_rebalance_ms');
		const afterRebalance = scrapes.find(scrape => scrape.second === 60 && scrape.worker === 0)?.lines ?? [];
		const since = find(afterRebalance, 'kafka_connect_worker_time_since_last_rebalance_ms')[0]?.value ?? Number.NaN;
		expect(since).toBeGreaterThan(0);
		expect(Number.isFinite(since)).toBe(true);
	});

	it('exports only what each worker runs: no scrapes of connect-2 while it is dead, idle connect-3 has no tasks at first', () => {
		expect(scrapes.filter(scrape => scrape.worker === 1 && scrape.second > 45 && scrape.second < 120)).toEqual([]);
		const connect3 = scrapes.find(scrape => scrape.second === 10 && scrape.worker === 2)?.lines ?? [];
		expect(connect3.length).toBeGreaterThan(0);
		expect(find(connect3, 'kafka_connect_task_status')).toEqual([]);
		const sinkLag = scrapes.filter(scrape => scrape.second === 10).flatMap(scrape => find(scrape.lines, 'kafka_connect_sink_consumer_records_lag_max', {connector: 'jdbc-sink-orders'}));
		expect(sinkLag.map(line => line.labels['task']).sort()).toEqual(['0', '1']);
	});
});
