import {describe, expect, it, vi} from 'vitest';
import {KctopError} from '../../source/clients/errors.js';
import type {InstantResult, PrometheusClient, RangeResult} from '../../source/clients/prometheus/client.js';
import {batchedPromQL, createPrometheusSource, freshnessMetricIds, historyMetricIds, metricTagLabel, timestampPromQL} from '../../source/metrics/prometheus-source.js';
import {catchAllProfile} from '../../source/metrics/profiles/catch-all.js';
import {defaultProfile, kctopProfile} from '../../source/metrics/profiles/default.js';
import {profiles} from '../../source/metrics/profiles/index.js';
import {strimziProfile} from '../../source/metrics/profiles/strimzi.js';
import {joinOr, toPromQL} from '../../source/metrics/promql.js';
import type {LogicalMetricId} from '../../source/metrics/types.js';
import {logicalMetricIds} from '../../source/metrics/types.js';
import {rangeSeries} from '../helpers/range-series.js';
import {tagApart} from '../helpers/tag-apart.js';

interface Call {
	readonly kind: 'query' | 'range';
	readonly promql: string;
	readonly options: Record<string, unknown>;
}

type Answer = (promql: string) => InstantResult | Promise<InstantResult>;

type FakeClient = PrometheusClient & {readonly calls: Call[]; readonly labelCalls: Array<readonly string[] | undefined>; closed: boolean};

/** Answers queries with `answer`, ranges with `range` and label values (the profile detection) with `names`. */
function fakeClient(answer: Answer, range?: (promql: string) => RangeResult, names: () => readonly string[] | Promise<readonly string[]> = () => []): FakeClient {
	const calls: Call[] = [];
	const labelCalls: Array<readonly string[] | undefined> = [];
	return {
		url: 'http://prom.test:9090',
		calls,
		labelCalls,
		closed: false,
		async query(promql, options) {
			calls.push({kind: 'query', promql, options: {...options}});
			return tagApart(await answer(promql), options?.tagLabel);
		},
		async queryRange(promql, options) {
			calls.push({kind: 'range', promql, options: {...options}});
			if (range === undefined) throw new Error('no range answer');
			return range(promql);
		},
		async labelValues(_label, labelOptions) {
			labelCalls.push(labelOptions?.match);
			return names();
		},
		async close() {
			this.closed = true;
		},
	};
}

// The per-metric path (the fallback when Prometheus refuses the batched query); batching is tested below.
const options = {rateWindow: '1m', upMatchers: [{label: 'job', op: '=~', value: '.*connect.*'}], batch: false} as const;
const promqlOf = (id: LogicalMetricId): string => {
	const definition = defaultProfile.metrics[id];
	if (definition === undefined) throw new Error(`no ${id}`);
	return toPromQL(definition, options);
};
const metricCount = Object.keys(defaultProfile.metrics).length;
// Metric by metric, each metric whose age is checked gets a second query for its old rows' sample times.
const timedCount = freshnessMetricIds.filter((id) => defaultProfile.metrics[id] !== undefined).length;
const valueCalls = <T extends {readonly promql: string}>(calls: readonly T[]): T[] => calls.filter((call) => !call.promql.includes('timestamp('));
const refused = (): KctopError => new KctopError({kind: 'connection', source: 'prometheus', message: 'connect ECONNREFUSED 127.0.0.1:9090'});

