import type {ServerResponse} from 'node:http';
import {rebalanceMessage} from './cluster.js';
import {sendReply, type RenderedReply} from './rest.js';

/**
 * The fault switchboard: what the simulator breaks on purpose, so tests (and people
 * trying kctop) can watch it cope. Faults are switched on and off by demo-server flags
 * and by the control endpoint (control.ts); each one is written as a spec string:
 *
 *   worker@N:killed          worker N's JVM is gone: its ports refuse connections, its work shows UNASSIGNED
 *                            on it (Connect waits scheduled.rebalance.max.delay.ms); cleared, it takes the work back
 *   worker@N:hung            worker N accepts connections (REST and metrics) and never answers
 *   rest[@N]:html-500        500 with Jetty's HTML error page
 *   rest[@N]:conflict-409    409 "…likely because a rebalance was underway." to every request
 *   rest[@N]:hang            requests are accepted and never answered
 *   rest[@N]:slow=MS         answers come MS milliseconds late
 *   rest[@N]:malformed-json  200 with a body that is not JSON
 *   rest[@N]:truncated-json  the real answer, cut off halfway by a dropped connection
 *   rest[@N]:unauthorized-401  401 with basic auth's plain-text body
 *   rest[@N]:proxy-502       502 with a proxy's HTML page
 *   rest[@N]:skew=MS         the worker's clock is MS off (negative: behind): its Date header and the times
 *                            in its REST bodies (source offsets' ts_sec, ts_usec, ts_ms) are shifted by MS
 *   scrape@N:down            worker N's exporter port refuses connections (REST is fine)
 *   scrape@N:garbage         worker N's exporter answers 200 with text that is no exposition
 *   scrape@N:skew=MS         worker N's exporter clock runs MS behind and it writes sample timestamps:
 *                            Prometheus keeps only in-order samples, so its series stop moving and age
 *                            (set before Prometheus first scrapes, they are MS old from the start)
 *   prometheus:down          the Prometheus proxy (prometheus-proxy.ts) refuses connections
 *   prometheus:http-500      500 with Prometheus's JSON error body (errorType internal)
 *   prometheus:slow=MS       answers come MS milliseconds late
 *   prometheus:warnings      the real answer plus a `warnings` entry (as Thanos sends with partial responses)
 *   prometheus:partial       the real answer without worker 1's rows: those naming it and those of the connectors
 *                            it runs (one target's series missing, see partialLabelValues in prometheus-proxy.ts)
 *
 * N is the worker's number, counted from 1 (connect-1 is worker 1). `rest` without a
 * number applies to every worker; `rest@N` wins over it for worker N.
 */

export const restFaultKinds = ['html-500', 'conflict-409', 'hang', 'slow', 'malformed-json', 'truncated-json', 'unauthorized-401', 'proxy-502', 'skew'] as const;
export const workerFaultKinds = ['killed', 'hung'] as const;
export const scrapeFaultKinds = ['down', 'garbage', 'skew'] as const;
export const prometheusFaultKinds = ['down', 'http-500', 'slow', 'warnings', 'partial'] as const;

export type RestFaultKind = (typeof restFaultKinds)[number];
export type WorkerFaultKind = (typeof workerFaultKinds)[number];
export type ScrapeFaultKind = (typeof scrapeFaultKinds)[number];
export type PrometheusFaultKind = (typeof prometheusFaultKinds)[number];

export type Fault =
	| {readonly target: 'rest'; readonly worker: number | undefined; readonly kind: RestFaultKind; readonly delayMs: number}
	| {readonly target: 'worker'; readonly worker: number; readonly kind: WorkerFaultKind}
	| {readonly target: 'scrape'; readonly worker: number; readonly kind: ScrapeFaultKind; readonly delayMs: number}
	| {readonly target: 'prometheus'; readonly worker: undefined; readonly kind: PrometheusFaultKind; readonly delayMs: number};

/** The fault kinds that take a value (`=MS`). */
const valued: ReadonlySet<string> = new Set(['slow', 'skew']);

/** The slot a fault occupies: setting another fault on the same slot replaces it. */
export function faultKey(fault: Pick<Fault, 'target' | 'worker'>): string {
	return fault.worker === undefined ? fault.target : `${fault.target}@${fault.worker}`;
}

