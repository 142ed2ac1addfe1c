import {readFileSync} from 'node:fs';
import {createServer, type Server} from 'node:http';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {createPrometheusClient} from '../../source/clients/prometheus/client.js';
import {renderExposition} from '../../source/demo/jmx/exposition.js';
import {referenceMBeans} from '../../source/demo/jmx/mbeans.js';
import {applyRules, parseJmxConfig} from '../../source/demo/jmx/rules.js';
import type {MBean} from '../../source/demo/jmx/types.js';
import {detectProfileFromPrometheus} from '../../source/metrics/detect.js';
import {createPrometheusSource} from '../../source/metrics/prometheus-source.js';
import {profiles} from '../../source/metrics/profiles/index.js';
import type {LogicalMetricId, MetricResults} from '../../source/metrics/types.js';
import {normaliseServerLabel} from '../../source/model/join.js';
import {startPrometheus, type RunningPrometheus} from '../helpers/prometheus.js';

/**
 * A real Prometheus scraping workers that export through the catch-all rules, and another
 * scraping workers under Strimzi's rules (Debezium through debezium-examples' rules, as
 * Strimzi users add them). Detection asks the real label-values API; the PromQL generated
 * for the detected profile (label_replace, name regexes, alternatives) runs on the real engine.
 */

const rules = (file: string) => parseJmxConfig(readFileSync(new URL(`../fixtures/mbeans/exporter-rules/${file}`, import.meta.url), 'utf8'));
const catchAllRules = rules('default-catchall.yml');
const strimziRules = rules('strimzi-metrics-config.yml');
const debeziumRules = rules('debezium-examples-config.yml');

/** The reference MBeans with every cumulative attribute grown by 10 per scrape, so rates exist. */
function beansAtScrape(scrape: number): MBean[] {
	return referenceMBeans().map((bean) => {
		const attributes = {...bean.attributes};
		for (const [name, value] of Object.entries(attributes)) {
			if (typeof value === 'number' && (name.endsWith('-total') || name === 'TotalNumberOfEventsSeen')) attributes[name] = value + scrape * 10;
		}

		return {...bean, attributes};
	});
}

type Setup = 'catch-all' | 'strimzi';

function exposition(setup: Setup, scrape: number): string {
	const beans = beansAtScrape(scrape);
	if (setup === 'catch-all') return renderExposition(applyRules(catchAllRules, beans));
	const debezium = beans.filter((bean) => bean.domain.startsWith('debezium.'));
	const connect = beans.filter((bean) => !bean.domain.startsWith('debezium.'));
	return renderExposition(applyRules(strimziRules, connect)) + renderExposition(applyRules(debeziumRules, debezium));
}

async function serve(setup: Setup): Promise<{server: Server; target: string}> {
	let scrapes = 0;
	const server = createServer((request, response) => {
		const ok = request.url === '/metrics';
		response.writeHead(ok ? 200 : 404, {'content-type': 'text/plain; version=0.0.4; charset=utf-8'});
		response.end(ok ? exposition(setup, scrapes++) : 'not found');
	});
	const target = await new Promise<string>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			if (address === null || typeof address === 'string') reject(new Error('no port'));
			else resolve(`127.0.0.1:${address.port}`);
		});
	});
	return {server, target};
}

const setups: Record<Setup, {prometheus?: RunningPrometheus; server?: Server; counter: string}> = {
	'catch-all': {counter: 'kafka_connect_source_task_metrics_source_record_write'},
	strimzi: {counter: 'kafka_connect_source_task_source_record_write_total'},
};

beforeAll(async () => {
	await Promise.all(
		(['catch-all', 'strimzi'] as const).map(async (setup) => {
			const {server, target} = await serve(setup);
			setups[setup].server = server;
			const prometheus = await startPrometheus({scrapeTargets: [{job: 'kafka-connect', targets: [target], labels: {worker_id: 'connect-1:8083'}}], scrapeIntervalSeconds: 1});
			setups[setup].prometheus = prometheus;
			await prometheus.waitForTargetsUp(1, 20_000);
			// rate() over 10s needs at least two samples of the counter.
			await prometheus.waitForSeries(`count_over_time(${setups[setup].counter}[10s]) >= 3`, 30_000);
		}),
	);
});

afterAll(async () => {
	await Promise.all(Object.values(setups).map(async (setup) => setup.prometheus?.stop()));
	await Promise.all(Object.values(setups).map(async (setup) => new Promise<void>((resolve) => (setup.server === undefined ? resolve() : setup.server.close(() => resolve())))));
});

