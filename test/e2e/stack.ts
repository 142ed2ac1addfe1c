import {spawn} from 'node:child_process';
import {existsSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {startDemoProcess, type DemoInfo, type DemoProcess} from '../../source/bench/demo-process.js';
import {startPrometheus, type RunningPrometheus} from '../helpers/prometheus.js';

/**
 * The real parts end-to-end tests run against: the demo simulator as its own process
 * (dist/demo/demo-server.js) and Debian's Prometheus scraping its exporter endpoints,
 * each target labelled with its REST worker_id as the repository's prometheus.yml does.
 */

export const root = fileURLToPath(new URL('../../', import.meta.url));
export const cli = `${root}dist/cli.js`;
export const node = process.execPath;

export type {DemoInfo} from '../../source/bench/demo-process.js';

export interface Stack {
	readonly demo: DemoInfo;
	readonly prometheus: RunningPrometheus;
	stop(): Promise<void>;
}

export function requireBuild(): void {
	for (const file of [cli, `${root}dist/demo/demo-server.js`]) {
		if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` first (npm test does)`);
	}
}

export async function startDemoServer(args: readonly string[] = []): Promise<DemoProcess> {
	return startDemoProcess(`${root}dist/demo/demo-server.js`, args);
}

export async function startStack(): Promise<Stack> {
	requireBuild();
	const demo = await startDemoServer(['--seed', '1']);
	let prometheus: RunningPrometheus | undefined;
	try {
		prometheus = await startPrometheus({
			scrapeIntervalSeconds: 1,
			scrapeTargets: demo.info.workers.map(worker => ({job: 'kafka-connect', targets: [new URL(worker.metricsUrl).host], labels: {worker_id: worker.id}})),
		});
		await prometheus.waitForTargetsUp(demo.info.workers.length, 20_000);
		await prometheus.waitForSeries('kafka_connect_connector_status', 20_000);
	} catch (error) {
		await prometheus?.stop();
		await demo.stop();
		throw error;
	}
	const running = prometheus;
	return {
		demo: demo.info,
		prometheus: running,
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
