/**
 * `npm run bench`: kctop's performance claims, each measured as a ratio against a
 * baseline measured in the same run on the same machine (never an absolute threshold).
 *
 *   1. One refresh (REST expand call + direct scrape of 3 workers + snapshot build) against
 *      the embedded simulator at 10,000 connectors, against the same at 50 connectors.
 *   2. Snapshot build alone, 10,000 vs 50 connectors (cost per connector should stay flat).
 *   3. Exposition parsing: kctop's parser against a plain line split of the same text
 *      (the floor any parser pays).
 *   4. One frame of the connectors grid at 120×40 with 10,000 connectors, against 50
 *      (the grid is virtualized: the ratio should stay near 1).
 *
 * Results go to stdout as a table and to .bench-out/results.json.
 */
import {mkdirSync, writeFileSync} from 'node:fs';
import {performance} from 'node:perf_hooks';
import {createConnectClient} from '../clients/connect/client.js';
import type {ConnectorsExpanded} from '../clients/connect/schemas.js';
import {parseExposition} from '../clients/scrape/parser.js';
import {createScrapeClient} from '../clients/scrape/client.js';
import {startDemoCluster, type DemoCluster} from '../demo/server.js';
import {defaultProfile} from '../metrics/profiles/default.js';
import {createScrapeSource} from '../metrics/scrape-source.js';
import type {MetricResults} from '../metrics/types.js';
import {buildSnapshot, defaultThresholds} from '../model/snapshot.js';
import type {ClusterSnapshot, SourceHealth} from '../model/types.js';
import {createStore} from '../store/store.js';
import {renderGridFrame} from './render-frame.js';

interface Measurement {
	readonly name: string;
	readonly medianMs: number;
	readonly runs: number;
}

/** Median of repeated runs: at least `minRuns`, until `minTimeMs` has passed. */
async function measure(name: string, fn: () => unknown, options: {minRuns?: number; minTimeMs?: number; warmup?: number} = {}): Promise<Measurement> {
	const {minRuns = 7, minTimeMs = 1500, warmup = 2} = options;
	for (let i = 0; i < warmup; i++) await fn();
	const times: number[] = [];
	const started = performance.now();
	while (times.length < minRuns || performance.now() - started < minTimeMs) {
		const t0 = performance.now();
		await fn();
		times.push(performance.now() - t0);
		if (times.length >= 200) break;
	}
	times.sort((a, b) => a - b);
	return {name, medianMs: times[Math.floor(times.length / 2)] ?? Number.NaN, runs: times.length};
}

const health: SourceHealth = {source: 'rest', everSucceeded: true, stale: false, lastSuccessAt: 0, lastAttemptAt: 0, lastError: undefined, endpoint: 'bench', warnings: [], consecutiveFailures: 0};

async function fixture(scale: number): Promise<{cluster: DemoCluster; connectors: ConnectorsExpanded; metrics: MetricResults; exposition: string; snapshot: ClusterSnapshot}> {
	const cluster = await startDemoCluster({seed: 7, scale, scenario: 'steady'});
	const connect = createConnectClient({urls: cluster.restUrls, timeoutMs: 60_000});
	const scrape = createScrapeSource({client: createScrapeClient({urls: cluster.metricsUrls, timeoutMs: 60_000}), profile: defaultProfile});
	const {connectors} = await connect.connectors();
	const fetched = await scrape.fetch(Date.now());
	const response = await fetch(cluster.metricsUrls[0] ?? '');
	const exposition = await response.text();
	await connect.close();
	await scrape.close();
	const snapshot = build(connectors, fetched.results);
	return {cluster, connectors, metrics: fetched.results, exposition, snapshot};
}

function build(connectors: ConnectorsExpanded, metrics: MetricResults): ClusterSnapshot {
	return buildSnapshot(
		{serverInfo: {version: '3.9.0'}, connectors, metrics, rest: health, metricsHealth: {...health, source: 'scrape'}, profile: defaultProfile, emptyMetrics: [], workerMap: new Map(), thresholds: defaultThresholds},
		{now: Date.now(), sequence: 1, pastCounters: () => []},
	).snapshot;
}

async function refreshOnce(cluster: DemoCluster): Promise<() => Promise<void>> {
	const connect = createConnectClient({urls: cluster.restUrls, timeoutMs: 60_000});
	const metrics = createScrapeSource({client: createScrapeClient({urls: cluster.metricsUrls, timeoutMs: 60_000}), profile: defaultProfile});
	const store = createStore({connect, metrics, profile: defaultProfile, intervalMs: 2000, historyWindowMs: 300_000, thresholds: defaultThresholds});
	return () => store.refresh();
}

async function main(): Promise<void> {
	const small = 50;
	const large = Number(process.env['KCTOP_BENCH_SCALE'] ?? 10_000);
	process.stdout.write(`kctop bench: ${small} vs ${large} connectors (node ${process.version})\n`);
	const a = await fixture(small);
	const b = await fixture(large);
	const rows: Array<{claim: string; baseline: Measurement; subject: Measurement; ratio: number; note: string}> = [];
	const compare = (claim: string, baseline: Measurement, subject: Measurement, note: string) => rows.push({claim, baseline, subject, ratio: subject.medianMs / baseline.medianMs, note});

	const refreshSmall = await refreshOnce(a.cluster);
	const refreshLarge = await refreshOnce(b.cluster);
	compare('one refresh (REST + scrape + build)', await measure(`refresh ${small}`, refreshSmall, {minRuns: 5}), await measure(`refresh ${large}`, refreshLarge, {minRuns: 5}), `${large / small}× the connectors`);

	compare('snapshot build', await measure(`build ${small}`, () => build(a.connectors, a.metrics), {minRuns: 50}), await measure(`build ${large}`, () => build(b.connectors, b.metrics)), `${large / small}× the connectors`);

	const lines = b.exposition.split('\n').length;
	compare(
		`exposition parse (${lines.toLocaleString('en')} lines, one worker)`,
		await measure('line split (floor)', () => b.exposition.split('\n').length),
		await measure('parseExposition', () => parseExposition(b.exposition)),
		'parser cost over a bare line split',
	);

	compare('grid frame 120×40', await measure(`frame ${small}`, () => renderGridFrame(a.snapshot, 120, 40), {minRuns: 20}), await measure(`frame ${large}`, () => renderGridFrame(b.snapshot, 120, 40), {minRuns: 20}), `${large / small}× the connectors; virtualized`);

	await a.cluster.close();
	await b.cluster.close();

	const header = ['claim', 'baseline', 'subject', 'ratio', 'note'];
	const table = rows.map(r => [r.claim, `${r.baseline.name}: ${r.baseline.medianMs.toFixed(2)} ms`, `${r.subject.name}: ${r.subject.medianMs.toFixed(2)} ms`, `${r.ratio.toFixed(1)}×`, r.note]);
	const widths = header.map((h, i) => Math.max(h.length, ...table.map(row => (row[i] ?? '').length)));
	const format = (row: readonly string[]) => row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ');
	process.stdout.write(`${format(header)}\n${format(widths.map(w => '-'.repeat(w)))}\n${table.map(format).join('\n')}\n`);
	mkdirSync('.bench-out', {recursive: true});
	writeFileSync('.bench-out/results.json', `${JSON.stringify({node: process.version, small, large, rows}, null, 2)}\n`);
}

main().catch((error: unknown) => {
	process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
	process.exitCode = 1;
});
