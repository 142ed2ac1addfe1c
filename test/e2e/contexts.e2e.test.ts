import {chmodSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {z} from 'zod';
import type {DemoProcess} from '../../source/bench/demo-process.js';
import {keys, startPty, type PtySession} from '../helpers/pty.js';
import {cli, node, requireBuild, startDemoServer} from './stack.js';

/**
 * Contexts in a real terminal: a config file names two clusters, two simulator processes with
 * different connector sets (a: the incident scenario's four connectors; b: `--scale 8`, those
 * four and four generated ones).
 * kctop starts on a; `:ctx` lists both; `:ctx b` switches live, and the grid and the header
 * follow. The file is readable by others and holds a header value: kctop warns on stderr.
 */

let clusterA: DemoProcess | undefined;
let clusterB: DemoProcess | undefined;
let directory: string;
let pty: PtySession | undefined;

const scenarioNames = ['cdc-test-connector', 'cdc-other-connector', 'jdbc-sink-orders', 'file-source-audit'];

beforeAll(async () => {
	requireBuild();
	// Manual clocks: nothing changes under the test but what it does.
	[clusterA, clusterB] = await Promise.all([
		startDemoServer(['--seed', '1', '--clock', 'manual', '--control-port', '0']),
		startDemoServer(['--seed', '2', '--scale', '8', '--clock', 'manual', '--control-port', '0']),
	]);
	directory = mkdtempSync(join(tmpdir(), 'kctop-contexts-'));
}, 60_000);

afterAll(async () => {
	pty?.kill();
	await Promise.all([clusterA?.stop(), clusterB?.stop()]);
	rmSync(directory, {recursive: true, force: true});
});

/** One context: the simulator's REST URLs, its exporter endpoints, and which endpoint is which worker. */
function context(name: string, demo: DemoProcess): string[] {
	const list = (urls: readonly string[]) => `[${urls.join(', ')}]`;
	return [
		`  ${name}:`,
		`    connect: ${list(demo.info.restUrls)}`,
		`    scrape: ${list(demo.info.metricsUrls)}`,
		'    worker-map:',
		...demo.info.workers.map(worker => `      "${new URL(worker.metricsUrl).host}": "${worker.id}"`),
		'    interval: 1s',
	];
}

function contextYaml(a: DemoProcess, b: DemoProcess): string {
	return [
		'current-context: b',
		'contexts:',
		...context('a', a),
		...context('b', b),
		'    headers: ["X-Team-Token: t0k3n-of-team-b"]',
		'',
	].join('\n');
}

describe(':ctx in a real terminal', () => {
	it('starts on --context a, lists both with :ctx, switches to b with :ctx b: the grid and the header follow', async () => {
		const a = clusterA!;
		const b = clusterB!;
		const all = z.array(z.string()).parse(await (await fetch(`${b.info.restUrls[0]}/connectors`)).json());
		// What only cluster b has.
		const names = all.filter(name => !scenarioNames.includes(name));
		expect(all).toHaveLength(8);
		expect(names).toHaveLength(4);

		const config = join(directory, 'config.yaml');
		writeFileSync(config, contextYaml(a, b));
		chmodSync(config, 0o644);
		pty = startPty(node, [cli, '--config', config, '--context', 'a'], {columns: 140, rows: 40, env: {XDG_STATE_HOME: directory}});
		const session = pty;

		// --context a wins over the file's current-context (b).
		let screen = await session.waitFor(text => scenarioNames.every(name => text.includes(name)), 30_000);
		expect(screen.split('\n')[0]).toMatch(/kctop ctx a\b/);
		expect(names.some(name => screen.includes(name))).toBe(false);
		expect(screen).toMatch(/connectors 4\b/);
		// The file holds a header value and others can read it: one warning, before the screen.
		expect(session.raw()).toContain(`kctop: warning: ${config} is readable by other users: chmod 600 it (headers in it may be secrets)`);

		session.write(':ctx');
		session.write(keys.enter);
		await session.waitFor(/contexts: a \(current\), b · :ctx NAME switches/);

		session.write(':ctx b');
		session.write(keys.enter);
		screen = await session.waitFor(text => [...names, ...scenarioNames].every(name => text.includes(name)), 30_000);
		expect(screen.split('\n')[0]).toMatch(/kctop ctx b\b/);
		expect(screen).toMatch(/connectors 8\b/);

		session.write(':ctx');
		session.write(keys.enter);
		await session.waitFor(/contexts: a, b \(current\) · :ctx NAME switches/);

		session.write('q');
		expect((await session.exited).exitCode).toBe(0);
	}, 120_000);
});
