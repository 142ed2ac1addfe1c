import {describe, expect, it} from 'vitest';
import type {PrometheusClient} from '../../source/clients/prometheus/client.js';
import {detectProfile, detectProfileFromPrometheus} from '../../source/metrics/detect.js';
import {defaultProfile} from '../../source/metrics/profiles/default.js';
import {findProfile, profiles} from '../../source/metrics/profiles/index.js';
import type {NamingProfile} from '../../source/metrics/types.js';

const strimziLike: NamingProfile = {...defaultProfile, name: 'strimzi-like', detect: ['kafka_connect_worker_connector_count', 'debezium_metrics_Connected']};
const noDetect: NamingProfile = {...defaultProfile, name: 'no-detect', detect: []};

describe('profiles', () => {
	it('lists the default profile and finds profiles by name', () => {
		expect(profiles).toContain(defaultProfile);
		expect(findProfile('default')).toBe(defaultProfile);
		expect(findProfile('nope')).toBeUndefined();
		expect(findProfile('strimzi-like', [defaultProfile, strimziLike])).toBe(strimziLike);
	});
});

describe('detectProfile', () => {
	it('picks the first candidate all of whose detection series exist', () => {
		const names = new Set(['up', 'kafka_connect_worker_connector_count', 'debezium_metrics_Connected']);
		expect(detectProfile(names, [strimziLike, defaultProfile])).toBe(strimziLike);
		expect(detectProfile(names, [defaultProfile, strimziLike])).toBe(strimziLike);
		expect(detectProfile(new Set([...names, 'kafka_connect_task_status']), [defaultProfile, strimziLike])).toBe(defaultProfile);
	});

	it('finds nothing when a detection series is missing, and never matches a profile without any', () => {
		expect(detectProfile(new Set(['kafka_connect_worker_connector_count']), [defaultProfile, noDetect])).toBeUndefined();
		expect(detectProfile(new Set(), [noDetect])).toBeUndefined();
	});

	it('asks Prometheus once, restricted to the detection names', async () => {
		const calls: {label: string; match: readonly string[] | undefined}[] = [];
		const client: Pick<PrometheusClient, 'labelValues'> = {
			async labelValues(label, options) {
				calls.push({label, match: options?.match});
				return ['kafka_connect_task_status', 'kafka_connect_worker_connector_count'];
			},
		};
		expect(await detectProfileFromPrometheus(client, [strimziLike, defaultProfile])).toBe(defaultProfile);
		expect(calls).toEqual([
			{label: '__name__', match: ['{__name__=~"kafka_connect_worker_connector_count|debezium_metrics_Connected|kafka_connect_task_status"}']},
		]);
	});
});
