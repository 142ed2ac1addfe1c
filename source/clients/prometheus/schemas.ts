import * as z from 'zod';

/**
 * Shapes of the Prometheus HTTP API (`/api/v1/…`), as served by Prometheus and the
 * compatible APIs of Thanos, Mimir/Cortex and VictoriaMetrics. Sample values arrive as
 * JSON strings ("1.5", "NaN", "+Inf") and timestamps as float seconds; the client converts
 * them. Native-histogram samples (`histogram`/`histograms`) are accepted and ignored.
 */

/** `[<unix seconds>, "<value>"]` */
export const promSamplePairSchema = z.tuple([z.number(), z.string()]);

const labelSetSchema = z.record(z.string(), z.string());

export const vectorItemSchema = z.object({
	metric: labelSetSchema,
	value: promSamplePairSchema.optional(),
	histogram: z.unknown().optional(),
});

const isSamplePair = (value: unknown): boolean => Array.isArray(value) && value.length === 2 && typeof value[0] === 'number' && typeof value[1] === 'string';
/**
 * A range's `[<unix seconds>, "<value>"]` pairs, checked in place: z.array(z.tuple(…)) copies
 * every pair, which at 1,009 connectors (5,700 series × 150 points, an 18.8 MB body) took
 * 140 MB of heap and 3.4 s on top of JSON.parse's 74 MB.
 */
export const promSamplePairsSchema = z.custom<Array<[number, string]>>((value) => Array.isArray(value) && value.every(isSamplePair), 'expected [<unix seconds>, "<value>"] pairs');

export const matrixItemSchema = z.object({
	metric: labelSetSchema,
	values: promSamplePairsSchema.optional(),
	histograms: z.unknown().optional(),
});

export const queryDataSchema = z.discriminatedUnion('resultType', [
	z.object({resultType: z.literal('vector'), result: z.array(vectorItemSchema)}),
	z.object({resultType: z.literal('matrix'), result: z.array(matrixItemSchema)}),
	z.object({resultType: z.literal('scalar'), result: promSamplePairSchema}),
	z.object({resultType: z.literal('string'), result: promSamplePairSchema}),
]);

const notesSchema = z.array(z.string()).optional();

export const querySuccessSchema = z.object({
	status: z.literal('success'),
	data: queryDataSchema,
	warnings: notesSchema,
	infos: notesSchema,
});

/**
 * The envelope of a query answer: everything but the rows of `result`, which the client
 * walks itself (client.ts `readVector`/`readMatrix`) with plain type checks, to the same
 * shapes as queryDataSchema. A zod pass over every row cost more than the rest of the
 * refresh at a thousand connectors, and copied every label set once more.
 */
export const queryEnvelopeSchema = z.object({
	status: z.literal('success'),
	data: z.object({resultType: z.enum(['vector', 'matrix', 'scalar', 'string']), result: z.unknown()}),
	warnings: notesSchema,
	infos: notesSchema,
});

export const labelValuesSuccessSchema = z.object({
	status: z.literal('success'),
	// VictoriaMetrics and old Thanos versions answer `null` for no values.
	data: z.array(z.string()).nullable(),
	warnings: notesSchema,
	infos: notesSchema,
});

/** `/api/v1/targets`: only what kctop reads (the scrape interval per active target, Prometheus ≥ 2.27). */
export const targetsSuccessSchema = z.object({
	status: z.literal('success'),
	data: z.object({
		activeTargets: z.array(
			z.object({
				scrapeInterval: z.string().optional(),
				labels: labelSetSchema.optional(),
				health: z.string().optional(),
			}),
		),
	}),
});

/** `{status:"error", errorType:"bad_data", error:"…"}` (errorType is missing in a few proxies). */
export const promErrorSchema = z.object({
	status: z.literal('error'),
	errorType: z.string().optional(),
	error: z.string(),
	warnings: notesSchema,
	infos: notesSchema,
});

/** Only the `status` field, to tell a success body from an error body before the full parse. */
export const promStatusSchema = z.object({status: z.enum(['success', 'error'])});

export type QueryData = z.infer<typeof queryDataSchema>;
export type QuerySuccess = z.infer<typeof querySuccessSchema>;
export type QueryEnvelope = z.infer<typeof queryEnvelopeSchema>;
export type LabelValuesSuccess = z.infer<typeof labelValuesSuccessSchema>;
export type TargetsSuccess = z.infer<typeof targetsSuccessSchema>;
export type PromError = z.infer<typeof promErrorSchema>;
