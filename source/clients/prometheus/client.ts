import type {ZodError, ZodType} from 'zod';
import {KctopError, oneLine} from '../errors.js';
import {createFormEncoder, createHttp, httpError, redactUrl, statusLine, type Http, type HttpOptions, type HttpResponse, type Query, type RequestInit} from '../http.js';
import type {RangeSeries, Sample} from '../../metrics/types.js';
import {parseGoFloat, unquoteJmxValue} from '../scrape/parser.js';
import {expected, isRecord, malformed, setOwn, ShapeError, under} from '../shape.js';
import {Float64Slab} from './float64-slab.js';
import {ResultSplitter} from './result-splitter.js';
import {labelValuesSuccessSchema, promErrorSchema, queryEnvelopeSchema, targetsSuccessSchema, type PromError, type QueryEnvelope} from './schemas.js';
import {createVectorReader, emptyVectorMemory, type RowHead, type VectorMemory, type VectorReader} from './vector-text.js';

/**
 * Client of the Prometheus HTTP API, also spoken by Thanos, Mimir/Cortex and
 * VictoriaMetrics: instant queries, range queries and label values. No retries and no
 * timers (the poller owns them); every failure is a one-line KctopError.
 */

export interface PrometheusClientOptions extends Omit<HttpOptions, 'source'> {
	/** Base URL; may include a path prefix such as http://mimir/prometheus. */
	readonly url: string;
}

export interface InstantResult {
	/** Labels include `__name__` when Prometheus returns it; JMX quotes are stripped from values. */
	readonly samples: readonly Sample[];
	/** Warnings and infos (`info: …`) of the answer, one line each: Thanos/Mimir partial responses arrive here. */
	readonly warnings: readonly string[];
	/** The server's clock when it answered (its `Date` header, whole seconds), when it sent one. */
	readonly serverTime?: number | undefined;
	/** Asked with `tagLabel`: each sample's value of that label ('' for a row without it), by position. */
	readonly tags?: readonly string[] | undefined;
}

export interface RangeResult {
	readonly series: readonly RangeSeries[];
	readonly warnings: readonly string[];
}

export interface PrometheusClient {
	/** The base URL, without credentials. */
	readonly url: string;
	/**
	 * `/api/v1/query`; `time` in unix ms (default: the server's now). With `tagLabel`, each row's
	 * value of that label comes apart, in `tags`, and the samples' labels hold neither it nor
	 * `__name__`; rows with the same labels then share one label record.
	 */
	query(promql: string, options?: {readonly time?: number; readonly signal?: AbortSignal; readonly tagLabel?: string}): Promise<InstantResult>;
	/** `/api/v1/query_range`; start and end in unix ms, step in ms. */
	queryRange(
		promql: string,
		options: {readonly start: number; readonly end: number; readonly stepMs: number; readonly signal?: AbortSignal},
	): Promise<RangeResult>;
	/** `/api/v1/label/<label>/values`, optionally restricted by `match[]` series selectors. */
	labelValues(label: string, options?: {readonly match?: readonly string[]; readonly signal?: AbortSignal}): Promise<readonly string[]>;
	/** `/api/v1/targets?state=active`: each active target's scrape interval (ms) and labels; Thanos and Mimir answer 404. Optional for fakes. */
	targets?(options?: {readonly signal?: AbortSignal}): Promise<readonly ScrapeTarget[]>;
	close(): Promise<void>;
}

export interface ScrapeTarget {
	/** undefined when the server does not say (Prometheus before 2.27). */
	readonly scrapeIntervalMs: number | undefined;
	readonly labels: Readonly<Record<string, string>>;
	readonly up: boolean;
}

/** A Prometheus duration as the targets API writes it (`15s`, `1m30s`, `500ms`) in ms; undefined when it is not one. */
export function parsePromDuration(text: string): number | undefined {
	const units: Readonly<Record<string, number>> = {ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, y: 31_536_000_000};
	if (!/^(?:\d+(?:ms|s|m|h|d|w|y))+$/.test(text)) return undefined;
	let total = 0;
	for (const [, amount, unit] of text.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g)) total += Number(amount) * (units[unit ?? ''] ?? 0);
	return total;
}

