import {spawn} from 'node:child_process';
import {existsSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {z} from 'zod';
import {startDemoProcess, type DemoInfo, type DemoProcess} from '../../source/bench/demo-process.js';
import {startPrometheus, type RunningPrometheus} from '../helpers/prometheus.js';

/**
 * The real parts end-to-end tests run against: the demo simulator as its own process
 * (dist/demo/demo-server.js) and Debian's Prometheus scraping its exporter endpoints,
 * each target labelled with its REST worker_id as the repository's prometheus.yml does.
 *
 * The simulator runs on a manual clock (`--clock manual`): its time stands still until a
 * test moves it through the control endpoint, so what a test sees never depends on how
 * fast the machine is (a loaded machine used to land in the 47–53 s rebalance window).
 */

export const root = fileURLToPath(new URL('../../', import.meta.url));
/** kctop as users start it: the bin (version check, NODE_ENV, its one relaunch with V8 flags), which loads the bundle in dist/bundle/kctop/. */
export const cli = `${root}bin/kctop.cjs`;
const bundle = `${root}dist/bundle/kctop/cli.js`;
export const node = process.execPath;

const clockAnswer = z.object({mode: z.string(), nowMs: z.number(), elapsedMs: z.number()});
const faultsAnswer = z.object({faults: z.array(z.string())});
const countsAnswer = z.object({rest: z.number(), writes: z.number(), lists: z.number(), scrapes: z.number(), prometheus: z.number()});
export type RequestCounts = z.infer<typeof countsAnswer>;
export type {DemoInfo} from '../../source/bench/demo-process.js';

export interface Stack {
	readonly demo: DemoInfo;
	readonly prometheus: RunningPrometheus;
	/** Moves the simulation to `elapsedMs` after its start (never back); resolves once the simulator has caught up and Prometheus has scraped it. */
	setElapsed(elapsedMs: number): Promise<void>;
	/** Switches simulator faults on (`set`) and off (`clear`), see source/demo/faults.ts. */
	faults(change: {readonly set?: readonly string[]; readonly clear?: readonly string[] | 'all'}): Promise<readonly string[]>;
	/** Requests the simulator received so far (REST, writes among them, scrapes, Prometheus proxy). */
	requestCounts(): Promise<RequestCounts>;
	/** What kctop should query: the simulator's Prometheus fault proxy with `prometheusProxy`, else Prometheus itself. */
	readonly prometheusUrl: string;
	stop(): Promise<void>;
}

export interface StackOptions {
	/** Where the scenario starts (ms after the simulation's start); default 0. */
	readonly elapsedMs?: number;
	/** Extra demo-server arguments (e.g. --topology one-host, --connect-version 2.4.1). */
	readonly args?: readonly string[];
	/** Label each Prometheus target with its worker_id, as this repository's prometheus.yml does (default true). */
	readonly workerIdLabels?: boolean;
	/** Put the simulator's Prometheus fault proxy (`prometheus:*` faults) in front of Prometheus (default false). */
	readonly prometheusProxy?: boolean;
	/** The series whose presence says Prometheus has scraped the workers (default kafka_connect_connector_status, which the catch-all rules do not produce). */
	readonly readySeries?: string;
}

async function control(info: DemoInfo, path: string, body: unknown): Promise<unknown> {
	if (info.controlUrl === undefined) throw new Error('the demo server has no control endpoint');
	const response = await fetch(`${info.controlUrl}${path}`, {method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify(body)});
	const answer: unknown = await response.json();
	if (!response.ok) throw new Error(`POST ${path} ${JSON.stringify(body)}: ${response.status} ${JSON.stringify(answer)}`);
	return answer;
}

export async function setElapsed(info: DemoInfo, elapsedMs: number): Promise<void> {
	const now = clockAnswer.parse(await (await fetch(`${info.controlUrl ?? ''}/_clock`)).json());
	if (now.elapsedMs < elapsedMs) clockAnswer.parse(await control(info, '/_clock', {elapsedMs}));
}

export async function setFaults(info: DemoInfo, change: {readonly set?: readonly string[]; readonly clear?: readonly string[] | 'all'}): Promise<readonly string[]> {
	return faultsAnswer.parse(await control(info, '/_faults', change)).faults;
}

export async function requestCounts(info: DemoInfo): Promise<RequestCounts> {
	return countsAnswer.parse(await (await fetch(`${info.controlUrl ?? ''}/_requests`)).json());
}

export function requireBuild(): void {
	for (const file of [bundle, `${root}dist/demo/demo-server.js`]) {
		if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` first (npm test does)`);
	}
}

export async function startDemoServer(args: readonly string[] = []): Promise<DemoProcess> {
	return startDemoProcess(`${root}dist/demo/demo-server.js`, args);
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
	requireBuild();
	const demo = await startDemoServer(['--seed', '1', '--clock', 'manual', '--control-port', '0', ...(options.prometheusProxy === true ? ['--prometheus-proxy-port', '0'] : []), ...(options.args ?? [])]);
	if (options.elapsedMs !== undefined) await setElapsed(demo.info, options.elapsedMs);
	let prometheus: RunningPrometheus | undefined;
	try {
		prometheus = await startPrometheus({
			scrapeIntervalSeconds: 1,
			scrapeTargets: demo.info.workers.map(worker => ({job: 'kafka-connect', targets: [new URL(worker.metricsUrl).host], ...(options.workerIdLabels === false ? {} : {labels: {worker_id: worker.id}})})),
		});
		await prometheus.waitForTargetsUp(demo.info.workers.length, 20_000);
		await prometheus.waitForSeries(options.readySeries ?? 'kafka_connect_connector_status', 20_000);
		if (options.prometheusProxy === true) await control(demo.info, '/_prometheus', {upstream: prometheus.url});
	} catch (error) {
		await prometheus?.stop();
		await demo.stop();
		throw error;
	}
	const running = prometheus;
	return {
		demo: demo.info,
		prometheus: running,
		async setElapsed(elapsedMs) {
			const movedAt = Date.now() / 1000;
			await setElapsed(demo.info, elapsedMs);
			// Resolves once Prometheus has scraped every target after the move (a scrape that started later saw it).
			await running.waitForSeries(`count(timestamp(up{job="kafka-connect"}) > ${movedAt.toFixed(3)}) >= ${demo.info.workers.length}`, 30_000);
		},
		faults: change => setFaults(demo.info, change),
		requestCounts: () => requestCounts(demo.info),
		prometheusUrl: options.prometheusProxy === true ? (demo.info.prometheusUrl ?? running.url) : running.url,
		async stop() {
			await running.stop();
			await demo.stop();
		},
	};
}

/** Runs the built CLI to completion (no terminal: stdout is a pipe). */
export async function runCli(args: readonly string[], env: Record<string, string> = {}): Promise<{code: number | null; stdout: string; stderr: string}> {
	const child = spawn(node, [cli, ...args], {stdio: ['ignore', 'pipe', 'pipe'], env: {...process.env, NO_COLOR: '1', LANG: 'C.UTF-8', ...env}});
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
	child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
	const code = await new Promise<number | null>(resolve => child.on('exit', resolve));
	return {code, stdout, stderr};
}
