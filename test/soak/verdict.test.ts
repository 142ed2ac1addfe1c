import {describe, expect, it} from 'vitest';
import {errorLinesOf, judgeSoak, longestGap, median, type RssSample, type SoakMeasurements} from '../../source/soak/verdict.js';

/** RSS every 10 s for `count` samples, from `from` kB rising by `step` kB each. */
function samples(count: number, from: number, step = 0, everyMs = 10_000): RssSample[] {
	return Array.from({length: count}, (_, index) => ({atMs: index * everyMs, rssKb: from + index * step}));
}

const healthy: SoakMeasurements = {
	rss: samples(60, 100_000),
	warmupMs: 20_000,
	maxRequestGapMs: 3000,
	stallBoundMs: 43_000,
	errorLines: [],
	exitedEarly: undefined,
	maxGrowthPct: 10,
};

describe('the soak verdict', () => {
	it('passes flat memory, a live poller and a clean output, comparing medians after warm-up', () => {
		const verdict = judgeSoak(healthy);
		expect(verdict).toMatchObject({pass: true, reasons: [], rssJudged: true, warmRssKb: 100_000, endRssKb: 100_000, growthPct: 0});
	});

	it('ignores growth during warm-up and fails growth above the bound after it', () => {
		const warmupGrowth = [...samples(2, 50_000, 25_000), ...samples(58, 100_000).map(sample => ({...sample, atMs: sample.atMs + 20_000}))];
		expect(judgeSoak({...healthy, rss: warmupGrowth}).pass).toBe(true);

		// 100 MB rising 400 kB per sample: the last quarter's median is ~18 % above the first's.
		const leaking = judgeSoak({...healthy, rss: samples(60, 100_000, 400)});
		expect(leaking.pass).toBe(false);
		expect(leaking.growthPct).toBeGreaterThan(10);
		expect(leaking.reasons[0]).toMatch(/^RSS grew 1\d\.\d % after warm-up/);
	});

	it('a sawtooth (heap growing, then a major GC) is not a leak: quarter-run medians, not two points', () => {
		// 200 → 340 MB over 2 minutes, back to 200 MB, repeated: the last sample alone would say +70 %.
		const rss = samples(60, 0).map(sample => ({...sample, rssKb: 200_000 + ((sample.atMs / 10_000) % 12) * 12_000}));
		const verdict = judgeSoak({...healthy, rss});
		expect(verdict.rssJudged).toBe(true);
		expect(Math.abs(verdict.growthPct ?? 100)).toBeLessThan(10);
		expect(verdict.pass).toBe(true);
	});

	it('growth in a run under five minutes after warm-up is reported but not judged', () => {
		const verdict = judgeSoak({...healthy, rss: samples(60, 100_000, 1000, 2000)});
		expect(verdict.rssJudged).toBe(false);
		expect(verdict.growthPct).toBeGreaterThan(10);
		expect(verdict.pass).toBe(true);
	});

	it('one sample spiking at the end (a GC not yet run) does not decide: the median of the last samples does', () => {
		const rss = samples(60, 100_000);
		const last = rss.at(-1);
		if (last === undefined) throw new Error('no samples');
		rss[rss.length - 1] = {...last, rssKb: 200_000};
		expect(judgeSoak({...healthy, rss}).pass).toBe(true);
	});

	it('fails a stall, an unexpected error, an early exit and too short a run, each with its reason', () => {
		const verdict = judgeSoak({
			...healthy,
			rss: samples(6, 100_000),
			maxRequestGapMs: 50_000,
			errorLines: ['kctop: unexpected error: boom', '    at poll (file:///dist/store/store.js:10:5)'],
			exitedEarly: {exitCode: 1, signal: undefined},
		});
		expect(verdict.pass).toBe(false);
		expect(verdict.reasons).toEqual([
			'too few RSS samples after warm-up (4, need 10): run longer',
			'the poller stalled: 50 s without a REST request (bound 43 s)',
			"unexpected error in kctop's output: kctop: unexpected error: boom (+1 more)",
			'kctop exited before the end (code 1)',
		]);
	});
});

describe('soak measurements', () => {
	it('longestGap counts the start, the gaps between requests and the silence at the end', () => {
		expect(longestGap([1000, 2000, 9000], 0, 10_000)).toBe(7000);
		expect(longestGap([3000, 1000], 0, 20_000)).toBe(17_000);
		expect(longestGap([], 5000, 6000)).toBe(1000);
	});

	it('median of odd and even counts', () => {
		expect(median([3, 1, 2])).toBe(2);
		expect(median([4, 1, 3, 2])).toBe(2.5);
		expect(median([])).toBeUndefined();
	});

	it('finds unexpected errors, unhandled rejections and stack frames but not ordinary fault messages', () => {
		const output = [
			'REST stale 4s: invalid JSON from http://127.0.0.1:4000/connectors: Unexpected token',
			'REST stale 2s: 409 Conflict: Cannot complete request momentarily',
			'kctop: unexpected error: x is not a function',
			'[UnhandledPromiseRejection: This error originated either by throwing inside of an async function]',
			'    at parseSample (file:///work/dist/clients/scrape/parser.js:120:17)',
			'TypeError: Cannot read properties of undefined',
			'(node:1234) MaxListenersExceededWarning: Possible EventEmitter memory leak detected',
		].join('\n');
		expect(errorLinesOf(output)).toEqual(output.split('\n').slice(2).map(line => line.trim()));
	});
});
