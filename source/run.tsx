import {render} from 'ink';
import React from 'react';
import {createConnectClient} from './clients/connect/client.js';
import {createPrometheusClient} from './clients/prometheus/client.js';
import {createScrapeClient} from './clients/scrape/client.js';
import type {Config} from './config/config.js';
import {promDuration} from './config/duration.js';
import {createPrometheusSource} from './metrics/prometheus-source.js';
import {findProfile, profiles} from './metrics/profiles/index.js';
import {createScrapeSource} from './metrics/scrape-source.js';
import type {MetricsSource} from './metrics/source.js';
import {checkSnapshot, checkText, type CheckOptions} from './model/check.js';
import {defaultThresholds, type HealthThresholds} from './model/snapshot.js';
import type {ClusterSnapshot} from './model/types.js';
import {oneLine} from './clients/errors.js';
import {journalPath, openJournalFile} from './store/journal-file.js';
import {createStore, type PollingStore} from './store/store.js';
import {App} from './ui/app.js';
import {renderSnapshotText} from './ui/once.js';

export interface RunIo {
	readonly stdout: NodeJS.WriteStream;
	readonly stderr: NodeJS.WriteStream;
	readonly stdin: NodeJS.ReadStream;
}

export interface RunOptions {
	/** The configuration for another context of the config file (`:ctx NAME`); throws a ConfigError when it cannot be built. */
	readonly reconfigure?: (context: string) => Config;
}

/** Wires clients → store → UI (or one snapshot to stdout) and returns the exit code. */
export async function run(config: Config, io: RunIo, options: RunOptions = {}): Promise<number> {
	const profile = findProfile(config.profile);
	if (!profile) {
		io.stderr.write(`kctop: --profile: unknown profile ${JSON.stringify(config.profile)}; known: ${profiles.map(p => p.name).join(', ')}\n`);
		return 2;
	}

	let demo: {close(): Promise<void>} | undefined;
	let connectUrls = config.connectUrls;
	let scrapeUrls = config.scrapeUrls;
	let prometheusUrl = config.prometheusUrl;
	let workerMap = config.workerMap;
	if (config.demo) {
		// Loaded only for --demo, so a production start never pays for the simulator.
		const {startDemoCluster} = await import('./demo/server.js');
		const cluster = await startDemoCluster({seed: config.demo.seed, scale: config.demo.scale});
		demo = cluster;
		connectUrls = cluster.restUrls;
		scrapeUrls = cluster.metricsUrls;
		prometheusUrl = undefined;
		workerMap = new Map(cluster.workers.map(w => [new URL(w.metricsUrl).host, w.id]));
	}

	const tls = {caFile: config.caFile, insecure: config.insecure};
	const connect = createConnectClient({urls: connectUrls, timeoutMs: config.timeoutMs, auth: config.connectAuth, headers: config.connectHeaders, ...tls});
	let metrics: MetricsSource | undefined;
	if (scrapeUrls.length > 0) {
		const client = createScrapeClient({urls: scrapeUrls, timeoutMs: config.timeoutMs, auth: config.prometheusAuth, headers: config.prometheusHeaders, ...tls});
		metrics = createScrapeSource({client, profile});
	} else if (prometheusUrl !== undefined) {
		const client = createPrometheusClient({url: prometheusUrl, timeoutMs: config.timeoutMs, auth: config.prometheusAuth, headers: config.prometheusHeaders, ...tls});
		metrics = createPrometheusSource({client, profile, rateWindow: promDuration(config.rateWindowMs), upMatchers: [{label: 'job', op: '=~', value: config.prometheusJob}]});
	}

	const thresholds: HealthThresholds = {...defaultThresholds, lagWarnMs: config.lagWarnMs, lagCritMs: config.lagCritMs};
	const store = createStore({
		connect,
		metrics,
		profile,
		intervalMs: config.intervalMs,
		historyWindowMs: config.historyWindowMs,
		workerMap,
		thresholds,
		demo: config.demo !== undefined,
		readOnly: config.readOnly,
		unreachableHint: hintFor(config).replace(/^kctop: /, '').trim() || undefined,
		// The live view keeps a journal per cluster in the XDG state directory; the demo and one-shot modes keep none.
		...(config.mode === 'tui' && config.demo === undefined ? {openJournal: (kafkaClusterId: string | undefined) => openJournalFile(journalPath(process.env, {kafkaClusterId, urls: config.connectUrls}))} : {}),
	});

	const cleanup = async (): Promise<void> => {
		store.stop();
		await Promise.allSettled([connect.close(), metrics?.close(), demo?.close()]);
	};

	let ended: TuiEnd;
	try {
		if (config.mode === 'check' || config.mode === 'once') {
			await firstPicture(store, metrics);
			return config.mode === 'check' ? runCheck(store, {thresholds, ...config.check}, config.output, io) : runOnce(store, config, io);
		}
		ended = await runTui(store, config, io, options);
	} finally {
		await cleanup();
	}
	// `:ctx NAME`: the same process starts again on the other cluster.
	return ended.kind === 'switch' ? run(ended.config, io, options) : 0;
}

