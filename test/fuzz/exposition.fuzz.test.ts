import fc from 'fast-check';
import type {MockAgent} from 'undici';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {KctopError} from '../../source/clients/errors.js';
import {createScrapeClient, type ScrapeClient} from '../../source/clients/scrape/client.js';
import {createByteExpositionParser, createScrapeMemory, type ScrapeMemory} from '../../source/clients/scrape/byte-parser.js';
import {parseExposition, type ParseOptions} from '../../source/clients/scrape/parser.js';
import {profiles} from '../../source/metrics/profiles/index.js';
import {profileNames} from '../../source/metrics/scrape-source.js';
import {check, mutatedText, realPayloads, replyingAgent, settings, statuses, type Reply} from './mutate.js';

/**
 * The exposition-text parser under mutated real exporter payloads (test/fixtures/metrics and
 * shared/real-payloads): truncation, random bytes, NaN/±Inf and broken values, quotes and
 * escapes in labels, huge label values, duplicate series and families, CRLF, no newline at
 * EOF. parseExposition never throws: a broken line goes to `errors`, the rest is parsed.
 * Generated well-formed expositions round-trip exactly. The scrape client turns any answer
 * into a result or a KctopError per endpoint.
 */

const seeds = realPayloads('metrics', '.prom');

type LineMutation = (lines: string[], at: number) => string[];

const sampleLine = /^[^#\s]/;

/** The index of the nth sample line (n scaled from 0–1), or -1. */
function sampleIndex(lines: readonly string[], at: number): number {
	const indexes = lines.flatMap((line, index) => (sampleLine.test(line) ? [index] : []));
	return indexes[Math.floor(at * indexes.length)] ?? -1;
}

function onSample(lines: string[], at: number, change: (line: string) => string): string[] {
	const index = sampleIndex(lines, at);
	if (index === -1) return lines;
	const copy = [...lines];
	copy[index] = change(copy[index] ?? '');
	return copy;
}

const labelValueChars = fc.constantFrom('"', '\\', '\\"', '\\\\', '\\n', '\n', '}', ',', '=', '{', ' ', '\u001B[31m', '\u0000', 'é', '数', '\uD83D\uDE00', '\uD800');

/** Damage that knows the format: lines, values, labels. */
const lineMutation: fc.Arbitrary<LineMutation> = fc.oneof(
	// Value replaced: the special values, Go float spellings and garbage.
	fc.constantFrom('NaN', '+Inf', '-Inf', 'Inf', 'inf', '-nan', '1e400', '-0', '0x1p3', '1_0', '', '"1"', '1.2.3').map(
		value => (lines: string[], at: number) => onSample(lines, at, line => `${line.slice(0, line.lastIndexOf(' ') + 1)}${value}`),
	),
	// A label with quotes, backslashes, escapes and control characters in its value, well-formed or not.
	fc.array(labelValueChars, {maxLength: 8}).map(parts => (lines: string[], at: number) => onSample(lines, at, line => injectLabel(line, `fuzz="${parts.join('')}"`))),
	// A huge label value (a 1 MB trace copied into a label by an exporter rule).
	fc.integer({min: 10_000, max: 300_000}).map(size => (lines: string[], at: number) => onSample(lines, at, line => injectLabel(line, `huge="${'x'.repeat(size)}"`))),
	// A sample line repeated: the same series twice (or more) in one scrape.
	fc.integer({min: 1, max: 3}).map(times => (lines: string[], at: number) => {
		const index = sampleIndex(lines, at);
		return index === -1 ? lines : [...lines.slice(0, index + 1), ...Array.from({length: times}, () => lines[index] ?? ''), ...lines.slice(index + 1)];
	}),
	// Metadata repeated or contradicted: a second # TYPE / # HELP for a family.
	fc.constantFrom('# TYPE', '# HELP').map(keyword => (lines: string[]) => {
		const line = lines.find(candidate => candidate.startsWith(keyword));
		return line === undefined ? lines : [...lines, line, `${keyword} ${line.split(' ')[2] ?? 'x'} gauge extra`];
	}),
	// Line ends: CRLF everywhere, no newline at the end, a # EOF in the middle.
	fc.constantFrom<LineMutation>(
		lines => lines.map(line => `${line}\r`),
		lines => (lines.at(-1) === '' ? lines.slice(0, -1) : lines),
		(lines, at) => [...lines.slice(0, Math.floor(at * lines.length)), '# EOF', ...lines.slice(Math.floor(at * lines.length))],
	),
);

function injectLabel(line: string, label: string): string {
	const brace = line.indexOf('{');
	if (brace !== -1) return `${line.slice(0, brace + 1)}${label},${line.slice(brace + 1)}`;
	const space = line.search(/\s/);
	return space === -1 ? `${line}{${label}}` : `${line.slice(0, space)}{${label}}${line.slice(space)}`;
}

const mutatedExposition: fc.Arbitrary<string> = fc
	.tuple(mutatedText(seeds), fc.array(fc.tuple(lineMutation, fc.double({min: 0, max: 0.999, noNaN: true})), {maxLength: 4}))
	.map(([text, mutations]) => mutations.reduce((lines, [mutate, at]) => mutate(lines, at), text.split('\n')).join('\n'));

// ── Generated well-formed expositions ──────────────────────────────────────────

const metricName = fc.stringMatching(/^[a-zA-Z_:][a-zA-Z0-9_:]{0,20}$/);
const labelName = fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,12}$/);
const labelValue = fc.string({unit: fc.oneof(fc.constantFrom('"', '\\', '\n', '}', ',', '=', ' ', '{'), fc.string({unit: 'grapheme', minLength: 1, maxLength: 1})), maxLength: 20});
const sampleValue = fc.oneof(fc.double(), fc.integer({min: -(2 ** 53), max: 2 ** 53}), fc.constantFrom(Number.NaN, Infinity, -Infinity, -0));

