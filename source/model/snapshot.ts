import type {ConnectorsExpanded, ServerInfo} from '../clients/connect/schemas.js';
import type {LogicalMetricId, MetricResults, NamingProfile, ProfileSummary, Sample} from '../metrics/types.js';
import {carryMissingMetrics} from './carry-forward.js';
import {counterChange, type CounterChange, type HistoryPoint, type HistorySeriesName} from './history.js';
import {sinkVerdict, type SinkVerdict} from './sink-verdict.js';
import {shortClassName} from './format.js';
import {hintFor} from './hints.js';
import {connectorSeverity, downWorkersOf, isDisconnected, isSinkBlocked} from './severity.js';
import {parseTrace, rootCause, type ParsedTrace, type RootCause} from './trace.js';
import {debeziumPluginOf, debeziumServerOf, hostOf, itemKey, normaliseServerLabel, pairInstances} from './join.js';
import type {ClusterSnapshot, ConnectorRow, DebeziumInfo, HealthLevel, SourceHealth, State, TaskRow, Totals, WorkerRow} from './types.js';

/** Thresholds that turn numbers into warn/crit. */
export interface HealthThresholds {
	readonly lagWarnMs: number;
	readonly lagCritMs: number;
	readonly lagWarnRecords: number;
	readonly lagCritRecords: number;
}

export const defaultThresholds: HealthThresholds = {lagWarnMs: 30_000, lagCritMs: 300_000, lagWarnRecords: 10_000, lagCritRecords: 100_000};

export interface SnapshotInputs {
	/** Last good answers (kept while a source fails, so the picture stays). */
	readonly serverInfo: ServerInfo | undefined;
	readonly connectors: ConnectorsExpanded | undefined;
	readonly metrics: MetricResults | undefined;
	readonly rest: SourceHealth;
	readonly metricsHealth: SourceHealth | undefined;
	readonly profile: NamingProfile;
	/** How well the profile fits the names present (from the metrics source's detection). */
	readonly profileSummary?: ProfileSummary | undefined;
	/** Logical metrics that returned nothing (or that the profile lacks). */
	readonly emptyMetrics: readonly LogicalMetricId[];
	/** instance → REST worker id, from `--worker-map`. */
	readonly workerMap: ReadonlyMap<string, string>;
	readonly thresholds: HealthThresholds;
}

export interface SnapshotContext {
	readonly now: number;
	readonly sequence: number;
	/**
	 * A connector's history window of one series: its past values (oldest first) and `current`
	 * last (NaN when undefined), for counter increases and the sink verdict over the window. It is
	 * read at once and not kept, so the caller may hand out a view over a buffer it reuses
	 * (HistoryStore.window): a refresh then copies no history.
	 */
	readonly window: (connector: string, series: HistorySeriesName, current: number | undefined) => ArrayLike<number>;
	/** counterChange over a connector's window of one series, `current` last, when the caller can read it without a copy (HistoryStore.counterChange); default: counterChange(window(…)). */
	readonly counterChange?: ((connector: string, series: HistorySeriesName, current: number | undefined) => CounterChange | undefined) | undefined;
	/** The previous refresh's snapshot: its worker pairing carries over what this refresh cannot decide. */
	readonly previous?: ClusterSnapshot | undefined;
	/** Milliseconds between two history points (the refresh interval); default: since the previous snapshot. */
	readonly stepMs?: number | undefined;
}

export interface BuiltSnapshot {
	readonly snapshot: ClusterSnapshot;
	/** The point to append to each connector's history. */
	readonly points: ReadonlyMap<string, HistoryPoint>;
}

