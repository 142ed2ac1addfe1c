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

/** `manual`: time stands still until advanced; `system`: the wall clock plus whatever was advanced. */
export type ClockMode = 'manual' | 'system';

export interface ControlledClock extends SteppedClock {
	readonly mode: ClockMode;
}

function checkAdvance(ms: number): void {
	if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`cannot advance a clock by ${ms} ms`);
}

export function createSteppedClock(startMs = 0): ControlledClock {
	let current = startMs;
	return {
		mode: 'manual',
		now: () => current,
		advance(ms: number) {
			checkAdvance(ms);
			current += ms;
		},
		set(ms: number) {
			if (!Number.isFinite(ms) || ms < current) throw new RangeError(`cannot set a clock back from ${current} to ${ms}`);
			current = ms;
		},
	};
}

/** The wall clock (`base`) shifted by an offset that only grows: tests and the control endpoint can jump ahead. */
export function createOffsetClock(base: Clock = systemClock): ControlledClock {
	let offset = 0;
	return {
		mode: 'system',
		now: () => base.now() + offset,
		advance(ms: number) {
			checkAdvance(ms);
			offset += ms;
		},
		set(ms: number) {
			const current = base.now() + offset;
			if (!Number.isFinite(ms) || ms < current) throw new RangeError(`cannot set a clock back from ${current} to ${ms}`);
			offset += ms - current;
		},
	};
}

export function createClock(mode: ClockMode, startMs: number = Date.now()): ControlledClock {
	return mode === 'manual' ? createSteppedClock(startMs) : createOffsetClock();
}
