import type {InstantResult} from '../../source/clients/prometheus/client.js';
import type {Sample} from '../../source/metrics/types.js';

/** The sample made of each given sample: the same sample given again gives the same one back, as the real client hands back a row of the last answer that did not change. */
const apart = new WeakMap<Sample, {readonly tagLabel: string; readonly tag: string; readonly sample: Sample}>();

/**
 * What the real client returns for `answer` when asked with `tagLabel` (PrometheusClient.query):
 * each row's value of that label in `tags` ('' for a row without it), by position, and labels
 * without it and `__name__`. Without `tagLabel`, the answer as it is. For fake clients whose
 * answers are written with the tag among the labels.
 */
export function tagApart(answer: InstantResult, tagLabel: string | undefined): InstantResult {
	if (tagLabel === undefined) return answer;
	const tags: string[] = [];
	const samples = answer.samples.map(sample => {
		const kept = apart.get(sample);
		if (kept?.tagLabel === tagLabel) {
			tags.push(kept.tag);
			return kept.sample;
		}
		const labels: Record<string, string> = {};
		for (const [name, value] of Object.entries(sample.labels)) if (name !== tagLabel && name !== '__name__') labels[name] = value;
		const made: Sample = {...sample, labels};
		const tag = sample.labels[tagLabel] ?? '';
		apart.set(sample, {tagLabel, tag, sample: made});
		tags.push(tag);
		return made;
	});
	return {...answer, samples, tags};
}
