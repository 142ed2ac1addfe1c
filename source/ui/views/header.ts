import {formatAge} from '../../model/format.js';
import {countBySeverity, severityLabels, stateRank, type Severity} from '../../model/severity.js';
import {restAnswersConflict} from '../../model/rebalance.js';
import type {ClusterSnapshot, SourceHealth} from '../../model/types.js';
import {fitLine, segment, type Line, type Segment} from '../lines.js';
import {displayWidth, safe} from '../text.js';
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
	/** Terminal columns: items are shrunk or dropped by priority to fit. Absent: everything, in full. */
	readonly width?: number | undefined;
	/** TLS verification is off (--insecure). */
	readonly insecure?: boolean | undefined;
	/** The named cluster of the config file in use (`--context`, `:ctx NAME`). */
	readonly context?: string | undefined;
	/** Since when a worker has been in its current up/down state (the journal's), when known. */
	readonly workerSince?: ((workerId: string) => number | undefined) | undefined;
}

/**
 * How long a header item survives a narrow terminal. When a line is too wide, the item with
 * the largest number goes first (shrunk to its `minWidth` if it has one, then dropped);
 * `marker` items are never dropped. Adding an item to a line is one entry in its list.
 */
export const headerPriority = {
	/** DEMO, FROZEN, REBALANCING, a stale or unavailable source, failed tasks: always visible. */
	marker: 0,
	/** What a failing source means for the screen, and the hint of what to do. */
	consequence: 1,
	/** Counts: workers up, connectors by state, tasks. */
	counts: 2,
	/** Why a source failed (the error text). */
	reason: 3,
	/** Connect version, profile, missing metrics, changes since freeze. */
	detail: 4,
	/** Long details: cluster id, endpoint URLs, source warnings. */
	long: 5,
	/** The refresh spinner: it comes back on the next refresh. */
	transient: 6,
} as const;

export interface HeaderItem {
	readonly priority: number;
	readonly segments: readonly Segment[];
	/** Shown before the item when another item precedes it on the line (a `·` separator). */
	readonly separator?: Segment | undefined;
	/** Cut (with …) down to this many columns before it is dropped; absent: dropped whole. */
	readonly minWidth?: number | undefined;
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
	/** The parts of `full`, for the banner: its label, the error, and the endpoint when the error does not name it. */
	readonly label: string;
	readonly reason: string | undefined;
	readonly endpoint: string | undefined;
	/** "2 warnings: …" after an ok source, undefined without warnings. */
	readonly warnings: string | undefined;
}

/** Freshness of one source relative to the snapshot's clock time. */
export function sourceStatus(health: SourceHealth, now: number, theme: Theme): SourceStatus {
	const name = sourceNames[health.source];
	const age = health.lastSuccessAt === undefined ? undefined : formatAge(Math.max(0, now - health.lastSuccessAt));
	const reason = safe(health.lastError ?? 'no answer yet');
	const endpoint = health.endpoint === undefined || health.endpoint === '' || reason.includes(health.endpoint) ? undefined : safe(health.endpoint);
	const error = withEndpoint(reason, health.endpoint);
	if (health.pendingSince !== undefined) {
		// The live view drew without the metrics answer, which is still out (StoreOptions.metricsWait).
		const out = formatAge(Math.max(0, now - health.pendingSince));
		const label = `${name} ${health.everSucceeded ? 'slow' : 'waiting'} ${out}`;
		return {short: segment(label, {color: theme.fg('yellow'), bold: true}), full: `${label}: ${error}`, problem: 'stale', label, reason, endpoint, warnings: undefined};
	}
	if (!health.everSucceeded) {
		if (health.lastAttemptAt === undefined && health.lastError === undefined) return {short: segment(`${name} waiting`, {dim: true}), full: `${name} waiting`, problem: 'none', label: `${name} waiting`, reason: undefined, endpoint: undefined, warnings: undefined};
		const label = health.source === 'rest' ? 'REST unavailable' : 'metrics unavailable';
		return {short: segment(label, {color: theme.fg('red'), bold: true}), full: `${label}: ${error}`, problem: 'unavailable', label, reason, endpoint, warnings: undefined};
	}
	if (health.stale) {
		const label = `${name} stale ${age ?? '?'}`;
		return {short: segment(label, {color: theme.fg('yellow'), bold: true}), full: `${label}: ${error}`, problem: 'stale', label, reason, endpoint, warnings: undefined};
	}
	if (health.staleSamples !== undefined) {
		// Prometheus answered, but with samples older than twice the scrape interval (a restarted Prometheus serves them for 5 minutes).
		const {rows, oldestMs, limitMs} = health.staleSamples;
		const oldest = formatAge(oldestMs + Math.max(0, now - (health.lastSuccessAt ?? now)));
		const label = `${name} stale ${oldest}`;
		const why = `${rows} series not scraped for ${oldest} (limit ${formatAge(limitMs)})`;
		return {short: segment(label, {color: theme.fg('yellow'), bold: true}), full: `${label}: ${why}`, problem: 'stale', label, reason: why, endpoint: undefined, warnings: undefined};
	}
	const warnings = health.warnings.length > 0 ? `${health.warnings.length} warning${health.warnings.length === 1 ? '' : 's'}: ${safe(health.warnings[0], 80)}` : undefined;
	const text = `${name} ok${age === undefined ? '' : ` ${age}`}`;
	return {
		short: segment(text, {color: warnings === undefined ? theme.fg('green') : theme.fg('yellow')}),
		full: warnings === undefined ? text : `${text} (${warnings})`,
		problem: 'none',
		label: text,
		reason: undefined,
		endpoint: undefined,
		warnings,
	};
}

