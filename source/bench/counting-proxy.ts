import {Agent, createServer, request, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse} from 'node:http';
import {closeServer, listenOnLoopback} from './loopback.js';

/**
 * A counting HTTP proxy: the bench puts one in front of every endpoint kctop talks to
 * (each Connect REST worker, Prometheus, each exporter endpoint) and points kctop at it,
 * so requests are counted where they arrive, whatever kctop's code does. Bodies are
 * streamed through, not buffered, so the proxy adds little but a loopback hop.
 */

export type RequestKind = 'rest' | 'promql-instant' | 'promql-range' | 'metadata' | 'scrape';
export const requestKinds: readonly RequestKind[] = ['rest', 'promql-instant', 'promql-range', 'metadata', 'scrape'];

/** What kind of upstream a proxy fronts. */
export type UpstreamRole = 'rest' | 'prometheus' | 'scrape';

/** The kind of a request by the upstream it went to and its path (query string included or not). */
export function classifyRequest(role: UpstreamRole, path: string): RequestKind {
	if (role === 'rest') return 'rest';
	if (role === 'scrape') return 'scrape';
	const pathname = path.split('?')[0] ?? '';
	if (/^\/api\/v1\/query\/?$/.test(pathname)) return 'promql-instant';
	if (/^\/api\/v1\/query_range\/?$/.test(pathname)) return 'promql-range';
	// labels, label values, series, metadata, targets, status/buildinfo …
	return 'metadata';
}

/** `GET /connectors?expand=…`: the one REST call of every refresh, used to mark refresh boundaries. */
export function isRefreshMarker(role: UpstreamRole, path: string): boolean {
	return role === 'rest' && /^\/connectors\/?\?(.*&)?expand=/.test(path);
}

export interface ProxiedRequest {
	readonly kind: RequestKind;
	readonly path: string;
	/** performance.now() when the request arrived at the proxy. */
	readonly startedAt: number;
	/** performance.now() when the response was fully written back (undefined while in flight or after a failure). */
	endedAt: number | undefined;
	responseBytes: number;
	status: number | undefined;
	/** performance.now() when the client closed its connection before the response was written (it gave up). */
	abandonedAt?: number | undefined;
}

/** A request as kctop sent it, kept so that the floor can send the same one. */
export interface RecordedRequest {
	readonly method: string;
	readonly path: string;
	readonly contentType: string | undefined;
	readonly body: string;
}

export interface CountingProxy {
	readonly url: string;
	readonly role: UpstreamRole;
	/** The last complete instant query that arrived (method, path, body), if any. */
	lastInstantQuery(): RecordedRequest | undefined;
	/** The first complete range query that arrived (kctop's start-up history), if any. */
	firstRangeQuery(): RecordedRequest | undefined;
	/** Every request so far, in arrival order. */
	readonly requests: readonly ProxiedRequest[];
	/** Called when a refresh-marking request arrives (before it is forwarded). */
	onRefreshMarker(listener: (at: number) => void): void;
	close(): Promise<void>;
}

/** Headers without the hop-by-hop ones: each side of the proxy keeps its own connection policy. */
function endToEnd(headers: IncomingHttpHeaders): IncomingHttpHeaders {
	const copy = {...headers};
	delete copy.connection;
	delete copy['keep-alive'];
	return copy;
}

