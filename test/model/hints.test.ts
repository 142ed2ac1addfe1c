import {describe, expect, it} from 'vitest';
import {hintFor, hintsFor} from '../../source/model/hints.js';
import {binlogPurged, recordTooLargeEscaped, schemaHistoryMissing, slotActive, toleranceExceededConverter, toleranceExceededOnly} from '../fixtures/traces/modelled-traces.js';
import {realTrace, realTraces} from './real-traces.js';

describe('hints, each on the trace it was written for', () => {
	it('access denied: the real Debezium SQL Server trace (SELECT permission denied on cdc.change_tables), naming the user', () => {
		const hint = hintFor(realTrace('rest-status-debezium-sqlserver'), {'database.user': 'sa'});
		expect(hint?.id).toBe('access-denied');
		expect(hint?.text).toBe('access refused: check the grants of database user "sa" (the object is named in the message), or the ACLs of the worker\'s Kafka principal');
	});

	it('the other real traces get no hint: none of them is a well-known failure', () => {
		const hinted = realTraces().filter(each => hintFor(each.trace) !== undefined);
		expect(hinted.map(each => each.file)).toEqual(['rest-status-debezium-sqlserver-task-failed-permission-denied.json']);
	});

	// The traces below are modelled (test/fixtures/traces/modelled-traces.ts says on which public report each message is based).
	it('binlog position purged from the server: snapshot.mode and binlog retention', () => {
		expect(hintFor(binlogPurged)).toEqual({id: 'binlog-purged', text: expect.stringContaining('snapshot.mode=when_needed') as unknown});
		expect(hintFor(binlogPurged)?.text).toContain('binlog_expire_logs_seconds');
	});

	it('schema history topic missing: names the topic from the config', () => {
		const hint = hintFor(schemaHistoryMissing, {'database.history.kafka.topic': 'dbhistory.inventory'});
		expect(hint?.id).toBe('schema-history');
		expect(hint?.text).toMatch(/^schema history topic "dbhistory.inventory" \(schema.history.internal.kafka.topic/);
	});

	it('record too large (a trace with escaped \\n): max.request.size override and the topic limit', () => {
		const hint = hintFor(recordTooLargeEscaped);
		expect(hint?.id).toBe('record-too-large');
		expect(hint?.text).toContain('producer.override.max.request.size');
		expect(hint?.text).toContain('max.message.bytes');
	});

	it('replication slot active: names the slot and the query that shows its holder', () => {
		const hint = hintFor(slotActive, {'slot.name': 'debezium'});
		expect(hint?.id).toBe('slot-active');
		expect(hint?.text).toContain('"debezium" (slot.name)');
		expect(hint?.text).toContain('pg_replication_slots');
	});

	it('tolerance exceeded over a converter error: the converter line first, then where the DLQ is', () => {
		const config = {'value.converter': 'org.apache.kafka.connect.json.JsonConverter', 'errors.deadletterqueue.topic.name': 'dlq-orders', 'errors.tolerance': 'none'};
		const hints = hintsFor(toleranceExceededConverter, config);
		expect(hints.map(hint => hint.id)).toEqual(['converter-mismatch', 'tolerance-exceeded']);
		expect(hints[0]?.text).toContain('value.converter ("org.apache.kafka.connect.json.JsonConverter")');
		expect(hints[1]?.text).toBe('errors.tolerance is none, so one bad record stops the task; dead letter queue topic "dlq-orders" (errors.deadletterqueue.topic.name)');
	});

	it('tolerance exceeded alone: says when no DLQ is configured', () => {
		expect(hintFor(toleranceExceededOnly)).toEqual({
			id: 'tolerance-exceeded',
			text: 'errors.tolerance is none (default), so one bad record stops the task; dead letter queue not set (errors.deadletterqueue.topic.name, sinks only)',
		});
	});

	it('no hint for a blank trace', () => {
		expect(hintsFor(undefined)).toEqual([]);
	});
});
