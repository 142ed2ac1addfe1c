import {readFileSync} from 'node:fs';
import {connectorsExpandedSchema, connectorStatusSchema, type ConnectorsExpanded, type ConnectorStatus} from '../../source/clients/connect/schemas.js';
import type {LogicalMetricId, MetricResults, Sample} from '../../source/metrics/types.js';
import {defaultProfile} from '../../source/metrics/profiles/default.js';
import {buildSnapshot, defaultThresholds, type SnapshotInputs} from '../../source/model/snapshot.js';
import type {ClusterSnapshot, SourceHealth} from '../../source/model/types.js';
import type {HistorySeriesName} from '../../source/model/history.js';

export function restFixture(name: string): unknown {
	return JSON.parse(readFileSync(new URL(`../fixtures/rest/${name}`, import.meta.url), 'utf8'));
}

export function expandedFixture(name: string): ConnectorsExpanded {
	return connectorsExpandedSchema.parse(restFixture(name));
}

export function statusFixture(name: string): ConnectorStatus {
	return connectorStatusSchema.parse(restFixture(name));
}

/** Wraps a real status body into an expand=status&expand=info entry with the given config. */
export function expandedFromStatus(status: ConnectorStatus, config: Record<string, string>): ConnectorsExpanded {
	return {
		[status.name]: {
			status,
			info: {name: status.name, config: {name: status.name, ...config}, tasks: status.tasks.map(t => ({connector: status.name, task: t.id})), type: status.type},
		},
	};
}

export const okHealth = (source: SourceHealth['source'], at = 1000): SourceHealth => ({
	source,
	everSucceeded: true,
	stale: false,
	lastSuccessAt: at,
	lastAttemptAt: at,
	lastError: undefined,
	endpoint: 'http://c1:8083',
	warnings: [],
	consecutiveFailures: 0,
});

export function results(entries: Partial<Record<LogicalMetricId, Sample[]>>): MetricResults {
	return new Map(Object.entries(entries) as Array<[LogicalMetricId, Sample[]]>);
}

export function build(partial: Partial<SnapshotInputs>, past: (name: string, series: HistorySeriesName) => number[] = () => [], previous?: ClusterSnapshot) {
	return buildSnapshot(
		{
			serverInfo: {version: '3.9.0', commit: 'abc', kafka_cluster_id: 'cluster-1'},
			connectors: {},
			metrics: undefined,
			rest: okHealth('rest'),
			metricsHealth: okHealth('prometheus'),
			profile: defaultProfile,
			emptyMetrics: [],
			workerMap: new Map(),
			thresholds: defaultThresholds,
			...partial,
		},
		{now: 5000, sequence: 1, window: (name, series, current) => [...past(name, series), current ?? Number.NaN], previous},
	);
}
