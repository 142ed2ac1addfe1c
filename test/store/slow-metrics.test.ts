import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import {KctopError} from '../../source/clients/errors.js';
import {defaultProfile} from '../../source/metrics/profiles/default.js';
import type {MetricsFetch, MetricsSource} from '../../source/metrics/source.js';
import {defaultThresholds} from '../../source/model/snapshot.js';
import {createStore, type ConnectApi, type StoreOptions} from '../../source/store/store.js';
import {expandedFixture} from '../model/helpers.js';

// The live view against a Prometheus slower than --timeout (StoreOptions.metricsWait): the
// screen goes on refreshing from REST while the query is out, and takes its answer when it
// comes. The clock and the timers are the test's: nothing here waits for the machine.

const datagen = expandedFixture('rest-connectors-expand-info-status-datagen-6-tasks-2-workers.json');
const name = 'source-datagen-01';
const start = 1_000_000;

function connect(restDelayMs = 0): {api: ConnectApi; calls: {connectors: number}} {
	const calls = {connectors: 0};
	const answered = async () => ({status: 204, statusText: 'No Content'});
	const api: ConnectApi = {
		currentUrl: () => 'http://c1:8083',
		serverInfo: async () => ({version: '3.9.0', commit: 'abc', kafka_cluster_id: 'k1'}),
		connectors: async () => {
			calls.connectors += 1;
			if (restDelayMs > 0) await new Promise(resolve => setTimeout(resolve, restDelayMs));
			return {connectors: datagen, fallback: false};
		},
		topics: async () => [],
		offsets: async () => ({offsets: []}),
		pause: answered,
		resume: answered,
		stop: answered,
		restartConnector: answered,
		restartTask: answered,
	};
	return {api, calls};
}

const answer = (rate: number): MetricsFetch => ({results: new Map([['recordRate', [{labels: {connector: name}, value: rate}]]]), warnings: [], empty: [], endpoint: 'http://prom:9090'});

/** A Prometheus whose every query answers only when the test says (resolve / reject the last one sent). */
function slowPrometheus() {
	const sent: Array<{resolve(value: MetricsFetch): void; reject(error: unknown): void; signal: AbortSignal | undefined}> = [];
	const source: MetricsSource = {
		kind: 'prometheus',
		description: 'Prometheus http://prom:9090',
		fetch: (_now, signal) =>
			new Promise<MetricsFetch>((resolve, reject) => {
				sent.push({resolve, reject, signal});
				signal?.addEventListener('abort', () => reject(new KctopError({kind: 'aborted', source: 'prometheus', message: 'request aborted'})));
			}),
		fetchHistory: async () => new Map(),
		close: async () => {},
	};
	return {source, sent};
}

function setUp(metrics: MetricsSource, extra: Partial<StoreOptions> = {}, restDelayMs = 0) {
	let now = start;
	const c = connect(restDelayMs);
	const s = createStore({connect: c.api, metrics, profile: defaultProfile, clock: {now: () => now}, intervalMs: 2000, historyWindowMs: 60_000, thresholds: defaultThresholds, ...extra});
	return {
		s,
		calls: c.calls,
		advance(ms: number) {
			now += ms;
			return vi.advanceTimersByTimeAsync(ms);
		},
		rate: () => s.getState().snapshot?.connectors.find(row => row.name === name)?.recordRate,
	};
}

const wait = {metricsWait: {waitMs: 5000, giveUpMs: 60_000}};

beforeEach(() => {
	vi.useFakeTimers();
});
afterEach(() => {
	vi.useRealTimers();
});