describe('createPrometheusSource.fetch', () => {
	it('runs one instant query per logical metric at the given time and maps the answers', async () => {
		const client = fakeClient((promql) =>
			promql === promqlOf('sinkLag')
				? {samples: [{labels: {connector: 'my:sink'}, value: 42}], warnings: []}
				: promql === promqlOf('workerUp')
					? {samples: [{labels: {instance: 'c1:9404', job: 'connect'}, value: 1}], warnings: []}
					: {samples: [], warnings: []},
		);
		const source = createPrometheusSource({client, profile: defaultProfile, ...options});
		const fetched = await source.fetch(1_700_000_000_000);
		expect(source.kind).toBe('prometheus');
		expect(source.description).toBe('Prometheus http://prom.test:9090');
		expect(valueCalls(client.calls)).toHaveLength(metricCount);
		expect(client.calls).toHaveLength(metricCount + timedCount);
		expect(new Set(valueCalls(client.calls).map((call) => call.promql))).toEqual(new Set(logicalMetricIds.filter((id) => defaultProfile.metrics[id] !== undefined).map(promqlOf)));
		expect(client.calls.every((call) => call.options['time'] === 1_700_000_000_000)).toBe(true);
		expect(fetched.results.get('sinkLag')).toEqual([{labels: {connector: 'my:sink'}, value: 42}]);
		expect(fetched.results.get('workerUp')).toEqual([{labels: {instance: 'c1:9404', job: 'connect'}, value: 1}]);
		expect(fetched.empty).toHaveLength(metricCount - 2);
		expect(fetched.empty).toContain('recordRate');
		expect(fetched.results.get('recordRate')).toEqual([]);
		expect(fetched.endpoint).toBe('http://prom.test:9090');
		expect(fetched.warnings).toEqual([]);
	});

	it('sends all queries before any answers (in parallel)', async () => {
		let release: () => void = () => undefined;
		const gate = new Promise<void>((resolve) => {
			release = resolve;
		});
		const client = fakeClient(async () => {
			await gate;
			return {samples: [], warnings: []};
		});
		const pending = createPrometheusSource({client, profile: defaultProfile, ...options}).fetch(0);
		// One label-values call scores the profile first, then every query goes out before any answer.
		await vi.waitFor(() => expect(client.calls).toHaveLength(metricCount + timedCount));
		expect(client.labelCalls).toHaveLength(1);
		release();
		await pending;
	});

	it('turns a failed query into a warning and leaves that metric absent', async () => {
		const client = fakeClient((promql) => {
			if (promql === promqlOf('dbzConnected')) throw new KctopError({kind: 'http', source: 'prometheus', status: 422, message: 'execution: query timed out'});
			return {samples: [{labels: {server: 'x'}, value: 1}], warnings: ['info: PromQL info: metric might not be a counter']};
		});
		const fetched = await createPrometheusSource({client, profile: defaultProfile, ...options}).fetch(0);
		expect(fetched.results.has('dbzConnected')).toBe(false);
		expect(fetched.results.size).toBe(metricCount - 1);
		expect(fetched.empty).not.toContain('dbzConnected');
		// The same Prometheus warning on every query is reported once.
		expect(fetched.warnings).toEqual(['info: PromQL info: metric might not be a counter', 'dbzConnected: execution: query timed out']);
	});

	it('throws the first KctopError when every query fails', async () => {
		const client = fakeClient(() => {
			throw refused();
		});
		const fetching = createPrometheusSource({client, profile: defaultProfile, ...options}).fetch(0);
		await expect(fetching).rejects.toBeInstanceOf(KctopError);
		await expect(fetching).rejects.toMatchObject({kind: 'connection', source: 'prometheus', isRetryable: true});
	});

	it('wraps a non-KctopError failure into a one-line KctopError', async () => {
		const client = fakeClient(() => {
			throw new TypeError('boom\nsecond line');
		});
		await expect(createPrometheusSource({client, profile: defaultProfile, ...options}).fetch(0)).rejects.toMatchObject({
			name: 'KctopError',
			source: 'prometheus',
			message: 'Prometheus query failed: boom second line',
		});
	});

	it('makes the same number of queries for 1 and for 1,000 connectors', async () => {
		const countFor = async (connectors: number): Promise<{queries: number; rows: number}> => {
			const client = fakeClient(() => ({
				samples: Array.from({length: connectors}, (_, index) => ({labels: {connector: `c-${index}`}, value: index})),
				warnings: [],
			}));
			const fetched = await createPrometheusSource({client, profile: defaultProfile, ...options}).fetch(0);
			return {queries: client.calls.length, rows: fetched.results.get('recordErrors')?.length ?? 0};
		};

		const one = await countFor(1);
		const many = await countFor(1000);
		expect(one).toEqual({queries: metricCount + timedCount, rows: 1});
		expect(many).toEqual({queries: metricCount + timedCount, rows: 1000});
	});

	it('passes the abort signal to every query', async () => {
		const controller = new AbortController();
		const client = fakeClient(() => ({samples: [], warnings: []}));
		await createPrometheusSource({client, profile: defaultProfile, ...options}).fetch(0, controller.signal);
		expect(client.calls.every((call) => call.options['signal'] === controller.signal)).toBe(true);
	});

	it('fails at creation on an invalid rate window, not on every refresh', () => {
		expect(() => createPrometheusSource({client: fakeClient(() => ({samples: [], warnings: []})), profile: defaultProfile, rateWindow: 'soon'})).toThrow(KctopError);
	});

	it('closes the client and keeps a given description', async () => {
		const client = fakeClient(() => ({samples: [], warnings: []}));
		const source = createPrometheusSource({client, profile: defaultProfile, ...options, description: 'prod Prometheus'});
		expect(source.description).toBe('prod Prometheus');
		await source.close();
		expect(client.closed).toBe(true);
	});
});

