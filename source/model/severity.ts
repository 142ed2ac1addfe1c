import type {HealthThresholds} from './snapshot.js';
import type {ConnectorRow, State} from './types.js';

/**
 * The one severity order, worst first, used by the default sort, the header counts, `kctop check`
 * and the colours: a FAILED connector or task, then a connector on a worker that is down,
 * UNASSIGNED, Debezium disconnected while not snapshotting, lag over the warn limit, then
 * `degraded` (record errors or DLQ writes rising, RESTARTING, REST and metrics disagreeing,
 * RUNNING with no tasks), PAUSED/STOPPED, and fine.
 */
export const severities = ['failed', 'worker-down', 'unassigned', 'disconnected', 'lagging', 'degraded', 'paused', 'fine'] as const;
export type Severity = (typeof severities)[number];

/** Words for counts and summaries ("2 failed", "1 on a down worker"). */
export const severityLabels: Readonly<Record<Severity, string>> = {
	failed: 'failed',
	'worker-down': 'on a down worker',
	unassigned: 'unassigned',
	disconnected: 'disconnected',
	lagging: 'lagging',
	degraded: 'degraded',
	paused: 'paused/stopped',
	fine: 'fine',
};

export function severityRank(severity: Severity): number {
	return severities.indexOf(severity);
}

/** Negative when `a` is worse than `b`. */
export function compareSeverity(a: Severity, b: Severity): number {
	return severityRank(a) - severityRank(b);
}

/** REST states in the same order (for the header counts and the STATE sort); unknown states sit before RUNNING. */
const stateSeverity: Readonly<Record<string, Severity>> = {FAILED: 'failed', UNASSIGNED: 'unassigned', RESTARTING: 'degraded', PAUSED: 'paused', STOPPED: 'paused', RUNNING: 'fine', DESTROYED: 'fine'};

export function stateRank(state: State): number {
	const severity = stateSeverity[state];
	if (severity === undefined) return severityRank('paused') + 0.5;
	// RUNNING before DESTROYED, PAUSED before STOPPED: a stable order inside one severity.
	return severityRank(severity) + (state === 'STOPPED' || state === 'DESTROYED' ? 0.25 : 0);
}

export type SeverityFacts = Pick<ConnectorRow, 'state' | 'workerId' | 'tasks' | 'tasksTotal' | 'className' | 'debezium' | 'lag' | 'lagUnit' | 'errorsIncrease' | 'dlqIncrease' | 'disagreements' | 'sink'>;

/** A RUNNING sink whose verdict is STALL or STOP (model/sink-verdict.ts): lag that nothing drains. FAILED and PAUSED say it already. */
export function isSinkBlocked(row: Pick<ConnectorRow, 'sink' | 'state' | 'tasks'>): boolean {
	const verdict = row.sink?.verdict;
	return (verdict === 'STALL' || verdict === 'STOP') && row.state === 'RUNNING' && !row.tasks.some(task => task.state === 'FAILED' || task.state === 'UNASSIGNED');
}

export function isLagOverLimit(row: Pick<ConnectorRow, 'lag' | 'lagUnit'>, thresholds: HealthThresholds): boolean {
	if (row.lag === undefined) return false;
	return row.lag >= (row.lagUnit === 'records' ? thresholds.lagWarnRecords : thresholds.lagWarnMs);
}

/** Debezium says it lost the database, and not because a snapshot is running (streaming metrics read "not connected" then). */
export function isDisconnected(row: Pick<ConnectorRow, 'debezium'>): boolean {
	return row.debezium?.connected === false && row.debezium.snapshotRunning !== true;
}

/** The workers down that this connector or one of its tasks is assigned to. */
export function downWorkersOf(row: Pick<ConnectorRow, 'workerId' | 'tasks'>, down: ReadonlySet<string>): string[] {
	if (down.size === 0) return [];
	const ids = [row.workerId, ...row.tasks.map(task => task.workerId)].filter((id): id is string => id !== undefined && down.has(id));
	return [...new Set(ids)].sort();
}

export function connectorSeverity(row: SeverityFacts, thresholds: HealthThresholds, down: ReadonlySet<string>): Severity {
	if (hasState(row, 'FAILED')) return 'failed';
	if (onDownWorker(row, down) && row.state !== 'PAUSED' && row.state !== 'STOPPED') return 'worker-down';
	if (hasState(row, 'UNASSIGNED')) return 'unassigned';
	if (isDisconnected(row)) return 'disconnected';
	if (isLagOverLimit(row, thresholds) || isSinkBlocked(row)) return 'lagging';
	const noTasks = row.state === 'RUNNING' && row.tasksTotal === 0 && row.className !== '';
	if ((row.errorsIncrease ?? 0) > 0 || (row.dlqIncrease ?? 0) > 0 || hasState(row, 'RESTARTING') || row.disagreements.length > 0 || noTasks) return 'degraded';
	if (row.state === 'PAUSED' || row.state === 'STOPPED') return 'paused';
	return 'fine';
}

// connectorSeverity runs for every connector on every refresh: these two answer without building arrays.

/** The connector or one of its tasks is in `state`. */
function hasState(row: Pick<ConnectorRow, 'state' | 'tasks'>, state: State): boolean {
	if (row.state === state) return true;
	for (const task of row.tasks) if (task.state === state) return true;
	return false;
}

/** The connector or one of its tasks is assigned to a worker that is down (downWorkersOf is not empty). */
function onDownWorker(row: Pick<ConnectorRow, 'workerId' | 'tasks'>, down: ReadonlySet<string>): boolean {
	if (down.size === 0) return false;
	if (row.workerId !== undefined && down.has(row.workerId)) return true;
	for (const task of row.tasks) if (task.workerId !== undefined && down.has(task.workerId)) return true;
	return false;
}

/** Connectors per severity, every severity present (zeros included), in the order. */
export function countBySeverity(rows: readonly Pick<ConnectorRow, 'severity'>[]): ReadonlyMap<Severity, number> {
	const counts = new Map<Severity, number>(severities.map(severity => [severity, 0]));
	for (const row of rows) counts.set(row.severity, (counts.get(row.severity) ?? 0) + 1);
	return counts;
}
