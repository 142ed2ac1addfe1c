import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import {onePlan} from '../helpers/plans.js';
import {KctopError} from '../../source/clients/errors.js';
import type {ConnectorsExpanded} from '../../source/clients/connect/schemas.js';
import {defaultProfile} from '../../source/metrics/profiles/default.js';
import type {MetricsFetch, MetricsSource} from '../../source/metrics/source.js';
import type {MetricHistory} from '../../source/metrics/types.js';
import {defaultThresholds} from '../../source/model/snapshot.js';
import {createStore, refreshingShownAfterMs, type ConnectApi} from '../../source/store/store.js';
import {expandedFixture} from '../model/helpers.js';
import {rangeSeries} from '../helpers/range-series.js';

const datagen = expandedFixture('rest-connectors-expand-info-status-datagen-6-tasks-2-workers.json');

interface Deferred<T> {
	promise: Promise<T>;
	resolve(value: T): void;
}
function deferred<T>(): Deferred<T> {
	let resolve: (value: T) => void = () => {};
	const promise = new Promise<T>(r => {
		resolve = r;
	});
	return {promise, resolve};
}

function fakeConnect(overrides: Partial<ConnectApi> = {}) {
	const calls = {connectors: 0, serverInfo: 0, topics: 0, offsets: 0, actions: [] as string[]};
	let next: () => Promise<{connectors: ConnectorsExpanded; fallback: boolean}> = async () => ({connectors: datagen, fallback: false});
	const api: ConnectApi = {
		currentUrl: () => 'http://c1:8083',
		serverInfo: async () => {
			calls.serverInfo += 1;
			return {version: '3.9.0', commit: 'abc', kafka_cluster_id: 'k1'};
		},
		connectors: () => {
			calls.connectors += 1;
			return next();
		},
		topics: async () => {
			calls.topics += 1;
			return ['t1', 't2'];
		},
		offsets: async () => {
			calls.offsets += 1;
			return {offsets: [{partition: {kafka_topic: 't1', kafka_partition: 0}, offset: {kafka_offset: 5}}]};
		},
		pause: async name => {
			calls.actions.push(`pause ${name}`);
			return {status: 202, statusText: 'Accepted'};
		},
		resume: async () => ({status: 202, statusText: 'Accepted'}),
		stop: async () => ({status: 204, statusText: 'No Content'}),
		restartConnector: async () => ({status: 204, statusText: 'No Content'}),
		restartTask: async () => {
			throw new KctopError({kind: 'http', source: 'connect', status: 409, message: '409 Conflict: Cannot complete request momentarily due to no known leader URL'});
		},
		...overrides,
	};
	return {
		api,
		calls,
		setNext(fn: typeof next) {
			next = fn;
		},
	};
}

/** A Prometheus source whose instant answer gives `name` a record rate of `value`, and whose start-up range query answers with `ranges`. */
function heldRangeMetrics(name: string, value: number, ranges: Promise<MetricHistory>): MetricsSource {
	return {
		kind: 'prometheus',
		description: 'p',
		fetch: async () => ({results: new Map([['recordRate', [{labels: {connector: name}, value}]]]), warnings: [], empty: [], endpoint: 'http://prom:9090'}),
		fetchHistory: async () => ranges,
		close: async () => {},
	};
}

const refused = () => new KctopError({kind: 'connection', source: 'connect', message: 'connection refused (http://c1:8083)'});

function store(connect: ConnectApi, metrics?: MetricsSource, extra: {readOnly?: boolean} = {}) {
	let now = 1_000_000;
	const clock = {now: () => now};
	const s = createStore({connect, metrics, profile: defaultProfile, clock, intervalMs: 2000, historyWindowMs: 60_000, maxBackoffMs: 30_000, thresholds: defaultThresholds, ...extra});
	return {
		s,
		advance(ms: number) {
			now += ms;
			return vi.advanceTimersByTimeAsync(ms);
		},
	};
}

beforeEach(() => {
	vi.useFakeTimers();
});
afterEach(() => {
	vi.useRealTimers();
});

