import {spawn} from 'node:child_process';
import {open, rm, stat} from 'node:fs/promises';
import {join} from 'node:path';
import {performance} from 'node:perf_hooks';
import {parseExposition} from '../clients/scrape/parser.js';
import type {ParsedExposition} from '../clients/scrape/types.js';
import {resolveConfig} from '../config/config.js';
import {compilePromRegex} from '../metrics/evaluate-samples.js';
import {historyMetricIds} from '../metrics/prometheus-source.js';
import type {NamingProfile} from '../metrics/types.js';

/**
 * History for the bench's Prometheus, written before it starts. Without it Prometheus holds
 * seconds of samples when kctop asks for its start-up range, and the answer is nearly empty;
 * a real Prometheus holds the whole window, and at 1,009 connectors that answer is about
 * 19 MB. So the bench turns each target's exposition (what the replay serves) into OpenMetrics
 * text with timestamps, one sample per scrape interval over the window kctop asks for, and
 * `promtool tsdb create-blocks-from openmetrics` writes it as TSDB blocks into Prometheus's data
 * directory. Only the series the history queries read are written (most of an exposition is
 * other families), each with the labels Prometheus's own scrape attaches to it (job, instance,
 * the target's labels), so the range answer joins the backfilled samples to the scraped ones.
 *
 * Values: a counter climbs over the window to the value the exposition holds (integers stay
 * integers, a zero stays zero), so the first live scrape continues it without a reset; a
 * gauge swings ±25 % around its value (zero, negative and non-finite values stay as they are).
 */

export const promtoolBinary = process.env['KCTOP_TEST_PROMTOOL'] ?? '/usr/bin/promtool';

/** One scrape target as Prometheus sees it. */
export interface BackfillTarget {
	/** The exposition text the target serves. */
	readonly exposition: string;
	/** The labels Prometheus attaches to its series: job, instance and the target group's labels. */
	readonly labels: Readonly<Record<string, string>>;
}

export interface HistorySpan {
	/** The newest sample's time, unix ms (rounded down to the interval when written). */
	readonly endMs: number;
	/** How far back the samples go, ms. */
	readonly spanMs: number;
	/** Time between two samples of a series: Prometheus's scrape interval, ms. */
	readonly intervalMs: number;
}

export interface BackfillStats {
	readonly series: number;
	readonly samples: number;
	/** Size of the OpenMetrics text, bytes. */
	readonly bytes: number;
	/** Generating the text, ms (wall). */
	readonly generateMs: number;
	/** promtool's run, ms (wall). */
	readonly promtoolMs: number;
}

/**
 * The sample names the history queries of these profiles read: plain names, the names a name
 * regex lists, and anything the regex matches.
 */
export function historySeriesFilter(profiles: readonly NamingProfile[]): (name: string) => boolean {
	const names = new Set<string>();
	const patterns: RegExp[] = [];
	for (const profile of profiles) {
		for (const id of historyMetricIds) {
			for (const selector of profile.metrics[id]?.series ?? []) {
				if (selector.nameRegex === true) {
					for (const name of selector.names ?? []) names.add(name);
					patterns.push(compilePromRegex(selector.name));
				} else names.add(selector.name);
			}
		}
	}
	return name => names.has(name) || patterns.some(pattern => pattern.test(name));
}

/**
 * How far back to fill for a start-up range query of `historyMs` whose rates look
 * `rateWindowMs` further back, asked at any time after the newest backfilled sample: the
 * scrapes after it cover the rest.
 */
export function historySpanMs(historyMs: number, rateWindowMs: number, intervalMs: number): number {
	return historyMs + rateWindowMs + 2 * intervalMs;
}

