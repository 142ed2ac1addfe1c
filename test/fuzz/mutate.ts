import {mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import fc from 'fast-check';
import {MockAgent} from 'undici';
import {expect} from 'vitest';
import {KctopError} from '../../source/clients/errors.js';

/**
 * Shared pieces of the fuzz suite: the real payloads as seeds, mutations of text and of
 * JSON trees, the per-property settings (fixed seed, bounded time) and the one contract
 * every parser is held to: a value, or a KctopError with a one-line message.
 */

const fixturesRoot = new URL('../fixtures/', import.meta.url);
const sharedPayloads = '/work/shared/real-payloads/';

/** Files whose names end with `suffix` from test/fixtures/<folder> and, where present, /work/shared/real-payloads, deduplicated by content. */
export function realPayloads(folder: string, suffix: string): string[] {
	const texts = new Set<string>();
	const read = (directory: string | URL): void => {
		let names: string[];
		try {
			names = readdirSync(directory);
		} catch {
			return;
		}
		for (const name of names.sort()) {
			if (name.endsWith(suffix)) texts.add(readFileSync(new URL(name, typeof directory === 'string' ? `file://${directory}` : directory), 'utf8'));
		}
	};
	read(new URL(`${folder}/`, fixturesRoot));
	read(sharedPayloads);
	return [...texts];
}

/**
 * Per property: a fixed seed so a failure reproduces, a per-run timeout so a case that
 * hangs fails, and a time cap after which a slow machine runs fewer cases instead of
 * timing the test out.
 */
export function settings<Ts>(seed: number, numRuns: number): fc.Parameters<Ts> {
	return {seed, numRuns, interruptAfterTimeLimit: 6000, timeout: 2000, endOnFailure: true};
}

const casesDirectory = fileURLToPath(new URL('../../.bench-out/fuzz-cases/', import.meta.url));

/**
 * Runs a property like fc.assert, and records how many cases ran in
 * .bench-out/fuzz-cases/<property>.json (one file per property, as test files run in
 * parallel): the suite's figures for the report.
 */
export async function check<Ts>(name: string, property: fc.IAsyncProperty<Ts> | fc.IProperty<Ts>, parameters: fc.Parameters<Ts>): Promise<void> {
	const details = await fc.check(property, parameters);
	if (details.failed) throw new Error(fc.defaultReportMessage(details) ?? `${name} failed`);
	mkdirSync(casesDirectory, {recursive: true});
	const file = `${casesDirectory}${name.replace(/[^a-z0-9]+/gi, '-')}.json`;
	writeFileSync(file, `${JSON.stringify({property: name, cases: details.numRuns, interrupted: details.interrupted, seed: details.seed})}\n`);
}

/** The contract: anything thrown is a KctopError whose message is one printable line. */
export function expectTypedError(error: unknown): asserts error is KctopError {
	if (!(error instanceof KctopError)) {
		throw new Error(`expected a KctopError, got ${error instanceof Error ? `${error.name}: ${error.message}\n${error.stack ?? ''}` : String(error)}`);
	}
	expect(error.message).not.toBe('');
	// eslint-disable-next-line no-control-regex
	expect(error.message).not.toMatch(/[\u0000-\u001F\u007F-\u009F]/);
	expect(error.message.length).toBeLessThanOrEqual(500);
}

/** How the cases of one property ended: 'value' or the KctopError kind. */
export type Tally = Map<string, number>;

/**
 * Runs `call`; a result is returned, a KctopError is checked and returned, anything else
 * fails the case. The outcome is counted in `tally`, so a property can show that its cases
 * reached the parsers (values and 'malformed' errors) rather than failing before them.
 */
export async function valueOrTypedError<T>(call: () => Promise<T>, tally: Tally): Promise<T | KctopError> {
	try {
		const value = await call();
		tally.set('value', (tally.get('value') ?? 0) + 1);
		return value;
	} catch (error) {
		expectTypedError(error);
		tally.set(error.kind, (tally.get(error.kind) ?? 0) + 1);
		return error;
	}
}

// ── Text mutations ────────────────────────────────────────────────────────────

type TextMutation = (text: string) => string;

const position = (text: string, at: number): number => Math.floor(at * (text.length + 1));

/** Byte-level and line-level damage of the kinds a broken proxy or a cut connection causes. */
const textMutation: fc.Arbitrary<TextMutation> = fc.oneof(
	// Truncation anywhere (a cut connection).
	fc.double({min: 0, max: 1, noNaN: true}).map(at => (text: string) => text.slice(0, position(text, at))),
	// Random characters inserted (control characters and lone surrogates included).
	fc.tuple(fc.double({min: 0, max: 1, noNaN: true}), fc.string({unit: 'binary', maxLength: 12})).map(
		([at, junk]) =>
			(text: string) => {
				const i = position(text, at);
				return text.slice(0, i) + junk + text.slice(i);
			},
	),
	// A slice deleted.
	fc.tuple(fc.double({min: 0, max: 1, noNaN: true}), fc.integer({min: 1, max: 64})).map(([at, length]) => (text: string) => {
		const i = position(text, at);
		return text.slice(0, i) + text.slice(i + length);
	}),
	// A slice repeated (duplicate series, doubled keys).
	fc.tuple(fc.double({min: 0, max: 1, noNaN: true}), fc.integer({min: 1, max: 200}), fc.integer({min: 1, max: 4})).map(
		([at, length, times]) =>
			(text: string) => {
				const i = position(text, at);
				const piece = text.slice(i, i + length);
				return text.slice(0, i) + piece.repeat(times + 1) + text.slice(i + length);
			},
	),
	// One character replaced by a structural one.
	fc.tuple(fc.double({min: 0, max: 1, noNaN: true}), fc.constantFrom('"', '\\', '{', '}', '[', ']', ',', ':', '\n', '\r', '=', '#', ' ', '\u0000', '\u001B', '\uFFFD', '\uD800')).map(
		([at, char]) =>
			(text: string) => {
				const i = Math.min(position(text, at), Math.max(0, text.length - 1));
				return text.slice(0, i) + char + text.slice(i + 1);
			},
	),
);

/** A seed with 0–4 text mutations applied. */
export function mutatedText(seeds: readonly string[]): fc.Arbitrary<string> {
	return fc.tuple(fc.constantFrom(...seeds), fc.array(textMutation, {maxLength: 4})).map(([seed, mutations]) => mutations.reduce((text, mutate) => mutate(text), seed));
}

// ── JSON mutations ────────────────────────────────────────────────────────────

/** Odd JSON leaves: wrong types, huge numbers, escape codes, empty and long strings. */
const oddLeaf: fc.Arbitrary<unknown> = fc.oneof(
	fc.constantFrom(null, true, false, 0, -1, 1e308, -1e308, 2 ** 53 + 1, 0.5, '', 'NaN', '+Inf', '-Inf', '-1', 'RUNNING', 'FAILED', '\u001B[31mred\u001B[0m', '__proto__', 'constructor'),
	fc.string({unit: 'binary', maxLength: 20}),
	fc.string({maxLength: 5}).map(text => text.repeat(2000)),
	fc.jsonValue({maxDepth: 2}),
);

type JsonMutation = (tree: unknown) => unknown;

/** Replaces, deletes or duplicates the node at a path picked by `pick` (0–1 values, one per level). */
function mutateAt(tree: unknown, pick: readonly number[], leaf: unknown, action: 'replace' | 'delete' | 'wrap'): unknown {
	const [here, ...rest] = pick;
	if (here === undefined || tree === null || typeof tree !== 'object') {
		return action === 'wrap' ? [tree] : leaf;
	}
	if (Array.isArray(tree)) {
		if (tree.length === 0) return action === 'delete' ? tree : [leaf];
		const index = Math.floor(here * tree.length);
		const copy: unknown[] = [...tree];
		if (action === 'delete' && rest.length === 0) copy.splice(index, 1);
		else copy[index] = mutateAt(copy[index], rest, leaf, action);
		return copy;
	}
	const entries = Object.entries(tree);
	if (entries.length === 0) return action === 'delete' ? tree : {key: leaf};
	const index = Math.floor(here * entries.length);
	const entry = entries[index];
	if (entry === undefined) return tree;
	const copy: Record<string, unknown> = {};
	for (const [key, value] of entries) {
		if (key !== entry[0]) Object.defineProperty(copy, key, {value, enumerable: true, writable: true, configurable: true});
	}
	if (!(action === 'delete' && rest.length === 0)) Object.defineProperty(copy, entry[0], {value: mutateAt(entry[1], rest, leaf, action), enumerable: true, writable: true, configurable: true});
	return copy;
}

const jsonMutation: fc.Arbitrary<JsonMutation> = fc
	.tuple(fc.array(fc.double({min: 0, max: 0.999, noNaN: true}), {minLength: 0, maxLength: 6}), oddLeaf, fc.constantFrom('replace', 'delete', 'wrap'))
	.map(([pick, leaf, action]) => (tree: unknown) => mutateAt(tree, pick, leaf, action));

/** A JSON seed with 1–4 structural mutations, serialized; seeds that are not JSON pass through as text. */
export function mutatedJson(seeds: readonly string[]): fc.Arbitrary<string> {
	return fc.tuple(fc.constantFrom(...seeds), fc.array(jsonMutation, {minLength: 1, maxLength: 4})).map(([seed, mutations]) => {
		let tree: unknown;
		try {
			tree = JSON.parse(seed);
		} catch {
			return seed;
		}
		return JSON.stringify(mutations.reduce((current, mutate) => mutate(current), tree)) ?? 'null';
	});
}

/** Bodies for a JSON endpoint: real seeds as they are, mutated as JSON, mutated as text, or anything at all. */
export function jsonBodies(seeds: readonly string[]): fc.Arbitrary<string> {
	return fc.oneof(
		{weight: 1, arbitrary: fc.constantFrom(...seeds)},
		{weight: 4, arbitrary: mutatedJson(seeds)},
		{weight: 3, arbitrary: mutatedText(seeds)},
		{weight: 1, arbitrary: fc.oneof(fc.string({unit: 'binary', maxLength: 200}), fc.json({maxDepth: 3}))},
	);
}

/** Statuses a Connect worker, Prometheus or a proxy in front of them answers with. */
export const statuses: fc.Arbitrary<number> = fc.oneof(
	{weight: 6, arbitrary: fc.constantFrom(200, 201, 202, 204)},
	{weight: 3, arbitrary: fc.constantFrom(400, 401, 403, 404, 409, 422, 429, 500, 502, 503, 504)},
	{weight: 1, arbitrary: fc.integer({min: 200, max: 599})},
);

// ── Serving bodies ────────────────────────────────────────────────────────────

/** One answer of a mocked server. */
export interface Reply {
	readonly status: number;
	readonly body: string;
	readonly contentType: string;
}

/** A MockAgent (no network) answering every request to each origin with what `replyFor` gives at that moment. */
export function replyingAgent(origins: readonly string[], replyFor: (origin: string) => Reply): MockAgent {
	const agent = new MockAgent();
	agent.disableNetConnect();
	for (const origin of origins) {
		agent
			.get(origin)
			.intercept({path: () => true, method: () => true})
			.reply(() => {
				const reply = replyFor(origin);
				return {statusCode: reply.status, data: reply.body, responseOptions: {headers: {'content-type': reply.contentType}}};
			})
			.persist();
	}
	return agent;
}

/** A non-2xx answer never comes back as a value. */
export function expectErrorUnlessOk(outcome: unknown, status: number): void {
	if (status < 200 || status > 299) expect(outcome).toBeInstanceOf(KctopError);
}

/** The cases reached the parsers: some bodies parsed, some were rejected as malformed, some statuses as HTTP errors. */
export function expectReachedParsers(tally: Tally): void {
	expect(tally.get('value')).toBeGreaterThan(0);
	expect(tally.get('malformed')).toBeGreaterThan(0);
	expect(tally.get('http')).toBeGreaterThan(0);
}
