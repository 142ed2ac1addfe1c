import type {ClusterSnapshot, ConnectorRow} from './types.js';

/**
 * What changed between two snapshots, by connector name: appeared, vanished, or a
 * different state, task states, task placement or health. Used for the "N changes
 * since freeze" counter. Cost is linear in the number of connectors.
 */
export function changedConnectors(before: ClusterSnapshot, after: ClusterSnapshot): Set<string> {
	const changed = new Set<string>();
	const previous = new Map<string, ConnectorRow>();
	for (const row of before.connectors) previous.set(row.name, row);
	for (const row of after.connectors) {
		const old = previous.get(row.name);
		if (old === undefined || fingerprint(old) !== fingerprint(row)) changed.add(row.name);
		previous.delete(row.name);
	}
	for (const name of previous.keys()) changed.add(name);
	return changed;
}

function fingerprint(row: ConnectorRow): string {
	let text = `${row.state}|${row.health}|${row.workerId ?? ''}|${row.debezium?.connected ?? ''}`;
	for (const task of row.tasks) text += `|${task.id}:${task.state}@${task.workerId ?? ''}`;
	return text;
}
