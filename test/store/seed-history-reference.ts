import type {ConnectorsExpanded} from '../../source/clients/connect/schemas.js';
import type {LogicalMetricId, NamingProfile} from '../../source/metrics/types.js';
import type {HistoryPoint, HistoryStore} from '../../source/model/history.js';
import {debeziumServerOf, normaliseServerLabel} from '../../source/model/join.js';

/**
 * seedHistory as it was before range series held typed arrays (source/store/store.ts at
 * a8b420b), kept verbatim but for the type of its input: the reference the property test
 * holds the typed-array version equal to.
 */

/** A range series as the client built it before: [unix ms, value] pairs. */
export interface PointsSeries {
	readonly labels: Readonly<Record<string, string>>;
	readonly points: ReadonlyArray<readonly [number, number]>;
}

/**
 * Fills the ring buffers from the start-up range queries, so sparklines are full on the
 * first frame. Points are placed on the refresh grid ending one interval before `now`
 * (the current refresh records the newest point).
 */
export function seedHistoryReference(
	history: HistoryStore,
	ranges: ReadonlyMap<LogicalMetricId, readonly PointsSeries[]>,
	connectors: ConnectorsExpanded,
	profile: NamingProfile,
	now: number,
	stepMs: number,
	capacity: number,
): void {
	const count = capacity - 1;
	const slot = (t: number): number => Math.round((now - t) / stepMs); // 1 = one interval ago
	const index = (id: LogicalMetricId, key: (labels: Readonly<Record<string, string>>) => string | undefined): Map<string, Float64Array> => {
		const out = new Map<string, Float64Array>();
		for (const series of ranges.get(id) ?? []) {
			const k = key(series.labels);
			if (k === undefined) continue;
			let values = out.get(k);
			if (!values) {
				values = new Float64Array(count).fill(Number.NaN);
				out.set(k, values);
			}
			for (const [t, v] of series.points) {
				const s = slot(t);
				if (s < 1 || s > count || !Number.isFinite(v)) continue;
				const i = count - s;
				values[i] = Number.isNaN(values[i] ?? Number.NaN) ? v : (values[i] ?? 0) + v;
			}
		}
		return out;
	};
	const byConnector = (labels: Readonly<Record<string, string>>) => {
		return labels[profile.labels.connector];
	};
	const byServer = (labels: Readonly<Record<string, string>>) => {
		const v = labels[profile.labels.server];
		return v === undefined ? undefined : normaliseServerLabel(v);
	};
	const sinkLag = index('sinkLag', byConnector);
	const dbzLag = index('dbzMsBehindSource', byServer);
	const rate = index('recordRate', byConnector);
	const dbzRate = index('dbzEventsRate', byServer);
	const errors = index('recordErrors', byConnector);
	const failures = index('recordFailures', byConnector);
	const dlq = index('dlqWrites', byConnector);
	const commits = index('sinkOffsetCommits', byConnector);
	if ([sinkLag, dbzLag, rate, dbzRate, errors, failures, dlq].every(m => m.size === 0)) return;

	for (const [name, entry] of Object.entries(connectors)) {
		if (history.has(name)) continue;
		const config = entry.info?.config ?? {};
		const server = debeziumServerOf(config);
		const isSink = (entry.status?.type ?? entry.info?.type) === 'sink';
		const lag = isSink ? sinkLag.get(name) : server === undefined ? undefined : dbzLag.get(server);
		const rates = rate.get(name) ?? (server === undefined ? undefined : dbzRate.get(server));
		const e = errors.get(name);
		const f = failures.get(name);
		const d = dlq.get(name);
		const c = isSink ? commits.get(name) : undefined;
		if (!lag && !rates && !e && !f && !d) continue;
		const points: HistoryPoint[] = [];
		for (let i = 0; i < count; i++) {
			const lagValue = lag?.[i];
			const errorsValue = addDefined(e?.[i], f?.[i]);
			points.push({
				lag: lagValue === undefined || Number.isNaN(lagValue) || lagValue < 0 ? undefined : lagValue,
				recordRate: nanToUndefined(rates?.[i]),
				errors: errorsValue,
				dlq: nanToUndefined(d?.[i]),
				commits: nanToUndefined(c?.[i]),
			});
		}
		history.seed(name, points);
	}
}

function nanToUndefined(value: number | undefined): number | undefined {
	return value === undefined || Number.isNaN(value) ? undefined : value;
}

function addDefined(a: number | undefined, b: number | undefined): number | undefined {
	const x = nanToUndefined(a);
	const y = nanToUndefined(b);
	if (x === undefined) return y;
	if (y === undefined) return x;
	return x + y;
}