export async function startCountingProxy(target: string, role: UpstreamRole, now: () => number): Promise<CountingProxy> {
	const upstream = new URL(target);
	// No keep-alive upstream: a socket the server closes while idle must never turn into a 502.
	const agent = new Agent({keepAlive: false});
	const requests: ProxiedRequest[] = [];
	const markerListeners: Array<(at: number) => void> = [];
	let lastInstant: RecordedRequest | undefined;
	let firstRange: RecordedRequest | undefined;

	const handle = (incoming: IncomingMessage, outgoing: ServerResponse): void => {
		const path = incoming.url ?? '/';
		const record: ProxiedRequest = {kind: classifyRequest(role, path), path, startedAt: now(), endedAt: undefined, responseBytes: 0, status: undefined};
		requests.push(record);
		if (isRefreshMarker(role, path)) for (const listener of markerListeners) listener(record.startedAt);
		const forwarded = request(
			{host: upstream.hostname, port: upstream.port, method: incoming.method, path, headers: {...endToEnd(incoming.headers), host: upstream.host}, agent},
			response => {
				record.status = response.statusCode;
				outgoing.writeHead(response.statusCode ?? 502, endToEnd(response.headers));
				response.on('data', (chunk: Buffer) => {
					record.responseBytes += chunk.length;
				});
				response.pipe(outgoing);
				outgoing.on('finish', () => {
					record.endedAt = now();
				});
			},
		);
		forwarded.on('error', error => {
			if (!outgoing.headersSent) outgoing.writeHead(502, {'content-type': 'text/plain'});
			outgoing.end(`bench proxy: ${error.message}\n`);
		});
		if (record.kind === 'promql-instant' || record.kind === 'promql-range') {
			// Kept (a query is a few kB) for the floor that reads Prometheus's answer too.
			const chunks: Buffer[] = [];
			incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
			incoming.on('end', () => {
				const contentType = incoming.headers['content-type'];
				const recorded = {method: incoming.method ?? 'GET', path, contentType, body: Buffer.concat(chunks).toString('utf8')};
				if (record.kind === 'promql-instant') lastInstant = recorded;
				else firstRange ??= recorded;
			});
		}
		incoming.pipe(forwarded);
		// A client that gives up (kctop's request timeout) closes its connection: the upstream
		// request is dropped too, as it would be without the proxy, so Prometheus stops
		// evaluating a query nobody waits for instead of loading the rest of the run.
		outgoing.on('close', () => {
			if (outgoing.writableFinished) return;
			record.abandonedAt = now();
			forwarded.destroy();
		});
	};

	const server = createServer({keepAliveTimeout: 5000}, handle);
	const port = await listenOnLoopback(server, 'the bench proxy');
	const suffix = upstream.pathname === '/' ? '' : upstream.pathname;
	return {
		url: `http://127.0.0.1:${port}${suffix}`,
		role,
		requests,
		lastInstantQuery: () => lastInstant,
		firstRangeQuery: () => firstRange,
		onRefreshMarker: listener => {
			markerListeners.push(listener);
		},
		close: async () => {
			await closeServer(server);
			agent.destroy();
		},
	};
}

/** Requests per kind among those that arrived in [from, to). */
export function countByKind(requests: readonly ProxiedRequest[], from: number, to: number): Record<RequestKind, number> {
	const counts: Record<RequestKind, number> = {rest: 0, 'promql-instant': 0, 'promql-range': 0, metadata: 0, scrape: 0};
	for (const each of requests) if (each.startedAt >= from && each.startedAt < to) counts[each.kind] += 1;
	return counts;
}

/** One request as the start-up trace reports it: when it arrived and how it ended, relative to an origin. */
export interface TracedRequest {
	readonly kind: RequestKind;
	/** Arrival, ms after the origin. */
	readonly atMs: number;
	/** Arrival → response fully written, ms; undefined when it never completed. */
	readonly ms: number | undefined;
	readonly status: number | undefined;
	readonly bytes: number;
	/** Arrival → the client closed the connection before the answer was written, ms (it gave up, e.g. on its timeout). */
	readonly abandonedAfterMs?: number | undefined;
}

/**
 * The requests of `kinds` that arrived in [from, to), in arrival order, timed from `from`:
 * what a start-up sent, how long each answer took and whether the client gave up on one.
 */
export function requestTrace(requests: readonly ProxiedRequest[], from: number, to: number, kinds: readonly RequestKind[]): TracedRequest[] {
	const traced: TracedRequest[] = [];
	for (const each of requests) {
		if (each.startedAt < from || each.startedAt >= to || !kinds.includes(each.kind)) continue;
		traced.push({
			kind: each.kind,
			atMs: each.startedAt - from,
			ms: each.endedAt === undefined ? undefined : each.endedAt - each.startedAt,
			status: each.status,
			bytes: each.responseBytes,
			...(each.abandonedAt === undefined ? {} : {abandonedAfterMs: each.abandonedAt - each.startedAt}),
		});
	}
	return traced.sort((a, b) => a.atMs - b.atMs);
}

const shortKind: Readonly<Record<RequestKind, string>> = {rest: 'REST', 'promql-instant': 'instant', 'promql-range': 'range', metadata: 'metadata', scrape: 'scrape'};

/** A trace in a few words: "range 12.3 s, instant 3.41 s, range gave up after 30 s". */
export function formatTrace(trace: readonly TracedRequest[]): string {
	if (trace.length === 0) return 'none';
	const seconds = (ms: number): string => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`);
	return trace
		.map(each => {
			const name = shortKind[each.kind];
			if (each.abandonedAfterMs !== undefined) return `${name} gave up after ${seconds(each.abandonedAfterMs)}`;
			if (each.ms === undefined) return `${name} unanswered`;
			return `${name} ${seconds(each.ms)}${each.status === undefined || each.status === 200 ? '' : ` (${each.status})`}`;
		})
		.join(', ');
}
