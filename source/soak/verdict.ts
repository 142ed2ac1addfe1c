/**
 * The soak's verdict from what was measured, as a pure function so it is tested on its own:
 * memory growth after warm-up, the longest time the poller went without asking the REST
 * API, and any sign of an unexpected error in kctop's output.
 */

export interface RssSample {
	/** Milliseconds since the soak started. */
	readonly atMs: number;
	readonly rssKb: number;
}

export interface SoakMeasurements {
	readonly rss: readonly RssSample[];
	/** RSS samples before this are warm-up (buffers filling, JIT). */
	readonly warmupMs: number;
	/** Longest gap between two REST requests (or from the last one to the end of the run). */
	readonly maxRequestGapMs: number;
	/** The gap above which the poller counts as stalled. */
	readonly stallBoundMs: number;
	/** Lines of kctop's output that look like an unexpected error or a stack trace. */
	readonly errorLines: readonly string[];
	/** kctop's exit before the soak ended it, if it exited. */
	readonly exitedEarly: {readonly exitCode: number; readonly signal: number | undefined} | undefined;
	/** Allowed RSS growth after warm-up, in percent. */
	readonly maxGrowthPct: number;
}

export interface SoakVerdict {
	readonly pass: boolean;
	readonly reasons: readonly string[];
	/**
	 * Whether RSS growth was judged: only when the run after warm-up lasts at least
	 * `minJudgedMs`. Node sizes its heap over the first minutes (committed heap rises while
	 * the live heap stays flat, then falls at a major GC), so a shorter window measures that
	 * sawtooth, not a leak. Measured without the bin's V8 flags (bin/v8-flags.cjs): the young
	 * generation went 16 → 128 → 8 MB and RSS 154 → 261 → 154 MB while the old generation
	 * stayed at 25–35 MB.
	 */
	readonly rssJudged: boolean;
	/** Median RSS over the first quarter after warm-up. */
	readonly warmRssKb: number | undefined;
	/** Median RSS over the last quarter. */
	readonly endRssKb: number | undefined;
	readonly growthPct: number | undefined;
}

/** Fewest samples in each window whose medians are compared. */
export const rssWindow = 5;
/** The shortest run after warm-up whose RSS growth is judged. */
export const minJudgedMs = 5 * 60_000;

export function median(values: readonly number[]): number | undefined {
	if (values.length === 0) return undefined;
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 === 1 ? sorted[middle] : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

export function judgeSoak(measured: SoakMeasurements): SoakVerdict {
	const reasons: string[] = [];
	const warm = measured.rss.filter(sample => sample.atMs >= measured.warmupMs);
	let warmRssKb: number | undefined;
	let endRssKb: number | undefined;
	let growthPct: number | undefined;
	let rssJudged = false;
	if (warm.length < rssWindow * 2) {
		reasons.push(`too few RSS samples after warm-up (${warm.length}, need ${rssWindow * 2}): run longer`);
	} else {
		// Medians over a quarter of the run each: a sawtooth of heap growth and major GCs averages out.
		const window = Math.max(rssWindow, Math.floor(warm.length / 4));
		warmRssKb = median(warm.slice(0, window).map(sample => sample.rssKb));
		endRssKb = median(warm.slice(-window).map(sample => sample.rssKb));
		const span = (warm.at(-1)?.atMs ?? 0) - (warm[0]?.atMs ?? 0);
		if (warmRssKb !== undefined && endRssKb !== undefined && warmRssKb > 0) {
			growthPct = ((endRssKb - warmRssKb) / warmRssKb) * 100;
			rssJudged = span >= minJudgedMs;
			if (rssJudged && growthPct > measured.maxGrowthPct) {
				reasons.push(`RSS grew ${growthPct.toFixed(1)} % after warm-up (${warmRssKb} kB → ${endRssKb} kB), more than ${measured.maxGrowthPct} %`);
			}
		}
	}
	if (measured.maxRequestGapMs > measured.stallBoundMs) {
		reasons.push(`the poller stalled: ${Math.round(measured.maxRequestGapMs / 1000)} s without a REST request (bound ${Math.round(measured.stallBoundMs / 1000)} s)`);
	}
	if (measured.errorLines.length > 0) {
		reasons.push(`unexpected error in kctop's output: ${measured.errorLines[0] ?? ''}${measured.errorLines.length > 1 ? ` (+${measured.errorLines.length - 1} more)` : ''}`);
	}
	if (measured.exitedEarly !== undefined) {
		reasons.push(`kctop exited before the end (code ${measured.exitedEarly.exitCode}${measured.exitedEarly.signal === undefined ? '' : `, signal ${measured.exitedEarly.signal}`})`);
	}
	return {pass: reasons.length === 0, reasons, rssJudged, warmRssKb, endRssKb, growthPct};
}

/** Longest gap between consecutive times, counting from `from` to the first and from the last to `to`. */
export function longestGap(times: readonly number[], from: number, to: number): number {
	let previous = from;
	let longest = 0;
	for (const time of [...times].sort((a, b) => a - b)) {
		if (time < from) continue;
		longest = Math.max(longest, time - previous);
		previous = time;
	}
	return Math.max(longest, to - previous);
}

/**
 * Lines that betray an error kctop did not handle: its catch-all "unexpected error", Node's
 * unhandled rejection and warning banners, and stack frames.
 */
const errorPatterns: readonly RegExp[] = [/unexpected error/i, /unhandled/i, /UnhandledPromiseRejection/, /^\s*at \S.*:\d+:\d+\)?\s*$/, /\b(?:TypeError|RangeError|ReferenceError|SyntaxError): /, /\(node:\d+\) \w*Warning/];

export function errorLinesOf(text: string): string[] {
	return text.split(/\r?\n/).filter(line => errorPatterns.some(pattern => pattern.test(line))).map(line => line.trim());
}
