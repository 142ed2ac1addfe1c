import {createRandom, hashString, type Random} from './random.js';
import {SCENARIO_PERIOD_S, scenarioNames, scenarioTimes, type SinkMode} from './scenario.js';
import type {ConnectorSpec, Placement} from './spec.js';
import {latestConnectVersion, type ConnectVersion} from './versions.js';

/**
 * The simulated Kafka Connect cluster. No timers: whoever reads it first calls
 * `advanceTo(clock.now())`, and the simulation catches up in fixed one-second steps, so
 * what a reader sees depends only on the time, never on how often it was read.
 */

export const STEP_MS = 1000;

export type InstanceState = 'UNASSIGNED' | 'RUNNING' | 'PAUSED' | 'FAILED' | 'RESTARTING' | 'STOPPED';
export type TargetState = 'STARTED' | 'PAUSED' | 'STOPPED';
export type ScenarioName = 'default' | 'steady';

export interface RebalanceSample {
	readonly at: number;
	readonly ms: number;
}

export interface SimWorker {
	readonly index: number;
	readonly host: string;
	/** REST worker_id (advertised host:port). */
	readonly id: string;
	alive: boolean;
	/** When this JVM started (sim ms): counters of a restarted worker start from zero. */
	startedAt: number;
	rebalancing: boolean;
	epoch: number;
	completedRebalances: number;
	lastRebalanceAt: number | undefined;
	/** Rebalance durations in Kafka's stats window (two 30 s samples): avg/max are NaN when empty. */
	rebalances: RebalanceSample[];
	/** Cumulative rebalance time in ms (coordinator rebalance-latency-total). */
	rebalanceLatencyTotal: number;
	heartbeats: number;
	connectorStartupAttempts: number;
	connectorStartupSuccesses: number;
	connectorStartupFailures: number;
	taskStartupAttempts: number;
	taskStartupSuccesses: number;
	taskStartupFailures: number;
}

export interface TaskCounters {
	/** Source: records polled from the connector / written to Kafka. */
	polled: number;
	written: number;
	/** Sink: records read from Kafka / sent to the connector's put(). */
	read: number;
	sent: number;
	recordErrors: number;
	recordFailures: number;
	recordsSkipped: number;
	errorsLogged: number;
	retries: number;
	dlqRequests: number;
	dlqFailures: number;
	/** Epoch ms of the last error, 0 when none. */
	lastErrorTimestamp: number;
	offsetCommitSeq: number;
	offsetCommitSkips: number;
	/** Records handled in the last step (drives rates, batch sizes, and NaN when idle). */
	lastBatch: number;
	/** Smoothed records per second. */
	rate: number;
	/** Max batch in the recent window. */
	batchMax: number;
	/** Mean batch time of the last step in ms, NaN when the task was idle. */
	batchTimeMs: number;
	activeRecords: number;
}

export interface DebeziumRuntime {
	snapshotRunning: boolean;
	snapshotCompleted: boolean;
	snapshotSkipped: boolean;
	snapshotStartedAt: number;
	snapshotDurationS: number;
	totalTables: number;
	remainingTables: number;
	snapshotEvents: number;
	snapshotLastEventAt: number | undefined;
	streaming: boolean;
	connected: boolean;
	/** −1 until the first event with a source timestamp. */
	msBehindSource: number;
	lastEventAt: number | undefined;
	totalEvents: number;
	erroneousEvents: number;
	filteredEvents: number;
	disconnects: number;
	committedTransactions: number;
	queueTotal: number;
	queueRemaining: number;
}

export interface SinkPartition {
	readonly topic: string;
	readonly partition: number;
}

export interface SimTask {
	readonly id: number;
	state: InstanceState;
	workerIndex: number;
	trace: string | undefined;
	restartingUntil: number | undefined;
	startedAt: number;
	counters: TaskCounters;
	debezium: DebeziumRuntime | undefined;
	/** Sink: records waiting in the task's partitions (consumer records-lag-max is the max of per-partition lag). */
	lag: number;
	readonly partitions: readonly SinkPartition[];
}

export interface SimConnector {
	readonly spec: ConnectorSpec;
	target: TargetState;
	state: InstanceState;
	workerIndex: number;
	trace: string | undefined;
	restartingUntil: number | undefined;
	tasks: SimTask[];
	/** Records processed since the connector was created: offsets are derived from it and never go back. */
	progress: number;
	/** Debezium: the source database is unreachable. */
	databaseDown: boolean;
	/** Debezium: accumulated lag behind the source, in ms. */
	backlogMs: number;
}

