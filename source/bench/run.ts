/**
 * `npm run bench`: kctop's performance claims, each measured as a ratio against a
 * baseline measured in the same run on the same machine (never an absolute threshold).
 * Payloads come from the embedded simulator (the real REST bodies and exporter output
 * at that scale), fetched once before timing starts, so the simulator's own cost is not
 * in the figures.
 *
 *   1. kctop's work for one refresh in direct-scrape mode (parse and validate the expand
 *      body, parse three workers' expositions, evaluate the metric catalog, build the
 *      snapshot) at 10,000 connectors, against the same at 50.
 *   2. Snapshot build alone, 10,000 vs 50 connectors.
 *   3. Exposition parsing: kctop's parser against a bare line split of the same text (the
 *      floor any parser pays).
 *   4. One frame of the connectors grid at 120×40 after a new snapshot (filter, sort,
 *      visible rows), 10,000 vs 50 connectors: virtualized, so far below 200×.
 *
 * Results go to stdout as a table and to .bench-out/results.json.
 */
import {mkdirSync, writeFileSync} from 'node:fs';
import {performance} from 'node:perf_hooks';
import {connectorsExpandedSchema, type ConnectorsExpanded} from '../clients/connect/schemas.js';
import {parseExposition} from '../clients/scrape/parser.js';
import {startDemoCluster} from '../demo/server.js';
import {emptyCounterState, evaluateScrapes} from '../metrics/evaluate-samples.js';
import {defaultProfile} from '../metrics/profiles/default.js';
import type {MetricResults} from '../metrics/types.js';
import {buildSnapshot, defaultThresholds} from '../model/snapshot.js';
import type {ClusterSnapshot, SourceHealth} from '../model/types.js';
import {renderGridFrame} from './render-frame.js';

interface Measurement {
	readonly name: string;
	readonly medianMs: number;
	readonly runs: number;
}

/** Median of repeated runs: at least `minRuns`, until `minTimeMs` has passed. */
function measure(name: string, fn: () => unknown, options: {minRuns?: number; minTimeMs?: number; warmup?: number} = {}): Measurement {
	const {minRuns = 7, minTimeMs = 1500, warmup = 2} = options;
	for (let i = 0; i < warmup; i++) fn();
	const times: number[] = [];
	const started = performance.now();
	while (times.length < minRuns || performance.now() - started < minTimeMs) {
		const t0 = performance.now();
		fn();
		times.push(performance.now() - t0);
		if (times.length >= 500) break;
	}
	times.sort((a, b) => a - b);
	return {name, medianMs: times[Math.floor(times.length / 2)] ?? Number.NaN, runs: times.length};
}

const health: SourceHealth = {source: 'rest', everSucceeded: true, stale: false, lastSuccessAt: 0, lastAttemptAt: 0, lastError: undefined, endpoint: 'bench', warnings: [], consecutiveFailures: 0};

interface Payloads {
	readonly scale: number;
	readonly expandedBody: string;
	readonly expositions: ReadonlyArray<{readonly instance: string; readonly text: string}>;
}

async function payloads(scale: number): Promise<Payloads> {
	const cluster = await startDemoCluster({seed: 7, scale, scenario: 'steady'});
	try {
		const expandedBody = await (await fetch(`${cluster.restUrls[0] ?? ''}/connectors?expand=status&expand=info`)).text();
		const expositions = await Promise.all(cluster.metricsUrls.map(async url => ({instance: new URL(url).host, text: await (await fetch(url)).text()})));
		return {scale, expandedBody, expositions};
	} finally {
		await cluster.close();
	}
}

function build(connectors: ConnectorsExpanded, metrics: MetricResults): ClusterSnapshot {
	return buildSnapshot(
		{serverInfo: {version: '3.9.0'}, connectors, metrics, rest: health, metricsHealth: {...health, source: 'scrape'}, profile: defaultProfile, emptyMetrics: [], workerMap: new Map(), thresholds: defaultThresholds},
		{now: 1_000_000, sequence: 1, pastCounters: () => []},
	).snapshot;
}

/** Everything kctop does with one refresh's payloads in direct-scrape mode. */
function processRefresh(input: Payloads): {connectors: ConnectorsExpanded; metrics: MetricResults; snapshot: ClusterSnapshot} {
	const connectors = connectorsExpandedSchema.parse(JSON.parse(input.expandedBody));
	const endpoints = input.expositions.map(each => ({instance: each.instance, up: true, samples: parseExposition(each.text).samples, at: 1_000_000}));
	const {results} = evaluateScrapes(defaultProfile, endpoints, emptyCounterState);
	return {connectors, metrics: results, snapshot: build(connectors, results)};
}

async function main(): Promise<void> {
	const small = 50;
	const large = Number(process.env['KCTOP_BENCH_SCALE'] ?? 10_000);
	process.stdout.write(`kctop bench: ${small} vs ${large} connectors (node ${process.version}); fetching payloads from the simulator…\n`);
	const a = await payloads(small);
	const b = await payloads(large);
	const lines = (p: Payloads) => p.expositions.reduce((n, e) => n + e.text.split('\n').length, 0);
	process.stdout.write(`payloads: ${small}: ${(a.expandedBody.length / 1e6).toFixed(2)} MB REST, ${lines(a).toLocaleString('en')} exposition lines; ${large}: ${(b.expandedBody.length / 1e6).toFixed(1)} MB REST, ${lines(b).toLocaleString('en')} exposition lines\n`);
	const pa = processRefresh(a);
	const pb = processRefresh(b);
	if (pb.snapshot.connectors.length !== large) throw new Error(`expected ${large} connectors, built ${pb.snapshot.connectors.length}`);

	const rows: Array<{claim: string; baseline: Measurement; subject: Measurement; ratio: number; note: string}> = [];
	const compare = (claim: string, baseline: Measurement, subject: Measurement, note: string) => rows.push({claim, baseline, subject, ratio: subject.medianMs / baseline.medianMs, note});

	compare('one refresh, direct scrape (parse + evaluate + build)', measure(`refresh ${small}`, () => processRefresh(a), {minRuns: 20}), measure(`refresh ${large}`, () => processRefresh(b), {minRuns: 3, minTimeMs: 5000, warmup: 1}), `${large / small}× the connectors`);
	compare('snapshot build', measure(`build ${small}`, () => build(pa.connectors, pa.metrics), {minRuns: 50}), measure(`build ${large}`, () => build(pb.connectors, pb.metrics)), `${large / small}× the connectors`);
	const biggest = b.expositions.reduce((x, y) => (y.text.length > x.text.length ? y : x));
	compare(
		`exposition parse (${biggest.text.split('\n').length.toLocaleString('en')} lines, one worker)`,
		measure('line split (floor)', () => biggest.text.split('\n').length),
		measure('parseExposition', () => parseExposition(biggest.text), {minRuns: 3, minTimeMs: 3000, warmup: 1}),
		'parser over a bare line split',
	);
	compare('grid frame 120×40 after a new snapshot', measure(`frame ${small}`, () => renderGridFrame(pa.snapshot, 120, 40), {minRuns: 50}), measure(`frame ${large}`, () => renderGridFrame(pb.snapshot, 120, 40), {minRuns: 20}), `${large / small}× the connectors; only visible rows drawn`);

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
