import type {ConnectorConfig} from '../clients/connect/schemas.js';

/**
 * Joins between what REST knows and what metrics are labelled with. Pure functions.
 */

/** Host part of "host:port", "http://host:port/…", "[::1]:8083"; lower-cased. */
export function hostOf(address: string): string {
	let text = address.trim();
	const scheme = text.indexOf('://');
	if (scheme !== -1) text = text.slice(scheme + 3);
	text = text.split('/')[0] ?? text;
	const at = text.lastIndexOf('@');
	if (at !== -1) text = text.slice(at + 1);
	if (text.startsWith('[')) return text.slice(1, text.indexOf(']') === -1 ? undefined : text.indexOf(']')).toLowerCase();
	const colon = text.lastIndexOf(':');
	if (colon !== -1 && text.indexOf(':') === colon) text = text.slice(0, colon);
	return text.toLowerCase();
}

/** How an exporter instance was paired with a REST worker, strongest evidence first. */
export type PairingEvidence = 'map' | 'label' | 'host' | 'assignment' | 'previous' | 'elimination';

export interface InstanceEvidence {
	readonly instance: string;
	/** The target's worker-id label, when Prometheus adds one. */
	readonly workerIdLabel: string | undefined;
	/** Connector instances (`name`) and tasks (`name/id`) whose metrics this exporter carries. */
	readonly items: ReadonlySet<string>;
}

export interface Pairing {
	/** instance → REST worker id. */
	readonly pairs: ReadonlyMap<string, string>;
	readonly evidence: ReadonlyMap<string, PairingEvidence>;
	/** Instances no evidence could pair, sorted. */
	readonly unpaired: readonly string[];
}

/** The key of a connector instance or task in the assignment sets. */
export function itemKey(connector: string, task?: number): string {
	return task === undefined ? connector : `${connector}/${task}`;
}

/**
 * Pairs exporter instances with REST workers. Order of preference:
 * 1. an explicit map (flag `--worker-map instance=worker_id`),
 * 2. the target's worker-id label (prometheus.yml in this repo sets `worker_id`),
 * 3. the same host name, or the same first DNS label (connect-1 vs connect-1.connect.svc),
 *    only when exactly one worker and one instance share it,
 * 4. the assignment: the worker whose connectors and tasks (REST) the instance's per-task
 *    metrics carry, when one worker overlaps more than any other (several workers on one
 *    host; Kubernetes pod IPs against advertised names),
 * 5. the previous refresh's pairing, when the worker is still free (a worker between
 *    assignments during a rebalance, a dead worker whose metrics are gone, even once
 *    REST has stopped naming it),
 * 6. elimination: one instance and one worker left, unless the instance carries only
 *    items REST places elsewhere.
 * An instance none of these decides stays unpaired: it is never made a worker of its own.
 */
