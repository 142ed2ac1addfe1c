import {createConnectClient, type ConnectClient} from './clients/connect/client.js';
import {createPrometheusClient} from './clients/prometheus/client.js';
import {createScrapeClient} from './clients/scrape/client.js';
import type {Config} from './config/config.js';
import {promDuration} from './config/duration.js';
import {createPrometheusSource} from './metrics/prometheus-source.js';
import {profileChoice} from './metrics/profile-file.js';
import {kctopProfile} from './metrics/profiles/default.js';
import {createScrapeSource} from './metrics/scrape-source.js';
import {candidatesOf, type MetricsSource, type ProfileChoice} from './metrics/source.js';
import type {CheckOptions} from './model/check.js';
import {defaultThresholds, type HealthThresholds} from './model/snapshot.js';
import type {ClusterSnapshot} from './model/types.js';
import {capLength, isKctopError, oneLine} from './clients/errors.js';
import {registerAuth, registerHeaderValues, registerSecret, scrubSecrets} from './clients/secrets.js';
import {maskConfigRecord, registerConfigSecrets} from './model/mask-config.js';
import {formatDuration} from './model/format.js';
import diagnosticsChannel from 'node:diagnostics_channel';
import {mkdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {auditPath, openAuditFile} from './store/audit-file.js';
import {journalPath, openJournalFile, stateDirectory} from './store/journal-file.js';
import {copyToClipboard, type ClipboardTerminal} from './ui/clipboard.js';
import {createStore, type PollingStore} from './store/store.js';
import {collectGarbage} from './collect-once.js';

export interface RunIo {
	/** `columns` sizes the --once table; `isTTY` allows colour. */
	readonly stdout: NodeJS.WritableStream & {readonly columns?: number | undefined; readonly isTTY?: boolean | undefined};
	readonly stderr: NodeJS.WritableStream;
	readonly stdin: NodeJS.ReadableStream;
}

/** Time for the one-shot modes' waits; tests pass a fake clock whose sleep returns at once. */
export interface RunClock {
	now(): number;
	sleep(ms: number): Promise<void>;
}

const realClock: RunClock = {
	now: () => Date.now(),
	sleep: async ms =>
		new Promise(resolve => {
			setTimeout(resolve, ms);
		}),
};

/** While Connect answers 409 (rebalance), --once and check ask again this often, within --rebalance-wait. */
export const rebalanceRetryMs = 1000;

export interface RunOptions {
	/** The configuration for another context of the config file (`:ctx NAME`); throws a ConfigError when it cannot be built. */
	readonly reconfigure?: (context: string) => Config;
	/** Time for the one-shot modes' waits (default: the real clock). */
	readonly clock?: RunClock;
}

/** Wires clients → store → UI (or one snapshot to stdout) and returns the exit code. */
export async function run(config: Config, io: RunIo, options: RunOptions = {}): Promise<number> {
	registerConfigCredentials(config);
	let choice: ProfileChoice;
	try {
		choice = await profileChoice(config.profile, config.profileFile);
	} catch (error) {
		if (!isKctopError(error)) throw error;
		writeOut(io.stderr, `kctop: ${oneLine(error.message)}\n`);
		return 2;
	}
	// Until the metrics source reports the profile it detected, the first candidate names the columns.
	const [profile = kctopProfile] = candidatesOf(choice);
	if (config.insecure && config.mode !== 'tui') writeOut(io.stderr, insecureWarning);

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

	const tls = {caFile: config.caFile, insecure: config.insecure, maxBodyBytes: config.maxBodyBytes};
	const connect = observeConnectors(createConnectClient({urls: connectUrls, timeoutMs: config.timeoutMs, auth: config.connectAuth, headers: config.connectHeaders, ...tls}));
	let metrics: MetricsSource | undefined;
	if (scrapeUrls.length > 0) {
		// An exporter's body has --query-timeout in all while it keeps arriving, and --timeout to start or to send its next piece. The live view draws without it after --timeout (StoreOptions.metricsWait); the one-shot modes wait for it.
		const client = createScrapeClient({urls: scrapeUrls, timeoutMs: config.queryTimeoutMs, idleTimeoutMs: config.timeoutMs, auth: config.prometheusAuth, headers: config.prometheusHeaders, ...tls});
		metrics = createScrapeSource({client, profile: choice});
	} else if (prometheusUrl !== undefined) {
		// A Prometheus query has --query-timeout (a connection --timeout). The live view draws without it after --timeout (StoreOptions.metricsWait); the one-shot modes wait for it: at 10,009 connectors a cold Prometheus took 8.5-10 s, and --once gave up on it at 5 s.
		const client = createPrometheusClient({url: prometheusUrl, timeoutMs: config.queryTimeoutMs, connectTimeoutMs: config.timeoutMs, auth: config.prometheusAuth, headers: config.prometheusHeaders, ...tls});
		metrics = createPrometheusSource({client, profile: choice, rateWindow: promDuration(config.rateWindowMs), upMatchers: [{label: 'job', op: '=~', value: config.prometheusJob}]});
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
		unreachableHint: config.demo || !isLocal(config) ? undefined : localHint,
		...(config.mode === 'tui' && metrics !== undefined ? {metricsWait: {waitMs: config.timeoutMs, giveUpMs: config.queryTimeoutMs}} : {}),
		// The live view keeps a journal per cluster in the XDG state directory; the demo and one-shot modes keep none.
		...(config.mode === 'tui' && config.demo === undefined ? {openJournal: (kafkaClusterId: string | undefined) => openJournalFile(journalPath(process.env, {kafkaClusterId, urls: config.connectUrls}))} : {}),
		// Every action sent is audited (store/audit-file.ts), except against the embedded demo.
		...(config.mode === 'tui' && config.demo === undefined ? {audit: openAuditFile(auditPath(process.env), {context: config.context?.name, connectUrls: config.connectUrls})} : {}),
	});
	// Config values hidden by key are secrets wherever else they turn up (a trace, an error).
	let registeredFrom: ClusterSnapshot | undefined;
	const unsubscribe = store.subscribe(() => {
		const {snapshot} = store.getState();
		if (snapshot === undefined || snapshot === registeredFrom) return;
		registeredFrom = snapshot;
		for (const row of snapshot.connectors) registerConfigSecrets(row.config);
	});

	const cleanup = async (): Promise<void> => {
		unsubscribe();
		store.stop();
		await Promise.allSettled([connect.close(), metrics?.close(), demo?.close()]);
	};

	let ended: TuiEnd;
	try {
		if (config.mode === 'check' || config.mode === 'once') {
			const picture = await firstPicture(store, metrics, connect, config.rebalanceWaitMs, options.clock ?? realClock);
			return config.mode === 'check' ? await runCheck(store, {thresholds, ...config.check}, config, picture, io) : await runOnce(store, config, picture, io);
		}
		ended = await runTui(store, config, io, options, metrics?.kind === 'prometheus');
	} finally {
		await cleanup();
	}
	// `:ctx NAME`: the same process starts again on the other cluster.
	return ended.kind === 'switch' ? run(ended.config, io, options) : 0;
}

