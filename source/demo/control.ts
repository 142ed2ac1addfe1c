import type {IncomingMessage, ServerResponse} from 'node:http';
import * as z from 'zod';
import type {ControlledClock} from './clock.js';
import {FaultSpecError, parseFaultKey, parseFaultSpec, type FaultBoard} from './faults.js';

/**
 * The simulator's control endpoint, on its own port so that no fault can reach it:
 *
 *   GET    /_faults                       → {"faults":["worker@2:killed",…]}
 *   POST   /_faults {"set":[spec…],"clear":[slot…]|"all"}   → the faults now in force
 *   DELETE /_faults                       → clears every fault
 *   GET    /_clock                        → {"mode","nowMs","elapsedMs"}
 *   POST   /_clock {"advanceMs":N} or {"elapsedMs":N}        → moves the simulation's clock ahead
 *   GET    /_requests                     → {"rest","writes","lists","scrapes","prometheus"}: requests received so far
 *   POST   /_prometheus {"upstream":URL}  → points the Prometheus fault proxy at a Prometheus
 *
 * Every answer is JSON; a bad request gets 400 with {"error": "<one line>"}. A POST
 * answers once the simulation has caught up (ports of killed workers closed, and so on).
 */

export interface ControlContext {
	readonly faults: FaultBoard;
	readonly clock: ControlledClock;
	/** When the simulation started (clock ms): `elapsedMs` counts from it. */
	readonly startMs: number;
	/** Catches the simulation up with the clock and waits until the listeners match it. */
	readonly settle: () => Promise<void>;
	readonly requestCounts?: () => Readonly<Record<string, number>>;
	readonly setPrometheusUpstream?: (url: string) => void;
}

const prometheusBody = z.strictObject({upstream: z.url({protocol: /^https?$/})});

const faultsBody = z.strictObject({
	set: z.array(z.string()).optional(),
	clear: z.union([z.array(z.string()), z.literal('all')]).optional(),
});

const clockBody = z.union([z.strictObject({advanceMs: z.number().int().min(0)}), z.strictObject({elapsedMs: z.number().int().min(0)})]);

const maxBodyBytes = 64 * 1024;

class BadRequest extends Error {}

function readBody(req: IncomingMessage): Promise<unknown> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size > maxBodyBytes) {
				reject(new BadRequest(`body larger than ${maxBodyBytes} bytes`));
				req.destroy();
				return;
			}
			chunks.push(chunk);
		});
		req.on('error', reject);
		req.on('end', () => {
			const text = Buffer.concat(chunks).toString('utf8');
			if (text.trim() === '') {
				resolve({});
				return;
			}
			try {
				resolve(JSON.parse(text));
			} catch {
				reject(new BadRequest('body is not JSON'));
			}
		});
	});
}

function reply(res: ServerResponse, status: number, body: unknown): void {
	const text = `${JSON.stringify(body)}\n`;
	res.writeHead(status, {'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text))});
	res.end(text);
}

function parsed<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
	const result = schema.safeParse(value);
	if (!result.success) throw new BadRequest(`${what}: ${result.error.issues.map(issue => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; ')}`);
	return result.data;
}

export function createControlHandler(context: ControlContext): (req: IncomingMessage, res: ServerResponse) => void {
	const clockState = () => ({mode: context.clock.mode, nowMs: context.clock.now(), elapsedMs: context.clock.now() - context.startMs});

	const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
		const {pathname} = new URL(req.url ?? '/', 'http://control.invalid');
		const method = req.method ?? 'GET';
		if (pathname === '/_faults') {
			if (method === 'GET') return reply(res, 200, {faults: context.faults.list()});
			if (method === 'DELETE') {
				context.faults.clearAll();
				await context.settle();
				return reply(res, 200, {faults: context.faults.list()});
			}
			if (method === 'POST') {
				const body = parsed(faultsBody, await readBody(req), 'POST /_faults expects {"set":["worker@2:killed"],"clear":["rest"]}');
				// Everything is checked before anything changes: a bad spec changes nothing.
				const workers = context.faults.workers;
				const slots = body.clear === 'all' ? 'all' : (body.clear ?? []).map(slot => parseFaultKey(slot, workers));
				const added = (body.set ?? []).map(spec => parseFaultSpec(spec, workers));
				if (slots === 'all') context.faults.clearAll();
				else for (const slot of slots) context.faults.clear(slot);
				for (const fault of added) context.faults.set(fault);
				await context.settle();
				return reply(res, 200, {faults: context.faults.list()});
			}
			return reply(res, 405, {error: `${method} not allowed on /_faults`});
		}
		if (pathname === '/_clock') {
			if (method === 'GET') return reply(res, 200, clockState());
			if (method === 'POST') {
				const body = parsed(clockBody, await readBody(req), 'POST /_clock expects {"advanceMs":N} or {"elapsedMs":N}');
				try {
					if ('advanceMs' in body) context.clock.advance(body.advanceMs);
					else context.clock.set(context.startMs + body.elapsedMs);
				} catch (error) {
					throw new BadRequest(error instanceof Error ? error.message : String(error));
				}
				await context.settle();
				return reply(res, 200, clockState());
			}
			return reply(res, 405, {error: `${method} not allowed on /_clock`});
		}
		if (pathname === '/_requests' && method === 'GET' && context.requestCounts) return reply(res, 200, context.requestCounts());
		if (pathname === '/_prometheus' && method === 'POST' && context.setPrometheusUpstream) {
			const body = parsed(prometheusBody, await readBody(req), 'POST /_prometheus expects {"upstream":"http://127.0.0.1:9090"}');
			context.setPrometheusUpstream(body.upstream);
			return reply(res, 200, {upstream: body.upstream});
		}
		req.resume();
		return reply(res, 404, {error: `no ${method} ${pathname} here: the control endpoint has /_faults, /_clock, GET /_requests and POST /_prometheus`});
	};

	return (req, res) => {
		handle(req, res).catch((error: unknown) => {
			if (res.headersSent) return;
			const known = error instanceof BadRequest || error instanceof FaultSpecError;
			reply(res, known ? 400 : 500, {error: error instanceof Error ? error.message : String(error)});
		});
	};
}
