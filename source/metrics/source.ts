import type {LogicalMetricId, MetricHistory, MetricResults, NamingProfile, ProfileMatch} from './types.js';

/** One refresh worth of metric values, from Prometheus or from direct scrapes. */
export interface MetricsFetch {
	readonly results: MetricResults;
	/** Prometheus warnings/infos, partial-scrape notes ("connect-3:9404: connection refused"); one line each. */
	readonly warnings: readonly string[];
	/** Logical metrics of the profile that returned no series at all this time. */
	readonly empty: readonly LogicalMetricId[];
	/** Which endpoint answered (Prometheus URL, or the scrape URLs that answered). */
	readonly endpoint: string;
	/** The naming profile the values were read with, and how well it fits the names present. */
	readonly profile?: ProfileMatch;
	/** Rows whose newest sample is older than twice the scrape interval (each carries `ageMs`); absent when none. */
	readonly stale?: StaleSamples;
}

/** How many result rows are stale, the oldest one's age, and the limit (ms). */
export interface StaleSamples {
	readonly rows: number;
	readonly oldestMs: number;
	readonly limitMs: number;
}

/** One profile (forced with --profile / --profile-file), or the candidates to detect among. */
export type ProfileChoice = NamingProfile | readonly NamingProfile[];

export function candidatesOf(choice: ProfileChoice): readonly NamingProfile[] {
	return 'metrics' in choice ? [choice] : choice;
}

/**
 * Where metric values come from. Implementations do I/O but own no timers and never
 * retry: the poller calls `fetch` once per refresh. The number of requests per call is
 * constant whatever the number of connectors (one query per logical metric, or one
 * scrape per worker endpoint).
 */
export interface MetricsSource {
	readonly kind: 'prometheus' | 'scrape';
	/** Where it reads from, for the header. */
	readonly description: string;
	/** Current values of every logical metric the profile defines. Throws KctopError when nothing could be read. */
	fetch(now: number, signal?: AbortSignal): Promise<MetricsFetch>;
	/**
	 * History for sparklines, fetched once at start-up so the first frame is full
	 * (Prometheus: query_range over [now − windowMs, now] at stepMs; scrape mode has
	 * no history to ask for and returns an empty map).
	 */
	fetchHistory(now: number, windowMs: number, stepMs: number, signal?: AbortSignal): Promise<MetricHistory>;
	close(): Promise<void>;
}
