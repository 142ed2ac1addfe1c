import {readdirSync, readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {isKctopError} from '../../source/clients/errors.js';
import {defaultProfile} from '../../source/metrics/profiles/default.js';
import type {LabelMatcher} from '../../source/metrics/types.js';
import {expositionContentType, renderExposition} from '../../source/demo/jmx/exposition.js';
import {
	connectorMBean,
	connectorTaskMBeans,
	coordinatorMBean,
	debeziumProperties,
	debeziumRowsScannedMBean,
	debeziumSnapshotMBean,
	debeziumStreamingMBean,
	jmxSanitize,
	objectNameOf,
	referenceMBeans,
	sinkConsumerMBeans,
	sinkTaskMBeans,
	sourceTaskMBeans,
	workerConnectorMBean,
	workerMBean,
} from '../../source/demo/jmx/mbeans.js';
import {
	applyRules,
	javaDoubleToString,
	loadRepoJmxConfig,
	parseJavaDouble,
	parseJmxConfig,
	safeName,
	sanitizeMetricName,
	toSnakeAndLowerCase,
} from '../../source/demo/jmx/rules.js';
import type {ExportedSample, MBean} from '../../source/demo/jmx/types.js';
import {readDerivedTable} from './derived-tables.js';

const fixtures = new URL('../fixtures/mbeans/', import.meta.url);
const rulesFile = (name: string): string => readFileSync(new URL(`exporter-rules/${name}`, fixtures), 'utf8');

function labelsOf(sample: ExportedSample): Record<string, string> {
	return Object.fromEntries(sample.labels);
}

function one(config: string, bean: MBean): ExportedSample[] {
	return applyRules(parseJmxConfig(config), [bean]);
}

const mysqlStreaming = debeziumStreamingMBean({plugin: 'mysql', server: 'dbserver1'}, {MilliSecondsBehindSource: 250});

function only(bean: MBean, attribute: string): MBean {
	const value = bean.attributes[attribute];
	if (value === undefined) throw new Error(`${objectNameOf(bean)} has no ${attribute}`);
	return {...bean, attributes: {[attribute]: value}};
}

function configError(run: () => unknown): {kind: string; message: string} {
	try {
		run();
	} catch (error) {
		if (isKctopError(error)) return {kind: error.kind, message: error.message};
		throw error;
	}
	throw new Error('expected a KctopError');
}

describe('jmx_exporter semantics (reference §3.1–3.4)', () => {
	it('a trailing greedy (.+) captures ": value" into the name', () => {
		const samples = one(rulesFile('adhoc-debezium_mysql_ctx.yml'), only(mysqlStreaming, 'MilliSecondsBehindSource'));
		expect(samples.map((s) => s.name)).toEqual(['debezium_mysql_streaming_millisecondsbehindsource:_250']);
		expect(samples[0]?.labels).toEqual([['server', 'dbserver1']]);
	});

	it('the corrected rule ending on ":" names the attribute only', () => {
		const samples = one(rulesFile('adhoc-debezium_mysql_ctx_fixed.yml'), only(mysqlStreaming, 'MilliSecondsBehindSource'));
		expect(samples).toHaveLength(1);
		expect(samples[0]?.name).toBe('debezium_mysql_streaming_MilliSecondsBehindSource');
		expect(samples[0]?.value).toBe(250);
	});

	it('an alternation takes the first alternative that fits a prefix (active-count-max collapses), and 1.x adds _objectname on the collision', () => {
		const sink = referenceMBeans().find((b) => objectNameOf(b) === 'kafka.connect:type=sink-task-metrics,connector=my-sink,task=0');
		expect(sink).toBeDefined();
		if (sink === undefined) return;
		const config = rulesFile('strimzi-metrics-config.yml');
		expect(one(config, only(sink, 'sink-record-active-count-max')).map((s) => s.name)).toEqual(['kafka_connect_sink_task_sink_record_active_count']);
		const all = one(config, {...sink, attributes: {'sink-record-active-count': 1, 'sink-record-active-count-max': 5, 'sink-record-active-count-avg': 2}});
		expect(all).toHaveLength(3);
		expect(new Set(all.map((s) => s.name))).toEqual(new Set(['kafka_connect_sink_task_sink_record_active_count']));
		expect(all.map((s) => labelsOf(s)._objectname)).toEqual([
			'kafka.connect<type=sink-task-metrics, connector=my-sink, task=0><>sink-record-active-count',
			'kafka.connect<type=sink-task-metrics, connector=my-sink, task=0><>sink-record-active-count-avg',
			'kafka.connect<type=sink-task-metrics, connector=my-sink, task=0><>sink-record-active-count-max',
		]);
	});

	it('default format: domain_firstValue_attr, the other properties as labels in bean order', () => {
		const catchAll = rulesFile('default-catchall.yml');
		const task = referenceMBeans().find((b) => objectNameOf(b) === 'kafka.connect:type=connector-task-metrics,connector=my-source,task=0');
		if (task === undefined) throw new Error('missing bean');
		const [batch] = one(catchAll, only(task, 'batch-size-avg'));
		expect(batch?.name).toBe('kafka_connect_connector_task_metrics_batch_size_avg');
		expect(batch?.labels).toEqual([
			['connector', 'my-source'],
			['task', '0'],
		]);
		const [lag] = one(catchAll, only(mysqlStreaming, 'MilliSecondsBehindSource'));
		expect(lag?.name).toBe('debezium_mysql_connector_metrics_MilliSecondsBehindSource');
		expect(labelsOf(lag!)).toEqual({context: 'streaming', server: 'dbserver1'});
		const sqlServer = debeziumStreamingMBean({plugin: 'sql_server', server: 's', task: 0, database: 'testDB'}, {MilliSecondsBehindSource: 3});
		const [ss] = one(catchAll, only(sqlServer, 'MilliSecondsBehindSource'));
		expect(ss?.name).toBe('debezium_sql_server_connector_metrics_MilliSecondsBehindSource');
		expect(labelsOf(ss!)).toEqual({server: 's', task: '0', context: 'streaming', database: 'testDB'});
		const [rows] = one(catchAll, debeziumRowsScannedMBean({plugin: 'mysql', server: 's'}, 'inventory.customers', 4));
		expect(rows?.name).toBe('debezium_mysql_connector_metrics_RowsScanned');
		expect(labelsOf(rows!)).toEqual({context: 'snapshot', server: 's', key: 'inventory.customers'});
		expect(rows?.type).toBe('untyped');
	});

	it('1.x strips _total/_info from every name and appends _total to COUNTER samples only', () => {
		const source = referenceMBeans().find((b) => objectNameOf(b) === 'kafka.connect:type=source-task-metrics,connector=my-source,task=0');
		if (source === undefined) throw new Error('missing bean');
		expect(one(rulesFile('default-catchall.yml'), only(source, 'source-record-poll-total')).map((s) => s.name)).toEqual(['kafka_connect_source_task_metrics_source_record_poll']);
		const rule = (type: string): string => `rules:\n  - pattern: 'kafka.connect<type=connect-worker-metrics><>([a-z-]+):'\n    name: w_$1_info_total\n${type}`;
		const bean = only(workerMBean({'task-startup-attempts-total': 3}), 'task-startup-attempts-total');
		// w_task-startup-attempts-total_info_total: _total, _info and _total again are stripped
		const [untyped] = one(rule(''), bean);
		expect(untyped).toMatchObject({name: 'w_task_startup_attempts', family: 'w_task_startup_attempts', type: 'untyped', value: 3});
		const [gauge] = one(rule('    type: GAUGE\n').replace('w_$1_info_total', 'w_$1_info'), bean);
		expect(gauge).toMatchObject({name: 'w_task_startup_attempts', type: 'gauge'});
		const [counter] = one(rule('    type: COUNTER\n'), bean);
		expect(counter).toMatchObject({name: 'w_task_startup_attempts_total', family: 'w_task_startup_attempts_total', type: 'counter'});
		expect(sanitizeMetricName('x_total_created_info')).toBe('x');
		expect(sanitizeMetricName('_total')).toBe('total');
		const strimziVersion = referenceMBeans().find((b) => objectNameOf(b) === 'kafka.connect:type=app-info,client-id="connect-10.0.0.1:8083"');
		if (strimziVersion === undefined) throw new Error('missing bean');
		expect(one(rulesFile('strimzi-metrics-config.yml'), only(strimziVersion, 'version')).map((s) => s.name)).toEqual(['kafka_connect_version']);
	});

	it('the untyped name is the same: `_total` is stripped even without a type (0.x would keep it)', () => {
		const samples = one(`rules:\n  - pattern: 'kafka.connect<type=connect-worker-metrics><>(connector-startup-attempts-total):'\n    name: kafka_connect_worker_$1\n`, workerMBean());
		expect(samples.map((s) => s.name)).toEqual(['kafka_connect_worker_connector_startup_attempts']);
	});

	it('quoted property values keep their quotes in labels (default format and $n captures)', () => {
		const coordinator = coordinatorMBean('10.0.0.1:8083', {'assigned-tasks': 4});
		const [fromDefault] = one(rulesFile('default-catchall.yml'), only(coordinator, 'assigned-tasks'));
		expect(labelsOf(fromDefault!)).toEqual({'client_id': '"connect-10.0.0.1:8083"'});
		const [fromRule] = one(rulesFile('strimzi-metrics-config.yml'), only(coordinator, 'assigned-tasks'));
		expect(fromRule?.name).toBe('kafka_connect_coordinator_assigned_tasks');
		expect(labelsOf(fromRule!)).toEqual({clientid: '"connect-10.0.0.1:8083"'});
	});

	it('Booleans export as 1/0 and ignore valueFactor; numbers are multiplied by it', () => {
		const config = `rules:\n  - pattern: 'debezium.mysql<type=connector-metrics, context=streaming, server=([^>]+)><>(Connected|MilliSecondsBehindSource):'\n    name: x_$2\n    valueFactor: 0.001\n`;
		const samples = one(config, debeziumStreamingMBean({plugin: 'mysql', server: 's'}, {Connected: true, MilliSecondsBehindSource: 2500}));
		expect(samples.map((s) => [s.name, s.value])).toEqual([
			['x_Connected', 1],
			['x_MilliSecondsBehindSource', 2.5],
		]);
		const disconnected = one(config, debeziumStreamingMBean({plugin: 'mysql', server: 's'}, {Connected: false}));
		expect(disconnected.find((s) => s.name === 'x_Connected')?.value).toBe(0);
	});

	it('Strings are dropped without value:, and the first matching rule wins (no fall-through)', () => {
		const connector = connectorMBean('c', {'connector-type': 'source', 'connector-class': 'X', 'connector-version': '1', status: 'failed'});
		expect(one(rulesFile('default-catchall.yml'), connector)).toEqual([]);
		const config = `rules:\n  - pattern: 'kafka.connect<type=connector-metrics, connector=(.+)><>status:'\n    name: first\n  - pattern: 'kafka.connect<type=connector-metrics, connector=(.+)><>status: (\\w+)'\n    name: second\n    value: 1\n`;
		expect(one(config, only(connector, 'status'))).toEqual([]);
	});

	it('value: static or $n, parsed like Double.valueOf; an unparsable value drops the attribute', () => {
		const connector = connectorMBean('c', {'connector-type': 'source', 'connector-class': 'X', 'connector-version': '2.5', status: 'running'});
		const fromCapture = one(`rules:\n  - pattern: 'kafka.connect<type=connector-metrics, connector=(.+)><>connector-version: (.+)'\n    name: v\n    value: $2\n    valueFactor: 2\n`, connector);
		expect(fromCapture.map((s) => s.value)).toEqual([5]);
		const notNumber = `rules:\n  - pattern: 'kafka.connect<type=connector-metrics, connector=(.+)><>status: (.+)'\n    name: s\n    value: $2\n  - pattern: '.*'\n`;
		expect(one(notNumber, only(connector, 'status'))).toEqual([]);
		expect(parseJavaDouble(' 1.5d ')).toBe(1.5);
		expect(parseJavaDouble('-Infinity')).toBe(Number.NEGATIVE_INFINITY);
		expect(parseJavaDouble('NaN')).toBeNaN();
		expect(parseJavaDouble('1e3')).toBe(1000);
		expect(parseJavaDouble('running')).toBeUndefined();
		expect(parseJavaDouble('')).toBeUndefined();
	});

	it('labels: sorted keys, $n on both sides, empty names and values dropped, lowercaseOutputLabelNames', () => {
		const config = `lowercaseOutputLabelNames: true\nrules:\n  - pattern: 'kafka.connect<type=connector-metrics, connector=(.+)><>(connector-class|status): (.*)'\n    name: info\n    value: 1\n    labels:\n      Zeta: "z"\n      $2: "$3"\n      empty: ""\n      "": "x"\n      Alpha: "$1"\n`;
		const connector = connectorMBean('c1', {'connector-type': 'source', 'connector-class': 'K', 'connector-version': '1', status: 'paused'});
		const samples = one(config, connector);
		expect(samples.map((s) => s.labels)).toEqual([
			[
				['alpha', 'c1'],
				['connector_class', 'K'],
				['zeta', 'z'],
			],
			[
				['alpha', 'c1'],
				['status', 'paused'],
				['zeta', 'z'],
			],
		]);
	});

	it('safeName, lowercaseOutputName and help', () => {
		expect(safeName('1a--b..c::d')).toBe('_1a_b_c::d');
		expect(safeName('a<>b')).toBe('a_b');
		const config = `lowercaseOutputName: true\nrules:\n  - pattern: 'kafka.connect<type=(connect-worker-metrics)><>(Task-Count|task-count):'\n    name: My.Worker_$1_$2\n    help: "help for $2"\n`;
		const [sample] = one(config, only(workerMBean({'task-count': 3}), 'task-count'));
		expect(sample).toMatchObject({name: 'my_worker_connect_worker_metrics_task_count', help: 'help for task-count', value: 3});
		const [defaultHelp] = one('rules:\n  - pattern: ".*"\n', {domain: 'kafka.connect', properties: [['type', 'x']], attributes: {a: 1}, descriptions: {a: 'The a.'}});
		expect(defaultHelp?.help).toBe('The a. kafka.connect:name=null,type=x,attribute=a');
	});

	it('attrNameSnakeCase converts the attribute as jmx_exporter toSnakeAndLowerCase does, per rule', () => {
		const cases: Array<[string, string]> = [
			['testTest', 'test_test'],
			['testTestTest', 'test_test_test'],
			['test_test', 'test_test'],
			['test1', 'test1'],
			['StartTime_$1_$2', 'start_time_$1_$2'],
			['A', 'a'],
			['AA', 'aa'],
			['TCP', 'tcp'],
			['testTCPTest', 'test_tcptest'],
			['', ''],
			[' ', ' '],
			['testTest\nTest', 'test_test\n_test'],
			['test_Test', 'test_test'],
			['_Test_Test', '_test_test'],
			['MilliSecondsBehindSource', 'milli_seconds_behind_source'],
		];
		for (const [input, expected] of cases) expect(toSnakeAndLowerCase(input)).toBe(expected);
		const bean = only(mysqlStreaming, 'MilliSecondsBehindSource');
		expect(one(`rules:\n  - pattern: '<>(milli_seconds_behind_source):'\n    attrNameSnakeCase: true\n    name: dbz_$1\n`, bean).map((s) => s.name)).toEqual(['dbz_milli_seconds_behind_source']);
		expect(one(`rules:\n  - pattern: '<>(milli_seconds_behind_source):'\n    name: dbz_$1\n`, bean)).toEqual([]);
		expect(one(`rules:\n  - pattern: '.*'\n    attrNameSnakeCase: true\n`, bean).map((s) => s.name)).toEqual(['debezium_mysql_connector_metrics_milli_seconds_behind_source']);
	});

	it('without rules every bean gets the default export; an empty file is an empty config', () => {
		expect(one('lowercaseOutputName: true\n', only(workerMBean({'task-count': 2}), 'task-count'))).toMatchObject([{name: 'kafka_connect_connect_worker_metrics_task_count', value: 2, type: 'untyped'}]);
		expect(one('', only(workerMBean(), 'task-count'))).toHaveLength(1);
	});

	it('rules for one name with different types make it untyped', () => {
		const config = `rules:\n  - pattern: 'kafka.connect<type=connect-worker-metrics><>task-count:'\n    name: same\n    type: GAUGE\n    labels: {a: "1"}\n  - pattern: 'kafka.connect<type=connect-worker-metrics><>connector-count:'\n    name: same\n    type: COUNTER\n    labels: {a: "2"}\n`;
		const samples = one(config, workerMBean());
		expect(samples.map((s) => [s.name, s.type])).toEqual([
			['same', 'untyped'],
			['same', 'untyped'],
		]);
	});

	it('prints values in the match string as Java does (Kafka doubles, Debezium longs, declared longs)', () => {
		const capture = (pattern: string): string => `rules:\n  - pattern: '${pattern}'\n    name: v\n    value: 1\n    labels: {text: "$1"}\n`;
		const text = (config: string, bean: MBean): string | undefined => one(config, bean)[0]?.labels.find(([k]) => k === 'text')?.[1];
		expect(text(capture('<>task-count: (.+)'), workerMBean({'task-count': 2}))).toBe('2.0');
		expect(text(capture('<>time-since-last-rebalance-ms: (.+)'), referenceMBeans()[2]!)).toBe('60000.0');
		expect(text(capture('<>MilliSecondsBehindSource: (.+)'), mysqlStreaming)).toBe('250');
		expect(text(capture('<>Connected: (.+)'), mysqlStreaming)).toBe('true');
		const appInfo = referenceMBeans().find((b) => objectNameOf(b) === 'kafka.connect:type=app-info');
		expect(text(capture('<>start-time-ms: (.+)'), appInfo!)).toBe('1700000000000');
		expect(javaDoubleToString(5)).toBe('5.0');
		expect(javaDoubleToString(0.001)).toBe('0.001');
		expect(javaDoubleToString(1e7)).toBe('1.0E7');
		expect(javaDoubleToString(1.7e12)).toBe('1.7E12');
		expect(javaDoubleToString(1e-4)).toBe('1.0E-4');
		expect(javaDoubleToString(Number.POSITIVE_INFINITY)).toBe('Infinity');
		expect(javaDoubleToString(Number.NaN)).toBe('NaN');
	});

	it('translates Java-only regex syntax (possessive quantifiers, \\Q…\\E, atomic groups)', () => {
		const config = `rules:\n  - pattern: '\\Qkafka.connect<type=\\E(?>connect-worker-metrics)><>([a-z-]++):'\n    name: w_$1\n`;
		expect(one(config, only(workerMBean({'task-count': 1}), 'task-count')).map((s) => s.name)).toEqual(['w_task_count']);
	});

	it('includeObjectNames/excludeObjectNames and the whitelist/blacklist aliases use ObjectName patterns', () => {
		const beans = referenceMBeans();
		const selected = (yaml: string): Set<string> => {
			const config = parseJmxConfig(`${yaml}\nrules:\n  - pattern: '.*'\n    name: x\n    labels: {bean: "$0"}\n`);
			const names = new Set<string>();
			for (const bean of beans) if (applyRules(config, [bean]).length > 0) names.add(objectNameOf(bean));
			return names;
		};
		const exact = selected('includeObjectNames: ["kafka.connect:type=connect-worker-metrics"]');
		expect([...exact]).toEqual(['kafka.connect:type=connect-worker-metrics']);
		const listPattern = selected('whitelistObjectNames: ["kafka.connect:type=connect-worker-metrics,*"]');
		expect([...listPattern].sort()).toEqual(['kafka.connect:type=connect-worker-metrics', 'kafka.connect:type=connect-worker-metrics,connector=my-source']);
		const valueWildcard = selected('includeObjectNames: ["kafka.connect:type=*-task-metrics,*"]');
		expect([...valueWildcard].sort()).toEqual([
			'kafka.connect:type=connector-task-metrics,connector=my-sink,task=0',
			'kafka.connect:type=connector-task-metrics,connector=my-source,task=0',
			'kafka.connect:type=sink-task-metrics,connector=my-sink,task=0',
			'kafka.connect:type=source-task-metrics,connector=my-source,task=0',
		]);
		const domains = selected('includeObjectNames: ["debezium.*:*"]\nblacklistObjectNames: ["debezium.mysql:*", "debezium.*:type=connector-metrics,context=snapshot,*"]');
		expect([...domains].every((n) => n.startsWith('debezium.') && !n.startsWith('debezium.mysql:') && !n.includes('context=snapshot'))).toBe(true);
		expect([...domains].some((n) => n.startsWith('debezium.postgres:'))).toBe(true);
		const quoted = selected('includeObjectNames: [\'kafka.connect:type=connect-coordinator-metrics,client-id="connect-10.0.0.1:8083"\']');
		expect([...quoted]).toEqual(['kafka.connect:type=connect-coordinator-metrics,client-id="connect-10.0.0.1:8083"']);
	});

	it('rejects bad configs with a one-line KctopError of kind config', () => {
		const bad = [
			'rules: [',
			'rules:\n  - labels: {a: b}\n',
			'rules:\n  - name: x\n',
			'rules:\n  - pattern: "(unclosed"\n    name: x\n',
			'rules:\n  - pattern: "(a)(b)"\n    name: x_$3\n',
			'rules:\n  - pattern: "a"\n    name: x\n    type: HISTOGRAM\n',
			'rules:\n  - pattern: "a"\n    name: x\n    labels: {n: 5}\n',
			'rules: 5\n',
			'includeObjectNames: ["no-colon"]\n',
			'lowercaseOutputName: maybe\n',
		];
		for (const text of bad) {
			const error = configError(() => parseJmxConfig(text));
			expect(error.kind).toBe('config');
			expect(error.message).toMatch(/^jmx exporter config: /);
			expect(error.message).not.toContain('\n');
		}
		expect(configError(() => parseJmxConfig('rules:\n  - pattern: "(a)(b)"\n    name: x_$3\n')).message).toContain('$3');
	});

	it('accepts every reference rule file, with the YAML 1.1 reading SnakeYAML uses', () => {
		const names = readdirSync(new URL('exporter-rules/', fixtures)).filter((n) => n.endsWith('.yml'));
		expect(names.length).toBeGreaterThanOrEqual(8);
		for (const name of names) expect(parseJmxConfig(rulesFile(name)).rules.length).toBeGreaterThan(0);
		expect(parseJmxConfig('lowercaseOutputName: yes\n').lowercaseOutputName).toBe(true);
	});
});

describe('reference rule files reproduce the derived-name tables', () => {
	const pairs: ReadonlyArray<readonly [string, string]> = [
		['out-strimzi-connect.md', 'strimzi-metrics-config.yml'],
		['out-confluent-connect.md', 'confluent-kafka_connect.yml'],
		['out-confluent-debezium.md', 'confluent-kafka_connect.yml'],
		['out-dbzexamples-connect.md', 'debezium-examples-config.yml'],
		['out-dbzexamples-debezium.md', 'debezium-examples-config.yml'],
		['out-upstream-connect.md', 'jmx_exporter-examples-kafka-connect.yml'],
		['out-default-connect.md', 'default-catchall.yml'],
		['out-default-debezium.md', 'default-catchall.yml'],
	];
	const beans = referenceMBeans();

	it.each(pairs)('%s from %s: every row', (table, rules) => {
		const config = parseJmxConfig(rulesFile(rules));
		const rows = readDerivedTable(new URL(`derived-names/${table}`, fixtures).pathname);
		expect(rows.length).toBeGreaterThan(70);
		expect(rows.filter((r) => r.metric !== undefined).length).toBeGreaterThanOrEqual(10);
		const mismatches: string[] = [];
		for (const row of rows) {
			const bean = beans.find((b) => objectNameOf(b) === row.mbean);
			if (bean === undefined || bean.attributes[row.attribute] === undefined) {
				mismatches.push(`line ${row.line}: referenceMBeans() lacks ${row.mbean} ${row.attribute}`);
				continue;
			}
			const got = applyRules(config, [only(bean, row.attribute)]).map((s) => `${s.name} ${s.labels.map(([k, v]) => `${k}="${v}"`).join(',')} ${s.type}`);
			const expected = row.metric === undefined ? [] : [`${row.metric} ${row.labels} ${row.type}`];
			if (JSON.stringify(got) !== JSON.stringify(expected)) mismatches.push(`line ${row.line} ${row.attribute}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(got)}`);
		}
		expect(mismatches).toEqual([]);
	});
});

describe("the repository's jmx-exporter-config.yml", () => {
	const config = loadRepoJmxConfig();
	const targetLabels = new Set(['instance', 'job', 'worker_id']);

	function satisfies(sample: ExportedSample, matchers: readonly LabelMatcher[] | undefined): boolean {
		const labels = labelsOf(sample);
		return (matchers ?? []).every((m) => {
			const value = labels[m.label] ?? '';
			const regex = new RegExp(`^(?:${m.value})$`);
			switch (m.op) {
				case '=':
					return value === m.value;
				case '!=':
					return value !== m.value;
				case '=~':
					return regex.test(value);
				case '!~':
					return !regex.test(value);
			}
			return false;
		});
	}

	// A connector whose name Kafka quotes (`:`) and one with ", " (quoted as well), with their tasks and consumers.
	const oddNames = ['orders:v2', 'billing, eu'];
	const odd: MBean[] = oddNames.flatMap((name, i) => [
		workerConnectorMBean(name, {'connector-running-task-count': 1}),
		connectorMBean(name, {'connector-type': i === 0 ? 'source' : 'sink', 'connector-class': 'X', 'connector-version': '1', status: 'running'}),
		...sourceTaskMBeans(name, 0, {source: {'source-record-write-total': 5}}),
		...sinkTaskMBeans(name, 1, {task: {status: 'failed'}, consumer: {'records-lag-max': 9, partitions: [{topic: 'db.orders', partition: 0}]}}),
		debeziumStreamingMBean({plugin: 'mysql', server: `cdc-${name}`, customTags: [['database', 'test']]}),
		debeziumSnapshotMBean({plugin: 'mysql', server: `cdc-${name}`}, {SnapshotRunning: true}),
	]);
	const samples = applyRules(config, [...referenceMBeans(), ...odd]);

	it('every series the default profile reads exists, with the labels its `by` keeps and matchers that can match', () => {
		const checked: string[] = [];
		for (const metric of Object.values(defaultProfile.metrics)) {
			for (const selector of metric.series) {
				if (selector.name === 'up') continue; // written by Prometheus, not by the exporter
				const candidates = samples.filter((s) => s.name === selector.name && satisfies(s, selector.matchers));
				expect(candidates.length, `${metric.id}: ${selector.name}`).toBeGreaterThan(0);
				const needed = metric.by.filter((l) => !targetLabels.has(l));
				for (const sample of candidates) {
					for (const label of needed) expect(labelsOf(sample)[label], `${metric.id}: ${selector.name} lacks ${label}`).toBeTruthy();
				}
				checked.push(selector.name);
			}
		}
		expect(checked).toEqual(
			expect.arrayContaining([
				'kafka_connect_worker_connector_count',
				'kafka_connect_worker_task_count',
				'kafka_connect_worker_rebalancing',
				'kafka_connect_connector_status',
				'kafka_connect_task_status',
				'debezium_connected',
				'debezium_milli_seconds_behind_source',
				'debezium_milli_seconds_since_last_event',
				'debezium_total_number_of_events_seen',
				'debezium_number_of_erroneous_events',
				'debezium_snapshot_running',
				'kafka_connect_source_task_source_record_write_total',
				'kafka_connect_sink_task_sink_record_read_total',
				'kafka_connect_task_record_errors_total',
				'kafka_connect_task_record_failures_total',
				'kafka_connect_task_deadletterqueue_produce_requests_total',
				'kafka_connect_sink_consumer_records_lag_max',
			]),
		);
	});

	it('Debezium series carry plugin, context and server (and task/database for SQL Server, task for MongoDB, not inside server)', () => {
		const connected = samples.filter((s) => s.name === 'debezium_connected').map(labelsOf);
		expect(connected).toContainEqual({plugin: 'sql_server', server: 'server1', task: '0', context: 'streaming', database: 'testDB'});
		expect(connected).toContainEqual({plugin: 'mongodb', server: 'mongo1', task: '0', context: 'streaming'});
		expect(connected).toContainEqual({plugin: 'mysql', server: 'dbserver1', context: 'binlog'});
		// custom.metric.tags (database=test) are not swallowed into server; a quoted server loses its quotes
		expect(connected).toContainEqual({plugin: 'mysql', server: 'cdc-orders:v2', context: 'streaming'});
		expect(connected).toContainEqual({plugin: 'mysql', server: 'cdc-billing, eu', context: 'streaming'});
		const rows = samples.filter((s) => s.name === 'debezium_rows_scanned').map(labelsOf);
		expect(rows).toContainEqual({plugin: 'postgres', server: 'dbserver1', context: 'snapshot', table: 'inventory.customers'});
		expect(samples.find((s) => s.name === 'debezium_snapshot_running' && labelsOf(s).server === 'cdc-orders:v2')?.value).toBe(1);
	});

	it('connector names Kafka quotes come out as the REST name in the connector label', () => {
		for (const name of oddNames) {
			const mine = samples.filter((s) => labelsOf(s).connector === name).map((s) => s.name);
			for (const series of [
				'kafka_connect_connector_status',
				'kafka_connect_task_status',
				'kafka_connect_source_task_source_record_write_total',
				'kafka_connect_sink_task_sink_record_read_total',
				'kafka_connect_task_record_errors_total',
				'kafka_connect_sink_consumer_records_lag_max',
				'kafka_connect_worker_connector_task_count',
			]) {
				expect(mine, `${name}: ${series}`).toContain(series);
			}
		}
		expect(samples.some((s) => s.labels.some(([k, v]) => k === 'connector' && v.includes('"')))).toBe(false);
		const failed = samples.find((s) => s.name === 'kafka_connect_task_status' && labelsOf(s).connector === 'orders:v2' && labelsOf(s).task === '1');
		expect(failed && labelsOf(failed).status).toBe('failed');
		const lag = samples.find((s) => s.name === 'kafka_connect_sink_consumer_records_lag_max' && labelsOf(s).connector === 'billing, eu');
		expect(lag).toMatchObject({value: 9, labels: [['connector', 'billing, eu'], ['task', '1']]});
	});

	it('names are the same under jmx_exporter 0.x and 1.x: counters end in _total, nothing else does, no _info', () => {
		expect(samples.length).toBeGreaterThan(300);
		for (const sample of samples) {
			expect(sample.name.endsWith('_total'), sample.name).toBe(sample.type === 'counter');
			expect(sample.type, sample.name).not.toBe('untyped');
			expect(sample.name).not.toMatch(/_(info|created|bucket)$/);
		}
	});

	it('no value leaks into a name or label: different numbers give the same series', () => {
		const bump = (bean: MBean): MBean => ({
			...bean,
			attributes: Object.fromEntries(Object.entries(bean.attributes).map(([k, v]) => [k, typeof v === 'number' ? (Number.isFinite(v) ? v * 3 + 17 : 1.5) : v])),
		});
		const key = (list: readonly ExportedSample[]): string[] => list.map((s) => `${s.name}${JSON.stringify(s.labels)}`).sort();
		const beans = [...referenceMBeans(), ...odd];
		expect(key(applyRules(config, beans.map(bump)))).toEqual(key(samples));
	});

	it('Connect and consumer beans outside the includes are not read', () => {
		const other: MBean = {domain: 'kafka.producer', properties: [['type', 'producer-metrics'], ['client-id', 'x']], attributes: {'record-send-rate': 1}};
		expect(applyRules(config, [other])).toEqual([]);
	});
});

describe('MBean factories', () => {
	it('jmxSanitize quotes values outside [\\w-%. \\t] like Kafka Sanitizer', () => {
		expect(jmxSanitize('my-sink_1.v%2 x')).toBe('my-sink_1.v%2 x');
		expect(jmxSanitize('orders:v2')).toBe('"orders:v2"');
		expect(jmxSanitize('a, b')).toBe('"a, b"');
		expect(jmxSanitize('q"*?\\\n')).toBe('"q\\"\\*\\?\\\\\\n"');
	});

	it('keeps the property order of each Debezium family', () => {
		const order = (props: ReadonlyArray<readonly [string, string]>): string => props.map(([k]) => k).join(',');
		expect(order(debeziumProperties({plugin: 'postgres', server: 'p'}, 'streaming'))).toBe('type,context,server');
		expect(order(debeziumProperties({plugin: 'sql_server', server: 'p', task: 0, database: 'db'}, 'streaming'))).toBe('type,server,task,context,database');
		expect(order(debeziumProperties({plugin: 'mongodb', server: 'p', task: 1}, 'snapshot'))).toBe('type,context,server,task');
		expect(order(debeziumProperties({plugin: 'mysql', server: 'p', customTags: [['database', 'test']]}, 'streaming'))).toBe('type,context,server,database');
		expect(objectNameOf(debeziumStreamingMBean({plugin: 'mysql', server: 'cdc:test'}))).toBe('debezium.mysql:type=connector-metrics,context=streaming,server="cdc:test"');
	});

	it('names Connect beans as a 3.x worker does (coordinator client id, consumer client id, topic dots)', () => {
		expect(objectNameOf(coordinatorMBean('connect-1:8083'))).toBe('kafka.connect:type=connect-coordinator-metrics,client-id="connect-connect-1:8083"');
		const consumers = sinkConsumerMBeans('orders:v2', 3, {partitions: [{topic: 'db.inventory.orders', partition: 4}]}).map(objectNameOf);
		expect(consumers).toEqual([
			'kafka.consumer:type=consumer-fetch-manager-metrics,client-id="connector-consumer-orders:v2-3"',
			'kafka.consumer:type=consumer-fetch-manager-metrics,client-id="connector-consumer-orders:v2-3",topic=db_inventory_orders,partition=4',
		]);
		expect(objectNameOf(sourceTaskMBeans('s', 2)[1]!)).toBe('kafka.connect:type=source-task-metrics,connector=s,task=2');
		expect(connectorTaskMBeans('k', 1, {kind: 'sink', consumer: {}}).map(objectNameOf)).toEqual([
			'kafka.connect:type=connector-task-metrics,connector=k,task=1',
			'kafka.connect:type=sink-task-metrics,connector=k,task=1',
			'kafka.connect:type=task-error-metrics,connector=k,task=1',
			'kafka.consumer:type=consumer-fetch-manager-metrics,client-id=connector-consumer-k-1',
		]);
	});

	it('referenceMBeans has every attribute type: numbers, booleans and strings, NaN and +Inf', () => {
		const values = referenceMBeans().flatMap((b) => Object.values(b.attributes));
		expect(values.some((v) => typeof v === 'boolean')).toBe(true);
		expect(values.some((v) => typeof v === 'string')).toBe(true);
		expect(values.some((v) => typeof v === 'number' && Number.isNaN(v))).toBe(true);
		const rebalance = referenceMBeans().find((b) => objectNameOf(b) === 'kafka.connect:type=connect-worker-rebalance-metrics');
		expect(workerMBean().attributes['connector-count']).toBe(0);
		expect(rebalance?.attributes['rebalance-max-time-ms']).toBeNaN();
		expect(debeziumStreamingMBean({plugin: 'postgres', server: 'p'}).attributes.MilliSecondsBehindSource).toBe(-1);
	});
});

describe('renderExposition', () => {
	it('writes text format 0.0.4 as jmx_exporter 1.x does', () => {
		const samples: ExportedSample[] = [
			{name: 'a_total', family: 'a_total', type: 'counter', help: 'A help\\ with\nnewline', labels: [['x', 'q"\\\n']], value: 3},
			{name: 'a_total', family: 'a_total', type: 'counter', help: 'A help\\ with\nnewline', labels: [['x', 'y']], value: 1e7},
			{name: 'b', family: 'b', type: 'gauge', help: '', labels: [], value: Number.NaN},
			{name: 'c', family: 'c', type: 'untyped', help: 'c', labels: [], value: Number.POSITIVE_INFINITY},
			{name: 'd', family: 'd', type: 'gauge', help: 'd', labels: [], value: Number.NEGATIVE_INFINITY},
		];
		expect(renderExposition(samples)).toBe(
			[
				'# HELP a_total A help\\\\ with\\nnewline',
				'# TYPE a_total counter',
				'a_total{x="q\\"\\\\\\n"} 3.0',
				'a_total{x="y"} 1.0E7',
				'# TYPE b gauge',
				'b NaN',
				'# HELP c c',
				'# TYPE c untyped',
				'c +Inf',
				'# HELP d d',
				'# TYPE d gauge',
				'd -Inf',
				'',
			].join('\n'),
		);
		expect(renderExposition([])).toBe('');
		expect(expositionContentType).toBe('text/plain; version=0.0.4; charset=utf-8');
	});

	it('renders the repository config output with one HELP/TYPE per family', () => {
		const text = renderExposition(applyRules(loadRepoJmxConfig(), referenceMBeans()));
		const types = text.split('\n').filter((l) => l.startsWith('# TYPE '));
		expect(new Set(types).size).toBe(types.length);
		expect(text).toContain('# TYPE kafka_connect_task_record_errors_total counter\n');
		expect(text).toContain('kafka_connect_sink_consumer_records_lag_max{connector="my-sink",task="0"} 42.0\n');
		expect(text).toContain('kafka_connect_worker_time_since_last_rebalance_ms 60000.0\n');
	});
});
