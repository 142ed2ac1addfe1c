import {spawn} from 'node:child_process';
import {Agent, get} from 'node:http';
import {performance} from 'node:perf_hooks';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {lineReader} from './line-reader.js';
import {cpuMs, rssBytes} from './proc.js';

/**
 * The floor of a direct-scrape refresh: a fresh Node process (the binary kctop runs on) that
 * fetches every exporter body in parallel over kept-alive node:http connections (kctop's scrape
 * client fetches them the same way over undici), reads each body's pieces as they arrive and
 * drops them: no decode, no parse, no copy. What it costs is what receiving the bytes costs
 * (the sockets, the pieces and their garbage collection), which no parser can go below.
 *
 * Read like measureFloor (floor.ts): CPU of the child per round from /proc, from outside,
 * plus the median wall time of one round measured inside the child. The wall time is the
 * figure to hold kctop's scrape refresh wall against (at 10,009 connectors three bodies of
 * about 52 MB each).
 *
 * This one file is both the bench's side (measureScrapeFloor) and the child (run as a
 * script). Protocol on stdin/stdout, one word a line, as in floor-child.ts:
 *
 *   child → "ready BYTES"        after two warm-up rounds (BYTES: the bodies' size in one round)
 *   bench → "go"                 (the bench has read the CPU counters of the child)
 *   child → "done N MEDIAN_MS"   after N rounds (at least 5, for at least the given wall time)
 *   bench → "exit"
 */

export interface ScrapeFloor {
	/** CPU (user + system) per round (every body fetched once), ms. */
	readonly cpuPerRoundMs: number;
	/** Median wall time of one round, ms (measured inside the child). */
	readonly medianWallMs: number;
	readonly rounds: number;
	/** Resident memory of the child after the loop, bytes. */
	readonly rssBytes: number | undefined;
	/** Bytes of every body together, one round. */
	readonly bodyBytes: number;
}

const thisScript = fileURLToPath(import.meta.url);

/** Measures the scrape floor over `urls` (the exporters' /metrics URLs, or the bench's proxies of them), for at least `minWallMs` of rounds. */
export async function measureScrapeFloor(options: {readonly urls: readonly string[]; readonly minWallMs: number}): Promise<ScrapeFloor> {
	const child = spawn(process.execPath, [thisScript, String(options.minWallMs), ...options.urls], {stdio: ['pipe', 'pipe', 'pipe']});
	let stderr = '';
	child.stderr.on('data', (chunk: Buffer) => {
		stderr += chunk.toString();
	});
	const next = lineReader(child.stdout, () => `the scrape floor process exited early${stderr.trim() === '' ? '' : `: ${stderr.trim()}`}`);
	const exited = new Promise<void>(resolve => child.once('exit', () => resolve()));
	try {
		const pid = child.pid;
		if (pid === undefined) throw new Error(`could not start ${process.execPath} for the scrape floor`);
		const expect = async (word: string): Promise<readonly string[]> => {
			const line = await next();
			if (!line.startsWith(word)) throw new Error(`the scrape floor process said ${JSON.stringify(line)}, expected ${word}`);
			return line.split(' ');
		};
		const ready = await expect('ready');
		const before = cpuMs(pid);
		child.stdin.write('go\n');
		const done = await expect('done');
		const after = cpuMs(pid);
		const rss = rssBytes(pid);
		const rounds = Number(done[1]);
		child.stdin.write('exit\n');
		return {cpuPerRoundMs: (after - before) / rounds, medianWallMs: Number(done[2]), rounds, rssBytes: rss, bodyBytes: Number(ready[1])};
	} finally {
		child.stdin.end();
		if (child.exitCode === null) child.kill('SIGTERM');
		await exited;
	}
}

/** One body over node:http (the cheapest way Node receives bytes), its pieces counted and dropped as they arrive. */
async function receive(url: string, agent: Agent): Promise<number> {
	return new Promise((resolve, reject) => {
		const request = get(url, {agent, headers: {accept: 'text/plain;version=0.0.4'}}, response => {
			if (response.statusCode !== 200) {
				response.resume();
				reject(new Error(`GET ${url} answered ${String(response.statusCode)}`));
				return;
			}
			let bytes = 0;
			response.on('data', (piece: Buffer) => {
				bytes += piece.byteLength;
			});
			response.once('end', () => resolve(bytes));
			response.once('error', reject);
		});
		request.once('error', reject);
	});
}

/** Kept-alive connections, one per endpoint, as kctop keeps them. */
const agent = new Agent({keepAlive: true});

async function round(urls: readonly string[]): Promise<number> {
	const sizes = await Promise.all(urls.map(async url => receive(url, agent)));
	return sizes.reduce((sum, size) => sum + size, 0);
}

async function child(minWallMs: number, urls: readonly string[]): Promise<void> {
	const read = lineReader(process.stdin, () => 'stdin closed');
	// Stdin closed counts as "exit".
	const nextLine = async (): Promise<string> => read().then(line => line.trim(), () => 'exit');

	await round(urls);
	const bytes = await round(urls);
	process.stdout.write(`ready ${bytes}\n`);
	if ((await nextLine()) === 'go') {
		const walls: number[] = [];
		const started = performance.now();
		while (walls.length < 5 || performance.now() - started < minWallMs) {
			const at = performance.now();
			await round(urls);
			walls.push(performance.now() - at);
		}
		walls.sort((a, b) => a - b);
		process.stdout.write(`done ${walls.length} ${(walls[Math.floor(walls.length / 2)] ?? 0).toFixed(2)}\n`);
		await nextLine();
	}
	agent.destroy();
	process.stdin.destroy();
}

if (process.argv[1] !== undefined && pathToFileURL(process.argv[1]).href === import.meta.url) {
	const [minWallText, ...urls] = process.argv.slice(2);
	if (urls.length === 0) {
		process.stderr.write('usage: scrape-floor MIN_WALL_MS URL...\n');
		process.exitCode = 2;
	} else {
		child(Number(minWallText), urls).catch((error: unknown) => {
			process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
			process.exitCode = 1;
		});
	}
}
