import {failuresOf, memberName} from './failures.js';
import {causeText} from './trace.js';
import {compareSeverity, downWorkersOf, isDisconnected, isSinkBlocked, type Severity} from './severity.js';
import {formatCatchUp} from './sink-verdict.js';
import {defaultThresholds, type HealthThresholds} from './snapshot.js';
import type {ClusterSnapshot, ConnectorRow} from './types.js';

/**
 * `kctop check` as a Nagios/Icinga plugin: exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN when
 * the Connect REST API cannot be reached. One summary line (with performance data), then one
 * line per finding, worst first in the severity order of model/severity.ts. Pure over a snapshot.
 */
export type CheckStatus = 'OK' | 'WARNING' | 'CRITICAL' | 'UNKNOWN';

export interface CheckOptions {
	/** Lag limits: at least `lagWarn*` is WARNING, at least `lagCrit*` (`--max-lag`) CRITICAL. */
	readonly thresholds: HealthThresholds;
	/** `--allow-paused`: PAUSED and STOPPED connectors are OK instead of WARNING. */
	readonly allowPaused: boolean;
	/** `--warn-unassigned`: UNASSIGNED connectors and tasks are WARNING instead of CRITICAL (rebalances). */
	readonly warnUnassigned: boolean;
	/** `--max-errors-increase`: record errors (or DLQ writes) rising by more than this over the history window is WARNING. */
	readonly maxErrorsIncrease: number;
}

export const defaultCheckOptions: CheckOptions = {thresholds: defaultThresholds, allowPaused: false, warnUnassigned: false, maxErrorsIncrease: 0};

export interface CheckFinding {
	readonly status: Exclude<CheckStatus, 'OK'>;
	/** Place in the severity order; `source` for Connect or the metrics source themselves. */
	readonly severity: Severity | 'source';
	/** "orders-sink", "orders-sink/3" (a task), "worker c2:8083", "metrics". */
	readonly subject: string;
	readonly text: string;
	/** Root cause of a FAILED connector or task (model/trace.ts). */
	readonly cause?: string;
	/** One line naming the setting or command to look at (model/hints.ts). */
	readonly hint?: string;
}

export interface CheckResult {
	readonly status: CheckStatus;
	readonly exitCode: 0 | 1 | 2 | 3;
	readonly summary: string;
	readonly findings: readonly CheckFinding[];
}

const exitCodes: Readonly<Record<CheckStatus, 0 | 1 | 2 | 3>> = {OK: 0, WARNING: 1, CRITICAL: 2, UNKNOWN: 3};
const statusRank: Readonly<Record<CheckFinding['status'], number>> = {UNKNOWN: 0, CRITICAL: 1, WARNING: 2};

/** "1 failed task", "2 failed tasks", "1 worker down". */
export function counted(count: number, singular: string, plural = `${singular}s`, after = ''): string {
	return `${count} ${count === 1 ? singular : plural}${after}`;
}

/** What one kind of finding is called in the summary, singular and plural. */
const kinds = {
	failedConnector: ['failed connector', 'failed connectors'],
	failedTask: ['failed task', 'failed tasks'],
	workerDown: ['worker down', 'workers down'],
	onDownWorker: ['connector on a down worker', 'connectors on a down worker'],
	unassigned: ['connector with unassigned tasks', 'connectors with unassigned tasks'],
	disconnected: ['Debezium connector disconnected', 'Debezium connectors disconnected'],
	lagging: ['connector lagging', 'connectors lagging'],
	sinkBlocked: ['sink not draining its lag', 'sinks not draining their lag'],
	errors: ['connector with rising errors', 'connectors with rising errors'],
	degraded: ['degraded connector', 'degraded connectors'],
	paused: ['paused or stopped connector', 'paused or stopped connectors'],
	metrics: ['metrics source unavailable', 'metrics source unavailable'],
	stale: ['connector with stale metrics', 'connectors with stale metrics'],
} as const;
type Kind = keyof typeof kinds;

interface Tagged extends CheckFinding {
	readonly kind: Kind;
}

