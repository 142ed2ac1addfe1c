/**
 * What the JMX exporter agent sees and produces. The demo simulator models MBeans,
 * and the rule engine (rules.ts) turns them into samples exactly as jmx_exporter would
 * with a given config (shared/reference/connect-metrics-facts.md §3).
 */

export type AttributeValue = number | boolean | string;

export interface MBean {
	/** e.g. "kafka.connect" or "debezium.mysql". */
	readonly domain: string;
	/** Key properties in creation order (the order matters to patterns), values as in the ObjectName (quoted when Kafka quoted them). */
	readonly properties: ReadonlyArray<readonly [string, string]>;
	readonly attributes: Readonly<Record<string, AttributeValue>>;
	/** Attribute descriptions for HELP text (optional). */
	readonly descriptions?: Readonly<Record<string, string>>;
	/**
	 * Java type of numeric attributes, which decides how the value is printed in the string
	 * jmx_exporter patterns are matched against (`Double.toString` "5.0" vs `Long.toString` "5").
	 * Optional: without it, numbers in `kafka.*` domains print as doubles (Kafka metrics are
	 * doubles) and integral numbers elsewhere print as longs (Debezium, JVM).
	 */
	readonly numericTypes?: Readonly<Record<string, 'double' | 'long'>>;
}

export type ExportedType = 'gauge' | 'counter' | 'untyped';

export interface ExportedSample {
	/** Sample name as written (a COUNTER's `_total` included). */
	readonly name: string;
	/** Family name as in `# TYPE` lines. */
	readonly family: string;
	readonly type: ExportedType;
	readonly help: string;
	readonly labels: ReadonlyArray<readonly [string, string]>;
	readonly value: number;
}
