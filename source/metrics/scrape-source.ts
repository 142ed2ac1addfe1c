import type {ScrapeClient, ScrapeOutcome} from '../clients/scrape/client.js';
import {KctopError, oneLine} from '../clients/errors.js';
import {emptyCounterState, evaluateScrapes} from './evaluate-samples.js';
import type {CounterState, EndpointScrape} from './evaluate-samples.js';
import type {MetricsFetch, MetricsSource} from './source.js';
import type {MetricHistory, NamingProfile} from './types.js';

export interface ScrapeSourceOptions {
	readonly client: ScrapeClient;
	readonly profile: NamingProfile;
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

/**
 * Reads the profile's logical metrics by scraping every worker's exporter endpoint
 * directly (no Prometheus). Rates come from the counters of the previous call, so the
 * first fetch has no rates. An endpoint that fails counts as workerUp 0 and adds a
 * warning; when every endpoint fails, `fetch` throws.
 */
export function createScrapeSource(options: ScrapeSourceOptions): MetricsSource {
	const {client, profile} = options;
	let state: CounterState = emptyCounterState;

	return {
		kind: 'scrape',
		description: options.description ?? `scrape of ${client.urls.length} endpoint${client.urls.length === 1 ? '' : 's'}`,

		async fetch(now: number, signal?: AbortSignal): Promise<MetricsFetch> {
			const outcomes = await client.scrapeAll(now, signal);
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

			const evaluation = evaluateScrapes(
				profile,
				outcomes.map((outcome) => toEndpoint(outcome, now)),
				state,
			);
			state = evaluation.state;
			const answered = outcomes.filter((outcome) => !failed.includes(outcome)).map((outcome) => outcome.url);
			return {results: evaluation.results, warnings, empty: evaluation.empty, endpoint: answered.join(',')};
		},

		async fetchHistory(): Promise<MetricHistory> {
			return new Map();
		},

		async close(): Promise<void> {
			await client.close();
		},
	};
}
