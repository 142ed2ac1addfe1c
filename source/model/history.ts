import type {ConnectorHistory} from './types.js';

/**
 * Bounded per-connector history for sparklines and charts: one point per refresh,
 * oldest first, in fixed-size ring buffers (one buffer per connector, NaN = no value).
 * Memory is at most capacity × 5 series × 4 or 8 bytes per connector, and nothing for a series
 * whose values in the window are all the same (see Entry); it never grows past that bound;
 * connectors that vanish are dropped on the next record.
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
const errorsSeries = seriesIndex.errors;
const dlqSeries = seriesIndex.dlq;
const counterCount = 2;
/** previous, increase, reset (0/1), valid (0/1), index of the last drop's predecessor (-1: none), index of previous (-1: none). */
const counterSlots = 6;
const [slotPrevious, slotIncrease, slotReset, slotValid, slotDropFrom, slotPreviousAt] = [0, 1, 2, 3, 4, 5] as const;

/**
 * The header of an entry's buffer, in Float64 slots: the counter state (see Entry.step), then
 * each series' value while it is flat (see Entry), then the index at which each series' last
 * run of equal values began.
 */
const flatBase = counterCount * counterSlots;
const runBase = flatBase + historySeries.length;
const headerSlots = runBase + historySeries.length;

/**
 * Where an entry's parts lie in its one buffer, for one choice of ringed series (`rings`, bit
 * k: series k has a ring) and of wide ones among them (`wide`, bit k: series k's ring holds
 * 64-bit values): the header first (Float64 slots), then the wide rings (Float64), then the
 * narrow ones (Float32). `offsets[k]` is where series k's ring starts, in elements of the view
 * it is read through (-1: the series is flat, it has no ring).
 */
interface Layout {
	readonly wide: number;
	readonly rings: number;
	readonly offsets: Int32Array;
	readonly bytes: number;
}

/** The layouts of one capacity, by `wide | rings << 5` (made on first use: an entry's layout changes only when a series changes shape). */
const layoutsByCapacity = new Map<number, Array<Layout | undefined>>();

function layoutOf(capacity: number, wideAsked: number, rings: number): Layout {
	// Only a ring is wide or narrow.
	const wide = wideAsked & rings;
	let layouts = layoutsByCapacity.get(capacity);
	if (layouts === undefined) {
		layouts = [];
		layoutsByCapacity.set(capacity, layouts);
	}
	const key = wide | (rings << historySeries.length);
	let layout = layouts[key];
	if (layout === undefined) {
		const offsets = new Int32Array(historySeries.length).fill(-1);
		let wideAt = headerSlots;
		for (let k = 0; k < historySeries.length; k++) {
			if ((wide >> k) & 1) {
				offsets[k] = wideAt;
				wideAt += capacity;
			}
		}
		// Float32 elements after the Float64 ones.
		let narrowAt = 2 * wideAt;
		for (let k = 0; k < historySeries.length; k++) {
			if ((rings >> k) & 1 && ((wide >> k) & 1) === 0) {
				offsets[k] = narrowAt;
				narrowAt += capacity;
			}
		}
		// Whole Float64 elements: the buffer is read through both views.
		layout = {wide, rings, offsets, bytes: 8 * Math.ceil(narrowAt / 2)};
		layouts[key] = layout;
	}
	return layout;
}

/** A value a Float32 holds exactly (NaN included). */
function fitsNarrow(value: number): boolean {
	return Math.fround(value) === value || Number.isNaN(value);
}

/**
 * One connector's history: the rings of its five series in one buffer, sharing one start and
 * length (a record or a seed always appends to all five). One buffer, not five, per connector:
 * at 10,009 connectors that is 40,036 typed arrays, buffers and ring objects fewer.
 *
 * A series whose every value in the window is the same (by Object.is: NaN is NaN, -0 is not 0)
 * is flat: it has no ring, only that value in the header. Most series are flat most of the
 * time: a healthy connector's error and dead-letter totals, a source's sink-only commits, a
 * sink's source-only lag. A flat series gets a ring at its first different value, and loses it
 * again once one value has filled the whole window (the header keeps where each series' last
 * run of equal values began). A ringed series is kept in 32 bits while every value it was
 * given is a float32 exactly (lags in ms or records and counter totals are integers, exact up
 * to 2^24), and widened to 64 bits at the first value that is not (a rate, a counter past
 * 2^24): values read back are always the values given. With the default five minutes (150
 * points) a connector whose five series all move takes 3.8 KB (the record rate in 64 bits);
 * one whose error, DLQ and commit series are flat, 1.9 KB; 176 bytes of header when all are.
 *
 * The header also holds, for the errors and DLQ series, the state counterChange reaches after
 * the ring's values (the scan of `counterChange` below, stopped before `current`): a point is
 * one more step of that scan, so counterChange costs one step instead of a scan of the window.
 * A point that pushes the oldest value out keeps the state only when the scan would have
 * reached the same state without that value (see push); otherwise the state is marked invalid
 * and the next counterChange scans the ring once.
 */