describe('createPrometheusSource.fetchHistory', () => {
	it('runs one query_range per history metric over [now − window, now] with the instant PromQL', async () => {
		const client = fakeClient(
			() => ({samples: [], warnings: []}),
			(promql) => ({
				series: promql === promqlOf('sinkLag') ? [rangeSeries({connector: 'q:s'}, [[1000, 5], [2000, Number.NaN]])] : [],
				warnings: [],
			}),
		);
		const history = await createPrometheusSource({client, profile: defaultProfile, ...options}).fetchHistory(600_000, 300_000, 15_000);
		expect(client.calls.map((call) => call.promql).sort()).toEqual(historyMetricIds.map(promqlOf).sort());
		expect(client.calls.every((call) => call.kind === 'range' && call.options['start'] === 300_000 && call.options['end'] === 600_000 && call.options['stepMs'] === 15_000)).toBe(true);
		expect([...history.keys()].sort()).toEqual([...historyMetricIds].sort());
		expect(history.get('sinkLag')).toEqual([rangeSeries({connector: 'q:s'}, [[1000, 5], [2000, Number.NaN]])]);
	});

	it('asks at the workers\' scrape interval when the targets API says it is longer than the refresh, and says so on each series', async () => {
		const targets = [
			{scrapeIntervalMs: 15_000, labels: {job: 'kafka-connect', instance: 'w1:9404'}, up: true},
			{scrapeIntervalMs: 30_000, labels: {job: 'kafka-connect', instance: 'w2:9404'}, up: true},
			// Not a worker (the job does not match upMatchers): its 5 s does not count.
			{scrapeIntervalMs: 5_000, labels: {job: 'node', instance: 'host:9100'}, up: true},
		];
		const withTargets = (): FakeClient => ({
			...fakeClient(
				() => ({samples: [], warnings: []}),
				() => ({series: [rangeSeries({connector: 'q:s'}, [[300_000, 5], [315_000, 6]])], warnings: []}),
			),
			async targets() {
				return targets;
			},
		});
		const client = withTargets();
		const history = await createPrometheusSource({client, profile: defaultProfile, ...options}).fetchHistory(600_000, 300_000, 2_000);
		expect(client.calls.filter((call) => call.kind === 'range').every((call) => call.options['stepMs'] === 15_000)).toBe(true);
		expect(history.get('sinkLag')?.[0]?.stepMs).toBe(15_000);

		// A refresh interval longer than the scrapes keeps its own step, and the series say nothing.
		const slow = withTargets();
		const slower = await createPrometheusSource({client: slow, profile: defaultProfile, ...options}).fetchHistory(600_000, 300_000, 60_000);
		expect(slow.calls.length).toBeGreaterThan(0);
		expect(slow.calls.every((call) => call.options['stepMs'] === 60_000)).toBe(true);
		expect(slower.get('sinkLag')?.[0]?.stepMs).toBeUndefined();
	});

	it('asks at the refresh interval when the targets API is missing or fails', async () => {
		const client = {
			...fakeClient(
				() => ({samples: [], warnings: []}),
				() => ({series: [], warnings: []}),
			),
			async targets(): Promise<never> {
				throw new KctopError({kind: 'http', source: 'prometheus', status: 404, message: 'not found'});
			},
		};
		await createPrometheusSource({client, profile: defaultProfile, ...options}).fetchHistory(600_000, 300_000, 2_000);
		expect(client.calls.filter((call) => call.kind === 'range').every((call) => call.options['stepMs'] === 2_000)).toBe(true);
	});

	it('leaves out a failed history metric, and throws when all fail', async () => {
		const partly = fakeClient(
			() => ({samples: [], warnings: []}),
			(promql) => {
				if (promql === promqlOf('recordRate')) throw refused();
				return {series: [], warnings: []};
			},
		);
		const history = await createPrometheusSource({client: partly, profile: defaultProfile, ...options}).fetchHistory(0, 1000, 100);
		expect(history.has('recordRate')).toBe(false);
		expect(history.size).toBe(historyMetricIds.length - 1);

		const down = fakeClient(
			() => ({samples: [], warnings: []}),
			() => {
				throw refused();
			},
		);
		await expect(createPrometheusSource({client: down, profile: defaultProfile, ...options}).fetchHistory(0, 1000, 100)).rejects.toMatchObject({kind: 'connection'});
	});
});