function urlOf(setup: Setup): string {
	const prometheus = setups[setup].prometheus;
	if (prometheus === undefined) throw new Error(`Prometheus for ${setup} did not start`);
	return prometheus.url;
}

function byConnector(results: MetricResults, id: LogicalMetricId): Record<string, number> {
	return Object.fromEntries((results.get(id) ?? []).map((sample) => [sample.labels['connector'] ?? '?', sample.value]));
}

function dbz(results: MetricResults, id: LogicalMetricId): Array<[string, string, number]> {
	return (results.get(id) ?? [])
		.map((sample): [string, string, number] => [sample.labels['plugin'] ?? '', normaliseServerLabel(sample.labels['server'] ?? ''), sample.value])
		.sort((a, b) => `${a[0]}${a[1]}`.localeCompare(`${b[0]}${b[1]}`));
}

describe.each([
	{setup: 'catch-all' as const, profile: 'catch-all', resolved: 15},
	{setup: 'strimzi' as const, profile: 'strimzi', resolved: 17},
])('a real Prometheus over workers with $setup rules', ({setup, profile, resolved}) => {
	it(`detects ${profile} with one label-values call`, async () => {
		const client = createPrometheusClient({url: urlOf(setup), timeoutMs: 5000});
		try {
			const match = await detectProfileFromPrometheus(client, profiles);
			expect(match.profile.name).toBe(profile);
			expect(match.resolved).toHaveLength(resolved);
		} finally {
			await client.close();
		}
	});

	it('reads every metric the profile resolves, with the PromQL the real engine accepts', async () => {
		const client = createPrometheusClient({url: urlOf(setup), timeoutMs: 5000});
		const source = createPrometheusSource({client, profile: profiles, rateWindow: '10s', upMatchers: [{label: 'job', op: '=~', value: '.*connect.*'}]});
		try {
			const fetched = await source.fetch(Date.now());
			expect(fetched.warnings).toEqual([]);
			expect(fetched.profile?.profile.name).toBe(profile);
			expect(fetched.results.get('workerUp')).toEqual([{labels: {instance: expect.stringMatching(/^127\.0\.0\.1:\d+$/), job: 'kafka-connect', worker_id: 'connect-1:8083'}, value: 1}]);
			expect(fetched.results.get('workerConnectorCount')?.[0]?.value).toBe(2);
			expect(byConnector(fetched.results, 'recordErrors')).toEqual({'my-sink': 2, 'my-source': 0});
			expect(byConnector(fetched.results, 'dlqWrites')).toEqual({'my-sink': 2, 'my-source': 0});
			expect(byConnector(fetched.results, 'sinkLag')).toEqual({'my-sink': 42});
			const rates = byConnector(fetched.results, 'recordRate');
			expect(Object.keys(rates).sort()).toEqual(['my-sink', 'my-source']);
			expect(Object.values(rates).every((rate) => rate > 0)).toBe(true);

			const connected = dbz(fetched.results, 'dbzConnected');
			expect(connected.map(([plugin]) => plugin)).toEqual(['mariadb', 'mongodb', 'mysql', 'oracle', 'postgres', 'sql_server']);
			expect(connected.every(([, , value]) => value === 1)).toBe(true);
			expect(connected.find(([plugin]) => plugin === 'mongodb')?.[1]).toBe('mongo1');
			expect(dbz(fetched.results, 'dbzMsBehindSource').map(([, server, value]) => [server, value])).toEqual(expect.arrayContaining([['dbserver1', 250], ['server1', 250], ['mongo1', 250]]));
			expect(dbz(fetched.results, 'dbzEventsRate').length).toBeGreaterThan(0);

			const statuses = fetched.results.get('connectorStatus') ?? [];
			if (profile === 'strimzi') {
				expect(statuses.map(({labels: {connector, status}}) => ({connector, status}))).toEqual(expect.arrayContaining([{connector: 'my-sink', status: 'running'}, {connector: 'my-source', status: 'running'}]));
				expect(fetched.results.get('taskStatus')).toHaveLength(2);
			} else {
				// The default format drops string attributes: status comes from REST only, and kctop says so.
				expect(statuses).toEqual([]);
				expect(fetched.profile?.missing.map((missing) => missing.metric)).toEqual(['connectorStatus', 'taskStatus']);
			}
		} finally {
			await source.close();
		}
	});
});
