import type {ClusterSnapshot, HealthLevel} from './types.js';

/**
 * `kctop check`: one verdict for cron and CI. Exit 0 ok, 1 warning, 2 critical, with one
 * line per finding, most severe first. Pure over a snapshot.
 */
export interface CheckFinding {
	readonly level: Exclude<HealthLevel, 'ok'>;
	readonly text: string;
}

export interface CheckResult {
	readonly level: HealthLevel;
	readonly exitCode: 0 | 1 | 2;
	readonly findings: readonly CheckFinding[];
}

export function checkSnapshot(snapshot: ClusterSnapshot): CheckResult {
	const findings: CheckFinding[] = [];
	if (!snapshot.rest.everSucceeded) findings.push({level: 'crit', text: `Kafka Connect REST unreachable: ${snapshot.rest.lastError ?? 'no answer'}`});
	if (snapshot.metrics && !snapshot.metrics.everSucceeded) findings.push({level: 'warn', text: `metrics unavailable: ${snapshot.metrics.lastError ?? 'no answer'}`});
	// A worker is down when its exporter's `up` says so (never because of the items it hosts);
	// an exporter no evidence pairs with a worker cannot name one.
	for (const worker of snapshot.workers) {
		if (worker.up !== false) continue;
		if (worker.pairing === 'unpaired') findings.push({level: 'warn', text: `exporter ${worker.id} is down and not paired with a worker (pair it with --worker-map)`});
		else findings.push({level: 'crit', text: `worker ${worker.id} is down`});
	}
	for (const connector of snapshot.connectors) {
		if (connector.health === 'ok') continue;
		findings.push({level: connector.health, text: `${connector.name}: ${connector.problems.join('; ')}`});
	}
	findings.sort((a, b) => (a.level === b.level ? 0 : a.level === 'crit' ? -1 : 1));
	const level: HealthLevel = findings.some(f => f.level === 'crit') ? 'crit' : findings.length > 0 ? 'warn' : 'ok';
	return {level, exitCode: level === 'crit' ? 2 : level === 'warn' ? 1 : 0, findings};
}