export interface ClusterOptions {
	readonly specs: readonly ConnectorSpec[];
	readonly workerHosts: readonly string[];
	readonly restPort?: number;
	/** Advertised REST worker ids, one per host (default `host:restPort`). */
	readonly workerIds?: readonly string[];
	/** The Kafka Connect version the cluster behaves like (default 3.9.0). */
	readonly connectVersion?: ConnectVersion;
	readonly placements?: Readonly<Record<string, Placement>>;
	readonly seed: number;
	readonly scenario: ScenarioName;
	readonly startMs: number;
}

export type ActionResult = {readonly ok: true} | {readonly ok: false; readonly status: number; readonly message: string};

export const rebalanceMessage = 'Cannot complete request momentarily due to no known leader URL, likely because a rebalance was underway.';
export const conflictMessage = 'Cannot complete request because of a conflicting operation (e.g. worker rebalance)';

function newCounters(): TaskCounters {
	return {
		polled: 0,
		written: 0,
		read: 0,
		sent: 0,
		recordErrors: 0,
		recordFailures: 0,
		recordsSkipped: 0,
		errorsLogged: 0,
		retries: 0,
		dlqRequests: 0,
		dlqFailures: 0,
		lastErrorTimestamp: 0,
		offsetCommitSeq: 0,
		offsetCommitSkips: 0,
		lastBatch: 0,
		rate: 0,
		batchMax: Number.NaN,
		batchTimeMs: Number.NaN,
		activeRecords: 0,
	};
}

export class SimCluster {
	readonly workers: SimWorker[];
	readonly connectors: SimConnector[];
	readonly scenario: ScenarioName;
	readonly startMs: number;
	readonly seed: number;
	readonly connectVersion: ConnectVersion;
	/** Bumped on every change: caches of rendered bodies key on it. */
	version = 0;
	private time: number;
	private readonly random: Random;
	private readonly byName = new Map<string, SimConnector>();
	private rebalanceEndsAt: number | undefined;
	private rebalanceStartedAt = 0;
	private readonly workerListeners: Array<(worker: SimWorker) => void> = [];
	/** How each sink consumes (scenario.ts `sinkModes`); absent: normal. */
	private readonly sinkModes = new Map<string, SinkMode>();

	constructor(options: ClusterOptions) {
		this.scenario = options.scenario;
		this.startMs = options.startMs;
		this.time = options.startMs;
		this.seed = options.seed;
		this.connectVersion = options.connectVersion ?? latestConnectVersion;
		this.random = createRandom(options.seed);
		const port = options.restPort ?? 8083;
		this.workers = options.workerHosts.map((host, index) => ({
			index,
			host,
			id: options.workerIds?.[index] ?? `${host}:${port}`,
			epoch: 1,
			...freshJvm(options.startMs),
		}));
		const workerCount = this.workers.length;
		this.connectors = options.specs.map((spec, index) => {
			const placement = options.placements?.[spec.name] ?? {
				connector: index % workerCount,
				tasks: Array.from({length: spec.tasksMax}, (_, task) => (index + task + 1) % workerCount),
			};
			const connector: SimConnector = {
				spec,
				target: spec.trouble?.paused ? 'PAUSED' : 'STARTED',
				state: 'UNASSIGNED',
				workerIndex: placement.connector,
				trace: undefined,
				restartingUntil: undefined,
				tasks: [],
				progress: 1000 + (hashString(spec.name) % 50_000),
				databaseDown: spec.trouble?.disconnected === true,
				backlogMs: 0,
			};
			this.startConnectorInstance(connector, placement.connector);
			connector.tasks = Array.from({length: spec.tasksMax}, (_, task) => this.newTask(connector, task, placement.tasks[task] ?? task % workerCount, true));
			for (const failed of spec.trouble?.failedTasks ?? []) {
				const task = connector.tasks[failed];
				if (task) this.failTask(connector, task);
			}
			this.byName.set(spec.name, connector);
			return connector;
		});
	}

	/** Simulation time (ms): the last completed step. */
	get now(): number {
		return this.time;
	}