/**
 * `P` in the live view: the incident report as a file in the current directory (or the
 * state directory when that is not writable), through the same secret scrub as every output.
 * Returns the line for the status bar.
 */
function writeReportFile(store: PollingStore, clipboard: ClipboardTerminal | undefined, report: ReportModule | undefined): string {
	const {snapshot, journal} = store.getState();
	if (snapshot === undefined) return 'no report yet: nothing has been seen';
	if (report === undefined) return 'the report writer is still loading: press P again';
	const {incidentReport} = report;
	const name = `kctop-report-${new Date(snapshot.takenAt).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}.md`;
	const text = scrubSecrets(incidentReport({snapshot, journal, history: connector => store.history(connector)}));
	const copied = clipboard === undefined ? '' : `; ${copyToClipboard(text, [clipboard], process.env)}`;
	return `${saveReport(name, text)}${copied}`;
}

function saveReport(name: string, text: string): string {
	for (const directory of [process.cwd(), stateDirectory(process.env)]) {
		try {
			mkdirSync(directory, {recursive: true});
			const path = join(directory, name);
			writeFileSync(path, text, {mode: 0o600});
			return `report written to ${path}`;
		} catch {
			// try the next place
		}
	}
	return `could not write ${name} to ${process.cwd()} or ${stateDirectory(process.env)}`;
}

/**
 * The one door for the one-shot modes' output (table, JSON, check, stderr): registered
 * secrets and passwords in URLs are masked in whatever is written.
 */
function writeOut(stream: NodeJS.WritableStream, text: string): void {
	stream.write(scrubSecrets(text));
}

const insecureWarning = 'kctop: WARNING: --insecure: TLS certificates are NOT verified; anyone on the network path can read and change this traffic, credentials included\n';