function escapeLabelValue(value: string): string {
	return value.replace(/[\\"\n]/g, char => (char === '\n' ? '\\n' : `\\${char}`));
}

function formatValue(value: number): string {
	if (Number.isNaN(value)) return 'NaN';
	if (value === Infinity) return '+Inf';
	if (value === -Infinity) return '-Inf';
	return String(value);
}

/** The labels of a scraped series: the sample's, with the target's on top (a clash keeps the sample's as exported_<name>, as honor_labels: false does). */
export function scrapedLabels(sample: Readonly<Record<string, string>>, target: Readonly<Record<string, string>>): Array<readonly [string, string]> {
	const out = new Map<string, string>();
	for (const [name, value] of Object.entries(sample)) out.set(Object.hasOwn(target, name) ? `exported_${name}` : name, value);
	for (const [name, value] of Object.entries(target)) out.set(name, value);
	return [...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * The value of one backfilled series `stepsBack` intervals before the newest sample (which is
 * `value` itself). `phase` spreads gauges apart; `steps` is the number of intervals in the span.
 */
export function historicValue(kind: 'counter' | 'gauge', value: number, stepsBack: number, steps: number, phase: number): number {
	if (!Number.isFinite(value) || value <= 0 || stepsBack === 0) return value;
	const integer = Number.isInteger(value);
	if (kind === 'counter') {
		// Half of the value accrued over the span, at a steady rate.
		const earlier = value * (1 - (0.5 * stepsBack) / Math.max(1, steps));
		return integer ? Math.floor(earlier) : earlier;
	}
	const swung = value * (1 + 0.25 * Math.sin(phase + (2 * Math.PI * stepsBack) / Math.max(8, steps)));
	return integer ? Math.round(swung) : swung;
}

function kindOf(exposition: ParsedExposition, name: string): 'counter' | 'gauge' {
	const type = exposition.families.get(name)?.type ?? (name.endsWith('_total') ? exposition.families.get(name.slice(0, -'_total'.length))?.type : undefined);
	if (type === 'counter') return 'counter';
	if (type === undefined || type === 'untyped' || type === 'unknown') return name.endsWith('_total') ? 'counter' : 'gauge';
	return 'gauge';
}

interface Series {
	readonly head: string;
	readonly kind: 'counter' | 'gauge';
	readonly value: number;
}

/** The series to backfill, grouped by name (OpenMetrics keeps a metric family's lines together). */
function seriesByName(targets: readonly BackfillTarget[], keep: (name: string) => boolean): Map<string, Series[]> {
	const byName = new Map<string, Series[]>();
	for (const target of targets) {
		const exposition = parseExposition(target.exposition, {keep, unquoteLabelValues: false});
		for (const sample of exposition.samples) {
			if (!keep(sample.name)) continue;
			const labels = scrapedLabels(sample.labels, target.labels)
				.map(([name, value]) => `${name}="${escapeLabelValue(value)}"`)
				.join(',');
			const series = {head: `${sample.name}{${labels}} `, kind: kindOf(exposition, sample.name), value: sample.value};
			const list = byName.get(sample.name);
			if (list === undefined) byName.set(sample.name, [series]);
			else list.push(series);
		}
	}
	return byName;
}

/**
 * The OpenMetrics text, in pieces of about `pieceBytes` (the text at 10,009 connectors is
 * hundreds of MB: it is written out piece by piece, never held whole). Each series' samples
 * oldest first, `# EOF` last.
 */
export function* openMetricsHistory(targets: readonly BackfillTarget[], keep: (name: string) => boolean, span: HistorySpan, pieceBytes = 1 << 20): Generator<string, {readonly series: number; readonly samples: number}> {
	const steps = Math.floor(span.spanMs / span.intervalMs);
	const endMs = Math.floor(span.endMs / span.intervalMs) * span.intervalMs;
	let piece = '';
	let series = 0;
	let samples = 0;
	for (const list of seriesByName(targets, keep).values()) {
		for (const each of list) {
			const phase = series * 0.7;
			series += 1;
			for (let back = steps; back >= 0; back--) {
				const seconds = (endMs - back * span.intervalMs) / 1000;
				piece += `${each.head}${formatValue(historicValue(each.kind, each.value, back, steps, phase))} ${seconds}\n`;
				samples += 1;
			}
			if (piece.length >= pieceBytes) {
				yield piece;
				piece = '';
			}
		}
	}
	yield `${piece}# EOF\n`;
	return {series, samples};
}

/** Runs promtool; its output only when it fails. */
async function promtool(args: readonly string[], binary: string): Promise<void> {
	const child = spawn(binary, [...args], {stdio: ['ignore', 'pipe', 'pipe']});
	let output = '';
	const keep = (chunk: Buffer): void => {
		output = (output + chunk.toString()).slice(-4000);
	};
	child.stdout.on('data', keep);
	child.stderr.on('data', keep);
	const code = await new Promise<number | null>((resolve, reject) => {
		child.once('error', reject);
		child.once('exit', resolve);
	}).catch((error: unknown) => {
		throw new Error(`could not run ${binary}: ${error instanceof Error ? error.message : String(error)}`);
	});
	if (code !== 0) throw new Error(`${binary} ${args.slice(0, 3).join(' ')} failed (exit ${String(code)}): ${output.trim().split('\n').slice(-3).join(' | ')}`);
}

/**
 * Writes the history of `targets` over `span` as TSDB blocks into `dataDir` (Prometheus's
 * --storage.tsdb.path, before Prometheus starts), through an OpenMetrics file in `workDir`
 * that is removed afterwards.
 */
export async function backfill(options: {
	readonly targets: readonly BackfillTarget[];
	readonly keep: (name: string) => boolean;
	readonly span: HistorySpan;
	readonly dataDir: string;
	readonly workDir: string;
	readonly promtool?: string;
}): Promise<BackfillStats> {
	const file = join(options.workDir, 'history.om.txt');
	const started = performance.now();
	const handle = await open(file, 'w');
	let counts: {readonly series: number; readonly samples: number};
	try {
		const pieces = openMetricsHistory(options.targets, options.keep, options.span);
		let next = pieces.next();
		while (next.done !== true) {
			await handle.write(next.value);
			next = pieces.next();
		}
		counts = next.value;
	} finally {
		await handle.close();
	}
	const generated = performance.now();
	const {size} = await stat(file);
	try {
		await promtool(['tsdb', 'create-blocks-from', 'openmetrics', '--quiet', file, options.dataDir], options.promtool ?? promtoolBinary);
	} finally {
		await rm(file, {force: true});
	}
	return {...counts, bytes: size, generateMs: generated - started, promtoolMs: performance.now() - generated};
}

/**
 * What kctop's start-up range query reads, with the flags the bench gives it: its history
 * window and rate window (kctop's own defaults, read from its config, so they follow them).
 */
export function kctopHistoryWindow(intervalSeconds: number): {readonly historyMs: number; readonly rateWindowMs: number} {
	const config = resolveConfig({connect: 'http://127.0.0.1:1', interval: `${intervalSeconds}s`}, {env: {}, stdoutIsTTY: true});
	return {historyMs: config.historyWindowMs, rateWindowMs: config.rateWindowMs};
}

/** The history of scrape targets (host:port, path /metrics), fetched now, under the labels Prometheus gives them. */
export async function scrapeTargetsForBackfill(groups: ReadonlyArray<{readonly job: string; readonly targets: readonly string[]; readonly labels?: Readonly<Record<string, string>>}>, timeoutMs: number): Promise<BackfillTarget[]> {
	const out: BackfillTarget[] = [];
	for (const group of groups) {
		for (const host of group.targets) {
			const response = await fetch(`http://${host}/metrics`, {signal: AbortSignal.timeout(timeoutMs)});
			if (!response.ok) throw new Error(`backfill: http://${host}/metrics answered ${response.status}`);
			// As Prometheus does: job and instance unless the group's labels set them.
			out.push({exposition: await response.text(), labels: {job: group.job, instance: host, ...group.labels}});
		}
	}
	return out;
}