	/** Seconds since the simulation started. */
	get elapsedSeconds(): number {
		return Math.floor((this.time - this.startMs) / 1000);
	}

	get rebalancing(): boolean {
		return this.rebalanceEndsAt !== undefined;
	}

	/** The leader: the first live worker. */
	get leader(): SimWorker | undefined {
		return this.workers.find(worker => worker.alive);
	}

	/** Called when a worker dies or comes back (the server closes or reopens its ports). */
	onWorkerChanged(listener: (worker: SimWorker) => void): void {
		this.workerListeners.push(listener);
	}

	connector(name: string): SimConnector | undefined {
		return this.byName.get(name);
	}

	/** Catches the simulation up to `nowMs` in whole steps. */
	advanceTo(nowMs: number): void {
		while (this.time + STEP_MS <= nowMs) {
			this.time += STEP_MS;
			this.step();
			this.version++;
		}
	}

	// ---------------------------------------------------------------- actions

	pause(name: string): ActionResult {
		const connector = this.byName.get(name);
		if (!connector) return {ok: false, status: 404, message: `Unknown connector ${name}`};
		connector.target = 'PAUSED';
		if (connector.state === 'RUNNING' || connector.state === 'RESTARTING' || connector.state === 'STOPPED') {
			connector.state = 'PAUSED';
			connector.restartingUntil = undefined;
		}
		for (const task of connector.tasks) {
			if (task.state === 'RUNNING' || task.state === 'RESTARTING') {
				task.state = 'PAUSED';
				task.restartingUntil = undefined;
			}
		}
		this.version++;
		return {ok: true};
	}

	resume(name: string): ActionResult {
		const connector = this.byName.get(name);
		if (!connector) return {ok: false, status: 404, message: `Unknown connector ${name}`};
		const wasStopped = connector.target === 'STOPPED' || connector.tasks.length === 0;
		connector.target = 'STARTED';
		if (connector.state === 'PAUSED' || connector.state === 'STOPPED') connector.state = 'RUNNING';
		if (wasStopped && connector.tasks.length === 0) {
			const loads = this.loads('tasks');
			connector.tasks = Array.from({length: connector.spec.tasksMax}, (_, id) => {
				const target = this.leastLoadedWorker('tasks', loads);
				loads[target] = (loads[target] ?? 0) + 1;
				return this.newTask(connector, id, target, false);
			});
		} else {
			for (const task of connector.tasks) if (task.state === 'PAUSED') task.state = 'RUNNING';
		}
		this.version++;
		return {ok: true};
	}

	stop(name: string): ActionResult {
		const connector = this.byName.get(name);
		if (!connector) return {ok: false, status: 404, message: `Unknown connector ${name}`};
		connector.target = 'STOPPED';
		connector.state = this.workers[connector.workerIndex]?.alive ? 'STOPPED' : connector.state;
		connector.trace = undefined;
		connector.restartingUntil = undefined;
		connector.tasks = [];
		this.version++;
		return {ok: true};
	}

	/** `POST /connectors/{name}/restart`: with neither flag only the Connector instance restarts (synchronously). */
	restart(name: string, includeTasks: boolean, onlyFailed: boolean): ActionResult {
		const connector = this.byName.get(name);
		if (!connector) return {ok: false, status: 404, message: `Unknown connector: ${name}`};
		if (!this.workers[connector.workerIndex]?.alive) return {ok: false, status: 409, message: conflictMessage};
		if (!includeTasks && !onlyFailed) {
			this.startConnectorInstance(connector, connector.workerIndex);
			this.version++;
			return {ok: true};
		}
		const until = this.time + STEP_MS;
		if (!onlyFailed || connector.state === 'FAILED') {
			connector.state = 'RESTARTING';
			connector.trace = undefined;
			connector.restartingUntil = until;
		}
		if (includeTasks) {
			for (const task of connector.tasks) {
				if (!this.workers[task.workerIndex]?.alive) continue;
				if (onlyFailed && task.state !== 'FAILED') continue;
				task.state = 'RESTARTING';
				task.trace = undefined;
				task.restartingUntil = until;
			}
		}
		this.version++;
		return {ok: true};
	}

