import {performance} from 'node:perf_hooks';
import {startTerminal, waitForScreen} from './terminal.js';

/**
 * Start-up measured more than once. A session gives one first frame and the floor one cold
 * start, and at 9 connectors both are a few hundred milliseconds: one start of each moved the
 * ratio between 1.04× and 2.75× of the budget in three runs of the same code on one morning.
 * Here kctop and the floor start in turns, `count` times each, and the medians are compared.
 */

export interface StartCommand {
	readonly command: string;
	readonly args: readonly string[];
	readonly env: Readonly<Record<string, string>>;
}

export interface RepeatedStarts {
	/** Spawn → the screen `shows` accepts, for each start of kctop, ms, in order. */
	readonly kctopMs: readonly number[];
	/** The floor's cold starts, ms, in order. */
	readonly floorMs: readonly number[];
}

/**
 * Spawn of `start` in a pseudo-terminal → the output that drew a screen `shows` accepts, ms.
 * `atScreen` is called with the process's pid while that screen is up, before it is stopped.
 */
export async function timeToScreen(start: StartCommand, shows: (text: string) => boolean, options: {readonly columns: number; readonly rows: number; readonly timeoutMs: number; readonly atScreen?: (pid: number) => void}): Promise<number> {
	const now = (): number => performance.now();
	const spawnedAt = now();
	const terminal = startTerminal(start.command, start.args, {columns: options.columns, rows: options.rows, env: start.env, now});
	try {
		const wait = await waitForScreen(terminal, shows, {timeoutMs: options.timeoutMs, pollMs: 20, now});
		if (wait.kind === 'exited') throw new Error(`exited with code ${wait.code} before its screen: ${terminal.lastLine()}`);
		if (wait.kind === 'timed out') throw new Error(`no screen in ${Math.round(options.timeoutMs / 1000)} s: ${terminal.lastLine()}`);
		options.atScreen?.(terminal.pid);
		return (wait.at ?? now()) - spawnedAt;
	} finally {
		if (terminal.exitCode() === undefined) terminal.kill();
		await terminal.exited;
	}
}

/** `count` starts of kctop to its screen and `count` cold starts of the floor, in turns (kctop first). */
export async function measureStarts(options: {
	readonly count: number;
	/** kctop's command for each start (a fresh state directory each time, as a session has). */
	readonly kctop: () => StartCommand;
	readonly shows: (text: string) => boolean;
	readonly floorColdStart: () => Promise<number>;
	readonly columns: number;
	readonly rows: number;
	readonly timeoutMs: number;
}): Promise<RepeatedStarts> {
	const kctopMs: number[] = [];
	const floorMs: number[] = [];
	for (let start = 0; start < options.count; start++) {
		kctopMs.push(await timeToScreen(options.kctop(), options.shows, options));
		floorMs.push(await options.floorColdStart());
	}
	return {kctopMs, floorMs};
}

/** The median of `values` (the lower middle one for an even count); NaN for none. */
export function median(values: readonly number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN;
}
