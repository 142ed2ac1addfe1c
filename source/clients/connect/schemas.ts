import * as z from 'zod';

/**
 * zod schemas for the Kafka Connect REST API (shapes: shared/reference §4).
 * Lenient where real workers differ (extra fields pass, optional fields that older
 * versions lack), strict where kctop depends on a value.
 */

export const connectorState = z.enum(['UNASSIGNED', 'RUNNING', 'PAUSED', 'FAILED', 'RESTARTING', 'STOPPED', 'DESTROYED']);
/** States are upper-case in every known version; anything else (vendor states such as DEGRADED) is kept as a string. */
export const stateSchema = z.union([connectorState, z.string()]);
export type ConnectState = z.infer<typeof stateSchema>;

export const serverInfoSchema = z.looseObject({
	version: z.string(),
	commit: z.string().optional(),
	kafka_cluster_id: z.string().optional(),
});
export type ServerInfo = z.infer<typeof serverInfoSchema>;

export const connectorTypeSchema = z.union([z.enum(['source', 'sink', 'unknown']), z.string()]);

export const instanceStatusSchema = z.looseObject({
	state: stateSchema,
	worker_id: z.string(),
	trace: z.string().optional(),
	version: z.string().optional(),
});
export type InstanceStatus = z.infer<typeof instanceStatusSchema>;

export const taskStatusSchema = instanceStatusSchema.extend({id: z.number().int()});
export type TaskStatus = z.infer<typeof taskStatusSchema>;

export const connectorStatusSchema = z.looseObject({
	name: z.string(),
	connector: instanceStatusSchema,
	tasks: z.array(taskStatusSchema),
	type: connectorTypeSchema.optional(),
});
export type ConnectorStatus = z.infer<typeof connectorStatusSchema>;

export const connectorConfigSchema = z.record(z.string(), z.string().nullable().transform(v => v ?? ''));
export type ConnectorConfig = z.infer<typeof connectorConfigSchema>;

export const connectorInfoSchema = z.looseObject({
	name: z.string(),
	config: connectorConfigSchema,
	tasks: z.array(z.looseObject({connector: z.string(), task: z.number().int()})),
	type: connectorTypeSchema.optional(),
});
export type ConnectorInfo = z.infer<typeof connectorInfoSchema>;

/** `GET /connectors?expand=status&expand=info`. Either part may be missing for a connector being created or deleted. */
export const connectorsExpandedSchema = z.record(
	z.string(),
	z.looseObject({
		status: connectorStatusSchema.optional(),
		info: connectorInfoSchema.optional(),
	}),
);
export type ConnectorsExpanded = z.infer<typeof connectorsExpandedSchema>;

export const connectorNamesSchema = z.array(z.string());

export const taskInfoSchema = z.looseObject({
	id: z.looseObject({connector: z.string(), task: z.number().int()}),
	config: connectorConfigSchema,
});
export const tasksSchema = z.array(taskInfoSchema);
export type TaskInfo = z.infer<typeof taskInfoSchema>;

/** `GET /connectors/{name}/topics` → `{"<name>": {"topics": [...]}}`. */
export const topicsSchema = z.record(z.string(), z.looseObject({topics: z.array(z.string())}));
export type ConnectorTopics = z.infer<typeof topicsSchema>;

/** `GET /connectors/{name}/offsets`; partition and offset maps are connector specific. */
export const offsetsSchema = z.looseObject({
	offsets: z.array(
		z.looseObject({
			partition: z.record(z.string(), z.unknown()),
			offset: z.record(z.string(), z.unknown()).nullable(),
		}),
	),
});
export type ConnectorOffsets = z.infer<typeof offsetsSchema>;

/** `{error_code, message}`; some proxies and the basic-auth filter answer with plain text instead. */
export const errorBodySchema = z.looseObject({
	error_code: z.number().int(),
	message: z.string().nullable().optional(),
});
