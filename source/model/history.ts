import type {ConnectorHistory} from './types.js';

/**
 * Bounded per-connector history for sparklines and charts: one point per refresh,
 * oldest first, in fixed-size ring buffers (one Float64Array per connector, NaN = no value).
 * Memory is capacity × 5 series × 8 bytes per connector and never grows; connectors that
 * vanish are dropped on the next record.
 */

export const historySeries = ['lag', 'recordRate', 'errors', 'dlq', 'commits'] as const;
export type HistorySeriesName = (typeof historySeries)[number];

export interface HistoryPoint {
	readonly lag: number | undefined;
	readonly recordRate: number | undefined;
	/** Errors + failures total (a counter; increases are computed with resets handled). */
	readonly errors: number | undefined;
	readonly dlq: number | undefined;
	/** Sinks: offset commits completed (a counter summed over the tasks), for the sink verdict's STOP. */
	readonly commits?: number | undefined;
}

/** Where each series' ring lies in a connector's array: series k at [k × capacity, (k + 1) × capacity). */
const seriesIndex: Readonly<Record<HistorySeriesName, number>> = {lag: 0, recordRate: 1, errors: 2, dlq: 3, commits: 4};

function stored(value: number | undefined): number {
	return value === undefined || !Number.isFinite(value) ? Number.NaN : value;
}

/**
 * The series whose counterChange is kept up to date as points arrive (errors and DLQ writes:
 * asked for every connector on every refresh), and where each one's state lies after the
 * rings, in slots of `counterSlots` values (see Entry.step).
 */
const counterSeries: Readonly<Partial<Record<HistorySeriesName, number>>> = {errors: 0, dlq: 1};
const counterCount = 2;
/** previous, increase, reset (0/1), valid (0/1), index of the last drop's predecessor (-1: none), index of previous (-1: none). */
const counterSlots = 6;
const [slotPrevious, slotIncrease, slotReset, slotValid, slotDropFrom, slotPreviousAt] = [0, 1, 2, 3, 4, 5] as const;

/**
 * One connector's history: the rings of its five series in one Float64Array, sharing one
 * start and length (a record or a seed always appends to all five). One array, not five, per
 * connector: at 10,009 connectors that is 40,036 typed arrays, buffers and ring objects fewer.
 *
 * After the rings, the same array holds, for the errors and DLQ series, the state counterChange
 * reaches after the ring's values (the scan of `counterChange` below, stopped before `current`):
 * a point is one more step of that scan, so counterChange costs one step instead of a scan of
 * the window. A point that pushes the oldest value out keeps the state only when the scan
 * would have reached the same state without that value (see push); otherwise the state is
 * marked invalid and the next counterChange scans the ring once, as it did before.
 */
class Entry {
	private readonly values: Float64Array;
	private start = 0;
	private length = 0;
	/** Points ever pushed: the index of a value is its place in that sequence. */
	private pushed = 0;

	constructor(
		private readonly capacity: number,
		/** Sequence of the last record; entries not touched by a record are dropped. */
		public seen: number,
	) {
		this.values = new Float64Array(capacity * historySeries.length + counterCount * counterSlots);
		for (let k = 0; k < counterCount; k++) this.clearCounter(this.counterBase(k));
	}

	push(point: HistoryPoint): void {
		const {capacity, values} = this;
		let at: number;
		let evicted = false;
		if (this.length < capacity) {
			at = (this.start + this.length) % capacity;
			this.length += 1;
		} else {
			at = this.start;
			this.start = (this.start + 1) % capacity;
			evicted = true;
		}
		const index = this.pushed;
		this.pushed += 1;
		if (evicted) {
			this.forget(2 * capacity + at, this.counterBase(0), index - capacity);
			this.forget(3 * capacity + at, this.counterBase(1), index - capacity);
		}
		values[at] = stored(point.lag);
		values[capacity + at] = stored(point.recordRate);
		values[2 * capacity + at] = stored(point.errors);
		values[3 * capacity + at] = stored(point.dlq);
		values[4 * capacity + at] = stored(point.commits);
		this.stepKept(this.counterBase(0), values[2 * capacity + at] ?? Number.NaN, index);
		this.stepKept(this.counterBase(1), values[3 * capacity + at] ?? Number.NaN, index);
	}

	private counterBase(k: number): number {
		return this.capacity * historySeries.length + k * counterSlots;
	}

	private clearCounter(base: number): void {
		const {values} = this;
		values[base + slotPrevious] = Number.NaN;
		values[base + slotIncrease] = 0;
		values[base + slotReset] = 0;
		values[base + slotValid] = 1;
		values[base + slotDropFrom] = -1;
		values[base + slotPreviousAt] = -1;
	}

