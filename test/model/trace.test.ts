import {describe, expect, it} from 'vitest';
import {causeText, normaliseMessage, parseTrace, rootCause} from '../../source/model/trace.js';
import {debeziumPostgresTrace, elasticsearchSinkTrace, jdbcSinkConnectionRefusedTrace} from '../../source/demo/traces.js';
import {recordTooLargeEscaped, withSuppressed} from '../fixtures/traces/modelled-traces.js';
import {publishedTrace, publishedTraces} from '../fixtures/traces/published-traces.js';
import {realTrace, realTraces} from './real-traces.js';

describe('root causes of the real traces', () => {
	const all = realTraces();

	it('finds every trace of the corpus (11 in 6 files) and a root cause for each', () => {
		expect(all).toHaveLength(11);
		expect(new Set(all.map(each => each.file)).size).toBe(6);
		for (const {trace} of all) {
			const cause = rootCause(trace);
			expect(cause).toBeDefined();
			expect(causeText(cause!)).not.toBe('');
		}
	});

	it('a fingerprint for every trace of the corpus: numbers, quoted names and partition lists normalised', () => {
		const byFile = new Map<string, Set<string>>();
		for (const {file, trace} of all) byFile.set(file, (byFile.get(file) ?? new Set()).add(rootCause(trace)?.fingerprint ?? ''));
		expect(Object.fromEntries([...byFile].map(([file, prints]) => [file, [...prints]]))).toEqual({
			'rest-expand-entry-filestream-sink-task-failed-cp-7.9.json': ["org.apache.kafka.connect.errors.ConnectException|Couldn't find or create file <q> for FileStreamSinkTask"],
			'rest-status-debezium-oracle-connector-and-failed-task-on-different-workers.json': ['org.apache.kafka.connect.errors.ConnectException|OffsetStorageWriter is already flushing'],
			'rest-status-debezium-sqlserver-task-failed-permission-denied.json': ['com.microsoft.sqlserver.jdbc.SQLServerException|The SELECT permission was denied on the object <q>, database <q>, schema <q>.'],
			'rest-status-hdfs3-sink-task-failed-npe-k8s-fqdn-worker.raw-newlines.txt': ['java.lang.NullPointerException|'],
			'rest-status-replicator-10-tasks-mixed-failed-timeout.json': [
				'org.apache.kafka.connect.errors.ConnectException|Failed to obtain source cluster ID, please restart the source Kafka cluster',
				'org.apache.kafka.common.errors.TimeoutException|Timeout of <n>ms expired before the last committed offset for partitions [<partitions>] could be determined. Try tuning default.api.timeout.ms larger to relax the threshold.',
			],
			'rest-status-sftp-source-connector-failed-no-tasks.json': ['|<n>: No such file'],
		});
		expect(normaliseMessage('offsets for partitions [orders-0, __consumer_timestamps-12, connect-topic1-3] missing')).toBe('offsets for partitions [<partitions>] missing');
		expect(normaliseMessage("Couldn't open 'a.txt', can't retry")).toBe("Couldn't open <q>, can't retry");
	});

	it('SQL Server: the deepest Caused by, past the generic ConnectException, with the elided frames counted', () => {
		const parsed = parseTrace(realTrace('rest-status-debezium-sqlserver'));
		expect(parsed.chain.map(link => link.shortName)).toEqual(['ConnectException', 'SQLServerException']);
		expect(parsed.chain[1]).toMatchObject({className: 'com.microsoft.sqlserver.jdbc.SQLServerException', frames: 12, elided: 8});
		expect(rootCause(parsed)).toMatchObject({shortName: 'SQLServerException', message: "The SELECT permission was denied on the object 'change_tables', database 'testDB', schema 'cdc'.", depth: 1});
	});

	it('HDFS 3 on Kubernetes (newlines and tabs un-escaped by the paste): a NullPointerException without a message', () => {
		const parsed = parseTrace(realTrace('rest-status-hdfs3-sink'));
		expect(parsed.chain).toHaveLength(2);
		expect(parsed.chain[0]).toMatchObject({shortName: 'ConnectException', message: 'Exiting WorkerSinkTask due to unrecoverable exception.', frames: 11});
		expect(rootCause(parsed)).toMatchObject({className: 'java.lang.NullPointerException', shortName: 'NullPointerException', message: ''});
		expect(parsed.chain[1]).toMatchObject({frames: 2, elided: 10});
		expect(causeText(rootCause(parsed)!)).toBe('NullPointerException');
	});

	it('SFTP source failing in start(): a cause whose toString has no class name ("2: No such file")', () => {
		const cause = rootCause(realTrace('rest-status-sftp-source'));
		expect(cause).toMatchObject({className: undefined, shortName: '', message: '2: No such file', depth: 1});
		expect(causeText(cause!)).toBe('2: No such file');
		// The top message keeps its trailing space trimmed, nothing else.
		expect(parseTrace(realTrace('rest-status-sftp-source')).chain[0]?.message).toBe("Sftp directory for 'input.path' '/home/foo/upload/input1' does not exist");
	});

	it('a trace without a cause is its own root cause (filestream sink cp-7.9, Oracle)', () => {
		expect(rootCause(realTrace('rest-expand-entry-filestream'))).toMatchObject({shortName: 'ConnectException', message: "Couldn't find or create file '/nonexistent-dir/out.txt' for FileStreamSinkTask", depth: 0});
		expect(rootCause(realTrace('rest-status-debezium-oracle'))).toMatchObject({shortName: 'ConnectException', message: 'OffsetStorageWriter is already flushing', depth: 0});
	});

	it('Replicator: six FAILED tasks (SOURCES.md says five) make two fingerprints; the frame-less TimeoutException parses', () => {
		const traces = all.filter(each => each.file.startsWith('rest-status-replicator')).map(each => each.trace);
		expect(traces).toHaveLength(6);
		const fingerprints = traces.map(trace => rootCause(trace)!.fingerprint);
		expect(new Set(fingerprints).size).toBe(2);
		const timeout = rootCause(traces.find(trace => trace.includes('TimeoutException')));
		expect(timeout).toMatchObject({shortName: 'TimeoutException', depth: 0});
		expect(timeout!.message).toMatch(/^Timeout of 60000ms expired/);
	});
});

