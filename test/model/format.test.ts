import {describe, expect, it} from 'vitest';
import {formatAge, formatCount, formatDuration, formatLag, formatRate, shortClassName} from '../../source/model/format.js';

describe('formatDuration', () => {
	it('uses the largest sensible units', () => {
		expect(formatDuration(850)).toBe('850ms');
		expect(formatDuration(12_400)).toBe('12s');
		expect(formatDuration(184_000)).toBe('3m4s');
		expect(formatDuration(7_500_000)).toBe('2h5m');
		expect(formatDuration(3 * 86_400_000 + 3_600_000)).toBe('3d1h');
		expect(formatDuration(0)).toBe('0ms');
	});

	it('says "-" for unknown and non-finite values', () => {
		expect(formatDuration(undefined)).toBe('-');
		expect(formatDuration(Number.NaN)).toBe('-');
		expect(formatDuration(Number.POSITIVE_INFINITY)).toBe('-');
	});

	it('keeps the sign of negative durations', () => {
		expect(formatDuration(-1500)).toBe('-1s');
	});
});

describe('formatAge', () => {
	it('rounds to whole seconds', () => {
		expect(formatAge(400)).toBe('0s');
		expect(formatAge(34_900)).toBe('34s');
		expect(formatAge(65_000)).toBe('1m5s');
	});
});

describe('formatCount', () => {
	it('abbreviates thousands and millions', () => {
		expect(formatCount(999)).toBe('999');
		expect(formatCount(1234)).toBe('1.2k');
		expect(formatCount(1000)).toBe('1k');
		expect(formatCount(12_345)).toBe('12.3k');
		expect(formatCount(123_456)).toBe('123k');
		expect(formatCount(3_400_000)).toBe('3.4M');
		expect(formatCount(2_000_000_000)).toBe('2G');
		expect(formatCount(-1500)).toBe('-1.5k');
		expect(formatCount(undefined)).toBe('-');
	});
});

describe('formatRate', () => {
	it('keeps precision for small rates', () => {
		expect(formatRate(0)).toBe('0');
		expect(formatRate(0.25)).toBe('0.25');
		expect(formatRate(2.5)).toBe('2.5');
		expect(formatRate(2)).toBe('2');
		expect(formatRate(15.5)).toBe('16');
		expect(formatRate(1500)).toBe('1.5k');
		expect(formatRate(Number.NaN)).toBe('-');
	});
});

describe('formatLag', () => {
	it('formats by unit', () => {
		expect(formatLag(850, 'ms')).toBe('850ms');
		expect(formatLag(184_000, 'ms')).toBe('3m4s');
		expect(formatLag(1234, 'records')).toBe('1.2k rec');
		expect(formatLag(undefined, 'records')).toBe('-');
	});
});

describe('shortClassName', () => {
	it('keeps the last segment without "Connector"', () => {
		expect(shortClassName('io.debezium.connector.mysql.MySqlConnector')).toBe('MySql');
		expect(shortClassName('io.confluent.connect.jdbc.JdbcSinkConnector')).toBe('JdbcSink');
		expect(shortClassName('org.apache.kafka.connect.mirror.MirrorSourceConnector')).toBe('MirrorSource');
		expect(shortClassName('com.example.Connector')).toBe('Connector');
		expect(shortClassName('FileStreamSource')).toBe('FileStreamSource');
		expect(shortClassName('com.example.Outer$InnerConnector')).toBe('Inner');
	});
});
