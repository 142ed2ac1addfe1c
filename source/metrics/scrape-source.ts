import type {ScrapeClient, ScrapeOutcome} from '../clients/scrape/client.js';
import {KctopError, oneLine} from '../clients/errors.js';
import {detectProfile, resolvesConnect} from './detect.js';
import {compilePromRegex, emptyCounterState, evaluateScrapes} from './evaluate-samples.js';
import type {CounterState, EndpointScrape} from './evaluate-samples.js';
import {candidatesOf, type MetricsFetch, type MetricsSource, type ProfileChoice} from './source.js';
import type {MetricHistory, NamingProfile, ProfileMatch} from './types.js';

export interface ScrapeSourceOptions {
	readonly client: ScrapeClient;
	/** A forced profile, or the candidates to detect among (from the names scraped). */
	readonly profile: ProfileChoice;
	/** For the header; defaults to "scrape of N endpoints". */
	readonly description?: string;
}

function reasonOf(outcome: ScrapeOutcome): string {
	return outcome.error?.message ?? 'no answer';
}

function toEndpoint(outcome: ScrapeOutcome, now: number): EndpointScrape {
	const result = outcome.result;
	if (result === undefined || outcome.error !== undefined) {
		return {instance: outcome.instance, up: false, samples: [], at: now};
	}

	return {instance: outcome.instance, up: true, samples: result.exposition.samples, at: result.at};
}

/** The series names of the endpoints that answered, parsed or skipped, plus `up` when one did (what workerUp reads). */
export function scrapedNames(outcomes: readonly ScrapeOutcome[]): Set<string> {
	const names = new Set<string>();
	for (const outcome of outcomes) {
		if (outcome.result !== undefined && outcome.error === undefined) {
			names.add('up');
			for (const name of outcome.result.exposition.names) {
				names.add(name);
			}
		}
	}

	return names;
}

/**
 * The sample names a profile reads: its selectors' names, and names its regular
 * expressions match (each name is tested once). Everything else is skipped unparsed.
 */
export function profileNames(profile: NamingProfile): (name: string) => boolean {
	const exact = new Set<string>();
	const patterns: RegExp[] = [];
	for (const definition of Object.values(profile.metrics)) {
		for (const selector of definition?.series ?? []) {
			if (selector.nameRegex === true) patterns.push(compilePromRegex(selector.name));
			else exact.add(selector.name);
		}
	}
	const decided = new Map<string, boolean>();
	return name => {
		if (exact.has(name)) return true;
		let kept = decided.get(name);
		if (kept === undefined) {
			kept = patterns.some(pattern => pattern.test(name));
			decided.set(name, kept);
		}
		return kept;
	};
}

/** The sample names one of the candidate profiles reads (detection itself needs only the names, which are listed whether parsed or not). */
export function candidateNames(candidates: readonly NamingProfile[]): (name: string) => boolean {
	const each = candidates.map(profileNames);
	return name => each.some(keep => keep(name));
}

/**
 * Reads the profile's logical metrics by scraping every worker's exporter endpoint
 * directly (no Prometheus). Rates come from the counters of the previous call, so the
 * first fetch has no rates. An endpoint that fails counts as workerUp 0 and adds a
 * warning; when every endpoint fails, `fetch` throws. The profile is chosen from the
 * names scraped, again on every fetch until the choice rests on Connect's own series.
 */
export function createScrapeSource(options: ScrapeSourceOptions): MetricsSource {
	const {client} = options;
	const candidates = candidatesOf(options.profile);
	let state: CounterState = emptyCounterState;
	let match: ProfileMatch | undefined;
	// Until the profile is settled, the samples any candidate reads are parsed; then only its own.
	const anyCandidate = candidateNames(candidates);
	let keep: {readonly profile: NamingProfile; readonly names: (name: string) => boolean} | undefined;

	return {
		kind: 'scrape',
		description: options.description ?? `scrape of ${client.urls.length} endpoint${client.urls.length === 1 ? '' : 's'}`,

		async fetch(now: number, signal?: AbortSignal): Promise<MetricsFetch> {
			const outcomes = await client.scrapeAll(now, signal, keep?.names ?? anyCandidate);
			const failed = outcomes.filter((outcome) => outcome.result === undefined || outcome.error !== undefined);
			const first = failed[0];
			if (first !== undefined && failed.length === outcomes.length) {
				throw new KctopError(
					{
						kind: 'connection',
						source: 'scrape',
						message: `all ${failed.length} scrape endpoint${failed.length === 1 ? '' : 's'} failed; first: ${first.instance}: ${reasonOf(first)}`,
					},
					{cause: first.error},
				);
			}

			if (outcomes.length === 0) {
				throw new KctopError({kind: 'config', source: 'scrape', message: 'no scrape endpoints configured'});
			}

			const warnings: string[] = failed.map((outcome) => oneLine(`${outcome.instance}: ${reasonOf(outcome)}`));
			for (const outcome of outcomes) {
				const errors = outcome.result?.exposition.errors ?? [];
				const firstError = errors[0];
				if (firstError !== undefined) {
					warnings.push(oneLine(`${outcome.instance}: ${errors.length} unparsable line${errors.length === 1 ? '' : 's'} (${firstError})`));
				}
			}

			const endpoints = outcomes.map((outcome) => toEndpoint(outcome, now));
			if (match === undefined || !resolvesConnect(match)) {
				match = detectProfile(scrapedNames(outcomes), candidates);
			}
			if (resolvesConnect(match) && keep?.profile !== match.profile) keep = {profile: match.profile, names: profileNames(match.profile)};

			const evaluation = evaluateScrapes(match.profile, endpoints, state);
			state = evaluation.state;
			const answered = outcomes.filter((outcome) => !failed.includes(outcome)).map((outcome) => outcome.url);
			return {results: evaluation.results, warnings, empty: evaluation.empty, endpoint: answered.join(','), profile: match};
		},

		async fetchHistory(): Promise<MetricHistory> {
			return new Map();
		},

		async close(): Promise<void> {
			await client.close();
		},
	};
}