	/** `POST /connectors/{name}/tasks/{id}/restart`: synchronous, a FAILED task comes back RUNNING. */
	restartTask(name: string, id: number): ActionResult {
		const connector = this.byName.get(name);
		if (!connector) return {ok: false, status: 404, message: `Unknown connector: ${name}`};
		const task = connector.tasks.find(candidate => candidate.id === id);
		if (!task) return {ok: false, status: 404, message: `Unknown task: ${name}-${id}`};
		if (!this.workers[task.workerIndex]?.alive) return {ok: false, status: 409, message: conflictMessage};
		this.restartTaskInPlace(connector, task);
		this.version++;
		return {ok: true};
	}

	// ---------------------------------------------------------------- lifecycle helpers

	private stateForTarget(connector: SimConnector): InstanceState {
		return connector.target === 'PAUSED' ? 'PAUSED' : connector.target === 'STOPPED' ? 'STOPPED' : 'RUNNING';
	}

	private startConnectorInstance(connector: SimConnector, workerIndex: number): void {
		connector.workerIndex = workerIndex;
		connector.state = this.stateForTarget(connector);
		connector.trace = undefined;
		connector.restartingUntil = undefined;
		const worker = this.workers[workerIndex];
		if (worker) {
			worker.connectorStartupAttempts++;
			worker.connectorStartupSuccesses++;
		}
	}

	private newTask(connector: SimConnector, id: number, workerIndex: number, initial: boolean): SimTask {
		const spec = connector.spec;
		const partitions: SinkPartition[] = [];
		if (spec.type === 'sink') {
			let global = 0;
			for (const topic of spec.topics) {
				for (let partition = 0; partition < spec.partitionsPerTopic; partition++, global++) {
					if (global % spec.tasksMax === id) partitions.push({topic, partition});
				}
			}
		}
		const task: SimTask = {
			id,
			state: connector.target === 'PAUSED' ? 'PAUSED' : 'RUNNING',
			workerIndex,
			trace: undefined,
			restartingUntil: undefined,
			startedAt: this.time,
			counters: newCounters(),
			debezium: undefined,
			lag: spec.type === 'sink' ? 5 + (hashString(`${spec.name}-${id}`) % 40) : 0,
			partitions,
		};
		task.debezium = spec.debezium ? this.newDebezium(connector, initial) : undefined;
		const worker = this.workers[workerIndex];
		if (worker) {
			worker.taskStartupAttempts++;
			worker.taskStartupSuccesses++;
		}
		return task;
	}

	private newDebezium(connector: SimConnector, initial: boolean): DebeziumRuntime {
		const spec = connector.spec.debezium;
		const snapshot = initial && spec !== undefined && spec.snapshotSeconds > 0;
		const tables = spec?.tables.length ?? 0;
		return {
			snapshotRunning: snapshot,
			snapshotCompleted: false,
			snapshotSkipped: !snapshot,
			snapshotStartedAt: this.time,
			snapshotDurationS: 0,
			totalTables: snapshot ? tables : 0,
			remainingTables: snapshot ? tables : 0,
			snapshotEvents: 0,
			snapshotLastEventAt: undefined,
			streaming: !snapshot,
			connected: !snapshot && !connector.databaseDown,
			msBehindSource: -1,
			lastEventAt: undefined,
			totalEvents: 0,
			erroneousEvents: 0,
			filteredEvents: 0,
			disconnects: 0,
			committedTransactions: 0,
			queueTotal: 8192,
			queueRemaining: 8192,
		};
	}

	private failTask(connector: SimConnector, task: SimTask): void {
		task.state = 'FAILED';
		task.trace = connector.spec.failureTrace;
		task.restartingUntil = undefined;
		task.counters.recordFailures++;
		task.counters.retries += 10;
		task.counters.lastErrorTimestamp = this.time;
		task.counters.lastBatch = 0;
		task.counters.batchTimeMs = Number.NaN;
		task.counters.activeRecords = 0;
	}

	/** A restart on the same worker: the failure is cleared; the worker's metric counters carry on. */
	private restartTaskInPlace(connector: SimConnector, task: SimTask): void {
		task.state = connector.target === 'PAUSED' ? 'PAUSED' : 'RUNNING';
		task.trace = undefined;
		task.restartingUntil = undefined;
		const worker = this.workers[task.workerIndex];
		if (worker) {
			worker.taskStartupAttempts++;
			worker.taskStartupSuccesses++;
		}
	}

