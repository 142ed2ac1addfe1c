/**
 * The Apache Kafka version behind what `GET /` reports (pure). Apache Kafka reports its own
 * version ("3.9.0", "2.4.1"). Confluent Platform reports its own numbering with a `-ccs` or
 * `-ce` suffix ("7.9.0-ccs", "6.1.1-ce"), which maps onto Apache Kafka as CP 5.x → 2.x,
 * CP 6.0–6.2 → 2.6–2.8, CP 7.x → 3.x and CP 8.x → 4.x (same minor from 7.0 on).
 */
export interface KafkaVersion {
	readonly major: number;
	readonly minor: number;
	/** What the worker reported, for messages. */
	readonly reported: string;
}

function confluentToKafka(major: number, minor: number): {major: number; minor: number} | undefined {
	if (major === 5) return {major: 2, minor};
	if (major === 6) return {major: 2, minor: 6 + minor};
	if (major === 7) return {major: 3, minor};
	if (major === 8) return {major: 4, minor};
	return undefined;
}

export function kafkaVersionOf(reported: string | undefined): KafkaVersion | undefined {
	if (reported === undefined) return undefined;
	const match = /^(\d+)\.(\d+)(?:\.\d+)?(-[\w.-]+)?$/.exec(reported.trim());
	if (match === null) return undefined;
	const major = Number(match[1]);
	const minor = Number(match[2]);
	const suffix = match[3] ?? '';
	if (/^-(ccs|ce)\b/.test(suffix)) {
		const kafka = confluentToKafka(major, minor);
		return kafka === undefined ? undefined : {...kafka, reported};
	}
	return {major, minor, reported};
}

/** True when the version is known to be older than major.minor; unknown versions are not. */
export function olderThan(version: KafkaVersion | undefined, major: number, minor: number): boolean {
	if (version === undefined) return false;
	return version.major < major || (version.major === major && version.minor < minor);
}

/** What a Connect REST API can do, by the version it reports. */
export interface ConnectCapabilities {
	/** `POST /connectors/X/restart?includeTasks&onlyFailed` (KIP-745, Kafka 3.0). Before, both are ignored. */
	readonly restartWithTasks: boolean;
	/** `PUT /connectors/X/stop` and the offsets API (KIP-875, Kafka 3.5). */
	readonly stop: boolean;
	readonly version: KafkaVersion | undefined;
}

/**
 * Unknown versions (GET / failed) get the calls that work everywhere: per-task restarts,
 * and stop offered (a 404 then says it is missing).
 */
export function capabilitiesOf(reported: string | undefined): ConnectCapabilities {
	const version = kafkaVersionOf(reported);
	return {
		restartWithTasks: version !== undefined && !olderThan(version, 3, 0),
		stop: !olderThan(version, 3, 5),
		version,
	};
}

/** "2.4.1", or "7.4.0-ccs (Kafka 3.4)" for Confluent numbering. */
export function describeVersion(version: KafkaVersion): string {
	const plain = `${version.major}.${version.minor}`;
	return version.reported.startsWith(plain) ? version.reported : `${version.reported} (Kafka ${plain})`;
}
