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

/**
 * Matches Prometheus instances to REST worker ids. Order of preference:
 * 1. an explicit map (flag `--worker-map instance=worker_id`),
 * 2. the target's worker-id label (prometheus.yml in this repo sets `worker_id`),
 * 3. the same host name, or the same first DNS label (connect-1 vs connect-1.connect.svc),
 *    only when that match is unambiguous.
 * Returns instance → worker id for the instances it could match.
 */
export function matchInstancesToWorkers(
	instances: ReadonlyArray<{readonly instance: string; readonly workerIdLabel: string | undefined}>,
	workerIds: readonly string[],
	explicit: ReadonlyMap<string, string>,
): Map<string, string> {
	const result = new Map<string, string>();
	const known = new Set(workerIds);
	const byHost = groupBy(workerIds, id => hostOf(id));
	const byLabel = groupBy(workerIds, id => firstLabel(hostOf(id)));
	for (const {instance, workerIdLabel} of instances) {
		const mapped = explicit.get(instance);
		if (mapped !== undefined) {
			result.set(instance, mapped);
			continue;
		}
		if (workerIdLabel !== undefined && workerIdLabel !== '') {
			result.set(instance, workerIdLabel);
			continue;
		}
		const host = hostOf(instance);
		const sameHost = byHost.get(host) ?? [];
		if (sameHost.length === 1 && sameHost[0] !== undefined) {
			result.set(instance, sameHost[0]);
			continue;
		}
		const sameLabel = byLabel.get(firstLabel(host)) ?? [];
		if (sameHost.length === 0 && sameLabel.length === 1 && sameLabel[0] !== undefined && !isIp(host)) result.set(instance, sameLabel[0]);
		else if (known.has(instance)) result.set(instance, instance);
	}
	return result;
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
