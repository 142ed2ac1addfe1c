import {createHash} from 'node:crypto';
import {readFileSync} from 'node:fs';
import {STATUS_CODES} from 'node:http';
import {Agent, request as undiciRequest, type Dispatcher} from 'undici';
import * as z from 'zod';
import type {ZodType} from 'zod';
import {KctopError, oneLine, type ErrorSource} from './errors.js';
import {registerAuth, registerHeaderValues, registerSecret} from './secrets.js';

/**
 * The one HTTP layer every client uses: undici with one Agent per Http, a per-request
 * timeout combined with the caller's AbortSignal, basic/bearer auth, extra headers,
 * a private CA or no verification, and a single typed error (KctopError) for every
 * failure. No retries and no sleeps here: the poller owns those.
 */

export type HttpAuth =
	| {readonly type: 'basic'; readonly username: string; readonly password: string}
	| {readonly type: 'bearer'; readonly token: string};

export interface HttpOptions {
	/** Tags every KctopError. */
	readonly source: ErrorSource;
	/** Per request, connection included. */
	readonly timeoutMs: number;
	/** The longest wait for a connection (default timeoutMs): a host that does not answer fails this fast even when timeoutMs is long. */
	readonly connectTimeoutMs?: number;
	/**
	 * The longest wait for the response's head, and then for each next piece of its body
	 * (default: none, only timeoutMs). A server that stops sending fails this fast; one that
	 * keeps sending (a 50 MB exposition on a busy machine) has timeoutMs in all.
	 */
	readonly idleTimeoutMs?: number;
	readonly auth?: HttpAuth;
	/** Extra headers, e.g. X-Scope-OrgID. */
	readonly headers?: Readonly<Record<string, string>>;
	/** PEM file for a private CA (read once at creation; unreadable → KctopError kind 'config'). */
	readonly caFile?: string;
	/** Skip TLS verification. */
	readonly insecure?: boolean;
	/** Largest response body accepted, in bytes (default 64 MiB); a larger one fails with KctopError kind 'too-large' before it is read whole. */
	readonly maxBodyBytes?: number;
	/** Tests pass an undici MockAgent here; it is not closed by close(). */
	readonly dispatcher?: Dispatcher;
}

export interface HttpResponse {
	readonly status: number;
	readonly headers: Readonly<Record<string, string>>;
	readonly text: string;
	/** The URL requested, without credentials and query, for messages. */
	readonly url: string;
	/** The body was the one RequestInit.memo remembers (same length and SHA-256): the onBody consumer got none of it. */
	readonly unchanged?: boolean;
}

export type Query = Readonly<Record<string, string | readonly string[]>>;

export interface RequestInit {
	readonly method?: string;
	/** JSON-encoded when present. */
	readonly body?: unknown;
	/** An application/x-www-form-urlencoded body, already encoded (formEncoder); takes the place of `body`. */
	readonly form?: string;
	readonly query?: Query;
	readonly signal?: AbortSignal;
	/**
	 * Called once the status and headers are in; a consumer it returns gets the body piece by
	 * piece as it arrives, within the cap, and `text` is then empty (a 50 MB exposition is
	 * parsed without being held whole). Undefined: the body is collected into `text`.
	 */
	readonly onBody?: (status: number, headers: Readonly<Record<string, string>>) => ((chunk: Uint8Array) => void) | undefined;
	/**
	 * With onBody: a body no larger than the memo's limit is held until it is complete. When it
	 * has the length and SHA-256 of the body the memo remembers, the consumer gets nothing and
	 * the response says `unchanged`; otherwise the memo remembers it and the consumer gets it as
	 * one piece. A larger body streams to the consumer as it arrives, and the memo forgets.
	 */
	readonly memo?: BodyMemo;
}

/** What a memo keeps of a body: its length and SHA-256, and its bytes when the memo keeps those. */
export interface RememberedBody {
	readonly length: number;
	readonly digest: Buffer;
	readonly bytes: Uint8Array | undefined;
}

/** The last body of one endpoint read through onBody, to tell when the next is the same one (createBodyMemo). */
export interface BodyMemo {
	/** Largest body remembered, in bytes. */
	readonly limitBytes: number;
	/** The memo keeps the body's bytes (for a consumer that may read them again), not only its length and digest. */
	readonly keepsBytes: boolean;
	/** The body remembered, if any. */
	last(): RememberedBody | undefined;
	remember(body: RememberedBody | undefined): void;
}

