import {describe, expect, it} from 'vitest';
import {causeText, normaliseMessage, parseTrace, rootCause} from '../../source/model/trace.js';
import {debeziumPostgresTrace, elasticsearchSinkTrace, jdbcSinkConnectionRefusedTrace} from '../../source/demo/traces.js';
import {recordTooLargeEscaped, withSuppressed} from '../fixtures/traces/modelled-traces.js';
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
