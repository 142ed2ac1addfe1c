import type {IncomingMessage, ServerResponse} from 'node:http';
import type {SimCluster, SimConnector, SimTask, SimWorker, InstanceState} from './cluster.js';
import {expositionContentType, renderExposition} from './jmx/exposition.js';
import {
	appInfoMBeans,
	connectorMBean,
	coordinatorMBean,
	debeziumSchemaHistoryMBean,
	debeziumSnapshotMBean,
	debeziumStreamingMBean,
	jvmMBeans,
	sinkTaskMBeans,
	sourceTaskMBeans,
	workerConnectorMBean,
	workerMBean,
	workerRebalanceMBean,
	type ConnectorState,
	type DebeziumScope,
	type TaskState,
} from './jmx/mbeans.js';
import {loadRepoJmxConfig, type JmxExporterConfig} from './jmx/rules.js';
import {FastExporter, type BeanIdentity} from './fast-exposition.js';
import type {MBean} from './jmx/types.js';
import {serverInfoBody} from './views.js';

/**
 * The MBeans one simulated worker registers (only for the connector instances and tasks
 * it runs, plus its own worker-level beans), and its `/metrics` endpoint: those beans
 * through the repository's jmx-exporter-config.yml (or any other exporter rules file),
 * exactly as the JMX exporter agent would export them.
 */

function lower(state: InstanceState): ConnectorState {
	switch (state) {
		case 'UNASSIGNED':
			return 'unassigned';
		case 'RUNNING':
			return 'running';
		case 'PAUSED':
			return 'paused';
		case 'FAILED':
			return 'failed';
		case 'RESTARTING':
			return 'restarting';
		case 'STOPPED':
			return 'stopped';
	}
}

function taskState(state: InstanceState): TaskState {
	const value = lower(state);
	return value === 'stopped' ? 'unassigned' : value;
}

function taskBeans(cluster: SimCluster, connector: SimConnector, task: SimTask): MBean[] {
	const name = connector.spec.name;
	const c = task.counters;
	const running = task.state === 'RUNNING';
	const idle = c.lastBatch === 0 || !running;
	const taskValues = {
		status: taskState(task.state),
		'running-ratio': running ? 1 : 0,
		'pause-ratio': task.state === 'PAUSED' ? 1 : 0,
		'offset-commit-max-time-ms': c.offsetCommitSeq > 0 ? 4 : Number.NaN,
		'offset-commit-avg-time-ms': c.offsetCommitSeq > 0 ? 2.5 : Number.NaN,
		'batch-size-max': idle ? Number.NaN : c.batchMax,
		'batch-size-avg': idle ? Number.NaN : c.lastBatch,
		'offset-commit-failure-percentage': 0,
		'offset-commit-success-percentage': c.offsetCommitSeq > 0 ? 1 : 0,
	};
	const errors = {
		'total-record-failures': c.recordFailures,
		'total-record-errors': c.recordErrors,
		'total-records-skipped': c.recordsSkipped,
		'total-retries': c.retries,
		'total-errors-logged': c.errorsLogged,
		'deadletterqueue-produce-requests': c.dlqRequests,
		'deadletterqueue-produce-failures': c.dlqFailures,
		'last-error-timestamp': c.lastErrorTimestamp,
	};
	const rate = running ? c.rate : 0;
	if (connector.spec.type === 'sink') {
		// A failed task's consumer is closed: its fetch metrics are gone.
		const consumerOpen = task.state !== 'FAILED';
		const perPartition = task.partitions.length > 0 ? Math.ceil(task.lag / task.partitions.length) : 0;
		return sinkTaskMBeans(name, task.id, {
			task: taskValues,
			sink: {
				'sink-record-read-rate': rate,
				'sink-record-read-total': c.read,
				'sink-record-send-rate': rate,
				'sink-record-send-total': c.sent,
				'sink-record-active-count': running ? c.activeRecords : 0,
				'sink-record-active-count-max': idle ? Number.NaN : c.activeRecords,
				'sink-record-active-count-avg': idle ? Number.NaN : c.activeRecords,
				'partition-count': task.partitions.length,
				'offset-commit-seq-no': c.offsetCommitSeq,
				'offset-commit-completion-rate': running && c.lastBatch > 0 ? 1 : 0,
				'offset-commit-completion-total': c.offsetCommitSeq,
				'offset-commit-skip-rate': running && c.lastBatch === 0 ? 1 : 0,
				'offset-commit-skip-total': c.offsetCommitSkips,
				'put-batch-max-time-ms': idle ? Number.NaN : c.batchTimeMs * 1.6,
				'put-batch-avg-time-ms': idle ? Number.NaN : c.batchTimeMs,
			},
			errors,
			...(consumerOpen
				? {
						consumer: {
							'records-lag-max': task.lag,
							'records-lead-min': 0,
							'records-consumed-rate': rate,
							'records-consumed-total': c.read,
							'bytes-consumed-rate': rate * 512,
							'bytes-consumed-total': c.read * 512,
							'fetch-latency-avg': 120,
							'fetch-latency-max': 500,
							'fetch-rate': running ? 2 : 0,
							'fetch-total': Math.floor((cluster.now - task.startedAt) / 500),
							partitions: task.partitions.map(({topic, partition}) => ({topic, partition, 'records-lag': perPartition, 'records-lag-max': perPartition, 'records-lag-avg': perPartition, 'records-lead': 1000})),
						},
					}
				: {}),
		}).filter(bean => consumerOpen || bean.domain !== 'kafka.consumer');
	}
	return sourceTaskMBeans(name, task.id, {
		task: taskValues,
		source: {
			'source-record-poll-rate': rate,
			'source-record-poll-total': c.polled,
			'source-record-write-rate': rate,
			'source-record-write-total': c.written,
			'poll-batch-max-time-ms': idle ? Number.NaN : c.batchTimeMs * 1.5,
			'poll-batch-avg-time-ms': idle ? Number.NaN : c.batchTimeMs,
			'source-record-active-count': running ? c.activeRecords : 0,
			'source-record-active-count-max': idle ? Number.NaN : c.activeRecords,
			'source-record-active-count-avg': idle ? Number.NaN : c.activeRecords,
		},
		errors,
	});
}

