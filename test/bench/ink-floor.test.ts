import {existsSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';
import {measureInkFloor} from '../../source/bench/ink-floor.js';
import {startTerminal} from '../../source/bench/terminal.js';

const bundle = fileURLToPath(new URL('../../dist/bench-bundle/ink-floor/ink-floor.js', import.meta.url));
const env: Record<string, string> = {PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp', TERM: 'xterm-256color', LANG: 'C.UTF-8'};

describe('the Ink floor', () => {
	it('is built by npm run build, and times the built one-line Ink program in a pseudo-terminal to its line', async () => {
		expect(existsSync(bundle)).toBe(true);
		const floor = await measureInkFloor({command: process.execPath, bundle, env, columns: 80, rows: 24, runs: 1, timeoutMs: 30_000});
		// A start: more than nothing, and dated by the output, not by a timeout.
		expect(floor.ms).toBeGreaterThan(0);
		expect(floor.ms).toBeLessThan(30_000);
		// A live Node process with React and Ink loaded: tens of megabytes.
		expect(floor.rssBytes).toBeGreaterThan(20e6);
	}, 120_000);

	it('fails with the program\'s exit code when it cannot draw its line', async () => {
		await expect(measureInkFloor({command: process.execPath, bundle: `${bundle}.missing.js`, env, columns: 80, rows: 24, runs: 1, timeoutMs: 30_000})).rejects.toThrow(/exited with code [1-9]/);
	}, 60_000);
});

describe('Terminal.screenAt', () => {
	it('dates a screen by the arrival of the output it shows, not by when it was looked at', async () => {
		let clock = 1000;
		const terminal = startTerminal(process.execPath, ['-e', "process.stdout.write('first\\n'); setTimeout(() => {}, 60000)"], {columns: 40, rows: 5, env, now: () => clock});
		try {
			while (!(await terminal.screen()).includes('first')) await new Promise(resolve => setTimeout(resolve, 20));
			// The bench's clock moved on after the output came: the screen keeps the output's time.
			clock = 5000;
			const screen = await terminal.screenAt();
			expect(screen.text).toContain('first');
			expect(screen.at).toBe(1000);
		} finally {
			terminal.kill();
			await terminal.exited;
		}
	}, 30_000);
});
