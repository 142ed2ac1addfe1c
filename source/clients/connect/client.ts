import * as z from 'zod';
import type {ZodType} from 'zod';
import {TextDecoder} from 'node:util';
import {KctopError} from '../errors.js';
import {createBodyMemo, createHttp, errorReason, httpError, parseJson, redactUrl, statusLine, type HttpOptions, type HttpResponse, type RememberedBody, type RequestInit} from '../http.js';
import {malformed} from '../shape.js';
import {readConnectorsExpanded} from './expand.js';
import type {ConnectorAction} from '../../model/action-plan.js';
import {describeAction} from './action-call.js';
import {
	connectorConfigSchema,
	connectorInfoSchema,
	connectorNamesSchema,
	connectorStatusSchema,
	offsetsSchema,
	serverInfoSchema,
	tasksSchema,
	topicsSchema,
	type ConnectorConfig,
	type ConnectorInfo,
	type ConnectorOffsets,
	type ConnectorsExpanded,
	type ConnectorStatus,
	type ServerInfo,
	type TaskInfo,
} from './schemas.js';

/**
 * Kafka Connect REST client: one worker answers for the whole cluster, so several URLs
 * are alternatives. A connection error or timeout moves on to the next URL (and the one
 * that answered is remembered); any HTTP answer, 4xx/5xx included, is the cluster's answer.
 * No retries, no sleeps: the poller owns those.
 */

export interface ConnectClientOptions extends Omit<HttpOptions, 'source'> {
	readonly urls: readonly string[];
	/** Largest expand body remembered to recognise the next one as identical, in bytes; default rememberedBodyBytes (16 MiB). */
	readonly rememberBodyBytes?: number;
}

export interface ConnectorsResult {
	readonly connectors: ConnectorsExpanded;
	/** true when the worker is older than 2.3 and kctop fell back to list + per-connector calls */
	readonly fallback: boolean;
}

export interface ActionResult {
	readonly status: number;
	/** `202 Accepted`, `204 No Content`. */
	readonly statusText: string;
	/** The ConnectorStateInfo a restart with includeTasks/onlyFailed answers with (202); undefined when there is none. */
	readonly body: ConnectorStatus | undefined;
}

export interface ConnectClient {
	/** The worker URLs, credentials removed. */
	readonly urls: readonly string[];
	/** The worker that answered last (credentials removed). */
	currentUrl(): string;
	serverInfo(signal?: AbortSignal): Promise<ServerInfo>;
	/** `GET /connectors?expand=status&expand=info`: one call per refresh (list + per-connector calls on workers < 2.3). */
	connectors(signal?: AbortSignal): Promise<ConnectorsResult>;
	connectorStatus(name: string, signal?: AbortSignal): Promise<ConnectorStatus>;
	connectorConfig(name: string, signal?: AbortSignal): Promise<ConnectorConfig>;
	tasks(name: string, signal?: AbortSignal): Promise<readonly TaskInfo[]>;
	/** `GET /connectors/{name}/topics` (Kafka ≥ 2.5; 403 when topic tracking is disabled). */
	topics(name: string, signal?: AbortSignal): Promise<readonly string[]>;
	/** `GET /connectors/{name}/offsets` (Kafka ≥ 3.5). */
	offsets(name: string, signal?: AbortSignal): Promise<ConnectorOffsets>;
	pause(name: string): Promise<ActionResult>;
	resume(name: string): Promise<ActionResult>;
	stop(name: string): Promise<ActionResult>;
	restartConnector(name: string, options: {readonly includeTasks: boolean; readonly onlyFailed: boolean}): Promise<ActionResult>;
	restartTask(name: string, task: number): Promise<ActionResult>;
	close(): Promise<void>;
}

/** At most this many requests in flight during the pre-2.3 fallback. */
export const fallbackConcurrency = 8;

/**
 * The largest expand body (in bytes) held to recognise it as the last one (by its length and
 * SHA-256, createMemoReader): 16 MiB, about 16,000 connectors. Reading it again cost 7 % of
 * kctop's busy time at 10,009 connectors (JSON.parse and the checks), and decoding it to text
 * before comparing was 10 MB of garbage on every refresh. Only the digest stays between
 * refreshes: keeping the bytes to compare cost their size in memory, 10 MB at 10,009.
 */
export const rememberedBodyBytes = 16 * 1024 * 1024;

type Query = Readonly<Record<string, string | readonly string[]>>;