/** Builds the immutable snapshot of one refresh. Pure: time and history come in as parameters. */
export function buildSnapshot(inputs: SnapshotInputs, context: SnapshotContext): BuiltSnapshot {
	const {profile} = inputs;
	const labels = profile.labels;
	ageTraces();
	const metrics = new MetricIndex(inputs.metrics, profile);
	const expanded = inputs.connectors ?? {};

	const dbzByServer = metrics.byServer();
	const connectorRows: ConnectorRow[] = [];
	const points = new Map<string, HistoryPoint>();
	const change = context.counterChange ?? ((connector: string, series: HistorySeriesName, current: number | undefined) => counterChange(context.window(connector, series, current)));

	const stepMs = context.stepMs ?? (context.previous === undefined ? undefined : context.now - context.previous.takenAt);
	// The rows of the last snapshot that can be taken as they are: its metric lists, profile and thresholds are this one's.
	const last = context.previous === undefined ? undefined : keptRows.get(context.previous);
	const reusable = last !== undefined && last.profile === profile && last.thresholds === inputs.thresholds && sameResults(last.metrics, inputs.metrics) ? last : undefined;
	const built = new Map<string, KeptRow>();
	/** The rows taken from the last snapshot, and what was built for them. */
	const reused = new Map<ConnectorRow, KeptRow>();
	const fresh: RowInProgress[] = [];

	// Keys, then each entry: Object.entries made a [name, entry] pair per connector on every refresh.
	const names = Object.keys(expanded);
	for (let index = 0; index < names.length; index++) {
		const name = names[index];
		const entry = name === undefined ? undefined : expanded[name];
		if (name === undefined || entry === undefined) continue;
		const kept = reusable?.rows.get(name);
		if (kept !== undefined && kept.entry === entry) {
			const again = keptRowAgain(kept, name, change, context, stepMs);
			if (again !== undefined) {
				connectorRows.push(again.row);
				reused.set(again.row, again);
				built.set(name, again);
				points.set(name, again.point);
				continue;
			}
		}
		const info = entry.info;
		const status = entry.status;
		const config = info?.config ?? {};
		const className = config['connector.class'] ?? '';
		const type = normaliseType(status?.type ?? info?.type);
		const tasks = taskRows(name, status?.tasks ?? [], config, metrics);
		const state: State = status?.connector.state ?? 'UNKNOWN';
		// Where it runs now: an UNASSIGNED instance's worker_id is only where it ran last.
		const workers = workersOf(status?.connector.state === 'UNASSIGNED' ? undefined : status?.connector.worker_id, tasks);

		const server = debeziumServerOf(config);
		const dbzValues = server === undefined ? undefined : dbzByServer.get(server);
		const measured = server === undefined ? undefined : debeziumInfo(server, className, dbzValues);

		const recordErrors = metrics.connectorValue('recordErrors', name);
		const recordFailures = metrics.connectorValue('recordFailures', name);
		const dlqWrites = metrics.connectorValue('dlqWrites', name);
		const sinkLag = metrics.connectorValue('sinkLag', name);
		// Samples older than twice the scrape interval are unknown for health and `check`; the row keeps them to show, marked.
		const stale = staleParts(type === 'sink' ? metrics.connectorAge('sinkLag', name) : dbzValues?.behindAgeMs, dbzValues?.connectedAgeMs, type === 'sink' ? finite(sinkLag) : measured?.msBehindSource, measured?.connected);
		const debezium = measured === undefined || stale === undefined ? measured : {...measured, ...(stale.connected === undefined ? {} : {connected: undefined}), ...(type !== 'sink' && stale.lag !== undefined ? {msBehindSource: undefined} : {})};
		const lagFromDbz = debezium?.msBehindSource;
		const lag = stale?.lag !== undefined ? undefined : type === 'sink' ? finite(sinkLag) : lagFromDbz;
		const lagUnit = lag === undefined ? undefined : type === 'sink' ? 'records' : 'ms';
		const recordRate = finite(metrics.connectorValue('recordRate', name)) ?? debezium?.eventsPerSecond;
		const errorsTotal = sumDefined(recordErrors, recordFailures);

		const errorsChange = errorsTotal === undefined ? undefined : change(name, 'errors', errorsTotal);
		const dlqChange = dlqWrites === undefined ? undefined : change(name, 'dlq', dlqWrites);
		const errorsIncrease = errorsChange?.increase;
		const dlqIncrease = dlqChange?.increase;

		const metricState = metrics.connectorState(name);
		const disagreements = findDisagreements(state, metricState, tasks);

		const tasksRunning = countState(tasks, 'RUNNING');
		const tasksFailed = countState(tasks, 'FAILED');
		const commits = type === 'sink' ? finite(metrics.connectorValue('sinkOffsetCommits', name)) : undefined;
		const sink =
			type === 'sink'
				? sinkVerdict({
						lag: context.window(name, 'lag', lag),
						readRate: context.window(name, 'recordRate', finite(recordRate)),
						commits: context.window(name, 'commits', commits),
						stepMs,
						connectorState: state,
						tasksRunning,
						tasksTotal: tasks.length,
					})
				: undefined;
		const {health, problems} = assessConnector({state, tasks, tasksFailed, debezium, lag, lagUnit, errorsIncrease, dlqIncrease, disagreements, hasInfo: info !== undefined, sink}, inputs.thresholds);
		const {cause, hint} = explain(status?.connector.trace, config);

		// One plain literal (optional fields set to undefined rather than spread in): spreads
		// made each of a thousand rows a slow copy on every refresh. JSON output is the same.
		const row: RowInProgress = {
			name,
			type,
			className,
			shortClass: className === '' ? '?' : shortClassOf(className),
			state,
			workerId: status?.connector.worker_id,
			trace: status?.connector.trace === '' ? undefined : status?.connector.trace,
			cause,
			hint,
			tasks,
			tasksRunning,
			tasksTotal: tasks.length,
			tasksFailed,
			workers,
			config,
			debezium,
			lag,
			lagUnit,
			recordRate: finite(recordRate),
			recordErrors: finite(recordErrors),
			recordFailures: finite(recordFailures),
			dlqWrites: finite(dlqWrites),
			errorsIncrease,
			dlqIncrease,
			sink,
			errorsReset: errorsChange?.reset === true ? true : undefined,
			dlqReset: dlqChange?.reset === true ? true : undefined,
			metricState,
			disagreements,
			health,
			severity: 'fine',
			problems,
			staleMetrics: stale,
		};
		connectorRows.push(row);
		fresh.push(row);
		const point: HistoryPoint = {lag, recordRate: finite(recordRate), errors: errorsTotal, dlq: finite(dlqWrites), commits};
		points.set(name, point);
		built.set(name, {entry, row, errorsTotal, dlqWrites, errorsChange, dlqChange, health, problems, point});
	}

	if (!sortedByName(connectorRows)) connectorRows.sort((a, b) => compareNames(a.name, b.name));

	const {workers, unpaired} = buildWorkers(connectorRows, metrics, inputs, labels.workerId, context.previous);
	const down = new Set(workers.filter(worker => worker.up === false).map(worker => worker.id));
	for (const row of fresh) setSeverity(row, inputs.thresholds, down);
	// A row taken as it was has the severity of the last snapshot's down workers: built again from its health when they changed.
	if (reused.size > 0 && !sameSet(down, reusable?.down)) {
		for (let index = 0; index < connectorRows.length; index++) {
			const row = connectorRows[index];
			const kept = row === undefined ? undefined : reused.get(row);
			if (row === undefined || kept === undefined) continue;
			const again: RowInProgress = {...row, health: kept.health, problems: kept.problems, severity: 'fine'};
			setSeverity(again, inputs.thresholds, down);
			connectorRows[index] = again;
			built.set(again.name, {...kept, row: again});
		}
	}
	const rows = keepEqualRows(connectorRows, context.previous?.connectors);
	const totals = buildTotals(rows, workers);
	const missing = [...new Set([...inputs.emptyMetrics, ...metrics.absentFromProfile()])].sort();

	const snapshot: ClusterSnapshot = {
		takenAt: context.now,
		sequence: context.sequence,
		cluster: {version: inputs.serverInfo?.version, commit: inputs.serverInfo?.commit, kafkaClusterId: inputs.serverInfo?.kafka_cluster_id},
		workers,
		connectors: rows,
		totals,
		rest: inputs.rest,
		metrics: inputs.metricsHealth,
		profile: profile.name,
		profileSummary: inputs.profileSummary,
		missingMetrics: inputs.metricsHealth === undefined ? [] : missing,
		unpairedInstances: unpaired,
	};
	const published = carryMissingMetrics(snapshot, context.previous);
	const keep = new Map<string, KeptRow>();
	for (const row of rows) {
		const made = built.get(row.name);
		if (made !== undefined) keep.set(row.name, made.row === row ? made : {...made, row});
	}
	keptRows.set(published, {metrics: inputs.metrics, profile, thresholds: inputs.thresholds, down, rows: keep});
	return {snapshot: published, points};
}

/** What a connector's row was built from, beyond the metric lists, profile and thresholds of its snapshot (KeptRows). */
interface KeptRow {
	/** The REST entry: the same object while the expand body does not change (the connect client reads an identical body once). */
	readonly entry: ConnectorsExpanded[string];
	/** The row as the snapshot published it, before carryMissingMetrics. */
	readonly row: ConnectorRow;
	readonly errorsTotal: number | undefined;
	readonly dlqWrites: number | undefined;
	readonly errorsChange: CounterChange | undefined;
	readonly dlqChange: CounterChange | undefined;
	/** Health and problems before setSeverity. */
	readonly health: HealthLevel;
	readonly problems: readonly string[];
	readonly point: HistoryPoint;
}

/** The rows of a snapshot and what they were built from. */
interface KeptRows {
	readonly metrics: MetricResults | undefined;
	readonly profile: NamingProfile;
	readonly thresholds: HealthThresholds;
	readonly down: ReadonlySet<string>;
	readonly rows: ReadonlyMap<string, KeptRow>;
}