	/** Moves a task to another worker: a new instance there, whose metrics start from zero. */
	private moveTask(connector: SimConnector, task: SimTask, workerIndex: number): SimTask {
		const moved = this.newTask(connector, task.id, workerIndex, false);
		moved.lag = task.lag;
		return moved;
	}

	private aliveIndexes(): number[] {
		return this.workers.filter(worker => worker.alive).map(worker => worker.index);
	}

	private loads(kind: 'tasks' | 'connectors'): number[] {
		const loads = this.workers.map(() => 0);
		for (const connector of this.connectors) {
			if (kind === 'connectors') loads[connector.workerIndex] = (loads[connector.workerIndex] ?? 0) + 1;
			else for (const task of connector.tasks) loads[task.workerIndex] = (loads[task.workerIndex] ?? 0) + 1;
		}
		return loads;
	}

	private leastLoadedWorker(kind: 'tasks' | 'connectors', loads = this.loads(kind)): number {
		let best = this.aliveIndexes()[0] ?? 0;
		for (const index of this.aliveIndexes()) if ((loads[index] ?? 0) < (loads[best] ?? 0)) best = index;
		return best;
	}

	// ---------------------------------------------------------------- workers and rebalances

	killWorker(index: number): void {
		const worker = this.workers[index];
		if (!worker?.alive) return;
		worker.alive = false;
		worker.rebalancing = false;
		for (const connector of this.connectors) {
			if (connector.workerIndex === index) {
				connector.state = 'UNASSIGNED';
				connector.trace = undefined;
				connector.restartingUntil = undefined;
			}
			for (const task of connector.tasks) {
				if (task.workerIndex === index) {
					task.state = 'UNASSIGNED';
					task.trace = undefined;
					task.restartingUntil = undefined;
				}
			}
		}
		this.version++;
		for (const listener of this.workerListeners) listener(worker);
	}

	reviveWorker(index: number): void {
		const worker = this.workers[index];
		if (!worker || worker.alive) return;
		Object.assign(worker, freshJvm(this.time));
		this.version++;
		for (const listener of this.workerListeners) listener(worker);
	}

	/**
	 * A returning worker takes its old assignment back (incremental cooperative rebalancing
	 * keeps a departed worker's work for it during scheduled.rebalance.max.delay.ms): its
	 * UNASSIGNED connector instances and tasks start again there, as new instances.
	 */
	restoreAssignments(index: number): void {
		if (!this.workers[index]?.alive) return;
		for (const connector of this.connectors) {
			if (connector.workerIndex === index && connector.state === 'UNASSIGNED') this.startConnectorInstance(connector, index);
			connector.tasks = connector.tasks.map(task => (task.workerIndex === index && task.state === 'UNASSIGNED' ? this.moveTask(connector, task, index) : task));
		}
		this.version++;
	}

	startRebalance(seconds: number): void {
		this.rebalanceEndsAt = this.time + seconds * 1000;
		this.rebalanceStartedAt = this.time;
		for (const worker of this.workers) worker.rebalancing = worker.alive;
		this.version++;
	}

	/** End of a rebalance: orphans go to the least loaded live workers, then load is evened out. */
	private completeRebalance(): void {
		this.rebalanceEndsAt = undefined;
		const alive = this.aliveIndexes();
		if (alive.length === 0) return;
		const connectorLoads = this.loads('connectors');
		const taskLoads = this.loads('tasks');
		for (const connector of this.connectors) {
			if (!this.workers[connector.workerIndex]?.alive) {
				const target = this.leastLoadedWorker('connectors', connectorLoads);
				connectorLoads[connector.workerIndex] = (connectorLoads[connector.workerIndex] ?? 1) - 1;
				connectorLoads[target] = (connectorLoads[target] ?? 0) + 1;
				this.startConnectorInstance(connector, target);
			}
			connector.tasks = connector.tasks.map(task => {
				if (this.workers[task.workerIndex]?.alive) return task;
				const target = this.leastLoadedWorker('tasks', taskLoads);
				taskLoads[task.workerIndex] = (taskLoads[task.workerIndex] ?? 1) - 1;
				taskLoads[target] = (taskLoads[target] ?? 0) + 1;
				return this.moveTask(connector, task, target);
			});
		}
		this.balance(alive);
		const durationMs = Math.max(STEP_MS, this.time - this.rebalanceStartedAt);
		for (const worker of this.workers) {
			if (!worker.alive) continue;
			worker.rebalancing = false;
			worker.epoch++;
			worker.completedRebalances++;
			worker.lastRebalanceAt = this.time;
			const ms = durationMs + this.random.int(0, 400);
			worker.rebalances.push({at: this.time, ms});
			worker.rebalanceLatencyTotal += ms;
		}
		this.version++;
	}