/**
 * The metrics source answered without any series of some workers (model/carry-forward.ts):
 * "Prometheus partial: connect-2:8083 no samples 40s +1", the age counted from the last
 * answer that had them. Undefined when every worker's series came.
 */
export function partialStatus(snapshot: ClusterSnapshot, now: number, theme: Theme): SourceStatus | undefined {
	if (snapshot.metrics === undefined) return undefined;
	const missing = snapshot.workers.filter(worker => worker.metricsStale?.missing === true);
	const [first] = [...missing].sort((a, b) => (b.metricsStale?.ageMs ?? 0) - (a.metricsStale?.ageMs ?? 0));
	if (first === undefined) return undefined;
	const label = `${sourceNames[snapshot.metrics.source]} partial`;
	const age = formatAge((first.metricsStale?.ageMs ?? 0) + Math.max(0, now - snapshot.takenAt));
	const reason = `${safe(first.id)} no samples ${age}${missing.length > 1 ? ` +${missing.length - 1}` : ''}`;
	return {short: segment(label, {color: theme.fg('yellow'), bold: true}), full: `${label}: ${reason}`, problem: 'stale', label, reason, endpoint: undefined, warnings: undefined};
}

/** Whether the cluster is rebalancing: Connect answers 409 Conflict, or a worker's metric says so. */
export function isRebalancing(snapshot: ClusterSnapshot): boolean {
	return restAnswersConflict(snapshot.rest) || snapshot.workers.some(worker => worker.rebalancing === true);
}

function itemWidth(item: HeaderItem, first: boolean): number {
	const text = item.segments.map(part => part.text).join('') + (first || item.separator === undefined ? '' : item.separator.text);
	return displayWidth(text);
}

/**
 * One line from prioritized items, at most `width` columns when the markers fit: the least
 * important item is cut to its minWidth, then dropped, until the line fits. Order is kept.
 */
export function fitHeaderItems(items: readonly HeaderItem[], width: number | undefined): Line {
	let shown: HeaderItem[] = [...items];
	const total = (): number => shown.reduce((sum, item, index) => sum + itemWidth(item, index === 0), 0);
	// Nearly always the line fits as it is (measured once; the clock redraws this line every second).
	if (width === undefined || total() <= width) return joinItems(shown);
	while (total() > width) {
		let victim = -1;
		shown.forEach((item, index) => {
			if (item.priority > 0 && (victim === -1 || item.priority >= (shown[victim]?.priority ?? 0))) victim = index;
		});
		const item = shown[victim];
		if (item === undefined) break;
		const own = displayWidth(item.segments.map(part => part.text).join(''));
		const target = own - (total() - width);
		if (item.minWidth !== undefined && own > item.minWidth) {
			const cut = fitLine({segments: item.segments}, Math.max(item.minWidth, target)).segments;
			shown = shown.map((each, index) => (index === victim ? {...item, segments: cut, minWidth: undefined} : each));
		} else {
			shown = shown.filter((_, index) => index !== victim);
		}
	}
	return joinItems(shown);
}

function joinItems(shown: readonly HeaderItem[]): Line {
	return {segments: shown.flatMap((item, index) => (index === 0 || item.separator === undefined ? item.segments : [item.separator, ...item.segments]))};
}

/** countBySeverity of each snapshot's connectors, counted once: the clock redraws the header every second. */
const severityCountsOf = new WeakMap<ClusterSnapshot, ReturnType<typeof countBySeverity>>();
function severityCounts(snapshot: ClusterSnapshot): ReturnType<typeof countBySeverity> {
	let counts = severityCountsOf.get(snapshot);
	if (counts === undefined) {
		counts = countBySeverity(snapshot.connectors);
		severityCountsOf.set(snapshot, counts);
	}
	return counts;
}