/**
 * By snapshot, what its rows were built from: the next snapshot takes a connector's row as it
 * is when the row's REST entry is the same object, every metric list is the same list (the
 * Prometheus source hands back a metric's list when its samples repeat), and the counter
 * changes and sink verdict, which move with the history window, came out the same. On a quiet
 * cluster that is most rows, and building one was most of a refresh's model time.
 */
const keptRows = new WeakMap<ClusterSnapshot, KeptRows>();

/** The kept row when what moves with the history window (the counter changes, a sink's verdict) is what it was; undefined to build it again. */
function keptRowAgain(
	kept: KeptRow,
	name: string,
	change: (connector: string, series: HistorySeriesName, current: number | undefined) => CounterChange | undefined,
	context: SnapshotContext,
	stepMs: number | undefined,
): KeptRow | undefined {
	const errorsChange = kept.errorsTotal === undefined ? undefined : change(name, 'errors', kept.errorsTotal);
	if (!sameChange(errorsChange, kept.errorsChange)) return undefined;
	const dlqChange = kept.dlqWrites === undefined ? undefined : change(name, 'dlq', kept.dlqWrites);
	if (!sameChange(dlqChange, kept.dlqChange)) return undefined;
	const {row} = kept;
	if (row.type !== 'sink') return kept;
	const sink = sinkVerdict({
		lag: context.window(name, 'lag', row.lag),
		readRate: context.window(name, 'recordRate', row.recordRate),
		commits: context.window(name, 'commits', kept.point.commits),
		stepMs,
		connectorState: row.state,
		tasksRunning: row.tasksRunning,
		tasksTotal: row.tasksTotal,
	});
	return sameSink(sink, row.sink) ? kept : undefined;
}

function sameChange(a: CounterChange | undefined, b: CounterChange | undefined): boolean {
	return a === b || (a !== undefined && b !== undefined && Object.is(a.increase, b.increase) && a.reset === b.reset);
}

/** The same metric lists, by identity. */
function sameResults(a: MetricResults | undefined, b: MetricResults | undefined): boolean {
	if (a === b) return true;
	if (a === undefined || b === undefined || a.size !== b.size) return false;
	for (const [id, samples] of a) if (b.get(id) !== samples) return false;
	return true;
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string> | undefined): boolean {
	if (b === undefined || a.size !== b.size) return false;
	for (const each of a) if (!b.has(each)) return false;
	return true;
}

/**
 * The rows, each replaced by the previous snapshot's row of the same name when the two are
 * equal in every field (sameData): most rows of a large cluster do not change between two
 * refreshes, and the row kept is the object the previous refresh published, so what compares
 * rows by identity (the diff, the journal, the screen) stops there, and the new row dies
 * young instead of living on for a refresh in the old generation. Both lists sorted by name
 * (as buildSnapshot makes them): walked side by side. Exported for its test.
 */
export function keepEqualRows(rows: readonly ConnectorRow[], previous: readonly ConnectorRow[] | undefined): readonly ConnectorRow[] {
	if (previous === undefined || previous.length === 0) return rows;
	let out: ConnectorRow[] | undefined;
	let at = 0;
	for (let index = 0; index < rows.length; index++) {
		const row = rows[index];
		if (row === undefined) continue;
		let old = previous[at];
		while (old !== undefined && compareNames(old.name, row.name) < 0) old = previous[++at];
		if (old === undefined || old.name !== row.name || old === row || !sameRow(old, row)) continue;
		out ??= rows.slice();
		out[index] = old;
	}
	return out ?? rows;
}

/**
 * Whether two rows are equal in every field: sameData(a, b) for rows as buildSnapshot makes
 * them, field by field (a generic walk over ten thousand rows each refresh cost more than what
 * keeping them saved). Its test changes each field of real rows in turn, so a field added to
 * ConnectorRow and not compared here fails it. Exported for that test.
 */
export function sameRow(a: ConnectorRow, b: ConnectorRow): boolean {
	return (
		a.name === b.name &&
		a.type === b.type &&
		a.className === b.className &&
		a.shortClass === b.shortClass &&
		a.state === b.state &&
		a.workerId === b.workerId &&
		a.trace === b.trace &&
		sameData(a.cause, b.cause) &&
		sameData(a.hint, b.hint) &&
		sameTasks(a.tasks, b.tasks) &&
		a.tasksRunning === b.tasksRunning &&
		a.tasksTotal === b.tasksTotal &&
		a.tasksFailed === b.tasksFailed &&
		sameStrings(a.workers, b.workers) &&
		(a.config === b.config || sameData(a.config, b.config)) &&
		sameDebezium(a.debezium, b.debezium) &&
		Object.is(a.lag, b.lag) &&
		a.lagUnit === b.lagUnit &&
		Object.is(a.recordRate, b.recordRate) &&
		Object.is(a.recordErrors, b.recordErrors) &&
		Object.is(a.recordFailures, b.recordFailures) &&
		Object.is(a.dlqWrites, b.dlqWrites) &&
		Object.is(a.errorsIncrease, b.errorsIncrease) &&
		Object.is(a.dlqIncrease, b.dlqIncrease) &&
		sameSink(a.sink, b.sink) &&
		a.errorsReset === b.errorsReset &&
		a.dlqReset === b.dlqReset &&
		a.metricState === b.metricState &&
		sameStrings(a.disagreements, b.disagreements) &&
		a.health === b.health &&
		a.severity === b.severity &&
		sameStrings(a.problems, b.problems) &&
		sameData(a.staleMetrics, b.staleMetrics) &&
		Object.hasOwn(a, 'sink') === Object.hasOwn(b, 'sink') &&
		Object.hasOwn(a, 'errorsReset') === Object.hasOwn(b, 'errorsReset') &&
		Object.hasOwn(a, 'dlqReset') === Object.hasOwn(b, 'dlqReset') &&
		Object.hasOwn(a, 'staleMetrics') === Object.hasOwn(b, 'staleMetrics')
	);
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
	if (a === b) return true;
	if (a.length !== b.length) return false;
	for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) return false;
	return true;
}

/** Field by field, as sameRow (its test covers every field of TaskRow too). */
export function sameTask(a: TaskRow, b: TaskRow): boolean {
	return a.id === b.id && a.state === b.state && a.workerId === b.workerId && a.workerLastKnown === b.workerLastKnown && a.trace === b.trace && a.traceHead === b.traceHead && sameData(a.cause, b.cause) && sameData(a.hint, b.hint) && a.metricState === b.metricState;
}

function sameTasks(a: readonly TaskRow[], b: readonly TaskRow[]): boolean {
	if (a === b) return true;
	if (a.length !== b.length) return false;
	for (let index = 0; index < a.length; index++) {
		const x = a[index];
		const y = b[index];
		if (x !== y && (x === undefined || y === undefined || !sameTask(x, y))) return false;
	}
	return true;
}