	/**
	 * The value at `slot` (index `index`, the oldest of the ring) is about to leave the window.
	 * The scan without it reaches the same state when the value was a gap, when a drop whose
	 * predecessor stays in the window follows it (after the last drop the state does not
	 * depend on what came before), or when the next finite value equals it (that step added
	 * value − value = +0 to an increase of +0). Otherwise the state is marked invalid.
	 */
	private forget(slot: number, base: number, index: number): void {
		const {values, capacity} = this;
		if (values[base + slotValid] !== 1) return;
		const value = values[slot] ?? Number.NaN;
		if (!Number.isFinite(value)) return;
		if ((values[base + slotDropFrom] ?? -1) > index) return;
		// The next finite value in the ring after this one (`slot` is still the ring's oldest place).
		const series = Math.floor(slot / capacity) * capacity;
		let at = slot - series;
		for (let k = 1; k < this.length; k++) {
			at = at + 1 === capacity ? 0 : at + 1;
			const next = values[series + at] ?? Number.NaN;
			if (!Number.isFinite(next)) continue;
			if (next === value) return;
			break;
		}
		values[base + slotValid] = 0;
	}

	/** One step of the scan, on the kept state, when it is valid. */
	private stepKept(base: number, value: number, index: number): void {
		if (this.values[base + slotValid] === 1) this.step(base, value, index);
	}

	/** The step of counterChange's scan: `value` (at `index`) after the values before it. */
	private step(base: number, value: number, index: number): void {
		if (!Number.isFinite(value)) return;
		const {values} = this;
		const previous = values[base + slotPrevious] ?? Number.NaN;
		if (value < previous) {
			values[base + slotReset] = 1;
			values[base + slotIncrease] = 0;
			values[base + slotDropFrom] = values[base + slotPreviousAt] ?? -1;
		} else if (!Number.isNaN(previous)) values[base + slotIncrease] = (values[base + slotIncrease] ?? 0) + (value - previous);
		values[base + slotPrevious] = value;
		values[base + slotPreviousAt] = index;
	}

	/** The kept state of counter `k` made valid again: the scan over the ring's values. */
	private rescan(k: number, series: HistorySeriesName): number {
		const base = this.counterBase(k);
		if (this.values[base + slotValid] === 1) return base;
		this.clearCounter(base);
		const {values, capacity} = this;
		const ring = seriesIndex[series] * capacity;
		let at = this.start;
		const first = this.pushed - this.length;
		for (let i = 0; i < this.length; i++) {
			this.step(base, values[ring + at] ?? Number.NaN, first + i);
			at = at + 1 === capacity ? 0 : at + 1;
		}
		return base;
	}

	/** The last `n` values of a series (all when n is undefined), oldest first; NaN where there was no value. */
	toArray(series: HistorySeriesName, n?: number): number[] {
		const count = n === undefined ? this.length : Math.min(n, this.length);
		const out = new Array<number>(count);
		const base = seriesIndex[series] * this.capacity;
		const skip = this.length - count;
		for (let i = 0; i < count; i++) out[i] = this.values[base + ((this.start + skip + i) % this.capacity)] ?? Number.NaN;
		return out;
	}

	/** counterChange over a series' values, oldest first, then `current`: from the kept state for errors and DLQ, else read where they lie, no copy. */
	counterChange(series: HistorySeriesName, current: number): CounterChange | undefined {
		const {values, capacity} = this;
		let previous = Number.NaN;
		let increase = 0;
		let reset = false;
		const k = counterSeries[series];
		if (k === undefined) {
			// The scan over the ring, in place.
			const ring = seriesIndex[series] * capacity;
			let at = this.start;
			for (let i = 0; i < this.length; i++) {
				const value = values[ring + at] ?? Number.NaN;
				at = at + 1 === capacity ? 0 : at + 1;
				if (!Number.isFinite(value)) continue;
				if (value < previous) {
					reset = true;
					increase = 0;
				} else if (!Number.isNaN(previous)) increase += value - previous;
				previous = value;
			}
		} else {
			const base = this.rescan(k, series);
			previous = values[base + slotPrevious] ?? Number.NaN;
			increase = values[base + slotIncrease] ?? 0;
			reset = values[base + slotReset] === 1;
		}
		// The scan's last step: `current`.
		if (Number.isFinite(current)) {
			if (current < previous) {
				reset = true;
				increase = 0;
			} else if (!Number.isNaN(previous)) increase += current - previous;
			previous = current;
		}
		return Number.isNaN(previous) ? undefined : {increase, reset};
	}

	/** Copies a series' values, oldest first, to the start of `out` (at least `capacity` long); returns how many. */
	copyInto(series: HistorySeriesName, out: Float64Array): number {
		const base = seriesIndex[series] * this.capacity;
		let from = this.start;
		for (let i = 0; i < this.length; i++) {
			out[i] = this.values[base + from] ?? Number.NaN;
			from = from + 1 === this.capacity ? 0 : from + 1;
		}
		return this.length;
	}
}

export class HistoryStore {
	private readonly entries = new Map<string, Entry>();
	private sequence = 0;
	/** One buffer per series for `window`: a window is read where it is asked for, so a refresh copies no history. */
	private readonly scratch: Readonly<Record<HistorySeriesName, Float64Array>>;
	/** The views `window` hands out, by series and length, made once (a typed-array view is an object too). */
	private readonly views: Readonly<Record<HistorySeriesName, Array<Float64Array | undefined>>> = {lag: [], recordRate: [], errors: [], dlq: [], commits: []};

