import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {performance} from 'node:perf_hooks';
import {setTimeout as sleep} from 'node:timers/promises';
import {inkFloorLine} from './ink-floor-line.js';
import {startTerminal} from './terminal.js';

/**
 * The Ink floor: spawn of the bench's one-line Ink program (ink-floor-app.tsx, bundled as kctop
 * is) in a pseudo-terminal to the output that put its line on the screen, the median of `runs`
 * starts. Like kctop's starts in the bench, it runs with a warm compile cache (its own, in a
 * temporary directory, filled by one unmeasured start) and with NODE_ENV=production.
 *
 * It tells kctop's own start-up from its UI stack's: Node, React, Ink and yoga-layout loaded
 * and one line drawn. kctop's first frame less this is what kctop itself spends: its modules,
 * the first requests, the screen.
 */
export async function measureInkFloor(options: {
	readonly command: string;
	readonly bundle: string;
	readonly env: Readonly<Record<string, string>>;
	readonly columns: number;
	readonly rows: number;
	readonly runs: number;
	readonly timeoutMs: number;
}): Promise<number> {
	const cache = await mkdtemp(join(tmpdir(), 'kctop-bench-ink-floor-'));
	try {
		const env = {...options.env, NODE_COMPILE_CACHE: cache, NODE_ENV: 'production'};
		const times: number[] = [];
		// The first start fills the compile cache and is not counted.
		for (let run = 0; run <= options.runs; run++) {
			const ms = await oneStart(options, env);
			if (run > 0) times.push(ms);
		}
		times.sort((a, b) => a - b);
		return times[Math.floor(times.length / 2)] ?? Number.NaN;
	} finally {
		await rm(cache, {recursive: true, force: true});
	}
}

async function oneStart(options: {readonly command: string; readonly bundle: string; readonly columns: number; readonly rows: number; readonly timeoutMs: number}, env: Readonly<Record<string, string>>): Promise<number> {
	const spawnedAt = performance.now();
	const terminal = startTerminal(options.command, [options.bundle], {columns: options.columns, rows: options.rows, env, now: () => performance.now()});
	let exitCode: number | undefined;
	void terminal.exited.then(code => {
		exitCode = code;
	});
	try {
		for (;;) {
			const screen = await terminal.screenAt();
			if (screen.text.includes(inkFloorLine)) return (screen.at ?? performance.now()) - spawnedAt;
			if (exitCode !== undefined) throw new Error(`the Ink floor exited with code ${exitCode} before drawing its line: ${terminal.lastLine()}`);
			if (performance.now() - spawnedAt > options.timeoutMs) throw new Error(`the Ink floor drew no line in ${Math.round(options.timeoutMs / 1000)} s`);
			await sleep(20);
		}
	} finally {
		if (exitCode === undefined) terminal.kill();
		await terminal.exited;
	}
}
