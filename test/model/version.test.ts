import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {capabilitiesOf, describeVersion, kafkaVersionOf} from '../../source/model/version.js';

const rootVersion = (file: string): string => {
	const parsed: unknown = JSON.parse(readFileSync(new URL(`../fixtures/rest/${file}`, import.meta.url), 'utf8'));
	if (typeof parsed !== 'object' || parsed === null || !('version' in parsed) || typeof parsed.version !== 'string') throw new Error(`${file} has no version`);
	return parsed.version;
};

describe('kafkaVersionOf', () => {
	it('reads Apache Kafka versions as they are', () => {
		expect(kafkaVersionOf('2.4.1')).toEqual({major: 2, minor: 4, reported: '2.4.1'});
		expect(kafkaVersionOf('3.9.0')).toMatchObject({major: 3, minor: 9});
		expect(kafkaVersionOf('4.1.0')).toMatchObject({major: 4, minor: 1});
	});

	it('maps Confluent Platform numbering (real GET / answers) onto Apache Kafka', () => {
		expect(kafkaVersionOf(rootVersion('rest-root-cp-6.1.1-ce.json'))).toMatchObject({major: 2, minor: 7, reported: '6.1.1-ce'});
		expect(kafkaVersionOf(rootVersion('rest-root-cp-7.9.0-ccs-full-commit-sha.json'))).toMatchObject({major: 3, minor: 9, reported: '7.9.0-ccs'});
		expect(kafkaVersionOf('5.5.0-ccs')).toMatchObject({major: 2, minor: 5});
		expect(kafkaVersionOf('7.4.0-ccs')).toMatchObject({major: 3, minor: 4});
		expect(describeVersion({major: 3, minor: 4, reported: '7.4.0-ccs'})).toBe('7.4.0-ccs (Kafka 3.4)');
		expect(describeVersion({major: 2, minor: 4, reported: '2.4.1'})).toBe('2.4.1');
	});

	it('gives up on what it cannot read', () => {
		expect(kafkaVersionOf(undefined)).toBeUndefined();
		expect(kafkaVersionOf('')).toBeUndefined();
		expect(kafkaVersionOf('trunk')).toBeUndefined();
		expect(kafkaVersionOf('9.0.0-ce')).toBeUndefined();
	});
});

describe('capabilitiesOf', () => {
	it('knows restart?includeTasks from 3.0 and stop from 3.5', () => {
		expect(capabilitiesOf('2.4.1')).toMatchObject({restartWithTasks: false, stop: false});
		expect(capabilitiesOf('3.0.0')).toMatchObject({restartWithTasks: true, stop: false});
		expect(capabilitiesOf('3.5.0')).toMatchObject({restartWithTasks: true, stop: true});
		expect(capabilitiesOf('6.1.1-ce')).toMatchObject({restartWithTasks: false, stop: false});
		expect(capabilitiesOf('7.9.0-ccs')).toMatchObject({restartWithTasks: true, stop: true});
	});

	it('uses calls that work everywhere when the version is unknown', () => {
		expect(capabilitiesOf(undefined)).toMatchObject({restartWithTasks: false, stop: true});
	});
});
