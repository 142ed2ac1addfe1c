import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {z} from 'zod';
import {flagSpecs, kebab} from '../source/config/config.js';
import {parseDemoServerArgs, runDemoServer} from '../source/demo/demo-server.js';
import {scenarioTimes, SCENARIO_PERIOD_S} from '../source/demo/scenario.js';
import {chordLabel, keymap} from '../source/ui/input/keymap.js';

const readme = readFileSync(new URL('../readme.md', import.meta.url), 'utf8');

describe('readme.md', () => {
	it('documents every flag and its environment variable', () => {
		for (const [name, spec] of Object.entries(flagSpecs)) {
			expect(readme, `--${kebab(name)}`).toContain(`--${kebab(name)}`);
			expect(readme, spec.env).toContain(`\`${spec.env}\``);
		}
	});

	it('documents every ctrl key of the keymap', () => {
		for (const binding of keymap) {
			for (const chord of binding.keys) {
				// As the help labels it: ctrl-space, not "ctrl- ".
				if ('input' in chord && chord.ctrl === true) expect(readme, chordLabel(chord)).toContain(chordLabel(chord));
			}
		}
	});

	it('gives the two commands, and .ci/run calls the test command it gives', () => {
		expect(readme).toContain('npm install && npm run demo');
		expect(readme).toMatch(/^npm test\b/m);
		expect(readFileSync(new URL('../.ci/run', import.meta.url), 'utf8')).toMatch(/^npm test/m);
	});

	it('shows what kctop is and the two commands on its first screen (24 lines)', () => {
		const firstScreen = readme.split('\n').slice(0, 24).join('\n');
		expect(firstScreen).toMatch(/^# kctop/);
		expect(firstScreen).toContain('npm install && npm run demo');
		expect(firstScreen).toMatch(/^npm test\b/m);
		// Nothing but the title and two lines of prose before the commands.
		const beforeCommands = readme.slice(0, readme.indexOf('## The two commands')).trim().split('\n');
		expect(beforeCommands).toHaveLength(4);
	});

	it("gives the demo's timeline as source/demo/scenario.ts plays it", () => {
		const row = (at: string): string => readme.split('\n').find(line => line.startsWith(`| ${at} |`)) ?? '';
		expect(row(`${scenarioTimes.taskFails} s`)).toMatch(/FAILS/);
		expect(row(`${scenarioTimes.workerDies} s`)).toMatch(/connect-2` dies/);
		expect(row(`${scenarioTimes.rebalanceStart}–${scenarioTimes.reassigned} s`)).toMatch(/409/);
		expect(row(`${scenarioTimes.workerReturns} s`)).toMatch(/`connect-2` comes back/);
		expect(row(`${scenarioTimes.workerReturns} s`)).toContain(`until ${scenarioTimes.rebalanceBackEnd} s`);
		expect(row(`${scenarioTimes.scenarioRestartsTask} s`)).toMatch(/restarts the failed task/);
		expect(row(`${SCENARIO_PERIOD_S} s`)).toMatch(/starts again/);
		expect(row(`${scenarioTimes.dbDown}–${scenarioTimes.dbUp} s`)).toMatch(/`other` database drops/);
	});

	it('says how to install, with the Node requirement and the one-line message the guard prints', () => {
		const install = readme.slice(readme.indexOf('## Install'), readme.indexOf('\n## ', readme.indexOf('## Install') + 1));
		for (const text of ['npm install -g ./kctop-0.1.0.tgz', 'npm pack git+', 'npx kctop', 'Node.js 22 or newer', 'EBADENGINE', 'kB packed', 'MB installed']) expect(install).toContain(text);
		const guard = readFileSync(new URL('../bin/kctop.cjs', import.meta.url), 'utf8');
		expect(guard).toContain("'kctop needs Node.js ' + minimumMajor + ' or newer (this is '");
		expect(guard).toContain('var minimumMajor = 22;');
		const version = z.object({version: z.string()}).parse(JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))).version;
		expect(install).toContain(`kctop-${version}.tgz`);
	});

	it('documents KCTOP_TEST_PROMETHEUS and the Prometheus service that Debian starts on :9090', () => {
		expect(readme).toContain('`KCTOP_TEST_PROMETHEUS');
		// The helper that starts the tests' Prometheus lives with the bench (test/helpers re-exports it).
		expect(readFileSync(new URL('../source/bench/prometheus.ts', import.meta.url), 'utf8')).toContain("KCTOP_TEST_PROMETHEUS");
		expect(readme).toMatch(/Debian's `prometheus`\s+package also starts a Prometheus service on :9090/);
		expect(flagSpecs.prometheus.default).toBe('http://localhost:9090');
	});

	it('gives a kctop command for npm run demo-server whose ports and worker ids match what the simulator serves', async () => {
		const command = /npm run demo-server -- --rest-port (\d+) --metrics-port (\d+)/.exec(readme);
		const [rest, metrics] = [Number(command?.[1]), Number(command?.[2])];
		// The simulator's worker ids, in port order (free ports here: the readme's may be taken).
		const {demo} = await runDemoServer({...parseDemoServerArgs([]), restPort: 0, metricsPort: 0});
		const ids = demo.workers.map(worker => worker.id);
		await demo.close();
		expect(ids).toEqual(['connect-1:8083', 'connect-2:8083', 'connect-3:8083']);
		const kctop = /^kctop --connect [^\n]*\\\n[^\n]*$/m.exec(readme)?.[0] ?? '';
		for (let i = 0; i < 3; i++) {
			expect(kctop).toContain(`http://127.0.0.1:${rest + i}`);
			expect(kctop).toContain(`http://127.0.0.1:${metrics + i}/metrics`);
		}
		// The idle third worker's exporter is the one paired by hand.
		expect(readme).toContain(`--worker-map 127.0.0.1:${metrics + 2}=${ids[2]}`);
	});
});
