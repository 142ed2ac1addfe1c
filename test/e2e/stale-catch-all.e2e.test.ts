import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {z} from 'zod';
import {root, runCli, startStack, type Stack} from './stack.js';

/**
 * Stale marking under the catch-all profile (issue #8): jmx_exporter's default format puts
 * the Debezium plugin in the metric name, so kctop reads those values through a name regex.
 * Their sample times are asked name by name (timestamp() needs plain selectors); the worker
 * counts behind the workers view's METRICS are timed too. Worker 2's exporter clock runs
 * 180 s behind (`scrape@2:skew=180000`), as a restarted Prometheus serves old samples: its
 * rows must come out stale with their age, worker 1's fresh, and Prometheus must accept the
 * one batched query (no fallback to one query per metric).
 */

const rules = `${root}test/fixtures/mbeans/exporter-rules/default-catchall.yml`;
const stackTrace = /\n\s+at [^\n]+:\d+:\d+|Unhandled|TypeError|ReferenceError/;

const onceJson = z.object({
	profile: z.string(),
	metrics: z.object({warnings: z.array(z.string()), staleSamples: z.object({rows: z.number(), oldestMs: z.number()}).optional()}),
	workers: z.array(z.object({id: z.string(), metricConnectors: z.number().optional(), metricsStale: z.object({ageMs: z.number(), missing: z.boolean()}).optional()})),
	connectors: z.array(
		z.object({
			name: z.string(),
			debezium: z.object({connected: z.boolean().optional()}).optional(),
			staleMetrics: z.object({ageMs: z.number(), connected: z.boolean().optional()}).optional(),
		}),
	),
});

const aboutThreeMinutes = (ms: number | undefined): boolean => ms !== undefined && ms > 175_000 && ms < 190_000;

let stack: Stack;

describe('old samples under the catch-all profile (Debezium read by name regex, worker counts)', () => {
	beforeAll(async () => {
		stack = await startStack({args: ['--scenario', 'steady', '--rules', rules, '--fault', 'scrape@2:skew=180000'], readySeries: 'kafka_connect_connect_worker_metrics_connector_count'});
	}, 90_000);

	afterAll(async () => {
		await stack?.stop();
	});

	it('--once -o json marks worker 2\'s Debezium state and METRICS stale with their age, worker 1\'s stay current', async () => {
		const args = ['--connect', stack.demo.restUrls.join(','), '--prometheus', stack.prometheusUrl, '--profile', 'catch-all'];
		const json = await runCli(['--once', '-o', 'json', ...args]);
		expect(json.stderr).not.toMatch(stackTrace);
		expect(json.code).toBe(0);
		const snapshot = onceJson.parse(JSON.parse(json.stdout));
		expect(snapshot.profile).toBe('catch-all');
		// Prometheus took the batched query with the per-name sample times.
		expect(snapshot.metrics.warnings.filter(warning => /refused the batched query/.test(warning))).toEqual([]);
		expect(snapshot.metrics.staleSamples?.oldestMs).toSatisfy(aboutThreeMinutes);

		// cdc-other-connector's task runs on worker 2: its Connected sample (read by name regex) is old.
		const other = snapshot.connectors.find(row => row.name === 'cdc-other-connector');
		expect(other?.debezium?.connected).toBeUndefined();
		expect(other?.staleMetrics?.connected).toBeTypeOf('boolean');
		expect(other?.staleMetrics?.ageMs).toSatisfy(aboutThreeMinutes);
		// cdc-test-connector's runs on worker 1, whose samples are current.
		const test = snapshot.connectors.find(row => row.name === 'cdc-test-connector');
		expect(test?.debezium?.connected).toBeTypeOf('boolean');
		expect(test?.staleMetrics).toBeUndefined();

		const worker = (id: string) => snapshot.workers.find(row => row.id === id);
		expect(worker('connect-2:8083')?.metricConnectors).toBeTypeOf('number');
		expect(worker('connect-2:8083')?.metricsStale?.missing).toBe(false);
		expect(worker('connect-2:8083')?.metricsStale?.ageMs).toSatisfy(aboutThreeMinutes);
		expect(worker('connect-1:8083')?.metricsStale).toBeUndefined();

		// The text output's workers table: the old counts are marked with their age.
		const text = await runCli(['--once', ...args], {COLUMNS: '160'});
		expect(text.code).toBe(0);
		const workerLine = text.stdout.split('\n').find(line => line.startsWith('connect-2:8083')) ?? '';
		expect(workerLine).toMatch(/\d+c\/\d+t\? (2m5\ds|3m\d*s?)/);
		expect(text.stdout.split('\n').find(line => line.startsWith('connect-1:8083')) ?? '').toMatch(/\d+c\/\d+t$/);
	}, 90_000);
});