describe('root causes of the published traces (test/fixtures/traces/real, SOURCES.md)', () => {
	// file → [short names of the chain, outermost first], root cause message.
	const expected: Readonly<Record<string, readonly [readonly string[], string]>> = {
		'binlog-purged-debezium-mysql-1.x-worker-log.txt': [['ConnectException'], "The connector is trying to read binlog starting at binlog file 'binlog.000602', pos=457725550, skipping 0 events plus 0 rows, but this is no longer available on the server. Reconfigure the connector to use a snapshot when needed."],
		'binlog-purged-debezium-mysql-gtids-flink-cdc-271.txt': [['ConnectException'], expect.stringMatching(/^The connector is trying to read binlog starting at GTIDs 02910242-ee5c-11e4-9a7e-ac853d9f54d6:1,.*pos=86097934, .*no longer available on the server/)],
		'binlog-purged-debezium-wrapped-risingwave-12313.txt': [['DebeziumException'], 'The connector is trying to read binlog starting at SourceInfo / [currentGtid=null, currentBinlogFilename=mysql-bin.000054, currentBinlogPosition=95437458, / currentRowNumber=0, serverId=0, sourceTime=null, threadId=-1, currentQuery=null, tableIds=[], databaseName=null], / but this is no longer available on the server. Reconfigure the connector to use a snapshot when needed.'],
		'converter-avro-topic-only-startappdev-13.txt': [['DataException'], 'nav-json-dev-VW_kafka_Purchase_Invoice'],
		'converter-avro-unknown-magic-byte-flattened-es-424.txt': [['DataException', 'SerializationException'], 'Unknown magic byte!'],
		'converter-json-schema-storage-cloud-506.txt': [['DataException'], 'Converting byte[] to Kafka Connect data failed due to serialization error of topic connect-topic1:'],
		'converter-json-serialization-error-datareply-4.txt': [['DataException', 'SerializationException', 'CharConversionException'], 'Invalid UTF-32 character 0x10c7661(above 10ffff)  at char #1, byte #7)'],
		'record-too-large-broker-flattened-iceberg-285.txt': [['', 'RecordTooLargeException'], 'The request included a message larger than the max message size the server will accept.'],
		'record-too-large-producer-ethvm-546.txt': [['RecordTooLargeException'], 'The message is 4794004 bytes when serialized which is larger than the maximum request size you have configured with the max.request.size configuration.'],
		'record-too-large-replicator-max-request-size-100.txt': [['ConnectException', 'RecordTooLargeException'], 'The message is 155 bytes when serialized which is larger than 100, which is the value of the max.request.size configuration.'],
		'schema-history-missing-debezium-2.3-event-hubs.txt': [['DebeziumException'], 'The db history topic or its content is fully or partially missing. Please check database history topic configuration and re-execute the snapshot.'],
		'schema-history-missing-debezium-sqlserver-flink-cdc.txt': [['RuntimeException', 'DebeziumException'], 'The db history topic or its content is fully or partially missing. Please check database history topic configuration and re-execute the snapshot.'],
		'slot-active-flink-cdc-1058.txt': [['PSQLException'], 'ERROR: replication slot "test_cc" is active for PID 79319'],
		'slot-active-pgjdbc-pg2k4j-35.txt': [['PSQLException'], 'ERROR: replication slot "pg2k4j" is active for PID 7957'],
		'tolerance-exceeded-converter-schema-incompatible-409.txt': [['ConnectException', 'DataException', 'SerializationException', 'RestClientException'], 'Schema being registered is incompatible with an earlier schema for subject "server1.dbo.customers-value"; error code: 409'],
		'tolerance-exceeded-json-schema-unsupported-type.txt': [['ConnectException', 'DataException'], 'Unsupported schema type org.everit.json.schema.EmptySchema'],
		'tolerance-exceeded-source-logminer-10.txt': [['ConnectException'], 'Tolerance exceeded in error handler'],
	};

	it.each(publishedTraces().map(each => [each.file, each.trace] as const))('%s', (file, trace) => {
		const parsed = parseTrace(trace);
		const [chain, message] = expected[file] ?? [[], ''];
		expect(parsed.chain.map(link => link.shortName)).toEqual(chain);
		const cause = rootCause(parsed);
		expect(cause).toMatchObject({message, depth: chain.length - 1});
		expect(cause?.fingerprint).toBe(`${cause?.className ?? ''}|${normaliseMessage(cause?.message ?? '')}`);
	});

	it('frames, elided frames and the method of each frame (the 409 trace: four exceptions, `... N more` on each cause)', () => {
		const parsed = parseTrace(publishedTrace('tolerance-exceeded-converter-schema-incompatible-409.txt'));
		expect(parsed.chain.map(link => [link.frames, link.elided])).toEqual([[12, 0], [5, 11], [4, 15], [9, 17]]);
		expect(parsed.chain[1]?.methods.slice(0, 2)).toEqual(['io.confluent.connect.json.JsonSchemaConverter.fromConnectData', 'org.apache.kafka.connect.storage.Converter.fromConnectData']);
		// Java 9+ frames carry a module ("java.base/"): the method is read past it.
		expect(parsed.chain[0]?.methods.at(-1)).toBe('java.lang.Thread.run');
	});

	it('a trace a paste flattened onto one line is split back into frames and causes (Elasticsearch sink, Iceberg sink)', () => {
		const flattened = parseTrace(publishedTrace('converter-avro-unknown-magic-byte-flattened-es-424.txt'));
		expect(flattened.chain[0]).toMatchObject({message: 'Failed to deserialize data for topic topic_name to Avro:', frames: 2, methods: ['io.confluent.connect.avro.AvroConverter.toConnectData', 'org.apache.kafka.connect.storage.Converter.toConnectData']});
		const iceberg = parseTrace(publishedTrace('record-too-large-broker-flattened-iceberg-285.txt'));
		expect(iceberg.chain[0]).toMatchObject({className: undefined, message: 'org.apache.kafka.connect.runtime.WorkerSinkTask.deliverMessages(WorkerSinkTask.java:601)', elided: 11});
	});

	it('fingerprints: one failure on two servers groups, two failures do not', () => {
		const fingerprint = (file: string): string | undefined => rootCause(publishedTrace(file))?.fingerprint;
		expect(fingerprint('slot-active-flink-cdc-1058.txt')).toBe('org.postgresql.util.PSQLException|ERROR: replication slot <q> is active for PID <n>');
		expect(fingerprint('slot-active-pgjdbc-pg2k4j-35.txt')).toBe(fingerprint('slot-active-flink-cdc-1058.txt'));
		// The same DebeziumException under Flink's RuntimeException and alone.
		expect(fingerprint('schema-history-missing-debezium-sqlserver-flink-cdc.txt')).toBe(fingerprint('schema-history-missing-debezium-2.3-event-hubs.txt'));
		// A GTID set is one token, whatever its length.
		expect(fingerprint('binlog-purged-debezium-mysql-gtids-flink-cdc-271.txt')).toBe(
			'org.apache.kafka.connect.errors.ConnectException|The connector is trying to read binlog starting at GTIDs <gtids> and binlog file <q>, pos=<n>, skipping <n> events plus <n> rows, but this is no longer available on the server. Reconfigure the connector to use a snapshot when needed.',
		);
		expect(normaliseMessage('at GTIDs 3E11FA47-71CA-11E1-9E33-C80AA9429562:23, 0f26f321-9c39-11eb-bd94-043f72d8bdae:1-649435898 and')).toBe('at GTIDs <gtids> and');
		// The producer's limit in its two wordings, and the broker's: three fingerprints.
		const sizes = new Set(['record-too-large-producer-ethvm-546.txt', 'record-too-large-replicator-max-request-size-100.txt', 'record-too-large-broker-flattened-iceberg-285.txt'].map(fingerprint));
		expect(sizes.size).toBe(3);
		// Every published trace has a fingerprint; the 17 make 15 groups (the two pairs above join).
		expect(new Set(publishedTraces().map(each => rootCause(each.trace)?.fingerprint)).size).toBe(15);
	});
});

