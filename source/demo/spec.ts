/** Static description of a simulated connector: what it is, not what state it is in. */

export type ConnectorType = 'source' | 'sink';
export type DebeziumPlugin = 'mysql' | 'postgres';

/** Which `GET /connectors/{name}/offsets` format the connector uses. */
export type OffsetStyle = 'debezium-mysql' | 'debezium-postgres' | 'file' | 'sink' | 'generic-source';

/** Trouble a generated connector starts with (scale mode). */
export interface InitialTrouble {
	/** Task ids that start FAILED with a trace (stay failed until restarted). */
	readonly failedTasks?: readonly number[];
	/** Connector starts PAUSED (connector and tasks). */
	readonly paused?: boolean;
	/** Debezium: the source database is unreachable from the start (Connected 0). */
	readonly disconnected?: boolean;
}

export interface DebeziumSpec {
	readonly plugin: DebeziumPlugin;
	/** topic.prefix: the `server` of the Debezium MBeans. */
	readonly server: string;
	readonly database: string;
	readonly tables: readonly string[];
	/** Seconds the initial snapshot takes (0: no snapshot). */
	readonly snapshotSeconds: number;
}

export interface ConnectorSpec {
	readonly name: string;
	readonly className: string;
	readonly taskClass: string;
	readonly version: string;
	readonly type: ConnectorType;
	/** The config as `GET /connectors/{name}/config` returns it (includes `name`, all values strings). */
	readonly config: Readonly<Record<string, string>>;
	readonly tasksMax: number;
	/** Source: topics written; sink: topics read. */
	readonly topics: readonly string[];
	readonly partitionsPerTopic: number;
	/** Mean records per second per task when healthy. */
	readonly recordsPerSecond: number;
	readonly offsetStyle: OffsetStyle;
	readonly debezium?: DebeziumSpec;
	/** A trace used when one of its tasks fails (scale mode and scenario). */
	readonly failureTrace: string;
	readonly trouble?: InitialTrouble;
}

/** Placement of a connector's instances at the start: worker index of the connector and of each task. */
export interface Placement {
	readonly connector: number;
	readonly tasks: readonly number[];
}