interface SendInit {
	readonly method?: string;
	readonly query?: Query;
	readonly signal?: AbortSignal;
	readonly onBody?: RequestInit['onBody'];
	readonly memo?: RequestInit['memo'];
	/** Move on to the next worker after a timeout too (safe for reads; a write may have been applied). */
	readonly failoverOnTimeout: boolean;
}

/** Failures before the request was written (refused, unknown host, TLS): the worker cannot have applied it. */
const neverWritten = /^(all \d+ Connect workers failed; last: )?(connection refused|host not found|DNS lookup failed|host unreachable|network unreachable|address not available|connect timed out|TLS)/;

export function requestNeverWritten(error: KctopError): boolean {
	return error.kind === 'connection' && neverWritten.test(error.message);
}

export function createConnectClient(options: ConnectClientOptions): ConnectClient {
	const {urls: rawUrls, rememberBodyBytes = rememberedBodyBytes, ...httpOptions} = options;
	const bases = rawUrls.map(url => url.trim()).filter(url => url !== '');
	if (bases.length === 0) throw new KctopError({kind: 'config', source: 'config', message: 'no Kafka Connect URL given'});
	for (const base of bases) validateBase(base);
	const displayBases = bases.map(base => stripTrailingSlash(redactUrl(base)));
	const http = createHttp({...httpOptions, source: 'connect'});
	let current = 0;

	async function send(path: string, init: SendInit): Promise<HttpResponse> {
		let lastError: KctopError | undefined;
		for (let attempt = 0; attempt < bases.length; attempt++) {
			const index = (current + attempt) % bases.length;
			const base = bases[index] ?? '';
			try {
				const response = await http.request(stripTrailingSlash(base) + path, {
					method: init.method ?? 'GET',
					...(init.query === undefined ? {} : {query: init.query}),
					...(init.signal === undefined ? {} : {signal: init.signal}),
					...(init.onBody === undefined ? {} : {onBody: init.onBody}),
					...(init.memo === undefined ? {} : {memo: init.memo}),
				});
				current = index;
				return response;
			} catch (error) {
				if (!(error instanceof KctopError)) throw error;
				// A write moves on only when it never reached the worker: a reset after it went out may have been applied.
				const failover = init.failoverOnTimeout ? error.kind === 'connection' || error.kind === 'timeout' : requestNeverWritten(error);
				if (!failover) throw error;
				lastError = error;
			}
		}
		if (lastError === undefined || bases.length === 1) {
			throw lastError ?? new KctopError({kind: 'connection', source: 'connect', message: 'no Kafka Connect worker to ask'});
		}
		throw new KctopError(
			{
				kind: lastError.kind,
				source: 'connect',
				...(lastError.url === undefined ? {} : {url: lastError.url}),
				// Why first: the header cuts long reasons at the terminal's width.
				message: `${lastError.message}; all ${bases.length} Connect workers failed`,
			},
			{cause: lastError},
		);
	}

	async function getJson<T>(path: string, schema: ZodType<T>, signal?: AbortSignal, query?: Query): Promise<T> {
		const response = await send(path, {signal, query, failoverOnTimeout: true});
		if (!isOk(response.status)) throw httpError(response, 'connect');
		return parseJson(response, schema, 'connect');
	}

	/**
	 * The last expand body's length and SHA-256 (up to rememberedBodyBytes), and what it was read
	 * into. A body identical to the last one (a quiet cluster answers the same bytes refresh after
	 * refresh) is hashed as it arrives (http.ts createMemoReader): it is neither decoded nor
	 * parsed and checked again, and the last result is handed out again (nothing writes to it).
	 * `lastExpanded.body` is the memo's record of the body it was read from, so a result is never
	 * taken for another body's.
	 */
	const expandMemo = createBodyMemo(rememberBodyBytes, false);
	let lastExpanded: {readonly body: RememberedBody; readonly connectors: ConnectorsExpanded} | undefined;

	async function connectors(signal?: AbortSignal): Promise<ConnectorsResult> {
		// A 2xx body is collected as bytes (compared with the last one); any other is read as text, for its error.
		let decoder: TextDecoder | undefined;
		const pieces: string[] = [];
		const onBody = (status: number): ((chunk: Uint8Array) => void) | undefined => {
			// A worker that failed mid-body is followed by the next one: its pieces are dropped.
			pieces.length = 0;
			if (!isOk(status)) return undefined;
			const own = new TextDecoder('utf-8', {ignoreBOM: true});
			decoder = own;
			return chunk => void pieces.push(own.decode(chunk, {stream: true}));
		};
		const response = await send('/connectors', {signal, query: {expand: ['status', 'info']}, failoverOnTimeout: true, onBody, memo: expandMemo});
		// An error answer leaves the memory as it was (the body is not compared): the next identical body is still known.
		if (!isOk(response.status)) throw httpError(response, 'connect');
		const remembered = expandMemo.last();
		if (response.unchanged === true && lastExpanded !== undefined && lastExpanded.body === remembered) return {connectors: lastExpanded.connectors, fallback: false};
		lastExpanded = undefined;
		// The text, decoded as readCapped decodes it: invalid UTF-8 becomes U+FFFD and a byte-order mark is kept.
		let text: string;
		// The memo remembers only a body read to a result (below), so an unchanged body always has
		// one; its bytes are not kept (only its digest), so this is the empty text at worst.
		if (response.unchanged === true) text = remembered?.bytes === undefined ? '' : new TextDecoder('utf-8', {ignoreBOM: true}).decode(remembered.bytes);
		else {
			if (decoder !== undefined) pieces.push(decoder.decode());
			text = pieces.join('');
		}
		const read = {...response, text};
		// Workers older than 2.3 ignore `expand` and answer with the plain list of names.
		if (text.trimStart().startsWith('[')) {
			expandMemo.remember(undefined);
			const names = parseJson(read, connectorNamesSchema, 'connect');
			return {connectors: await expandOneByOne(names, signal), fallback: true};
		}
		// A body that fails here is forgotten: the same body again is read again, and fails the same way.
		let expanded: ConnectorsExpanded;
		try {
			expanded = readExpanded(read);
		} catch (error) {
			expandMemo.remember(undefined);
			throw error;
		}
		if (remembered !== undefined) lastExpanded = {body: remembered, connectors: expanded};
		return {connectors: expanded, fallback: false};
	}

	/** The expand body: JSON.parse, then readConnectorsExpanded (the same checks as connectorsExpandedSchema, without zod's cost per connector). */
	function readExpanded(response: HttpResponse): ConnectorsExpanded {
		const json = parseJson(response, z.unknown(), 'connect');
		try {
			return readConnectorsExpanded(json);
		} catch (error) {
			return malformed(error, 'connect', response.url, '');
		}
	}

	/** status + info for each connector, at most `fallbackConcurrency` requests in flight; connectors gone in the meantime (404) are left out. */
	async function expandOneByOne(names: readonly string[], signal?: AbortSignal): Promise<ConnectorsExpanded> {
		const limit = createLimiter(fallbackConcurrency);
		const entries = await Promise.all(
			names.map(async name => {
				const [status, info] = await Promise.all([
					limit(async () => orNotFound(getJson(connectorPath(name, '/status'), connectorStatusSchema, signal))),
					limit(async () => orNotFound(getJson(connectorPath(name), connectorInfoSchema, signal))),
				]);
				return {name, status, info};
			}),
		);
		const expanded: Record<string, {status?: ConnectorStatus; info?: ConnectorInfo}> = {};
		for (const {name, status, info} of entries) {
			if (status === undefined || info === undefined) continue;
			expanded[name] = {status, info};
		}
		return expanded;
	}

	async function topics(name: string, signal?: AbortSignal): Promise<readonly string[]> {
		const response = await send(connectorPath(name, '/topics'), {signal, failoverOnTimeout: true});
		if (response.status === 403) {
			const reason = errorReason(response.text);
			if (/topic tracking/i.test(reason)) {
				throw new KctopError({kind: 'http', source: 'connect', status: 403, url: response.url, message: `${statusLine(403)}: ${reason}`});
			}
		}
		if (response.status === 404 && isUnknownEndpoint(response)) throw missingEndpoint(response, '/topics', '2.5');
		if (!isOk(response.status)) throw httpError(response, 'connect');
		const body = parseJson(response, topicsSchema, 'connect');
		const entry = body[name] ?? Object.values(body)[0];
		return entry?.topics ?? [];
	}

	async function offsets(name: string, signal?: AbortSignal): Promise<ConnectorOffsets> {
		const response = await send(connectorPath(name, '/offsets'), {signal, failoverOnTimeout: true});
		if (response.status === 404 && isUnknownEndpoint(response)) throw missingEndpoint(response, '/offsets', '3.5');
		if (!isOk(response.status)) throw httpError(response, 'connect');
		return parseJson(response, offsetsSchema, 'connect');
	}

	async function act(action: ConnectorAction): Promise<ActionResult> {
		// The path comes from describeAction, so the confirmation dialog shows exactly what is sent.
		const {method, path} = describeAction(action);
		// A write that timed out may have been applied: only a refused connection moves on.
		const response = await send(path, {method, failoverOnTimeout: false});
		if (!isOk(response.status)) throw httpError(response, 'connect');
		return {status: response.status, statusText: statusLine(response.status), body: optionalStatus(response.text)};
	}

	return {
		urls: displayBases,
		currentUrl: () => displayBases[current] ?? '',
		serverInfo: async signal => getJson('/', serverInfoSchema, signal),
		connectors,
		connectorStatus: async (name, signal) => getJson(connectorPath(name, '/status'), connectorStatusSchema, signal),
		connectorConfig: async (name, signal) => getJson(connectorPath(name, '/config'), connectorConfigSchema, signal),
		tasks: async (name, signal) => getJson(connectorPath(name, '/tasks'), tasksSchema, signal),
		topics,
		offsets,
		pause: async name => act({kind: 'pause', connector: name}),
		resume: async name => act({kind: 'resume', connector: name}),
		stop: async name => act({kind: 'stop', connector: name}),
		restartConnector: async (name, {includeTasks, onlyFailed}) => act({kind: 'restart-connector', connector: name, includeTasks, onlyFailed}),
		restartTask: async (name, task) => act({kind: 'restart-task', connector: name, task}),
		close: async () => http.close(),
	};
}