describe('parseTrace on other shapes', () => {
	it('multi-line messages join into one line (the demo JDBC and Elasticsearch traces, modelled on real ones)', () => {
		const jdbc = parseTrace(jdbcSinkConnectionRefusedTrace('jdbc:postgresql://db-3:5432/orders'));
		expect(jdbc.chain.map(link => link.shortName)).toEqual(['ConnectException', 'ConnectException', 'SQLException', 'ConnectException']);
		expect(jdbc.chain[1]?.message).toBe('java.sql.SQLException: Exception chain: / java.sql.SQLException: Connection refused: unable to connect to jdbc:postgresql://db-3:5432/orders');
		expect(rootCause(jdbc)).toMatchObject({className: 'java.net.ConnectException', message: 'Connection refused', depth: 3});
		const elastic = rootCause(elasticsearchSinkTrace('orders'));
		expect(elastic?.message).toBe("Indexing record failed -> Response status: 'BAD_REQUEST', / Index: 'orders', / Document Id: 'orders+0+48213'");
	});

	it('escaped \\n and \\t (a trace pasted from JSON without decoding) are read as line breaks', () => {
		const parsed = parseTrace(recordTooLargeEscaped);
		expect(parsed.chain.map(link => link.shortName)).toEqual(['ConnectException', 'RecordTooLargeException']);
		expect(parsed.chain[0]?.frames).toBe(2);
	});

	it('Suppressed: blocks and their causes stay out of the main chain', () => {
		const parsed = parseTrace(withSuppressed);
		expect(parsed.chain.map(link => link.shortName)).toEqual(['ConnectException', 'SQLException']);
		expect(parsed.chain[0]?.frames).toBe(1);
		expect(parsed.chain[0]?.suppressed.map(link => link.shortName)).toEqual(['IOException']);
		expect(rootCause(parsed)).toMatchObject({shortName: 'SQLException', message: 'Connection is closed', depth: 1});
	});

	it('indented pastes, CRLF line ends and a blank trace', () => {
		const indented = '  org.apache.kafka.connect.errors.ConnectException: outer\r\n            at a.B.c(B.java:1)\r\n            Caused by: java.lang.IllegalStateException: inner\r\n            at a.B.d(B.java:2)\r\n';
		expect(rootCause(indented)).toMatchObject({shortName: 'IllegalStateException', message: 'inner', depth: 1});
		expect(parseTrace('').chain).toEqual([]);
		expect(rootCause('   \n')).toBeUndefined();
		expect(rootCause(undefined)).toBeUndefined();
	});
});