function connectorFindings(row: ConnectorRow, options: CheckOptions, down: ReadonlySet<string>): Tagged[] {
	const out: Tagged[] = [];
	const {name} = row;
	for (const failure of failuresOf(row)) {
		out.push({
			kind: failure.task === undefined ? 'failedConnector' : 'failedTask',
			status: 'CRITICAL',
			severity: 'failed',
			subject: memberName(failure),
			text: `${failure.task === undefined ? 'connector' : 'task'} FAILED${failure.workerId ? ` on ${failure.workerId}` : ''}`,
			...(failure.cause ? {cause: causeText(failure.cause)} : {}),
			...(failure.hint ? {hint: failure.hint.text} : {}),
		});
	}
	const lost = downWorkersOf(row, down);
	if (lost.length > 0 && row.state !== 'PAUSED' && row.state !== 'STOPPED') out.push({kind: 'onDownWorker', status: 'CRITICAL', severity: 'worker-down', subject: name, text: `on ${counted(lost.length, 'worker')} down: ${lost.join(', ')}`});
	const unassigned = row.tasks.filter(task => task.state === 'UNASSIGNED').length;
	if (row.state === 'UNASSIGNED' || unassigned > 0) {
		const text = [row.state === 'UNASSIGNED' ? 'connector UNASSIGNED' : '', unassigned > 0 ? `${counted(unassigned, 'task')} UNASSIGNED` : ''].filter(part => part !== '').join(', ');
		out.push({kind: 'unassigned', status: options.warnUnassigned ? 'WARNING' : 'CRITICAL', severity: 'unassigned', subject: name, text});
	}
	if (isDisconnected(row)) out.push({kind: 'disconnected', status: 'CRITICAL', severity: 'disconnected', subject: name, text: 'Debezium not connected to the database'});
	if (row.lag !== undefined) {
		const records = row.lagUnit === 'records';
		const [warn, crit] = records ? [options.thresholds.lagWarnRecords, options.thresholds.lagCritRecords] : [options.thresholds.lagWarnMs, options.thresholds.lagCritMs];
		const text = records ? `lag ${counted(Math.round(row.lag), 'record')} (limit ${crit})` : `lag ${Math.round(row.lag / 1000)}s behind source (limit ${Math.round(crit / 1000)}s)`;
		if (row.lag >= crit) out.push({kind: 'lagging', status: 'CRITICAL', severity: 'lagging', subject: name, text});
		else if (row.lag >= warn) out.push({kind: 'lagging', status: 'WARNING', severity: 'lagging', subject: name, text});
	}
	// STALL/STOP of a RUNNING sink (FAILED, UNASSIGNED and PAUSED are reported above); WARN is the lag limits' business.
	if (row.sink !== undefined && isSinkBlocked(row)) out.push({kind: 'sinkBlocked', status: 'WARNING', severity: 'lagging', subject: name, text: `sink ${row.sink.verdict}: ${row.sink.reason} (catch-up ${formatCatchUp(row.sink.catchUp)})`});
	const errors = row.errorsIncrease ?? 0;
	const dlq = row.dlqIncrease ?? 0;
	if (errors > options.maxErrorsIncrease || dlq > options.maxErrorsIncrease) {
		const parts = [errors > options.maxErrorsIncrease ? `${counted(errors, 'record error')} in the window` : '', dlq > options.maxErrorsIncrease ? `${counted(dlq, 'record')} sent to the DLQ` : ''].filter(part => part !== '');
		out.push({kind: 'errors', status: 'WARNING', severity: 'degraded', subject: name, text: `${parts.join(', ')} (limit ${options.maxErrorsIncrease})`});
	}
	const restarting = row.state === 'RESTARTING' || row.tasks.some(task => task.state === 'RESTARTING');
	const noTasks = row.state === 'RUNNING' && row.tasksTotal === 0 && row.className !== '';
	const degraded = [restarting ? 'restarting' : '', noTasks ? 'running with no tasks' : '', ...row.disagreements.map(note => `REST and metrics disagree (${note})`)].filter(part => part !== '');
	if (degraded.length > 0) out.push({kind: 'degraded', status: 'WARNING', severity: 'degraded', subject: name, text: degraded.join('; ')});
	if ((row.state === 'PAUSED' || row.state === 'STOPPED') && !options.allowPaused) out.push({kind: 'paused', status: 'WARNING', severity: 'paused', subject: name, text: `connector ${row.state} (--allow-paused to accept)`});
	return out;
}

function perfData(snapshot: ClusterSnapshot, counts: ReadonlyMap<Kind, number>): string {
	const {totals} = snapshot;
	return [
		`connectors=${totals.connectors}`,
		`tasks=${totals.tasks}`,
		`failed_connectors=${counts.get('failedConnector') ?? 0}`,
		`failed_tasks=${counts.get('failedTask') ?? 0}`,
		`unassigned_tasks=${totals.tasksByState['UNASSIGNED'] ?? 0}`,
		`workers_up=${totals.workersUp};;;0;${totals.workersTotal}`,
	].join(' ');
}