/** Credentials given as flags, headers and passwords in URLs are secrets for every output, from the start. */
function registerConfigCredentials(config: Config): void {
	registerAuth(config.connectAuth);
	registerAuth(config.prometheusAuth);
	registerHeaderValues(config.connectHeaders);
	registerHeaderValues(config.prometheusHeaders);
	for (const url of [...config.connectUrls, ...config.scrapeUrls, ...(config.prometheusUrl === undefined ? [] : [config.prometheusUrl])]) {
		try {
			const parsed = new URL(url);
			registerSecret(parsed.password);
			registerSecret(decodeURIComponent(parsed.password));
		} catch {
			// Not a URL: resolveConfig has already refused it.
		}
	}
}

interface ObservedConnect extends ConnectClient {
	/** Why the last connectors() call failed; undefined after a success. */
	lastConnectorsError(): unknown;
}

/** The Connect client, remembering the last connectors() failure so the one-shot modes can tell a rebalance (409) from an outage. */
function observeConnectors(client: ConnectClient): ObservedConnect {
	let lastError: unknown;
	return {
		...client,
		connectors: async signal => {
			try {
				const result = await client.connectors(signal);
				lastError = undefined;
				return result;
			} catch (error) {
				lastError = error;
				throw error;
			}
		},
		lastConnectorsError: () => lastError,
	};
}

function isRebalance(error: unknown): boolean {
	return isKctopError(error) && error.kind === 'http' && error.status === 409;
}

interface FirstPicture {
	/** Set when Connect still answered 409 when --rebalance-wait ran out: for how long it did. */
	readonly rebalanceMs: number | undefined;
	/** Why the last connectors call failed, if it did. */
	readonly restError: unknown;
}

/**
 * One refresh, asked again while Connect answers 409 (a rebalance) until `rebalanceWaitMs`
 * has passed; then, in direct-scrape mode, a second refresh a second later: rates
 * (events/s) come from the difference between two scrapes, which Prometheus does itself.
 */
async function firstPicture(store: PollingStore, metrics: MetricsSource | undefined, connect: ObservedConnect, rebalanceWaitMs: number, clock: RunClock): Promise<FirstPicture> {
	const startedAt = clock.now();
	await store.refresh();
	while (isRebalance(connect.lastConnectorsError())) {
		const waited = clock.now() - startedAt;
		if (waited >= rebalanceWaitMs) return {rebalanceMs: waited, restError: connect.lastConnectorsError()};
		await clock.sleep(Math.min(rebalanceRetryMs, rebalanceWaitMs - waited));
		await store.refresh();
	}
	if (metrics?.kind === 'scrape' && store.getState().snapshot?.metrics?.everSucceeded === true) {
		await clock.sleep(1000);
		await store.refresh();
	}
	// The sparkline window (and what needs it: the sink verdict, trends) comes from the start-up range query.
	await store.historySettled();
	return {rebalanceMs: undefined, restError: connect.lastConnectorsError()};
}

function rebalanceText(ms: number): string {
	return `rebalance in progress for ${Math.round(ms / 1000)} s`;
}

/** One stderr line of at most 80 columns: which source failed and why. */
function sourceLine(label: string, reason: string): string {
	return `${capLength(`kctop: ${label}: ${oneLine(reason)}`, 80)}\n`;
}

type ReportModule = typeof import('./ui/report.js');

async function runOnce(store: PollingStore, config: Config, picture: FirstPicture, io: RunIo): Promise<number> {
	const snapshot = store.getState().snapshot;
	if (!snapshot) {
		writeOut(io.stderr, 'kctop: no snapshot could be built\n');
		return 1;
	}
	if (config.output === 'json') writeOut(io.stdout, `${jsonText(snapshotJson(snapshot, store))}\n`);
	else if (config.output === 'markdown') {
		const {incidentReport} = await import('./ui/report.js');
		const report = scrubSecrets(incidentReport({snapshot, journal: store.getState().journal, history: name => store.history(name)}));
		writeOut(io.stdout, report);
		if (config.clipboard) writeOut(io.stderr, `kctop: report ${copyToClipboard(report, [io.stdout, io.stderr], process.env)}\n`);
	}
	else writeOut(io.stdout, `${(await import('./ui/once.js')).renderSnapshotText(snapshot, {columns: io.stdout.columns ?? 160, ascii: config.ascii, color: config.color && io.stdout.isTTY === true, demo: config.demo !== undefined, history: name => store.history(name)})}\n`);
	if (snapshot.metrics !== undefined && !snapshot.metrics.everSucceeded) writeOut(io.stderr, sourceLine(`${snapshot.metrics.source === 'scrape' ? 'scrape' : 'Prometheus'} unavailable`, snapshot.metrics.lastError ?? 'no answer'));
	if (!snapshot.rest.everSucceeded) {
		if (picture.rebalanceMs !== undefined) {
			writeOut(io.stderr, `kctop: Kafka Connect: ${rebalanceText(picture.rebalanceMs)} (it answers 409 Conflict; --rebalance-wait ${formatDuration(config.rebalanceWaitMs)}); try again shortly\n`);
			return 1;
		}
		writeOut(io.stderr, `kctop: Kafka Connect did not answer: ${snapshot.rest.lastError ?? 'unknown error'}\n`);
		writeOut(io.stderr, hintFor(config, picture.restError));
		return 1;
	}
	return 0;
}