/** Field by field, as sameRow (its test covers every field of DebeziumInfo too). */
export function sameDebezium(a: DebeziumInfo | undefined, b: DebeziumInfo | undefined): boolean {
	if (a === b) return true;
	if (a === undefined || b === undefined) return false;
	return (
		a.server === b.server &&
		a.plugin === b.plugin &&
		a.connected === b.connected &&
		Object.is(a.msBehindSource, b.msBehindSource) &&
		Object.is(a.msSinceLastEvent, b.msSinceLastEvent) &&
		a.noEventYet === b.noEventYet &&
		Object.is(a.eventsPerSecond, b.eventsPerSecond) &&
		Object.is(a.erroneousEvents, b.erroneousEvents) &&
		a.snapshotRunning === b.snapshotRunning &&
		Object.is(a.snapshotTablesTotal, b.snapshotTablesTotal) &&
		Object.is(a.snapshotTablesRemaining, b.snapshotTablesRemaining) &&
		Object.is(a.snapshotRows, b.snapshotRows) &&
		Object.is(a.queueRemaining, b.queueRemaining) &&
		Object.is(a.queueTotal, b.queueTotal) &&
		Object.hasOwn(a, 'snapshotRows') === Object.hasOwn(b, 'snapshotRows')
	);
}

function sameSink(a: SinkVerdict | undefined, b: SinkVerdict | undefined): boolean {
	if (a === b) return true;
	if (a === undefined || b === undefined) return false;
	return a.verdict === b.verdict && a.reason === b.reason && a.trend === b.trend && Object.is(a.slopePerSecond, b.slopePerSecond) && a.points === b.points && sameData(a.catchUp, b.catchUp);
}

/** Whether two values of JSON-like data (numbers, strings, booleans, undefined, arrays and plain records of them) are equal; NaN equals NaN, 0 and -0 differ. */
export function sameData(a: unknown, b: unknown): boolean {
	if (Object.is(a, b)) return true;
	if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
	if (Array.isArray(a)) {
		if (!Array.isArray(b) || a.length !== b.length) return false;
		for (let index = 0; index < a.length; index++) if (!sameData(a[index], b[index])) return false;
		return true;
	}
	// Plain records only: anything else (a Map, a Date) is equal by identity alone.
	const prototype: unknown = Object.getPrototypeOf(a);
	if (Array.isArray(b) || (prototype !== Object.prototype && prototype !== null) || Object.getPrototypeOf(b) !== prototype) return false;
	let count = 0;
	for (const key in a) {
		if (!Object.hasOwn(a, key)) continue;
		if (!Object.hasOwn(b, key) || !sameData(Reflect.get(a, key), Reflect.get(b, key))) return false;
		count += 1;
	}
	for (const key in b) if (Object.hasOwn(b, key)) count -= 1;
	return count === 0;
}

const noExplanation: Pick<TaskRow, 'cause' | 'hint'> = {cause: undefined, hint: undefined};

// The helpers below run for every connector on every refresh: loops that build only the
// arrays they return (filter, map, Set and sort each made a copy per connector).

type RestTask = NonNullable<NonNullable<ConnectorsExpanded[string]['status']>['tasks']>[number];

/** The connector's task rows, by id. */
function taskRows(connector: string, rest: readonly RestTask[], config: Readonly<Record<string, string>>, metrics: MetricIndex): TaskRow[] {
	const tasks: TaskRow[] = [];
	let sorted = true;
	for (const task of rest) {
		const trace = task.trace === undefined || task.trace === '' ? undefined : task.trace;
		const workerId = task.worker_id === '' ? undefined : task.worker_id;
		const {cause, hint} = explain(trace, config);
		const previous = tasks.at(-1);
		if (previous !== undefined && previous.id > task.id) sorted = false;
		tasks.push({
			id: task.id,
			state: task.state,
			workerId,
			workerLastKnown: workerId !== undefined && task.state === 'UNASSIGNED',
			trace,
			traceHead: trace?.split('\n', 1)[0]?.trim(),
			cause,
			hint,
			metricState: metrics.taskState(connector, task.id),
		});
	}
	// REST lists tasks by id already; sort (stable) only when it did not.
	if (!sorted) tasks.sort((a, b) => a.id - b.id);
	return tasks;
}

/** Distinct, sorted worker ids of the connector (`connectorWorker`, undefined while UNASSIGNED) and of its tasks that are placed now. */
function workersOf(connectorWorker: string | undefined, tasks: readonly TaskRow[]): string[] {
	const workers: string[] = [];
	const add = (id: string | undefined): void => {
		if (id === undefined || id === '' || workers.includes(id)) return;
		// Insertion in order (a connector has a handful of workers at most): larger ids move up one.
		let at = workers.length;
		workers.push(id);
		while (at > 0 && compareNames(workers[at - 1] ?? '', id) > 0) {
			workers[at] = workers[at - 1] ?? '';
			at -= 1;
		}
		workers[at] = id;
	};
	add(connectorWorker);
	for (const task of tasks) if (!task.workerLastKnown) add(task.workerId);
	return workers;
}

function countState(tasks: readonly TaskRow[], state: State): number {
	let count = 0;
	for (const task of tasks) if (task.state === state) count += 1;
	return count;
}

function sortedByName(rows: readonly ConnectorRow[]): boolean {
	for (let i = 1; i < rows.length; i++) if (compareNames(rows[i - 1]?.name ?? '', rows[i]?.name ?? '') > 0) return false;
	return true;
}

/** shortClassName by class: a cluster runs a few dozen classes, its thousands of connectors share them. */
const shortClasses = new Map<string, string>();
function shortClassOf(className: string): string {
	let short = shortClasses.get(className);
	if (short === undefined) {
		if (shortClasses.size >= 1000) shortClasses.clear();
		short = shortClassName(className);
		shortClasses.set(className, short);
	}
	return short;
}

/** Root cause and hint of a trace; both undefined without one. */
function explain(trace: string | undefined, config: Readonly<Record<string, string>>): Pick<TaskRow, 'cause' | 'hint'> {
	if (trace === undefined || trace === '') return noExplanation;
	const {parsed, cause} = parsedTrace(trace);
	return {cause, hint: hintFor(parsed, config)};
}

/**
 * Parsed traces by text, from this snapshot and the one before: a FAILED task keeps its trace
 * refresh after refresh, and parsing it again each time was a good part of a refresh where
 * many tasks had failed. Two generations, so only traces still shown are kept.
 */
const traces = {current: new Map<string, {readonly parsed: ParsedTrace; readonly cause: RootCause | undefined}>(), previous: new Map<string, {readonly parsed: ParsedTrace; readonly cause: RootCause | undefined}>()};

