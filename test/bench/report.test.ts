import {describe, expect, it} from 'vitest';
import type {Floor} from '../../source/bench/floor.js';
import {firstFrameBudgetMs, measureProcessStart} from '../../source/bench/process-start.js';
import {formatBytes, formatMs, formatRatio, formatRequests, markdownTable, modeRows, reportTables, type SizeResult} from '../../source/bench/report.js';
import {refreshTimes, type SessionResult} from '../../source/bench/session.js';
import type {ProxiedRequest} from '../../source/bench/counting-proxy.js';

const none = {rest: 0, 'promql-instant': 0, 'promql-range': 0, metadata: 0, scrape: 0};

function session(overrides: Partial<SessionResult['window']> = {}): SessionResult {
	return {
		firstFrameMs: 1400,
		sparklinesMs: undefined,
		startupRequests: {...none, rest: 2, 'promql-instant': 17, 'promql-range': 7},
		startupTrace: [
			{kind: 'rest', atMs: 40, ms: 12, status: 200, bytes: 8600},
			{kind: 'promql-range', atMs: 41, ms: undefined, status: undefined, bytes: 0, abandonedAfterMs: 30_000},
			{kind: 'promql-instant', atMs: 42, ms: 950, status: 200, bytes: 90_000},
		],
		window: {
			refreshes: 10,
			wallMs: 20_500,
			cpuMs: 1510,
			cpuPerRefreshMs: 151,
			shareOfCore: 0.0737,
			bytesPerRefresh: 11_200,
			requestsPerRefresh: {...none, rest: 1, 'promql-instant': 17},
			totalRequestsPerRefresh: 18,
			refreshMs: 230,
			trace: [],
			cpuEachMs: [],
			...overrides,
		},
		rss: {atFirstFrame: 340e6, afterWarmup: 380e6, atEnd: 387e6, partsAtEnd: undefined, max: 390e6, samples: []},
		exitCode: 0,
	};
}

const floor: Floor = {cpuPerFetchMs: 4.6, medianWallMs: 5, rounds: 200, coldStartMs: 500, rssBytes: 90e6, bodyBytes: 8600};

describe('formatters', () => {
	it('formats durations, sizes and ratios with sensible precision', () => {
		expect(formatMs(4.6)).toBe('4.6 ms');
		expect(formatMs(151.4)).toBe('151 ms');
		expect(formatMs(2800)).toBe('2.8 s');
		expect(formatBytes(8600)).toBe('8.6 kB');
		expect(formatBytes(10_088_982)).toBe('10.1 MB');
		expect(formatRatio(151, 4.6)).toBe('32.8×');
		expect(formatRatio(595, 78)).toBe('7.63×');
	});

	it('shows no ratio when the floor is missing or zero', () => {
		expect(formatRatio(10, undefined)).toBe('–');
		expect(formatRatio(10, 0)).toBe('–');
	});

	it('lists requests by kind, leaving out kinds that did not occur', () => {
		expect(formatRequests({...none, rest: 1, 'promql-instant': 17})).toBe('18: 1 REST + 17 instant');
		expect(formatRequests({...none, rest: 1, scrape: 3})).toBe('4: 1 REST + 3 scrape');
		expect(formatRequests(none)).toBe('0');
	});

	it('pads a Markdown table to its widest cells', () => {
		expect(markdownTable(['', 'a'], [['x', 'long cell']])).toBe('|     | a         |\n|-----|-----------|\n| x   | long cell |');
	});
});