/** The default limit of a BodyMemo: 1 MiB (a 9-connector worker's exposition is about 64 KB). */
export const defaultMemoBytes = 1024 * 1024;

export function createBodyMemo(limitBytes = defaultMemoBytes, keepsBytes = true): BodyMemo {
	let body: RememberedBody | undefined;
	return {
		limitBytes,
		keepsBytes,
		last: () => body,
		remember(next) {
			body = next;
		},
	};
}

export interface Http {
	/** Any status is returned (no throw on 4xx/5xx); throws KctopError for connection errors ('connection'), timeouts ('timeout'), aborts ('aborted'). */
	request(url: string, init?: RequestInit): Promise<HttpResponse>;
	/**
	 * request + 2xx check + JSON.parse + schema.parse. Non-2xx → KctopError 'http' (401/403 → 'auth')
	 * whose message names the status and the server's one-line reason; bad JSON or schema
	 * mismatch → 'malformed' with a one-line summary of where it failed.
	 */
	getJson<T>(url: string, schema: ZodType<T>, init?: {readonly query?: Query; readonly signal?: AbortSignal}): Promise<T>;
	close(): Promise<void>;
}

/** The default cap on a response body: 64 MiB. */
export const defaultMaxBodyBytes = 64 * 1024 * 1024;