describe('profile detection in Prometheus mode', () => {
	const strimziNames = ['up', 'kafka_connect_worker_connector_count', 'kafka_connect_connector_task_status', 'kafka_connect_task_error_total_record_errors'];

	it('detects once before the first queries, shared by fetch and fetchHistory, and queries with the detected profile', async () => {
		const client = fakeClient(
			(promql) => ({samples: promql.includes('kafka_connect_task_error_total_record_errors') ? [{labels: {connector: 'my-sink'}, value: 2}] : [], warnings: []}),
			() => ({series: [], warnings: []}),
			() => strimziNames,
		);
		const source = createPrometheusSource({client, profile: profiles, ...options});
		const [fetched] = await Promise.all([source.fetch(0), source.fetchHistory(0, 1000, 100)]);
		expect(client.labelCalls).toHaveLength(1);
		expect(fetched.profile?.profile).toBe(strimziProfile);
		expect(fetched.profile?.detected).toBe(true);
		expect(fetched.profile?.resolved).toEqual(['workerUp', 'workerConnectorCount', 'taskStatus', 'recordErrors']);
		expect(fetched.results.get('recordErrors')).toEqual([{labels: {connector: 'my-sink'}, value: 2}]);
		const strimziErrors = strimziProfile.metrics.recordErrors;
		expect(strimziErrors && client.calls.some((call) => call.promql === toPromQL(strimziErrors, options))).toBe(true);

		// Settled on Connect series: the next refresh asks no more.
		await source.fetch(1000);
		expect(client.labelCalls).toHaveLength(1);
	});

	it('sends the start-up range query beside the detection call, and again only when detection picks another profile', async () => {
		for (const [names, expected] of [
			[['up', 'kafka_connect_worker_connector_count', 'kafka_connect_task_status', 'kafka_connect_task_record_errors_total'], kctopProfile],
			[strimziNames, strimziProfile],
		] as const) {
			let answerNames: (names: readonly string[]) => void = () => {};
			const detected = new Promise<readonly string[]>(resolve => {
				answerNames = resolve;
			});
			const client = fakeClient(() => ({samples: [], warnings: []}), () => ({series: [], warnings: []}), async () => detected);
			const source = createPrometheusSource({client, profile: profiles, ...options});
			const history = source.fetchHistory(0, 1000, 100);
			await vi.waitFor(() => {
				expect(client.calls.filter(call => call.kind === 'range').length).toBeGreaterThan(0);
			});
			expect(client.labelCalls).toHaveLength(1); // detection still unanswered
			answerNames(names);
			await history;
			const ranges = client.calls.filter(call => call.kind === 'range').map(call => call.promql);
			const expectedRanges = historyMetricIds.flatMap(id => {
				const definition = expected.metrics[id];
				return definition === undefined ? [] : [toPromQL(definition, options)];
			});
			// The first candidate (the built-in profile) was right: one round of range queries; otherwise a second with the detected profile's names.
			if (expected === kctopProfile) expect([...ranges].sort()).toEqual([...expectedRanges].sort());
			else expect(ranges.slice(-expectedRanges.length).sort()).toEqual([...expectedRanges].sort());
			expect(ranges).toHaveLength(expected === kctopProfile ? expectedRanges.length : 2 * expectedRanges.length);
		}
	});

	it('asks again on the next refresh while nothing but `up` (or Debezium alone) is known', async () => {
		let names: readonly string[] = ['up'];
		const client = fakeClient(() => ({samples: [], warnings: []}), undefined, () => names);
		const source = createPrometheusSource({client, profile: profiles, ...options});
		expect((await source.fetch(0)).profile?.profile).toBe(kctopProfile);
		names = ['up', 'debezium_metrics_Connected'];
		expect((await source.fetch(1)).profile?.resolved).toEqual(['workerUp', 'dbzConnected']);
		names = ['up', 'kafka_connect_connect_worker_metrics_connector_count'];
		expect((await source.fetch(2)).profile?.profile).toBe(catchAllProfile);
		await source.fetch(3);
		expect(client.labelCalls).toHaveLength(3);
	});

	it('fails the refresh while Prometheus cannot be reached, and falls back to the first candidate when label values are refused for good', async () => {
		const unreachable = fakeClient(() => ({samples: [], warnings: []}), undefined, () => {
			throw refused();
		});
		await expect(createPrometheusSource({client: unreachable, profile: profiles, ...options}).fetch(0)).rejects.toMatchObject({kind: 'connection'});
		expect(unreachable.calls).toHaveLength(0);

		const refusing = fakeClient(() => ({samples: [], warnings: []}), undefined, () => {
			throw new KctopError({kind: 'http', source: 'prometheus', status: 404, message: 'HTTP 404 Not Found'});
		});
		const fetched = await createPrometheusSource({client: refusing, profile: profiles, ...options}).fetch(0);
		expect(fetched.profile?.profile).toBe(kctopProfile);
		expect(fetched.warnings).toContain('profile detection failed: HTTP 404 Not Found');
		expect(valueCalls(refusing.calls)).toHaveLength(metricCount);
	});

	it('scores a forced profile without replacing it', async () => {
		const client = fakeClient(() => ({samples: [], warnings: []}), undefined, () => strimziNames);
		const fetched = await createPrometheusSource({client, profile: catchAllProfile, ...options}).fetch(0);
		expect(fetched.profile?.profile).toBe(catchAllProfile);
		expect(fetched.profile?.detected).toBe(false);
		expect(fetched.profile?.resolved).toEqual(['workerUp']);
	});
});

