import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {z} from 'zod';
import {runCli, startStack, type Stack} from './stack.js';

/**
 * The cluster kctop was tried on (issue 7): three Connect 2.4.1 workers on one host, a real
 * Prometheus scraping their exporters with no worker_id label. kctop must pair each
 * exporter with its worker from what it runs, in Prometheus mode and in scrape mode, and
 * name the REST worker (not an exporter port) when one dies. The simulator's clock is
 * manual; the kill is a fault switched through its control endpoint.
 */

let stack: Stack;

beforeAll(async () => {
	stack = await startStack({args: ['--topology', 'one-host', '--connect-version', '2.4.1', '--scale', '6', '--scenario', 'steady'], workerIdLabels: false, elapsedMs: 5000});
}, 60_000);

afterAll(async () => {
	await stack?.stop();
});

const snapshotSchema = z.object({
	cluster: z.object({version: z.string()}),
	workers: z.array(z.object({id: z.string(), instance: z.string().optional(), pairing: z.string(), up: z.boolean().optional()})),
	totals: z.object({workersUp: z.number(), workersTotal: z.number()}),
	unpairedInstances: z.array(z.string()),
});

describe('three 2.4.1 workers on one host, Prometheus without worker_id labels', () => {
	it('pairs every exporter with its worker by assignment, in Prometheus mode and in scrape mode', async () => {
		const expected = stack.demo.workers.map(worker => [worker.id, new URL(worker.metricsUrl).host]).sort();
		for (const metrics of [['--prometheus', stack.prometheus.url], ['--scrape', stack.demo.metricsUrls.join(',')]]) {
			const result = await runCli(['--connect', stack.demo.restUrls.join(','), ...metrics, '-o', 'json']);
			expect(result.code, result.stderr).toBe(0);
			const snapshot = snapshotSchema.parse(JSON.parse(result.stdout));
			expect(snapshot.cluster.version).toBe('2.4.1');
			expect(snapshot.unpairedInstances).toEqual([]);
			expect(snapshot.workers.map(worker => [worker.id, worker.instance]).sort()).toEqual(expected);
			expect(snapshot.workers.every(worker => worker.pairing === 'assignment')).toBe(true);
			expect(snapshot.totals).toEqual(expect.objectContaining({workersUp: 3, workersTotal: 3}));
		}
	}, 60_000);

	it('names the REST worker when one dies, not its exporter port', async () => {
		const victim = stack.demo.workers[1];
		if (!victim) throw new Error('three workers expected');
		await stack.faults({set: ['worker@2:killed']});
		// Prometheus has scraped the dead target (up 0) once the clock has moved.
		await stack.setElapsed(6000);
		const check = await runCli(['check', '--connect', stack.demo.restUrls.join(','), '--prometheus', stack.prometheus.url]);
		expect(check.stdout).toContain(`CRITICAL worker ${victim.id}: worker is down`);
		expect(check.stdout).not.toContain(new URL(victim.metricsUrl).host);
		expect(check.code).toBe(2);
	}, 60_000);
});