class Entry {
	private layout: Layout;
	/** Two views of one buffer: the header and the wide rings through `wideValues`, the narrow rings through `narrowValues`. */
	private wideValues: Float64Array;
	private narrowValues: Float32Array;
	private start = 0;
	private length = 0;
	/** Points ever pushed: the index of a value is its place in that sequence. */
	private pushed = 0;

	constructor(
		private readonly capacity: number,
		/** Sequence of the last record; entries not touched by a record are dropped. */
		public seen: number,
	) {
		this.layout = layoutOf(capacity, 0, 0);
		const buffer = new ArrayBuffer(this.layout.bytes);
		this.wideValues = new Float64Array(buffer);
		this.narrowValues = new Float32Array(buffer);
		for (let k = 0; k < counterCount; k++) this.clearCounter(this.counterBase(k));
	}

	/** Bytes of the entry's buffer. */
	get bytes(): number {
		return this.layout.bytes;
	}

	/** The value of series `k` at ring place `at`. */
	private value(k: number, at: number): number {
		const {layout} = this;
		if (((layout.rings >> k) & 1) === 0) return this.wideValues[flatBase + k] ?? Number.NaN;
		const offset = layout.offsets[k] ?? 0;
		return ((layout.wide >> k) & 1 ? this.wideValues[offset + at] : this.narrowValues[offset + at]) ?? Number.NaN;
	}

	/**
	 * Sets series `k` at ring place `at` (the value at index `index`; `previousAt` is the place
	 * of the one before, -1 when there is none) to `value` (NaN or finite): a flat series gets a
	 * ring at a value different from its own, a narrow ring widens when 32 bits cannot hold the
	 * value exactly, and a ring that one value now fills is dropped.
	 */
	private setValue(k: number, at: number, previousAt: number, value: number, index: number): void {
		const header = this.wideValues;
		if (previousAt < 0 || !Object.is(this.value(k, previousAt), value)) header[runBase + k] = index;
		const bit = 1 << k;
		let {layout} = this;
		if ((layout.rings & bit) === 0) {
			if (previousAt < 0 || Object.is(header[flatBase + k], value)) {
				header[flatBase + k] = value;
				return;
			}
			const flat = header[flatBase + k] ?? Number.NaN;
			this.reshape(fitsNarrow(flat) && fitsNarrow(value) ? layout.wide : layout.wide | bit, layout.rings | bit);
			layout = this.layout;
		} else if ((layout.wide & bit) === 0 && !fitsNarrow(value)) {
			this.reshape(layout.wide | bit, layout.rings);
			layout = this.layout;
		} else if (index - (header[runBase + k] ?? index) + 1 >= this.length) {
			// One value fills the window.
			header[flatBase + k] = value;
			this.reshape(layout.wide & ~bit, layout.rings & ~bit);
			return;
		}
		const offset = layout.offsets[k] ?? 0;
		if (layout.wide & bit) this.wideValues[offset + at] = value;
		else this.narrowValues[offset + at] = value;
	}

	/** A new buffer for another shape, with the header and every ring's values copied (a new ring holds its series' flat value). */
	private reshape(wide: number, rings: number): void {
		const next = layoutOf(this.capacity, wide, rings);
		const buffer = new ArrayBuffer(next.bytes);
		const wideValues = new Float64Array(buffer);
		const narrowValues = new Float32Array(buffer);
		wideValues.set(this.wideValues.subarray(0, headerSlots));
		for (let series = 0; series < historySeries.length; series++) {
			if (((next.rings >> series) & 1) === 0) continue;
			const to = next.offsets[series] ?? 0;
			const into = (next.wide >> series) & 1 ? wideValues : narrowValues;
			for (let at = 0; at < this.capacity; at++) into[to + at] = this.value(series, at);
		}
		this.layout = next;
		this.wideValues = wideValues;
		this.narrowValues = narrowValues;
	}

