/**
 * Java stack traces as Kafka Connect puts them in a FAILED instance's `trace` (the
 * output of `Throwable.printStackTrace`: `\n\tat` frames, `Caused by:` chains, `... N more`).
 * Modelled on real ones (shared/real-payloads: filestream sink cp-7.9, Debezium SQL Server,
 * Replicator), with Java 17 `java.base/` frames as Kafka 3.9 images run.
 */

const threadFrames = [
	'org.apache.kafka.connect.runtime.WorkerTask.doRun(WorkerTask.java:204)',
	'org.apache.kafka.connect.runtime.WorkerTask.run(WorkerTask.java:259)',
	'org.apache.kafka.connect.runtime.isolation.Plugins.lambda$withClassLoader$1(Plugins.java:237)',
	'java.base/java.util.concurrent.Executors$RunnableAdapter.call(Executors.java:539)',
	'java.base/java.util.concurrent.FutureTask.run(FutureTask.java:264)',
	'java.base/java.util.concurrent.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1136)',
	'java.base/java.util.concurrent.ThreadPoolExecutor$Worker.run(ThreadPoolExecutor.java:635)',
	'java.base/java.lang.Thread.run(Thread.java:840)',
];

const sinkLoopFrames = [
	'org.apache.kafka.connect.runtime.WorkerSinkTask.poll(WorkerSinkTask.java:350)',
	'org.apache.kafka.connect.runtime.WorkerSinkTask.iteration(WorkerSinkTask.java:250)',
	'org.apache.kafka.connect.runtime.WorkerSinkTask.execute(WorkerSinkTask.java:219)',
	...threadFrames,
];

function frames(lines: readonly string[]): string {
	return lines.map(line => `\tat ${line}\n`).join('');
}

/** JDBC sink: the target database refused the connection while writing a batch. */
export function jdbcSinkConnectionRefusedTrace(jdbcUrl: string): string {
	return (
		'org.apache.kafka.connect.errors.ConnectException: Exiting WorkerSinkTask due to unrecoverable exception.\n' +
		frames(['org.apache.kafka.connect.runtime.WorkerSinkTask.deliverMessages(WorkerSinkTask.java:632)', ...sinkLoopFrames]) +
		'Caused by: org.apache.kafka.connect.errors.ConnectException: java.sql.SQLException: Exception chain:\n' +
		`java.sql.SQLException: Connection refused: unable to connect to ${jdbcUrl}\n\n` +
		frames([
			'io.confluent.connect.jdbc.sink.JdbcSinkTask.put(JdbcSinkTask.java:122)',
			'org.apache.kafka.connect.runtime.WorkerSinkTask.deliverMessages(WorkerSinkTask.java:601)',
		]) +
		'\t... 11 more\n' +
		'Caused by: java.sql.SQLException: Connection refused (Connection refused)\n' +
		frames([
			'org.postgresql.core.v3.ConnectionFactoryImpl.openConnectionImpl(ConnectionFactoryImpl.java:346)',
			'org.postgresql.core.ConnectionFactory.openConnection(ConnectionFactory.java:54)',
			'org.postgresql.jdbc.PgConnection.<init>(PgConnection.java:263)',
			'org.postgresql.Driver.makeConnection(Driver.java:443)',
			'org.postgresql.Driver.connect(Driver.java:297)',
			'java.sql/java.sql.DriverManager.getConnection(DriverManager.java:681)',
			'java.sql/java.sql.DriverManager.getConnection(DriverManager.java:229)',
			'io.confluent.connect.jdbc.dialect.GenericDatabaseDialect.getConnection(GenericDatabaseDialect.java:250)',
			'io.confluent.connect.jdbc.util.CachedConnectionProvider.newConnection(CachedConnectionProvider.java:84)',
			'io.confluent.connect.jdbc.util.CachedConnectionProvider.getConnection(CachedConnectionProvider.java:54)',
			'io.confluent.connect.jdbc.sink.JdbcDbWriter.write(JdbcDbWriter.java:64)',
			'io.confluent.connect.jdbc.sink.JdbcSinkTask.put(JdbcSinkTask.java:90)',
		]) +
		'\t... 12 more\n' +
		'Caused by: java.net.ConnectException: Connection refused\n' +
		frames([
			'java.base/sun.nio.ch.Net.pollConnect(Native Method)',
			'java.base/sun.nio.ch.Net.pollConnectNow(Net.java:672)',
			'java.base/sun.nio.ch.NioSocketImpl.timedFinishConnect(NioSocketImpl.java:547)',
			'java.base/sun.nio.ch.NioSocketImpl.connect(NioSocketImpl.java:602)',
			'java.base/java.net.SocksSocketImpl.connect(SocksSocketImpl.java:327)',
			'java.base/java.net.Socket.connect(Socket.java:633)',
			'org.postgresql.core.PGStream.createSocket(PGStream.java:243)',
			'org.postgresql.core.PGStream.<init>(PGStream.java:98)',
			'org.postgresql.core.v3.ConnectionFactoryImpl.tryConnect(ConnectionFactoryImpl.java:132)',
			'org.postgresql.core.v3.ConnectionFactoryImpl.openConnectionImpl(ConnectionFactoryImpl.java:258)',
		]) +
		'\t... 23 more\n'
	);
}

