import type {ClusterSnapshot, ConnectorRow} from './types.js';

/**
 * What changed between two snapshots, by connector name: appeared, vanished, or a
 * different state, task states, task placement or health. Used for the "N changes
 * since freeze" counter. Cost is linear in the number of connectors.
 */
export function changedConnectors(before: ClusterSnapshot, after: ClusterSnapshot): Set<string> {
	if (strictlyAscending(before.connectors) && strictlyAscending(after.connectors)) return mergedChanges(before.connectors, after.connectors);
	return changedByMap(before, after);
}

/** The general walk, for rows in any order or with a name twice: the previous rows in a Map by name. Exported for the test that holds the side-by-side walk equal to it. */
export function changedByMap(before: ClusterSnapshot, after: ClusterSnapshot): Set<string> {
	const changed = new Set<string>();
	const previous = new Map<string, ConnectorRow>();
	for (const row of before.connectors) previous.set(row.name, row);
	for (const row of after.connectors) {
		const old = previous.get(row.name);
		if (old === undefined || (old !== row && !sameVisibleState(old, row))) changed.add(row.name);
		previous.delete(row.name);
	}
	for (const name of previous.keys()) changed.add(name);
	return changed;
}

/**
 * The same answer for two lists sorted by name with no name twice (as buildSnapshot makes
 * them), walked side by side: no Map of the previous rows per refresh. Changed rows in the
 * order of `after`, then the vanished ones in the order of `before`, as the Map walk gave them.
 */
function mergedChanges(before: readonly ConnectorRow[], after: readonly ConnectorRow[]): Set<string> {
	const changed = new Set<string>();
	const vanished: string[] = [];
	let at = 0;
	for (const row of after) {
		let old = before[at];
		while (old !== undefined && old.name < row.name) {
			vanished.push(old.name);
			at += 1;
			old = before[at];
		}
		if (old === undefined || old.name !== row.name) changed.add(row.name);
		else {
			at += 1;
			if (old !== row && !sameVisibleState(old, row)) changed.add(row.name);
		}
	}
	for (; at < before.length; at++) vanished.push(before[at]?.name ?? '');
	for (const name of vanished) changed.add(name);
	return changed;
}

/** Names strictly ascending: sorted, no name twice (as buildSnapshot makes the rows). */
export function strictlyAscending(rows: readonly ConnectorRow[]): boolean {
	for (let i = 1; i < rows.length; i++) if (!((rows[i - 1]?.name ?? '') < (rows[i]?.name ?? ''))) return false;
	return true;
}

/**
 * Same state, health, placement, Debezium connection and task states and placement (a
 * missing worker and an empty one are the same). Compared field by field: at thousands of
 * connectors, a string per row and refresh was most of the diff's cost.
 */
export function sameVisibleState(a: ConnectorRow, b: ConnectorRow): boolean {
	if (a.state !== b.state || a.health !== b.health || (a.workerId ?? '') !== (b.workerId ?? '') || a.debezium?.connected !== b.debezium?.connected) return false;
	if (a.tasks.length !== b.tasks.length) return false;
	for (let i = 0; i < a.tasks.length; i++) {
		const x = a.tasks[i];
		const y = b.tasks[i];
		if (x === y) continue;
		if (x === undefined || y === undefined || x.id !== y.id || x.state !== y.state || (x.workerId ?? '') !== (y.workerId ?? '')) return false;
	}
	return true;
}
