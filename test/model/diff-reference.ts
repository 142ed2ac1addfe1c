import {sameVisibleState} from '../../source/model/diff.js';
import type {ClusterSnapshot, ConnectorRow} from '../../source/model/types.js';

/**
 * changedConnectors as it was before it walked two name-sorted lists side by side (it
 * indexed the previous rows in a Map on every refresh): the reference diff.equal.test.ts
 * holds the new one equal to, Set order included.
 */
export function referenceChangedConnectors(before: ClusterSnapshot, after: ClusterSnapshot): Set<string> {
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
