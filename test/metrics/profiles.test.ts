import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import type {ConnectorStatus} from '../../source/clients/connect/schemas.js';
import type {PrometheusClient} from '../../source/clients/prometheus/client.js';
import {parseExposition} from '../../source/clients/scrape/parser.js';
import {renderExposition} from '../../source/demo/jmx/exposition.js';
import {referenceMBeans} from '../../source/demo/jmx/mbeans.js';
import {applyRules, loadRepoJmxConfig, parseJmxConfig} from '../../source/demo/jmx/rules.js';
import type {MBean} from '../../source/demo/jmx/types.js';
import {candidateNamesSelector, detectProfile, detectProfileFromPrometheus, resolvesConnect, scoreProfile} from '../../source/metrics/detect.js';
import {emptyCounterState, evaluateScrapes} from '../../source/metrics/evaluate-samples.js';
import {catchAllProfile} from '../../source/metrics/profiles/catch-all.js';
import {confluentProfile} from '../../source/metrics/profiles/confluent.js';
import {debeziumExamplesProfile} from '../../source/metrics/profiles/debezium-examples.js';
import {defaultProfile, kctopProfile} from '../../source/metrics/profiles/default.js';
import {findProfile, profileNames, profiles} from '../../source/metrics/profiles/index.js';
import {strimziProfile} from '../../source/metrics/profiles/strimzi.js';
import type {LogicalMetricId, MetricResults, NamingProfile} from '../../source/metrics/types.js';
import {logicalMetricIds} from '../../source/metrics/types.js';
import {normaliseServerLabel} from '../../source/model/join.js';
import {build, expandedFromStatus, statusFixture} from '../model/helpers.js';
import {readDerivedTable} from '../stack/derived-tables.js';

/**
 * Every built-in profile against what the exporter rules people use really produce:
 * the rule engine (source/demo/jmx, a faithful jmx_exporter 1.x) applied to every MBean
 * of the reference, the reference's derived name tables (1.x and 0.x spellings), and the
 * real scrapes in test/fixtures/metrics.
 */

const rulesDir = new URL('../fixtures/mbeans/exporter-rules/', import.meta.url);
const derivedDir = new URL('../fixtures/mbeans/derived-names/', import.meta.url);
const metricsDir = new URL('../fixtures/metrics/', import.meta.url);

function rulesExposition(file: string, mbeans: readonly MBean[] = referenceMBeans()): string {
	const config = file === 'kctop' ? loadRepoJmxConfig() : parseJmxConfig(readFileSync(new URL(file, rulesDir), 'utf8'));
	return renderExposition(applyRules(config, mbeans));
}

function namesOf(text: string): Set<string> {
	return new Set(['up', ...parseExposition(text).samples.map((sample) => sample.name)]);
}

function evaluate(profile: NamingProfile, text: string): MetricResults {
	const samples = parseExposition(text).samples;
	return evaluateScrapes(profile, [{instance: 'connect-1:9404', up: true, samples, at: 0}], emptyCounterState).results;
}

function rows(results: MetricResults, id: LogicalMetricId): Array<[string, number]> {
	return (results.get(id) ?? [])
		.map((sample): [string, number] => [
			Object.entries(sample.labels)
				.map(([label, value]) => `${label}=${value}`)
				.join(','),
			sample.value,
		])
		.sort((a, b) => a[0].localeCompare(b[0]));
}

const connectMetrics: readonly LogicalMetricId[] = ['connectorStatus', 'taskStatus', 'recordErrors', 'recordFailures', 'dlqWrites'];

describe('the built-in profiles', () => {
	it('have exactly the documented names, `default` resolving to kctop', () => {
		expect(profiles.map((profile) => profile.name)).toEqual(['kctop', 'catch-all', 'strimzi', 'confluent', 'debezium-examples']);
		expect(findProfile('default')).toBe(kctopProfile);
		// defaultProfile: exactly the repository's rules (test/stack checks each of its series exists); kctop adds the fall-backs.
		expect(defaultProfile.name).toBe('kctop');
		expect(defaultProfile.metrics.sinkLag?.series).toEqual([{name: 'kafka_connect_sink_consumer_records_lag_max'}]);
		expect(kctopProfile.metrics.sinkLag?.series.length).toBe(5);
		expect(findProfile('strimzi')).toBe(strimziProfile);
		expect(findProfile('nope')).toBeUndefined();
		expect(profileNames()).toEqual(['auto', 'kctop', 'default', 'catch-all', 'strimzi', 'confluent', 'debezium-examples']);
	});

	it('give every row the same label names, so the model joins any of them alike', () => {
		for (const profile of profiles) {
			expect(profile.labels).toEqual(kctopProfile.labels);
			for (const id of logicalMetricIds) {
				const definition = profile.metrics[id];
				if (definition !== undefined) expect(definition.by, `${profile.name} ${id}`).toEqual(kctopProfile.metrics[id]?.by);
			}
		}
	});
});

