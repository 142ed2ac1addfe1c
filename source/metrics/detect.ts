import type {PrometheusClient} from '../clients/prometheus/client.js';
import {catalog} from './catalog.js';
import {compilePromRegex} from './evaluate-samples.js';
import {kctopProfile} from './profiles/default.js';
import {quotePromQLString, selectorToString} from './promql.js';
import type {LogicalMetricId, MissingMetric, NamingProfile, ProfileMatch, ProfileSummary, SeriesSelector} from './types.js';
import {logicalMetricIds, scoredMetricIds} from './types.js';

/**
 * Which naming profile fits the series an exporter publishes. A profile scores one point
 * per logical metric at least one of whose series names is present; the best score wins,
 * ties go to the earlier candidate. Pure, except `namesFromPrometheus` (one request).
 */

function selectorsOf(profile: NamingProfile, id: LogicalMetricId): readonly SeriesSelector[] {
	return profile.metrics[id]?.series ?? [];
}

function present(selector: SeriesSelector, names: ReadonlySet<string>): boolean {
	if (selector.nameRegex !== true) {
		return names.has(selector.name);
	}

	const pattern = compilePromRegex(selector.name);
	for (const name of names) {
		if (pattern.test(name)) {
			return true;
		}
	}

	return false;
}

/**
 * What a missing metric would need: the profile's first series for it (or, when the
 * profile's rules cannot produce it, the series this repository's rules give it), and the
 * MBean attribute behind it.
 */
export function missingMetric(profile: NamingProfile, id: LogicalMetricId): MissingMetric {
	const first = selectorsOf(profile, id)[0] ?? selectorsOf(kctopProfile, id)[0];
	return {metric: id, series: first === undefined ? '-' : selectorToString(first), rule: catalog[id].rule};
}

/** How many of the logical metrics `profile` resolves from `names`, and what it lacks. */
export function scoreProfile(profile: NamingProfile, names: ReadonlySet<string>, detected: boolean): ProfileMatch {
	const resolved: LogicalMetricId[] = [];
	const missing: MissingMetric[] = [];
	for (const id of scoredMetricIds) {
		if (selectorsOf(profile, id).some((selector) => present(selector, names))) {
			resolved.push(id);
		} else {
			missing.push(missingMetric(profile, id));
		}
	}

	return {profile, detected, resolved, missing, total: scoredMetricIds.length};
}

/**
 * The best-scoring candidate for the names present. With one candidate (a forced
 * profile) this only scores it. `candidates` must not be empty.
 */
export function detectProfile(names: ReadonlySet<string>, candidates: readonly NamingProfile[]): ProfileMatch {
	const detected = candidates.length > 1;
	let best: ProfileMatch | undefined;
	for (const candidate of candidates) {
		const match = scoreProfile(candidate, names, detected);
		if (best === undefined || match.resolved.length > best.resolved.length) {
			best = match;
		}
	}

	if (best === undefined) {
		throw new Error('detectProfile needs at least one candidate');
	}

	return best;
}

/**
 * Whether a match rests on Connect's own metrics (worker, connector or task series other
 * than `up` and sink lag, which every profile reads alike). Until it does, a source keeps
 * detecting: a worker that is still starting may publish only some of its series.
 */
export function resolvesConnect(match: ProfileMatch): boolean {
	return match.resolved.some((id) => id !== 'workerUp' && id !== 'sinkLag' && catalog[id].entity !== 'dbz-server');
}

function escapeRegex(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The `match[]` selector that restricts a label-values call to the candidates' series names. */
export function candidateNamesSelector(candidates: readonly NamingProfile[]): string {
	const alternatives = new Set<string>();
	for (const profile of candidates) {
		for (const id of logicalMetricIds) {
			for (const selector of selectorsOf(profile, id)) {
				alternatives.add(selector.nameRegex === true ? `(?:${selector.name})` : escapeRegex(selector.name));
			}
		}
	}

	return `{__name__=~${quotePromQLString([...alternatives].join('|'))}}`;
}

/**
 * The candidates' series names Prometheus has, in one label-values call restricted to
 * those names (a large Prometheus answers with a short list).
 */
export async function namesFromPrometheus(client: Pick<PrometheusClient, 'labelValues'>, candidates: readonly NamingProfile[], signal?: AbortSignal): Promise<Set<string>> {
	const names = await client.labelValues('__name__', {match: [candidateNamesSelector(candidates)], signal});
	return new Set(names);
}

export async function detectProfileFromPrometheus(
	client: Pick<PrometheusClient, 'labelValues'>,
	candidates: readonly NamingProfile[],
	signal?: AbortSignal,
): Promise<ProfileMatch> {
	return detectProfile(await namesFromPrometheus(client, candidates, signal), candidates);
}

export function summarizeMatch(match: ProfileMatch): ProfileSummary {
	return {detected: match.detected, resolved: match.resolved.length, total: match.total, missing: match.missing};
}