function parsedTrace(trace: string): {readonly parsed: ParsedTrace; readonly cause: RootCause | undefined} {
	let found = traces.current.get(trace);
	if (found === undefined) {
		found = traces.previous.get(trace);
		if (found === undefined) {
			const parsed = parseTrace(trace);
			found = {parsed, cause: rootCause(parsed)};
		}
		traces.current.set(trace, found);
	}
	return found;
}

/** Starts a generation of the trace cache: what the last snapshot did not use is dropped. */
function ageTraces(): void {
	traces.previous = traces.current;
	traces.current = new Map();
}

/** A row while buildSnapshot builds it: its severity is set once the workers are known, in place (the row is not shared yet). */
type RowInProgress = {-readonly [K in keyof ConnectorRow]: ConnectorRow[K]};

/** The severity, known once the workers are: a connector on a down worker is critical even while REST still says RUNNING. */
function setSeverity(row: RowInProgress, thresholds: HealthThresholds, down: ReadonlySet<string>): void {
	const severity = connectorSeverity(row, thresholds, down);
	row.severity = severity;
	if (severity !== 'worker-down') return;
	const downWorkers = downWorkersOf(row, down);
	const problem = `on worker${downWorkers.length === 1 ? '' : 's'} ${downWorkers.join(', ')}, which ${downWorkers.length === 1 ? 'is' : 'are'} down`;
	row.health = 'crit';
	row.problems = [problem, ...row.problems];
}

function normaliseType(type: string | undefined): 'source' | 'sink' | 'unknown' {
	return type === 'source' || type === 'sink' ? type : 'unknown';
}

/** The stale part of a row's lag and Debezium state: their values as last sampled and the oldest age; undefined when both are fresh. */
function staleParts(lagAgeMs: number | undefined, connectedAgeMs: number | undefined, lag: number | undefined, connected: boolean | undefined): ConnectorRow['staleMetrics'] {
	if (lagAgeMs === undefined && connectedAgeMs === undefined) return undefined;
	return {
		ageMs: Math.max(lagAgeMs ?? 0, connectedAgeMs ?? 0),
		lag: lagAgeMs === undefined ? undefined : lag,
		connected: connectedAgeMs === undefined ? undefined : connected,
	};
}

function finite(value: number | undefined): number | undefined {
	return value !== undefined && Number.isFinite(value) ? value : undefined;
}

/** a + b of the finite ones, added to 0 in that order (so -0 alone is 0); undefined when neither is. No arrays: it runs for every connector. */
function sumDefined(a: number | undefined, b: number | undefined): number | undefined {
	const hasA = a !== undefined && Number.isFinite(a);
	const hasB = b !== undefined && Number.isFinite(b);
	if (!hasA && !hasB) return undefined;
	let sum = 0;
	if (hasA) sum += a;
	if (hasB) sum += b;
	return sum;
}

/** The empty list of disagreements and problems most rows have, shared (rows never change their lists). */
const noStrings: readonly string[] = [];

function compareNames(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}

interface DbzValues {
	connected?: number;
	plugin?: string;
	msBehindSource?: number;
	msSinceLastEvent?: number;
	eventsRate?: number;
	erroneous?: number;
	snapshotRunning?: number;
	snapshotTablesTotal?: number;
	snapshotTablesRemaining?: number;
	queueRemaining?: number;
	queueTotal?: number;
	/** Age of a stale `connected` / `msBehindSource` sample (only when stale). */
	connectedAgeMs?: number;
	behindAgeMs?: number;
	snapshotRows?: number;
}

function debeziumInfo(server: string, className: string, values: DbzValues | undefined): DebeziumInfo {
	const behind = finite(values?.msBehindSource);
	const since = finite(values?.msSinceLastEvent);
	const noEventYet = behind === -1 || since === -1;
	return {
		server,
		plugin: values?.plugin ?? debeziumPluginOf(className),
		connected: values?.connected === undefined || Number.isNaN(values.connected) ? undefined : values.connected >= 1,
		msBehindSource: behind === undefined || behind < 0 ? undefined : behind,
		msSinceLastEvent: since === undefined || since < 0 ? undefined : since,
		noEventYet,
		eventsPerSecond: finite(values?.eventsRate),
		erroneousEvents: finite(values?.erroneous),
		snapshotRunning: values?.snapshotRunning === undefined || Number.isNaN(values.snapshotRunning) ? undefined : values.snapshotRunning >= 1,
		snapshotTablesTotal: count(values?.snapshotTablesTotal),
		snapshotTablesRemaining: count(values?.snapshotTablesRemaining),
		queueRemaining: count(values?.queueRemaining),
		queueTotal: count(values?.queueTotal),
		snapshotRows: count(values?.snapshotRows),
	};
}

/** A count that cannot be negative or fractional; anything else is unknown. */
function count(value: number | undefined): number | undefined {
	return value !== undefined && Number.isFinite(value) && value >= 0 ? Math.round(value) : undefined;
}

/** REST says one thing, the worker's own metrics another: show both (shared/real-payloads has a real case). */
function findDisagreements(state: State, metricState: State | undefined, tasks: readonly TaskRow[]): readonly string[] {
	let notes: string[] | undefined;
	if (metricState !== undefined && metricState !== state) notes = [`connector: REST ${state}, metrics ${metricState}`];
	for (const task of tasks) {
		if (task.metricState !== undefined && task.metricState !== task.state) (notes ??= []).push(`task ${task.id}: REST ${task.state}, metrics ${task.metricState}`);
	}
	return notes ?? noStrings;
}

interface AssessInput {
	readonly state: State;
	readonly tasks: readonly TaskRow[];
	readonly tasksFailed: number;
	readonly debezium: DebeziumInfo | undefined;
	readonly lag: number | undefined;
	readonly lagUnit: 'ms' | 'records' | undefined;
	readonly errorsIncrease: number | undefined;
	readonly dlqIncrease: number | undefined;
	readonly disagreements: readonly string[];
	readonly hasInfo: boolean;
	readonly sink?: SinkVerdict | undefined;
}