	push(point: HistoryPoint): void {
		const {capacity} = this;
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
			this.forget(errorsSeries, at, this.counterBase(0), index - capacity);
			this.forget(dlqSeries, at, this.counterBase(1), index - capacity);
		}
		const previousAt = this.length === 1 ? -1 : at === 0 ? capacity - 1 : at - 1;
		this.setValue(0, at, previousAt, stored(point.lag), index);
		this.setValue(1, at, previousAt, stored(point.recordRate), index);
		this.setValue(errorsSeries, at, previousAt, stored(point.errors), index);
		this.setValue(dlqSeries, at, previousAt, stored(point.dlq), index);
		this.setValue(4, at, previousAt, stored(point.commits), index);
		this.stepKept(this.counterBase(0), this.value(errorsSeries, at), index);
		this.stepKept(this.counterBase(1), this.value(dlqSeries, at), index);
	}

	private counterBase(k: number): number {
		return k * counterSlots;
	}

	private clearCounter(base: number): void {
		const values = this.wideValues;
		values[base + slotPrevious] = Number.NaN;
		values[base + slotIncrease] = 0;
		values[base + slotReset] = 0;
		values[base + slotValid] = 1;
		values[base + slotDropFrom] = -1;
		values[base + slotPreviousAt] = -1;
	}

	/**
	 * The value of series `k` at ring place `at` (index `index`, the oldest of the ring) is about
	 * to leave the window. The scan without it reaches the same state when the value was a gap,
	 * when a drop whose predecessor stays in the window follows it (after the last drop the state
	 * does not depend on what came before), or when the next finite value equals it (that step
	 * added value − value = +0 to an increase of +0). Otherwise the state is marked invalid.
	 */
	private forget(k: number, at: number, base: number, index: number): void {
		const {capacity} = this;
		const state = this.wideValues;
		if (state[base + slotValid] !== 1) return;
		const value = this.value(k, at);
		if (!Number.isFinite(value)) return;
		if ((state[base + slotDropFrom] ?? -1) > index) return;
		// The next finite value in the ring after this one (`at` is still the ring's oldest place).
		let place = at;
		for (let step = 1; step < this.length; step++) {
			place = place + 1 === capacity ? 0 : place + 1;
			const next = this.value(k, place);
			if (!Number.isFinite(next)) continue;
			if (next === value) return;
			break;
		}
		state[base + slotValid] = 0;
	}

	/** One step of the scan, on the kept state, when it is valid. */
	private stepKept(base: number, value: number, index: number): void {
		if (this.wideValues[base + slotValid] === 1) this.step(base, value, index);
	}

	/** The step of counterChange's scan: `value` (at `index`) after the values before it. */
	private step(base: number, value: number, index: number): void {
		if (!Number.isFinite(value)) return;
		const values = this.wideValues;
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
		if (this.wideValues[base + slotValid] === 1) return base;
		this.clearCounter(base);
		const {capacity} = this;
		const ring = seriesIndex[series];
		let at = this.start;
		const first = this.pushed - this.length;
		for (let i = 0; i < this.length; i++) {
			this.step(base, this.value(ring, at), first + i);
			at = at + 1 === capacity ? 0 : at + 1;
		}
		return base;
	}

	/** The last `n` values of a series (all when n is undefined), oldest first; NaN where there was no value. */
	toArray(series: HistorySeriesName, n?: number): number[] {
		const count = n === undefined ? this.length : Math.min(n, this.length);
		const out = new Array<number>(count);
		const k = seriesIndex[series];
		const skip = this.length - count;
		for (let i = 0; i < count; i++) out[i] = this.value(k, (this.start + skip + i) % this.capacity);
		return out;
	}

	/** counterChange over a series' values, oldest first, then `current`: from the kept state for errors and DLQ, else read where they lie, no copy. */
	counterChange(series: HistorySeriesName, current: number): CounterChange | undefined {
		const {capacity} = this;
		let previous = Number.NaN;
		let increase = 0;
		let reset = false;
		const k = counterSeries[series];
		if (k === undefined) {
			// The scan over the ring, in place.
			const ring = seriesIndex[series];
			let at = this.start;
			for (let i = 0; i < this.length; i++) {
				const value = this.value(ring, at);
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
			const values = this.wideValues;
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
		const k = seriesIndex[series];
		const {layout, length} = this;
		if (((layout.rings >> k) & 1) === 0) {
			out.fill(this.wideValues[flatBase + k] ?? Number.NaN, 0, length);
			return length;
		}
		const values = (layout.wide >> k) & 1 ? this.wideValues : this.narrowValues;
		const offset = layout.offsets[k] ?? 0;
		let from = this.start;
		for (let i = 0; i < length; i++) {
			out[i] = values[offset + from] ?? Number.NaN;
			from = from + 1 === this.capacity ? 0 : from + 1;
		}
		return length;
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

	/** Bytes of the connectors' buffers. */
	get bytes(): number {
		let total = 0;
		this.entries.forEach(entry => {
			total += entry.bytes;
		});
		return total;
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
