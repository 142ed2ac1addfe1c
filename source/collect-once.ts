import {setFlagsFromString} from 'node:v8';
import {runInNewContext} from 'node:vm';

/**
 * One full garbage collection, asked for once, when the live view's start-up is over
 * (run.tsx: the first refresh drawn and the start-up range query's points recorded).
 *
 * Start-up reads the largest answers of the session at once: at 10,009 connectors the range
 * query's 34 MB (1.18 million [time, value] pairs) beside the first REST body and instant
 * answer. V8 grows the heap for them and, with a refresh every 2 s, never finds the idle time
 * its memory reducer waits for to give the pages back. Side by side at 10,009 connectors (one
 * process each, two runs, RSS every 5 s from 60 to 180 s), with the collection mean RSS was
 * 241.8 / 225.4 MB against 289.1 / 274.7 MB without; the collection itself took 146 ms. The
 * smaller heap is collected more often afterwards: CPU from 100 to 180 s +6 % / +14 %, and
 * +17 % at 1,009 connectors in scrape mode (RSS 163 / 158 MB against 186 / 182 MB).
 *
 * V8 gives JavaScript its `gc` function only with --expose-gc: the flag is set for as long as
 * it takes to make a context that has the function, then unset. Returns the collection's
 * duration in ms, or undefined when no collection ran (the function was not there, or V8
 * refused); never throws.
 */
export function collectGarbage(now: () => number = () => performance.now()): number | undefined {
	try {
		let gc: unknown = Reflect.get(globalThis, 'gc');
		if (typeof gc !== 'function') {
			setFlagsFromString('--expose-gc');
			try {
				gc = runInNewContext('typeof gc === "function" ? gc : undefined');
			} finally {
				setFlagsFromString('--no-expose-gc');
			}
		}
		if (typeof gc !== 'function') return undefined;
		const started = now();
		gc();
		return now() - started;
	} catch {
		return undefined;
	}
}