export function createHttp(options: HttpOptions): Http {
	const {source} = options;
	if (!Number.isFinite(options.timeoutMs) || options.timeoutMs <= 0) {
		throw new KctopError({kind: 'config', source, message: `invalid timeout ${String(options.timeoutMs)} ms: must be a positive number`});
	}
	const maxBodyBytes = options.maxBodyBytes ?? defaultMaxBodyBytes;
	if (!Number.isSafeInteger(maxBodyBytes) || maxBodyBytes <= 0) {
		throw new KctopError({kind: 'config', source, message: `invalid body cap ${String(maxBodyBytes)} bytes: must be a positive whole number`});
	}
	registerAuth(options.auth);
	registerHeaderValues(authorizationOf(options.headers));

	let ca: string | undefined;
	if (options.caFile !== undefined) {
		try {
			ca = readFileSync(options.caFile, 'utf8');
		} catch (error) {
			throw new KctopError({kind: 'config', source, message: `cannot read CA file ${options.caFile}: ${describeCause(error)}`}, {cause: error});
		}
	}

	let ownAgent: Agent | undefined;
	let dispatcher: Dispatcher;
	if (options.dispatcher === undefined) {
		ownAgent = new Agent({
			connect: {
				timeout: Math.min(options.timeoutMs, options.connectTimeoutMs ?? options.idleTimeoutMs ?? options.timeoutMs),
				rejectUnauthorized: options.insecure !== true,
				...(ca === undefined ? {} : {ca}),
			},
			keepAliveTimeout: 10_000,
			keepAliveMaxTimeout: 60_000,
		});
		dispatcher = ownAgent;
	} else {
		dispatcher = options.dispatcher;
	}
	let closed = false;

	async function request(url: string, init: RequestInit = {}): Promise<HttpResponse> {
		if (closed) throw new KctopError({kind: 'aborted', source, message: 'HTTP client closed'});
		const target = prepareUrl(url, init.query, source);
		const method = (init.method ?? 'GET').toUpperCase();
		const headers: Record<string, string> = {accept: 'application/json'};
		for (const [name, value] of Object.entries(options.headers ?? {})) headers[name.toLowerCase()] = value;
		const auth = target.auth ?? options.auth;
		if (auth !== undefined) headers['authorization'] = authorizationHeader(auth);
		let body: string | undefined;
		if (init.form !== undefined) {
			body = init.form;
			headers['content-type'] = 'application/x-www-form-urlencoded';
		} else if (init.body instanceof URLSearchParams) {
			// Form encoding: Prometheus takes long queries as a POST form.
			body = init.body.toString();
			headers['content-type'] = 'application/x-www-form-urlencoded';
		} else if (init.body !== undefined) {
			body = JSON.stringify(init.body);
			headers['content-type'] = 'application/json';
		}

		const timeout = AbortSignal.timeout(options.timeoutMs);
		const idle = options.idleTimeoutMs === undefined ? undefined : idleWatch(options.idleTimeoutMs);
		const signals = [init.signal, timeout, idle?.signal].filter(each => each !== undefined);
		const signal = signals.length === 1 ? timeout : AbortSignal.any(signals);
		const where = `${method} ${target.display}`;

		const failure = (error: unknown): KctopError => {
			if (init.signal?.aborted === true) {
				return new KctopError({kind: 'aborted', source, url: target.display, message: `request aborted (${where})`}, {cause: error});
			}
			if (idle?.signal.aborted === true && !timeout.aborted) {
				return new KctopError({kind: 'timeout', source, url: target.display, message: `nothing received for ${formatMs(idle.ms)} (${where})`}, {cause: error});
			}
			if (timeout.aborted || isTimeoutCode(errorCode(error))) {
				return new KctopError({kind: 'timeout', source, url: target.display, message: `timed out after ${formatMs(options.timeoutMs)} (${where})`}, {cause: error});
			}
			if (error instanceof KctopError) return error;
			// The host is what failed: its origin says all ("connection refused (http://prometheus:9090)").
			return new KctopError({kind: 'connection', source, url: target.display, message: `${connectionReason(error)} (${target.origin})`}, {cause: error});
		};

		try {
			signal.throwIfAborted();
			const response = await raceAbort(
				undiciRequest(target.url, {
					dispatcher,
					method,
					headers,
					body,
					signal,
				}).then(async res => {
					idle?.touch();
					const consume = init.onBody?.(res.statusCode, flattenHeaders(res.headers));
					if (consume !== undefined && init.memo !== undefined) return {res, text: '', unchanged: await readRemembered(res, maxBodyBytes, where, source, target.display, consume, init.memo, idle?.touch)};
					return {res, text: await readCapped(res, maxBodyBytes, where, source, target.display, consume, idle?.touch), unchanged: false};
				}),
				signal,
			);
			return {
				status: response.res.statusCode,
				headers: flattenHeaders(response.res.headers),
				text: response.text,
				url: target.display,
				...(response.unchanged ? {unchanged: true} : {}),
			};
		} catch (error) {
			throw failure(error);
		} finally {
			idle?.stop();
		}
	}

	async function getJson<T>(url: string, schema: ZodType<T>, init: {readonly query?: Query; readonly signal?: AbortSignal} = {}): Promise<T> {
		const response = await request(url, {method: 'GET', ...init});
		if (response.status < 200 || response.status > 299) throw httpError(response, source);
		return parseJson(response, schema, source);
	}

	return {
		request,
		getJson,
		async close() {
			if (closed) return;
			closed = true;
			if (ownAgent !== undefined) await ownAgent.close();
		},
	};
}

/**
 * Form encoding (`new URLSearchParams(params).toString()`, the same bytes) that remembers the
 * last encoding of each parameter: the batched PromQL query is the same long text on every
 * refresh, and encoding it (twice, to choose GET or POST) cost about a tenth of an idle
 * refresh at 9 connectors. Only the `time` parameter changes from one refresh to the next.
 */
export function createFormEncoder(): (params: Readonly<Record<string, string>>) => string {
	const last = new Map<string, {readonly value: string; readonly encoded: string}>();
	return params => {
		const parts: string[] = [];
		for (const [name, value] of Object.entries(params)) {
			let known = last.get(name);
			if (known?.value !== value) {
				// URLSearchParams builds its text piece by piece; copied once into one flat string here, the
				// join below copies it as a block instead of walking thousands of pieces on every refresh.
				known = {value, encoded: Buffer.from(new URLSearchParams([[name, value]]).toString(), 'latin1').toString('latin1')};
				last.set(name, known);
			}
			parts.push(known.encoded);
		}
		return parts.join('&');
	};
}

/** `409 Conflict`: the status and its standard reason phrase. */
export function statusLine(status: number): string {
	const text = STATUS_CODES[status];
	return text === undefined ? String(status) : `${status} ${text}`;
}