function debeziumBeans(cluster: SimCluster, connector: SimConnector, task: SimTask): MBean[] {
	const spec = connector.spec.debezium;
	const dbz = task.debezium;
	if (!spec || !dbz || task.state === 'FAILED') return [];
	const scope: DebeziumScope = {plugin: spec.plugin, server: spec.server};
	const since = (at: number | undefined): number => (at === undefined ? -1 : cluster.now - at);
	const beans = [
		debeziumSnapshotMBean(scope, {
			MilliSecondsSinceLastEvent: since(dbz.snapshotLastEventAt),
			TotalNumberOfEventsSeen: dbz.snapshotEvents,
			TotalNumberOfCreateEventsSeen: dbz.snapshotEvents,
			TotalTableCount: dbz.totalTables,
			RemainingTableCount: dbz.remainingTables,
			SnapshotRunning: dbz.snapshotRunning,
			SnapshotCompleted: dbz.snapshotCompleted,
			SnapshotSkipped: dbz.snapshotSkipped,
			SnapshotDurationInSeconds: dbz.snapshotRunning ? Math.floor((cluster.now - dbz.snapshotStartedAt) / 1000) : dbz.snapshotDurationS,
		}),
		debeziumStreamingMBean(scope, {
			Connected: dbz.connected,
			MilliSecondsBehindSource: dbz.msBehindSource,
			MilliSecondsSinceLastEvent: since(dbz.lastEventAt),
			TotalNumberOfEventsSeen: dbz.totalEvents,
			TotalNumberOfCreateEventsSeen: Math.floor(dbz.totalEvents * 0.3),
			TotalNumberOfUpdateEventsSeen: Math.floor(dbz.totalEvents * 0.6),
			TotalNumberOfDeleteEventsSeen: dbz.totalEvents - Math.floor(dbz.totalEvents * 0.3) - Math.floor(dbz.totalEvents * 0.6),
			NumberOfEventsFiltered: dbz.filteredEvents,
			NumberOfErroneousEvents: dbz.erroneousEvents,
			QueueTotalCapacity: dbz.queueTotal,
			QueueRemainingCapacity: dbz.queueRemaining,
			NumberOfCommittedTransactions: dbz.committedTransactions,
			...(spec.plugin === 'mysql' ? {NumberOfDisconnects: dbz.disconnects, BinlogFilename: 'mysql-bin.000003', BinlogPosition: 157 + Math.floor(connector.progress) * 412, IsGtidModeEnabled: true} : {}),
		}),
	];
	if (spec.plugin === 'mysql') beans.push(debeziumSchemaHistoryMBean(scope, {Status: 'RUNNING', ChangesRecovered: spec.tables.length * 2, ChangesApplied: spec.tables.length, RecoveryStartTime: task.startedAt}));
	return beans;
}

