#!/usr/bin/env node
import {readFileSync, realpathSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';
import {KctopError} from '../clients/errors.js';
import {createClock, type ClockMode} from './clock.js';
import {FaultSpecError, parseFaultSpec} from './faults.js';
import {parseJmxConfig, type JmxExporterConfig} from './jmx/rules.js';
import {parseSinkSwitch, SinkSwitchError} from './scenario.js';
import {startDemoCluster, type DemoCluster} from './server.js';
import {isTopology, topologies, type Topology} from './topology.js';
import {latestConnectVersion, parseConnectVersion, type ConnectVersion} from './versions.js';

/**
 * Runs the simulated cluster alone (e.g. for a real Prometheus to scrape):
 *
 *   node dist/demo/demo-server.js --seed 1 --scale 0 --rest-port 18083 --metrics-port 19404
 *
 * Ports are the first of consecutive ports, one per worker (0: free ports); with
 * --topology kubernetes every pod IP gets the same port, as pods do. Prints one JSON
 * line with the URLs (and the control endpoint's) on stdout, and shuts down cleanly on
 * SIGINT/SIGTERM.
 */

const usage = [
	'usage: demo-server [--seed N] [--scale N] [--scenario default|steady] [--rest-port PORT] [--metrics-port PORT]',
	'                   [--workers N] [--topology docker|one-host|kubernetes] [--connect-version X.Y.Z]',
	'                   [--snapshot-seconds N] [--rules FILE] [--clock system|manual] [--control-port PORT] [--fault SPEC]...',
	'                   [--prometheus-proxy-port PORT] [--prometheus-upstream URL]',
	'                   [--sink NAME=normal|slow|stalled|stopped]...',
].join('\n');

function badArgument(message: string, cause?: unknown): KctopError {
	return new KctopError({kind: 'config', source: 'config', message: `demo-server: ${message}`}, cause === undefined ? undefined : {cause});
}

function integer(name: string, text: string | undefined, fallback: number, max: number): number {
	if (text === undefined) return fallback;
	if (!/^\d+$/.test(text) || Number(text) > max) throw badArgument(`--${name} must be an integer between 0 and ${max}, got "${text}"`);
	return Number(text);
}

function portsFor(first: number, count: number, topology: Topology): number[] {
	return Array.from({length: count}, (_, index) => (first === 0 || topology === 'kubernetes' ? first : first + index));
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
			workers: {type: 'string'},
			topology: {type: 'string'},
			'connect-version': {type: 'string'},
			'snapshot-seconds': {type: 'string'},
			rules: {type: 'string'},
			clock: {type: 'string'},
			'control-port': {type: 'string'},
			fault: {type: 'string', multiple: true},
			'prometheus-proxy-port': {type: 'string'},
			'prometheus-upstream': {type: 'string'},
			sink: {type: 'string', multiple: true},
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
	readonly workers: number;
	readonly topology: Topology;
	readonly connectVersion: ConnectVersion;
	readonly snapshotSeconds: number | undefined;
	/** The file named by --rules, and its parsed rules. */
	readonly rules: {readonly file: string; readonly config: JmxExporterConfig} | undefined;
	readonly clock: ClockMode;
	readonly controlPort: number;
	readonly faults: readonly string[];
	/** A Prometheus fault proxy on this port (0: a free one), forwarding to `prometheusUpstream`. */
	readonly prometheusProxyPort: number | undefined;
	readonly prometheusUpstream: string | undefined;
	/** --sink NAME=MODE: how each named sink consumes from the start (scenario.ts `sinkModes`). */
	readonly sinks: readonly string[];
	readonly help: boolean;
}

function loadRules(file: string): {readonly file: string; readonly config: JmxExporterConfig} {
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch (error) {
		throw badArgument(`--rules: cannot read ${file}: ${error instanceof Error && 'code' in error ? String(error.code) : String(error)}`, error);
	}
	try {
		return {file, config: parseJmxConfig(text)};
	} catch (error) {
		throw badArgument(`--rules ${file}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`, error);
	}
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
	const topology = values.topology ?? 'docker';
	if (!isTopology(topology)) throw badArgument(`--topology must be one of ${topologies.join(', ')}, got "${topology}"`);
	const versionText = values['connect-version'];
	const connectVersion = versionText === undefined ? latestConnectVersion : parseConnectVersion(versionText);
	if (!connectVersion) throw badArgument(`--connect-version must look like 2.4.1, got "${versionText ?? ''}"`);
	const clock = values.clock ?? 'system';
	if (clock !== 'system' && clock !== 'manual') throw badArgument(`--clock must be system or manual, got "${clock}"`);
	const workers = integer('workers', values.workers, 3, 32);
	if (workers < 2) throw badArgument(`--workers must be an integer between 2 and 32, got "${values.workers ?? ''}"`);
	const faults = values.fault ?? [];
	for (const spec of faults) {
		try {
			parseFaultSpec(spec, workers);
		} catch (error) {
			throw badArgument(`--fault: ${error instanceof FaultSpecError ? error.message : String(error)}`, error);
		}
	}
	const upstream = values['prometheus-upstream'];
	if (upstream !== undefined && !/^https?:\/\/[^\s/]+/.test(upstream)) throw badArgument(`--prometheus-upstream must be an http(s) URL, got "${upstream}"`);
	const sinks = values.sink ?? [];
	for (const text of sinks) {
		try {
			parseSinkSwitch(text);
		} catch (error) {
			throw badArgument(`--sink: ${error instanceof SinkSwitchError ? error.message : String(error)}`, error);
		}
	}
	return {
		prometheusProxyPort: values['prometheus-proxy-port'] === undefined ? undefined : integer('prometheus-proxy-port', values['prometheus-proxy-port'], 0, 65_535),
		prometheusUpstream: upstream,
		seed: integer('seed', values.seed, 1, 2 ** 32 - 1),
		scale: integer('scale', values.scale, 0, 1_000_000),
		scenario,
		restPort: integer('rest-port', values['rest-port'], 0, 65_533),
		metricsPort: integer('metrics-port', values['metrics-port'], 0, 65_533),
		workers,
		topology,
		connectVersion,
		snapshotSeconds: values['snapshot-seconds'] === undefined ? undefined : integer('snapshot-seconds', values['snapshot-seconds'], 0, 1_000_000),
		rules: values.rules === undefined ? undefined : loadRules(values.rules),
		clock,
		controlPort: integer('control-port', values['control-port'], 0, 65_535),
		faults,
		sinks,
		help: values.help === true,
	};
}

/** Starts the simulator for parsed args and returns it with the JSON line the entry prints. */
export async function runDemoServer(args: DemoServerArgs): Promise<{readonly demo: DemoCluster; readonly line: string}> {
	const demo = await startDemoCluster({
		seed: args.seed,
		scale: args.scale,
		scenario: args.scenario,
		restPorts: portsFor(args.restPort, args.workers, args.topology),
		metricsPorts: portsFor(args.metricsPort, args.workers, args.topology),
		workers: args.workers,
		topology: args.topology,
		connectVersion: args.connectVersion,
		clock: createClock(args.clock),
		controlPort: args.controlPort,
		faults: args.faults,
		...(args.prometheusProxyPort === undefined ? {} : {prometheusProxyPort: args.prometheusProxyPort}),
		...(args.prometheusUpstream === undefined ? {} : {prometheusUpstream: args.prometheusUpstream}),
		sinks: args.sinks,
		...(args.snapshotSeconds === undefined ? {} : {snapshotSeconds: args.snapshotSeconds}),
		...(args.rules === undefined ? {} : {rules: args.rules.config}),
	});
	const line = {restUrls: demo.restUrls, metricsUrls: demo.metricsUrls, workers: demo.workers, controlUrl: demo.controlUrl, prometheusUrl: demo.prometheusUrl, version: args.connectVersion.text, clock: args.clock, rules: args.rules?.file ?? 'jmx-exporter-config.yml'};
	return {demo, line: `${JSON.stringify(line)}\n`};
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