/** KctopError for a non-2xx answer: kind 'auth' for 401/403, else 'http'; message `409 Conflict: <reason>`. */
export function httpError(response: HttpResponse, source: ErrorSource, context?: string): KctopError {
	const reason = errorReason(response.text);
	const kind = response.status === 401 || response.status === 403 ? 'auth' : 'http';
	const prefix = context === undefined ? '' : `${context}: `;
	return new KctopError({
		kind,
		source,
		status: response.status,
		url: response.url,
		message: `${prefix}${statusLine(response.status)}${reason === '' ? '' : `: ${reason}`}`,
	});
}

/** JSON.parse + schema.parse of a response body, failing with a one-line 'malformed' KctopError. */
export function parseJson<T>(response: HttpResponse, schema: ZodType<T>, source: ErrorSource): T {
	let json: unknown;
	try {
		json = JSON.parse(response.text);
	} catch (error) {
		const detail = error instanceof Error ? error.message : String(error);
		throw new KctopError({kind: 'malformed', source, url: response.url, message: `invalid JSON from ${response.url}: ${detail}`}, {cause: error});
	}
	const result = schema.safeParse(json);
	if (!result.success) {
		throw new KctopError({kind: 'malformed', source, url: response.url, message: `unexpected response from ${response.url}: ${summarizeIssues(result.error)}`}, {cause: result.error});
	}
	return result.data;
}

const connectErrorBody = z.object({message: z.string()});
const prometheusErrorBody = z.object({status: z.literal('error'), error: z.string(), errorType: z.string().optional()});
const genericErrorBody = z.object({error: z.string()});

/** Extract the one-line reason from an error body (JSON or text), used by getJson and by callers that inspect statuses themselves. */
export function errorReason(text: string): string {
	const trimmed = text.trim();
	if (trimmed === '') return '';
	let json: unknown;
	let isJson = false;
	try {
		json = JSON.parse(trimmed);
		isJson = true;
	} catch {
		// Not JSON: plain text or HTML below.
	}
	if (isJson) {
		const prometheus = prometheusErrorBody.safeParse(json);
		if (prometheus.success) {
			const {errorType, error} = prometheus.data;
			return oneLine(errorType === undefined || errorType === '' ? error : `${errorType}: ${error}`);
		}
		const connect = connectErrorBody.safeParse(json);
		if (connect.success) return oneLine(connect.data.message);
		const generic = genericErrorBody.safeParse(json);
		if (generic.success) return oneLine(generic.data.error);
		return oneLine(trimmed, 200);
	}
	// An HTML error page from a proxy: its title says it best.
	const title = /<title[^>]*>([^<]*)<\/title>/i.exec(trimmed);
	if (title?.[1] !== undefined && title[1].trim() !== '') return oneLine(title[1], 200);
	const firstLine = trimmed.split(/\r?\n/).find(line => line.trim() !== '') ?? '';
	return oneLine(firstLine.replace(/<[^>]*>/g, ' '), 200);
}

/** URL with any userinfo removed, for messages. */
export function redactUrl(url: string): string {
	try {
		const parsed = new URL(url);
		if (parsed.username === '' && parsed.password === '') return url;
		parsed.username = '';
		parsed.password = '';
		return parsed.toString();
	} catch {
		// Not parseable: strip anything that looks like userinfo.
		return url.replace(/\/\/[^/@\s]*@/, '//');
	}
}

interface PreparedUrl {
	/** Without credentials, with the query: what is sent. */
	readonly url: string;
	/** For messages: without credentials and without the query (a URL-encoded PromQL query would fill the line). */
	readonly display: string;
	/** Scheme, host and port. */
	readonly origin: string;
	/** Basic auth from credentials embedded in the URL. */
	readonly auth: HttpAuth | undefined;
}

