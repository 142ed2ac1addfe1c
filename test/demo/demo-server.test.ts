import {spawn} from 'node:child_process';
import {existsSync} from 'node:fs';
import {createInterface} from 'node:readline';
import {fileURLToPath} from 'node:url';
import {beforeAll, describe, expect, it} from 'vitest';
import {isKctopError} from '../../source/clients/errors.js';
import {parseDemoServerArgs, runDemoServer} from '../../source/demo/demo-server.js';
import {call} from './helpers.js';

/**
 * The standalone entry: its argument parsing and start-up in process, then the compiled
 * script as a real child process (one JSON line on stdout, clean exit on SIGTERM).
 */

const root = fileURLToPath(new URL('../../', import.meta.url));
const script = `${root}dist/demo/demo-server.js`;

describe('demo-server arguments', () => {
	it('parses ports, seed, scale and scenario', () => {
		expect(parseDemoServerArgs(['--seed', '3', '--scale', '20', '--rest-port', '18083', '--metrics-port', '0', '--scenario', 'steady'])).toEqual({seed: 3, scale: 20, scenario: 'steady', restPort: 18_083, metricsPort: 0, help: false});
		expect(parseDemoServerArgs([])).toMatchObject({seed: 1, scale: 0, scenario: 'default', restPort: 0, metricsPort: 0});
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

	it('starts the simulator and reports its URLs as one JSON line', async () => {
		const {demo, line} = await runDemoServer(parseDemoServerArgs(['--seed', '2']));
		try {
			expect(line.endsWith('\n')).toBe(true);
			expect(line.trimEnd()).not.toContain('\n');
			const parsed: unknown = JSON.parse(line);
			expect(parsed).toMatchObject({restUrls: demo.restUrls, metricsUrls: demo.metricsUrls});
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

	it('exits 2 with a one-line message on bad arguments', async () => {
		const child = spawn(process.execPath, [script, '--scale', 'lots'], {stdio: ['ignore', 'pipe', 'pipe']});
		let stderr = '';
		child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
		const code = await new Promise<number | null>(resolve => child.on('exit', resolve));
		expect(code).toBe(2);
		expect(stderr.split('\n')[0]).toBe('demo-server: --scale must be an integer between 0 and 1000000, got "lots"');
	});
});
