import {createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import * as z from 'zod';
import type {Fault, HeldResponses} from './faults.js';

/**
 * The simulator's stand-in for a broken Prometheus: an HTTP proxy in front of the real one
 * (its upstream, given by flag or through the control endpoint), which the `prometheus:*`
 * faults of the switchboard break on purpose. With no fault it forwards every request as it
 * is. `down` is handled by the server (the port is closed); the rest here.
 */

export interface PrometheusProxyContext {
	/** The Prometheus to forward to; undefined: every request gets 503 "no upstream yet". */
	readonly upstream: () => string | undefined;
	readonly fault: () => Extract<Fault, {target: 'prometheus'}> | undefined;
	/** Rows that name one of these (any label value) are dropped by `partial` (see partialLabelValues). */
	readonly partialLabelValues: () => ReadonlySet<string>;
	readonly held: HeldResponses;
	/** Counts every request that reaches the proxy. */
	readonly counted: () => void;
}

/** What `prometheus:warnings` adds to an answer. */
export const prometheusFaultWarning = 'partial response: store 10.0.0.7:10901 (Thanos sidecar) unavailable, results may be incomplete';

const internalError = JSON.stringify({status: 'error', errorType: 'internal', error: 'expanding series: opening storage: too many open files'});

const answerSchema = z.looseObject({
	status: z.string(),
	data: z.looseObject({resultType: z.string(), result: z.unknown()}).optional(),
	warnings: z.array(z.string()).optional(),
});
const rowSchema = z.looseObject({metric: z.record(z.string(), z.string())});

/** The body as a Prometheus answer; undefined when it is not one. */
function answerOf(body: string): z.infer<typeof answerSchema> | undefined {
	let json: unknown;
	try {
		json = JSON.parse(body);
	} catch {
		return undefined;
	}
	const answer = answerSchema.safeParse(json);
	return answer.success ? answer.data : undefined;
}

/**
 * What `prometheus:partial` drops: the rows that came from one worker's exporter, as a
 * Prometheus (or a Thanos store) that lost that target's series would answer. The proxy sees
 * aggregated rows, so it drops those that name the worker (its worker_id, its exporter's
 * host:port) and those of the connectors whose instance or tasks run on it (by name, and by
 * Debezium `server` = topic.prefix): their metrics come from that worker's exporter.
 */
export function partialLabelValues(
	worker: {readonly index: number; readonly id: string; readonly metricsHost: string},
	connectors: ReadonlyArray<{readonly spec: {readonly name: string; readonly debezium?: {readonly server: string} | undefined}; readonly workerIndex: number; readonly tasks: ReadonlyArray<{readonly workerIndex: number}>}>,
): Set<string> {
	const values = new Set([worker.id, worker.metricsHost]);
	for (const connector of connectors) {
		if (connector.workerIndex !== worker.index && !connector.tasks.some(task => task.workerIndex === worker.index)) continue;
		values.add(connector.spec.name);
		if (connector.spec.debezium !== undefined) values.add(connector.spec.debezium.server);
	}
	return values;
}

/** The answer without the rows any of whose label values is in `drop`; undefined when the body is not a Prometheus answer. */
export function withoutRows(body: string, drop: ReadonlySet<string>): string | undefined {
	const answer = answerOf(body);
	if (answer?.data === undefined || !Array.isArray(answer.data.result)) return undefined;
	const kept = answer.data.result.filter((row: unknown) => {
		const parsed = rowSchema.safeParse(row);
		return !parsed.success || !Object.values(parsed.data.metric).some(value => drop.has(value));
	});
	return JSON.stringify({...answer, data: {...answer.data, result: kept}});
}

/** The answer with one more warning; undefined when the body is not a Prometheus answer. */
export function withWarning(body: string, warning: string): string | undefined {
	const answer = answerOf(body);
	return answer === undefined ? undefined : JSON.stringify({...answer, warnings: [...(answer.warnings ?? []), warning]});
}

function send(res: ServerResponse, status: number, body: string, contentType = 'application/json'): void {
	if (res.destroyed) return;
	res.writeHead(status, {'Content-Type': contentType, 'Content-Length': String(Buffer.byteLength(body))});
	res.end(body);
}

export function createPrometheusProxyServer(context: PrometheusProxyContext): Server {
	const forward = (req: IncomingMessage, res: ServerResponse, body: Buffer, transform: ((text: string) => string | undefined) | undefined): void => {
		const upstream = context.upstream();
		if (upstream === undefined) {
			send(res, 503, 'no upstream Prometheus yet (POST /_prometheus {"upstream": URL} on the control endpoint)\n', 'text/plain; charset=utf-8');
			return;
		}
		const target = new URL(req.url ?? '/', upstream);
		const headers = {...req.headers, host: target.host};
		delete headers['content-length'];
		const outgoing = httpRequest(target, {method: req.method, headers: {...headers, 'content-length': String(body.length)}}, answer => {
			const chunks: Buffer[] = [];
			answer.on('data', (chunk: Buffer) => chunks.push(chunk));
			answer.on('error', () => res.destroy());
			answer.on('end', () => {
				const text = Buffer.concat(chunks).toString('utf8');
				const changed = transform === undefined ? undefined : transform(text);
				send(res, answer.statusCode ?? 502, changed ?? text, answer.headers['content-type'] ?? 'application/json');
			});
		});
		outgoing.on('error', error => send(res, 502, `upstream Prometheus: ${error.message}\n`, 'text/plain; charset=utf-8'));
		outgoing.end(body);
	};

	return createServer({keepAliveTimeout: 5000}, (req, res) => {
		context.counted();
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const body = Buffer.concat(chunks);
			const fault = context.fault();
			switch (fault?.kind) {
				case undefined:
				case 'down': // the port is closed while it holds; a request that slipped in is answered
					forward(req, res, body, undefined);
					return;
				case 'http-500':
					send(res, 500, internalError);
					return;
				case 'slow':
					context.held.later(fault.delayMs, () => forward(req, res, body, undefined));
					return;
				case 'warnings':
					forward(req, res, body, text => withWarning(text, prometheusFaultWarning));
					return;
				case 'partial':
					forward(req, res, body, text => withoutRows(text, context.partialLabelValues()));
					return;
			}
		});
	});
}