/** Nagios/Icinga plugin: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (Connect unreachable). */
async function runCheck(store: PollingStore, options: CheckOptions, config: Config, picture: FirstPicture, io: RunIo): Promise<number> {
	const {checkSnapshot, checkText} = await import('./model/check.js');
	const snapshot = store.getState().snapshot;
	if (!snapshot) {
		writeOut(io.stdout, 'UNKNOWN: no snapshot could be built\n');
		return 3;
	}
	let result = checkSnapshot(snapshot, options);
	if (picture.rebalanceMs !== undefined && !snapshot.rest.everSucceeded) {
		// Connect is there, only busy rebalancing: a warning, not an outage that pages someone.
		const text = `${rebalanceText(picture.rebalanceMs)}: ${snapshot.rest.lastError ?? '409 Conflict'}`;
		result = {status: 'WARNING', exitCode: 1, summary: `WARNING: ${rebalanceText(picture.rebalanceMs)}`, findings: [{status: 'WARNING', severity: 'source', subject: 'Kafka Connect', text}]};
	}
	writeOut(io.stdout, config.output === 'json' ? `${jsonText(result)}\n` : checkText(result, oneLine));
	return result.exitCode;
}

const localHint = 'if nothing runs on localhost: start the stack with `docker compose up -d` (see readme.md), point --connect at your cluster, or try `npm run demo`';

function isLocal(config: Config): boolean {
	return config.connectUrls.every(url => /\/\/([^/@]*@)?(localhost|127\.0\.0\.1|\[::1\])(:|\/|$)/.test(url));
}

/**
 * What to try next after Connect failed. "Nothing answers on localhost" only when nothing
 * answered at all (connection refused) and every URL is local; a host that answered with
 * an error gets advice about that error instead.
 */
function hintFor(config: Config, error: unknown): string {
	if (config.demo) return '';
	if (!isKctopError(error)) return 'kctop: check --connect (any worker of the cluster will do) and the network path to it\n';
	switch (error.kind) {
		case 'connection':
			return isLocal(config)
				? 'kctop: nothing answers on localhost: start the stack with `docker compose up -d` (see readme.md), point --connect at your cluster, or try `npm run demo`\n'
				: 'kctop: check --connect (any worker of the cluster will do) and the network path to it\n';
		case 'timeout':
			return 'kctop: the worker did not answer in time: check the network path, or raise --timeout\n';
		case 'auth':
			return 'kctop: Kafka Connect refused the credentials: check --user/--password or --token (or KCTOP_CONNECT_*)\n';
		case 'too-large':
			return 'kctop: raise --max-body if so large an answer is expected\n';
		default:
			return 'kctop: Kafka Connect answered, but not as expected: is --connect the REST port of a Connect worker?\n';
	}
}

/**
 * JSON for stdout: the exact strings (scripts need real names), with the characters a
 * terminal could act on or hide written as \\u escapes, which JSON.stringify leaves raw
 * for DEL, C1 and the invisible format characters (it already escapes C0).
 */
export function jsonText(value: unknown): string {
	// eslint-disable-next-line no-control-regex
	return JSON.stringify(value, null, 2).replace(/[\u007F-\u009F\u00AD\u061C\u200B-\u200F\u2028-\u202E\u2060-\u206F\uFEFF]/g, char => `\\u${(char.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`);
}

