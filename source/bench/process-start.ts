import {spawn} from 'node:child_process';
import {performance} from 'node:perf_hooks';
import {lineReader} from './line-reader.js';

/**
 * "Process start" of issue #9's first-frame target (first frame ≤ process start + 2 × floor):
 * spawn of a bare Node process (the binary kctop runs on) to its first line on stdout, the
 * median of `runs` starts. The floor's cold start holds one process start as well, so the
 * budget is start + 2 × (floor cold start − start).
 */
export async function measureProcessStart(runs = 5): Promise<number> {
	const times: number[] = [];
	for (let run = 0; run < runs; run++) {
		const spawnedAt = performance.now();
		const child = spawn(process.execPath, ['-e', "process.stdout.write('started\\n')"], {stdio: ['ignore', 'pipe', 'ignore']});
		const exited = new Promise<void>(resolve => child.once('exit', () => resolve()));
		const next = lineReader(child.stdout, () => 'the bare Node process exited without a line');
		try {
			const line = await next();
			if (line !== 'started') throw new Error(`the bare Node process said ${JSON.stringify(line)}`);
			times.push(performance.now() - spawnedAt);
		} finally {
			if (child.exitCode === null) child.kill('SIGTERM');
			await exited;
		}
	}
	times.sort((a, b) => a - b);
	return times[Math.floor(times.length / 2)] ?? Number.NaN;
}

/** The first-frame budget of the target: process start + 2 × what the floor adds to it. */
export function firstFrameBudgetMs(processStartMs: number, floorColdStartMs: number): number {
	return processStartMs + 2 * Math.max(0, floorColdStartMs - processStartMs);
}

/**
 * The same budget with the Ink floor (a process that draws one line with Ink, React and
 * yoga-layout, bundled as kctop is) in the place of the bare process start: what the target
 * allows on top of the UI stack kctop is built on, whose own start-up the target leaves out.
 */
export function inkFirstFrameBudgetMs(inkFloorMs: number, processStartMs: number, floorColdStartMs: number): number {
	return inkFloorMs + 2 * Math.max(0, floorColdStartMs - processStartMs);
}
