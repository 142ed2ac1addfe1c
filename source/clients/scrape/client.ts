import {KctopError, isKctopError} from '../errors.js';
import {createBodyMemo, createHttp, httpError, redactUrl, type BodyMemo, type HttpOptions, type HttpResponse} from '../http.js';
import {createByteExpositionParser, createScrapeMemory, type ScrapeMemory} from './byte-parser.js';
import {parseExposition} from './parser.js';
import type {ParsedExposition, ScrapeResult} from './types.js';

/**
 * Direct-scrape mode: reads the exporters' /metrics pages (jmx_exporter on each Connect
 * worker) without Prometheus. One request per endpoint per call, all in parallel; one
 * failing endpoint never fails the others. No retries, no timers.
 */

export interface ScrapeClientOptions extends Omit<HttpOptions, 'source'> {
	readonly urls: readonly string[];
}

export interface ScrapeOutcome {
	/** The endpoint, without credentials. */
	readonly url: string;
	/** host:port of the endpoint (the Prometheus-style `instance`). */
	readonly instance: string;
	readonly result?: ScrapeResult;
	readonly error?: KctopError;
}

export interface ScrapeClient {
	/** The endpoints, without credentials, in the order given. */
	readonly urls: readonly string[];
	/**
	 * Scrapes every endpoint in parallel; outcomes come back in the order of `urls`. With
	 * `keep`, only samples whose name it accepts are parsed (see ParseOptions.keep).
	 */
	scrapeAll(now: number, signal?: AbortSignal, keep?: (name: string) => boolean): Promise<readonly ScrapeOutcome[]>;
	close(): Promise<void>;
}

/** Asks for the 0.0.4 text format; an OpenMetrics answer is parsed all the same. */
export const scrapeAcceptHeader = 'text/plain;version=0.0.4;q=0.9,*/*;q=0.1';

interface Endpoint {
	/** What is requested (may carry credentials, which Http turns into basic auth). */
	readonly target: string;
	readonly url: string;
	readonly instance: string;
	/** What its last body gave (see ScrapeMemory). */
	readonly memory: ScrapeMemory;
	/** Its last body's bytes, when small (http.ts BodyMemo), and what they were read into. */
	readonly body: BodyMemo;
	last: {readonly exposition: ParsedExposition; readonly openMetrics: boolean; readonly keep: ((name: string) => boolean) | undefined} | undefined;
}

export function createScrapeClient(options: ScrapeClientOptions): ScrapeClient {
	const {urls, headers, ...httpOptions} = options;
	if (urls.length === 0) {
		throw new KctopError({kind: 'config', source: 'scrape', message: 'no scrape URL given'});
	}
	const endpoints = urls.map(endpointOf);
	const http = createHttp({...httpOptions, source: 'scrape', headers: {accept: scrapeAcceptHeader, ...headers}});

	async function scrapeOne(endpoint: Endpoint, now: number, signal: AbortSignal | undefined, keep: ((name: string) => boolean) | undefined): Promise<ScrapeOutcome> {
		const {url, instance} = endpoint;
		try {
			// A 2xx answer that is not HTML is parsed as it arrives; anything else is read whole and judged by parseBody.
			let streamed: StreamedBody | undefined;
			let openMetrics = false;
			const onBody = (status: number, headers: Readonly<Record<string, string>>): ((chunk: Uint8Array) => void) | undefined => {
				const contentType = (headers['content-type'] ?? '').toLowerCase();
				if (status < 200 || status > 299 || contentType.includes('text/html')) return undefined;
				openMetrics = contentType.includes('application/openmetrics-text');
				const body = streamedBody(url, {openMetrics, memory: endpoint.memory, ...(keep === undefined ? {} : {keep})});
				streamed = body;
				return chunk => body.write(chunk);
			};
			const response = await http.request(endpoint.target, {method: 'GET', onBody, memo: endpoint.body, ...(signal === undefined ? {} : {signal})});
			// The same bytes as last time, read the same way: the same exposition, not parsed again.
			const {last} = endpoint;
			const same = response.unchanged === true && last !== undefined && last.openMetrics === openMetrics && last.keep === keep;
			const unread = response.unchanged === true ? endpoint.body.last()?.bytes : undefined;
			if (!same && streamed !== undefined && unread !== undefined) streamed.write(unread);
			const exposition = same ? last.exposition : streamed === undefined ? parseBody(response, keep) : checked(streamed.end(), response.url);
			endpoint.last = streamed === undefined ? undefined : {exposition, openMetrics, keep};
			return {url, instance, result: {url, instance, at: now, exposition}};
		} catch (error) {
			endpoint.body.remember(undefined);
			endpoint.last = undefined;
			return {url, instance, error: asKctopError(error, url)};
		}
	}

	return {
		urls: endpoints.map(endpoint => endpoint.url),
		scrapeAll: async (now, signal, keep) => Promise.all(endpoints.map(async endpoint => scrapeOne(endpoint, now, signal, keep))),
		close: async () => http.close(),
	};
}

