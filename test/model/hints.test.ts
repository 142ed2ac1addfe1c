import {describe, expect, it} from 'vitest';
import {s3SinkTrace} from '../../source/demo/traces.js';
import {hintFor, hintsFor, type HintId} from '../../source/model/hints.js';
import {publishedTrace, publishedTraces} from '../fixtures/traces/published-traces.js';
import {realTrace, realTraces} from './real-traces.js';

/**
 * Every hint on real traces only: the published ones in test/fixtures/traces/real/ (SOURCES.md
 * names each one's origin) and every trace of the REST corpus. Each trace lists the hints it
 * gets, in order; each hint is written for at least one of them.
 */
const expected: Readonly<Record<string, readonly HintId[]>> = {
	'binlog-purged-debezium-mysql-1.x-worker-log.txt': ['binlog-purged'],
	'binlog-purged-debezium-mysql-gtids-flink-cdc-271.txt': ['binlog-purged'],
	'binlog-purged-debezium-wrapped-risingwave-12313.txt': ['binlog-purged'],
	'converter-avro-topic-only-startappdev-13.txt': ['converter-mismatch'],
	'converter-avro-unknown-magic-byte-flattened-es-424.txt': ['converter-mismatch'],
	'converter-json-schema-storage-cloud-506.txt': ['converter-mismatch'],
	'converter-json-serialization-error-datareply-4.txt': ['converter-mismatch'],
	'record-too-large-broker-flattened-iceberg-285.txt': ['record-too-large'],
	'record-too-large-producer-ethvm-546.txt': ['record-too-large'],
	'record-too-large-replicator-max-request-size-100.txt': ['record-too-large'],
	'schema-history-missing-debezium-2.3-event-hubs.txt': ['schema-history'],
	'schema-history-missing-debezium-sqlserver-flink-cdc.txt': ['schema-history'],
	'slot-active-flink-cdc-1058.txt': ['slot-active'],
	'slot-active-pgjdbc-pg2k4j-35.txt': ['slot-active'],
	// The converter failed under the tolerance operator: the deeper cause's hint comes first.
	'tolerance-exceeded-converter-schema-incompatible-409.txt': ['converter-mismatch', 'tolerance-exceeded'],
	'tolerance-exceeded-json-schema-unsupported-type.txt': ['converter-mismatch', 'tolerance-exceeded'],
	'tolerance-exceeded-source-logminer-10.txt': ['tolerance-exceeded'],
	// The REST corpus: one access refusal; the others are not well-known failures.
	'rest-status-debezium-sqlserver-task-failed-permission-denied.json': ['access-denied'],
};

const allHints: readonly HintId[] = ['binlog-purged', 'schema-history', 'slot-active', 'record-too-large', 'access-denied', 'converter-mismatch', 'tolerance-exceeded'];

interface Named {
	readonly name: string;
	readonly trace: string;
}

/** The published traces, then every trace of the REST corpus (a file with several traces appears once for each). */
const all: readonly Named[] = [...publishedTraces().map(each => ({name: each.file, trace: each.trace})), ...realTraces().map(each => ({name: each.file, trace: each.trace}))];

function expectedFor(name: string): readonly HintId[] {
	return expected[name] ?? [];
}

describe('hints on the real traces', () => {
	it('covers every hint, each with real traces (17 published + the REST corpus)', () => {
		expect(publishedTraces()).toHaveLength(17);
		for (const file of publishedTraces().map(each => each.file)) expect(Object.keys(expected)).toContain(file);
		const written = new Set(Object.values(expected).flat());
		expect([...written].sort()).toEqual([...allHints].sort());
	});

	it('each trace gets exactly its hints, in order (the deepest cause first)', () => {
		for (const {name, trace} of all) expect({name, hints: hintsFor(trace).map(hint => hint.id)}).toEqual({name, hints: expectedFor(name)});
	});

	// The matrix: for each hint, the traces it fires on are exactly those it was written for.
	it.each(allHints)('%s fires on its traces and on no other real trace', id => {
		const fires = all.filter(each => hintsFor(each.trace).some(hint => hint.id === id)).map(each => each.name);
		const writtenFor = all.filter(each => expectedFor(each.name).includes(id)).map(each => each.name);
		expect(writtenFor.length).toBeGreaterThan(0);
		expect(fires).toEqual(writtenFor);
	});
});

