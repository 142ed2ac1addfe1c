import {createInterface} from 'node:readline';
import {performance} from 'node:perf_hooks';
import type {FloorSecondRequest} from './floor.js';

/**
 * The floor, run as its own process by the bench (same Node binary as kctop): one fetch of
 * `GET /connectors?expand=status&expand=info` and `JSON.parse` of its body, over the same
 * loopback path (the bench's counting proxy). Protocol on stdin/stdout, one word a line:
 *
 *   child → "first"  after the first fetch + parse (the bench times spawn → here: the cold floor)
 *   child → "ready"  after two more warm-up rounds
 *   bench → "go"     (the bench has read the CPU counters of this process)
 *   child → "done N MEDIAN_MS"  after N rounds (at least 5, for at least the given wall time)
 *   bench → "exit"   (the bench has read the CPU counters again, and the RSS)
 *
 * The CPU of this process is read from /proc by the bench, as kctop's is. The median wall
 * time per round is reported too, for information only.
 *
 * With a third argument (JSON: {url, method, contentType, body}) each round also sends that
 * request (the instant query kctop sent, as the bench's proxy recorded it) and JSON.parses
 * its answer: the floor of a client that must read both sources.
 *
 * With a fourth (the same shape: kctop's start-up range query), the first round also sends it
 * and JSON.parses its answer, and the three requests of that round go out at once, as kctop
 * sends them at start-up: the cold floor of a client that draws its sparklines on its first
 * frame. "first" then carries the size of that answer: "first BYTES SERIES PAIRS".
 */

function secondRequest(text: string | undefined): FloorSecondRequest | undefined {
	if (text === undefined) return undefined;
	const value: unknown = JSON.parse(text);
	if (typeof value !== 'object' || value === null) throw new Error('the second request must be a JSON object');
	const field = (name: string): string | undefined => {
		const found: unknown = Reflect.get(value, name);
		return typeof found === 'string' ? found : undefined;
	};
	const url = field('url');
	if (url === undefined) throw new Error('the second request has no url');
	return {url, method: field('method') ?? 'GET', contentType: field('contentType'), body: field('body') ?? ''};
}

const [url, minWallText, secondText, startupText] = process.argv.slice(2);
if (url === undefined) {
	process.stderr.write('usage: floor-child URL [MIN_WALL_MS [SECOND_REQUEST_JSON [STARTUP_REQUEST_JSON]]]\n');
	process.exit(2);
}
const minWallMs = Number(minWallText ?? '2000');
const second = secondRequest(secondText === '' ? undefined : secondText);
const startup = secondRequest(startupText);

let sink = 0;
async function fetchAndParse(target: string, init: RequestInit | undefined): Promise<{readonly body: unknown; readonly bytes: number}> {
	const response = await fetch(target, init);
	const text = await response.text();
	if (!response.ok) throw new Error(`${init?.method ?? 'GET'} ${target} answered ${response.status}: ${text.slice(0, 200)}`);
	const body: unknown = JSON.parse(text);
	// Keep the parse observable so it cannot be optimised away.
	if (typeof body === 'object' && body !== null) sink += Object.keys(body).length;
	return {body, bytes: Buffer.byteLength(text)};
}

/** A recorded Prometheus query, sent uncompressed as kctop reads it: the same bytes, and no inflating on either side. */
function sendQuery(query: FloorSecondRequest): Promise<{readonly body: unknown; readonly bytes: number}> {
	const headers: Record<string, string> = {'accept-encoding': 'identity', ...(query.contentType === undefined ? {} : {'content-type': query.contentType})};
	const init: RequestInit = query.method === 'GET' ? {headers} : {method: query.method, body: query.body, headers};
	return fetchAndParse(query.url, init);
}

async function round(): Promise<void> {
	await fetchAndParse(url ?? '', undefined);
	if (second !== undefined) await sendQuery(second);
}

/** Series and [time, value] pairs of a range answer (`data.result[].values`), read without copying. */
function rangeSize(body: unknown): {readonly series: number; readonly pairs: number} {
	const data: unknown = typeof body === 'object' && body !== null ? Reflect.get(body, 'data') : undefined;
	const result: unknown = typeof data === 'object' && data !== null ? Reflect.get(data, 'result') : undefined;
	if (!Array.isArray(result)) throw new Error('the start-up range answer has no data.result array');
	const rows: readonly unknown[] = result;
	let pairs = 0;
	for (const row of rows) {
		const values: unknown = typeof row === 'object' && row !== null ? Reflect.get(row, 'values') : undefined;
		if (Array.isArray(values)) pairs += values.length;
	}
	return {series: rows.length, pairs};
}

/** The first round: with a start-up range query, the three requests at once, as kctop sends them; "first" with that answer's size. */
async function firstRound(): Promise<string> {
	if (startup === undefined) {
		await round();
		return 'first';
	}
	const [, , range] = await Promise.all([fetchAndParse(url ?? '', undefined), second === undefined ? undefined : sendQuery(second), sendQuery(startup)]);
	const size = rangeSize(range.body);
	return `first ${range.bytes} ${size.series} ${size.pairs}`;
}

const lines = createInterface({input: process.stdin});
const queued: string[] = [];
const waiting: Array<(line: string) => void> = [];
lines.on('line', line => {
	const waiter = waiting.shift();
	if (waiter) waiter(line.trim());
	else queued.push(line.trim());
});
lines.on('close', () => {
	for (const waiter of waiting.splice(0)) waiter('exit');
});
const next = (): Promise<string> => {
	const line = queued.shift();
	return line === undefined ? new Promise(resolve => waiting.push(resolve)) : Promise.resolve(line);
};

async function main(): Promise<void> {
	process.stdout.write(`${await firstRound()}\n`);
	await round();
	await round();
	process.stdout.write('ready\n');
	if ((await next()) !== 'go') return;
	const times: number[] = [];
	const started = performance.now();
	while (times.length < 5 || performance.now() - started < minWallMs) {
		const t0 = performance.now();
		await round();
		times.push(performance.now() - t0);
	}
	times.sort((a, b) => a - b);
	process.stdout.write(`done ${times.length} ${(times[Math.floor(times.length / 2)] ?? 0).toFixed(3)} ${sink > 0 ? 'ok' : 'empty'}\n`);
	await next();
	lines.close();
}

main().catch((error: unknown) => {
	const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : '';
	process.stderr.write(`floor-child: ${error instanceof Error ? error.message : String(error)}${cause}\n`);
	process.exit(1);
});