	/** Moves movable (RUNNING/PAUSED) tasks and connector instances from the busiest to the idlest worker until the spread is at most one. */
	private balance(alive: readonly number[]): void {
		const taskBuckets = new Map<number, Array<{connector: SimConnector; task: SimTask}>>(alive.map(index => [index, []]));
		const taskCounts = new Map<number, number>(alive.map(index => [index, 0]));
		const connectorBuckets = new Map<number, SimConnector[]>(alive.map(index => [index, []]));
		for (const connector of this.connectors) {
			connectorBuckets.get(connector.workerIndex)?.push(connector);
			for (const task of connector.tasks) {
				taskCounts.set(task.workerIndex, (taskCounts.get(task.workerIndex) ?? 0) + 1);
				if (task.state === 'RUNNING' || task.state === 'PAUSED') taskBuckets.get(task.workerIndex)?.push({connector, task});
			}
		}
		const extremes = (counts: (index: number) => number): [number, number] => {
			let max = alive[0] ?? 0;
			let min = alive[0] ?? 0;
			for (const index of alive) {
				if (counts(index) > counts(max)) max = index;
				if (counts(index) < counts(min)) min = index;
			}
			return [max, min];
		};
		for (;;) {
			const [max, min] = extremes(index => taskCounts.get(index) ?? 0);
			if ((taskCounts.get(max) ?? 0) - (taskCounts.get(min) ?? 0) <= 1) break;
			const candidate = taskBuckets.get(max)?.pop();
			if (!candidate) break;
			const moved = this.moveTask(candidate.connector, candidate.task, min);
			candidate.connector.tasks = candidate.connector.tasks.map(task => (task === candidate.task ? moved : task));
			taskCounts.set(max, (taskCounts.get(max) ?? 1) - 1);
			taskCounts.set(min, (taskCounts.get(min) ?? 0) + 1);
		}
		for (;;) {
			const [max, min] = extremes(index => connectorBuckets.get(index)?.length ?? 0);
			if ((connectorBuckets.get(max)?.length ?? 0) - (connectorBuckets.get(min)?.length ?? 0) <= 1) break;
			const connector = connectorBuckets.get(max)?.pop();
			if (!connector) break;
			connectorBuckets.get(min)?.push(connector);
			this.startConnectorInstance(connector, min);
		}
	}

	// ---------------------------------------------------------------- the step

	private step(): void {
		if (this.scenario === 'default') this.scenarioEvents();
		if (this.rebalanceEndsAt !== undefined && this.time >= this.rebalanceEndsAt) this.completeRebalance();
		const t = this.cycleSecond();
		for (const worker of this.workers) {
			if (worker.alive && (this.time - worker.startedAt) % 3000 === 0) worker.heartbeats++;
			// Kafka's rebalance time stats keep two 30 s samples: older ones drop out (NaN when empty).
			if (worker.rebalances.length > 0) worker.rebalances = worker.rebalances.filter(sample => this.time - sample.at < 60_000);
		}
		for (const connector of this.connectors) {
			if (connector.restartingUntil !== undefined && this.time >= connector.restartingUntil) {
				connector.state = this.stateForTarget(connector);
				connector.restartingUntil = undefined;
			}
			this.stepBacklog(connector, t);
			for (const task of connector.tasks) {
				if (task.restartingUntil !== undefined && this.time >= task.restartingUntil) this.restartTaskInPlace(connector, task);
				if (connector.spec.type === 'sink') this.stepSink(connector, task, t);
				else if (task.debezium) this.stepDebezium(connector, task, task.debezium, t);
				else this.stepSource(connector, task);
			}
		}
	}

	/** Second within the current scenario cycle. */
	private cycleSecond(): number {
		return this.elapsedSeconds % SCENARIO_PERIOD_S;
	}