// What each rule file resolves under each profile (of 17), from the rule engine over the reference MBeans.
const ruleFiles = [
	{file: 'kctop', expected: kctopProfile, resolved: 17, missing: []},
	{file: 'default-catchall.yml', expected: catchAllProfile, resolved: 15, missing: ['connectorStatus', 'taskStatus']},
	{file: 'strimzi-metrics-config.yml', expected: strimziProfile, resolved: 11, missing: ['dbzConnected', 'dbzMsBehindSource', 'dbzMsSinceLastEvent', 'dbzEventsRate', 'dbzErroneousEvents', 'dbzSnapshotRunning']},
	{file: 'confluent-kafka_connect.yml', expected: confluentProfile, resolved: 16, missing: ['taskStatus']},
	{
		file: 'debezium-examples-config.yml',
		expected: debeziumExamplesProfile,
		resolved: 9,
		missing: ['workerRebalancing', 'connectorStatus', 'taskStatus', 'recordRate', 'recordErrors', 'recordFailures', 'dlqWrites', 'sinkLag'],
	},
] as const;

describe('detection over the rule engine output of each rules file', () => {
	it.each(ruleFiles.map((entry) => [entry.file, entry] as const))('%s', (_file, entry) => {
		const text = rulesExposition(entry.file);
		const match = detectProfile(namesOf(text), profiles);
		expect(match.profile.name).toBe(entry.expected.name);
		expect(match.detected).toBe(true);
		expect(match.resolved).toHaveLength(entry.resolved);
		expect(match.total).toBe(17);
		expect(match.missing.map((missing) => missing.metric)).toEqual(entry.missing);
		// Every other profile resolves fewer metrics from these names.
		for (const other of profiles.filter((profile) => profile !== entry.expected)) {
			expect(scoreProfile(other, namesOf(text), true).resolved.length, other.name).toBeLessThanOrEqual(entry.resolved);
		}
	});

	it('the sink verdict\'s offset commits (not scored) resolve under every rule file that exports sink-task metrics', () => {
		const commits = (file: string, profile: NamingProfile): Array<[string, number]> => rows(evaluate(profile, rulesExposition(file)), 'sinkOffsetCommits');
		for (const [file, profile] of [['kctop', kctopProfile], ['default-catchall.yml', catchAllProfile], ['strimzi-metrics-config.yml', strimziProfile], ['confluent-kafka_connect.yml', confluentProfile]] as const) {
			expect(commits(file, profile).map(([labels]) => labels), `${file}`).toEqual(['connector=my-sink']);
		}
		// debezium-examples has no sink-task rule: the profile says it cannot, and the verdict goes without STOP by commits.
		expect(debeziumExamplesProfile.metrics.sinkOffsetCommits).toBeUndefined();
	});

	it('strimzi with debezium-examples rules appended (one metricsConfig file, lower-cased names) fills every Debezium metric', () => {
		const strimzi = parseJmxConfig(readFileSync(new URL('strimzi-metrics-config.yml', rulesDir), 'utf8'));
		const debezium = parseJmxConfig(readFileSync(new URL('debezium-examples-config.yml', rulesDir), 'utf8'));
		const text = renderExposition(applyRules({...strimzi, rules: [...strimzi.rules, ...debezium.rules]}, referenceMBeans()));
		expect(text).toContain('debezium_metrics_connected{');
		const match = detectProfile(namesOf(text), profiles);
		expect(match.profile).toBe(strimziProfile);
		expect(match.missing.map((missing) => missing.metric)).toEqual([]);
		expect(rows(evaluate(strimziProfile, text), 'dbzConnected')).toContainEqual(['server=dbserver1,plugin=mysql', 1]);
	});

	it('catch-all and confluent tie on catch-all names; catch-all wins by order, confluent by its connector status', () => {
		const catchAll = namesOf(rulesExposition('default-catchall.yml'));
		expect(scoreProfile(confluentProfile, catchAll, true).resolved).toHaveLength(15);
		expect(detectProfile(catchAll, [confluentProfile, catchAllProfile]).profile).toBe(confluentProfile);
		expect(detectProfile(catchAll, profiles).profile).toBe(catchAllProfile);
	});

	it('settles only on Connect series: Debezium alone (every profile reads every Debezium scheme) keeps detecting', () => {
		const debeziumOnly = new Set(['up', 'debezium_metrics_Connected', 'debezium_metrics_MilliSecondsBehindSource']);
		expect(resolvesConnect(detectProfile(debeziumOnly, profiles))).toBe(false);
		expect(resolvesConnect(detectProfile(namesOf(rulesExposition('strimzi-metrics-config.yml')), profiles))).toBe(true);
	});

	it('a forced profile is only scored, and says what it lacks with the series that would give it', () => {
		const match = detectProfile(namesOf(rulesExposition('default-catchall.yml')), [strimziProfile]);
		expect(match.detected).toBe(false);
		expect(match.profile).toBe(strimziProfile);
		expect(match.resolved).toEqual(['workerUp', 'dbzConnected', 'dbzMsBehindSource', 'dbzMsSinceLastEvent', 'dbzEventsRate', 'dbzErroneousEvents', 'dbzSnapshotRunning', 'sinkLag']);
		expect(match.missing.find((missing) => missing.metric === 'taskStatus')).toEqual({
			metric: 'taskStatus',
			series: 'kafka_connect_connector_task_status',
			rule: expect.stringContaining('connector-task-metrics status'),
		});
		// catch-all cannot produce statuses: the hint names the series this repository's rules give.
		const catchAll = detectProfile(namesOf(rulesExposition('default-catchall.yml')), [catchAllProfile]);
		expect(catchAll.missing.map((missing) => missing.series)).toEqual(['kafka_connect_connector_status', 'kafka_connect_task_status']);
	});
});

