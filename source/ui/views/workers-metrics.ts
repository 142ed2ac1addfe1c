import {formatAge} from '../../model/format.js';
import type {WorkerRow} from '../../model/types.js';
import type {Segment} from '../lines.js';
import type {Theme} from '../theme.js';

/**
 * The workers view's METRICS cell: connectors and tasks the worker's own metrics count
 * (`2c/3t`), flagged when they disagree with REST. Old values (samples Prometheus kept
 * serving, or the last ones seen before the worker's series went missing) are marked `?`,
 * dim, with their age: `2c/3t? 40s`, never shown as current.
 */
export function workerMetricsCell(worker: WorkerRow, theme: Theme): Segment {
	if (worker.metricConnectors === undefined && worker.metricTasks === undefined) return {text: '-', dim: true};
	const text = `${worker.metricConnectors ?? '-'}c/${worker.metricTasks ?? '-'}t`;
	if (worker.metricsStale !== undefined) return {text: `${text}? ${formatAge(worker.metricsStale.ageMs)}`, dim: true};
	const differs = (worker.metricConnectors !== undefined && worker.metricConnectors !== worker.connectors) || (worker.metricTasks !== undefined && worker.metricTasks !== worker.tasks);
	return differs ? {text: `${text} ${theme.glyphs.disagreement}`, color: theme.fg('yellow')} : {text};
}