/**
 * A Prometheus API error answer (`{status:"error", errorType, error}`). Besides what
 * KctopError already retries (5xx, 409, 429), a 422 execution error and a `timeout` /
 * `unavailable` errorType are worth trying again: they depend on the server's load.
 */
export class PrometheusApiError extends KctopError {
	/** `bad_data`, `execution`, `timeout`, `canceled`, `internal`, `unavailable`, `not_found`… */
	readonly errorType: string | undefined;

	constructor(
		init: {readonly kind: 'http' | 'auth'; readonly message: string; readonly status: number; readonly url: string; readonly errorType?: string},
	) {
		super({kind: init.kind, source: 'prometheus', message: init.message, status: init.status, url: init.url});
		this.errorType = init.errorType;
	}

	override get isRetryable(): boolean {
		if (this.kind !== 'http') return false;
		return super.isRetryable || this.status === 422 || this.errorType === 'timeout' || this.errorType === 'unavailable';
	}
}

/** Past this many characters of form-encoded parameters a query is sent with POST (as Prometheus allows) so that proxies' URL limits do not bite. */
export const maxGetParamsLength = 2000;

/** "NaN", "+Inf", "-Inf", "1.5e+06" → number; anything else is a 'malformed' KctopError. */
export function parsePromValue(text: string): number {
	const value = parseGoFloat(text);
	if (value === undefined) {
		throw new KctopError({kind: 'malformed', source: 'prometheus', message: `invalid sample value ${JSON.stringify(oneLine(text, 40))}`});
	}
	return value;
}