interface GeneratedSample {
	readonly name: string;
	readonly labels: Readonly<Record<string, string>>;
	readonly value: number;
	readonly timestamp: number | undefined;
}

const generatedSample: fc.Arbitrary<GeneratedSample> = fc.record({
	name: metricName,
	labels: fc.dictionary(labelName, labelValue, {maxKeys: 4}),
	value: sampleValue,
	timestamp: fc.option(fc.integer({min: 0, max: 2 ** 45}), {nil: undefined}),
});

/** The text format's escaping: `\\`, `\"` and `\n` in label values. */
function escapeLabelValue(value: string): string {
	return value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n');
}

function formatValue(value: number): string {
	if (Number.isNaN(value)) return 'NaN';
	if (value === Infinity) return '+Inf';
	if (value === -Infinity) return '-Inf';
	return Object.is(value, -0) ? '-0' : String(value);
}

function formatSample(sample: GeneratedSample): string {
	const labels = Object.entries(sample.labels).map(([name, value]) => `${name}="${escapeLabelValue(value)}"`);
	const labelText = labels.length === 0 ? '' : `{${labels.join(',')}}`;
	return `${sample.name}${labelText} ${formatValue(sample.value)}${sample.timestamp === undefined ? '' : ` ${sample.timestamp}`}`;
}

// ── Properties ────────────────────────────────────────────────────────────────

describe('fuzz: exposition text', () => {
	it('parseExposition never throws on mutated real payloads: a value, broken lines as one-line errors', async () => {
		expect(seeds.length).toBeGreaterThanOrEqual(2);
		await check(
			'exposition: mutated real payloads',
			fc.property(fc.oneof(mutatedExposition, fc.string({unit: 'binary', maxLength: 300})), fc.boolean(), (text: string, openMetrics: boolean) => {
				const parsed = parseExposition(text, {openMetrics, maxErrors: 20});
				for (const sample of parsed.samples) {
					expect(typeof sample.value).toBe('number');
					expect(sample.name).not.toBe('');
				}
				expect(parsed.errors.length).toBeLessThanOrEqual(21);
				for (const error of parsed.errors) {
					expect(error).toMatch(/^(line \d+: |… and \d+ more)/);
					// eslint-disable-next-line no-control-regex
					expect(error).not.toMatch(/[\u0000-\u001F\u007F-\u009F]/);
				}
			}),
			settings(0x5eed_0201, 500),
		);
	});

	it('a generated well-formed exposition round-trips exactly: names, escaped label values, NaN/±Inf, timestamps', async () => {
		await check(
			'exposition: round trip',
			fc.property(fc.array(generatedSample, {minLength: 1, maxLength: 8}), fc.boolean(), (samples: GeneratedSample[], finalNewline: boolean) => {
				const text = samples.map(formatSample).join('\n') + (finalNewline ? '\n' : '');
				const parsed = parseExposition(text, {unquoteLabelValues: false, openMetrics: false});
				expect(parsed.errors).toEqual([]);
				expect(parsed.samples).toHaveLength(samples.length);
				samples.forEach((sample, index) => {
					const got = parsed.samples[index];
					expect(got?.name).toBe(sample.name);
					expect(got?.labels).toEqual(sample.labels);
					expect(Object.is(got?.value, sample.value) || (Number.isNaN(sample.value) && Number.isNaN(got?.value))).toBe(true);
					expect(got?.timestamp).toBe(sample.timestamp);
				});
			}),
			settings(0x5eed_0202, 500),
		);
	});
});