export function faultSpec(fault: Fault): string {
	return `${faultKey(fault)}:${fault.kind}${fault.target !== 'worker' && valued.has(fault.kind) ? `=${fault.delayMs}` : ''}`;
}

export class FaultSpecError extends Error {}

function oneOf<T extends string>(values: readonly T[], text: string): T | undefined {
	return values.find(value => value === text);
}

/** Parses `target[@N]:kind[=ms]`; `workers` bounds N. Throws FaultSpecError with a one-line reason. */
export function parseFaultSpec(spec: string, workers: number): Fault {
	const match = /^(rest|worker|scrape|prometheus)(?:@(\d+))?:([a-z0-9-]+)(?:=(-?\d+))?$/.exec(spec.trim());
	if (!match) throw new FaultSpecError(`bad fault "${spec}": expected target[@N]:kind, e.g. worker@2:killed, rest:html-500, rest@1:slow=2000, scrape@3:garbage, prometheus:down`);
	const [, target, number, kindText = '', value] = match;
	const worker = number === undefined ? undefined : Number(number);
	if (worker !== undefined && (worker < 1 || worker > workers)) throw new FaultSpecError(`bad fault "${spec}": worker ${worker} does not exist (1 to ${workers})`);
	// Only a REST clock can be behind (skew=-MS); a delay or an exporter's lag is never negative.
	if (value?.startsWith('-') === true && !(target === 'rest' && kindText === 'skew')) throw new FaultSpecError(`bad fault "${spec}": only rest skew takes a negative value`);
	if (target === 'rest') {
		const kind = oneOf(restFaultKinds, kindText);
		if (!kind) throw new FaultSpecError(`bad fault "${spec}": rest faults are ${restFaultKinds.join(', ')}`);
		if (valued.has(kind) !== (value !== undefined)) throw new FaultSpecError(`bad fault "${spec}": ${kind === 'slow' ? 'slow needs a delay, e.g. rest:slow=2000' : kind === 'skew' ? 'skew needs an offset, e.g. rest@2:skew=300000' : 'only slow and skew take a value'}`);
		return {target, worker, kind, delayMs: value === undefined ? 0 : Number(value)};
	}
	if (target === 'prometheus') {
		if (worker !== undefined) throw new FaultSpecError(`bad fault "${spec}": prometheus faults name no worker, e.g. prometheus:down`);
		const kind = oneOf(prometheusFaultKinds, kindText);
		if (!kind) throw new FaultSpecError(`bad fault "${spec}": prometheus faults are ${prometheusFaultKinds.join(', ')}`);
		if (valued.has(kind) !== (value !== undefined)) throw new FaultSpecError(`bad fault "${spec}": ${valued.has(kind) ? `${kind} needs a delay, e.g. prometheus:slow=2000` : 'only slow takes a value'}`);
		return {target, worker: undefined, kind, delayMs: value === undefined ? 0 : Number(value)};
	}
	if (worker === undefined) throw new FaultSpecError(`bad fault "${spec}": ${target} faults name a worker, e.g. ${target}@2:${target === 'worker' ? 'killed' : 'down'}`);
	if (target === 'worker') {
		if (value !== undefined) throw new FaultSpecError(`bad fault "${spec}": ${kindText} takes no value`);
		const kind = oneOf(workerFaultKinds, kindText);
		if (!kind) throw new FaultSpecError(`bad fault "${spec}": worker faults are ${workerFaultKinds.join(', ')}`);
		return {target, worker, kind};
	}
	const kind = oneOf(scrapeFaultKinds, kindText);
	if (!kind) throw new FaultSpecError(`bad fault "${spec}": scrape faults are ${scrapeFaultKinds.join(', ')}`);
	if (valued.has(kind) !== (value !== undefined)) throw new FaultSpecError(`bad fault "${spec}": ${valued.has(kind) ? 'skew needs a delay, e.g. scrape@2:skew=180000' : `${kindText} takes no value`}`);
	return {target: 'scrape', worker, kind, delayMs: value === undefined ? 0 : Number(value)};
}

