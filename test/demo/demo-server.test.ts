import {spawn} from 'node:child_process';
import {existsSync, mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {createInterface} from 'node:readline';
import {fileURLToPath} from 'node:url';
import {beforeAll, describe, expect, it} from 'vitest';
import {z} from 'zod';
import {isKctopError} from '../../source/clients/errors.js';
import {parseDemoServerArgs, runDemoServer} from '../../source/demo/demo-server.js';
import {getFreePort} from '../helpers/free-port.js';
import {call} from './helpers.js';

/**
 * The standalone entry: its argument parsing and start-up in process, then the compiled
 * script as a real child process (one JSON line on stdout, clean exit on SIGTERM).
 */

const root = fileURLToPath(new URL('../../', import.meta.url));
const script = `${root}dist/demo/demo-server.js`;

describe('demo-server arguments', () => {
	it('parses ports, seed, scale and scenario', () => {
		expect(parseDemoServerArgs(['--seed', '3', '--scale', '20', '--rest-port', '18083', '--metrics-port', '0', '--scenario', 'steady'])).toMatchObject({seed: 3, scale: 20, scenario: 'steady', restPort: 18_083, metricsPort: 0, help: false});
		expect(parseDemoServerArgs([])).toMatchObject({seed: 1, scale: 0, scenario: 'default', restPort: 0, metricsPort: 0, workers: 3, topology: 'docker', connectVersion: {text: '3.9.0'}, clock: 'system', faults: [], rules: undefined});
	});

	it('parses the switches: workers, topology, version, snapshot, rules, clock, control port, faults', () => {
		const args = parseDemoServerArgs([
			...['--workers', '4', '--topology', 'one-host', '--connect-version', '2.4.1', '--snapshot-seconds', '600'],
			...['--rules', `${root}test/fixtures/mbeans/exporter-rules/default-catchall.yml`, '--clock', 'manual', '--control-port', '19999'],
			...['--fault', 'worker@2:killed', '--fault', 'rest:slow=1500', '--sink', 'jdbc-sink-orders=stalled'],
		]);
		expect(args).toMatchObject({workers: 4, topology: 'one-host', connectVersion: {major: 2, minor: 4, patch: 1}, snapshotSeconds: 600, clock: 'manual', controlPort: 19_999, faults: ['worker@2:killed', 'rest:slow=1500'], sinks: ['jdbc-sink-orders=stalled']});
		expect(args.rules?.config.rules).toHaveLength(1);
	});

	it('names what is wrong with a switch in one line', () => {
		const message = (args: string[]): string => {
			try {
				parseDemoServerArgs(args);
			} catch (error) {
				return error instanceof Error ? error.message : String(error);
			}
			return 'accepted';
		};
		expect(message(['--connect-version', '2.4'])).toBe('demo-server: --connect-version must look like 2.4.1, got "2.4"');
		expect(message(['--topology', 'cloud'])).toBe('demo-server: --topology must be one of docker, one-host, kubernetes, got "cloud"');
		expect(message(['--clock', 'fast'])).toBe('demo-server: --clock must be system or manual, got "fast"');
		expect(message(['--workers', '1'])).toBe('demo-server: --workers must be an integer between 2 and 32, got "1"');
		expect(message(['--fault', 'worker@4:killed'])).toBe('demo-server: --fault: bad fault "worker@4:killed": worker 4 does not exist (1 to 3)');
		expect(message(['--fault', 'rest:slow'])).toBe('demo-server: --fault: bad fault "rest:slow": slow needs a delay, e.g. rest:slow=2000');
		expect(message(['--sink', 'jdbc-sink-orders=asleep'])).toBe('demo-server: --sink: bad sink switch "jdbc-sink-orders=asleep": expected NAME=MODE with MODE one of normal, slow, stalled, stopped, e.g. jdbc-sink-orders=stalled');
		expect(message(['--rules', '/nonexistent/rules.yml'])).toBe('demo-server: --rules: cannot read /nonexistent/rules.yml: ENOENT');
		const bad = join(mkdtempSync(join(tmpdir(), 'kctop-rules-')), 'bad.yml');
		writeFileSync(bad, 'rules:\n- pattern: "kafka.connect<(unclosed"\n');
		expect(message(['--rules', bad])).toMatch(/^demo-server: --rules \S+bad\.yml: [^\n]*pattern[^\n]*$/);
	});

	it('rejects bad input with a one-line KctopError', () => {
		for (const args of [['--scale', '-1'], ['--rest-port', 'http'], ['--scenario', 'chaos'], ['--bogus'], ['stray']]) {
			let thrown: unknown;
			try {
				parseDemoServerArgs(args);
			} catch (error) {
				thrown = error;
			}
			expect(isKctopError(thrown), args.join(' ')).toBe(true);
			expect(thrown instanceof Error ? thrown.message : '').toMatch(/^demo-server: [^\n]+$/);
		}
	});

	it('kubernetes: every pod IP listens on the same ports, as pods do', async () => {
		const free = await getFreePort();
		const {demo} = await runDemoServer(parseDemoServerArgs(['--topology', 'kubernetes', '--rest-port', String(free), '--metrics-port', '0']));
		try {
			expect(demo.restUrls).toEqual([`http://127.0.1.1:${free}`, `http://127.0.1.2:${free}`, `http://127.0.1.3:${free}`]);
			expect((await call(`${demo.restUrls[2] ?? ''}/`)).status).toBe(200);
		} finally {
			await demo.close();
		}
	});

	it('starts the simulator and reports its URLs as one JSON line', async () => {
		const {demo, line} = await runDemoServer(parseDemoServerArgs(['--seed', '2']));
		try {
			expect(line.endsWith('\n')).toBe(true);
			expect(line.trimEnd()).not.toContain('\n');
			const parsed: unknown = JSON.parse(line);
			expect(parsed).toMatchObject({restUrls: demo.restUrls, metricsUrls: demo.metricsUrls, controlUrl: demo.controlUrl, version: '3.9.0', clock: 'system'});
			expect(demo.controlUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
			expect((await call(`${demo.restUrls[2] ?? ''}/connectors`)).json).toHaveLength(4);
		} finally {
			await demo.close();
		}
	});
});

describe('demo-server as a process', () => {
	beforeAll(() => {
		// `npm test` builds dist/ before running the suite; the script is the one users run.
		if (!existsSync(script)) throw new Error(`${script} is missing: run \`npm run build\` first (npm test does)`);
	});

	it('prints the URLs, serves them, and exits 0 on SIGTERM', async () => {
		const child = spawn(process.execPath, [script, '--seed', '1', '--scale', '0'], {stdio: ['ignore', 'pipe', 'pipe']});
		const exited = new Promise<number | null>(resolve => child.on('exit', code => resolve(code)));
		const lines = createInterface({input: child.stdout});
		const first = await new Promise<string>((resolve, reject) => {
			lines.once('line', resolve);
			child.once('exit', code => reject(new Error(`exited with ${code} before printing`)));
		});
		const parsed: unknown = JSON.parse(first);
		if (typeof parsed !== 'object' || parsed === null || !('restUrls' in parsed) || !Array.isArray(parsed.restUrls) || !('metricsUrls' in parsed) || !Array.isArray(parsed.metricsUrls)) throw new Error(`unexpected line ${first}`);
		expect(parsed.restUrls).toHaveLength(3);
		const rest = String(parsed.restUrls[0]);
		expect((await call(`${rest}/`)).json).toMatchObject({version: '3.9.0'});
		const metrics = await call(String(parsed.metricsUrls[0]));
		expect(metrics.status).toBe(200);
		expect(metrics.text).toContain('kafka_connect_worker_connector_count');
		child.kill('SIGTERM');
		expect(await exited).toBe(0);
	});

	it('runs the switches: manual clock and control endpoint, an old version on one host, a fault from the start', async () => {
		const child = spawn(process.execPath, [script, '--clock', 'manual', '--connect-version', '2.4.1', '--topology', 'one-host', '--fault', 'rest@2:html-500'], {stdio: ['ignore', 'pipe', 'pipe']});
		const exited = new Promise<number | null>(resolve => child.on('exit', code => resolve(code)));
		try {
			const first = await new Promise<string>((resolve, reject) => {
				createInterface({input: child.stdout}).once('line', resolve);
				child.once('exit', code => reject(new Error(`exited with ${code} before printing`)));
			});
			const line = z.object({restUrls: z.array(z.string()), workers: z.array(z.object({id: z.string(), restUrl: z.string()})), controlUrl: z.string(), version: z.string(), clock: z.string()}).parse(JSON.parse(first));
			expect(line).toMatchObject({version: '2.4.1', clock: 'manual'});
			for (const worker of line.workers) expect(worker.id).toBe(new URL(worker.restUrl).host);
			expect((await call(`${line.controlUrl}/_clock`)).json).toMatchObject({mode: 'manual', elapsedMs: 0});
			expect((await call(`${line.restUrls[0] ?? ''}/`)).json).toMatchObject({version: '2.4.1'});
			expect((await call(`${line.restUrls[1] ?? ''}/`)).status).toBe(500);
			const cleared = await fetch(`${line.controlUrl}/_faults`, {method: 'DELETE'});
			expect(await cleared.json()).toEqual({faults: []});
			expect((await call(`${line.restUrls[1] ?? ''}/connectors/jdbc-sink-orders/stop`, 'PUT')).json).toEqual({error_code: 404, message: 'HTTP 404 Not Found'});
		} finally {
			child.kill('SIGTERM');
		}
		expect(await exited).toBe(0);
	});

	it('exits 2 with a one-line message on bad arguments', async () => {
		const child = spawn(process.execPath, [script, '--scale', 'lots'], {stdio: ['ignore', 'pipe', 'pipe']});
		let stderr = '';
		child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
		const code = await new Promise<number | null>(resolve => child.on('exit', resolve));
		expect(code).toBe(2);
		expect(stderr.split('\n')[0]).toBe('demo-server: --scale must be an integer between 0 and 1000000, got "lots"');
	});
});