/** The body's bytes given to the byte parser in the pieces `cuts` makes (with what the endpoint's last bodies gave, when given). */
function parseBytes(bytes: Uint8Array, cuts: readonly number[], options: ParseOptions, memory?: ScrapeMemory): ReturnType<typeof parseExposition> {
	const parser = createByteExpositionParser({...options, ...(memory === undefined ? {} : {memory})});
	let from = 0;
	for (const cut of [...cuts].map(at => Math.floor(at * bytes.length)).sort((a, b) => a - b)) {
		parser.push(bytes.subarray(from, cut));
		from = cut;
	}
	parser.push(bytes.subarray(from));
	return parser.end();
}

/** What the text parser makes of the body, decoded as the old streamed path decoded it (UTF-8, a leading byte-order mark dropped). */
function parseReference(bytes: Uint8Array, options: ParseOptions): ReturnType<typeof parseExposition> {
	return parseExposition(new TextDecoder('utf-8').decode(bytes), options);
}

/** No profile, or one profile's names: skipped lines are decided by the bytes of their name. */
const keepChoice: fc.Arbitrary<((name: string) => boolean) | undefined> = fc.constantFrom(undefined, ...profiles.map(profileNames));
const cutPoints = fc.array(fc.double({min: 0, max: 1, noNaN: true}), {maxLength: 6});

describe('fuzz: the byte parser equals the text parser', () => {
	it('on mutated real payloads, random bytes and generated expositions, wherever the body is cut', async () => {
		const encoder = new TextEncoder();
		const bodies = fc.oneof(
			{weight: 4, arbitrary: mutatedExposition.map(text => encoder.encode(text))},
			{weight: 1, arbitrary: fc.array(generatedSample, {minLength: 1, maxLength: 8}).map(samples => encoder.encode(samples.map(formatSample).join('\n')))},
			{weight: 1, arbitrary: fc.uint8Array({maxLength: 300})},
			// A byte-order mark, invalid UTF-8 and a label value in another script, at the start and in a value.
			{weight: 1, arbitrary: fc.constantFrom(new Uint8Array([0xef, 0xbb, 0xbf, ...encoder.encode('a{b="c"} 1\n')]), new Uint8Array([...encoder.encode('a{b="'), 0xff, 0xc3, ...encoder.encode('"} 1\na{b="数"} 2\n')]))},
			// Lines one byte away from the common shape, each after the same line in that shape (its label set known).
			{
				weight: 1,
				arbitrary: fc
					.subarray(['a{b="c"}', 'a{b="c"}1', 'a{b="c"} 1 2', 'a{b="c"}  1', 'a{b="c"} 1 ', 'a{b="c"}\t1', 'a{b="c",b="d"} 1', 'a{b="c",} 1', 'a{} 1', 'a {b="c"} 1', 'a{b="c"} 0x1', 'a{b="c"} é', 'a{b="c"} NaN', 'a{1', 'a{+Inf'], {minLength: 1})
					.map(lines => encoder.encode(lines.map(line => `a{b="c"} 1\n${line}`).join('\n'))),
			},
			// HELP and TYPE lines in the plain shape and one byte away from it, repeated (a second one is an error).
			{
				weight: 1,
				arbitrary: fc
					.array(
						fc.constantFrom('# HELP a Some text', '# HELP a', '# HELP a ', '# HELP a  two blanks', '# HELP a\ttab', '# HELP a back\\slash \\n', '# HELP a é', '# HELP a{b} x', '#  HELP a x', '# HELP\ta x', '# TYPE a gauge', '# TYPE a Gauge', '# TYPE a gauge ', '# TYPE a', '# TYPE a bogus', '# TYPE a  counter', '# TYPE b counter', '# HELP', '# TYPE', '# HEL', '# EOF', 'a 1'),
						{minLength: 1, maxLength: 8},
					)
					.map(lines => encoder.encode(lines.join(lines.length % 2 === 0 ? '\n' : '\r\n'))),
			},
		);
		await check(
			'exposition: byte parser equals text parser',
			fc.property(bodies, cutPoints, keepChoice, fc.boolean(), (bytes: Uint8Array, cuts: number[], keep: ((name: string) => boolean) | undefined, openMetrics: boolean) => {
				const options: ParseOptions = {openMetrics, maxErrors: 20, ...(keep === undefined ? {} : {keep})};
				expect(parseBytes(bytes, cuts, options)).toEqual(parseReference(bytes, options));
			}),
			settings(0x5eed_0204, 500),
		);
	});

	it('body after body of one endpoint, with what the last bodies gave remembered (lines moved, removed, added, changed)', async () => {
		const encoder = new TextEncoder();
		// One real payload, then bodies made from it as an exporter's next answers differ: lines removed, values and labels changed.
		const removal = fc.double({min: 0, max: 0.999, noNaN: true}).map(at => (lines: string[]) => {
			const index = sampleIndex(lines, at);
			return index === -1 ? lines : [...lines.slice(0, index), ...lines.slice(index + 1)];
		});
		const change = fc.array(fc.oneof(fc.tuple(lineMutation, fc.double({min: 0, max: 0.999, noNaN: true})).map(([mutate, at]) => (lines: string[]) => mutate(lines, at)), removal), {maxLength: 3});
		const sequence = fc.tuple(fc.constantFrom(...seeds), fc.array(change, {minLength: 2, maxLength: 5})).map(([base, changes]) => changes.map(steps => encoder.encode(steps.reduce((lines, step) => step(lines), base.split('\n')).join('\n'))));
		await check(
			'exposition: byte parser with memory equals text parser',
			fc.property(sequence, cutPoints, keepChoice, (bodies: Uint8Array[], cuts: number[], keep: ((name: string) => boolean) | undefined) => {
				const options: ParseOptions = {openMetrics: false, maxErrors: 20, ...(keep === undefined ? {} : {keep})};
				const memory = createScrapeMemory();
				for (const bytes of bodies) expect(parseBytes(bytes, cuts, options, memory)).toEqual(parseReference(bytes, options));
			}),
			settings(0x5eed_0205, 300),
		);
	});

	it('on every real payload whole, for every profile, in pieces as a socket gives them', () => {
		const encoder = new TextEncoder();
		expect(seeds.length).toBeGreaterThanOrEqual(2);
		for (const text of seeds) {
			const bytes = encoder.encode(text);
			for (const keep of [undefined, ...profiles.map(profileNames)]) {
				const options: ParseOptions = {openMetrics: false, ...(keep === undefined ? {} : {keep})};
				const reference = parseReference(bytes, options);
				for (const size of [1, 13, 4096, 65_536]) {
					const cuts = Array.from({length: Math.ceil(bytes.length / size)}, (_, index) => (index * size) / bytes.length);
					expect(parseBytes(bytes, size === 1 ? cuts.slice(0, 2000) : cuts, options)).toEqual(reference);
				}
			}
		}
	});
});