describe('a Prometheus slower than a refresh', () => {
	it('draws REST after the wait, keeps the one query out, and takes its answer on a later refresh', async () => {
		const prometheus = slowPrometheus();
		const {s, calls, advance, rate} = setUp(prometheus.source, wait);
		s.start();
		await advance(4999);
		expect(s.getState().snapshot).toBeUndefined();
		await advance(1);
		const first = s.getState().snapshot!;
		expect(first.connectors.map(row => row.name)).toContain(name);
		expect(first.metrics?.everSucceeded).toBe(false);
		expect(first.metrics?.pendingSince).toBe(start);
		expect(first.metrics?.lastError).toBe('no answer within 5s: still waiting for it, up to 1m0s');
		expect(rate()).toBeUndefined();

		// The next refresh (at 7 s) waits for the same query instead of sending another.
		await advance(2000);
		expect(calls.connectors).toBe(2);
		expect(prometheus.sent).toHaveLength(1);
		await advance(1000);
		prometheus.sent[0]?.resolve(answer(42));
		await advance(0);
		const second = s.getState().snapshot!;
		expect(rate()).toBe(42);
		expect(second.metrics?.everSucceeded).toBe(true);
		expect(second.metrics?.pendingSince).toBeUndefined();
		expect(second.metrics?.stale).toBe(false);
		expect(calls.connectors).toBe(2);

		// Answered: the refresh after sends a new query.
		await advance(2000);
		expect(prometheus.sent).toHaveLength(2);
		s.stop();
	});

	it('draws an answer that comes between two refreshes at once, without a REST request', async () => {
		const prometheus = slowPrometheus();
		const {s, calls, advance, rate} = setUp(prometheus.source, wait);
		s.start();
		await advance(5000);
		expect(rate()).toBeUndefined();
		await advance(1000);
		prometheus.sent[0]?.resolve(answer(7));
		await advance(0);
		expect(rate()).toBe(7);
		expect(s.getState().snapshot?.metrics?.pendingSince).toBeUndefined();
		expect(calls.connectors).toBe(1);
		s.stop();
	});

	it('takes an answer that came after the wait but before REST answered', async () => {
		const prometheus = slowPrometheus();
		const {s, advance, rate} = setUp(prometheus.source, wait, 6000);
		s.start();
		await advance(5500);
		prometheus.sent[0]?.resolve(answer(5));
		await advance(500);
		expect(rate()).toBe(5);
		expect(s.getState().snapshot?.metrics?.pendingSince).toBeUndefined();
		expect(s.getState().snapshot?.metrics?.everSucceeded).toBe(true);
		// Taken once: the next refresh sends a new query.
		await advance(2000);
		expect(prometheus.sent).toHaveLength(2);
		s.stop();
	});

	it('marks the last good values stale while a later query is out, with since when', async () => {
		const prometheus = slowPrometheus();
		const {s, advance, rate} = setUp(prometheus.source, wait);
		s.start();
		await advance(0);
		prometheus.sent[0]?.resolve(answer(1));
		await advance(0);
		expect(rate()).toBe(1);
		await advance(2000);
		expect(prometheus.sent).toHaveLength(2);
		await advance(5000);
		const health = s.getState().snapshot?.metrics;
		expect(health?.everSucceeded).toBe(true);
		expect(health?.stale).toBe(true);
		expect(health?.pendingSince).toBe(start + 2000);
		expect(rate()).toBe(1);
		s.stop();
	});

	it('keeps REST refreshing while a hung Prometheus is out, then reports the give-up', async () => {
		const prometheus = slowPrometheus();
		const {s, calls, advance} = setUp(prometheus.source, wait);
		s.start();
		await advance(59_000);
		// A refresh every 7 s: 5 s of waiting, then the 2 s interval.
		expect(calls.connectors).toBeGreaterThanOrEqual(8);
		expect(prometheus.sent).toHaveLength(1);
		expect(s.getState().snapshot?.rest.stale).toBe(false);
		prometheus.sent[0]?.reject(new KctopError({kind: 'timeout', source: 'prometheus', message: 'timed out after 1m (GET http://prom:9090/api/v1/query)'}));
		// The refresh that was waiting for it (sent at 56 s) takes the failure at once.
		await advance(0);
		const health = s.getState().snapshot?.metrics;
		expect(health?.lastError).toBe('timed out after 1m (GET http://prom:9090/api/v1/query)');
		expect(health?.pendingSince).toBeUndefined();
		expect(health?.consecutiveFailures).toBe(1);
		// The next refresh asks again.
		await advance(2000);
		expect(prometheus.sent).toHaveLength(2);
		s.stop();
	});

	it('aborts the query that is out when the store stops', async () => {
		const prometheus = slowPrometheus();
		const {s, advance} = setUp(prometheus.source, wait);
		s.start();
		await advance(6000);
		expect(prometheus.sent[0]?.signal?.aborted).toBe(false);
		s.stop();
		expect(prometheus.sent[0]?.signal?.aborted).toBe(true);
	});

	it('without metricsWait (the one-shot modes) a refresh waits for its own query', async () => {
		const prometheus = slowPrometheus();
		const {s, advance, rate} = setUp(prometheus.source);
		s.start();
		await advance(20_000);
		expect(s.getState().snapshot).toBeUndefined();
		prometheus.sent[0]?.resolve(answer(3));
		await advance(0);
		expect(rate()).toBe(3);
		expect(s.getState().snapshot?.metrics?.pendingSince).toBeUndefined();
		s.stop();
	});
});