export function pairInstances(
	instances: readonly InstanceEvidence[],
	assignments: ReadonlyMap<string, ReadonlySet<string>>,
	explicit: ReadonlyMap<string, string>,
	previous: ReadonlyMap<string, string> = new Map(),
): Pairing {
	const pairs = new Map<string, string>();
	const evidence = new Map<string, PairingEvidence>();
	const workerIds = [...assignments.keys()];
	const taken = new Set<string>();
	const pair = (instance: string, worker: string, how: PairingEvidence): void => {
		pairs.set(instance, worker);
		evidence.set(instance, how);
		taken.add(worker);
	};
	const open = (): InstanceEvidence[] => instances.filter(each => !pairs.has(each.instance));
	const free = (): string[] => workerIds.filter(id => !taken.has(id));

	for (const {instance, workerIdLabel} of instances) {
		const mapped = explicit.get(instance);
		if (mapped !== undefined) pair(instance, mapped, 'map');
		else if (workerIdLabel !== undefined && workerIdLabel !== '') pair(instance, workerIdLabel, 'label');
	}

	const instancesByHost = groupBy(open().map(each => each.instance), hostOf);
	const instancesByLabel = groupBy(open().map(each => each.instance), instance => firstLabel(hostOf(instance)));
	const byHost = groupBy(free(), id => hostOf(id));
	const byLabel = groupBy(free(), id => firstLabel(hostOf(id)));
	for (const {instance} of open()) {
		const host = hostOf(instance);
		const sameHost = byHost.get(host) ?? [];
		const sameLabel = byLabel.get(firstLabel(host)) ?? [];
		if (sameHost.length === 1 && sameHost[0] !== undefined && instancesByHost.get(host)?.length === 1 && !taken.has(sameHost[0])) pair(instance, sameHost[0], 'host');
		else if (sameHost.length === 0 && !isIp(host) && sameLabel.length === 1 && sameLabel[0] !== undefined && instancesByLabel.get(firstLabel(host))?.length === 1 && !taken.has(sameLabel[0])) pair(instance, sameLabel[0], 'host');
		else if (assignments.has(instance) && !taken.has(instance)) pair(instance, instance, 'host');
	}

	// The assignment: best overlaps first; a tie between two workers decides nothing.
	const candidates: Array<{instance: string; worker: string; overlap: number}> = [];
	for (const {instance, items} of open()) {
		for (const worker of free()) {
			let overlap = 0;
			for (const item of assignments.get(worker) ?? []) if (items.has(item)) overlap++;
			if (overlap > 0) candidates.push({instance, worker, overlap});
		}
	}
	candidates.sort((a, b) => b.overlap - a.overlap);
	const tied = (candidate: {instance: string; worker: string; overlap: number}): boolean =>
		candidates.some(other => other !== candidate && other.overlap === candidate.overlap && !pairs.has(other.instance) && !taken.has(other.worker) && (other.instance === candidate.instance || other.worker === candidate.worker));
	for (const candidate of candidates) {
		if (pairs.has(candidate.instance) || taken.has(candidate.worker) || tied(candidate)) continue;
		pair(candidate.instance, candidate.worker, 'assignment');
	}

	for (const {instance} of open()) {
		const before = previous.get(instance);
		if (before !== undefined && !taken.has(before)) pair(instance, before, 'previous');
	}

	const [lastInstance, ...moreInstances] = open();
	const [lastWorker, ...moreWorkers] = free();
	// Unless what the instance carries belongs elsewhere.
	const fits = (instance: InstanceEvidence, worker: string): boolean => instance.items.size === 0 || [...instance.items].some(item => assignments.get(worker)?.has(item) === true);
	if (lastInstance !== undefined && lastWorker !== undefined && moreInstances.length === 0 && moreWorkers.length === 0 && fits(lastInstance, lastWorker)) pair(lastInstance.instance, lastWorker, 'elimination');

	return {pairs, evidence, unpaired: open().map(each => each.instance).sort()};
}

function firstLabel(host: string): string {
	return isIp(host) ? host : (host.split('.')[0] ?? host);
}

function isIp(host: string): boolean {
	return /^\d{1,3}(?:\.\d{1,3}){3}$/.test(host) || host.includes(':');
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
	const map = new Map<string, T[]>();
	for (const item of items) {
		const k = key(item);
		const list = map.get(k);
		if (list) list.push(item);
		else map.set(k, [item]);
	}
	return map;
}

/**
 * The Debezium logical server name of a connector: the `server` label of its metrics.
 * topic.prefix (Debezium 2.x+), database.server.name (1.x), mongodb.name (MongoDB 1.x).
 * undefined for connectors that are not Debezium.
 */
export function debeziumServerOf(config: ConnectorConfig): string | undefined {
	const className = config['connector.class'] ?? '';
	if (!isDebeziumClass(className)) return undefined;
	return nonEmpty(config['topic.prefix']) ?? nonEmpty(config['database.server.name']) ?? nonEmpty(config['mongodb.name']);
}

export function isDebeziumClass(className: string): boolean {
	return className.startsWith('io.debezium.');
}

/** mysql, postgres (postgresql package), sql_server (sqlserver package), mongodb, oracle, mariadb, db2… */
export function debeziumPluginOf(className: string): string | undefined {
	const match = /^io\.debezium\.connector\.([a-z0-9_]+)\./.exec(className);
	if (!match?.[1]) return undefined;
	const pkg = match[1];
	if (pkg === 'postgresql') return 'postgres';
	if (pkg === 'sqlserver') return 'sql_server';
	return pkg;
}

/**
 * Normalises a Debezium `server` label: strips surrounding quotes (jmx_exporter copies
 * quoted MBean values) and anything a greedy rule swallowed after ", " (custom tags,
 * MongoDB's `task=`; see reference §3.6 (c)).
 */
export function normaliseServerLabel(value: string): string {
	if (value.startsWith('"')) {
		// A quoted MBean value: take it up to its closing (unescaped) quote.
		for (let i = 1; i < value.length; i++) {
			if (value[i] === '\\') i++;
			else if (value[i] === '"') return value.slice(1, i).replace(/\\(.)/g, '$1');
		}
	}
	const comma = value.indexOf(', ');
	return comma === -1 ? value : value.slice(0, comma);
}

function nonEmpty(value: string | undefined): string | undefined {
	return value === undefined || value.trim() === '' ? undefined : value;
}
