import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {KctopError} from '../../source/clients/errors.js';
import {parseExposition} from '../../source/clients/scrape/parser.js';
import type {ParsedSample} from '../../source/clients/scrape/types.js';
import type {EndpointScrape} from '../../source/metrics/evaluate-samples.js';
import {
	aggregateBy,
	applyRelabel,
	aggregateValues,
	counterRate,
	emptyCounterState,
	evaluateScrapes,
	matchSelector,
} from '../../source/metrics/evaluate-samples.js';
import {defaultProfile} from '../../source/metrics/profiles/default.js';
import type {LogicalMetricId, MetricDefinition, MetricResults, NamingProfile, Sample} from '../../source/metrics/types.js';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/metrics/${name}`, import.meta.url), 'utf8');

function scrape(instance: string, file: string, at: number, unquote = true): EndpointScrape {
	const exposition = parseExposition(fixture(file), {unquoteLabelValues: unquote});
	expect(exposition.errors).toEqual([]);
	return {instance, up: true, samples: exposition.samples, at};
}

function rows(results: MetricResults, id: LogicalMetricId): readonly Sample[] {
	const samples = results.get(id);
	expect(samples, `results for ${id}`).toBeDefined();
	return samples ?? [];
}

/** The value of the one row whose labels are exactly `labels`. */
function valueOf(results: MetricResults, id: LogicalMetricId, labels: Record<string, string>): number | undefined {
	const matching = rows(results, id).filter((sample) => JSON.stringify(Object.entries(sample.labels).sort()) === JSON.stringify(Object.entries(labels).sort()));
	expect(matching.length, `${id} rows with ${JSON.stringify(labels)}`).toBeLessThanOrEqual(1);
	return matching[0]?.value;
}

const w1 = 'connect-1:9404';
const w2 = 'connect-2:9404';
const t0 = 1_700_000_000_000;
const t1 = t0 + 10_000;

describe('evaluateScrapes over two hand-made workers (default profile)', () => {
	const first = evaluateScrapes(defaultProfile, [scrape(w1, 'worker-1-t0.prom', t0), scrape(w2, 'worker-2-t0.prom', t0)], emptyCounterState);
	const second = evaluateScrapes(defaultProfile, [scrape(w1, 'worker-1-t1.prom', t1), scrape(w2, 'worker-2-t1.prom', t1)], first.state);

	it('synthesizes workerUp per endpoint and adds the instance label to worker metrics', () => {
		expect(rows(first.results, 'workerUp')).toEqual([
			{labels: {instance: w1}, value: 1},
			{labels: {instance: w2}, value: 1},
		]);
		expect(valueOf(first.results, 'workerConnectorCount', {instance: w1})).toBe(2);
		expect(valueOf(first.results, 'workerConnectorCount', {instance: w2})).toBe(1);
		expect(valueOf(first.results, 'workerTaskCount', {instance: w2})).toBe(3);
	});

	it('keeps only the by labels and strips JMX quotes from label values', () => {
		expect(rows(first.results, 'connectorStatus')).toEqual([
			{labels: {connector: 'cdc-test-connector', status: 'running', instance: w1}, value: 1},
			{labels: {connector: 'my:sink', status: 'running', instance: w1}, value: 1},
			{labels: {connector: 'cdc-other-connector', status: 'running', instance: w2}, value: 1},
		]);
		expect(valueOf(first.results, 'taskStatus', {connector: 'my:sink', task: '0', status: 'failed', instance: w1})).toBe(1);
		expect(valueOf(first.results, 'dlqWrites', {connector: 'my:sink'})).toBe(6);
	});

	it('takes label values as the client gave them: unquoted once, at the boundary, never again', () => {
		// A connector literally named "q" (quotes included) is exported as "\"q\"": unquoting twice would lose its quotes.
		const literal = evaluateScrapes(defaultProfile, [{instance: w1, up: true, samples: [{name: 'kafka_connect_task_deadletterqueue_produce_requests_total', labels: {connector: '"q"', task: '0'}, value: 2}], at: t0}], emptyCounterState);
		expect(rows(literal.results, 'dlqWrites')).toEqual([{labels: {connector: '"q"'}, value: 2}]);
		const raw = evaluateScrapes(defaultProfile, [scrape(w1, 'worker-1-t0.prom', t0, false)], emptyCounterState);
		expect(valueOf(raw.results, 'dlqWrites', {connector: '"my:sink"'})).toBe(6);
	});

	it('applies the selector matchers (streaming context only, snapshot context for snapshot running)', () => {
		expect(valueOf(first.results, 'dbzMsBehindSource', {server: 'test'})).toBe(1500);
		expect(valueOf(second.results, 'dbzMsBehindSource', {server: 'test'})).toBe(400);
		expect(valueOf(first.results, 'dbzMsBehindSource', {server: 'other'})).toBe(-1);
		expect(valueOf(first.results, 'dbzConnected', {server: 'test', plugin: 'mysql'})).toBe(1);
		expect(valueOf(first.results, 'dbzConnected', {server: 'other', plugin: 'mysql'})).toBe(0);
		expect(rows(first.results, 'dbzSnapshotRunning')).toEqual([{labels: {server: 'test'}, value: 0}]);
	});

	it('sums across workers and treats NaN like Prometheus (sum → NaN, max skips it)', () => {
		expect(valueOf(first.results, 'recordErrors', {connector: 'cdc-test-connector'})).toBe(7);
		expect(valueOf(first.results, 'recordErrors', {connector: 'my:sink'})).toBeNaN();
		expect(valueOf(first.results, 'recordFailures', {connector: 'cdc-test-connector'})).toBeNaN();
		expect(valueOf(first.results, 'sinkLag', {connector: 'my:sink'})).toBe(42);
		expect(valueOf(first.results, 'dbzErroneousEvents', {server: 'other'})).toBe(2);
	});

	it('has no rate on the first scrape: the rate metrics are empty, not 0', () => {
		expect(rows(first.results, 'recordRate')).toEqual([]);
		expect(rows(first.results, 'dbzEventsRate')).toEqual([]);
		expect(first.empty).toEqual(expect.arrayContaining(['recordRate', 'dbzEventsRate']));
		expect(first.empty).not.toContain('recordErrors');
	});

	it('computes per-series rates and sums them on the second scrape', () => {
		// 1000 → 1600 (streaming) and 500 → 500 (snapshot) over 10 s.
		expect(valueOf(second.results, 'dbzEventsRate', {server: 'test'})).toBe(60);
		// task 0: 5000 → 6000, task 1: 100 → 300, over 10 s.
		expect(valueOf(second.results, 'recordRate', {connector: 'cdc-test-connector'})).toBe(120);
		// task 0: 700 → 800; task 1's counter is new this scrape and adds nothing yet.
		expect(valueOf(second.results, 'recordRate', {connector: 'my:sink'})).toBe(10);
		expect(second.empty).not.toContain('recordRate');
	});

	it('counts a counter reset as an increase from zero', () => {
		// 200 → 50 over 10 s: the connector restarted; Prometheus counts 50 / 10 s.
		expect(valueOf(second.results, 'dbzEventsRate', {server: 'other'})).toBe(5);
	});

	it('lists as empty the metrics nobody exports', () => {
		const onlyWorker2 = evaluateScrapes(defaultProfile, [scrape(w2, 'worker-2-t0.prom', t0)], emptyCounterState);
		expect(onlyWorker2.empty).toEqual(expect.arrayContaining(['dbzSnapshotRunning', 'dlqWrites', 'recordRate']));
		expect(onlyWorker2.results.get('dlqWrites')).toEqual([]);
	});
});

describe('evaluateScrapes with a failed endpoint', () => {
	it('reports workerUp 0, ignores its samples and resumes its rates when it is back', () => {
		const a = evaluateScrapes(defaultProfile, [scrape(w1, 'worker-1-t0.prom', t0), scrape(w2, 'worker-2-t0.prom', t0)], emptyCounterState);
		const down = evaluateScrapes(defaultProfile, [scrape(w1, 'worker-1-t1.prom', t1), {instance: w2, up: false, samples: [], at: t1}], a.state);
		expect(valueOf(down.results, 'workerUp', {instance: w2})).toBe(0);
		expect(valueOf(down.results, 'workerUp', {instance: w1})).toBe(1);
		expect(valueOf(down.results, 'dbzEventsRate', {server: 'other'})).toBeUndefined();
		expect(valueOf(down.results, 'workerConnectorCount', {instance: w2})).toBeUndefined();
		// Back 20 s after its last good scrape: 200 → 50 is a reset, 50 / 20 s.
		const back = evaluateScrapes(defaultProfile, [scrape(w1, 'worker-1-t1.prom', t1 + 10_000), scrape(w2, 'worker-2-t1.prom', t1 + 10_000)], down.state);
		expect(valueOf(back.results, 'dbzEventsRate', {server: 'other'})).toBe(2.5);
	});

	it('forgets counters of series that disappeared from a live endpoint', () => {
		const a = evaluateScrapes(defaultProfile, [scrape(w2, 'worker-2-t0.prom', t0)], emptyCounterState);
		const gone = evaluateScrapes(defaultProfile, [{instance: w2, up: true, samples: [], at: t1}], a.state);
		expect(gone.state.size).toBe(0);
		expect(a.state.size).toBeGreaterThan(0);
	});
});

const sample = (name: string, labels: Record<string, string>, value: number, timestamp?: number): ParsedSample =>
	timestamp === undefined ? {name, labels, value} : {name, labels, value, timestamp};

function profileWith(definition: MetricDefinition): NamingProfile {
	return {...defaultProfile, metrics: {[definition.id]: definition}};
}

describe('PromQL semantics in detail', () => {
	it('takes, per group, the first alternative that has data (like `a or b`)', () => {
		const definition: MetricDefinition = {
			id: 'recordRate',
			entity: 'connector',
			series: [{name: 'written_total'}, {name: 'read_total'}],
			kind: 'counter',
			transform: 'value',
			aggregate: 'sum',
			by: ['connector'],
		};
		const samples = [sample('written_total', {connector: 'both'}, 1), sample('read_total', {connector: 'both'}, 100), sample('read_total', {connector: 'sink'}, 7)];
		const {results} = evaluateScrapes(profileWith(definition), [{instance: 'w:1', up: true, samples, at: t0}], emptyCounterState);
		expect(results.get('recordRate')).toEqual([
			{labels: {connector: 'both'}, value: 1},
			{labels: {connector: 'sink'}, value: 7},
		]);
	});

	it('leaves a by label out of the group when the series lacks it or has it empty', () => {
		const groups = aggregateBy('sum', ['connector', 'task'], [
			{labels: {connector: 'a', task: '0'}, value: 1},
			{labels: {connector: 'a'}, value: 2},
			{labels: {connector: 'a', task: ''}, value: 3},
			{labels: {task: '1'}, value: 4},
		]);
		expect([...groups.values()]).toEqual([
			{labels: {connector: 'a', task: '0'}, value: 1},
			{labels: {connector: 'a'}, value: 5},
			{labels: {task: '1'}, value: 4},
		]);
	});

	it('aggregates NaN and infinities like Prometheus', () => {
		expect(aggregateValues('max', [Number.NaN, 3, 1])).toBe(3);
		expect(aggregateValues('min', [Number.NaN, 3, 1])).toBe(1);
		expect(aggregateValues('max', [Number.NaN, Number.NaN])).toBeNaN();
		expect(aggregateValues('sum', [1, Number.NaN])).toBeNaN();
		expect(aggregateValues('sum', [1, Number.POSITIVE_INFINITY])).toBe(Number.POSITIVE_INFINITY);
		expect(aggregateValues('max', [Number.NEGATIVE_INFINITY, -5])).toBe(-5);
		expect(aggregateValues('sum', [])).toBeUndefined();
	});

	it('anchors regex matchers fully and treats a missing label as empty', () => {
		const selector = {name: 'm', matchers: [{label: 'context', op: '=~', value: 'streaming|binlog'}]} as const;
		expect(matchSelector(selector, 'm', {context: 'streaming'})).toBe(true);
		expect(matchSelector(selector, 'm', {context: 'binlog'})).toBe(true);
		expect(matchSelector(selector, 'm', {context: 'streaming-2'})).toBe(false);
		expect(matchSelector(selector, 'm', {context: 'pre-binlog'})).toBe(false);
		expect(matchSelector(selector, 'other', {context: 'streaming'})).toBe(false);
		expect(matchSelector({name: 'm', matchers: [{label: 'job', op: '=', value: ''}]}, 'm', {})).toBe(true);
		expect(matchSelector({name: 'm', matchers: [{label: 'job', op: '!~', value: '.+'}]}, 'm', {})).toBe(true);
		expect(matchSelector({name: 'm', matchers: [{label: 'job', op: '!=', value: 'x'}]}, 'm', {job: 'x'})).toBe(false);
		expect(matchSelector({name: 'm', matchers: [{label: 'n', op: '=~', value: 'a.b'}]}, 'm', {n: 'a\nb'})).toBe(true);
	});

	it('reports a regex JavaScript cannot compile as a config KctopError', () => {
		expect(() => matchSelector({name: 'm', matchers: [{label: 'a', op: '=~', value: '(unclosed'}]}, 'm', {a: 'x'})).toThrow(KctopError);
	});

	it('computes rates from explicit timestamps when the exposition has them', () => {
		const definition = defaultProfile.metrics.dbzEventsRate;
		expect(definition).toBeDefined();
		if (definition === undefined) return;
		const name = 'debezium_total_number_of_events_seen';
		const a = evaluateScrapes(profileWith(definition), [{instance: 'w:1', up: true, samples: [sample(name, {server: 's'}, 10, 1000)], at: 99_999}], emptyCounterState);
		const b = evaluateScrapes(profileWith(definition), [{instance: 'w:1', up: true, samples: [sample(name, {server: 's'}, 30, 5000)], at: 99_999}], a.state);
		expect(b.results.get('dbzEventsRate')).toEqual([{labels: {server: 's'}, value: 5}]);
	});

	it('keeps an exported instance label as exported_instance and sets instance to the target', () => {
		const definition: MetricDefinition = {id: 'workerTaskCount', entity: 'worker', series: [{name: 'tasks'}], kind: 'gauge', transform: 'value', aggregate: 'max', by: ['instance', 'exported_instance']};
		const {results} = evaluateScrapes(profileWith(definition), [{instance: 'w:1', up: true, samples: [sample('tasks', {instance: 'inner'}, 3)], at: t0}], emptyCounterState);
		expect(results.get('workerTaskCount')).toEqual([{labels: {instance: 'w:1', exported_instance: 'inner'}, value: 3}]);
	});

	it('gives no rate without elapsed time, and NaN through a NaN counter', () => {
		expect(counterRate({value: 5, at: 1000}, undefined)).toBeUndefined();
		expect(counterRate({value: 5, at: 1000}, {value: 1, at: 1000})).toBeUndefined();
		expect(counterRate({value: 9, at: 3000}, {value: 1, at: 1000})).toBe(4);
		expect(counterRate({value: 2, at: 3000}, {value: 9, at: 1000})).toBe(1);
		expect(counterRate({value: Number.NaN, at: 3000}, {value: 1, at: 1000})).toBeNaN();
	});

});

describe('evaluation over real scrapes', () => {
	const debezium = parseExposition(fixture('metrics-debezium-mongodb-millisecondsbehindsource-grep-ok.prom'));
	const esSink = parseExposition(fixture('metrics-jmx-exporter-0.13.0-kafka-2.3.1-standalone-es-sink-excerpt.prom'));

	it('parses both without errors', () => {
		expect(debezium.errors).toEqual([]);
		expect(esSink.errors).toEqual([]);
		expect(esSink.samples.length).toBeGreaterThan(10);
	});

	it('reads the Strimzi-named Debezium lag with a profile written for those names', () => {
		const definition: MetricDefinition = {
			id: 'dbzMsBehindSource',
			entity: 'dbz-server',
			series: [{name: 'debezium_metrics_MilliSecondsBehindSource', matchers: [{label: 'context', op: '=~', value: 'streaming|binlog'}]}],
			kind: 'gauge',
			transform: 'value',
			aggregate: 'max',
			by: ['name', 'plugin'],
		};
		const {results} = evaluateScrapes(profileWith(definition), [{instance: 'localhost:9404', up: true, samples: debezium.samples, at: t0}], emptyCounterState);
		expect(results.get('dbzMsBehindSource')).toEqual([{labels: {name: 'dbserver1, task=0', plugin: 'mongodb'}, value: 85}]);
	});

	it('sums and filters the real consumer node series (anchored regex excludes node--2)', () => {
		const definition: MetricDefinition = {
			id: 'sinkLag',
			entity: 'connector',
			series: [{name: 'kafka_consumer_consumer_node_metrics_outgoing_byte_rate', matchers: [{label: 'node_id', op: '=~', value: 'node-\\d+'}]}],
			kind: 'gauge',
			transform: 'value',
			aggregate: 'sum',
			by: ['client_id'],
		};
		const {results} = evaluateScrapes(profileWith(definition), [{instance: 'localhost:8080', up: true, samples: esSink.samples, at: t0}], emptyCounterState);
		const only = results.get('sinkLag')?.[0];
		expect(results.get('sinkLag')).toHaveLength(1);
		expect(only?.labels).toEqual({client_id: 'connector-consumer-elasticsearch-sink-0'});
		expect(only?.value).toBeCloseTo(583.7583041596604 + 551.6166430503672 + 79.27704986853443 + 558.144991006491, 9);
	});

	it('finds none of the default profile series in a catch-all-rules scrape: n/a, never a wrong number', () => {
		const {results, empty} = evaluateScrapes(defaultProfile, [{instance: 'localhost:8080', up: true, samples: esSink.samples, at: t0}], emptyCounterState);
		const ids = Object.keys(defaultProfile.metrics).filter((id) => id !== 'workerUp');
		expect(empty).toHaveLength(ids.length);
		expect(results.get('workerUp')).toEqual([{labels: {instance: 'localhost:8080'}, value: 1}]);
	});
});

describe('label_replace and name regexes, as PromQL does them', () => {
	it('leaves a series unchanged when the regex does not match the whole value, and removes the label on an empty result', () => {
		const step = {target: 'connector', source: 'client_id', regex: 'connector-consumer-(.+)-[0-9]+'};
		expect(applyRelabel({client_id: 'connector-consumer-my-sink-12'}, [step])).toEqual({client_id: 'connector-consumer-my-sink-12', connector: 'my-sink'});
		expect(applyRelabel({client_id: 'consumer-app-1', connector: 'kept'}, [step])).toEqual({client_id: 'consumer-app-1', connector: 'kept'});
		expect(applyRelabel({client_id: 'xconnector-consumer-a-1'}, [step])).toEqual({client_id: 'xconnector-consumer-a-1'});
		expect(applyRelabel({name: 'a', server: 'old'}, [{target: 'server', source: 'missing', regex: '(.*)'}])).toEqual({name: 'a'});
		expect(applyRelabel({a: 'x-y'}, [{target: 'b', source: 'a', regex: '(.)-(.)', replacement: '${2}$1'}])).toEqual({a: 'x-y', b: 'yx'});
	});

	it('relabels from the metric name for value metrics, and after rate() (no name) for rates', () => {
		const definition = (transform: 'value' | 'rate'): MetricDefinition => ({
			id: transform === 'value' ? 'dbzConnected' : 'dbzEventsRate',
			entity: 'dbz-server',
			series: [{name: 'debezium_[a-z_]+_connector_metrics_Seen', nameRegex: true, relabel: [{target: 'plugin', source: '__name__', regex: 'debezium_(.+)_connector_metrics_.+'}]}],
			kind: 'gauge',
			transform,
			aggregate: 'max',
			by: ['server', 'plugin'],
		});
		const profile = (transform: 'value' | 'rate'): NamingProfile => ({...defaultProfile, metrics: {[transform === 'value' ? 'dbzConnected' : 'dbzEventsRate']: definition(transform)}});
		const scrape = (value: number, at: number) => [{instance: 'w:1', up: true, at, samples: [{name: 'debezium_sql_server_connector_metrics_Seen', labels: {server: 's'}, value}, {name: 'debezium_mysql_connector_metrics_Other', labels: {server: 's'}, value: 9}]}];
		expect(evaluateScrapes(profile('value'), scrape(1, 0), emptyCounterState).results.get('dbzConnected')).toEqual([{labels: {server: 's', plugin: 'sql_server'}, value: 1}]);
		const first = evaluateScrapes(profile('rate'), scrape(10, 0), emptyCounterState);
		expect(evaluateScrapes(profile('rate'), scrape(30, 10_000), first.state).results.get('dbzEventsRate')).toEqual([{labels: {server: 's'}, value: 2}]);
	});
});