describe('poller', () => {
	it('refreshes at once on start and then every interval', async () => {
		const c = fakeConnect();
		const {s, advance} = store(c.api);
		s.start();
		await advance(0);
		expect(c.calls.connectors).toBe(1);
		expect(s.getState().snapshot?.connectors).toHaveLength(1);
		await advance(2000);
		expect(c.calls.connectors).toBe(2);
		await advance(2000);
		expect(c.calls.connectors).toBe(3);
		s.stop();
		await advance(10_000);
		expect(c.calls.connectors).toBe(3);
	});

	it('skips a refresh while one is in flight (ctrl-r during a slow request)', async () => {
		const c = fakeConnect();
		const slow = deferred<{connectors: ConnectorsExpanded; fallback: boolean}>();
		c.setNext(() => slow.promise);
		const {s, advance} = store(c.api);
		s.start();
		await advance(0);
		s.refreshNow();
		s.refreshNow();
		await advance(5000);
		expect(c.calls.connectors).toBe(1);
		expect(s.getState().refreshing).toBe(true);
		slow.resolve({connectors: datagen, fallback: false});
		await advance(0);
		expect(s.getState().refreshing).toBe(false);
		expect(s.getState().snapshot?.connectors).toHaveLength(1);
	});

	it('shows the refreshing marker only for a refresh still in flight after refreshingShownAfterMs: a quick one publishes once', async () => {
		const c = fakeConnect();
		const slow = deferred<{connectors: ConnectorsExpanded; fallback: boolean}>();
		const {s, advance} = store(c.api);
		const seen: boolean[] = [];
		s.subscribe(() => seen.push(s.getState().refreshing));
		s.start();
		await advance(0);
		// Quick: one state change, the published snapshot, and no marker.
		expect(seen).toEqual([false]);
		expect(s.getState().snapshot?.connectors).toHaveLength(1);
		c.setNext(() => slow.promise);
		await advance(2000);
		await advance(refreshingShownAfterMs - 1);
		expect(s.getState().refreshing).toBe(false);
		await advance(1);
		expect(s.getState().refreshing).toBe(true);
		slow.resolve({connectors: datagen, fallback: false});
		await advance(0);
		expect(s.getState().refreshing).toBe(false);
		expect(seen).toEqual([false, true, false]);
		// The next quick refresh: no marker again.
		c.setNext(async () => ({connectors: datagen, fallback: false}));
		await advance(2000 + refreshingShownAfterMs);
		expect(seen).toEqual([false, true, false, false]);
		s.stop();
	});

	it('keeps the last good REST data, marks it stale with the reason, backs off, and recovers by itself', async () => {
		const c = fakeConnect();
		const {s, advance} = store(c.api);
		s.start();
		await advance(0);
		c.setNext(async () => {
			throw refused();
		});
		await advance(2000); // failure 1
		let snap = s.getState().snapshot!;
		expect(snap.connectors).toHaveLength(1);
		expect(snap.rest.stale).toBe(true);
		expect(snap.rest.lastError).toBe('connection refused (http://c1:8083)');
		expect(snap.rest.lastSuccessAt).toBe(1_000_000);
		const before = c.calls.connectors;
		await advance(2000); // backoff is 4 s after one failure: nothing yet
		expect(c.calls.connectors).toBe(before);
		await advance(2000);
		expect(c.calls.connectors).toBe(before + 1); // failure 2 → next in 8 s
		await advance(7000);
		expect(c.calls.connectors).toBe(before + 1);
		c.setNext(async () => ({connectors: datagen, fallback: false}));
		await advance(1000);
		snap = s.getState().snapshot!;
		expect(snap.rest.stale).toBe(false);
		expect(snap.rest.consecutiveFailures).toBe(0);
		await advance(2000);
		expect(c.calls.connectors).toBe(before + 3); // back to the normal interval
	});

	it('does not back off on 409 (the cluster answers, it is rebalancing): asks again at the normal pace', async () => {
		const c = fakeConnect();
		const {s, advance} = store(c.api);
		s.start();
		await advance(0);
		c.setNext(async () => {
			throw new KctopError({kind: 'http', source: 'connect', status: 409, message: '409 Conflict: rebalance'});
		});
		for (let i = 1; i <= 4; i++) {
			await advance(2000);
			expect(c.calls.connectors).toBe(1 + i);
		}
		expect(s.getState().snapshot?.rest).toMatchObject({stale: true, consecutiveFailures: 4, lastError: '409 Conflict: rebalance'});
	});

	it('ticks its clock every second without touching the state, so only ages re-render', async () => {
		const c = fakeConnect();
		c.setNext(async () => {
			throw refused();
		});
		const {s, advance} = store(c.api);
		let stateChanges = 0;
		let ticks = 0;
		s.subscribe(() => stateChanges++);
		s.subscribeClock(() => ticks++);
		s.start();
		await advance(0);
		const first = s.getState().now!;
		const changesAfterFirstRefresh = stateChanges;
		// The refresh failed: the next try is backed off past 3 s, so only the clock moves.
		await advance(1000);
		await advance(1000);
		expect(ticks).toBe(2);
		expect(s.clockNow()).toBe(first + 2000);
		expect(stateChanges).toBe(changesAfterFirstRefresh);
		expect(s.getState().now).toBe(first);
		s.stop();
		await advance(3000);
		expect(ticks).toBe(2);
	});

	it('ticks one second after each answer: one tick per refresh at a 2 s interval, and every second while a refresh is slow', async () => {
		const c = fakeConnect();
		const {s, advance} = store(c.api);
		const ticks: number[] = [];
		s.subscribeClock(() => ticks.push(s.clockNow() ?? Number.NaN));
		s.start();
		await advance(0);
		const first = s.getState().now ?? Number.NaN;
		for (let i = 0; i < 5; i++) await advance(1000);
		// Refreshes at +0, +2000, +4000: a tick at +1000 and +3000; the one due at +2000 and +4000 is the refresh's own answer.
		expect(c.calls.connectors).toBe(3);
		expect(ticks).toEqual([first + 1000, first + 3000, first + 5000]);
		const slow = deferred<{connectors: ConnectorsExpanded; fallback: boolean}>();
		c.setNext(() => slow.promise);
		await advance(1000); // +6000: the slow refresh starts
		for (let i = 0; i < 3; i++) await advance(1000);
		expect(ticks).toEqual([first + 1000, first + 3000, first + 5000, first + 7000, first + 8000, first + 9000]);
		slow.resolve({connectors: datagen, fallback: false});
		await advance(0);
		const answered = s.getState().now ?? Number.NaN;
		await advance(1000);
		expect(ticks.at(-1)).toBe(answered + 1000);
		s.stop();
		const count = ticks.length;
		await advance(5000);
		expect(ticks).toHaveLength(count);
	});

	it('caps the backoff', async () => {
		const c = fakeConnect();
		c.setNext(async () => {
			throw refused();
		});
		const {s, advance} = store(c.api);
		s.start();
		for (let i = 0; i < 12; i++) await advance(30_000);
		const calls = c.calls.connectors;
		await advance(30_000);
		expect(c.calls.connectors).toBe(calls + 1);
		expect(s.getState().snapshot?.rest.everSucceeded).toBe(false);
		expect(s.getState().snapshot?.rest.stale).toBe(false);
	});

	it('still shows everything REST knows when metrics fail, and says why', async () => {
		const metrics: MetricsSource = {
			kind: 'prometheus',
			description: 'Prometheus http://prom:9090',
			fetch: async () => {
				throw new KctopError({kind: 'connection', source: 'prometheus', message: 'connection refused (http://prom:9090)'});
			},
			fetchHistory: async () => new Map(),
			close: async () => {},
		};
		const {s, advance} = store(fakeConnect().api, metrics);
		s.start();
		await advance(0);
		const snap = s.getState().snapshot!;
		expect(snap.connectors).toHaveLength(1);
		expect(snap.metrics?.everSucceeded).toBe(false);
		expect(snap.metrics?.lastError).toBe('connection refused (http://prom:9090)');
		expect(snap.rest.stale).toBe(false);
	});

	it('seeds sparklines from the start-up range query so the first frame is full', async () => {
		const name = 'source-datagen-01';
		const history: MetricHistory = new Map([
			[
				'recordRate',
				[rangeSeries({connector: name}, Array.from({length: 30}, (_, i) => [1_000_000 - (30 - i) * 2000, i] as const))],
			],
		]);
		const fetched: MetricsFetch = {results: new Map([['recordRate', [{labels: {connector: name}, value: 99}]]]), warnings: [], empty: [], endpoint: 'http://prom:9090'};
		let historyCalls = 0;
		const metrics: MetricsSource = {
			kind: 'prometheus',
			description: 'p',
			fetch: async () => fetched,
			fetchHistory: async () => {
				historyCalls += 1;
				return history;
			},
			close: async () => {},
		};
		const {s, advance} = store(fakeConnect().api, metrics);
		s.start();
		await advance(0);
		const rate = s.history(name).recordRate;
		expect(rate.at(-1)).toBe(99);
		expect(rate.slice(-4, -1)).toEqual([27, 28, 29]);
		// capacity = 60 s / 2 s = 30 points: 29 seeded (the oldest range point falls outside) + the current one.
		expect(rate.length).toBe(30);
		await advance(2000);
		expect(historyCalls).toBe(1);
		expect(s.history(name).recordRate.length).toBe(30); // bounded: the ring drops the oldest
		expect(s.history(name).recordRate.slice(-3)).toEqual([29, 99, 99]);
	});
});

