import {showControl} from '../clients/errors.js';
import {groupFailures, groupTitle} from '../model/failures.js';
import {formatLag, formatRate} from '../model/format.js';
import {describeEvent, recentEvents, sinceOf, type Journal} from '../model/journal.js';
import {severityLabels, severityRank} from '../model/severity.js';
import type {ClusterSnapshot, ConnectorHistory} from '../model/types.js';
import {causeOf, stateText, tasksText} from './layout/columns.js';
import {sparkline} from './sparkline.js';

/**
 * The incident report (Markdown): the cluster, the time, the failing items with their
 * root causes and groups, the last transitions, and lag and rate histories as text
 * sparklines. Written by `P` in the live view and by `--once -o markdown`. Server strings
 * are made visible (control characters shown, never passed through); secrets are scrubbed
 * by the writer every output goes through.
 */
export interface ReportInput {
	readonly snapshot: ClusterSnapshot;
	readonly journal: Journal;
	readonly history: (connector: string) => ConnectorHistory;
	/** Time zone of "local" times (tests pin it); default the process's. */
	readonly timeZone?: string;
	/** Transitions listed at most. */
	readonly events?: number;
}

const sparkRamp = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'] as const;

/** Markdown-safe cell text: visible control characters, no pipe or newline breaking the table. */
function cell(text: string): string {
	return showControl(text).replace(/\|/g, '\\|').replace(/`/g, 'ʼ');
}

function stamp(at: number, timeZone: string | undefined): string {
	const local = new Date(at).toLocaleString('sv-SE', {timeZone, hour12: false});
	return `${local} local (${new Date(at).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC')})`;
}

export function incidentReport(input: ReportInput): string {
	const {snapshot, journal, timeZone} = input;
	const {cluster, totals} = snapshot;
	const since = (name: string): number | undefined => {
		const at = sinceOf(journal, 'connector', name);
		return at === undefined ? undefined : Math.max(0, snapshot.takenAt - at);
	};
	const lines: string[] = [
		`# kctop incident report: ${cell(cluster.kafkaClusterId ?? 'unknown cluster')}`,
		'',
		`- Taken: ${stamp(snapshot.takenAt, timeZone)}`,
		`- Kafka Connect ${cell(cluster.version ?? '?')}${snapshot.rest.endpoint === undefined ? '' : ` via ${cell(snapshot.rest.endpoint)}`}${snapshot.rest.stale ? ` (stale: ${cell(snapshot.rest.lastError ?? 'no answer')})` : ''}`,
		`- Connectors ${totals.connectors} (${Object.entries(totals.connectorsByState).map(([state, count]) => `${cell(state)} ${count}`).join(', ') || 'none'}), tasks ${totals.tasks}, failed tasks ${totals.failedTasks}`,
		`- Workers up ${totals.workersUp}/${totals.workersTotal}${totals.workersDown > 0 ? `, down ${totals.workersDown}` : ''}${totals.workersUnknown > 0 ? `, unknown ${totals.workersUnknown}` : ''}`,
		`- Metrics: ${snapshot.metrics === undefined ? 'none (REST only)' : `${snapshot.metrics.source}, profile ${cell(snapshot.profile)}${snapshot.metrics.pendingSince !== undefined ? ` (slow: ${cell(snapshot.metrics.lastError ?? 'no answer yet')})` : snapshot.metrics.stale || !snapshot.metrics.everSucceeded ? ` (failing: ${cell(snapshot.metrics.lastError ?? 'no answer')})` : ''}`}`,
		'',
	];

	const failing = snapshot.connectors.filter(row => row.severity !== 'fine');
	lines.push('## Not fine, worst first', '');
	if (failing.length === 0) {
		lines.push('Every connector is fine.', '');
	} else {
		lines.push('| connector | severity | state | tasks | root cause or problem | hint |', '|---|---|---|---|---|---|');
		const order = [...failing].sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || (a.name < b.name ? -1 : 1));
		for (const row of order) {
			const hint = row.hint ?? row.tasks.find(task => task.hint !== undefined)?.hint;
			lines.push(`| ${cell(row.name)} | ${severityLabels[row.severity]} | ${cell(stateText(row, since))} | ${tasksText(row)} | ${cell(causeOf(row))} | ${cell(hint?.text ?? '')} |`);
		}
		lines.push('');
	}

	const groups = groupFailures(snapshot.connectors);
	if (groups.length > 0) {
		lines.push('## Failures grouped by root cause', '');
		for (const group of groups) lines.push(`- ${cell(groupTitle(group))}${group.hint === undefined ? '' : `\n  - hint: ${cell(group.hint.text)}`}`);
		lines.push('');
	}

	const events = recentEvents(journal).slice(0, input.events ?? 30);
	lines.push('## Last transitions, newest first', '');
	if (events.length === 0) lines.push('None seen since kctop started watching.');
	for (const event of events) lines.push(`- ${stamp(event.at, timeZone)}: ${cell(describeEvent(event))}`);
	lines.push('');

	const charted = (failing.length > 0 ? failing : snapshot.connectors).slice(0, 20);
	lines.push('## Lag and rates over the history window', '', '```');
	for (const row of charted) {
		const history = input.history(row.name);
		lines.push(`${showControl(row.name)}`, `  lag  ${sparkline(history.lag, 40, sparkRamp)} now ${formatLag(row.lag, row.lagUnit)}`, `  rate ${sparkline(history.recordRate, 40, sparkRamp)} now ${formatRate(row.recordRate)}`);
	}
	lines.push('```', '');
	return lines.join('\n');
}