function prepareUrl(url: string, query: Query | undefined, source: ErrorSource): PreparedUrl {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch (error) {
		throw new KctopError({kind: 'config', source, message: `invalid URL: ${redactUrl(url)}`}, {cause: error});
	}
	if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
		throw new KctopError({kind: 'config', source, message: `unsupported URL scheme ${parsed.protocol} in ${redactUrl(url)} (use http or https)`});
	}
	let auth: HttpAuth | undefined;
	if (parsed.username !== '' || parsed.password !== '') {
		auth = {type: 'basic', username: safeDecode(parsed.username), password: safeDecode(parsed.password)};
		registerAuth(auth);
		registerSecret(parsed.password);
		parsed.username = '';
		parsed.password = '';
	}
	for (const [key, value] of Object.entries(query ?? {})) {
		if (typeof value === 'string') parsed.searchParams.append(key, value);
		else for (const item of value) parsed.searchParams.append(key, item);
	}
	const text = parsed.toString();
	return {url: text, display: `${parsed.origin}${parsed.pathname}`, origin: parsed.origin, auth};
}

/** An Authorization header given as a plain header; the caller registers its other header values (see run.tsx). */
function authorizationOf(headers: Readonly<Record<string, string>> | undefined): Record<string, string> {
	const found = Object.entries(headers ?? {}).filter(([name]) => /^(proxy-)?authorization$/i.test(name));
	return Object.fromEntries(found);
}

interface CappedBody {
	readonly headers: Record<string, string | string[] | undefined>;
	readonly body: AsyncIterable<Uint8Array> & {destroy(error?: Error): unknown};
}

/**
 * The body as text, read chunk by chunk and abandoned as soon as it passes the cap (a
 * Content-Length above the cap fails before anything is read), so a 600 MB answer costs
 * at most the cap in memory.
 */
async function readCapped(res: CappedBody, maxBytes: number, where: string, source: ErrorSource, url: string, consume?: (chunk: Uint8Array) => void, arrived?: () => void): Promise<string> {
	const tooLarge = (): KctopError => {
		res.body.destroy();
		return new KctopError({kind: 'too-large', source, url, message: `response larger than ${formatBytes(maxBytes)} (${where}): raise --max-body if this is expected`});
	};
	const declared = Number(res.headers['content-length']);
	if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();
	// Text is decoded piece by piece as it arrives, onto V8's heap. Joining the bytes into one
	// buffer and decoding that made a string held outside V8's heap (Node does so for any text
	// over about 1 MB); both were malloc'd, and a string that outlives one young-generation
	// collection (one that JSON.parse is still reading does) is freed only by the next full
	// collection. With a 2 MB Prometheus answer every refresh at 1,009 connectors and 20 MB at
	// 10,009, those dead copies kept glibc's heap at 35-80 MB; decoded in pieces it stayed at
	// 17-20 MB, at no more CPU. Invalid UTF-8 becomes U+FFFD and a byte-order mark is kept, as
	// Buffer#toString does, so the text read is the same.
	const decoder = consume === undefined ? new TextDecoder('utf-8', {ignoreBOM: true}) : undefined;
	const pieces: string[] = [];
	let total = 0;
	for await (const chunk of res.body) {
		arrived?.();
		total += chunk.byteLength;
		if (total > maxBytes) throw tooLarge();
		if (decoder !== undefined) pieces.push(decoder.decode(chunk, {stream: true}));
		else consume?.(chunk);
	}
	if (decoder === undefined) return '';
	pieces.push(decoder.decode());
	return pieces.join('');
}

/**
 * readCapped for a consumer with a memo: the body is held while it stays within the memo's
 * limit, then compared with the one the memo remembers (createMemoReader). True when it is the
 * same body (the consumer got nothing); otherwise the consumer got it all and the memo
 * remembers it (or, past the limit, nothing).
 */
async function readRemembered(res: CappedBody, maxBytes: number, where: string, source: ErrorSource, url: string, consume: (chunk: Uint8Array) => void, memo: BodyMemo, arrived?: () => void): Promise<boolean> {
	const declared = Number(res.headers['content-length']);
	const reader = createMemoReader(memo, consume, Number.isFinite(declared) ? declared : undefined);
	await readCapped(
		res,
		maxBytes,
		where,
		source,
		url,
		chunk => {
			reader.write(chunk);
		},
		arrived,
	);
	return reader.end();
}

/** What readRemembered does with the pieces of one body (createMemoReader). */
export interface MemoReader {
	write(chunk: Uint8Array): void;
	/** The body is complete: true when it was the memo's body (the consumer got nothing). */
	end(): boolean;
}