describe('values read under each detected profile (rule engine output)', () => {
	it.each(ruleFiles.filter((entry) => entry.file !== 'debezium-examples-config.yml').map((entry) => [entry.file, entry] as const))('%s: errors, DLQ and sink lag per connector', (_file, entry) => {
		const results = evaluate(entry.expected, rulesExposition(entry.file));
		expect(rows(results, 'recordErrors')).toEqual([['connector=my-sink', 2], ['connector=my-source', 0]]);
		expect(rows(results, 'recordFailures')).toEqual([['connector=my-sink', 1], ['connector=my-source', 0]]);
		expect(rows(results, 'dlqWrites')).toEqual([['connector=my-sink', 2], ['connector=my-source', 0]]);
		// The sink task's consumer (client id connector-consumer-my-sink-0), under every profile.
		expect(rows(results, 'sinkLag')).toEqual([['connector=my-sink', 42]]);
		expect(rows(results, 'workerConnectorCount')).toEqual([['instance=connect-1:9404', 2]]);
	});

	it('connector and task status where the rules export them (strings need a value: rule)', () => {
		// `instance` stays: it is the evidence that pairs an exporter with its worker.
		const running = [['connector=my-sink,status=running,instance=connect-1:9404', 1], ['connector=my-source,status=running,instance=connect-1:9404', 1]];
		expect(rows(evaluate(kctopProfile, rulesExposition('kctop')), 'connectorStatus')).toEqual(running);
		expect(rows(evaluate(strimziProfile, rulesExposition('strimzi-metrics-config.yml')), 'connectorStatus')).toEqual(running);
		expect(rows(evaluate(confluentProfile, rulesExposition('confluent-kafka_connect.yml')), 'connectorStatus')).toEqual(running);
		expect(rows(evaluate(strimziProfile, rulesExposition('strimzi-metrics-config.yml')), 'taskStatus')).toEqual([
			['connector=my-sink,task=0,status=running,instance=connect-1:9404', 1],
			['connector=my-source,task=0,status=running,instance=connect-1:9404', 1],
		]);
		expect(rows(evaluate(catchAllProfile, rulesExposition('default-catchall.yml')), 'connectorStatus')).toEqual([]);
	});

	it("Strimzi's connector status leaves out the upstream example's task series of the same name", () => {
		const upstream = evaluate(strimziProfile, rulesExposition('jmx_exporter-examples-kafka-connect.yml'));
		expect(parseExposition(rulesExposition('jmx_exporter-examples-kafka-connect.yml')).samples.some((sample) => sample.name === 'kafka_connect_connector_status')).toBe(true);
		expect(rows(upstream, 'connectorStatus')).toEqual([]);
	});

	// Six Debezium families: MySQL, MariaDB, PostgreSQL and Oracle (context,server), SQL Server
	// (server,task,context[,database]) and MongoDB (context,server,task).
	const dbzFiles = [
		{file: 'kctop', profile: kctopProfile, plugins: ['mariadb', 'mongodb', 'mysql', 'oracle', 'postgres', 'sql_server']},
		{file: 'default-catchall.yml', profile: catchAllProfile, plugins: ['mariadb', 'mongodb', 'mysql', 'oracle', 'postgres', 'sql_server']},
		{file: 'debezium-examples-config.yml', profile: debeziumExamplesProfile, plugins: ['mariadb', 'mongodb', 'mysql', 'oracle', 'postgres', 'sql_server']},
		// jmx-monitoring-stacks selects only debezium.mysql|sql_server|mongodb|postgres.
		{file: 'confluent-kafka_connect.yml', profile: confluentProfile, plugins: ['mongodb', 'mysql', 'postgres', 'sql_server']},
	] as const;

	it.each(dbzFiles.map((entry) => [entry.file, entry] as const))('%s: Debezium connected, lag and freshness per server and family', (_file, entry) => {
		const results = evaluate(entry.profile, rulesExposition(entry.file));
		const connected = (results.get('dbzConnected') ?? []).map((sample) => [sample.labels['plugin'], normaliseServerLabel(sample.labels['server'] ?? ''), sample.value]);
		expect(connected.map(([plugin]) => plugin).sort()).toEqual(entry.plugins);
		expect(connected.every(([, , value]) => value === 1)).toBe(true);
		expect(connected.find(([plugin]) => plugin === 'sql_server')?.[1]).toBe('server1');
		expect(connected.find(([plugin]) => plugin === 'mongodb')?.[1]).toBe('mongo1');
		const servers = (id: LogicalMetricId): Array<[string, number]> =>
			(results.get(id) ?? []).map((sample): [string, number] => [normaliseServerLabel(sample.labels['server'] ?? ''), sample.value]).sort((a, b) => a[0].localeCompare(b[0]));
		// Streaming context only (the snapshot context has its own MilliSecondsSinceLastEvent).
		expect(servers('dbzMsBehindSource')).toEqual([['dbserver1', 250], ['mongo1', 250], ['server1', 250]]);
		expect(servers('dbzMsSinceLastEvent')).toEqual([['dbserver1', 300], ['mongo1', 300], ['server1', 300]]);
		expect(servers('dbzSnapshotRunning').map(([server]) => server)).toEqual(['dbserver1', 'mongo1', 'server1']);
	});

	it('Debezium through debezium-examples rules next to Strimzi rules (the usual Strimzi setup) fills DBZ under strimzi', () => {
		const beans = referenceMBeans();
		const text = rulesExposition('strimzi-metrics-config.yml', beans.filter((bean) => !bean.domain.startsWith('debezium.'))) + rulesExposition('debezium-examples-config.yml', beans.filter((bean) => bean.domain.startsWith('debezium.')));
		const match = detectProfile(namesOf(text), profiles);
		expect(match.profile).toBe(strimziProfile);
		expect(match.resolved).toHaveLength(17);
		expect(rows(evaluate(strimziProfile, text), 'dbzMsBehindSource')).toContainEqual(['server=dbserver1', 250]);
	});
});