/** Parses a slot name as `clear` takes it: `rest`, `rest@N`, `worker@N`, `scrape@N`. */
export function parseFaultKey(text: string, workers: number): string {
	const match = /^(rest|worker|scrape|prometheus)(?:@(\d+))?$/.exec(text.trim());
	const number = match?.[2] === undefined ? undefined : Number(match[2]);
	const numbered = match?.[1] === 'worker' || match?.[1] === 'scrape';
	if (!match || (numbered && number === undefined) || (match[1] === 'prometheus' && number !== undefined) || (number !== undefined && (number < 1 || number > workers))) {
		throw new FaultSpecError(`bad fault slot "${text}": expected rest, rest@N, worker@N, scrape@N or prometheus with N from 1 to ${workers}`);
	}
	return text.trim();
}

/** The faults in force. Listeners hear every change (the server opens and closes ports, kills and revives workers). */
export class FaultBoard {
	private readonly faults = new Map<string, Fault>();
	private readonly listeners: Array<() => void> = [];

	constructor(readonly workers: number) {}

	/** Switches a fault on (a spec string or a parsed fault), replacing whatever held its slot. */
	set(fault: Fault | string): Fault {
		const parsed = typeof fault === 'string' ? parseFaultSpec(fault, this.workers) : fault;
		this.faults.set(faultKey(parsed), parsed);
		this.changed();
		return parsed;
	}

	/** Switches off the fault in one slot (`rest`, `worker@2`…); returns whether there was one. */
	clear(key: string): boolean {
		const removed = this.faults.delete(parseFaultKey(key, this.workers));
		if (removed) this.changed();
		return removed;
	}

	clearAll(): void {
		if (this.faults.size === 0) return;
		this.faults.clear();
		this.changed();
	}

	/** Every fault in force, as spec strings, sorted. */
	list(): string[] {
		return [...this.faults.values()].map(faultSpec).sort();
	}

	onChanged(listener: () => void): void {
		this.listeners.push(listener);
	}

	/** The REST fault for the worker at `index` (0-based). */
	rest(index: number): Extract<Fault, {target: 'rest'}> | undefined {
		const fault = this.faults.get(`rest@${index + 1}`) ?? this.faults.get('rest');
		return fault?.target === 'rest' ? fault : undefined;
	}

	worker(index: number): WorkerFaultKind | undefined {
		const fault = this.faults.get(`worker@${index + 1}`);
		return fault?.target === 'worker' ? fault.kind : undefined;
	}

	scrape(index: number): ScrapeFaultKind | undefined {
		return this.scrapeFault(index)?.kind;
	}

	scrapeFault(index: number): Extract<Fault, {target: 'scrape'}> | undefined {
		const fault = this.faults.get(`scrape@${index + 1}`);
		return fault?.target === 'scrape' ? fault : undefined;
	}

	prometheus(): Extract<Fault, {target: 'prometheus'}> | undefined {
		const fault = this.faults.get('prometheus');
		return fault?.target === 'prometheus' ? fault : undefined;
	}

	private changed(): void {
		for (const listener of this.listeners) listener();
	}
}

/**
 * Responses that are held open on purpose (hung workers, hanging REST) and slow answers
 * waiting for their timer. `release` drops held connections as a restarted process would;
 * `close` also cancels the timers, so a server can shut down.
 */
export class HeldResponses {
	private readonly held = new Set<ServerResponse>();
	private readonly timers = new Set<NodeJS.Timeout>();

	get size(): number {
		return this.held.size;
	}

	hold(res: ServerResponse): void {
		this.held.add(res);
		res.once('close', () => this.held.delete(res));
	}

	later(ms: number, send: () => void): void {
		const timer = setTimeout(() => {
			this.timers.delete(timer);
			send();
		}, ms);
		this.timers.add(timer);
	}

	/** Drops every held connection. */
	release(): void {
		for (const res of this.held) res.socket?.destroy();
		this.held.clear();
	}

	close(): void {
		for (const timer of this.timers) clearTimeout(timer);
		this.timers.clear();
		this.release();
	}
}