/**
 * The pieces of one body against a memo. Each piece is held (a reference, not a copy) and
 * hashed (SHA-256) as it arrives; at the end a body of the remembered length and digest is the
 * remembered body: the consumer gets nothing, and nothing was joined or copied. Otherwise the
 * consumer gets the pieces joined, and the memo remembers the new length and digest (and the
 * bytes, if it keeps them). The digest, not the bytes, is what stays between refreshes: the
 * expand body at 10,009 connectors is 10 MB, its SHA-256 32 bytes, and hashing it costs about
 * 6 ms against 0.5 ms for comparing it with kept bytes. A body past the memo's limit streams to
 * the consumer as it arrives (a declared length past it, at once), and the memo forgets.
 * Exported for its test.
 */
export function createMemoReader(memo: BodyMemo, consume: (chunk: Uint8Array) => void, declaredBytes?: number): MemoReader {
	const last = memo.last();
	const hash = createHash('sha256');
	const held: Uint8Array[] = [];
	let heldBytes = 0;
	let streaming = declaredBytes !== undefined && declaredBytes > memo.limitBytes;
	if (streaming) memo.remember(undefined);

	return {
		write(chunk) {
			if (streaming) {
				consume(chunk);
				return;
			}
			held.push(chunk);
			heldBytes += chunk.byteLength;
			if (heldBytes <= memo.limitBytes) {
				hash.update(chunk);
				return;
			}
			streaming = true;
			memo.remember(undefined);
			for (const piece of held.splice(0)) consume(piece);
		},
		end() {
			if (streaming) return false;
			const digest = hash.digest();
			if (last !== undefined && last.length === heldBytes && last.digest.equals(digest)) return true;
			const body = Buffer.concat(held, heldBytes);
			held.length = 0;
			// Forgotten while the consumer reads it: a body it fails on is never taken for one it read.
			memo.remember(undefined);
			consume(body);
			memo.remember({length: heldBytes, digest, bytes: memo.keepsBytes ? body : undefined});
			return false;
		},
	};
}

/** 64 MB, 512 KB, 300 B (binary multiples). */
export function formatBytes(bytes: number): string {
	const units = [['GB', 1024 ** 3], ['MB', 1024 ** 2], ['KB', 1024]] as const;
	for (const [unit, size] of units) if (bytes >= size) return `${Number((bytes / size).toFixed(1))} ${unit}`;
	return `${bytes} B`;
}

function safeDecode(text: string): string {
	try {
		return decodeURIComponent(text);
	} catch {
		return text;
	}
}

function authorizationHeader(auth: HttpAuth): string {
	if (auth.type === 'bearer') return `Bearer ${auth.token}`;
	return `Basic ${Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64')}`;
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
	const flat: Record<string, string> = {};
	for (const [name, value] of Object.entries(headers)) {
		if (value === undefined) continue;
		flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
	}
	return flat;
}

/**
 * HttpOptions.idleTimeoutMs for one request: `signal` aborts once nothing has arrived for `ms`
 * (`touch` says something did). When the timer fires, the check waits for setImmediate, which
 * runs after the I/O the event loop has pending: a main thread that was busy (parsing another
 * endpoint's body) reads what came meanwhile before this one is judged silent.
 */
function idleWatch(ms: number): {readonly ms: number; readonly signal: AbortSignal; touch(): void; stop(): void} {
	const controller = new AbortController();
	let last = performance.now();
	let stopped = false;
	let timer: ReturnType<typeof setTimeout> | undefined;
	const arm = (delay: number): void => {
		timer = setTimeout(() => {
			setImmediate(() => {
				if (stopped) return;
				const quiet = performance.now() - last;
				if (quiet >= ms) controller.abort(new Error(`nothing received for ${ms} ms`));
				else arm(ms - quiet);
			});
		}, delay);
	};
	arm(ms);
	return {
		ms,
		signal: controller.signal,
		touch() {
			last = performance.now();
		},
		stop() {
			stopped = true;
			clearTimeout(timer);
		},
	};
}

/** Rejects as soon as the signal aborts, even if the underlying promise is slow to notice. */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
	return new Promise<T>((resolve, reject) => {
		const onAbort = (): void => reject(signal.reason);
		signal.addEventListener('abort', onAbort, {once: true});
		promise.then(
			value => {
				signal.removeEventListener('abort', onAbort);
				resolve(value);
			},
			(error: unknown) => {
				signal.removeEventListener('abort', onAbort);
				reject(error);
			},
		);
	});
}