/** Health of one connector and the reasons, most severe first. */
export function assessConnector(input: AssessInput, thresholds: HealthThresholds): {health: HealthLevel; problems: readonly string[]} {
	const crit: string[] = [];
	const warn: string[] = [];
	if (input.state === 'FAILED') crit.push('connector FAILED');
	if (input.tasksFailed > 0) crit.push(`${input.tasksFailed} task${input.tasksFailed === 1 ? '' : 's'} FAILED`);
	// UNASSIGNED ranks above a lost database in the severity order (model/severity.ts): nothing runs.
	if (input.state === 'UNASSIGNED') crit.push('connector UNASSIGNED');
	const unassigned = input.tasks.filter(t => t.state === 'UNASSIGNED').length;
	if (unassigned > 0) crit.push(`${unassigned} task${unassigned === 1 ? '' : 's'} UNASSIGNED`);
	if (isDisconnected(input)) crit.push('Debezium not connected to the database');
	if (input.state === 'RESTARTING' || input.tasks.some(t => t.state === 'RESTARTING')) warn.push('restarting');
	if (input.state === 'PAUSED') warn.push('paused');
	if (input.state === 'STOPPED') warn.push('stopped');
	if (input.state === 'RUNNING' && input.tasks.length === 0 && input.hasInfo) warn.push('running with no tasks');
	if (input.lag !== undefined) {
		const [w, c] = input.lagUnit === 'records' ? [thresholds.lagWarnRecords, thresholds.lagCritRecords] : [thresholds.lagWarnMs, thresholds.lagCritMs];
		const text = input.lagUnit === 'records' ? `lag ${Math.round(input.lag)} records` : `lag ${Math.round(input.lag / 1000)}s behind source`;
		if (input.lag >= c) crit.push(text);
		else if (input.lag >= w) warn.push(text);
	}
	if (input.sink !== undefined && isSinkBlocked(input)) warn.push(`sink ${input.sink.verdict}: ${input.sink.reason}`);
	if ((input.errorsIncrease ?? 0) > 0) warn.push(`${input.errorsIncrease} record errors in the window`);
	if ((input.dlqIncrease ?? 0) > 0) warn.push(`${input.dlqIncrease} records sent to the DLQ in the window`);
	if (input.disagreements.length > 0) warn.push('REST and metrics disagree');
	const health: HealthLevel = crit.length > 0 ? 'crit' : warn.length > 0 ? 'warn' : 'ok';
	return {health, problems: crit.length === 0 && warn.length === 0 ? noStrings : [...crit, ...warn]};
}

/** What REST places on a worker: counts, and the connector instances and tasks (item keys) when pairing needs them as evidence. */
interface RestWorker {
	readonly connectors: number;
	readonly tasks: number;
	readonly items: ReadonlySet<string>;
}

/** buildWorkers' REST side of the last snapshot, with the rows it was counted from (nothing writes to it once counted). */
let lastRestWorkers: {readonly connectors: readonly ConnectorRow[]; readonly needsEvidence: boolean; readonly rest: ReadonlyMap<string, RestWorker>} | undefined;

/** The same items in the same order (by identity). */
function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
	if (a.length !== b.length) return false;
	for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) return false;
	return true;
}

function buildWorkers(
	connectors: readonly ConnectorRow[],
	metrics: MetricIndex,
	inputs: SnapshotInputs,
	workerIdLabel: string,
	previous: ClusterSnapshot | undefined,
): {workers: WorkerRow[]; unpaired: string[]} {
	interface Acc {
		connectors: number;
		tasks: number;
		/** Every connector instance and task REST places on the worker (last known included): pairing evidence. */
		readonly items: Set<string>;
	}
	const found = metrics.workerInstances(workerIdLabel);
	// Which connectors and tasks each side places where is evidence only for an instance that
	// neither --worker-map nor a worker id label pairs (pairInstances reads it for no other);
	// without one, the item keys of every connector and task are not built at all.
	const needsEvidence = found.some(each => !inputs.workerMap.has(each.instance) && (each.workerIdLabel === undefined || each.workerIdLabel === ''));
	// The same rows as the last snapshot's (most are taken as they are): the same counts by worker.
	const kept = lastRestWorkers !== undefined && lastRestWorkers.needsEvidence === needsEvidence && sameItems(lastRestWorkers.connectors, connectors) ? lastRestWorkers.rest : undefined;
	const rest = new Map<string, Acc>();
	const touch = (id: string | undefined): Acc | undefined => {
		if (id === undefined || id === '') return undefined;
		let acc = rest.get(id);
		if (!acc) {
			acc = {connectors: 0, tasks: 0, items: new Set()};
			rest.set(id, acc);
		}
		return acc;
	};
	for (const connector of kept === undefined ? connectors : []) {
		const acc = touch(connector.workerId);
		if (needsEvidence) acc?.items.add(itemKey(connector.name));
		if (acc && isAssigned(connector.state)) acc.connectors += 1;
		for (const task of connector.tasks) {
			const taskAcc = touch(task.workerId);
			if (needsEvidence) taskAcc?.items.add(itemKey(connector.name, task.id));
			if (taskAcc && isAssigned(task.state)) taskAcc.tasks += 1;
		}
	}

	// A copy: the caller's list is its own to change.
	if (kept === undefined) lastRestWorkers = {connectors: connectors.slice(), needsEvidence, rest};
	const restWorkers: ReadonlyMap<string, RestWorker> = kept ?? rest;
	const items = needsEvidence ? metrics.itemsByInstance() : new Map<string, Set<string>>();
	const instances = found.map(each => ({...each, items: items.get(each.instance) ?? new Set<string>()}));
	const previousPairs = new Map((previous?.workers ?? []).flatMap(worker => (worker.instance !== undefined && worker.pairing !== 'unpaired' ? [[worker.instance, worker.id] as const] : [])));
	const pairing = pairInstances(instances, new Map([...restWorkers].map(([id, acc]) => [id, acc.items])), inputs.workerMap, previousPairs);
	const answered = restAddress(inputs.rest);

	const rows = new Map<string, WorkerRow>();
	for (const [id, acc] of restWorkers) {
		// Without an exporter's `up`, REST can vouch only for the worker whose own endpoint answered.
		const up = answered !== undefined && sameAddress(answered, id) ? true : undefined;
		rows.set(id, {id, host: hostOf(id), instance: undefined, up, liveness: up === undefined ? 'unknown' : 'rest', pairing: 'rest', inRest: true, connectors: acc.connectors, tasks: acc.tasks, rebalancing: undefined, metricConnectors: undefined, metricTasks: undefined});
	}
	for (const {instance} of instances) {
		const paired = pairing.pairs.get(instance);
		const id = paired ?? instance;
		const existing = paired === undefined ? undefined : rows.get(id);
		const values = metrics.workerValues(instance);
		const up = values.up === undefined ? existing?.up : values.up >= 1;
		const row: WorkerRow = {
			id,
			host: existing?.host ?? hostOf(id),
			instance,
			up,
			liveness: values.up !== undefined ? 'exporter' : (existing?.liveness ?? 'unknown'),
			pairing: paired === undefined ? 'unpaired' : (pairing.evidence.get(instance) ?? 'rest'),
			inRest: existing?.inRest ?? false,
			connectors: existing?.connectors ?? 0,
			tasks: existing?.tasks ?? 0,
			rebalancing: values.rebalancing === undefined ? undefined : values.rebalancing >= 1,
			metricConnectors: values.connectorCount,
			metricTasks: values.taskCount,
			...(values.ageMs === undefined ? {} : {metricsStale: {ageMs: values.ageMs, missing: false}}),
		};
		// An unpaired instance keeps its own row, keyed so it can never merge with a worker.
		rows.set(paired === undefined ? `\u0000${instance}` : id, row);
	}
	const workers = [...rows.values()].sort((a, b) => Number(a.pairing === 'unpaired') - Number(b.pairing === 'unpaired') || compareNames(a.id, b.id));
	return {workers, unpaired: [...pairing.unpaired]};
}