describe('the first frame', () => {
	it('publishes the grid before the start-up range query answers, then seeds the sparklines under the first point', async () => {
		const name = 'source-datagen-01';
		let answerHistory: (history: MetricHistory) => void = () => {};
		const ranges = new Promise<MetricHistory>(resolve => {
			answerHistory = resolve;
		});
		const {s, advance} = store(fakeConnect().api, heldRangeMetrics(name, 99, ranges));
		let frames = 0;
		s.subscribe(() => {
			frames += 1;
		});
		s.start();
		await advance(0);
		// The grid is there with the current values; no sparkline yet, and no point recorded before the history.
		expect(s.getState().snapshot?.connectors.map(row => row.name)).toEqual([name]);
		expect(s.getState().snapshot?.metrics?.everSucceeded).toBe(true);
		expect(s.history(name).recordRate).toEqual([]);
		const before = frames;

		answerHistory(new Map([['recordRate', [rangeSeries({connector: name}, [1_000_000 - 6000, 1_000_000 - 4000, 1_000_000 - 2000].map((t, i) => [t, i + 1] as const))]]]));
		await advance(0);
		expect(frames).toBe(before + 1);
		// Seeded on the grid that ends one interval before the first refresh, then the first refresh's own point.
		expect(s.history(name).recordRate.slice(-4)).toEqual([1, 2, 3, 99]);
		await advance(2000);
		expect(s.history(name).recordRate.slice(-3)).toEqual([3, 99, 99]);
	});

	it('goes on refreshing while the range query is out for several intervals, and records those points after the seeded history', async () => {
		const name = 'source-datagen-01';
		let answerHistory: (history: MetricHistory) => void = () => {};
		const ranges = new Promise<MetricHistory>(resolve => {
			answerHistory = resolve;
		});
		let value = 10;
		let fetches = 0;
		const metrics: MetricsSource = {
			kind: 'prometheus',
			description: 'p',
			fetch: async () => {
				fetches += 1;
				value += 1;
				return {results: new Map([['recordRate', [{labels: {connector: name}, value}]]]), warnings: [], empty: [], endpoint: 'http://prom:9090'};
			},
			fetchHistory: async () => ranges,
			close: async () => {},
		};
		const {s, advance} = store(fakeConnect().api, metrics);
		s.start();
		await advance(0);
		await advance(2000);
		await advance(2000);
		// Three refreshes, none waiting for the range query; their points are held back for it.
		expect(fetches).toBe(3);
		expect(s.history(name).recordRate).toEqual([]);
		// --once and check wait for it: historySettled resolves only once it is recorded.
		let settled = false;
		void s.historySettled().then(() => {
			settled = true;
		});
		await advance(0);
		expect(settled).toBe(false);

		answerHistory(new Map([['recordRate', [rangeSeries({connector: name}, [1_000_000 - 6000, 1_000_000 - 4000, 1_000_000 - 2000].map((t, i) => [t, i + 1] as const))]]]));
		await advance(0);
		expect(s.history(name).recordRate.slice(-6)).toEqual([1, 2, 3, 11, 12, 13]);
		expect(settled).toBe(true);
		await advance(2000);
		expect(s.history(name).recordRate.slice(-2)).toEqual([13, 14]);
	});

	it('says start-up is over once the first refresh is drawn and the range query it sent has answered or failed, not before', async () => {
		const name = 'source-datagen-01';
		const watch = (promise: Promise<void>): (() => boolean) => {
			let over = false;
			void promise.then(() => {
				over = true;
			});
			return () => over;
		};
		// No metrics source: no range query, start-up ends with the first refresh.
		const plain = store(fakeConnect().api);
		const plainOver = watch(plain.s.startupSettled());
		await plain.advance(0);
		expect(plainOver()).toBe(false);
		plain.s.start();
		await plain.advance(0);
		expect(plainOver()).toBe(true);
		plain.s.stop();

		for (const outcome of ['answers', 'fails'] as const) {
			let answer: (history: MetricHistory) => void = () => {};
			let fail: (error: Error) => void = () => {};
			const ranges = new Promise<MetricHistory>((resolve, reject) => {
				answer = resolve;
				fail = reject;
			});
			const {s, advance} = store(fakeConnect().api, heldRangeMetrics(name, 5, ranges));
			const over = watch(s.startupSettled());
			s.start();
			await advance(0);
			await advance(2000);
			// Two refreshes drawn, the range query still out.
			expect(s.getState().snapshot).toBeDefined();
			expect(over()).toBe(false);
			if (outcome === 'answers') answer(new Map([['recordRate', [rangeSeries({connector: name}, [1_000_000 - 4000, 1_000_000 - 2000].map((t, i) => [t, i + 1] as const))]]]));
			else fail(new KctopError({kind: 'timeout', source: 'prometheus', message: 'timed out'}));
			await advance(0);
			expect(over()).toBe(true);
			// The seeded points, then the two refreshes' held back for them.
			if (outcome === 'answers') expect(s.history(name).recordRate.slice(-4)).toEqual([1, 2, 5, 5]);
			s.stop();
		}
	});

	it('records the first point anyway when the range query fails, and asks again on the next refresh', async () => {
		const name = 'source-datagen-01';
		let historyCalls = 0;
		const metrics: MetricsSource = {
			kind: 'prometheus',
			description: 'p',
			fetch: async () => ({results: new Map([['recordRate', [{labels: {connector: name}, value: 7}]]]), warnings: [], empty: [], endpoint: 'http://prom:9090'}),
			fetchHistory: async () => {
				historyCalls += 1;
				throw new KctopError({kind: 'timeout', source: 'prometheus', message: 'timed out'});
			},
			close: async () => {},
		};
		const {s, advance} = store(fakeConnect().api, metrics);
		s.start();
		await advance(0);
		expect(s.history(name).recordRate).toEqual([7]);
		await advance(2000);
		expect(historyCalls).toBe(2);
		expect(s.history(name).recordRate).toEqual([7, 7]);
	});
});