/** The 0.x name of a derived-table row (last column), or the 1.x name when the same. */
function zeroXName(path: URL, line: number, metric: string): string {
	const text = readFileSync(path, 'utf8').split('\n')[line - 1] ?? '';
	const last = text.split(' | ').at(-1)?.replace(/ \|$/, '').trim() ?? '';
	return last === '(same)' || last === '' ? metric : last;
}

function derivedNames(tables: readonly string[], version: '0.x' | '1.x'): Set<string> {
	const names = new Set(['up']);
	for (const table of tables) {
		const path = new URL(table, derivedDir);
		for (const row of readDerivedTable(path.pathname)) {
			if (row.metric !== undefined) names.add(version === '1.x' ? row.metric : zeroXName(path, row.line, row.metric));
		}
	}

	return names;
}

describe('detection over the derived name tables, jmx_exporter 1.x and 0.x spellings', () => {
	const tables = [
		{tables: ['out-default-connect.md', 'out-default-debezium.md'], expected: catchAllProfile, resolved: 15},
		{tables: ['out-strimzi-connect.md'], expected: strimziProfile, resolved: 11},
		{tables: ['out-confluent-connect.md', 'out-confluent-debezium.md'], expected: confluentProfile, resolved: 16},
		{tables: ['out-dbzexamples-connect.md', 'out-dbzexamples-debezium.md'], expected: debeziumExamplesProfile, resolved: 9},
	] as const;

	it.each(tables.flatMap((entry) => (['1.x', '0.x'] as const).map((version) => [`${entry.tables[0]} ${version}`, entry, version] as const)))('%s', (_name, entry, version) => {
		const names = derivedNames(entry.tables, version);
		const match = detectProfile(names, profiles);
		expect(match.profile).toBe(entry.expected);
		expect(match.resolved).toHaveLength(entry.resolved);
	});

	it('the 0.x and 1.x names really differ where a counter is untyped', () => {
		const zero = derivedNames(['out-default-connect.md'], '0.x');
		const one = derivedNames(['out-default-connect.md'], '1.x');
		expect(zero.has('kafka_connect_source_task_metrics_source_record_write_total')).toBe(true);
		expect(one.has('kafka_connect_source_task_metrics_source_record_write')).toBe(true);
		expect(one.has('kafka_connect_source_task_metrics_source_record_write_total')).toBe(false);
		for (const names of [zero, one]) expect(scoreProfile(catchAllProfile, names, true).resolved).toContain('recordRate');
	});
});