/** `/connectors/{name}{suffix}` with the name path-encoded (names may hold `/`, spaces, quotes, escape codes). */
/** 404 from the REST framework itself: the endpoint does not exist on this (older) worker. */
function missingEndpoint(response: HttpResponse, endpoint: string, since: string): KctopError {
	return new KctopError({kind: 'http', source: 'connect', status: 404, url: response.url, message: `${statusLine(404)}: this worker has no ${endpoint} endpoint (Kafka Connect older than ${since})`});
}

export function connectorPath(name: string, suffix = ''): string {
	return `/connectors/${encodeURIComponent(name)}${suffix}`;
}

function validateBase(base: string): void {
	let parsed: URL;
	try {
		parsed = new URL(base);
	} catch (error) {
		throw new KctopError({kind: 'config', source: 'config', message: `invalid Kafka Connect URL: ${redactUrl(base)}`}, {cause: error});
	}
	if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
		throw new KctopError({kind: 'config', source: 'config', message: `invalid Kafka Connect URL ${redactUrl(base)}: use http:// or https://`});
	}
	if (parsed.search !== '' || parsed.hash !== '') {
		throw new KctopError({kind: 'config', source: 'config', message: `invalid Kafka Connect URL ${redactUrl(base)}: no query or fragment allowed`});
	}
}

