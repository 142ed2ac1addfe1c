/**
 * Prometheus text format 0.0.4 as a jmx_exporter 1.x agent writes it (client_java
 * PrometheusTextFormatWriter): `# HELP` and `# TYPE` once per family, a counter's family
 * named with its `_total` suffix, label values escaped, values as Java prints doubles
 * (`5.0`, `1.0E7`, `NaN`, `+Inf`, `-Inf`).
 */
import {javaDoubleToString} from './rules.js';
import type {ExportedSample} from './types.js';

export const expositionContentType = 'text/plain; version=0.0.4; charset=utf-8';

export function renderExposition(samples: readonly ExportedSample[]): string {
	const lines: string[] = [];
	let currentFamily: string | undefined;
	for (const sample of samples) {
		if (sample.family !== currentFamily) {
			currentFamily = sample.family;
			if (sample.help !== '') lines.push(`# HELP ${sample.family} ${escapeHelp(sample.help)}`);
			lines.push(`# TYPE ${sample.family} ${sample.type}`);
		}
		const labels = sample.labels.map(([name, value]) => `${name}="${escapeLabelValue(value)}"`).join(',');
		lines.push(`${sample.name}${labels === '' ? '' : `{${labels}}`} ${formatValue(sample.value)}`);
	}
	return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

function formatValue(value: number): string {
	if (value === Number.POSITIVE_INFINITY) return '+Inf';
	if (value === Number.NEGATIVE_INFINITY) return '-Inf';
	return javaDoubleToString(value);
}

function escapeHelp(text: string): string {
	return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function escapeLabelValue(text: string): string {
	return text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
