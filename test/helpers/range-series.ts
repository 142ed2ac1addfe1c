import type {RangeSeries} from '../../source/metrics/types.js';

/** A range series from [unix ms, value] points, as the Prometheus client builds it from an answer. */
export function rangeSeries(labels: Readonly<Record<string, string>>, points: ReadonlyArray<readonly [number, number]>): RangeSeries {
	return {labels, times: Float64Array.from(points, ([at]) => at), values: Float64Array.from(points, ([, value]) => value)};
}

/** The [unix ms, value] points of a range series, for assertions. */
export function pointsOf(series: RangeSeries | undefined): Array<[number, number]> {
	if (series === undefined) return [];
	return Array.from(series.times, (at, index): [number, number] => [at, series.values[index] ?? Number.NaN]);
}