/** The snapshot for scripts: everything the screen shows, plus each connector's recent history; secret config values masked. */
export function snapshotJson(snapshot: ClusterSnapshot, store: Pick<PollingStore, 'history'>): unknown {
	const {profileSummary, ...rest} = snapshot;
	return {
		...rest,
		profileMetrics: profileSummary === undefined ? undefined : `${profileSummary.resolved}/${profileSummary.total}`,
		profileDetected: profileSummary?.detected,
		profileMissing: profileSummary?.missing,
		connectors: rest.connectors.map(row => ({...row, config: maskConfigRecord(row.config), history: store.history(row.name)})),
	};
}

type TuiEnd = {readonly kind: 'exit'} | {readonly kind: 'switch'; readonly config: Config};

/**
 * How long the terminal UI waits, at most, for the first instant query to be on the wire
 * before it loads: about one round trip to Prometheus (profile detection) in the usual case;
 * the cap bounds the blank screen when Prometheus is slow or down.
 */
export const firstQueryWaitMs = 300;

const instantQueryPath = /\/api\/v1\/query(?:\?|$)/;

/**
 * Settles once a request to `/api/v1/query` has been written to its socket, as undici's
 * diagnostics channel `undici:request:bodySent` tells, or after `capMs`.
 */
export async function instantQueryWritten(capMs: number): Promise<void> {
	let timer: NodeJS.Timeout | undefined;
	let listener: ((message: unknown) => void) | undefined;
	await new Promise<void>(resolve => {
		listener = message => {
			const request: unknown = typeof message === 'object' && message !== null && 'request' in message ? message.request : undefined;
			const path: unknown = typeof request === 'object' && request !== null && 'path' in request ? request.path : undefined;
			if (typeof path === 'string' && instantQueryPath.test(path)) resolve();
		};
		diagnosticsChannel.subscribe('undici:request:bodySent', listener);
		timer = setTimeout(resolve, capMs);
	});
	clearTimeout(timer);
	if (listener !== undefined) diagnosticsChannel.unsubscribe('undici:request:bodySent', listener);
}

async function runTui(store: PollingStore, config: Config, io: RunIo, options: RunOptions, prometheus: boolean): Promise<TuiEnd> {
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
	// The first refresh goes out before the terminal UI (Ink, React, the views) is loaded:
	// loading it takes longer than a refresh on a small machine, and now overlaps with it.
	// Loading holds the only thread, so the instant query, which waits for the profile
	// detection's answer, is let out first: Prometheus evaluates it while the UI loads.
	const queryWritten = prometheus ? instantQueryWritten(firstQueryWaitMs) : undefined;
	store.start();
	await queryWritten;
	// React is CommonJS: its exports are read from `default`, which both Node and the bundle provide.
	const [{render}, {default: react}, {App}, {createScreenWriter, keyboardOnlyStdout}] = await Promise.all([import('ink'), import('react'), import('./ui/app.js'), import('./ui/screen-writer.js')]);
	const {createElement} = react;
	let report: ReportModule | undefined;
	// The screen is drawn by a ScreenWriter (only the characters that changed); Ink reads the keyboard.
	const writer = createScreenWriter(io.stdout);
	const inkOut = keyboardOnlyStdout(io.stdout);
	const app = createElement(App, {
		writer,
		store,
		options: {ascii: config.ascii, color: config.color, readOnly: config.readOnly, insecure: config.insecure, contexts: config.context},
		onExit: () => resolveExit(),
		onSwitchContext: switchContext,
		onWriteReport: () => writeReportFile(store, config.clipboard ? io.stdout : undefined, report),
	});
	writer.open();
	try {
		const instance = render(app, {
			stdout: inkOut.stream,
			stdin: io.stdin,
			// console.* while the writer owns the screen is dropped rather than drawn over it.
			stderr: inkOut.stream,
			exitOnCtrlC: false,
			patchConsole: true,
			maxFps: 15,
		});
		// Start-up's largest reads leave a heap V8 does not give back while refreshes keep it busy: one full collection once they are over.
		void store.startupSettled().then(() => collectGarbage());
		// Needed only for `P`: loaded once the first frame is up.
		void import('./ui/report.js').then(
			module => {
				report = module;
			},
			() => undefined,
		);
		const onSignal = () => resolveExit();
		process.once('SIGTERM', onSignal);
		process.once('SIGHUP', onSignal);
		await Promise.race([exited, instance.waitUntilExit()]);
		process.off('SIGTERM', onSignal);
		process.off('SIGHUP', onSignal);
		store.stop();
		instance.unmount();
		await instance.waitUntilExit().catch(() => undefined);
	} finally {
		inkOut.detach();
		writer.close();
	}
	return end;
}