/** 2–4 lines: identity and freshness, connectors by state, sources, and a banner when a source is stale. */
export function headerLines(input: HeaderInput): Line[] {
	const {snapshot, theme, width} = input;
	const p = headerPriority;
	const dot = segment(` ${theme.glyphs.separator} `, {dim: true});
	const space = segment(' ');
	const first: HeaderItem[] = [];
	if (input.demo) first.push({priority: p.marker, segments: [segment(' DEMO ', {inverse: true, bold: true, color: theme.fg('magenta')})]});
	if (input.insecure === true) first.push({priority: p.marker, segments: [segment(' INSECURE TLS ', {inverse: true, bold: true, color: theme.fg('red')})], separator: space});
	first.push({priority: p.marker, segments: [segment('kctop', {bold: true})], separator: space});
	if (input.context !== undefined) first.push({priority: p.consequence, segments: [segment(`ctx ${safe(input.context)}`, {bold: true, color: theme.fg('cyan')})], separator: space, minWidth: 8});
	if (snapshot === undefined) {
		first.push({priority: p.detail, segments: [segment('waiting for the first refresh…', {dim: true})], separator: dot, minWidth: 8});
		if (input.refreshing) first.push({priority: p.transient, segments: [segment(` ${theme.glyphs.refreshing}`, {color: theme.fg('cyan')})]});
		return [fitHeaderItems(first, width), {segments: [segment(' ')]}];
	}
	const {cluster, totals} = snapshot;
	const workersDown = totals.workersDown > 0;
	first.push(
		{priority: p.detail, segments: [segment(`Connect ${safe(cluster.version ?? '?')}`)], separator: dot},
		...(cluster.kafkaClusterId === undefined ? [] : [{priority: p.long, segments: [segment(`cluster ${safe(cluster.kafkaClusterId)}`)], separator: dot, minWidth: 12}]),
		{priority: workersDown ? p.marker : p.counts, segments: [segment(`workers ${totals.workersUp}/${totals.workersTotal}${totals.workersUnknown > 0 ? ` (${totals.workersUnknown} ?)` : ''}`, {color: workersDown ? theme.fg('red') : undefined, bold: workersDown})], separator: dot},
	);
	const down = snapshot.workers.filter(worker => worker.pairing !== 'unpaired' && worker.up === false);
	const [firstDown] = down;
	if (firstDown !== undefined) {
		// Which worker, since when and why: its exporter (or its own REST endpoint) stopped answering.
		const since = input.workerSince?.(firstDown.id);
		const age = since === undefined ? '' : ` ${formatAge(Math.max(0, (input.now ?? snapshot.takenAt) - since))}`;
		const why = firstDown.liveness === 'exporter' ? 'exporter not answering' : 'REST not answering';
		const more = down.length > 1 ? ` +${down.length - 1}` : '';
		first.push({priority: p.reason, segments: [segment(`${safe(firstDown.id)} down${age} (${why})${more}`, {color: theme.fg('red')})], separator: dot, minWidth: 12});
	}
	const unpaired = snapshot.unpairedInstances.length;
	if (unpaired > 0) first.push({priority: p.detail, segments: [segment(`${unpaired} exporter${unpaired === 1 ? '' : 's'} unpaired: --worker-map`, {color: theme.fg('yellow')})], separator: dot});
	if (isRebalancing(snapshot)) first.push({priority: p.marker, segments: [segment(' REBALANCING ', {inverse: true, bold: true, color: theme.fg('yellow')})], separator: dot});
	if (input.frozen !== undefined) {
		const changes = input.frozen.changesSinceFreeze;
		first.push(
			{priority: p.marker, segments: [segment(' FROZEN ', {inverse: true, bold: true, color: theme.fg('yellow')})], separator: dot},
			{priority: p.detail, segments: [segment(`${changes} change${changes === 1 ? '' : 's'} since freeze`, {color: theme.fg('yellow')})], separator: space, minWidth: `${changes} change`.length + 1},
		);
	}
	if (input.refreshing) first.push({priority: p.transient, segments: [segment(`${theme.glyphs.refreshing} refreshing`, {color: theme.fg('cyan')})], separator: space});

	const second: HeaderItem[] = [{priority: p.counts, segments: [segment(`connectors ${totals.connectors}`, {bold: true})]}];
	// Worst first, in the one severity order (model/severity.ts).
	const states = Object.keys(totals.connectorsByState).sort((a, b) => stateRank(a) - stateRank(b) || (a < b ? -1 : 1));
	for (const state of states) {
		const count = totals.connectorsByState[state] ?? 0;
		if (count > 0) second.push({priority: state === 'FAILED' ? p.marker : p.counts, segments: [segment(`${safe(state)} ${count}`, {color: theme.stateColor(state), bold: state === 'FAILED'})], separator: space});
	}
	const bySeverity = severityCounts(snapshot);
	for (const severity of severitiesBeyondState) {
		const count = bySeverity.get(severity) ?? 0;
		if (count > 0) second.push({priority: p.marker, segments: [segment(`${severityLabels[severity]} ${count}`, {color: theme.severityColor(severity), bold: true})], separator: space});
	}
	second.push({priority: p.counts, segments: [segment(`tasks ${totals.tasks}`)], separator: dot});
	second.push({priority: totals.failedTasks > 0 ? p.marker : p.counts, segments: [segment(`failed tasks ${totals.failedTasks}`, totals.failedTasks > 0 ? {color: theme.fg('red'), bold: true} : {dim: true})], separator: dot});

	const now = Math.max(input.now ?? snapshot.takenAt, snapshot.takenAt);
	const sourceItems = (status: SourceStatus): HeaderItem[] => [
		{priority: status.problem === 'none' ? p.counts : p.marker, segments: [status.short], separator: dot},
		...(status.warnings === undefined ? [] : [{priority: p.long, segments: [segment(`(${status.warnings})`, {color: theme.fg('yellow')})], separator: space, minWidth: 12}]),
	];
	const rest = sourceStatus(snapshot.rest, now, theme);
	const third: HeaderItem[] = sourceItems(rest);
	const banners: Line[] = [];
	/** `hint`: the consequence is what to try, which gives way before the reason (a hint without the reason misleads: a body over --max-body is no "nothing runs here"). */
	const banner = (status: SourceStatus, consequence: string, severe: boolean, hint = false): Line => {
		const style = {bold: true, inverse: true, color: theme.fg(severe ? 'red' : 'yellow')} as const;
		return fitHeaderItems(
			[
				{priority: p.marker, segments: [segment(`${theme.glyphs.warning} ${status.label}`, style)]},
				...(status.reason === undefined ? [] : [{priority: p.reason, segments: [segment(`: ${status.reason}`, style)], minWidth: 16}]),
				...(status.endpoint === undefined ? [] : [{priority: p.long, segments: [segment(` (${status.endpoint})`, style)], minWidth: 12}]),
				{priority: hint ? p.detail : p.consequence, segments: [segment(` — ${consequence}`, style)], minWidth: 12},
			],
			width,
		);
	};
	if (rest.problem !== 'none') {
		const hint = rest.problem === 'unavailable' && input.hint !== undefined;
		banners.push(banner(rest, rest.problem === 'stale' ? 'showing the last good data' : (input.hint ?? 'nothing to show yet'), rest.problem === 'unavailable' || snapshot.rest.consecutiveFailures >= 3, hint));
	}
	if (snapshot.metrics === undefined) {
		third.push({priority: p.detail, segments: [segment('metrics: none configured (REST only)', {dim: true})], separator: dot, minWidth: 8});
	} else {
		const answered = sourceStatus(snapshot.metrics, now, theme);
		const metrics = answered.problem === 'none' ? (partialStatus(snapshot, now, theme) ?? answered) : answered;
		third.push(...sourceItems(metrics));
		const consequence = metrics.problem === 'unavailable' || (snapshot.metrics.pendingSince !== undefined && !snapshot.metrics.everSucceeded) ? 'showing what REST knows' : snapshot.metrics.stale ? 'last good values shown' : 'old values marked ?';
		if (metrics.problem !== 'none') banners.push(banner(metrics, consequence, metrics.problem === 'unavailable'));
		const fit = snapshot.profileSummary;
		third.push({priority: p.detail, segments: [segment(`profile ${safe(snapshot.profile)}${fit === undefined ? '' : ` ${fit.resolved}/${fit.total} metrics`}`, {dim: true})], separator: dot});
		const gaps = (fit?.missing ?? []).filter(each => each.metric !== 'workerUp');
		if (gaps.length > 0) third.push({priority: p.long, segments: [segment(safe(`missing ${gaps.slice(0, 2).map(each => `${each.metric} (${each.series})`).join(', ')}${gaps.length > 2 ? ` +${gaps.length - 2} (-o json: profileMissing)` : ''}`), {color: theme.fg('yellow')})], separator: dot, minWidth: 12});
		else if (snapshot.missingMetrics.length > 0) third.push({priority: p.detail, segments: [segment(`${snapshot.missingMetrics.length} metric${snapshot.missingMetrics.length === 1 ? '' : 's'} missing`, {color: theme.fg('yellow')})], separator: dot});
	}
	// At most four lines: with two failing sources their banners replace the sources line.
	const lines: Line[] = [fitHeaderItems(first, width), fitHeaderItems(second, width)];
	if (banners.length < 2) lines.push(fitHeaderItems(third, width));
	lines.push(...banners);
	return lines;
}
