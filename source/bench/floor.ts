import {spawn} from 'node:child_process';
import {performance} from 'node:perf_hooks';
import {fileURLToPath} from 'node:url';
import {lineReader} from './line-reader.js';
import {cpuMs, rssBytes, rssParts, type RssParts} from './proc.js';

/**
 * The physical floor of one refresh: a fresh Node process (the same binary kctop runs on)
 * fetches the expand body through the same loopback path and JSON.parses it.
 *
 * Measured as CPU of that process per round, read from /proc from outside, the way kctop's
 * CPU per refresh is read, rather than as wall time: wall time would include the simulator
 * building the body (another process's CPU) and the scheduler's noise on a shared machine,
 * while kctop's figure is its own CPU only. Both sides then pay the same things: undici,
 * the socket, the bytes, the parse and the garbage collection after it. The child's median
 * wall time per round is recorded as well, for information.
 */

export interface Floor {
	/** CPU (user + system) per fetch + parse, ms. */
	readonly cpuPerFetchMs: number;
	/** Median wall time of one fetch + parse in the loop, ms (measured inside the child). */
	readonly medianWallMs: number;
	readonly rounds: number;
	/** Spawn → first fetch + parse done (cold process, cold connection; with `startup`, its answer read too), ms. */
	readonly coldStartMs: number;
	/** The start-up range answer the cold start read (with `startup` only): bytes, series and [time, value] pairs. */
	readonly startupAnswer?: {readonly bytes: number; readonly series: number; readonly pairs: number} | undefined;
	/** Resident memory of the child after the loop, bytes. */
	readonly rssBytes: number | undefined;
	/** The same by kind. */
	readonly rssParts?: RssParts | undefined;
	/** Size of the bodies it fetched, bytes (one round). */
	readonly bodyBytes: number;
}

const childScript = fileURLToPath(new URL('./floor-child.js', import.meta.url));

/** A second request each round of the floor sends and parses too (the instant query kctop sent). */
export interface FloorSecondRequest {
	readonly url: string;
	readonly method: string;
	readonly contentType: string | undefined;
	readonly body: string;
}

/**
 * `second`: a request each round sends and parses too. `startup`: one more the first round
 * sends beside the others (kctop's start-up range query), so the cold start reads it too.
 */
export async function measureFloor(options: {
	readonly url: string;
	readonly minWallMs: number;
	readonly bodyBytes: () => number;
	readonly second?: FloorSecondRequest;
	readonly startup?: FloorSecondRequest;
	/** Told the cold start's span (performance.now(): spawn → "first"), e.g. to pick its requests out of a proxy's record. */
	readonly onColdStart?: (from: number, to: number) => void;
}): Promise<Floor> {
	const spawnedAt = performance.now();
	const args = [childScript, options.url, String(options.minWallMs), ...(options.second === undefined && options.startup === undefined ? [] : [options.second === undefined ? '' : JSON.stringify(options.second)]), ...(options.startup === undefined ? [] : [JSON.stringify(options.startup)])];
	const child = spawn(process.execPath, args, {stdio: ['pipe', 'pipe', 'pipe']});
	let stderr = '';
	child.stderr.on('data', (chunk: Buffer) => {
		stderr += chunk.toString();
	});
	const next = lineReader(child.stdout, () => `the floor process exited early${stderr.trim() === '' ? '' : `: ${stderr.trim()}`}`);
	const exited = new Promise<void>(resolve => child.once('exit', () => resolve()));
	try {
		const pid = child.pid;
		if (pid === undefined) throw new Error(`could not start ${process.execPath} for the floor`);
		const expect = async (word: string): Promise<string> => {
			const line = await next();
			if (!line.startsWith(word)) throw new Error(`the floor process said ${JSON.stringify(line)}, expected ${word}`);
			return line;
		};
		const first = (await expect('first')).split(' ').slice(1).map(Number);
		const firstAt = performance.now();
		const coldStartMs = firstAt - spawnedAt;
		options.onColdStart?.(spawnedAt, firstAt);
		const [startBytes, startSeries, startPairs] = first;
		const startupAnswer = startBytes === undefined || startSeries === undefined || startPairs === undefined ? undefined : {bytes: startBytes, series: startSeries, pairs: startPairs};
		await expect('ready');
		const before = cpuMs(pid);
		const bytesBefore = options.bodyBytes();
		child.stdin.write('go\n');
		const done = (await expect('done')).split(' ');
		const after = cpuMs(pid);
		const rss = rssBytes(pid);
		const parts = rssParts(pid);
		const rounds = Number(done[1]);
		const bodyBytes = (options.bodyBytes() - bytesBefore) / rounds;
		child.stdin.write('exit\n');
		return {cpuPerFetchMs: (after - before) / rounds, medianWallMs: Number(done[2]), rounds, coldStartMs, rssBytes: rss, rssParts: parts, bodyBytes, ...(startupAnswer === undefined ? {} : {startupAnswer})};
	} finally {
		child.stdin.end();
		if (child.exitCode === null) child.kill('SIGTERM');
		await exited;
	}
}