function stripTrailingSlash(url: string): string {
	return url.replace(/\/+$/, '');
}

function isOk(status: number): boolean {
	return status >= 200 && status <= 299;
}

/**
 * A 404 from the REST framework itself (no such endpoint on this version) rather than from
 * Connect ("Connector X not found"): Jersey answers `HTTP 404 Not Found`, a proxy may answer
 * with any non-Connect body.
 */
function isUnknownEndpoint(response: HttpResponse): boolean {
	const reason = errorReason(response.text);
	return reason === '' || /^HTTP 404\b/i.test(reason) || /^not found$/i.test(reason);
}

function optionalStatus(text: string): ConnectorStatus | undefined {
	if (text.trim() === '') return undefined;
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch {
		return undefined;
	}
	const parsed = connectorStatusSchema.safeParse(json);
	return parsed.success ? parsed.data : undefined;
}

async function orNotFound<T>(promise: Promise<T>): Promise<T | undefined> {
	try {
		return await promise;
	} catch (error) {
		if (error instanceof KctopError && error.kind === 'http' && error.status === 404) return undefined;
		throw error;
	}
}

/** Runs the given tasks with at most `max` of them at a time, in submission order. */
function createLimiter(max: number): <T>(task: () => Promise<T>) => Promise<T> {
	let active = 0;
	const waiting: Array<() => void> = [];
	const next = (): void => {
		if (active >= max) return;
		const start = waiting.shift();
		if (start === undefined) return;
		active++;
		start();
	};
	return async <T>(task: () => Promise<T>): Promise<T> =>
		new Promise<T>((resolve, reject) => {
			waiting.push(() => {
				task()
					.then(resolve, reject)
					.finally(() => {
						active--;
						next();
					});
			});
			next();
		});
}