describe('what each hint says, on the trace it was written for', () => {
	it('binlog purged: snapshot.mode and binlog retention', () => {
		const hint = hintFor(publishedTrace('binlog-purged-debezium-mysql-1.x-worker-log.txt'));
		expect(hint?.text).toBe('the binlog position in the offsets was purged from the server: set snapshot.mode=when_needed (or re-snapshot) and keep binlogs longer (binlog_expire_logs_seconds)');
	});

	it('schema history missing: names the topic from the config, 2.x key first', () => {
		const trace = publishedTrace('schema-history-missing-debezium-sqlserver-flink-cdc.txt');
		expect(hintFor(trace, {'database.history.kafka.topic': 'dbhistory.inventory'})?.text).toMatch(/^schema history topic "dbhistory.inventory" \(schema.history.internal.kafka.topic/);
		expect(hintFor(trace, {'schema.history.internal.kafka.topic': 'schema-changes.inventory', 'database.history.kafka.topic': 'old'})?.text).toMatch(/^schema history topic "schema-changes.inventory" /);
		expect(hintFor(trace)?.text).toMatch(/^schema history topic not set /);
	});

	it('replication slot active: names the slot and the query that shows its holder', () => {
		const hint = hintFor(publishedTrace('slot-active-flink-cdc-1058.txt'), {'slot.name': 'test_cc'});
		expect(hint?.text).toBe('another process holds replication slot "test_cc" (slot.name): find it with SELECT slot_name, active_pid FROM pg_replication_slots and stop it, or give each connector its own slot.name');
	});

	it('record too large: the producer override and the topic limit', () => {
		const hint = hintFor(publishedTrace('record-too-large-replicator-max-request-size-100.txt'));
		expect(hint?.text).toBe("a record is larger than the producer allows: raise producer.override.max.request.size (needs connector.client.config.override.policy=All on the worker) and the topic's max.message.bytes");
	});

	it('access denied: the real Debezium SQL Server trace (SELECT permission denied on cdc.change_tables), naming the user', () => {
		const hint = hintFor(realTrace('rest-status-debezium-sqlserver'), {'database.user': 'sa'});
		expect(hint?.text).toBe('access refused: check the grants of database user "sa" (the object is named in the message), or the ACLs of the worker\'s Kafka principal');
		expect(hintFor(realTrace('rest-status-debezium-sqlserver'))?.text).toContain("the connector's database user");
	});

	it('access denied by an object store names the bucket policy, not database grants (the demo\'s modelled S3 trace)', () => {
		const hint = hintFor(s3SinkTrace('datalake-fraud'), {'connection.user': 'ignored'});
		expect(hint?.id).toBe('access-denied');
		expect(hint?.text).toBe('access refused by the object store: check the bucket policy and the credentials or role the connector uses (the bucket is named in the message)');
	});

	it('converter mismatch: names the converters from the config', () => {
		const hint = hintFor(publishedTrace('converter-avro-unknown-magic-byte-flattened-es-424.txt'), {'value.converter': 'io.confluent.connect.avro.AvroConverter'});
		expect(hint?.text).toBe('the record does not match the converter: check value.converter ("io.confluent.connect.avro.AvroConverter"), key.converter (not set) and value.converter.schemas.enable against what the topic holds');
	});

	it('tolerance exceeded: says where the DLQ is, or that there is none', () => {
		const trace = publishedTrace('tolerance-exceeded-source-logminer-10.txt');
		expect(hintFor(trace)?.text).toBe('errors.tolerance is none (default), so one bad record stops the task; dead letter queue not set (errors.deadletterqueue.topic.name, sinks only)');
		const withDlq = hintsFor(publishedTrace('tolerance-exceeded-converter-schema-incompatible-409.txt'), {'errors.deadletterqueue.topic.name': 'dlq-orders', 'errors.tolerance': 'none'});
		expect(withDlq[1]?.text).toBe('errors.tolerance is none, so one bad record stops the task; dead letter queue topic "dlq-orders" (errors.deadletterqueue.topic.name)');
	});

	it('no hint for a blank trace', () => {
		expect(hintsFor(undefined)).toEqual([]);
		expect(hintsFor('  \n')).toEqual([]);
	});
});