describe('fuzz: scrape client', () => {
	const endpoints = ['http://w1:9404/metrics', 'http://w2:9404/metrics'];
	let agent: MockAgent;
	let client: ScrapeClient;
	let replies: Reply[] = [];

	beforeAll(() => {
		agent = replyingAgent(
			endpoints.map(url => new URL(url).origin),
			origin => replies[endpoints.findIndex(url => url.startsWith(origin))] ?? {status: 200, body: '', contentType: 'text/plain'},
		);
		client = createScrapeClient({urls: endpoints, timeoutMs: 1000, dispatcher: agent});
	});

	afterAll(async () => {
		await client.close();
		await agent.close();
	});

	it('scrapeAll never rejects: each endpoint gets a parsed result or a KctopError', async () => {
		const reply = fc.record({
			status: statuses,
			body: fc.oneof({weight: 3, arbitrary: mutatedExposition}, {weight: 1, arbitrary: fc.constantFrom('<!DOCTYPE html><title>502 Bad Gateway</title>', '', '\n\n')}),
			contentType: fc.constantFrom('text/plain; version=0.0.4', 'application/openmetrics-text; version=1.0.0', 'text/html', 'application/octet-stream'),
		});
		let parsed = 0;
		let failed = 0;
		await check(
			'scrape: client',
			fc.asyncProperty(fc.tuple(reply, reply), async (pair: typeof replies) => {
				replies = pair;
				const outcomes = await client.scrapeAll(1_764_220_000_000);
				expect(outcomes).toHaveLength(2);
				outcomes.forEach((outcome, index) => {
					expect((outcome.result === undefined) !== (outcome.error === undefined)).toBe(true);
					if (outcome.result === undefined) failed++;
					else parsed++;
					if (outcome.error !== undefined) expect(outcome.error).toBeInstanceOf(KctopError);
					const status = pair[index]?.status ?? 200;
					if (status < 200 || status > 299) expect(outcome.error).toBeInstanceOf(KctopError);
				});
			}),
			settings(0x5eed_0203, 300),
		);
		// Both ends were reached: mutated pages parsed, broken ones refused.
		expect(parsed).toBeGreaterThan(0);
		expect(failed).toBeGreaterThan(0);
	});
});