export function checkSnapshot(snapshot: ClusterSnapshot, options: CheckOptions = defaultCheckOptions): CheckResult {
	if (!snapshot.rest.everSucceeded) {
		const text = `Kafka Connect REST unreachable: ${snapshot.rest.lastError ?? 'no answer'}`;
		return {status: 'UNKNOWN', exitCode: 3, summary: `UNKNOWN: ${text}`, findings: []};
	}
	const tagged: Tagged[] = [];
	// A worker is down when its exporter's `up` says so (never because of the items it hosts);
	// an exporter that no evidence pairs with a worker cannot name one: a warning, not a page.
	const down = new Set(snapshot.workers.filter(worker => worker.up === false && worker.pairing !== 'unpaired').map(worker => worker.id));
	for (const id of [...down].sort()) tagged.push({kind: 'workerDown', status: 'CRITICAL', severity: 'worker-down', subject: `worker ${id}`, text: 'worker is down'});
	for (const worker of snapshot.workers.filter(each => each.up === false && each.pairing === 'unpaired')) tagged.push({kind: 'metrics', status: 'WARNING', severity: 'source', subject: `exporter ${worker.id}`, text: 'down and not paired with a worker (pair it with --worker-map)'});
	if (snapshot.metrics && !snapshot.metrics.everSucceeded) tagged.push({kind: 'metrics', status: 'WARNING', severity: 'source', subject: 'metrics', text: `metrics unavailable: ${snapshot.metrics.lastError ?? 'no answer'}`});
	for (const row of snapshot.connectors) tagged.push(...connectorFindings(row, options, down));
	// Old samples a restarted Prometheus still serves say nothing about now: unknown, never OK.
	for (const row of snapshot.connectors) {
		if (row.staleMetrics === undefined) continue;
		const unknown = [row.staleMetrics.lag === undefined ? '' : 'lag', row.staleMetrics.connected === undefined ? '' : 'Debezium state'].filter(part => part !== '').join(' and ');
		tagged.push({kind: 'stale', status: 'WARNING', severity: 'source', subject: row.name, text: `${unknown} unknown: the newest samples are ${Math.round(row.staleMetrics.ageMs / 1000)}s old (Prometheus stale)`});
	}

	const rank = (finding: CheckFinding): number => (finding.severity === 'source' ? -1 : 0);
	tagged.sort(
		(a, b) =>
			statusRank[a.status] - statusRank[b.status] ||
			rank(a) - rank(b) ||
			(a.severity !== 'source' && b.severity !== 'source' ? compareSeverity(a.severity, b.severity) : 0) ||
			(a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : 0),
	);
	const status: CheckStatus = tagged.some(finding => finding.status === 'CRITICAL') ? 'CRITICAL' : tagged.length > 0 ? 'WARNING' : 'OK';
	const counts = new Map<Kind, number>();
	for (const finding of tagged) counts.set(finding.kind, (counts.get(finding.kind) ?? 0) + 1);
	const problems = Object.entries(kinds).flatMap(([kind, [singular, plural]]) => {
		const count = [...counts].find(([each]) => each === kind)?.[1] ?? 0;
		return count === 0 ? [] : [counted(count, singular, plural)];
	});
	const {totals} = snapshot;
	// Liveness unknown (no metrics, and not the worker kctop asked) is not "down": say so.
	const unknown = totals.workersUnknown > 0 ? ` (${totals.workersUnknown} unknown)` : '';
	const picture = `${counted(totals.connectors, 'connector')}, ${counted(totals.tasks, 'task')}, ${totals.workersUp}/${totals.workersTotal} workers up${unknown}`;
	const summary = `${status}: ${problems.length > 0 ? `${problems.join(', ')} · ` : ''}${picture} | ${perfData(snapshot, counts)}`;
	const findings: CheckFinding[] = tagged.map(({kind: _kind, ...finding}) => finding);
	return {status, exitCode: exitCodes[status], summary, findings};
}

/** The text `kctop check` prints: the summary, then one line per finding (cause and hint on their own lines). */
export function checkText(result: CheckResult, oneLine: (text: string) => string = text => text): string {
	const lines = [result.summary];
	for (const finding of result.findings) {
		lines.push(`${finding.status} ${oneLine(finding.subject)}: ${oneLine(finding.text)}${finding.cause === undefined ? '' : `: ${oneLine(finding.cause)}`}`);
		if (finding.hint !== undefined) lines.push(`  hint: ${oneLine(finding.hint)}`);
	}
	return `${lines.join('\n')}\n`;
}
