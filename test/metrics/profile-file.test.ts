import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {isKctopError} from '../../source/clients/errors.js';
import {parseExposition} from '../../source/clients/scrape/parser.js';
import {detectProfile} from '../../source/metrics/detect.js';
import {emptyCounterState, evaluateScrapes} from '../../source/metrics/evaluate-samples.js';
import {loadProfileFile, parseProfileFile, parseSelector, profileChoice} from '../../source/metrics/profile-file.js';
import {profiles} from '../../source/metrics/profiles/index.js';
import {strimziProfile} from '../../source/metrics/profiles/strimzi.js';
import {selectorToString, toPromQL} from '../../source/metrics/promql.js';
import type {SeriesSelector} from '../../source/metrics/types.js';

const example = `# Our Connect workers: Strimzi's rules, plus a rule of our own for task status
name: our-rules
description: Strimzi rules with our task status rule
extends: strimzi
metrics:
  taskStatus:
    - 'connect_task_state{state=~".+"}'
  sinkLag:
    - series: 'kafka_consumer_fetch_manager_records_lag_max{clientid=~"connector-consumer-.+"}'
      labels:
        connector: {from: clientid, regex: 'connector-consumer-(.+)-[0-9]+'}
  dbzConnected:
    - series: 'cdc_connected{context="streaming"}'
      labels:
        server: topic_prefix
        plugin: {from: connector_class, regex: 'io\\.debezium\\.connector\\.([a-z]+)\\..*'}
  dlqWrites: []
`;

function failure(text: string): string {
	try {
		parseProfileFile(text, 'p.yaml');
	} catch (error) {
		if (isKctopError(error)) return error.message;
		throw error;
	}

	throw new Error('expected a KctopError');
}

describe('profile files', () => {
	it('extend a built-in profile, replace what they list and drop what they empty', () => {
		const profile = parseProfileFile(example, 'our.yaml');
		expect(profile.name).toBe('our-rules');
		expect(profile.description).toBe('Strimzi rules with our task status rule');
		expect(profile.metrics.connectorStatus).toBe(strimziProfile.metrics.connectorStatus);
		expect(profile.metrics.dlqWrites).toBeUndefined();
		expect(profile.metrics.taskStatus?.series).toEqual([{name: 'connect_task_state', matchers: [{label: 'state', op: '=~', value: '.+'}]}]);
		expect(profile.metrics.taskStatus?.by).toEqual(['connector', 'task', 'status', 'instance']);
		const lag = profile.metrics.sinkLag;
		expect(lag && toPromQL(lag, {rateWindow: '1m'})).toBe(
			'max by (connector) (label_replace(kafka_consumer_fetch_manager_records_lag_max{clientid=~"connector-consumer-.+"}, "connector", "$1", "clientid", "connector-consumer-(.+)-[0-9]+"))',
		);
	});

	it('are evaluated like built-in profiles: the labels they map are the ones the model joins on', () => {
		const profile = parseProfileFile(example, 'our.yaml');
		const text = [
			'cdc_connected{context="streaming",topic_prefix="inventory",connector_class="io.debezium.connector.postgresql.PostgresConnector"} 1',
			'cdc_connected{context="snapshot",topic_prefix="inventory",connector_class="io.debezium.connector.postgresql.PostgresConnector"} 0',
			'kafka_consumer_fetch_manager_records_lag_max{clientid="connector-consumer-orders-sink-1"} 12',
			'',
		].join('\n');
		const {results} = evaluateScrapes(profile, [{instance: 'w:9404', up: true, samples: parseExposition(text).samples, at: 0}], emptyCounterState);
		expect(results.get('dbzConnected')).toEqual([{labels: {server: 'inventory', plugin: 'postgresql'}, value: 1}]);
		expect(results.get('sinkLag')).toEqual([{labels: {connector: 'orders-sink'}, value: 12}]);
	});

	it('without extends, give only what they list (plus up), and score like any profile', () => {
		const profile = parseProfileFile('name: tiny\nmetrics:\n  connectorStatus: [\'{__name__=~"connector_(state|status)",status!=""}\']\n', 'tiny.yaml');
		expect(Object.keys(profile.metrics).sort()).toEqual(['connectorStatus', 'workerUp']);
		expect(profile.metrics.connectorStatus?.series).toEqual([{name: 'connector_(state|status)', nameRegex: true, matchers: [{label: 'status', op: '!=', value: ''}]}]);
		const match = detectProfile(new Set(['up', 'connector_state']), [profile]);
		expect(match.resolved).toEqual(['workerUp', 'connectorStatus']);
		expect(match.detected).toBe(false);
	});

	it.each([
		['YAML syntax', 'name: x\nmetrics:\n  taskStatus: [unclosed\n', /^p\.yaml:\d: not valid YAML/],
		['an unknown metric, listing the known ones', 'name: x\nmetrics:\n  connectorStatus: []\n  lagg: []\n', /^p\.yaml:4: unknown metric "lagg"; known: workerUp, workerConnectorCount, .*sinkLag, sinkOffsetCommits, taskRunningRatio$/],
		['an unknown top-level key', 'name: x\nprofile: y\n', /^p\.yaml:2: .*profile/],
		['a missing name', 'metrics: {}\n', /^p\.yaml:1: name: /],
		['a bad name', 'name: Our Rules\n', /^p\.yaml:1: name: use lower-case letters/],
		['an unknown base profile', 'name: x\nextends: prometheus\n', /^p\.yaml:2: extends: unknown profile "prometheus"; built in: kctop, default, catch-all, strimzi, confluent, debezium-examples$/],
		['a selector that does not parse', 'name: x\nmetrics:\n  sinkLag:\n    - up\n    - \'lag{client_id=~"a"\'\n', /^p\.yaml:5: metrics\.sinkLag\[1\]: expected "}" at the end/],
		['an invalid regular expression', 'name: x\nmetrics:\n  sinkLag:\n    - \'lag{client_id=~"(a"}\'\n', /^p\.yaml:4: metrics\.sinkLag\[0\]: invalid regular expression "\(a"/],
		['a label map that is not a label name', 'name: x\nmetrics:\n  sinkLag:\n    - series: lag\n      labels: {connector: "client-id"}\n', /^p\.yaml:5: metrics\.sinkLag\.0\.labels\.connector: /],
		['a selector without a metric name', 'name: x\nmetrics:\n  sinkLag: [\'{client_id="a"}\']\n', /^p\.yaml:3: metrics\.sinkLag\[0\]: no metric name/],
	])('reject %s with the line', (_what, text, expected) => {
		expect(failure(text)).toMatch(expected);
	});
});