/**
 * One refresh, or two a second apart in direct-scrape mode: rates (events/s) come from
 * the difference between two scrapes, which Prometheus does for itself.
 */
async function firstPicture(store: PollingStore, metrics: MetricsSource | undefined): Promise<void> {
	await store.refresh();
	if (metrics?.kind !== 'scrape' || store.getState().snapshot?.metrics?.everSucceeded !== true) return;
	await new Promise(resolve => setTimeout(resolve, 1000));
	await store.refresh();
}

function runOnce(store: PollingStore, config: Config, io: RunIo): number {
	const snapshot = store.getState().snapshot;
	if (!snapshot) {
		io.stderr.write('kctop: no snapshot could be built\n');
		return 1;
	}
	if (config.output === 'json') io.stdout.write(`${JSON.stringify(snapshotJson(snapshot, store), null, 2)}\n`);
	else io.stdout.write(`${renderSnapshotText(snapshot, {columns: io.stdout.columns ?? 160, ascii: config.ascii, color: config.color && io.stdout.isTTY === true, history: name => store.history(name)})}\n`);
	if (!snapshot.rest.everSucceeded) {
		io.stderr.write(`kctop: Kafka Connect did not answer: ${snapshot.rest.lastError ?? 'unknown error'}\n`);
		io.stderr.write(hintFor(config));
		return 1;
	}
	return 0;
}

/** Nagios/Icinga plugin: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (Connect unreachable). */
function runCheck(store: PollingStore, options: CheckOptions, output: Config['output'], io: RunIo): number {
	const snapshot = store.getState().snapshot;
	if (!snapshot) {
		io.stdout.write('UNKNOWN: no snapshot could be built\n');
		return 3;
	}
	const result = checkSnapshot(snapshot, options);
	io.stdout.write(output === 'json' ? `${JSON.stringify(result, null, 2)}\n` : checkText(result, oneLine));
	return result.exitCode;
}

function hintFor(config: Config): string {
	if (config.demo) return '';
	const local = config.connectUrls.every(url => /\/\/(localhost|127\.0\.0\.1)(:|\/|$)/.test(url));
	return local
		? 'kctop: nothing answers on localhost: start the stack with `docker compose up -d` (see readme.md), point --connect at your cluster, or try `npm run demo`\n'
		: 'kctop: check --connect (any worker of the cluster will do) and the network path to it\n';
}

/** The snapshot for scripts: everything the screen shows, plus each connector's recent history. */
export function snapshotJson(snapshot: ClusterSnapshot, store: Pick<PollingStore, 'history'>): unknown {
	return {
		...snapshot,
		connectors: snapshot.connectors.map(row => ({...row, history: store.history(row.name)})),
	};
}

type TuiEnd = {readonly kind: 'exit'} | {readonly kind: 'switch'; readonly config: Config};

async function runTui(store: PollingStore, config: Config, io: RunIo, options: RunOptions): Promise<TuiEnd> {
	let end: TuiEnd = {kind: 'exit'};
	let resolveExit: () => void = () => {};
	const exited = new Promise<void>(resolve => {
		resolveExit = resolve;
	});
	const switchContext = (name: string): string | undefined => {
		if (options.reconfigure === undefined) return 'switching contexts is not available here';
		try {
			end = {kind: 'switch', config: options.reconfigure(name)};
		} catch (error) {
			return error instanceof Error ? error.message : String(error);
		}
		resolveExit();
		return undefined;
	};
	const instance = render(<App store={store} options={{ascii: config.ascii, color: config.color, readOnly: config.readOnly, contexts: config.context}} onExit={() => resolveExit()} onSwitchContext={switchContext} />, {
		stdout: io.stdout,
		stdin: io.stdin,
		stderr: io.stderr,
		exitOnCtrlC: false,
		patchConsole: true,
		alternateScreen: true,
		incrementalRendering: true,
		maxFps: 15,
	});
	store.start();
	const onSignal = () => resolveExit();
	process.once('SIGTERM', onSignal);
	process.once('SIGHUP', onSignal);
	await Promise.race([exited, instance.waitUntilExit()]);
	process.off('SIGTERM', onSignal);
	process.off('SIGHUP', onSignal);
	store.stop();
	instance.unmount();
	await instance.waitUntilExit().catch(() => undefined);
	return end;
}