export function createPrometheusClient(options: PrometheusClientOptions): PrometheusClient {
	const {url, ...httpOptions} = options;
	const base = normalizeBaseUrl(url);
	const http = createHttp({...httpOptions, source: 'prometheus'});
	const display = redactUrl(base);
	/** What the vector reader keeps of the last answer of each instant query (a few dozen queries at most: one per logical metric without batching), and the tag label it was read with. */
	const vectorMemories = new Map<string, {readonly tagLabel: string | undefined; readonly memory: VectorMemory}>();
	const vectorMemoryOf = (promql: string, tagLabel: string | undefined): VectorMemory => {
		let kept = vectorMemories.get(promql);
		if (kept === undefined || kept.tagLabel !== tagLabel) {
			if (vectorMemories.size >= 64) vectorMemories.clear();
			kept = {tagLabel, memory: emptyVectorMemory()};
			vectorMemories.set(promql, kept);
		}
		return kept.memory;
	};

	const encodeForm = createFormEncoder();
	async function call(path: string, params: Record<string, string>, signal: AbortSignal | undefined, onBody?: RequestInit['onBody']): Promise<HttpResponse> {
		const encoded = encodeForm(params);
		const extra = {...(signal === undefined ? {} : {signal}), ...(onBody === undefined ? {} : {onBody})};
		if (encoded.length > maxGetParamsLength) {
			return http.request(`${base}${path}`, {method: 'POST', form: encoded, ...extra});
		}
		return http.request(`${base}${path}`, {method: 'GET', query: params, ...extra});
	}

	return {
		url: display,

		async query(promql, queryOptions = {}) {
			const params: Record<string, string> = {query: promql};
			if (queryOptions.time !== undefined) params['time'] = secondsParam(queryOptions.time, 'time');
			const {tagLabel} = queryOptions;
			const readHead = headReader(tagLabel);
			const memory = vectorMemoryOf(promql, tagLabel);
			// A 2xx answer is read as it arrives (vector-text.ts); its bytes are kept only while the reader may still give it up to the full parse.
			const ask = async (keepBytes: boolean): Promise<{readonly response: HttpResponse; readonly reader: VectorReader | undefined; readonly pieces: Uint8Array[] | undefined}> => {
				let reader: VectorReader | undefined;
				let pieces: Uint8Array[] | undefined;
				const onBody = (status: number): ((chunk: Uint8Array) => void) | undefined => {
					if (status < 200 || status > 299) return undefined;
					const own = createVectorReader(memory, headOrUndefined(readHead), parseGoFloat);
					reader = own;
					pieces = [];
					return chunk => {
						own.write(chunk);
						if (pieces === undefined) return;
						if (keepBytes || own.refused || !own.pastHead) pieces.push(chunk);
						// Past the head of an answer the reader takes: the reader alone holds what is needed.
						else pieces = undefined;
					};
				};
				const response = await call('/api/v1/query', params, queryOptions.signal, onBody);
				return {response, reader, pieces};
			};
			let asked = await ask(memory.keepBytes);
			let read = asked.reader?.end();
			if (asked.reader !== undefined && read === undefined) {
				memory.keepBytes = true;
				// Given up after its bytes were let go (a native histogram, an escape, an error in the middle): asked again, keeping them.
				if (asked.pieces === undefined) {
					asked = await ask(true);
					read = asked.reader?.end();
				}
			}
			const {response} = asked;
			const serverTime = Date.parse(response.headers['date'] ?? '');
			const at = Number.isFinite(serverTime) ? {serverTime} : {};
			if (read !== undefined) {
				const warnings = read.envelope === undefined ? [] : envelopeNotes({...response, text: read.envelope});
				return {samples: read.samples, warnings, ...at, ...(tagLabel === undefined ? {} : {tags: read.tags})};
			}
			const text = asked.pieces === undefined ? response.text : decodePieces(asked.pieces);
			const body = interpret({...response, text}, queryEnvelopeSchema, 'query');
			const warnings = notes(body.warnings, body.infos);
			const {samples, tags} = instantSamples(body.data, response, warnings, 'query', readHead);
			return {samples, warnings, ...at, ...(tagLabel === undefined ? {} : {tags})};
		},

		async queryRange(promql, rangeOptions) {
			const {start, end, stepMs} = rangeOptions;
			if (!Number.isFinite(stepMs) || stepMs <= 0) {
				throw new KctopError({kind: 'config', source: 'prometheus', message: `invalid range query step ${String(stepMs)} ms: must be a positive number`});
			}
			if (end < start) {
				throw new KctopError({kind: 'config', source: 'prometheus', message: 'invalid range query: end is before start'});
			}
			const params: Record<string, string> = {
				query: promql,
				start: secondsParam(start, 'start'),
				end: secondsParam(end, 'end'),
				step: String(stepMs / 1000),
			};
			// A 2xx answer is split into its rows as it arrives and each row read on its own (result-splitter.ts); anything else is read whole.
			let streamed: StreamedRange | undefined;
			const onBody = (status: number): ((chunk: Uint8Array) => void) | undefined => {
				if (status < 200 || status > 299) return undefined;
				const range = streamedRange();
				streamed = range;
				return chunk => range.splitter.write(chunk);
			};
			const response = await call('/api/v1/query_range', params, rangeOptions.signal, onBody);
			if (streamed === undefined) {
				const body = interpret(response, queryEnvelopeSchema, 'query_range');
				const warnings = notes(body.warnings, body.infos);
				return {series: rangeSeries(body.data, response, warnings, 'query_range'), warnings};
			}
			return streamedRangeResult(streamed, response);
		},

		async labelValues(label, labelOptions = {}) {
			if (label === '') {
				throw new KctopError({kind: 'config', source: 'prometheus', message: 'label values: empty label name'});
			}
			const query: Query = labelOptions.match === undefined || labelOptions.match.length === 0 ? {} : {'match[]': labelOptions.match};
			const response = await http.request(`${base}/api/v1/label/${encodeURIComponent(label)}/values`, {
				method: 'GET',
				query,
				...(labelOptions.signal === undefined ? {} : {signal: labelOptions.signal}),
			});
			const body = interpret(response, labelValuesSuccessSchema, 'label values');
			return body.data ?? [];
		},

		async targets(targetOptions = {}) {
			const response = await http.request(`${base}/api/v1/targets`, {method: 'GET', query: {state: 'active'}, ...(targetOptions.signal === undefined ? {} : {signal: targetOptions.signal})});
			const body = interpret(response, targetsSuccessSchema, 'targets');
			return body.data.activeTargets.map((target) => ({
				scrapeIntervalMs: target.scrapeInterval === undefined ? undefined : parsePromDuration(target.scrapeInterval),
				labels: labelsOf(target.labels ?? {}),
				up: target.health === 'up',
			}));
		},

		close: async () => http.close(),
	};
}