describe('modeRows', () => {
	const context = {intervalMs: 2000, columns: 140, rows: 40};

	it('gives every figure of a size with its ratio to that size’s floor', () => {
		const sizes: SizeResult[] = [{connectors: 9, floor, floorError: undefined, runs: [{mode: 'prometheus', session: session(), error: undefined}]}];
		const table = new Map(modeRows('prometheus', sizes, context).map(([label, cell]) => [label, cell]));
		expect(table.get('HTTP requests per refresh (÷ 1 request)')).toBe('18: 1 REST + 17 instant (18×)');
		expect(table.get('kctop CPU per refresh (÷ floor CPU)')).toBe('151 ms (32.8×)');
		expect(table.get('CPU of each refresh in the window: least, median, most')).toBe('–');
		const each = new Map(modeRows('prometheus', [{connectors: 9, floor, floorError: undefined, runs: [{mode: 'prometheus', session: session({cpuEachMs: [610, 1900, 580, 2010, 1950]}), error: undefined}]}], context).map(([label, cell]) => [label, cell]));
		expect(each.get('CPU of each refresh in the window: least, median, most')).toBe('580 ms, 1.9 s, 2.01 s');
		// The floor's share of a core at 2 s: 4.6 ms / 2000 ms = 0.23 %.
		expect(table.get('share of one core (÷ floor at the same interval)')).toBe('7.37 % (32×)');
		expect(table.get('resident memory: first frame → warm → end (÷ floor process)')).toBe('340 → 380 → 387 MB (4.3×)');
		expect(table.get('resident memory at the end: own (RssAnon) + mapped files (RssFile), floor process the same')).toBe('–');
		const split = {...session(), rss: {...session().rss, partsAtEnd: {anon: 120e6, file: 60e6, shmem: 6e6}}};
		const splitTable = new Map(modeRows('prometheus', [{connectors: 9, floor: {...floor, rssParts: {anon: 40e6, file: 50e6, shmem: 0}}, floorError: undefined, runs: [{mode: 'prometheus', session: split, error: undefined}]}], context).map(([label, cell]) => [label, cell]));
		expect(splitTable.get('resident memory at the end: own (RssAnon) + mapped files (RssFile), floor process the same')).toBe('120 + 66 MB (floor 40 + 50)');
		expect(table.get('first complete frame (÷ floor cold start)')).toBe('1.4 s (2.8×)');
		expect(table.get('sparklines on screen (÷ floor cold start)')).toBe('not seen');
		expect(table.get('terminal bytes per refresh (÷ one 140×40 screen)')).toBe('11.2 kB (2×)');
		// No Ink floor measured: no ratio to it.
		expect(table.get('first complete frame ÷ Ink floor (one line drawn by Ink)')).toBe('–');
		const scrapeSizes: SizeResult[] = [{connectors: 9, floor, floorError: undefined, runs: [{mode: 'scrape', session: session(), error: undefined}]}];
		expect(table.get('resident memory at the end ÷ Ink floor process')).toBe('–');
		expect(table.get('share of one core, settled: a window from 1 min after the start (÷ floor at the same interval)')).toBe('–');
		const settledSizes: SizeResult[] = [{connectors: 9, floor, floorError: undefined, runs: [{mode: 'prometheus', session: {...session(), settled: {startedAfterMs: 61_200, refreshes: 10, wallMs: 20_000, cpuPerRefreshMs: 9.2, shareOfCore: 0.0046}}, error: undefined}]}];
		const settledTable = new Map(modeRows('prometheus', settledSizes, context).map(([label, cell]) => [label, cell]));
		// 0.46 % against the floor's 4.6 ms per 2 s: 0.23 %.
		expect(settledTable.get('share of one core, settled: a window from 1 min after the start (÷ floor at the same interval)')).toBe('0.46 % (2×), 10 refreshes from 61.2 s');
		const withInk = new Map(modeRows('scrape', scrapeSizes, {...context, inkFloorMs: 350, inkFloorRssBytes: 90e6}).map(([label, cell]) => [label, cell]));
		// 1,400 ms / 350 ms, in either mode.
		expect(withInk.get('first complete frame ÷ Ink floor (one line drawn by Ink)')).toBe('4× (Ink floor 350 ms)');
		// 387 MB / 90 MB
		expect(withInk.get('resident memory at the end ÷ Ink floor process')).toBe('4.3× (Ink floor 90 MB)');
	});

	it('gives Prometheus mode a second floor that reads both sources, and kctop\'s ratio to it', () => {
		const both: Floor = {...floor, cpuPerFetchMs: 15.1, bodyBytes: 2_900_000};
		const sizes: SizeResult[] = [
			{connectors: 1009, floor, floorError: undefined, runs: [{mode: 'prometheus', session: session(), error: undefined, bothFloor: both}]},
			{connectors: 10_009, floor, floorError: undefined, runs: [{mode: 'prometheus', session: session(), error: undefined, bothFloor: undefined, bothFloorError: 'kctop sent no instant query'}]},
		];
		const rows = modeRows('prometheus', sizes, context);
		const table = new Map(rows.map(([label, ...cells]) => [label, cells]));
		expect(table.get('floor reading both sources: REST body + instant answer')).toEqual(['15.1 ms (2.9 MB bodies)', 'failed: kctop sent no instant query']);
		// 151 ms / 15.1 ms
		expect(table.get('kctop CPU per refresh ÷ floor reading both')).toEqual(['10×', '–']);
		// 1,400 ms / 500 ms: the second floor's cold start includes Prometheus answering.
		expect(table.get('first complete frame ÷ cold start of floor reading both')).toEqual(['2.8× (floor cold start 500 ms)', '–']);
		// Without a measured process start there is no budget to give.
		expect(table.get('first complete frame ÷ (process start + 2 × what the floor reading both adds to it)')).toEqual(['–', '–']);
		// With one: 100 ms + 2 × (500 − 100) ms = 900 ms, and 1,400 ms / 900 ms.
		const timed = new Map(modeRows('prometheus', sizes, {...context, processStartMs: 100}).map(([label, ...cells]) => [label, cells]));
		expect(timed.get('first complete frame ÷ (process start + 2 × what the floor reading both adds to it)')).toEqual(['1.56× (budget 900 ms, process start 100 ms)', '–']);
		// Without an Ink floor, no budget on top of it; with one of 350 ms: 350 + 2 × (500 − 100) = 1,150 ms, and 1,400 / 1,150.
		expect(timed.get('first complete frame ÷ (Ink floor + 2 × what the floor reading both adds to process start)')).toEqual(['–', '–']);
		const withInkFloor = new Map(modeRows('prometheus', sizes, {...context, processStartMs: 100, inkFloorMs: 350}).map(([label, ...cells]) => [label, cells]));
		expect(withInkFloor.get('first complete frame ÷ (Ink floor + 2 × what the floor reading both adds to process start)')).toEqual(['1.22× (budget 1.15 s)', '–']);
		// The start-up queries of kctop and of the floor, REST left out: a slow Prometheus shows as such on both sides.
		expect(table.get('start-up PromQL answers before the first frame: kctop')).toEqual(['range gave up after 30.0 s, instant 950 ms', 'range gave up after 30.0 s, instant 950 ms']);
		expect(table.get('… and the floor reading both, before its first round was read')).toEqual(['–', '–']);
		const traced: SizeResult[] = [{connectors: 1009, floor, floorError: undefined, runs: [{mode: 'prometheus', session: session(), error: undefined, bothFloor: both, bothFloorStartupTrace: [{kind: 'rest', atMs: 3, ms: 9, status: 200, bytes: 8600}, {kind: 'promql-range', atMs: 4, ms: 29_500, status: 200, bytes: 4e6}]}]}];
		expect(new Map(modeRows('prometheus', traced, context).map(([label, ...cells]) => [label, cells])).get('… and the floor reading both, before its first round was read')).toEqual(['range 29.5 s']);
		// Scrape mode has its own floor: the exporter bodies fetched and dropped.
		const withFloor: SizeResult[] = [{connectors: 10_009, floor, floorError: undefined, runs: [{mode: 'scrape', session: session(), error: undefined, scrapeFloor: {cpuPerRoundMs: 302, medianWallMs: 250, rounds: 9, rssBytes: undefined, bodyBytes: 158_600_000}}]}];
		const scrapeTable = new Map(modeRows('scrape', withFloor, context).map(([label, ...cells]) => [label, cells]));
		expect(scrapeTable.get('scrape floor: every exporter body fetched, nothing parsed')).toEqual(['302 ms CPU, 250 ms wall (159 MB bodies)']);
		// 151 ms / 302 ms
		expect(scrapeTable.get('kctop CPU per refresh ÷ scrape floor CPU')).toEqual(['0.5×']);
		// Scrape mode reads no instant answer: no such rows.
		const scrape: SizeResult[] = [{connectors: 9, floor, floorError: undefined, runs: [{mode: 'scrape', session: session(), error: undefined}]}];
		expect(modeRows('scrape', scrape, context).some(([label]) => label?.includes('both'))).toBe(false);
	});

	it('gives the first frame over repeated starts as medians, each start, and the budget from the medians', () => {
		const sizes: SizeResult[] = [
			{connectors: 9, floor, floorError: undefined, runs: [{mode: 'prometheus', session: session(), error: undefined, bothFloor: floor, starts: {kctopMs: [310.4, 290, 300], floorMs: [120, 100, 110.6]}}]},
			{connectors: 1009, floor, floorError: undefined, runs: [{mode: 'prometheus', session: session(), error: undefined, bothFloor: floor, startsError: 'kctop exited with code 1'}]},
		];
		const rows = new Map(modeRows('prometheus', sizes, {...context, processStartMs: 40, inkFloorMs: 100}).map(([label, ...cells]) => [label, cells]));
		expect(rows.get('first complete frame over repeated starts, median (each, ms): kctop; floor reading both, cold start')).toEqual(['300 ms (310 290 300); 111 ms (120 100 111)', 'failed: kctop exited with code 1']);
		// Budget 40 + 2 × (110.6 − 40) = 181.2 ms, and 300 / 181.2; on the Ink floor 100 + 141.2 = 241.2 ms.
		expect(rows.get('… median first frame ÷ (process start + 2 × what the median floor cold start adds to it); ÷ the same on the Ink floor')).toEqual(['1.66× (budget 181 ms); 1.24× (budget 241 ms)', '–']);
	});

	it('says why a mode has no figures for a size', () => {
		const sizes: SizeResult[] = [{connectors: 9, floor, floorError: undefined, runs: [{mode: 'prometheus', session: undefined, error: 'no Prometheus at /usr/bin/prometheus'}]}];
		const rows = modeRows('prometheus', sizes, context);
		expect(rows.every(row => row[1] === 'failed: no Prometheus at /usr/bin/prometheus')).toBe(true);
		expect(modeRows('scrape', sizes, context).every(row => row[1] === '–')).toBe(true);
	});

	it('makes one table per mode with a column per size', () => {
		const sizes: SizeResult[] = [
			{connectors: 9, floor, floorError: undefined, runs: [{mode: 'scrape', session: session(), error: undefined}]},
			{connectors: 10_009, floor: undefined, floorError: 'gone', runs: [{mode: 'scrape', session: session({cpuPerRefreshMs: 595}), error: undefined}]},
		];
		const text = reportTables(['scrape'], sizes, context);
		expect(text.split('\n')[0]).toBe('scrape mode (--scrape)');
		expect(text).toMatch(/\| 9 connectors\s+\| 10,009 connectors\s+\|/);
		// Without a floor the figure is printed without a ratio.
		expect(text).toMatch(/\| 595 ms \(–\)\s+\|/);
	});
});