const jettyError500 =
	'<html>\n<head>\n<meta http-equiv="Content-Type" content="text/html;charset=ISO-8859-1"/>\n<title>Error 500 Server Error</title>\n</head>\n<body><h2>HTTP ERROR 500 Server Error</h2>\n<table>\n<tr><th>URI:</th><td>/connectors</td></tr>\n<tr><th>STATUS:</th><td>500</td></tr>\n<tr><th>MESSAGE:</th><td>Server Error</td></tr>\n<tr><th>SERVLET:</th><td>org.glassfish.jersey.servlet.ServletContainer-1b9ea3e3</td></tr>\n</table>\n<hr/><a href="https://eclipse.org/jetty">Powered by Jetty:// 9.4.56.v20240826</a><hr/>\n\n</body>\n</html>\n';
const proxy502 = '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.25.3</center>\r\n</body>\r\n</html>\r\n';
/** JaasBasicAuthFilter's answer to a failed login (reference §4, Authentication). */
export const unauthorizedBody = 'User cannot access the resource.';
export const malformedJsonBody = '{"name":"cdc-test-connector","connector":{"state":RUNNING,"worker_id":}';
export const garbageExposition = '<!DOCTYPE html>\n<html><head><title>Sign in</title></head>\n<body>Session expired\u0000\u0007 {"metrics": [1, 2,\n';

/**
 * Exposition text whose samples carry an explicit timestamp (ms), as an exporter that stamps
 * its samples with its own clock does (the simulator's exposition has none of its own).
 */
export function withSampleTimestamps(text: string, ms: number): string {
	const stamp = String(Math.floor(ms));
	return text
		.split('\n')
		.map(line => (line === '' || line.startsWith('#') ? line : `${line} ${stamp}`))
		.join('\n');
}

/** Times in a REST body as a worker whose clock is `skewMs` off writes them: Debezium source offsets' ts_sec, ts_usec and ts_ms. */
export function withSkewedTimes(body: string, skewMs: number): string {
	const factor: Readonly<Record<string, number>> = {ts_sec: 1 / 1000, ts_ms: 1, ts_usec: 1000};
	return body.replace(/"(ts_sec|ts_ms|ts_usec)":(\d+)/g, (_whole, key: string, value: string) => `"${key}":${Number(value) + Math.round(skewMs * (factor[key] ?? 0))}`);
}

/** Answers a REST request the way `fault` says, given how the healthy worker would have answered. */
export function answerWithRestFault(fault: Extract<Fault, {target: 'rest'}>, healthy: () => RenderedReply, res: ServerResponse, held: HeldResponses): void {
	switch (fault.kind) {
		case 'html-500':
			sendReply(res, {status: 500, contentType: 'text/html;charset=iso-8859-1', body: jettyError500});
			return;
		case 'conflict-409':
			sendReply(res, {status: 409, contentType: 'application/json', body: JSON.stringify({error_code: 409, message: rebalanceMessage})});
			return;
		case 'hang':
			held.hold(res);
			return;
		case 'slow':
			held.later(fault.delayMs, () => {
				if (!res.destroyed) sendReply(res, healthy());
			});
			return;
		case 'malformed-json':
			sendReply(res, {status: 200, contentType: 'application/json', body: malformedJsonBody});
			return;
		case 'truncated-json': {
			const reply = healthy();
			const body = Buffer.from(reply.body === '' ? '{"error_code":500}' : reply.body);
			res.writeHead(reply.status, {'Content-Type': reply.contentType ?? 'application/json', 'Content-Length': String(body.length)});
			res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.socket?.destroy());
			return;
		}
		case 'unauthorized-401':
			sendReply(res, {status: 401, contentType: 'text/plain', body: unauthorizedBody});
			return;
		case 'proxy-502':
			sendReply(res, {status: 502, contentType: 'text/html', body: proxy502});
			return;
		case 'skew': {
			// The right answer, as a worker whose clock is off writes it: its Date header (the wall clock, as Node's own) and its body's times.
			const reply = healthy();
			res.setHeader('Date', new Date(Date.now() + fault.delayMs).toUTCString());
			sendReply(res, {...reply, body: withSkewedTimes(reply.body, fault.delayMs)});
			return;
		}
	}
}
