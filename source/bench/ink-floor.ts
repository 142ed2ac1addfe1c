import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {inkFloorLine} from './ink-floor-line.js';
import {rssBytes} from './proc.js';
import {timeToScreen} from './starts.js';

/**
 * The Ink floor: spawn of the bench's one-line Ink program (ink-floor-app.tsx, bundled as kctop
 * is) in a pseudo-terminal to the output that put its line on the screen, the median of `runs`
 * starts. Like kctop's starts in the bench, it runs with a warm compile cache (its own, in a
 * temporary directory, filled by one unmeasured start) and with NODE_ENV=production.
 *
 * It tells kctop's own start-up from its UI stack's: Node, React, Ink and yoga-layout loaded
 * and one line drawn. kctop's first frame less this is what kctop itself spends: its modules,
 * the first requests, the screen. Its resident memory when the line is up is the same kind of
 * line for memory: what a process on this stack holds before it holds any data.
 */
export interface InkFloor {
	/** Median of the starts, ms. */
	readonly ms: number;
	/** Resident memory of the start with the median time, when its line was up (undefined: /proc not readable). */
	readonly rssBytes: number | undefined;
}

export async function measureInkFloor(options: {
	readonly command: string;
	readonly bundle: string;
	readonly env: Readonly<Record<string, string>>;
	readonly columns: number;
	readonly rows: number;
	readonly runs: number;
	readonly timeoutMs: number;
}): Promise<InkFloor> {
	const cache = await mkdtemp(join(tmpdir(), 'kctop-bench-ink-floor-'));
	try {
		const env = {...options.env, NODE_COMPILE_CACHE: cache, NODE_ENV: 'production'};
		const starts: InkFloor[] = [];
		// The first start fills the compile cache and is not counted.
		for (let run = 0; run <= options.runs; run++) {
			const start = await oneStart(options, env);
			if (run > 0) starts.push(start);
		}
		starts.sort((a, b) => a.ms - b.ms);
		return starts[Math.floor(starts.length / 2)] ?? {ms: Number.NaN, rssBytes: undefined};
	} finally {
		await rm(cache, {recursive: true, force: true});
	}
}

async function oneStart(options: {readonly command: string; readonly bundle: string; readonly columns: number; readonly rows: number; readonly timeoutMs: number}, env: Readonly<Record<string, string>>): Promise<InkFloor> {
	let rss: number | undefined;
	try {
		const ms = await timeToScreen({command: options.command, args: [options.bundle], env}, text => text.includes(inkFloorLine), {
			columns: options.columns,
			rows: options.rows,
			timeoutMs: options.timeoutMs,
			atScreen: pid => {
				rss = rssBytes(pid);
			},
		});
		return {ms, rssBytes: rss};
	} catch (error) {
		throw new Error(`the Ink floor drew no line: ${error instanceof Error ? error.message : String(error)}`);
	}
}
