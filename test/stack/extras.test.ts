import {readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {parse as parseYaml} from 'yaml';
import {z} from 'zod';
import {flagSpecs} from '../../source/config/config.js';
import {defaultProfile} from '../../source/metrics/profiles/default.js';
import {startPrometheus, type RunningPrometheus} from '../helpers/prometheus.js';

/**
 * The extras profile of docker-compose.yml, wired: kafka-exporter is scraped by
 * prometheus.yml, and Grafana is provisioned with the stack's Prometheus and a dashboard
 * that mirrors kctop's grid from the same series kctop's default profile queries.
 */

const root = fileURLToPath(new URL('../../', import.meta.url));
const read = (path: string): string => readFileSync(`${root}${path}`, 'utf8');

const compose = z
	.looseObject({services: z.record(z.string(), z.looseObject({volumes: z.array(z.string()).optional(), ports: z.array(z.string()).optional(), environment: z.record(z.string(), z.string()).optional()}))})
	.parse(parseYaml(read('docker-compose.yml'), {merge: true}));
const prometheusConfig = z
	.looseObject({scrape_configs: z.array(z.looseObject({job_name: z.string(), static_configs: z.array(z.object({targets: z.array(z.string())}))}))})
	.parse(parseYaml(read('prometheus.yml')));
const datasources = z
	.object({apiVersion: z.literal(1), datasources: z.array(z.looseObject({name: z.string(), uid: z.string(), type: z.string(), url: z.string(), isDefault: z.boolean().optional()}))})
	.parse(parseYaml(read('docker/grafana/provisioning/datasources/prometheus.yml')));
const providers = z
	.object({apiVersion: z.literal(1), providers: z.array(z.looseObject({type: z.literal('file'), options: z.object({path: z.string()})}))})
	.parse(parseYaml(read('docker/grafana/provisioning/dashboards/kctop.yml')));

const datasourceRef = z.object({type: z.string(), uid: z.string()});
const panelSchema = z.looseObject({
	type: z.string(),
	title: z.string(),
	datasource: datasourceRef,
	targets: z.array(z.looseObject({refId: z.string(), expr: z.string(), datasource: datasourceRef})),
	transformations: z.array(z.looseObject({id: z.string(), options: z.looseObject({renameByName: z.record(z.string(), z.string()).optional()})})).optional(),
});
const dashboard = z.looseObject({uid: z.string(), title: z.string(), panels: z.array(panelSchema)}).parse(JSON.parse(read('docker/grafana/dashboards/kctop.json')));
const expressions = dashboard.panels.flatMap(panel => panel.targets.map(target => target.expr));

const promqlWords = new Set(['sum', 'count', 'max', 'min', 'rate', 'increase', 'or', 'vector', 'by']);

/** Metric names in a PromQL expression: what is left without strings, matchers, ranges, `by` lists, functions and numbers. */
function metricNames(expr: string): string[] {
	const bare = expr
		.replace(/"(?:[^"\\]|\\.)*"/g, '')
		.replace(/\{[^}]*\}|\[[^\]]*\]/g, '')
		.replace(/\bby\s*\([^)]*\)/g, '');
	return (bare.match(/[a-zA-Z_:][a-zA-Z0-9_:]*/g) ?? []).filter(word => !promqlWords.has(word));
}

describe('kafka-exporter in prometheus.yml', () => {
	it('is scraped on the port compose publishes, under a job kctop never takes for Connect workers', () => {
		const job = prometheusConfig.scrape_configs.find(config => config.job_name === 'kafka-exporter');
		expect(job?.static_configs.flatMap(group => group.targets)).toEqual(['kafka-exporter:9308']);
		expect(compose.services['kafka-exporter']?.ports).toContain('9308:9308');
		const workerJobs = new RegExp(`^(?:${flagSpecs.prometheusJob.default})$`);
		expect(workerJobs.test('kafka-exporter')).toBe(false);
		expect(workerJobs.test('kafka-connect')).toBe(true);
	});
});

describe('Grafana provisioning', () => {
	it('mounts a Prometheus datasource pointing at the stack and a dashboard provider reading the mounted dashboards', () => {
		const volumes = compose.services.grafana?.volumes ?? [];
		expect(volumes).toContain('./docker/grafana/provisioning:/etc/grafana/provisioning:ro');
		const dashboardsMount = volumes.map(volume => volume.split(':')).find(([source]) => source === './docker/grafana/dashboards');
		expect(providers.providers.map(provider => provider.options.path)).toEqual([dashboardsMount?.[1]]);
		expect(datasources.datasources).toEqual([expect.objectContaining({type: 'prometheus', url: 'http://prometheus:9090', isDefault: true})]);
		expect(compose.services.prometheus?.ports).toContain('9090:9090');
		expect(compose.services.grafana?.environment?.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH).toBe(`${dashboardsMount?.[1]}/kctop.json`);
	});

	it('has a dashboard whose every query uses that datasource', () => {
		const uid = datasources.datasources[0]?.uid;
		for (const panel of dashboard.panels) {
			expect(panel.datasource.uid, panel.title).toBe(uid);
			for (const target of panel.targets) expect(target.datasource.uid, `${panel.title} ${target.refId}`).toBe(uid);
		}
	});

	it("mirrors kctop's grid: a connectors table with its columns, Debezium and workers tables", () => {
		const columns = (title: string): string[] => Object.values(dashboard.panels.find(panel => panel.type === 'table' && panel.title.startsWith(title))?.transformations?.find(t => t.id === 'organize')?.options.renameByName ?? {});
		expect(columns('Connectors')).toEqual(expect.arrayContaining(['NAME', 'STATE', 'TASKS', 'EV/S', 'ERRORS', 'DLQ']));
		expect(columns('Debezium')).toEqual(expect.arrayContaining(['CONNECTED (1 yes)', 'LAG ms behind source', 'LAST EV ms ago']));
		expect(columns('Workers')).toEqual(expect.arrayContaining(['WORKER', 'UP', 'CONNECTORS', 'TASKS']));
	});

	it("queries only series kctop's default profile queries (plus `up` and kafka-exporter's lag)", () => {
		const known = new Set(['up', 'kafka_consumergroup_lag', ...Object.values(defaultProfile.metrics).flatMap(metric => metric.series.map(series => series.name))]);
		const used = new Set(expressions.flatMap(metricNames));
		expect(used.size).toBeGreaterThan(10);
		expect([...used].filter(name => !known.has(name))).toEqual([]);
		expect(metricNames('sum by (connector) (rate(x_total{a="b"}[1m])) or vector(0)')).toEqual(['x_total']);
	});

	describe('against a real Prometheus', () => {
		let prometheus: RunningPrometheus | undefined;
		beforeAll(async () => {
			prometheus = await startPrometheus({scrapeTargets: []});
		}, 60_000);
		afterAll(async () => {
			await prometheus?.stop();
		});

		it('every dashboard query parses', async () => {
			const answers = z.object({status: z.string(), error: z.string().optional()});
			for (const expr of expressions) {
				const response = await fetch(`${prometheus?.url}/api/v1/query?query=${encodeURIComponent(expr)}`);
				const body = answers.parse(await response.json());
				expect({expr, status: body.status, error: body.error}).toEqual({expr, status: 'success', error: undefined});
			}
			const bad = answers.parse(await (await fetch(`${prometheus?.url}/api/v1/query?query=${encodeURIComponent('sum by (connector (x)')}`)).json());
			expect(bad.status).toBe('error');
		});
	});
});