	constructor(readonly capacity: number) {
		if (!Number.isInteger(capacity) || capacity < 2) throw new RangeError('history capacity must be an integer ≥ 2');
		const buffer = () => new Float64Array(capacity + 1);
		this.scratch = {lag: buffer(), recordRate: buffer(), errors: buffer(), dlq: buffer(), commits: buffer()};
	}

	/** Appends one point per connector; connectors absent from `points` are forgotten. */
	record(points: ReadonlyMap<string, HistoryPoint>): void {
		this.sequence += 1;
		// forEach, not for-of over entries: no [name, value] pair per connector.
		points.forEach((point, name) => {
			const entry = this.entry(name);
			entry.seen = this.sequence;
			entry.push(point);
		});
		this.entries.forEach((entry, name) => {
			if (entry.seen !== this.sequence) this.entries.delete(name);
		});
	}

	/** Seeds a connector's history from older points (start-up range query), oldest first; only before its first record. */
	seed(name: string, points: readonly HistoryPoint[]): void {
		const entry = this.entry(name);
		for (let i = Math.max(0, points.length - this.capacity); i < points.length; i++) {
			const point = points[i];
			if (point !== undefined) entry.push(point);
		}
		entry.seen = this.sequence;
	}

	private entry(name: string): Entry {
		let entry = this.entries.get(name);
		if (!entry) {
			entry = new Entry(this.capacity, this.sequence);
			this.entries.set(name, entry);
		}
		return entry;
	}

	has(name: string): boolean {
		return this.entries.has(name);
	}

	get(name: string, points?: number): ConnectorHistory {
		const entry = this.entries.get(name);
		if (!entry) return {lag: [], recordRate: [], errors: []};
		return {lag: entry.toArray('lag', points), recordRate: entry.toArray('recordRate', points), errors: entry.toArray('errors', points)};
	}

	/**
	 * A connector's window of one series: its past values, oldest first, and `current` last (NaN
	 * when undefined), for counter increases and the sink verdict. The values are not copied to
	 * a new array: the view is over a buffer of this series that the next `window` call for the
	 * same series overwrites, so read it before asking for the next one.
	 */
	window(name: string, series: HistorySeriesName, current: number | undefined): Float64Array {
		const buffer = this.scratch[series];
		const entry = this.entries.get(name);
		const count = entry === undefined ? 0 : entry.copyInto(series, buffer);
		buffer[count] = current ?? Number.NaN;
		const views = this.views[series];
		let view = views[count + 1];
		if (view === undefined) {
			view = buffer.subarray(0, count + 1);
			views[count + 1] = view;
		}
		return view;
	}

	/**
	 * counterChange(window(name, series, current)), read from the ring in place: the same
	 * answer without copying the window (errors and DLQ writes of every connector, each refresh).
	 */
	counterChange(name: string, series: HistorySeriesName, current: number | undefined): CounterChange | undefined {
		const entry = this.entries.get(name);
		if (entry !== undefined) return entry.counterChange(series, current ?? Number.NaN);
		return counterChange(current === undefined ? [] : [current]);
	}

	get size(): number {
		return this.entries.size;
	}
}

/**
 * Change of a connector's counter total over a series of samples (oldest first). The total
 * sums the counters of the connector's tasks, so it drops when a task restarts (its counter
 * starts again from zero) and also when a worker goes away (its tasks' series vanish): a
 * drop cannot say which, so only what was counted after the last drop is certain.
 * `increase` is that, a lower bound, and `reset` says a drop was seen. NaN gaps are skipped;
 * undefined when there is no valid value.
 */
export interface CounterChange {
	readonly increase: number;
	readonly reset: boolean;
}

export function counterChange(values: ArrayLike<number>): CounterChange | undefined {
	// NaN, not undefined, for "no value yet": a number-only variable stays unboxed in a loop that runs for every connector.
	let previous = Number.NaN;
	let increase = 0;
	let reset = false;
	for (let i = 0; i < values.length; i++) {
		const value = values[i] ?? Number.NaN;
		if (!Number.isFinite(value)) continue;
		if (value < previous) {
			reset = true;
			increase = 0;
		} else if (!Number.isNaN(previous)) increase += value - previous;
		previous = value;
	}
	return Number.isNaN(previous) ? undefined : {increase, reset};
}

/**
 * Increase of a counter over a series of samples (oldest first), the way Prometheus'
 * increase() treats resets: a drop means the counter restarted from zero, so the new
 * value counts in full. NaN gaps are skipped. undefined when fewer than one valid value.
 */
export function counterIncrease(values: ArrayLike<number>): number | undefined {
	let previous = Number.NaN;
	let total = 0;
	let valid = 0;
	for (let i = 0; i < values.length; i++) {
		const value = values[i] ?? Number.NaN;
		if (!Number.isFinite(value)) continue;
		valid += 1;
		if (!Number.isNaN(previous)) total += value >= previous ? value - previous : value;
		previous = value;
	}
	return valid === 0 ? undefined : total;
}