describe('a failing start-up range query', () => {
	const failingHistory = (error: KctopError): {metrics: MetricsSource; calls: () => number} => {
		let calls = 0;
		const metrics: MetricsSource = {
			kind: 'prometheus',
			description: 'p',
			fetch: async () => ({results: new Map([['recordRate', [{labels: {connector: 'source-datagen-01'}, value: 1}]]]), warnings: [], empty: [], endpoint: 'http://prom:9090'}),
			fetchHistory: async () => {
				calls += 1;
				throw error;
			},
			close: async () => {},
		};
		return {metrics, calls: () => calls};
	};

	it('is asked again after 1, 2, 4 … refreshes while it times out, not on every refresh', async () => {
		const {metrics, calls} = failingHistory(new KctopError({kind: 'timeout', source: 'prometheus', message: 'timed out'}));
		const {s, advance} = store(fakeConnect().api, metrics);
		s.start();
		await advance(0);
		const callsAfter: number[] = [];
		for (let refresh = 1; refresh <= 12; refresh++) {
			await advance(2000);
			callsAfter.push(calls());
		}
		// Refresh 0 asks; then refreshes 1, 3 and 7: each wait twice the one before.
		expect(callsAfter).toEqual([2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4]);
		expect(s.getState().snapshot?.metrics?.warnings ?? []).toEqual([]);
	});

	it('once it has failed, waits for the instant query to answer before it is sent beside it again', async () => {
		// A Prometheus too slow for the timeout: the first instant query and the range query both time out.
		let instantFails = 3;
		let historyCalls = 0;
		const sentWith: boolean[] = [];
		const metrics: MetricsSource = {
			kind: 'prometheus',
			description: 'p',
			fetch: async () => {
				if (instantFails > 0) {
					instantFails -= 1;
					throw new KctopError({kind: 'timeout', source: 'prometheus', message: 'timed out'});
				}
				return {results: new Map([['recordRate', [{labels: {connector: 'source-datagen-01'}, value: 1}]]]), warnings: [], empty: [], endpoint: 'http://prom:9090'};
			},
			fetchHistory: async () => {
				historyCalls += 1;
				sentWith.push(instantFails === 0);
				if (historyCalls === 1) throw new KctopError({kind: 'timeout', source: 'prometheus', message: 'timed out'});
				return new Map();
			},
			close: async () => {},
		};
		const {s, advance} = store(fakeConnect().api, metrics);
		s.start();
		await advance(0);
		expect(historyCalls).toBe(1);
		// Refreshes 1 and 2: the instant query still times out, the range query is held back.
		await advance(2000);
		await advance(2000);
		expect(historyCalls).toBe(1);
		expect(s.getState().snapshot?.metrics?.lastError).toMatch(/timed out/);
		// Refresh 3: the instant query answers (the range query is still held back on it)…
		await advance(2000);
		expect(historyCalls).toBe(1);
		expect(s.getState().snapshot?.metrics?.lastError).toBeUndefined();
		expect(s.getState().snapshot?.metrics?.everSucceeded).toBe(true);
		// … and refresh 4 sends the range query again.
		await advance(2000);
		expect(historyCalls).toBe(2);
		expect(sentWith).toEqual([false, true]);
	});

	it('is not asked again when the answer would be the same (over --max-body), and the header is told why', async () => {
		const {metrics, calls} = failingHistory(new KctopError({kind: 'too-large', source: 'prometheus', message: 'response larger than 64 MB (POST http://prom:9090/api/v1/query_range): raise --max-body if this is expected'}));
		const {s, advance} = store(fakeConnect().api, metrics);
		s.start();
		await advance(0);
		for (let refresh = 1; refresh <= 6; refresh++) await advance(2000);
		expect(calls()).toBe(1);
		expect(s.getState().snapshot?.metrics?.warnings.join('\n')).toMatch(/^sparklines not backfilled: .*larger than 64 MB/);
		expect(s.history('source-datagen-01').recordRate).toEqual([1, 1, 1, 1, 1, 1, 1]); // the live points are recorded all the same
	});
});