	private scenarioEvents(): void {
		const t = this.cycleSecond();
		const times = scenarioTimes;
		const cdcOther = this.byName.get(scenarioNames.cdcOther);
		const jdbc = this.byName.get(scenarioNames.jdbcSink);
		if (t === times.dbDown && cdcOther) cdcOther.databaseDown = true;
		if (t === times.dbUp && cdcOther) cdcOther.databaseDown = false;
		if (t === times.taskFails && jdbc) {
			const task = jdbc.tasks.find(candidate => candidate.id === scenarioNames.failingTask);
			if (task?.state === 'RUNNING') this.failTask(jdbc, task);
		}
		if (t === times.workerDies) this.killWorker(scenarioNames.dyingWorker);
		if (t === times.rebalanceStart) this.startRebalance(times.reassigned - times.rebalanceStart);
		if (t === times.workerReturns) {
			this.reviveWorker(scenarioNames.dyingWorker);
			this.startRebalance(times.rebalanceBackEnd - times.workerReturns);
		}
		if (t === times.scenarioRestartsTask && jdbc) {
			const task = jdbc.tasks.find(candidate => candidate.id === scenarioNames.failingTask);
			if (task?.state === 'FAILED' && this.workers[task.workerIndex]?.alive) this.restartTaskInPlace(jdbc, task);
		}
	}

	private inLagSpike(connector: SimConnector, t: number): boolean {
		return this.scenario === 'default' && t >= scenarioTimes.lagSpikeStart && t < scenarioTimes.lagSpikeEnd && (connector.spec.name === scenarioNames.cdcTest || connector.spec.name === scenarioNames.jdbcSink);
	}

	private stepBacklog(connector: SimConnector, t: number): void {
		if (!connector.spec.debezium) return;
		if (this.inLagSpike(connector, t)) connector.backlogMs += 1300;
		else connector.backlogMs = Math.max(0, connector.backlogMs - 1300);
	}

	private recordBatch(counters: TaskCounters, batch: number, timeMs: number): void {
		counters.lastBatch = batch;
		counters.rate = counters.rate * 0.7 + batch * 0.3;
		counters.batchMax = batch > 0 ? Math.max(Number.isNaN(counters.batchMax) ? 0 : counters.batchMax, batch) : counters.batchMax;
		counters.batchTimeMs = batch > 0 ? timeMs : Number.NaN;
		if (batch > 0) counters.offsetCommitSeq++;
		else counters.offsetCommitSkips++;
	}

	private stepSource(connector: SimConnector, task: SimTask): void {
		if (task.state !== 'RUNNING') return;
		const base = connector.spec.recordsPerSecond;
		const batch = Math.max(0, Math.round(base * (0.6 + this.random.next() * 0.8)));
		task.counters.polled += batch;
		task.counters.written += batch;
		task.counters.activeRecords = Math.round(batch * 0.2);
		connector.progress += batch;
		this.recordBatch(task.counters, batch, 1 + this.random.next() * 6);
	}

	private stepDebezium(connector: SimConnector, task: SimTask, dbz: DebeziumRuntime, t: number): void {
		if (task.state !== 'RUNNING') return;
		const spec = connector.spec.debezium;
		if (!spec) return;
		if (dbz.snapshotRunning) {
			const rows = 200 + this.random.int(0, 300);
			dbz.snapshotEvents += rows;
			dbz.snapshotLastEventAt = this.time;
			// Tables finish at an even pace over the spec's snapshot duration.
			const elapsedS = (this.time - dbz.snapshotStartedAt) / 1000;
			dbz.remainingTables = Math.max(0, dbz.totalTables - Math.floor((elapsedS * dbz.totalTables) / Math.max(1, spec.snapshotSeconds)));
			task.counters.polled += rows;
			task.counters.written += rows;
			connector.progress += rows;
			this.recordBatch(task.counters, rows, 10 + this.random.next() * 20);
			if (elapsedS >= spec.snapshotSeconds) {
				dbz.remainingTables = 0;
				dbz.snapshotRunning = false;
				dbz.snapshotCompleted = true;
				dbz.snapshotDurationS = Math.round((this.time - dbz.snapshotStartedAt) / 1000);
				dbz.streaming = true;
				dbz.connected = !connector.databaseDown;
			}
			return;
		}
		if (connector.databaseDown) {
			if (dbz.connected) dbz.disconnects++;
			dbz.connected = false;
			dbz.queueRemaining = dbz.queueTotal;
			this.recordBatch(task.counters, 0, 0);
			return;
		}
		dbz.connected = true;
		const busy = connector.spec.name === scenarioNames.cdcOther ? 0.4 : 1;
		let events = 0;
		if (this.random.next() < busy) {
			const base = connector.spec.name === scenarioNames.cdcOther ? 2 : 30 + (hashString(connector.spec.name) % 60);
			events = Math.round(base * (0.5 + this.random.next()) * (this.inLagSpike(connector, t) ? 8 : 1));
			events = Math.max(1, events);
		}
		if (events > 0) {
			dbz.totalEvents += events;
			dbz.lastEventAt = this.time;
			dbz.msBehindSource = connector.backlogMs + 80 + this.random.int(0, 500);
			dbz.committedTransactions += Math.max(1, Math.round(events / 4));
			if (this.inLagSpike(connector, t) && this.random.next() < 0.15) dbz.erroneousEvents++;
			if (this.random.next() < 0.05) dbz.filteredEvents++;
		}
		dbz.queueRemaining = Math.max(0, dbz.queueTotal - Math.min(dbz.queueTotal, Math.round(connector.backlogMs / 4)));
		task.counters.polled += events;
		task.counters.written += events;
		task.counters.activeRecords = Math.round(events * 0.1);
		connector.progress += events;
		this.recordBatch(task.counters, events, 2 + this.random.next() * 8);
	}