/** Debezium PostgreSQL: the replication slot is gone or the connection dropped. */
export function debeziumPostgresTrace(server: string): string {
	return (
		'org.apache.kafka.connect.errors.ConnectException: An exception occurred in the change event producer. This connector will be stopped.\n' +
		frames([
			'io.debezium.pipeline.ErrorHandler.setProducerThrowable(ErrorHandler.java:67)',
			'io.debezium.connector.postgresql.PostgresStreamingChangeEventSource.execute(PostgresStreamingChangeEventSource.java:180)',
			'io.debezium.connector.postgresql.PostgresStreamingChangeEventSource.execute(PostgresStreamingChangeEventSource.java:42)',
			'io.debezium.pipeline.ChangeEventSourceCoordinator.streamEvents(ChangeEventSourceCoordinator.java:324)',
			'io.debezium.pipeline.ChangeEventSourceCoordinator.executeChangeEventSources(ChangeEventSourceCoordinator.java:203)',
			'io.debezium.pipeline.ChangeEventSourceCoordinator.lambda$start$0(ChangeEventSourceCoordinator.java:143)',
			'java.base/java.util.concurrent.Executors$RunnableAdapter.call(Executors.java:539)',
			'java.base/java.util.concurrent.FutureTask.run(FutureTask.java:264)',
			'java.base/java.util.concurrent.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1136)',
			'java.base/java.util.concurrent.ThreadPoolExecutor$Worker.run(ThreadPoolExecutor.java:635)',
			'java.base/java.lang.Thread.run(Thread.java:840)',
		]) +
		`Caused by: org.postgresql.util.PSQLException: ERROR: replication slot "debezium_${server.replace(/[^a-z0-9_]/gi, '_')}" does not exist\n` +
		frames([
			'org.postgresql.core.v3.QueryExecutorImpl.receiveErrorResponse(QueryExecutorImpl.java:2725)',
			'org.postgresql.core.v3.QueryExecutorImpl.processCopyResults(QueryExecutorImpl.java:1323)',
			'org.postgresql.core.v3.QueryExecutorImpl.startCopy(QueryExecutorImpl.java:1002)',
			'org.postgresql.core.v3.CopyDualImpl.startCopy(CopyDualImpl.java:87)',
			'org.postgresql.replication.fluent.logical.LogicalStreamBuilder.start(LogicalStreamBuilder.java:39)',
			'io.debezium.connector.postgresql.connection.PostgresReplicationConnection.startPgReplicationStream(PostgresReplicationConnection.java:658)',
		]) +
		'\t... 10 more\n'
	);
}