/** Validates the base URL and removes trailing slashes, keeping any path prefix. */
function normalizeBaseUrl(url: string): string {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch (error) {
		throw new KctopError({kind: 'config', source: 'prometheus', message: `invalid Prometheus URL: ${redactUrl(url)}`}, {cause: error});
	}
	if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
		throw new KctopError({kind: 'config', source: 'prometheus', message: `unsupported URL scheme ${parsed.protocol} in ${redactUrl(url)} (use http or https)`});
	}
	if (parsed.search !== '' || parsed.hash !== '') {
		throw new KctopError({kind: 'config', source: 'prometheus', message: `the Prometheus URL must not have a query or fragment: ${redactUrl(url)}`});
	}
	return parsed.toString().replace(/\/+$/, '');
}

function secondsParam(ms: number, name: string): string {
	if (!Number.isFinite(ms)) {
		throw new KctopError({kind: 'config', source: 'prometheus', message: `invalid ${name} time ${String(ms)}`});
	}
	return String(ms / 1000);
}

/**
 * Status check, JSON parse and schema check of one answer. Error bodies (any status) become
 * PrometheusApiError with Prometheus' own text; other non-2xx answers (a proxy's HTML page)
 * become the generic HTTP error; a 2xx body of the wrong shape is 'malformed'.
 */
function interpret<T>(response: HttpResponse, schema: ZodType<T>, what: string): T {
	const ok = response.status >= 200 && response.status <= 299;
	let json: unknown;
	try {
		json = JSON.parse(response.text);
	} catch (error) {
		if (!ok) throw httpError(response, 'prometheus', `Prometheus ${what}`);
		throw invalidJson(response, what, error);
	}
	return checked(response, json, schema, what);
}

function invalidJson(response: HttpResponse, what: string, error: unknown): KctopError {
	const detail = error instanceof Error ? error.message : String(error);
	return new KctopError({kind: 'malformed', source: 'prometheus', url: response.url, message: `Prometheus ${what}: invalid JSON from ${response.url}: ${detail}`}, {cause: error});
}

/** An answer's parsed JSON: a Prometheus error body, a non-2xx status or the wrong shape each become their KctopError. */
function checked<T>(response: HttpResponse, json: unknown, schema: ZodType<T>, what: string): T {
	const ok = response.status >= 200 && response.status <= 299;
	const apiError = promErrorSchema.safeParse(json);
	if (apiError.success) throw promApiError(response, apiError.data, what);
	if (!ok) throw httpError(response, 'prometheus', `Prometheus ${what}`);
	const parsed = schema.safeParse(json);
	if (!parsed.success) {
		throw new KctopError(
			{kind: 'malformed', source: 'prometheus', url: response.url, message: `Prometheus ${what}: unexpected response from ${response.url}: ${summarize(parsed.error)}`},
			{cause: parsed.error},
		);
	}
	return parsed.data;
}

function promApiError(response: HttpResponse, body: PromError, what: string): PrometheusApiError {
	// A 2xx carrying an error body is odd but seen behind some proxies: report it as a 500-class failure of the query.
	const status = response.status >= 200 && response.status <= 299 ? 500 : response.status;
	const kind = status === 401 || status === 403 ? 'auth' : 'http';
	const reason = body.errorType === undefined || body.errorType === '' ? body.error : `${body.errorType}: ${body.error}`;
	return new PrometheusApiError({
		kind,
		status,
		url: response.url,
		message: `Prometheus ${what} failed (${statusLine(response.status)}): ${reason}`,
		...(body.errorType === undefined ? {} : {errorType: body.errorType}),
	});
}

function summarize(error: ZodError): string {
	const [first] = error.issues;
	if (first === undefined) return 'does not match the expected shape';
	const path = first.path.length === 0 ? '(root)' : first.path.map(String).join('.');
	const more = error.issues.length > 1 ? ` (+${error.issues.length - 1} more)` : '';
	return oneLine(`${path}: ${first.message}${more}`, 300);
}