describe('real scrapes', () => {
	const fixture = (name: string): string => readFileSync(new URL(name, metricsDir), 'utf8');

	it.each([
		{
			what: 'jmx_exporter 0.13 catch-all on a Kafka 2.3.1 standalone Elasticsearch sink: DLQ writes per connector',
			file: 'metrics-jmx-exporter-0.13.0-kafka-2.3.1-standalone-es-sink-excerpt.prom',
			profile: catchAllProfile,
			metric: 'dlqWrites' as const,
			expected: [['connector=elasticsearch-sink', 0]],
		},
		{
			what: "a task status rule with Strimzi's name (the cosmosdb issue): running while REST says UNASSIGNED",
			file: 'metrics-task-status-running-while-rest-says-unassigned.prom',
			profile: strimziProfile,
			metric: 'taskStatus' as const,
			expected: [['connector=my_connector,task=0,status=running,instance=connect-1:9404', 1]],
		},
	])('$what', ({file, profile, metric, expected}) => {
		const text = fixture(file);
		const match = detectProfile(namesOf(text), profiles);
		expect(match.profile).toBe(profile);
		expect(match.resolved).toEqual(['workerUp', metric]);
		expect(rows(evaluate(profile, text), metric)).toEqual(expected);
	});

	it('Debezium MongoDB under debezium-examples-style rules: the task-scoped server label joins to topic.prefix under every profile', () => {
		const text = fixture('metrics-debezium-mongodb-millisecondsbehindsource-grep-ok.prom');
		for (const profile of profiles) {
			const lag = evaluate(profile, text).get('dbzMsBehindSource') ?? [];
			expect(lag, profile.name).toEqual([{labels: {server: 'dbserver1, task=0'}, value: 85}]);
			expect(normaliseServerLabel(lag[0]?.labels['server'] ?? '')).toBe('dbserver1');
		}
	});

	it('the embedded Debezium engine under catch-all rules with lowercaseOutputName (no Connect at all): connected per server, no Connect series to settle on', () => {
		const text = fixture('metrics-debezium-mysql-jmx-exporter-1.3-catchall-embedded-engine-excerpt.prom');
		const match = detectProfile(namesOf(text), profiles);
		expect(match.resolved).toEqual(['workerUp', 'dbzConnected']);
		expect(resolvesConnect(match)).toBe(false);
		for (const profile of profiles) {
			expect(evaluate(profile, text).get('dbzConnected'), profile.name).toEqual([{labels: {server: 'synchdb-connector', plugin: 'mysql'}, value: 1}]);
		}
	});

	it("the hand-made worker scrapes in this repository's names detect as kctop", () => {
		const names = new Set([...namesOf(fixture('worker-1-t0.prom')), ...namesOf(fixture('worker-2-t0.prom'))]);
		const match = detectProfile(names, profiles);
		expect(match.profile).toBe(kctopProfile);
		expect(resolvesConnect(match)).toBe(true);
	});

	it('kafka-exporter consumer-group lag wins over the consumer metric when both are there', () => {
		const text = [
			'kafka_consumergroup_lag{consumergroup="connect-my-sink",topic="orders",partition="0"} 700',
			'kafka_consumergroup_lag{consumergroup="connect-my-sink",topic="orders",partition="1"} 300',
			'kafka_consumergroup_lag{consumergroup="other-app",topic="orders",partition="0"} 5',
			'kafka_consumer_consumer_fetch_manager_metrics_records_lag_max{client_id="connector-consumer-my-sink-0"} 42',
			'kafka_consumer_consumer_fetch_manager_metrics_records_lag_max{client_id="connector-consumer-other-sink-3"} 9',
			'',
		].join('\n');
		for (const profile of profiles) {
			expect(rows(evaluate(profile, text), 'sinkLag'), profile.name).toEqual([['connector=my-sink', 700], ['connector=other-sink', 9]]);
		}
	});
});

