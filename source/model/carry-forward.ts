import type {ClusterSnapshot, ConnectorRow, WorkerRow} from './types.js';

/**
 * Partial metric answers (issue #8): Prometheus answered, but without any series of one
 * worker (a target its scrape config lost, a Thanos store that did not answer, a federation
 * gap). Without this, that worker's METRICS and the lag and Debezium state of the connectors
 * it runs would go blank, or keep looking current where a sum still has other workers' rows.
 * Instead the last values seen stay, marked old with their age, as `staleMetrics` does for
 * samples Prometheus kept serving; they are never taken as current (health, `check`).
 *
 * A worker counts as missing when REST knows it, the metrics source has answered at least
 * once, no exporter row pairs with it, and the previous snapshot had one (or was already
 * carrying it). Pure: the previous snapshot comes in as a parameter.
 */
export function carryMissingMetrics(snapshot: ClusterSnapshot, previous: ClusterSnapshot | undefined): ClusterSnapshot {
	const health = snapshot.metrics;
	// While the source fails, the store rebuilds from its last good answer: a worker missing from it stays carried, ageing on.
	if (previous === undefined || health === undefined || !health.everSucceeded) return snapshot;
	const elapsed = Math.max(0, snapshot.takenAt - previous.takenAt);
	const before = new Map(previous.workers.filter(worker => worker.pairing !== 'unpaired').map(worker => [worker.id, worker]));
	const missing = new Set<string>();
	const workers = snapshot.workers.map((worker): WorkerRow => {
		const last = before.get(worker.id);
		if (worker.pairing === 'unpaired' || !worker.inRest || worker.instance !== undefined || last?.instance === undefined) return worker;
		missing.add(worker.id);
		return {
			...worker,
			instance: last.instance,
			rebalancing: last.rebalancing,
			metricConnectors: last.metricConnectors,
			metricTasks: last.metricTasks,
			metricsStale: {ageMs: (last.metricsStale?.ageMs ?? 0) + elapsed, missing: true},
		};
	});
	if (missing.size === 0) return snapshot;
	const earlier = new Map(previous.connectors.map(row => [row.name, row]));
	const connectors = snapshot.connectors.map(row => {
		const on = [...row.workers, ...(row.workerId === undefined ? [] : [row.workerId])];
		const last = earlier.get(row.name);
		return last === undefined || !on.some(id => missing.has(id)) ? row : withLastValues(row, last, elapsed);
	});
	return {...snapshot, workers, connectors};
}

/** The row with the lag and Debezium state it had last, marked old, where this refresh has none. */
function withLastValues(row: ConnectorRow, last: ConnectorRow, elapsed: number): ConnectorRow {
	const lag = row.lag === undefined && row.staleMetrics?.lag === undefined ? (last.lag ?? last.staleMetrics?.lag) : undefined;
	const connected = row.debezium?.connected === undefined && row.staleMetrics?.connected === undefined ? (last.debezium?.connected ?? last.staleMetrics?.connected) : undefined;
	if (lag === undefined && connected === undefined) return row;
	const ageMs = Math.max(row.staleMetrics?.ageMs ?? 0, (last.staleMetrics?.ageMs ?? 0) + elapsed);
	return {...row, staleMetrics: {ageMs, lag: row.staleMetrics?.lag ?? lag, connected: row.staleMetrics?.connected ?? connected}};
}
