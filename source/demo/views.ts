import type {SimCluster, SimConnector, SimTask} from './cluster.js';
import {hashString} from './random.js';

/**
 * The simulated cluster as Kafka Connect 3.9's REST API writes it (reference §4): plain
 * JSON-ready objects with the real key order, `trace` only when non-empty.
 */

export interface InstanceStatusBody {
	readonly state: string;
	readonly worker_id: string;
	readonly trace?: string;
}

export interface TaskStatusBody extends InstanceStatusBody {
	readonly id: number;
}

export interface ConnectorStatusBody {
	readonly name: string;
	readonly connector: InstanceStatusBody;
	readonly tasks: readonly TaskStatusBody[];
	readonly type: string;
}

export interface ConnectorInfoBody {
	readonly name: string;
	readonly config: Readonly<Record<string, string>>;
	readonly tasks: ReadonlyArray<{readonly connector: string; readonly task: number}>;
	readonly type: string;
}

function workerId(cluster: SimCluster, index: number): string {
	return cluster.workers[index]?.id ?? `unknown-worker-${index}:8083`;
}

export function taskStatusBody(cluster: SimCluster, task: SimTask): TaskStatusBody {
	const body: TaskStatusBody = {id: task.id, state: task.state, worker_id: workerId(cluster, task.workerIndex)};
	return task.trace ? {...body, trace: task.trace} : body;
}

export function connectorStatusBody(cluster: SimCluster, connector: SimConnector): ConnectorStatusBody {
	const instance: InstanceStatusBody = {state: connector.state, worker_id: workerId(cluster, connector.workerIndex)};
	return {
		name: connector.spec.name,
		connector: connector.trace ? {...instance, trace: connector.trace} : instance,
		tasks: connector.tasks.map(task => taskStatusBody(cluster, task)),
		type: connector.spec.type,
	};
}

export function connectorInfoBody(connector: SimConnector): ConnectorInfoBody {
	return {
		name: connector.spec.name,
		config: connector.spec.config,
		tasks: connector.tasks.map(task => ({connector: connector.spec.name, task: task.id})),
		type: connector.spec.type,
	};
}

/** `GET /connectors/{name}/tasks`: each task's config is the connector's plus `task.class`. */
export function tasksBody(connector: SimConnector): unknown[] {
	return connector.tasks.map(task => ({
		id: {connector: connector.spec.name, task: task.id},
		config: {...connector.spec.config, 'task.class': connector.spec.taskClass},
	}));
}

export function topicsBody(connector: SimConnector): Record<string, {topics: string[]}> {
	return {[connector.spec.name]: {topics: [...connector.spec.topics]}};
}

function hex(seed: number, length: number): string {
	let out = '';
	let state = seed;
	while (out.length < length) {
		state = hashString(`${state}:${out.length}`);
		out += state.toString(16).padStart(8, '0');
	}
	return out.slice(0, length);
}

/** `GET /connectors/{name}/offsets` in the connector's own format; values derive from its progress, so they only grow. */
export function offsetsBody(connector: SimConnector, nowMs: number): {offsets: unknown[]} {
	const spec = connector.spec;
	const progress = Math.floor(connector.progress);
	const salt = hashString(spec.name);
	switch (spec.offsetStyle) {
		case 'debezium-mysql': {
			const position = 157 + progress * 412;
			const file = `mysql-bin.${String(3 + Math.floor(position / 1_073_741_824)).padStart(6, '0')}`;
			const uuid = `${hex(salt, 8)}-${hex(salt + 1, 4)}-11ef-${hex(salt + 2, 4)}-0242ac120003`;
			return {
				offsets: [
					{
						partition: {server: spec.debezium?.server ?? spec.name},
						offset: {transaction_id: null, ts_sec: Math.floor(nowMs / 1000), file, pos: position % 1_073_741_824, gtids: `${uuid}:1-${1000 + Math.floor(progress / 3)}`, row: 1, server_id: 223344, event: 2},
					},
				],
			};
		}
		case 'debezium-postgres': {
			const lsn = 24_000_000 + progress * 96;
			return {
				offsets: [
					{
						partition: {server: spec.debezium?.server ?? spec.name},
						offset: {lsn_proc: lsn, messageType: 'UPDATE', lsn_commit: lsn, lsn, txId: 780 + Math.floor(progress / 4), ts_usec: nowMs * 1000},
					},
				],
			};
		}
		case 'file':
			return {offsets: [{partition: {filename: spec.config['file'] ?? '/dev/null'}, offset: {position: progress * 118}}]};
		case 'generic-source':
			return {offsets: spec.topics.map(topic => ({partition: {topic}, offset: {sequence: progress}}))};
		case 'sink': {
			const offsets: unknown[] = [];
			const count = Math.max(1, spec.topics.length * spec.partitionsPerTopic);
			let index = 0;
			for (const topic of spec.topics) {
				for (let partition = 0; partition < spec.partitionsPerTopic; partition++, index++) {
					const share = Math.floor(progress / count) + (index < progress % count ? 1 : 0);
					offsets.push({partition: {kafka_topic: topic, kafka_partition: partition}, offset: {kafka_offset: share + ((salt >>> index % 16) % 997)}});
				}
			}
			return {offsets};
		}
	}
}

/** `GET /` */
export function serverInfoBody(seed: number, version = '3.9.0'): {version: string; commit: string; kafka_cluster_id: string} {
	const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
	let clusterId = '';
	for (let i = 0; i < 22; i++) clusterId += alphabet[hashString(`cluster:${seed}:${i}`) % 64] ?? 'A';
	return {version, commit: hex(seed ^ 0x3900, 16), kafka_cluster_id: clusterId};
}

export type Expansion = 'status' | 'info';

/**
 * `GET /connectors?expand=…`: serialized once per simulation version and expansion set,
 * so a 10,000-connector cluster costs one build per step, not one per request.
 */
export class ExpandedCache {
	private readonly entries = new Map<string, {readonly version: number; readonly json: string}>();

	constructor(private readonly cluster: SimCluster) {}

	json(expansions: readonly string[]): string {
		const key = expansions.join('&');
		const cached = this.entries.get(key);
		if (cached?.version === this.cluster.version) return cached.json;
		const parts: string[] = [];
		for (const connector of this.cluster.connectors) {
			const entry: Record<string, unknown> = {};
			for (const expansion of expansions) {
				if (expansion === 'status') entry['status'] = connectorStatusBody(this.cluster, connector);
				else if (expansion === 'info') entry['info'] = connectorInfoBody(connector);
			}
			parts.push(`${JSON.stringify(connector.spec.name)}:${JSON.stringify(entry)}`);
		}
		const json = `{${parts.join(',')}}`;
		this.entries.set(key, {version: this.cluster.version, json});
		return json;
	}
}