describe('fingerprints', () => {
	it('normalise numbers, hosts, ids, offsets and quoted values, and keep the words', () => {
		expect(normaliseMessage('Connection refused: unable to connect to jdbc:postgresql://db-3:5432/orders')).toBe('Connection refused: unable to connect to jdbc:<url>');
		expect(normaliseMessage("Document Id: 'orders+0+48213' at 10.50.253.7:8084")).toBe('Document Id: <q> at <host>');
		expect(normaliseMessage('worker connect-0.connect.confluent.svc.cluster.local:8083 lost, id 3f2a9c1e-0b7d-4c55-9a0e-1c2d3e4f5a6b')).toBe('worker <host> lost, id <id>');
		expect(normaliseMessage('ERROR: replication slot "debezium_db3" is active for PID 974')).toBe('ERROR: replication slot <q> is active for PID <n>');
	});

	it('the same failure on two servers has one fingerprint; a different failure another', () => {
		const a = rootCause(debeziumPostgresTrace('inventory-1'));
		const b = rootCause(debeziumPostgresTrace('billing'));
		expect(a?.fingerprint).toBe(b?.fingerprint);
		expect(rootCause(jdbcSinkConnectionRefusedTrace('jdbc:postgresql://db-3:5432/x'))?.fingerprint).toBe(rootCause(jdbcSinkConnectionRefusedTrace('jdbc:postgresql://db-7:5432/y'))?.fingerprint);
		expect(a?.fingerprint).not.toBe(rootCause(elasticsearchSinkTrace('orders'))?.fingerprint);
	});
});
