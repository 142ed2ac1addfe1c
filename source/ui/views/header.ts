import {formatAge} from '../../model/format.js';
import {countBySeverity, severityLabels, stateRank, type Severity} from '../../model/severity.js';
import type {ClusterSnapshot, SourceHealth} from '../../model/types.js';
import {segment, type Line, type Segment} from '../lines.js';
import {safe} from '../text.js';
import type {Theme} from '../theme.js';

export interface HeaderInput {
	readonly snapshot: ClusterSnapshot | undefined;
	readonly demo: boolean;
	readonly refreshing: boolean;
	readonly frozen: {readonly at: number; readonly changesSinceFreeze: number} | undefined;
	readonly theme: Theme;
	/** Clock time for ages; the snapshot's own time when absent. */
	readonly now?: number | undefined;
	/** Shown in the banner while Connect has never answered. */
	readonly hint?: string | undefined;
}

/** Counted in the header besides the states, which do not show them. */
const severitiesBeyondState: readonly Severity[] = ['worker-down', 'disconnected', 'lagging'];

const sourceNames: Readonly<Record<SourceHealth['source'], string>> = {rest: 'REST', prometheus: 'Prometheus', scrape: 'scrape'};

function withEndpoint(error: string, endpoint: string | undefined): string {
	if (endpoint === undefined || endpoint === '' || error.includes(endpoint)) return error;
	return `${error} (${safe(endpoint)})`;
}

export interface SourceStatus {
	/** Short form for the sources line: "REST ok 1s", "REST stale 34s", "metrics unavailable". */
	readonly short: Segment;
	/** Full form with the reason: "REST stale 34s: connection refused (http://c1:8083)". */
	readonly full: string;
	readonly problem: 'none' | 'stale' | 'unavailable';
}

/** Freshness of one source relative to the snapshot's clock time. */
export function sourceStatus(health: SourceHealth, now: number, theme: Theme): SourceStatus {
	const name = sourceNames[health.source];
	const age = health.lastSuccessAt === undefined ? undefined : formatAge(Math.max(0, now - health.lastSuccessAt));
	const error = withEndpoint(safe(health.lastError ?? 'no answer yet'), health.endpoint);
	if (!health.everSucceeded) {
		if (health.lastAttemptAt === undefined && health.lastError === undefined) return {short: segment(`${name} waiting`, {dim: true}), full: `${name} waiting`, problem: 'none'};
		const label = health.source === 'rest' ? 'REST unavailable' : 'metrics unavailable';
		return {short: segment(label, {color: theme.fg('red'), bold: true}), full: `${label}: ${error}`, problem: 'unavailable'};
	}
	if (health.stale) {
		const label = `${name} stale ${age ?? '?'}`;
		return {short: segment(label, {color: theme.fg('yellow'), bold: true}), full: `${label}: ${error}`, problem: 'stale'};
	}
	const warnings = health.warnings.length > 0 ? ` (${health.warnings.length} warning${health.warnings.length === 1 ? '' : 's'}: ${safe(health.warnings[0], 80)})` : '';
	const text = `${name} ok${age === undefined ? '' : ` ${age}`}${warnings}`;
	return {short: segment(text, {color: health.warnings.length > 0 ? theme.fg('yellow') : theme.fg('green')}), full: text, problem: 'none'};
}