describe('freeze, detail and actions', () => {
	it('freezes the picture and counts changes while polling goes on', async () => {
		const c = fakeConnect();
		const {s, advance} = store(c.api);
		s.start();
		await advance(0);
		s.toggleFreeze();
		expect(s.getState().frozen?.changesSinceFreeze).toBe(0);
		const failedOne = structuredClone(datagen);
		failedOne['source-datagen-01']!.status!.tasks[0]!.state = 'FAILED';
		c.setNext(async () => ({connectors: failedOne, fallback: false}));
		await advance(2000);
		expect(s.getState().frozen?.snapshot.connectors[0]!.tasksFailed).toBe(0);
		expect(s.getState().snapshot?.connectors[0]!.tasksFailed).toBe(1);
		expect(s.getState().frozen?.changesSinceFreeze).toBe(1);
		expect([...s.getState().changed]).toEqual(['source-datagen-01']);
		await advance(2000);
		expect(s.getState().changed.size).toBe(0); // nothing moved since the last refresh
		s.toggleFreeze();
		expect(s.getState().frozen).toBeUndefined();
	});

	it('fetches topics and offsets only while the detail is open', async () => {
		const c = fakeConnect();
		const {s, advance} = store(c.api);
		s.start();
		await advance(0);
		expect(c.calls.topics).toBe(0);
		s.openDetail('source-datagen-01');
		expect(s.getState().detail?.topics.status).toBe('loading');
		await advance(0);
		expect(s.getState().detail?.topics).toMatchObject({status: 'ok', value: ['t1', 't2']});
		expect(s.getState().detail?.offsets).toMatchObject({status: 'ok', value: [{partition: 'kafka_topic=t1 kafka_partition=0', offset: 'kafka_offset=5'}]});
		await advance(2000);
		expect(c.calls.topics).toBe(2);
		s.closeDetail();
		await advance(4000);
		expect(c.calls.topics).toBe(2);
		expect(s.getState().detail).toBeUndefined();
	});

	it('reports action outcomes, including a 409 during a rebalance, and refreshes after success', async () => {
		const c = fakeConnect();
		const {s, advance} = store(c.api);
		s.start();
		await advance(0);
		const before = c.calls.connectors;
		const ok = await s.runAction(onePlan({kind: 'pause', connector: 'source-datagen-01'}));
		expect(ok).toMatchObject({ok: true, message: '202 Accepted'});
		await advance(0);
		expect(c.calls.connectors).toBe(before + 1);
		const conflict = await s.runAction(onePlan({kind: 'restart-task', connector: 'source-datagen-01', task: 0}));
		expect(conflict.ok).toBe(false);
		expect(conflict.message).toMatch(/^409 Conflict: /);
		expect(s.getState().lastAction).toEqual(conflict);
	});

	it('sends a plan one call after another, stops at the first error and says how far it got', async () => {
		const sent: string[] = [];
		const c = fakeConnect({
			restartConnector: async name => {
				sent.push(`restart ${name}`);
				return {status: 204, statusText: 'No Content'};
			},
			restartTask: async (name, task) => {
				sent.push(`restart ${name}/${task}`);
				if (task === 2) throw new KctopError({kind: 'http', source: 'connect', status: 409, message: '409 Conflict: rebalance in progress'});
				return {status: 204, statusText: 'No Content'};
			},
		});
		const {s} = store(c.api);
		const plan = {...onePlan({kind: 'restart-task', connector: 'x', task: 0}), calls: [0, 1, 2, 3].map(task => ({kind: 'restart-task', connector: 'x', task}) as const)};
		const outcome = await s.runAction(plan);
		expect(sent).toEqual(['restart x/0', 'restart x/1', 'restart x/2']);
		expect(outcome).toMatchObject({ok: false, message: '2 of 4 calls sent, then 409 Conflict: rebalance in progress', verification: undefined});
		const allOk = await s.runAction({...plan, calls: plan.calls.slice(0, 2)});
		expect(allOk).toMatchObject({ok: true, message: '2 calls: 204 No Content'});
	});

	it('never sends a second plan while one is in flight (a double confirmation sends once)', async () => {
		const answer = deferred<{status: number; statusText: string}>();
		const c = fakeConnect({pause: async name => {
			c.calls.actions.push(`pause ${name}`);
			return answer.promise;
		}});
		const {s} = store(c.api);
		const plan = onePlan({kind: 'pause', connector: 'source-datagen-01'});
		const first = s.runAction(plan);
		const second = await s.runAction(plan);
		expect(second).toMatchObject({ok: false, message: 'not sent: another action is still waiting for its answer'});
		answer.resolve({status: 202, statusText: 'Accepted'});
		expect(await first).toMatchObject({ok: true});
		expect(c.calls.actions).toEqual(['pause source-datagen-01']);
	});

	it('checks the result of an action on the refreshes after it', async () => {
		const c = fakeConnect();
		const {s, advance} = store(c.api);
		s.start();
		await advance(0);
		const plan = {...onePlan({kind: 'pause', connector: 'source-datagen-01'}), expect: {connector: 'PAUSED', tasks: [], taskState: undefined}};
		await s.runAction(plan);
		expect(s.getState().lastAction?.verification).toEqual({status: 'waiting', text: 'waiting for the next refresh…'});
		await advance(0);
		// The fake cluster does not pause: kctop keeps waiting, then says so.
		expect(s.getState().lastAction?.verification).toEqual({status: 'waiting', text: 'waiting for PAUSED…'});
		const paused = structuredClone(datagen);
		const entry = paused['source-datagen-01'];
		if (entry?.status === undefined) throw new Error('fixture changed');
		entry.status.connector.state = 'PAUSED';
		c.setNext(async () => ({connectors: paused, fallback: false}));
		await advance(2000);
		expect(s.getState().lastAction?.verification).toEqual({status: 'confirmed', text: 'PAUSED after 2 s'});
		s.stop();
	});

	it('refuses actions in read-only mode without calling the API', async () => {
		const c = fakeConnect();
		const {s} = store(c.api, undefined, {readOnly: true});
		const outcome = await s.runAction(onePlan({kind: 'pause', connector: 'x'}));
		expect(outcome.ok).toBe(false);
		expect(c.calls.actions).toEqual([]);
	});
});