describe('refreshTimes', () => {
	const request = (startedAt: number, endedAt: number | undefined): ProxiedRequest => ({kind: 'rest', path: '/', startedAt, endedAt, responseBytes: 1, status: 200});

	it('runs from a refresh’s first request past its last response to the next terminal write', () => {
		const marks = [0, 2500, 5000];
		const requests = [request(0, 100), request(5, 300), request(2500, 2600), request(2510, 2700)];
		const writes = [50, 320, 400, 2650, 2720];
		expect(refreshTimes(marks, requests, writes)).toEqual([320, 220]);
	});

	it('counts a request that reached its proxy just before the refresh\'s REST call as that refresh\'s', () => {
		// The instant query of the second refresh arrived 0.4 ms before its marking REST call and took 900 ms.
		const requests = [request(0, 100), request(0.5, 300), request(2499.6, 3400), request(2500, 2600)];
		expect(refreshTimes([0, 2500, 5000], requests, [320, 3420])).toEqual([320, 3420 - 2499.6]);
	});

	it('skips a refresh whose responses never finished or whose screen was not written before the next one', () => {
		expect(refreshTimes([0, 1000, 2000], [request(0, undefined), request(1000, 1900)], [2050])).toEqual([]);
	});
});

describe('measureProcessStart', () => {
	it('times a bare Node process to its first line, and the budget takes one start plus twice the rest of the floor', async () => {
		const started = await measureProcessStart(3);
		expect(started).toBeGreaterThan(0);
		expect(Number.isFinite(started)).toBe(true);
		expect(firstFrameBudgetMs(100, 500)).toBe(900);
		// A floor faster than the bare start (noise) adds nothing.
		expect(firstFrameBudgetMs(100, 80)).toBe(100);
	});
});