/** The warnings and infos of an instant answer's envelope (the answer without its rows, as the vector reader hands it back). */
function envelopeNotes(envelope: HttpResponse): string[] {
	const body = interpret(envelope, queryEnvelopeSchema, 'query');
	return notes(body.warnings, body.infos);
}

/** The text of a body kept in pieces, decoded as http.ts decodes one: invalid UTF-8 becomes U+FFFD and a byte-order mark is kept. */
function decodePieces(pieces: readonly Uint8Array[]): string {
	const decoder = new TextDecoder('utf-8', {ignoreBOM: true});
	const texts = pieces.map(piece => decoder.decode(piece, {stream: true}));
	texts.push(decoder.decode());
	return texts.join('');
}

function notes(warnings: readonly string[] | undefined, infos: readonly string[] | undefined): string[] {
	const out: string[] = [];
	for (const warning of warnings ?? []) out.push(oneLine(warning));
	for (const info of infos ?? []) out.push(oneLine(`info: ${info}`));
	return out;
}

function labelsOf(metric: Readonly<Record<string, string>>): Record<string, string> {
	const labels: Record<string, string> = {};
	for (const [name, value] of Object.entries(metric)) setOwn(labels, name, unquoteJmxValue(value));
	return labels;
}

/** A label set, its values JMX-unquoted, in one pass (the only copy made of it; for-in, not Object.keys, so no array of names per row). */
function readLabels(metric: unknown): Record<string, string> {
	if (!isRecord(metric)) throw expected('record', metric);
	const labels: Record<string, string> = {};
	for (const name in metric) {
		if (!Object.hasOwn(metric, name)) continue;
		const value = metric[name];
		if (typeof value !== 'string') throw expected('string', value, [name]);
		setOwn(labels, name, unquoteJmxValue(value));
	}
	return labels;
}

/**
 * Reads the label sets of one instant answer's rows: readLabels, or with `tagLabel` that label's
 * value apart as the row's tag, and neither it nor `__name__` among the labels. Then rows of the
 * same labels share one record (a batched answer repeats each connector's labels once per
 * metric, and records are read-only): by a key of every name and value, each prefixed with
 * its length, so no two label sets share a key.
 */
function headReader(tagLabel: string | undefined): (metric: unknown) => RowHead {
	if (tagLabel === undefined) return metric => ({labels: readLabels(metric), tag: ''});
	const records = new Map<string, Record<string, string>>();
	// JSON.parse makes a string per value: one kept per text (a few tags, and each connector's name in many label sets).
	const texts = new Map<string, string>();
	const shared = (text: string): string => {
		const known = texts.get(text);
		if (known !== undefined) return known;
		texts.set(text, text);
		return text;
	};
	return (metric) => {
		if (!isRecord(metric)) throw expected('record', metric);
		let labels: Record<string, string> = {};
		let tag = '';
		let key = '';
		for (const name in metric) {
			if (!Object.hasOwn(metric, name)) continue;
			const value = metric[name];
			if (typeof value !== 'string') throw expected('string', value, [name]);
			if (name === tagLabel) tag = shared(unquoteJmxValue(value));
			else if (name !== '__name__') {
				setOwn(labels, name, shared(unquoteJmxValue(value)));
				key += `${name.length}:${name}${value.length}:${value}`;
			}
		}
		const known = records.get(key);
		if (known === undefined) records.set(key, labels);
		else labels = known;
		return {labels, tag};
	};
}

/** A head reader for the vector reader: undefined instead of an error (the full parse then gives the error). */
function headOrUndefined(read: (metric: unknown) => RowHead): (metric: unknown) => RowHead | undefined {
	return (metric) => {
		try {
			return read(metric);
		} catch {
			return undefined;
		}
	};
}

/** `[<unix seconds>, "<value>"]`: the value's text (the time is checked, not kept: no tuple per row). */
function readPair(pair: unknown): string {
	if (!Array.isArray(pair)) throw expected('tuple', pair);
	if (pair.length !== 2) throw new ShapeError([], `expected a [time, "value"] pair, received ${pair.length} items`);
	const seconds: unknown = pair[0];
	const text: unknown = pair[1];
	if (typeof seconds !== 'number') throw expected('number', seconds, [0]);
	if (typeof text !== 'string') throw expected('string', text, [1]);
	return text;
}

