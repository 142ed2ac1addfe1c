import {batchedPromQL} from '../../source/metrics/prometheus-source.js';
import {profiles} from '../../source/metrics/profiles/index.js';
import {toPromQL} from '../../source/metrics/promql.js';
import {logicalMetricIds} from '../../source/metrics/types.js';

/** The batched instant query kctop sends each refresh, for every built-in profile. */
export const batchedQueries: readonly string[] = profiles.map(profile => {
	const ids = logicalMetricIds.filter(id => profile.metrics[id] !== undefined);
	return batchedPromQL(
		ids.flatMap(id => {
			const definition = profile.metrics[id];
			return definition === undefined ? [] : [{id, promql: toPromQL(definition, {rateWindow: '1m'})}];
		}),
		120_000,
	);
});