	/** Switches how a sink consumes from the next step on (scenario.ts `sinkModes`); false when there is no such sink. */
	setSinkMode(name: string, mode: SinkMode): boolean {
		if (this.byName.get(name)?.spec.type !== 'sink') return false;
		this.sinkModes.set(name, mode);
		this.version++;
		return true;
	}

	private stepSink(connector: SimConnector, task: SimTask, t: number): void {
		const base = connector.spec.recordsPerSecond;
		const arriving = Math.round(base * (0.7 + this.random.next() * 0.6) * (this.inLagSpike(connector, t) ? 6 : 1));
		const mode = this.sinkModes.get(connector.spec.name) ?? 'normal';
		if (task.state !== 'RUNNING' || mode === 'stopped' || mode === 'stalled') {
			task.lag += arriving;
			if (task.state !== 'RUNNING') return;
			task.counters.lastBatch = 0;
			task.counters.rate = 0;
			task.counters.activeRecords = 0;
			// A stalled consumer's task still commits its (unchanged) offsets; a stopped one is stuck in put().
			if (mode === 'stalled') task.counters.offsetCommitSeq++;
			return;
		}
		const capacity = mode === 'slow' ? Math.floor(base / 2) : base * 3;
		const batch = Math.min(task.lag + arriving, capacity);
		task.lag = task.lag + arriving - batch;
		const inDlqWindow = this.scenario === 'default' && connector.spec.name === scenarioNames.jdbcSink && t >= scenarioTimes.dlqStart && t < scenarioTimes.dlqEnd;
		const errors = inDlqWindow ? this.random.int(1, 4) : 0;
		const counters = task.counters;
		counters.read += batch;
		counters.sent += batch - Math.min(errors, batch);
		counters.activeRecords = Math.round(batch * 0.3);
		if (errors > 0) {
			counters.recordErrors += errors;
			counters.recordFailures += errors;
			counters.recordsSkipped += errors;
			counters.errorsLogged += errors;
			counters.dlqRequests += errors;
			counters.retries += this.random.int(0, 1);
			counters.lastErrorTimestamp = this.time;
		}
		connector.progress += batch;
		this.recordBatch(counters, batch, 5 + this.random.next() * 30);
		// Connect commits a sink's offsets on schedule even when nothing new was read.
		if (batch === 0) {
			counters.offsetCommitSeq++;
			counters.offsetCommitSkips--;
		}
	}
}

/** A worker's JVM-lifetime state when it (re)starts: alive, counters from zero (the epoch survives: it is the group's). */
function freshJvm(startedAt: number) {
	return {
		alive: true,
		startedAt,
		rebalancing: false,
		completedRebalances: 0,
		lastRebalanceAt: undefined,
		rebalances: [],
		rebalanceLatencyTotal: 0,
		heartbeats: 0,
		connectorStartupAttempts: 0,
		connectorStartupSuccesses: 0,
		connectorStartupFailures: 0,
		taskStartupAttempts: 0,
		taskStartupSuccesses: 0,
		taskStartupFailures: 0,
	};
}