describe('one batched query per refresh', () => {
	const batched = {rateWindow: '1m', upMatchers: [{label: 'job', op: '=~', value: '.*connect.*'}]} as const;
	const tagged = (id: string, labels: Record<string, string>, value: number) => ({labels: {...labels, [metricTagLabel]: id}, value});

	it('reads every logical metric with one instant query and splits the answer by its tag', async () => {
		const client = fakeClient(() => ({
			samples: [tagged('connectorStatus', {connector: 'orders', status: 'running', instance: 'w1:9404'}, 1), tagged('sinkLag', {connector: 'orders'}, 42), {labels: {connector: 'stray'}, value: 7}],
			warnings: ['PromQL info: metric might not be a counter'],
		}));
		const fetched = await createPrometheusSource({client, profile: defaultProfile, ...batched}).fetch(5000);
		expect(client.calls).toHaveLength(1);
		const ids = logicalMetricIds.filter(id => defaultProfile.metrics[id] !== undefined);
		const valueParts = ids.map(id => `label_replace(${promqlOf(id)}, "kctop_metric", "${id}", "", "")`);
		// The values first, then the sample times of the metrics whose age matters, tagged `id:at`: only
		// the rows older than the staleness limit (twice Prometheus's default 1m without a targets API).
		// Joined by `or` in a balanced tree: the parts in order, with only parentheses between them.
		const promql = client.calls[0]?.promql ?? '';
		const offsets = valueParts.map(part => promql.indexOf(part));
		expect(offsets.every(offset => offset >= 0)).toBe(true);
		expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
		expect(promql.indexOf(':at"')).toBeGreaterThan(offsets.at(-1) ?? 0);
		expect(batchedPromQL(ids.map(id => ({id, promql: promqlOf(id)})))).toBe(joinOr(valueParts));
		expect(client.calls[0]?.promql).toContain('label_replace((min by (server, plugin) (timestamp(debezium_connected{context=~"streaming|binlog"}))) < (time() - 120), "kctop_metric", "dbzConnected:at", "", "")');
		expect(client.calls[0]?.promql).toContain(`label_replace(${promqlOf('sinkLag')}, "kctop_metric", "sinkLag", "", "")`);
		expect(fetched.results.get('connectorStatus')).toEqual([{labels: {connector: 'orders', status: 'running', instance: 'w1:9404'}, value: 1}]);
		expect(fetched.results.get('sinkLag')).toEqual([{labels: {connector: 'orders'}, value: 42}]);
		expect(fetched.empty).toContain('recordRate');
		expect(fetched.empty).not.toContain('sinkLag');
		expect(fetched.warnings).toEqual(['PromQL info: metric might not be a counter']);
	});

	it('backfills the history with one range query', async () => {
		const client = fakeClient(
			() => ({samples: [], warnings: []}),
			() => ({series: [rangeSeries({connector: 'orders', [metricTagLabel]: 'sinkLag'}, [[0, 1], [15, 2]])], warnings: []}),
		);
		const history = await createPrometheusSource({client, profile: defaultProfile, ...batched}).fetchHistory(600_000, 300_000, 15_000);
		expect(client.calls.filter(call => call.kind === 'range')).toHaveLength(1);
		expect(history.get('sinkLag')).toEqual([rangeSeries({connector: 'orders'}, [[0, 1], [15, 2]])]);
		expect(history.get('recordRate')).toEqual([]);
	});

	it('falls back to one query per metric, for good and saying so, when Prometheus refuses the batch', async () => {
		const client = fakeClient(promql => {
			if (promql.includes(metricTagLabel)) throw new KctopError({kind: 'http', source: 'prometheus', status: 422, message: '422 Unprocessable Entity: vector cannot contain metrics with the same labelset'});
			return {samples: promql === promqlOf('sinkLag') ? [{labels: {connector: 'orders'}, value: 42}] : [], warnings: []};
		});
		const source = createPrometheusSource({client, profile: defaultProfile, ...batched});
		const first = await source.fetch(0);
		expect(first.results.get('sinkLag')).toEqual([{labels: {connector: 'orders'}, value: 42}]);
		expect(first.warnings.some(warning => warning.startsWith('one query per metric from now on: Prometheus refused the batched query'))).toBe(true);
		const before = client.calls.length;
		await source.fetch(1000);
		expect(client.calls.slice(before).some(call => call.promql.includes(metricTagLabel))).toBe(false);
	});

	it('age-checks values metric by metric too, once the batch was refused: old rows marked, fresh rows left alone', async () => {
		const nowMs = 1_700_000_000_000;
		const sinkLagDefinition = defaultProfile.metrics.sinkLag;
		if (sinkLagDefinition === undefined) throw new Error('no sinkLag');
		const client = fakeClient(promql => {
			if (promql.includes(metricTagLabel)) throw new KctopError({kind: 'http', source: 'prometheus', status: 422, message: '422 Unprocessable Entity: vector cannot contain metrics with the same labelset'});
			if (promql === promqlOf('sinkLag')) return {samples: [{labels: {connector: 'orders'}, value: 42}, {labels: {connector: 'fresh'}, value: 7}], warnings: []};
			// The old-rows query of sinkLag: only 'orders' was last scraped 180 s ago.
			if (promql === `(${timestampPromQL(sinkLagDefinition)}) < (time() - 120)`) return {samples: [{labels: {connector: 'orders'}, value: (nowMs - 180_000) / 1000}], warnings: []};
			return {samples: [], warnings: []};
		});
		const source = createPrometheusSource({client, profile: defaultProfile, ...batched, staleAfterMs: 120_000});
		const fetched = await source.fetch(nowMs);
		expect(fetched.warnings.some(warning => warning.startsWith('one query per metric from now on'))).toBe(true);
		expect(fetched.results.get('sinkLag')).toEqual([{labels: {connector: 'orders'}, value: 42, ageMs: 180_000}, {labels: {connector: 'fresh'}, value: 7}]);
		expect(fetched.stale).toEqual({rows: 1, oldestMs: 180_000, limitMs: 120_000});
	});

	it('fails the refresh, without giving up batching, while Prometheus cannot be reached', async () => {
		let down = true;
		const client = fakeClient(() => {
			if (down) throw refused();
			return {samples: [], warnings: []};
		});
		const source = createPrometheusSource({client, profile: defaultProfile, ...batched});
		await expect(source.fetch(0)).rejects.toMatchObject({kind: 'connection'});
		down = false;
		await source.fetch(1000);
		expect(client.calls.at(-1)?.promql).toContain(metricTagLabel);
	});
});
