import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {parseExposition, parseGoFloat, unquoteJmxValue} from '../../source/clients/scrape/parser.js';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/prom/${name}`, import.meta.url), 'utf8');

describe('parseExposition on real scrapes', () => {
	it('parses the jmx_exporter 0.13.0 excerpt: trailing commas, HELP with MBean names, untyped families', () => {
		const text = fixture('metrics-jmx-exporter-0.13.0-kafka-2.3.1-standalone-es-sink-excerpt.prom');
		const {samples, families, errors} = parseExposition(text);
		expect(errors).toEqual([]);
		// 31 lines: 10 HELP, 10 TYPE, 15 samples? Count the non-comment lines of the file instead of trusting a number.
		const sampleLines = text.split('\n').filter(line => line.trim() !== '' && !line.startsWith('#'));
		expect(samples).toHaveLength(sampleLines.length);
		expect(samples.length).toBeGreaterThan(10);

		expect(samples[0]).toEqual({
			name: 'kafka_connect_sink_task_metrics_put_batch_max_time_ms',
			labels: {connector: 'elasticsearch-sink', task: '0'},
			value: 1,
		});
		const nodeMinus2 = samples.find(sample => sample.labels['node_id'] === 'node--2');
		expect(nodeMinus2).toEqual({
			name: 'kafka_consumer_consumer_node_metrics_outgoing_byte_rate',
			labels: {client_id: 'connector-consumer-elasticsearch-sink-0', node_id: 'node--2'},
			value: 0,
		});
		const rate = samples.find(sample => sample.name === 'kafka_connect_sink_task_metrics_offset_commit_completion_rate');
		expect(rate?.value).toBe(0.10125386030342406);
		const noLabels = samples.find(sample => sample.name === 'kafka_connect_connect_worker_metrics_task_startup_success_percentage');
		expect(noLabels).toEqual({name: 'kafka_connect_connect_worker_metrics_task_startup_success_percentage', labels: {}, value: 0});

		const dlq = families.get('kafka_connect_task_error_metrics_deadletterqueue_produce_requests');
		expect(dlq).toEqual({
			name: 'kafka_connect_task_error_metrics_deadletterqueue_produce_requests',
			type: 'untyped',
			help: 'The number of attempted writes to the dead letter queue. (kafka.connect<type=task-error-metrics, connector=elasticsearch-sink, task=0><>deadletterqueue-produce-requests)',
		});
		expect(families.get('java_lang_g1_young_generation_lastgcinfo_duration')?.help).toContain('java.lang<name=G1 Young Generation, type=GarbageCollector><LastGcInfo>duration');
		// Every sample's family has metadata in this excerpt.
		for (const sample of samples) expect(families.has(sample.name)).toBe(true);
	});

	it('keeps a label value with a comma and a space (Debezium MongoDB, Strimzi rule)', () => {
		const {samples, errors} = parseExposition(fixture('metrics-debezium-mongodb-millisecondsbehindsource-grep-ok.prom'));
		expect(errors).toEqual([]);
		expect(samples).toEqual([
			{
				name: 'debezium_metrics_MilliSecondsBehindSource',
				labels: {context: 'streaming', name: 'dbserver1, task=0', plugin: 'mongodb'},
				value: 85,
			},
		]);
	});
});

describe('parseExposition edge cases', () => {
	it('reads NaN, +Inf, -Inf, exponents and negative values', () => {
		const {samples, errors} = parseExposition(['a NaN', 'b +Inf', 'c -Inf', 'd 3.5E7', 'e -1', 'f 1.5e+06', 'g Inf', 'h nan'].join('\n'));
		expect(errors).toEqual([]);
		const values = samples.map(sample => sample.value);
		expect(values[0]).toBeNaN();
		expect(values.slice(1)).toEqual([Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 35_000_000, -1, 1_500_000, Number.POSITIVE_INFINITY, Number.NaN]);
	});

	it('unescapes \\" \\\\ and \\n in label values and keeps } and , inside them', () => {
		const text = String.raw`m{path="C:\\dir",quote="say \"hi\"",nl="a\nb",odd="x}y,z=\"w\""} 1` + '\n';
		const {samples, errors} = parseExposition(text);
		expect(errors).toEqual([]);
		expect(samples[0]?.labels).toEqual({path: 'C:\\dir', quote: 'say "hi"', nl: 'a\nb', odd: 'x}y,z="w"'});
	});

	it('strips the quotes jmx_exporter copies from quoted MBean values (and can keep them)', () => {
		const text = String.raw`kafka_connect_coordinator_assigned_tasks{client_id="\"connect-10.0.0.1:8083\"",} 4.0` + '\n';
		expect(parseExposition(text).samples[0]?.labels).toEqual({client_id: 'connect-10.0.0.1:8083'});
		expect(parseExposition(text, {unquoteLabelValues: false}).samples[0]?.labels).toEqual({client_id: '"connect-10.0.0.1:8083"'});
	});

	it('reads optional timestamps: ms in 0.0.4, seconds in OpenMetrics', () => {
		const plain = parseExposition('a 1 1700000000123\nb{x="1"} 2\t-5\n');
		expect(plain.errors).toEqual([]);
		expect(plain.samples).toEqual([
			{name: 'a', labels: {}, value: 1, timestamp: 1_700_000_000_123},
			{name: 'b', labels: {x: '1'}, value: 2, timestamp: -5},
		]);
		const open = parseExposition('# TYPE a gauge\na 1 1700000000.5\n# EOF\n');
		expect(open.errors).toEqual([]);
		expect(open.samples).toEqual([{name: 'a', labels: {}, value: 1, timestamp: 1_700_000_000_500}]);
	});

	it('handles # EOF, # UNIT, exemplars, blank lines, CRLF and free comments', () => {
		const text = [
			'# a free comment',
			'',
			'   ',
			'# TYPE requests counter',
			'# UNIT requests_seconds seconds',
			'# HELP requests Requests.\\nSecond line \\\\ done',
			'requests_total{path="/"} 7 # {trace_id="abc"} 1.0',
			'requests_created{path="/"} 1.7e9\r',
			'# EOF',
			'',
		].join('\n');
		const {samples, families, errors} = parseExposition(text);
		expect(errors).toEqual([]);
		expect(samples.map(sample => [sample.name, sample.value])).toEqual([
			['requests_total', 7],
			['requests_created', 1_700_000_000],
		]);
		expect(families.get('requests')).toEqual({name: 'requests', type: 'counter', help: 'Requests.\nSecond line \\ done'});
	});

	it('reports content after # EOF once and stops', () => {
		const {samples, errors} = parseExposition('a 1\n# EOF\nb 2\nc 3\n');
		expect(samples.map(sample => sample.name)).toEqual(['a']);
		expect(errors).toEqual(['line 3: content after # EOF ignored: b 2']);
	});

	it('accepts TYPE untyped/unknown and reports an unknown type or a second TYPE', () => {
		const {families, errors} = parseExposition('# TYPE a untyped\n# TYPE b unknown\n# TYPE c bogus\n# TYPE a gauge\n# TYPE d gauge extra\n');
		expect(families.get('a')?.type).toBe('untyped');
		expect(families.get('b')?.type).toBe('unknown');
		expect(families.has('c')).toBe(false);
		expect(errors).toHaveLength(3);
		expect(errors[0]).toMatch(/^line 3: unknown metric type "bogus"/);
		expect(errors[1]).toMatch(/^line 4: second # TYPE for a/);
		expect(errors[2]).toMatch(/^line 5: unexpected text after the type/);
	});

	it('reports broken lines with their number and keeps every good line around them', () => {
		const lines = [
			'good_one 1',
			'broken{x= 1',
			'good_two{a="b"} 2',
			'no_value{a="b"}',
			'bad_value 12abc',
			'unterminated{a="b} 3',
			'bad-name 4',
			'dup{a="1",a="2"} 5',
			'{} 6',
			'extra 1 2 3',
			'bad_ts 1 soon',
			'good_three 3',
		];
		const {samples, errors} = parseExposition(lines.join('\n'));
		expect(samples.map(sample => sample.name)).toEqual(['good_one', 'good_two', 'good_three']);
		expect(errors).toHaveLength(9);
		expect(errors.map(error => /^line (\d+):/.exec(error)?.[1])).toEqual(['2', '4', '5', '6', '7', '8', '9', '10', '11']);
		expect(errors[0]).toBe('line 2: expected a quoted value for label x (column 11): broken{x= 1');
		expect(errors[2]).toContain('invalid value "12abc"');
		expect(errors[5]).toContain('duplicate label a');
	});

	it('caps the error list on garbage input without throwing', () => {
		const garbage = Array.from({length: 500}, (_, index) => `<div class="x${index}">`).join('\n');
		const {samples, errors} = parseExposition(garbage, {maxErrors: 10});
		expect(samples).toEqual([]);
		expect(errors).toHaveLength(11);
		expect(errors[10]).toBe('… and 490 more unparseable lines');
	});

	it('accepts quoted UTF-8 metric and label names', () => {
		const {samples, errors} = parseExposition('{"kafka.connect.status", "connector.name"="a b", task="0"} 1\n');
		expect(errors).toEqual([]);
		expect(samples).toEqual([{name: 'kafka.connect.status', labels: {'connector.name': 'a b', task: '0'}, value: 1}]);
	});

	it('does not let a __proto__ label touch the prototype', () => {
		const {samples} = parseExposition('m{__proto__="x"} 1\n');
		const labels = samples[0]?.labels ?? {};
		expect(Object.getPrototypeOf(labels)).toBe(Object.prototype);
		expect(Object.entries(labels)).toEqual([['__proto__', 'x']]);
	});

	it('parses a 100k-line exposition in one pass with every sample intact', () => {
		const lines: string[] = [];
		for (let index = 0; index < 50_000; index++) {
			lines.push(`kafka_connect_connector_task_metrics_batch_size_avg{connector="conn-${index}",task="0",} ${index}.5`);
			lines.push(`debezium_metrics_MilliSecondsBehindSource{context="streaming",name="srv-${index}, task=0",plugin="mysql",} NaN`);
		}
		const {samples, errors} = parseExposition(lines.join('\n'));
		expect(errors).toEqual([]);
		expect(samples).toHaveLength(100_000);
		expect(samples[99_998]).toEqual({
			name: 'kafka_connect_connector_task_metrics_batch_size_avg',
			labels: {connector: 'conn-49999', task: '0'},
			value: 49_999.5,
		});
		expect(samples[99_999]?.labels['name']).toBe('srv-49999, task=0');
	});
});

describe('parseGoFloat', () => {
	it('accepts what Go ParseFloat accepts and rejects the rest', () => {
		expect(parseGoFloat('1.5e+06')).toBe(1_500_000);
		expect(parseGoFloat('-0.25')).toBe(-0.25);
		expect(parseGoFloat('+Inf')).toBe(Number.POSITIVE_INFINITY);
		expect(parseGoFloat('-Inf')).toBe(Number.NEGATIVE_INFINITY);
		expect(parseGoFloat('NaN')).toBeNaN();
		for (const bad of ['', ' 1', '1 ', '0x10', 'abc', '1,5', '1_000', 'Infinit']) expect(parseGoFloat(bad)).toBeUndefined();
	});
});

describe('unquoteJmxValue', () => {
	it('strips ObjectName quoting and its escapes, leaves other values alone', () => {
		expect(unquoteJmxValue('"connect-10.0.0.1:8083"')).toBe('connect-10.0.0.1:8083');
		expect(unquoteJmxValue(String.raw`"a\"b\\c\*d\?e\nf"`)).toBe('a"b\\c*d?e\nf');
		expect(unquoteJmxValue('plain')).toBe('plain');
		expect(unquoteJmxValue('"')).toBe('"');
		expect(unquoteJmxValue('"half')).toBe('"half');
	});
});