/** Every MBean worker `index` registers right now (empty for a dead worker). */
export function workerMBeans(cluster: SimCluster, index: number, seed: number): MBean[] {
	return identifiedWorkerMBeans(cluster, index, seed).beans;
}

interface IdentifiedBeans {
	readonly beans: MBean[];
	/** The connector/task/server each bean belongs to (undefined for worker-level beans). */
	readonly identities: Array<BeanIdentity | undefined>;
}

function identifiedWorkerMBeans(cluster: SimCluster, index: number, seed: number): IdentifiedBeans {
	const worker: SimWorker | undefined = cluster.workers[index];
	const result: IdentifiedBeans = {beans: [], identities: []};
	if (!worker?.alive) return result;
	const beans = {
		push(...added: MBean[]): void {
			result.beans.push(...added);
			for (let i = 0; i < added.length; i++) result.identities.push(undefined);
		},
	};
	const owned = (identity: BeanIdentity, added: readonly MBean[]): void => {
		for (const bean of added) {
			result.beans.push(bean);
			result.identities.push(identity);
		}
	};
	let connectorCount = 0;
	let taskCount = 0;
	for (const connector of cluster.connectors) {
		const name = connector.spec.name;
		if (connector.workerIndex === index) {
			connectorCount++;
			owned({connector: name}, [connectorMBean(name, {'connector-type': connector.spec.type, 'connector-class': connector.spec.className, 'connector-version': connector.spec.version, status: lower(connector.state)})]);
		}
		const mine = connector.tasks.filter(task => task.workerIndex === index);
		if (mine.length === 0) continue;
		taskCount += mine.length;
		const count = (state: InstanceState): number => mine.filter(task => task.state === state).length;
		owned({connector: name}, [
			workerConnectorMBean(name, {
				'connector-total-task-count': mine.length,
				'connector-running-task-count': count('RUNNING'),
				'connector-paused-task-count': count('PAUSED'),
				'connector-failed-task-count': count('FAILED'),
				'connector-unassigned-task-count': count('UNASSIGNED'),
				'connector-restarting-task-count': count('RESTARTING'),
			}),
		]);
		for (const task of mine) {
			owned({connector: name, task: task.id}, taskBeans(cluster, connector, task));
			owned({server: connector.spec.debezium?.server ?? ''}, debeziumBeans(cluster, connector, task));
		}
	}
	const ratio = (part: number, whole: number): number => (whole === 0 ? 0 : part / whole);
	beans.push(
		workerMBean({
			'connector-count': connectorCount,
			'task-count': taskCount,
			'connector-startup-attempts-total': worker.connectorStartupAttempts,
			'connector-startup-success-total': worker.connectorStartupSuccesses,
			'connector-startup-failure-total': worker.connectorStartupFailures,
			'connector-startup-success-percentage': ratio(worker.connectorStartupSuccesses, worker.connectorStartupAttempts),
			'connector-startup-failure-percentage': ratio(worker.connectorStartupFailures, worker.connectorStartupAttempts),
			'task-startup-attempts-total': worker.taskStartupAttempts,
			'task-startup-success-total': worker.taskStartupSuccesses,
			'task-startup-failure-total': worker.taskStartupFailures,
			'task-startup-success-percentage': ratio(worker.taskStartupSuccesses, worker.taskStartupAttempts),
			'task-startup-failure-percentage': ratio(worker.taskStartupFailures, worker.taskStartupAttempts),
		}),
	);
	const samples = worker.rebalances.map(sample => sample.ms);
	const leader = cluster.leader;
	beans.push(
		workerRebalanceMBean({
			'connect-protocol': 'SESSIONED',
			'leader-name': leader ? `http://${leader.id}/` : '',
			epoch: worker.epoch,
			'completed-rebalances-total': worker.completedRebalances,
			rebalancing: worker.rebalancing ? 1 : 0,
			'rebalance-max-time-ms': samples.length === 0 ? Number.NaN : Math.max(...samples),
			'rebalance-avg-time-ms': samples.length === 0 ? Number.NaN : samples.reduce((sum, ms) => sum + ms, 0) / samples.length,
			'time-since-last-rebalance-ms': worker.lastRebalanceAt === undefined ? Number.POSITIVE_INFINITY : cluster.now - worker.lastRebalanceAt,
		}),
	);
	beans.push(
		coordinatorMBean(worker.id, {
			'assigned-connectors': connectorCount,
			'assigned-tasks': taskCount,
			'heartbeat-response-time-max': 3,
			'heartbeat-rate': 0.33,
			'heartbeat-total': worker.heartbeats,
			'join-total': worker.completedRebalances + 1,
			'sync-total': worker.completedRebalances + 1,
			'rebalance-total': worker.completedRebalances,
			'rebalance-latency-total': worker.rebalanceLatencyTotal,
			'last-rebalance-seconds-ago': worker.lastRebalanceAt === undefined ? -1 : Math.floor((cluster.now - worker.lastRebalanceAt) / 1000),
			'last-heartbeat-seconds-ago': (cluster.now - worker.startedAt) % 3000 === 0 ? 0 : Math.floor(((cluster.now - worker.startedAt) % 3000) / 1000),
		}),
	);
	const info = serverInfoBody(seed, cluster.connectVersion.text);
	beans.push(...appInfoMBeans(worker.id, {version: info.version, commitId: info.commit, startTimeMs: worker.startedAt}));
	beans.push(...jvmMBeans({threadCount: 48 + taskCount * 4, peakThreadCount: 52 + taskCount * 4, daemonThreadCount: 30 + taskCount * 3, uptimeMs: cluster.now - worker.startedAt, processCpuLoad: Math.min(1, 0.02 + taskCount * 0.01)}));
	return result;
}

