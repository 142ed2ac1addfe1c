import {readFileSync} from 'node:fs';
import {z} from 'zod';
import {connectorsExpandedSchema} from '../../source/clients/connect/schemas.js';
import {parsePromValue} from '../../source/clients/prometheus/client.js';
import {querySuccessSchema} from '../../source/clients/prometheus/schemas.js';
import {metricTagLabel} from '../../source/metrics/prometheus-source.js';
import {logicalMetricIds, type LogicalMetricId, type Sample} from '../../source/metrics/types.js';

/** test/fixtures/prom/batched-answer-stale-worker-2.json: a real Prometheus's answer to the batched query, and the REST expand body of the same moment. */
export const recording = z
	.object({time: z.number(), prometheusAnswer: querySuccessSchema, connectors: connectorsExpandedSchema})
	.parse(JSON.parse(readFileSync(new URL('../fixtures/prom/batched-answer-stale-worker-2.json', import.meta.url), 'utf8')));

/** The recorded answer's value rows by logical metric, the tag left out (as the source hands them over). */
export function recordedResults(): Map<LogicalMetricId, Sample[]> {
	const {data} = recording.prometheusAnswer;
	if (data.resultType !== 'vector') throw new Error('the recording is an instant vector');
	const out = new Map<LogicalMetricId, Sample[]>();
	for (const row of data.result) {
		const id = logicalMetricIds.find(each => each === row.metric[metricTagLabel]);
		if (id === undefined) continue;
		const labels = Object.fromEntries(Object.entries(row.metric).filter(([name]) => name !== metricTagLabel && name !== '__name__'));
		const list = out.get(id) ?? [];
		list.push({labels, value: parsePromValue(row.value?.[1] ?? 'NaN')});
		out.set(id, list);
	}
	return out;
}