/** host:port of the REST endpoint that answered last, lower-cased. */
function restAddress(health: SourceHealth): string | undefined {
	if (!health.everSucceeded || health.stale || health.endpoint === undefined) return undefined;
	try {
		const url = new URL(health.endpoint);
		return `${url.hostname.toLowerCase()}:${url.port === '' ? (url.protocol === 'https:' ? '443' : '80') : url.port}`;
	} catch {
		return undefined;
	}
}

function sameAddress(address: string, workerId: string): boolean {
	return address === workerId.toLowerCase();
}

function isAssigned(state: State): boolean {
	return state === 'RUNNING' || state === 'PAUSED' || state === 'FAILED' || state === 'RESTARTING';
}

function buildTotals(connectors: readonly ConnectorRow[], workers: readonly WorkerRow[]): Totals {
	const connectorsByState: Record<string, number> = {};
	const tasksByState: Record<string, number> = {};
	let tasks = 0;
	for (const connector of connectors) {
		connectorsByState[connector.state] = (connectorsByState[connector.state] ?? 0) + 1;
		for (const task of connector.tasks) {
			tasks += 1;
			tasksByState[task.state] = (tasksByState[task.state] ?? 0) + 1;
		}
	}
	// Liveness is what the exporter's `up` (or the worker's own REST endpoint) says, never
	// what the items it hosts look like; an exporter no evidence pairs is not a worker.
	const paired = workers.filter(w => w.pairing !== 'unpaired');
	const workersUp = paired.filter(w => w.up === true).length;
	const workersDown = paired.filter(w => w.up === false).length;
	return {connectors: connectors.length, connectorsByState, tasks, tasksByState, failedTasks: tasksByState['FAILED'] ?? 0, workersUp, workersDown, workersUnknown: paired.length - workersUp - workersDown, workersTotal: paired.length};
}

/**
 * The indexes MetricIndex built from a metric's sample list, by the list, with the labels they
 * were keyed by. The Prometheus source hands back the same list when a metric's samples are
 * the ones of the last answer (splitTagged), and the next snapshot then reuses the index
 * instead of building it again: at thousands of connectors, status and error counters mostly
 * repeat. Sample lists are never written to once handed out, and an index is never written
 * to once built, so an index stays right for its list.
 */
const noSamples: readonly Sample[] = [];
const connectorIndexes = new WeakMap<readonly Sample[], {readonly label: string; readonly values: Map<string, number>; readonly ages: Map<string, number>}>();
const connectorStateIndexes = new WeakMap<readonly Sample[], {readonly connector: string; readonly status: string; readonly states: Map<string, State>}>();
const taskStateIndexes = new WeakMap<readonly Sample[], {readonly connector: string; readonly task: string; readonly status: string; readonly states: Map<string, Map<string, State>>}>();

/** The metrics byServer reads. */
const dbzMetricIds = ['dbzConnected', 'dbzMsBehindSource', 'dbzMsSinceLastEvent', 'dbzEventsRate', 'dbzErroneousEvents', 'dbzSnapshotRunning', 'dbzSnapshotTablesTotal', 'dbzSnapshotTablesRemaining', 'dbzQueueRemaining', 'dbzQueueTotal', 'dbzSnapshotRows'] as const satisfies readonly LogicalMetricId[];
/** The last byServer map, with the lists and label it was built from. */
let lastByServer: {readonly label: string; readonly lists: readonly (readonly Sample[])[]; readonly map: ReadonlyMap<string, DbzValues>} | undefined;

/** Indexes the metric results by the keys the model joins on, once per snapshot. Label values arrive unquoted by the clients (once, at the boundary). */
class MetricIndex {
	private readonly results: MetricResults;
	private readonly profile: NamingProfile;
	private readonly perConnector = new Map<LogicalMetricId, Map<string, number>>();
	private readonly perConnectorAge = new Map<LogicalMetricId, Map<string, number>>();
	/** connector → task label → state. */
	private taskStates: Map<string, Map<string, State>> | undefined;
	private connectorStates: Map<string, State> | undefined;

	constructor(results: MetricResults | undefined, profile: NamingProfile) {
		this.results = results ?? new Map();
		this.profile = profile;
	}

	private samples(id: LogicalMetricId): readonly Sample[] {
		return this.results.get(id) ?? noSamples;
	}

	connectorValue(id: LogicalMetricId, connector: string): number | undefined {
		let map = this.perConnector.get(id);
		if (!map) {
			const samples = this.samples(id);
			const label = this.profile.labels.connector;
			const kept = connectorIndexes.get(samples);
			if (kept !== undefined && kept.label === label) {
				this.perConnector.set(id, kept.values);
				this.perConnectorAge.set(id, kept.ages);
				return kept.values.get(connector);
			}
			map = new Map();
			const ages = new Map<string, number>();
			for (const sample of samples) {
				const name = sample.labels[label];
				if (name === undefined) continue;
				const key = name;
				const previous = map.get(key);
				// Several rows for one connector only when `by` kept extra labels: add them up.
				map.set(key, previous === undefined ? sample.value : previous + sample.value);
				if (sample.ageMs !== undefined) ages.set(key, Math.max(ages.get(key) ?? 0, sample.ageMs));
			}
			this.perConnector.set(id, map);
			this.perConnectorAge.set(id, ages);
			connectorIndexes.set(samples, {label, values: map, ages});
		}
		return map.get(connector);
	}

	/** The age of the oldest stale sample behind a connector's value; undefined when it is fresh. */
	connectorAge(id: LogicalMetricId, connector: string): number | undefined {
		this.connectorValue(id, connector);
		return this.perConnectorAge.get(id)?.get(connector);
	}

	connectorState(connector: string): State | undefined {
		if (!this.connectorStates) {
			const samples = this.samples('connectorStatus');
			const {connector: cl, status} = this.profile.labels;
			const kept = connectorStateIndexes.get(samples);
			if (kept !== undefined && kept.connector === cl && kept.status === status) this.connectorStates = kept.states;
			else {
				this.connectorStates = new Map();
				for (const sample of samples) {
					const name = sample.labels[cl];
					const value = sample.labels[status];
					if (name === undefined || value === undefined || !(sample.value >= 1) || sample.ageMs !== undefined) continue;
					this.connectorStates.set(name, value.toUpperCase());
				}
				connectorStateIndexes.set(samples, {connector: cl, status, states: this.connectorStates});
			}
		}
		return this.connectorStates.get(connector);
	}