function endpointOf(target: string): Endpoint {
	let parsed: URL;
	try {
		parsed = new URL(target);
	} catch (error) {
		throw new KctopError({kind: 'config', source: 'scrape', message: `invalid scrape URL: ${redactUrl(target)}`}, {cause: error});
	}
	if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
		throw new KctopError({kind: 'config', source: 'scrape', message: `unsupported URL scheme ${parsed.protocol} in ${redactUrl(target)} (use http or https)`});
	}
	const port = parsed.port === '' ? (parsed.protocol === 'https:' ? '443' : '80') : parsed.port;
	return {target, url: redactUrl(target), instance: `${parsed.hostname}:${port}`, memory: createScrapeMemory(), body: createBodyMemo(), last: undefined};
}

/** 2xx check, refusal of HTML pages (a login page or a proxy's error page), then parsing. */
function parseBody(response: HttpResponse, keep: ((name: string) => boolean) | undefined): ParsedExposition {
	if (response.status < 200 || response.status > 299) throw httpError(response, 'scrape', 'scrape failed');
	const contentType = (response.headers['content-type'] ?? '').toLowerCase();
	if (contentType.includes('text/html') || looksLikeHtml(response.text)) throw htmlError(response.url);
	return checked(parseExposition(response.text, {openMetrics: contentType.includes('application/openmetrics-text'), ...(keep === undefined ? {} : {keep})}), response.url);
}

function htmlError(url: string): KctopError {
	return new KctopError({
		kind: 'malformed',
		source: 'scrape',
		url,
		message: `${url} answered with an HTML page, not Prometheus metrics (is this the exporter's /metrics URL?)`,
	});
}

/** An answer with nothing but unparseable lines is not an exposition at all. */
function checked(exposition: ParsedExposition, url: string): ParsedExposition {
	if (exposition.samples.length === 0 && exposition.skipped === 0 && exposition.errors.length > 0) {
		throw new KctopError({kind: 'malformed', source: 'scrape', url, message: `${url} did not answer Prometheus metrics: ${exposition.errors[0] ?? ''}`});
	}
	return exposition;
}

export interface StreamedBody {
	/** One piece of the body as it arrives; throws a KctopError when the body starts like an HTML page. */
	write(chunk: Uint8Array): void;
	end(): ParsedExposition;
}

/**
 * How many bytes of the body are held back before parsing starts, to tell an HTML page: at
 * least the 200 characters looksLikeHtml reads, however many bytes each takes.
 */
const sniffBytes = 800;

/**
 * A body parsed from its bytes piece by piece (byte-parser.ts): no copy of the whole body, as
 * bytes or as text, is ever made, and lines of families the profile does not read are never
 * decoded. The first bytes are held back until they show it is not an HTML page.
 */
export function streamedBody(url: string, options: {readonly openMetrics: boolean; readonly keep?: (name: string) => boolean; readonly memory?: ScrapeMemory}): StreamedBody {
	const parser = createByteExpositionParser(options);
	let head: Uint8Array[] | undefined = [];
	let held = 0;
	const release = (): void => {
		if (head === undefined) return;
		const start = Buffer.concat(head);
		head = undefined;
		if (looksLikeHtml(new TextDecoder('utf-8').decode(start))) throw htmlError(url);
		parser.push(start);
	};
	return {
		write: chunk => {
			if (head === undefined) {
				parser.push(chunk);
				return;
			}
			head.push(chunk);
			held += chunk.byteLength;
			if (held >= sniffBytes) release();
		},
		end: () => {
			release();
			return parser.end();
		},
	};
}

function looksLikeHtml(text: string): boolean {
	const start = text.slice(0, 200).trimStart().toLowerCase();
	return start.startsWith('<!doctype html') || start.startsWith('<html') || start.startsWith('<head') || start.startsWith('<body');
}

function asKctopError(error: unknown, url: string): KctopError {
	if (isKctopError(error)) return error;
	const detail = error instanceof Error ? error.message : String(error);
	return new KctopError({kind: 'connection', source: 'scrape', url, message: `scrape of ${url} failed: ${detail}`}, {cause: error});
}
