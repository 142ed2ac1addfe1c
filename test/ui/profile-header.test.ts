import {describe, expect, it} from 'vitest';
import {missingMetric} from '../../source/metrics/detect.js';
import {catchAllProfile} from '../../source/metrics/profiles/catch-all.js';
import {debeziumExamplesProfile} from '../../source/metrics/profiles/debezium-examples.js';
import type {ProfileSummary} from '../../source/metrics/types.js';
import {snapshotJson} from '../../source/run.js';
import {renderSnapshotText} from '../../source/ui/once.js';
import {realisticSnapshot} from '../helpers/snapshot-factory.js';

/** The profile in use, in the header (--once prints the same lines as the live view) and in -o json. */

const catchAllFit: ProfileSummary = {detected: true, resolved: 15, total: 17, missing: [missingMetric(catchAllProfile, 'connectorStatus'), missingMetric(catchAllProfile, 'taskStatus')]};
const poorFit: ProfileSummary = {
	detected: true,
	resolved: 9,
	total: 17,
	missing: (['workerRebalancing', 'connectorStatus', 'taskStatus', 'recordRate', 'recordErrors', 'recordFailures', 'dlqWrites', 'sinkLag'] as const).map((id) => missingMetric(debeziumExamplesProfile, id)),
};

const headerOf = (text: string): string => text.split('\n').slice(0, 4).join('\n');

describe('the profile in the header', () => {
	it('names the profile and how many of the 17 metrics it resolves, and what the rest would need', () => {
		const text = renderSnapshotText(realisticSnapshot({profile: 'catch-all', profileSummary: catchAllFit}), {columns: 200, ascii: false, color: false});
		expect(headerOf(text)).toMatch(/profile catch-all 15\/17 metrics · missing connectorStatus \(kafka_connect_connector_status\), taskStatus \(kafka_connect_task_status\)$/m);
	});

	it('lists the first two on a poor match and points to the rest', () => {
		const text = renderSnapshotText(realisticSnapshot({profile: 'debezium-examples', profileSummary: poorFit}), {columns: 240, ascii: false, color: false});
		expect(headerOf(text)).toContain('profile debezium-examples 9/17 metrics · missing workerRebalancing (kafka_connect_worker_rebalancing), connectorStatus (kafka_connect_connector_status) +6 (-o json: profileMissing)');
	});

	it('says nothing is missing when nothing is', () => {
		const text = renderSnapshotText(realisticSnapshot({profile: 'kctop', profileSummary: {detected: true, resolved: 17, total: 17, missing: []}}), {columns: 200, ascii: false, color: false});
		expect(headerOf(text)).toMatch(/profile kctop 17\/17 metrics$/m);
	});
});

describe('the profile in -o json', () => {
	it('gives profile, N/17, whether it was detected, and each missing metric with its series and rule', () => {
		const json = JSON.parse(JSON.stringify(snapshotJson(realisticSnapshot({profile: 'catch-all', profileSummary: catchAllFit}), {history: () => ({lag: [], recordRate: [], errors: []})})));
		expect(json).toMatchObject({profile: 'catch-all', profileMetrics: '15/17', profileDetected: true});
		expect(json.profileSummary).toBeUndefined();
		expect(json.profileMissing).toEqual([
			{metric: 'connectorStatus', series: 'kafka_connect_connector_status', rule: expect.stringContaining('value: 1')},
			{metric: 'taskStatus', series: 'kafka_connect_task_status', rule: expect.stringContaining('connector-task-metrics status')},
		]);
	});
});