/** Elasticsearch sink: a mapping conflict the connector does not tolerate. */
export function elasticsearchSinkTrace(topic: string): string {
	return (
		'org.apache.kafka.connect.errors.ConnectException: Exiting WorkerSinkTask due to unrecoverable exception.\n' +
		frames(['org.apache.kafka.connect.runtime.WorkerSinkTask.deliverMessages(WorkerSinkTask.java:632)', ...sinkLoopFrames]) +
		`Caused by: org.apache.kafka.connect.errors.ConnectException: Indexing record failed -> Response status: 'BAD_REQUEST',\n Index: '${topic}',\n Document Id: '${topic}+0+48213'\n` +
		frames([
			'io.confluent.connect.elasticsearch.ElasticsearchClient.handleResponse(ElasticsearchClient.java:639)',
			'io.confluent.connect.elasticsearch.ElasticsearchClient$1.afterBulk(ElasticsearchClient.java:428)',
			'org.elasticsearch.action.bulk.BulkRequestHandler$1.onResponse(BulkRequestHandler.java:59)',
		]) +
		'\t... 5 more\n'
	);
}

/** S3 sink: the bucket policy denies writes. */
export function s3SinkTrace(bucket: string): string {
	return (
		'org.apache.kafka.connect.errors.ConnectException: Exiting WorkerSinkTask due to unrecoverable exception.\n' +
		frames(['org.apache.kafka.connect.runtime.WorkerSinkTask.deliverMessages(WorkerSinkTask.java:632)', ...sinkLoopFrames]) +
		'Caused by: org.apache.kafka.connect.errors.RetriableException: org.apache.kafka.connect.errors.ConnectException: Multipart upload failed to complete.\n' +
		frames([
			'io.confluent.connect.s3.TopicPartitionWriter.write(TopicPartitionWriter.java:240)',
			'io.confluent.connect.s3.S3SinkTask.put(S3SinkTask.java:244)',
			'org.apache.kafka.connect.runtime.WorkerSinkTask.deliverMessages(WorkerSinkTask.java:601)',
		]) +
		'\t... 11 more\n' +
		`Caused by: com.amazonaws.services.s3.model.AmazonS3Exception: Access Denied (Service: Amazon S3; Status Code: 403; Error Code: AccessDenied; Request ID: 4KX1Q7T3; S3 Extended Request ID: null; Proxy: null), S3 Extended Request ID: null; bucket: ${bucket}\n` +
		frames([
			'com.amazonaws.http.AmazonHttpClient$RequestExecutor.handleErrorResponse(AmazonHttpClient.java:1879)',
			'com.amazonaws.http.AmazonHttpClient$RequestExecutor.executeOneRequest(AmazonHttpClient.java:1418)',
			'com.amazonaws.services.s3.AmazonS3Client.initiateMultipartUpload(AmazonS3Client.java:3611)',
		]) +
		'\t... 14 more\n'
	);
}

/** Generic source connector failing in start(): a connector-level (not task) failure. */
export function connectorStartFailureTrace(className: string): string {
	return (
		`org.apache.kafka.connect.errors.ConnectException: Failed to start connector ${className}: configuration validation failed\n` +
		frames([
			'org.apache.kafka.connect.runtime.WorkerConnector.doStart(WorkerConnector.java:191)',
			'org.apache.kafka.connect.runtime.WorkerConnector.start(WorkerConnector.java:216)',
			'org.apache.kafka.connect.runtime.WorkerConnector.doTransitionTo(WorkerConnector.java:365)',
			'org.apache.kafka.connect.runtime.WorkerConnector.doTransitionTo(WorkerConnector.java:348)',
			'org.apache.kafka.connect.runtime.WorkerConnector.doRun(WorkerConnector.java:143)',
			'org.apache.kafka.connect.runtime.WorkerConnector.run(WorkerConnector.java:121)',
			...threadFrames.slice(2),
		])
	);
}
