/** The simulator's only source of time: the real clock in the demo, a stepped one in tests. */
export interface Clock {
	now(): number;
}

export const systemClock: Clock = {
	now: () => Date.now(),
};

export interface SteppedClock extends Clock {
	/** Moves time forward by `ms` (negative values are refused: time never goes back). */
	advance(ms: number): void;
	/** Jumps to an absolute time (not before the current one). */
	set(ms: number): void;
}

export function createSteppedClock(startMs = 0): SteppedClock {
	let current = startMs;
	return {
		now: () => current,
		advance(ms: number) {
			if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`cannot advance a clock by ${ms} ms`);
			current += ms;
		},
		set(ms: number) {
			if (!Number.isFinite(ms) || ms < current) throw new RangeError(`cannot set a clock back from ${current} to ${ms}`);
			current = ms;
		},
	};
}