	taskState(connector: string, task: number): State | undefined {
		if (!this.taskStates) {
			const samples = this.samples('taskStatus');
			const {connector: cl, task: tl, status} = this.profile.labels;
			const kept = taskStateIndexes.get(samples);
			if (kept !== undefined && kept.connector === cl && kept.task === tl && kept.status === status) this.taskStates = kept.states;
			else {
				this.taskStates = new Map();
				for (const sample of samples) {
					const name = sample.labels[cl];
					const id = sample.labels[tl];
					const value = sample.labels[status];
					if (name === undefined || id === undefined || value === undefined || !(sample.value >= 1) || sample.ageMs !== undefined) continue;
					let tasks = this.taskStates.get(name);
					if (tasks === undefined) {
						tasks = new Map();
						this.taskStates.set(name, tasks);
					}
					tasks.set(id, value.toUpperCase());
				}
				taskStateIndexes.set(samples, {connector: cl, task: tl, status, states: this.taskStates});
			}
		}
		return this.taskStates.get(connector)?.get(String(task));
	}

	/** Debezium's values by server; the map of the last snapshot when its lists and label are this one's (nothing writes to it once built). */
	byServer(): ReadonlyMap<string, DbzValues> {
		const label = this.profile.labels.server;
		const lists = dbzMetricIds.map(id => this.samples(id));
		if (lastByServer !== undefined && lastByServer.label === label && lastByServer.lists.every((list, index) => list === lists[index])) return lastByServer.map;
		const map = new Map<string, DbzValues>();
		const put = (id: LogicalMetricId, field: keyof Omit<DbzValues, 'plugin' | 'connectedAgeMs' | 'behindAgeMs'>) => {
			for (const sample of this.samples(id)) {
				const raw = sample.labels[label];
				if (raw === undefined) continue;
				const server = normaliseServerLabel(raw);
				let values = map.get(server);
				if (!values) {
					values = {};
					map.set(server, values);
				}
				const previous = values[field];
				values[field] = previous === undefined ? sample.value : combine(field, previous, sample.value);
				const plugin = sample.labels['plugin'];
				if (plugin !== undefined && values.plugin === undefined) values.plugin = plugin;
				if (sample.ageMs !== undefined && field === 'connected') values.connectedAgeMs = Math.max(values.connectedAgeMs ?? 0, sample.ageMs);
				if (sample.ageMs !== undefined && field === 'msBehindSource') values.behindAgeMs = Math.max(values.behindAgeMs ?? 0, sample.ageMs);
			}
		};
		put('dbzConnected', 'connected');
		put('dbzMsBehindSource', 'msBehindSource');
		put('dbzMsSinceLastEvent', 'msSinceLastEvent');
		put('dbzEventsRate', 'eventsRate');
		put('dbzErroneousEvents', 'erroneous');
		put('dbzSnapshotRunning', 'snapshotRunning');
		put('dbzSnapshotTablesTotal', 'snapshotTablesTotal');
		put('dbzSnapshotTablesRemaining', 'snapshotTablesRemaining');
		put('dbzQueueRemaining', 'queueRemaining');
		put('dbzQueueTotal', 'queueTotal');
		put('dbzSnapshotRows', 'snapshotRows');
		lastByServer = {label, lists, map};
		return map;
	}

	workerInstances(workerIdLabel: string): Array<{instance: string; workerIdLabel: string | undefined}> {
		const seen = new Map<string, string | undefined>();
		const instanceLabel = this.profile.labels.instance;
		for (const id of ['workerUp', 'workerConnectorCount', 'workerTaskCount', 'workerRebalancing'] as const) {
			for (const sample of this.samples(id)) {
				const instance = sample.labels[instanceLabel];
				if (instance === undefined) continue;
				const workerId = sample.labels[workerIdLabel];
				if (!seen.has(instance) || seen.get(instance) === undefined) seen.set(instance, workerId);
			}
		}
		return [...seen].map(([instance, label]) => ({instance, workerIdLabel: label}));
	}

	/** Per exporter instance, the connector instances and tasks its status metrics carry (needs `instance` among the profile's `by`). */
	itemsByInstance(): Map<string, Set<string>> {
		const map = new Map<string, Set<string>>();
		const {instance: il, connector: cl, task: tl} = this.profile.labels;
		const add = (instance: string | undefined, item: string): void => {
			if (instance === undefined) return;
			let set = map.get(instance);
			if (!set) {
				set = new Set();
				map.set(instance, set);
			}
			set.add(item);
		};
		for (const sample of this.samples('connectorStatus')) {
			const name = sample.labels[cl];
			if (name !== undefined) add(sample.labels[il], itemKey(name));
		}
		// running-ratio: the same evidence under rules that drop the status strings (catch-all, confluent).
		for (const id of ['taskStatus', 'taskRunningRatio'] as const) {
			for (const sample of this.samples(id)) {
				const name = sample.labels[cl];
				const task = Number(sample.labels[tl]);
				if (name !== undefined && Number.isInteger(task)) add(sample.labels[il], itemKey(name, task));
			}
		}
		return map;
	}

	workerValues(instance: string): {up?: number; connectorCount?: number; taskCount?: number; rebalancing?: number; ageMs?: number} {
		const label = this.profile.labels.instance;
		let ageMs: number | undefined;
		const pick = (id: LogicalMetricId): number | undefined => {
			let found: number | undefined;
			for (const sample of this.samples(id)) {
				if (sample.labels[label] !== instance || !Number.isFinite(sample.value)) continue;
				found = Math.max(found ?? -Infinity, sample.value);
				// The counts' samples are old (Prometheus kept serving them): METRICS shows them marked, with the age.
				if (sample.ageMs !== undefined && id !== 'workerUp') ageMs = Math.max(ageMs ?? 0, sample.ageMs);
			}
			return found;
		};
		const values = {up: pick('workerUp'), connectorCount: pick('workerConnectorCount'), taskCount: pick('workerTaskCount'), rebalancing: pick('workerRebalancing')};
		return ageMs === undefined ? values : {...values, ageMs};
	}

	absentFromProfile(): LogicalMetricId[] {
		const all: LogicalMetricId[] = ['dbzConnected', 'dbzMsBehindSource', 'recordRate', 'recordErrors', 'recordFailures', 'dlqWrites', 'sinkLag', 'workerUp'];
		return all.filter(id => this.profile.metrics[id] === undefined);
	}
}

function combine(field: keyof Omit<DbzValues, 'plugin' | 'connectedAgeMs' | 'behindAgeMs'>, a: number, b: number): number {
	switch (field) {
		case 'connected':
			return Math.min(a, b);
		case 'eventsRate':
		case 'erroneous':
		case 'snapshotTablesTotal':
		case 'snapshotTablesRemaining':
		case 'queueRemaining':
		case 'queueTotal':
		case 'snapshotRows':
			return a + b;
		default:
			return Math.max(a, b);
	}
}
