#!/usr/bin/env node
import {realpathSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';
import {KctopError} from '../clients/errors.js';
import {startDemoCluster, type DemoCluster} from './server.js';

/**
 * Runs the simulated cluster alone (e.g. for a real Prometheus to scrape):
 *
 *   node dist/demo/demo-server.js --seed 1 --scale 0 --rest-port 18083 --metrics-port 19404
 *
 * Ports are the first of consecutive ports, one per worker (0: free ports). Prints one JSON
 * line with the URLs on stdout, and shuts down cleanly on SIGINT/SIGTERM.
 */

const usage = 'usage: demo-server [--seed N] [--scale N] [--scenario default|steady] [--rest-port PORT] [--metrics-port PORT]';

function badArgument(message: string, cause?: unknown): KctopError {
	return new KctopError({kind: 'config', source: 'config', message: `demo-server: ${message}`}, cause === undefined ? undefined : {cause});
}

function integer(name: string, text: string | undefined, fallback: number, max: number): number {
	if (text === undefined) return fallback;
	if (!/^\d+$/.test(text) || Number(text) > max) throw badArgument(`--${name} must be an integer between 0 and ${max}, got "${text}"`);
	return Number(text);
}

function consecutive(first: number, count: number): number[] {
	return Array.from({length: count}, (_, index) => (first === 0 ? 0 : first + index));
}

function parse(args: readonly string[]) {
	return parseArgs({
		args: [...args],
		options: {
			seed: {type: 'string'},
			scale: {type: 'string'},
			scenario: {type: 'string'},
			'rest-port': {type: 'string'},
			'metrics-port': {type: 'string'},
			help: {type: 'boolean', short: 'h'},
		},
		strict: true,
		allowPositionals: false,
	});
}

export interface DemoServerArgs {
	readonly seed: number;
	readonly scale: number;
	readonly scenario: 'default' | 'steady';
	readonly restPort: number;
	readonly metricsPort: number;
	readonly help: boolean;
}

/** Parses the command line; bad input throws a KctopError (kind 'config') with a one-line reason. */
export function parseDemoServerArgs(args: readonly string[]): DemoServerArgs {
	let parsed: ReturnType<typeof parse>;
	try {
		parsed = parse(args);
	} catch (error) {
		throw badArgument(error instanceof Error ? error.message : String(error), error);
	}
	const {values} = parsed;
	const scenario = values.scenario ?? 'default';
	if (scenario !== 'default' && scenario !== 'steady') throw badArgument(`--scenario must be default or steady, got "${scenario}"`);
	return {
		seed: integer('seed', values.seed, 1, 2 ** 32 - 1),
		scale: integer('scale', values.scale, 0, 1_000_000),
		scenario,
		restPort: integer('rest-port', values['rest-port'], 0, 65_533),
		metricsPort: integer('metrics-port', values['metrics-port'], 0, 65_533),
		help: values.help === true,
	};
}

/** Starts the simulator for parsed args and returns it with the JSON line the entry prints. */
export async function runDemoServer(args: DemoServerArgs): Promise<{readonly demo: DemoCluster; readonly line: string}> {
	const demo = await startDemoCluster({
		seed: args.seed,
		scale: args.scale,
		scenario: args.scenario,
		restPorts: consecutive(args.restPort, 3),
		metricsPorts: consecutive(args.metricsPort, 3),
	});
	return {demo, line: `${JSON.stringify({restUrls: demo.restUrls, metricsUrls: demo.metricsUrls, workers: demo.workers})}\n`};
}

async function main(): Promise<void> {
	const args = parseDemoServerArgs(process.argv.slice(2));
	if (args.help) {
		process.stdout.write(`${usage}\n`);
		return;
	}
	const {demo, line} = await runDemoServer(args);
	process.stdout.write(line);
	let stopping = false;
	const stop = (): void => {
		if (stopping) return;
		stopping = true;
		demo.close().then(
			() => process.exit(0),
			() => process.exit(1),
		);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

function isEntryPoint(): boolean {
	const script = process.argv[1];
	if (script === undefined) return false;
	try {
		return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
	} catch {
		return false;
	}
}

if (isEntryPoint()) {
	main().catch((error: unknown) => {
		const message = error instanceof Error ? error.message : String(error);
		process.stderr.write(`${message.startsWith('demo-server: ') ? message : `demo-server: ${message}`}\n${usage}\n`);
		process.exit(2);
	});
}