describe('detection in Prometheus mode', () => {
	it('asks once, restricted to the candidates’ series names (regular expressions included)', async () => {
		const calls: {label: string; match: readonly string[] | undefined}[] = [];
		const client: Pick<PrometheusClient, 'labelValues'> = {
			async labelValues(label, options) {
				calls.push({label, match: options?.match});
				return [...namesOf(rulesExposition('strimzi-metrics-config.yml'))];
			},
		};
		const match = await detectProfileFromPrometheus(client, profiles);
		expect(match.profile).toBe(strimziProfile);
		expect(calls).toHaveLength(1);
		expect(calls[0]?.label).toBe('__name__');
		expect(calls[0]?.match).toEqual([candidateNamesSelector(profiles)]);
		const selector = candidateNamesSelector(profiles);
		expect(selector).toContain('kafka_connect_connector_task_status');
		expect(selector).toContain('(?:debezium_[a-z0-9_]+_connector_metrics_(?:Connected|connected))');
		expect(selector).toContain('kafka_consumergroup_lag');
	});

	it('scores only the forced profile when given one', async () => {
		const client: Pick<PrometheusClient, 'labelValues'> = {
			async labelValues() {
				return ['up', 'kafka_connect_worker_connector_count'];
			},
		};
		const match = await detectProfileFromPrometheus(client, [confluentProfile]);
		expect(match.profile).toBe(confluentProfile);
		expect(match.resolved).toEqual(['workerUp']);
		expect(connectMetrics.every((id) => match.missing.some((missing) => missing.metric === id))).toBe(true);
	});
});

describe('real payload pairs through the model', () => {
	it('REST UNASSIGNED and the Strimzi-named task metric RUNNING show as a disagreement', () => {
		const status = statusFixture('rest-status-task-unassigned-while-metrics-say-running.json');
		const text = readFileSync(new URL('metrics-task-status-running-while-rest-says-unassigned.prom', metricsDir), 'utf8');
		const {snapshot} = build({connectors: expandedFromStatus(status, {'connector.class': 'com.azure.cosmos.kafka.connect.source.CosmosDBSourceConnector'}), metrics: evaluate(strimziProfile, text), profile: strimziProfile});
		const row = snapshot.connectors[0];
		expect(row?.tasks[0]).toMatchObject({state: 'UNASSIGNED', metricState: 'RUNNING'});
		expect(row?.disagreements.length).toBeGreaterThan(0);
	});

	it('Debezium MongoDB lag from the task-scoped name label joins the connector by topic.prefix', () => {
		const text = readFileSync(new URL('metrics-debezium-mongodb-millisecondsbehindsource-grep-ok.prom', metricsDir), 'utf8');
		const status: ConnectorStatus = {name: 'mongo-cdc', connector: {state: 'RUNNING', worker_id: 'connect-1:8083'}, tasks: [{id: 0, state: 'RUNNING', worker_id: 'connect-1:8083'}], type: 'source'};
		for (const profile of profiles) {
			const {snapshot} = build({connectors: expandedFromStatus(status, {'connector.class': 'io.debezium.connector.mongodb.MongoDbConnector', 'topic.prefix': 'dbserver1'}), metrics: evaluate(profile, text), profile});
			expect(snapshot.connectors[0]?.debezium?.msBehindSource, profile.name).toBe(85);
		}
	});
});