/** Renders worker `index`'s exposition, cached per simulation version. */
export class ExpositionCache {
	private readonly entries = new Map<number, {readonly version: number; readonly text: string}>();
	private exporter: FastExporter | undefined;

	/** `rules`: the exporter config the beans go through (default: this repository's jmx-exporter-config.yml). */
	constructor(
		private readonly cluster: SimCluster,
		private readonly seed: number,
		private readonly rules?: JmxExporterConfig,
	) {}

	text(index: number): string {
		const cached = this.entries.get(index);
		if (cached?.version === this.cluster.version) return cached.text;
		this.exporter ??= new FastExporter(this.rules ?? loadRepoJmxConfig());
		const {beans, identities} = identifiedWorkerMBeans(this.cluster, index, this.seed);
		const text = renderExposition(this.exporter.samples(beans, identities));
		this.entries.set(index, {version: this.cluster.version, text});
		return text;
	}
}

export function createMetricsHandler(context: {readonly cache: ExpositionCache; readonly index: number; readonly sync: () => void}): (req: IncomingMessage, res: ServerResponse) => void {
	return (req, res) => {
		req.resume();
		try {
			context.sync();
			const url = new URL(req.url ?? '/', 'http://demo.invalid');
			if (url.pathname !== '/metrics' && url.pathname !== '/') {
				res.writeHead(404, {'Content-Type': 'text/plain; charset=utf-8'});
				res.end('Not Found\n');
				return;
			}
			if (req.method !== 'GET' && req.method !== 'HEAD') {
				res.writeHead(405, {'Content-Type': 'text/plain; charset=utf-8', Allow: 'GET, HEAD'});
				res.end('Method Not Allowed\n');
				return;
			}
			const text = context.cache.text(context.index);
			res.writeHead(200, {'Content-Type': expositionContentType, 'Content-Length': String(Buffer.byteLength(text))});
			res.end(req.method === 'HEAD' ? undefined : text);
		} catch (thrown) {
			res.writeHead(500, {'Content-Type': 'text/plain; charset=utf-8'});
			res.end(`${thrown instanceof Error ? thrown.message : String(thrown)}\n`);
		}
	};
}