/** The rows of `data.result`, each read by `read` (which returns undefined for a row to skip); a row of the wrong shape is 'malformed', like a wrong envelope. */
function readRows<T>(result: unknown, response: HttpResponse, what: string, read: (row: Readonly<Record<string, unknown>>) => T | undefined): {readonly rows: T[]; readonly skipped: number} {
	const rows: T[] = [];
	let skipped = 0;
	const readItem = (value: unknown): T | undefined => {
		if (!isRecord(value)) throw expected('object', value);
		return read(value);
	};
	try {
		if (!Array.isArray(result)) throw expected('array', result);
		const items: readonly unknown[] = result;
		for (let index = 0; index < items.length; index++) {
			const item = items[index];
			const row = under(index, item, readItem);
			if (row === undefined) skipped++;
			else rows.push(row);
		}
	} catch (error) {
		malformed(error instanceof ShapeError ? error.within('data', 'result') : error, 'prometheus', response.url, `Prometheus ${what}: `);
	}
	return {rows, skipped};
}

/** Seconds (float) → ms, rounded away from binary-fraction noise. */
function toMs(seconds: number): number {
	return Math.round(seconds * 1000);
}

function valueAt(text: string, response: {readonly url: string}): number {
	const value = parseGoFloat(text);
	if (value === undefined) {
		throw new KctopError({kind: 'malformed', source: 'prometheus', url: response.url, message: `invalid sample value ${JSON.stringify(oneLine(text, 40))} from ${response.url}`});
	}
	return value;
}

/** The samples of an instant answer read in full, and each one's tag by position (RowHead). */
function instantSamples(data: QueryEnvelope['data'], response: HttpResponse, warnings: string[], what: string, readHead: (metric: unknown) => RowHead): {readonly samples: Sample[]; readonly tags: string[]} {
	switch (data.resultType) {
		case 'vector': {
			const tags: string[] = [];
			// A row without `value` carries a native histogram (`histogram`), which kctop does not read.
			const {rows, skipped} = readRows(data.result, response, what, (item) => {
				const {labels, tag} = under('metric', item['metric'], readHead);
				if (item['value'] === undefined) return undefined;
				const text = under('value', item['value'], readPair);
				const sample = {labels, value: valueAt(text, response)};
				tags.push(tag);
				return sample;
			});
			if (skipped > 0) warnings.push(`${skipped} native histogram series ignored`);
			return {samples: rows, tags};
		}
		case 'scalar': {
			let text: string;
			try {
				text = under('result', data.result, readPair);
			} catch (error) {
				malformed(error instanceof ShapeError ? error.within('data') : error, 'prometheus', response.url, `Prometheus ${what}: `);
			}
			return {samples: [{labels: {}, value: valueAt(text, response)}], tags: ['']};
		}
		case 'matrix':
		case 'string':
			throw new KctopError({
				kind: 'malformed',
				source: 'prometheus',
				url: response.url,
				message: `Prometheus query returned a ${data.resultType === 'matrix' ? 'range vector (matrix)' : 'string'}, expected an instant vector or a scalar`,
			});
	}
}

/** A range's `[<unix seconds>, "<value>"]` pairs as times (ms) and values in two typed arrays; one message for any pair of the wrong shape. */
function readPoints(pairs: unknown, response: {readonly url: string}, slab: Float64Slab): {readonly times: Float64Array; readonly values: Float64Array} {
	const wrong = (): ShapeError => new ShapeError([], 'expected [<unix seconds>, "<value>"] pairs');
	if (!Array.isArray(pairs)) throw wrong();
	const list: readonly unknown[] = pairs;
	const times = slab.take(list.length);
	const values = slab.take(list.length);
	for (let index = 0; index < list.length; index++) {
		const pair = list[index];
		if (!Array.isArray(pair) || pair.length !== 2) throw wrong();
		const seconds: unknown = pair[0];
		const text: unknown = pair[1];
		if (typeof seconds !== 'number' || typeof text !== 'string') throw wrong();
		times[index] = toMs(seconds);
		values[index] = valueAt(text, response);
	}
	return {times, values};
}

