import type {PrometheusClient} from '../clients/prometheus/client.js';
import {quotePromQLString} from './promql.js';
import type {NamingProfile} from './types.js';

/** The first candidate all of whose `detect` series names are present (pure). */
export function detectProfile(names: ReadonlySet<string>, candidates: readonly NamingProfile[]): NamingProfile | undefined {
	return candidates.find((profile) => profile.detect.length > 0 && profile.detect.every((name) => names.has(name)));
}

function escapeRegex(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Asks Prometheus which of the candidates' detection series exist (one label-values
 * call, restricted to those names so a large Prometheus answers with a short list) and
 * returns the first candidate that matches.
 */
export async function detectProfileFromPrometheus(
	client: Pick<PrometheusClient, 'labelValues'>,
	candidates: readonly NamingProfile[],
	signal?: AbortSignal,
): Promise<NamingProfile | undefined> {
	const wanted = [...new Set(candidates.flatMap((profile) => profile.detect))];
	if (wanted.length === 0) {
		return undefined;
	}

	const match = `{__name__=~${quotePromQLString(wanted.map(escapeRegex).join('|'))}}`;
	const names = await client.labelValues('__name__', {match: [match], signal});
	return detectProfile(new Set(names), candidates);
}