/** 2–4 lines: identity and freshness, connectors by state, sources, and a banner when a source is stale. */
export function headerLines(input: HeaderInput): Line[] {
	const {snapshot, theme} = input;
	const dot = segment(` ${theme.glyphs.separator} `, {dim: true});
	const first: Segment[] = [];
	if (input.demo) first.push(segment(' DEMO ', {inverse: true, bold: true, color: theme.fg('magenta')}), segment(' '));
	first.push(segment('kctop', {bold: true}));
	if (snapshot === undefined) {
		first.push(dot, segment('waiting for the first refresh…', {dim: true}));
		if (input.refreshing) first.push(segment(` ${theme.glyphs.refreshing}`, {color: theme.fg('cyan')}));
		return [{segments: first}, {segments: [segment(' ')]}];
	}
	const {cluster, totals} = snapshot;
	first.push(dot, segment(`Connect ${safe(cluster.version ?? '?')}`));
	if (cluster.kafkaClusterId !== undefined) first.push(dot, segment(`cluster ${safe(cluster.kafkaClusterId)}`));
	first.push(dot, segment(`workers ${totals.workersUp}/${totals.workersTotal}`, {color: totals.workersUp < totals.workersTotal ? theme.fg('red') : undefined, bold: totals.workersUp < totals.workersTotal}));
	if (input.frozen !== undefined) {
		first.push(dot, segment(' FROZEN ', {inverse: true, bold: true, color: theme.fg('yellow')}), segment(` ${input.frozen.changesSinceFreeze} change${input.frozen.changesSinceFreeze === 1 ? '' : 's'} since freeze`, {color: theme.fg('yellow')}));
	}
	if (input.refreshing) first.push(segment(` ${theme.glyphs.refreshing} refreshing`, {color: theme.fg('cyan')}));

	const second: Segment[] = [segment(`connectors ${totals.connectors}`, {bold: true})];
	// Worst first, in the one severity order (model/severity.ts).
	const states = Object.keys(totals.connectorsByState).sort((a, b) => stateRank(a) - stateRank(b) || (a < b ? -1 : 1));
	for (const state of states) {
		const count = totals.connectorsByState[state] ?? 0;
		if (count > 0) second.push(segment(' '), segment(`${safe(state)} ${count}`, {color: theme.stateColor(state), bold: state === 'FAILED'}));
	}
	const bySeverity = countBySeverity(snapshot.connectors);
	for (const severity of severitiesBeyondState) {
		const count = bySeverity.get(severity) ?? 0;
		if (count > 0) second.push(segment(' '), segment(`${severityLabels[severity]} ${count}`, {color: theme.severityColor(severity), bold: true}));
	}
	second.push(dot, segment(`tasks ${totals.tasks}`));
	second.push(dot, segment(`failed tasks ${totals.failedTasks}`, totals.failedTasks > 0 ? {color: theme.fg('red'), bold: true} : {dim: true}));

	const now = Math.max(input.now ?? snapshot.takenAt, snapshot.takenAt);
	const rest = sourceStatus(snapshot.rest, now, theme);
	const third: Segment[] = [rest.short];
	const banners: Line[] = [];
	const banner = (status: SourceStatus, consequence: string, severe: boolean): Line => ({
		segments: [segment(`${theme.glyphs.warning} ${status.full} — ${consequence}`, {bold: true, inverse: true, color: theme.fg(severe ? 'red' : 'yellow')})],
	});
	if (rest.problem !== 'none') banners.push(banner(rest, rest.problem === 'stale' ? 'showing the last good data' : (input.hint ?? 'nothing to show yet'), rest.problem === 'unavailable' || snapshot.rest.consecutiveFailures >= 3));
	if (snapshot.metrics === undefined) {
		third.push(dot, segment('metrics: none configured (REST only)', {dim: true}));
	} else {
		const metrics = sourceStatus(snapshot.metrics, now, theme);
		third.push(dot, metrics.short);
		if (metrics.problem !== 'none') banners.push(banner(metrics, metrics.problem === 'stale' ? 'lag and rates are from the last good answer' : 'showing what REST knows', metrics.problem === 'unavailable'));
		third.push(dot, segment(`profile ${safe(snapshot.profile)}`, {dim: true}));
		if (snapshot.missingMetrics.length > 0) third.push(dot, segment(`${snapshot.missingMetrics.length} metric${snapshot.missingMetrics.length === 1 ? '' : 's'} missing`, {color: theme.fg('yellow')}));
	}
	// At most four lines: with two failing sources their banners replace the sources line.
	const lines: Line[] = [{segments: first}, {segments: second}];
	if (banners.length < 2) lines.push({segments: third});
	lines.push(...banners);
	return lines;
}