describe('selectors', () => {
	it('read back what the PromQL generator writes: the four operators, escapes, name regexes', () => {
		const selectors: SeriesSelector[] = [
			{name: 'up'},
			{name: 'x_total', matchers: [{label: 'a', op: '=', value: 'say "hi" C:\\dir'}, {label: 'b', op: '!=', value: 'two\nlines'}, {label: 'c', op: '=~', value: 'connect-\\d+'}, {label: 'd', op: '!~', value: ''}]},
			{name: 'debezium_[a-z_]+_connected', nameRegex: true, matchers: [{label: 'context', op: '=', value: 'streaming'}]},
		];
		for (const selector of selectors) expect(parseSelector(selectorToString(selector))).toEqual(selector);
		expect(parseSelector(" x{ a = 'single' , }")).toEqual({name: 'x', matchers: [{label: 'a', op: '=', value: 'single'}]});
		expect(parseSelector('{__name__="exact"}')).toEqual({name: 'exact'});
		expect(() => parseSelector('x{__name__="y"}')).toThrow(/either before/);
		expect(() => parseSelector('9x')).toThrow(/invalid metric name/);
		expect(() => parseSelector('x{a}')).toThrow(/expected =, !=, =~ or !~/);
	});
});

describe('loading', () => {
	let dir = '';
	beforeAll(async () => {
		dir = await mkdtemp(join(tmpdir(), 'kctop-profile-'));
		await writeFile(join(dir, 'ours.yaml'), example);
	});
	afterAll(async () => {
		await rm(dir, {recursive: true, force: true});
	});

	it('reads a file, and says when it cannot', async () => {
		expect((await loadProfileFile(join(dir, 'ours.yaml'))).name).toBe('our-rules');
		await expect(loadProfileFile(join(dir, 'missing.yaml'))).rejects.toThrow(/missing\.yaml: cannot read the profile file: ENOENT/);
	});

	it('turns --profile and --profile-file into a forced profile or the candidates', async () => {
		expect(await profileChoice('auto', undefined)).toBe(profiles);
		expect(await profileChoice('default', undefined)).toBe(profiles[0]);
		expect(await profileChoice('strimzi', undefined)).toBe(strimziProfile);
		expect(await profileChoice('auto', join(dir, 'ours.yaml'))).toMatchObject({name: 'our-rules'});
		await expect(profileChoice('prometheus', undefined)).rejects.toThrow('--profile: unknown profile "prometheus"; valid: auto, kctop, default, catch-all, strimzi, confluent, debezium-examples');
	});
});
