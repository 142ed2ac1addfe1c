import {parseTrace, type ParsedTrace, type TraceException} from './trace.js';

/**
 * One factual line for the well-known Connect and Debezium failures, naming the setting or the
 * command to look at. Matched on every exception of the chain (deepest first), so a converter
 * error under "Tolerance exceeded" gets the converter line first. Values from the connector's
 * config are named where they help (the DLQ topic, the converters, the slot, the user).
 */
export type HintId = 'binlog-purged' | 'schema-history' | 'access-denied' | 'record-too-large' | 'converter-mismatch' | 'slot-active' | 'tolerance-exceeded';

export interface Hint {
	readonly id: HintId;
	readonly text: string;
}

type Config = Readonly<Record<string, string>>;

interface Rule {
	readonly id: HintId;
	readonly matches: (exception: TraceException) => boolean;
	/** The line, from the connector's config and the exception the rule matched. */
	readonly text: (config: Config, exception: TraceException) => string;
}

function quoted(value: string | undefined): string {
	return value === undefined || value === '' ? 'not set' : JSON.stringify(value);
}

function says(pattern: RegExp): (exception: TraceException) => boolean {
	return exception => pattern.test(exception.message) || pattern.test(exception.className ?? '');
}

/** Thrown from a frame whose `Class.method` matches: old AvroConverter DataExceptions carry only the topic name. */
function threwIn(pattern: RegExp): (exception: TraceException) => boolean {
	return exception => exception.methods.some(method => pattern.test(method));
}

function either(...tests: ReadonlyArray<(exception: TraceException) => boolean>): (exception: TraceException) => boolean {
	return exception => tests.some(test => test(exception));
}

const rules: readonly Rule[] = [
	{
		id: 'binlog-purged',
		matches: says(/binlog.*no longer (?:available|exists?) on the server/is),
		text: () => 'the binlog position in the offsets was purged from the server: set snapshot.mode=when_needed (or re-snapshot) and keep binlogs longer (binlog_expire_logs_seconds)',
	},
	{
		id: 'schema-history',
		matches: says(/history topic.*(?:missing|corrupt|not found|does not exist)|schema isn't known to this connector/is),
		text: config => {
			const topic = config['schema.history.internal.kafka.topic'] ?? config['database.history.kafka.topic'];
			return `schema history topic ${quoted(topic)} (schema.history.internal.kafka.topic, database.history.kafka.topic before 2.0) is missing or incomplete: restore it or recover with snapshot.mode=recovery (schema_only_recovery before 2.6)`;
		},
	},
	{
		id: 'slot-active',
		matches: says(/replication slot .* is active for PID/is),
		text: config => `another process holds replication slot ${quoted(config['slot.name'] ?? 'debezium')} (slot.name): find it with SELECT slot_name, active_pid FROM pg_replication_slots and stop it, or give each connector its own slot.name`,
	},
	{
		id: 'record-too-large',
		matches: says(/RecordTooLargeException|larger than the max(?:imum)? (?:request|message) size|value of the max\.request\.size configuration/),
		text: () => 'a record is larger than the producer allows: raise producer.override.max.request.size (needs connector.client.config.override.policy=All on the worker) and the topic\'s max.message.bytes',
	},
	{
		id: 'access-denied',
		matches: says(/access denied|AccessDenied|permission (?:was )?denied|not authorized|insufficient privileges?|must be superuser|ORA-01031|AuthorizationException/i),
		text: (config, exception) => {
			// An object store (S3, GCS, Azure Blob) says "Access Denied" about a bucket, not a database.
			if (/Amazon ?S3|S3Exception|storage\.googleapis|GoogleCloudStorage|BlobStorageException|StorageException/i.test(`${exception.className ?? ''} ${exception.message}`)) {
				return 'access refused by the object store: check the bucket policy and the credentials or role the connector uses (the bucket is named in the message)';
			}
			const user = config['database.user'] ?? config['connection.user'] ?? config['connection.username'];
			return `access refused: check the grants of ${user === undefined ? 'the connector\'s database user' : `database user ${JSON.stringify(user)}`} (the object is named in the message), or the ACLs of the worker's Kafka principal`;
		},
	},
	{
		id: 'converter-mismatch',
		matches: either(
			says(/Converting byte\[\] to Kafka Connect data failed|Converting Kafka Connect data to byte\[\] failed|Failed to deserialize data|Unknown magic byte|JsonConverter with schemas\.enable requires|Error (?:de)?serializing (?:Avro|JSON|Protobuf)|incompatible with an earlier schema|matching union field|SerializationException/i),
			threwIn(/Converter\.(?:toConnectData|fromConnectData)$/),
		),
		text: config =>
			`the record does not match the converter: check value.converter (${quoted(config['value.converter'])}), key.converter (${quoted(config['key.converter'])}) and value.converter.schemas.enable against what the topic holds`,
	},
	{
		id: 'tolerance-exceeded',
		matches: says(/Tolerance exceeded in (?:the )?error handler/i),
		text: config => {
			const dlq = config['errors.deadletterqueue.topic.name'];
			const tolerance = config['errors.tolerance'] ?? 'none (default)';
			return `errors.tolerance is ${tolerance}, so one bad record stops the task; dead letter queue ${dlq === undefined || dlq === '' ? 'not set (errors.deadletterqueue.topic.name, sinks only)' : `topic ${JSON.stringify(dlq)} (errors.deadletterqueue.topic.name)`}`;
		},
	},
];

/** Every hint that applies, the one for the deepest exception first; each id once. */
export function hintsFor(trace: string | ParsedTrace | undefined, config: Config = {}): Hint[] {
	const parsed = typeof trace === 'object' ? trace : parseTrace(trace);
	const found: Hint[] = [];
	for (const exception of [...parsed.chain].reverse()) {
		for (const rule of rules) {
			if (found.some(hint => hint.id === rule.id) || !rule.matches(exception)) continue;
			found.push({id: rule.id, text: rule.text(config, exception)});
		}
	}
	return found;
}

export function hintFor(trace: string | ParsedTrace | undefined, config: Config = {}): Hint | undefined {
	return hintsFor(trace, config)[0];
}