const codeHolder = z.object({code: z.string()});
const causeHolder = z.object({cause: z.unknown()});
const errorsHolder = z.object({errors: z.array(z.unknown())});

/** The first error code found on the error, its cause chain or an AggregateError's members. */
function errorCode(error: unknown, depth = 0): string | undefined {
	if (depth > 5 || error === null || typeof error !== 'object') return undefined;
	const own = codeHolder.safeParse(error);
	if (own.success && own.data.code !== 'UND_ERR_ABORTED' && own.data.code !== 'ABORT_ERR') return own.data.code;
	const cause = causeHolder.safeParse(error);
	if (cause.success) {
		const inner = errorCode(cause.data.cause, depth + 1);
		if (inner !== undefined) return inner;
	}
	const members = errorsHolder.safeParse(error);
	if (members.success) {
		for (const member of members.data.errors) {
			const inner = errorCode(member, depth + 1);
			if (inner !== undefined) return inner;
		}
	}
	return own.success ? own.data.code : undefined;
}

function isTimeoutCode(code: string | undefined): boolean {
	return code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'ETIMEDOUT';
}

const connectionReasons: Readonly<Record<string, string>> = {
	ECONNREFUSED: 'connection refused',
	ECONNRESET: 'connection reset',
	EPIPE: 'connection reset',
	ENOTFOUND: 'host not found',
	EAI_AGAIN: 'DNS lookup failed',
	EHOSTUNREACH: 'host unreachable',
	ENETUNREACH: 'network unreachable',
	EADDRNOTAVAIL: 'address not available',
	UND_ERR_CONNECT_TIMEOUT: 'connect timed out',
	UND_ERR_SOCKET: 'connection closed by the server',
	UND_ERR_CLOSED: 'connection closed',
	UND_ERR_DESTROYED: 'connection closed',
	DEPTH_ZERO_SELF_SIGNED_CERT: 'TLS: self-signed certificate (use --ca-file or --insecure)',
	SELF_SIGNED_CERT_IN_CHAIN: 'TLS: self-signed certificate in chain (use --ca-file or --insecure)',
	UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS: unable to verify the certificate (use --ca-file or --insecure)',
	UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'TLS: unknown certificate issuer (use --ca-file or --insecure)',
	UNABLE_TO_GET_ISSUER_CERT: 'TLS: unknown certificate issuer (use --ca-file or --insecure)',
	CERT_HAS_EXPIRED: 'TLS: certificate has expired',
	CERT_NOT_YET_VALID: 'TLS: certificate is not yet valid',
	ERR_TLS_CERT_ALTNAME_INVALID: 'TLS: certificate does not match the host name',
	ERR_SSL_WRONG_VERSION_NUMBER: 'TLS: wrong protocol (is this an http:// endpoint?)',
	EPROTO: 'TLS protocol error (is this an http:// endpoint?)',
};

function connectionReason(error: unknown): string {
	const code = errorCode(error);
	if (code !== undefined) {
		const known = connectionReasons[code];
		if (known !== undefined) return known;
		if (code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL') || code.includes('CERT')) return `TLS error ${code}`;
	}
	const detail = describeCause(error);
	return code === undefined ? `connection failed: ${detail}` : `connection failed (${code}): ${detail}`;
}

function describeCause(error: unknown): string {
	if (error instanceof Error) return oneLine(redactUrl(error.message) || error.name, 200);
	return oneLine(String(error), 200);
}

function formatMs(ms: number): string {
	return ms >= 1000 && ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

/** One line out of zod issues: `tasks.0.id: expected number, received string (+2 more)`. */
function summarizeIssues(error: z.ZodError): string {
	const [first] = error.issues;
	if (first === undefined) return 'does not match the expected shape';
	const path = first.path.length === 0 ? '(root)' : first.path.map(segment => (typeof segment === 'symbol' ? segment.toString() : String(segment))).join('.');
	const more = error.issues.length > 1 ? ` (+${error.issues.length - 1} more)` : '';
	return oneLine(`${path}: ${first.message}${more}`, 300);
}