function rangeSeries(data: QueryEnvelope['data'], response: HttpResponse, warnings: string[], what: string): RangeSeries[] {
	if (data.resultType !== 'matrix') {
		throw new KctopError({
			kind: 'malformed',
			source: 'prometheus',
			url: response.url,
			message: `Prometheus query_range returned a ${data.resultType}, expected a matrix`,
		});
	}
	const {rows, skipped} = readRows(data.result, response, what, rangeRowReader(response));
	if (skipped > 0) warnings.push(`${skipped} native histogram series ignored`);
	return rows;
}

/** Reads one row of a matrix; undefined for a row without `values`, which carries native histograms (`histograms`) kctop does not read. */
function rangeRowReader(response: {readonly url: string}): (item: Readonly<Record<string, unknown>>) => RangeSeries | undefined {
	// One answer's arrays share a few large buffers (float64-slab.ts).
	const slab = new Float64Slab();
	const readPointsOf = (pairs: unknown): {readonly times: Float64Array; readonly values: Float64Array} => readPoints(pairs, response, slab);
	return (item) => {
		const labels = under('metric', item['metric'], readLabels);
		if (item['values'] === undefined) return undefined;
		const {times, values} = under('values', item['values'], readPointsOf);
		return {labels, times, values};
	};
}

/** A range answer being split into rows as it arrives: the rows read so far, and the first that could not be. */
interface StreamedRange {
	readonly splitter: ResultSplitter;
	readonly rows: RangeSeries[];
	skipped: number;
	/** The first row that JSON.parse or the reader refused, kept as text: it is read again once the answer's URL and envelope are known, for the same error as a whole answer gives. */
	failed: {readonly index: number; readonly text: string} | undefined;
}

function streamedRange(): StreamedRange {
	// The URL is known only when the answer is complete; a row that fails here is read again then, for its message.
	const read = rangeRowReader({url: ''});
	const range: StreamedRange = {
		splitter: new ResultSplitter((text, index) => {
			if (range.failed !== undefined) return;
			try {
				const item: unknown = JSON.parse(text);
				if (!isRecord(item)) {
					range.failed = {index, text};
					return;
				}
				const row = read(item);
				if (row === undefined) range.skipped += 1;
				else range.rows.push(row);
			} catch {
				range.failed = {index, text};
			}
		}),
		rows: [],
		skipped: 0,
		failed: undefined,
	};
	return range;
}

/**
 * The result of a range answer read row by row, with the errors a whole answer gives, in the
 * same order: invalid JSON anywhere first, then an error body or the wrong envelope, then the
 * wrong result type, then the first bad row.
 */
function streamedRangeResult(range: StreamedRange, response: HttpResponse): RangeResult {
	const what = 'query_range';
	let json: unknown;
	try {
		json = JSON.parse(range.splitter.end());
		if (range.splitter.invalid !== undefined) throw new SyntaxError(range.splitter.invalid);
		if (range.failed !== undefined) JSON.parse(range.failed.text);
	} catch (error) {
		throw invalidJson(response, what, error);
	}
	const body = checked(response, json, queryEnvelopeSchema, what);
	const warnings = notes(body.warnings, body.infos);
	// The rows not split out (normally none: an answer of another layout is read whole here).
	const rest = rangeSeries(body.data, response, warnings, what);
	if (range.failed !== undefined) {
		const {index, text} = range.failed;
		const read = rangeRowReader(response);
		try {
			under(index, JSON.parse(text), (item) => {
				if (!isRecord(item)) throw expected('object', item);
				return read(item);
			});
		} catch (error) {
			malformed(error instanceof ShapeError ? error.within('data', 'result') : error, 'prometheus', response.url, `Prometheus ${what}: `);
		}
	}
	if (range.skipped > 0) warnings.push(`${range.skipped} native histogram series ignored`);
	return {series: rest.length === 0 ? range.rows : [...range.rows, ...rest], warnings};
}
