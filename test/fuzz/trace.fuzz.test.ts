import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {causeText, parseTrace, rootCause} from '../../source/model/trace.js';
import * as modelled from '../fixtures/traces/modelled-traces.js';
import {realTraces} from '../model/real-traces.js';
import {check, mutatedText, settings} from './mutate.js';

/**
 * The trace parser (source/model/trace.ts) under mutated real traces (every `trace` in the
 * real payloads) and the modelled ones: truncation, random bytes, repeated slices, escaped
 * newlines, CRLF, deep `Caused by:` chains, long dotted names. It returns a value for any
 * text: it has no error to give, so nothing may be thrown at all.
 */

const seeds = [...realTraces().map(each => each.trace), ...Object.values(modelled).filter((value): value is string => typeof value === 'string')];

/** Trace-shaped damage: captions and frames in odd places, escaped or CRLF line ends, long class names. */
const traceText: fc.Arbitrary<string> = fc.oneof(
	{weight: 4, arbitrary: mutatedText(seeds)},
	{weight: 1, arbitrary: mutatedText(seeds).map(text => text.replaceAll('\n', '\\n').replaceAll('\t', '\\t'))},
	{weight: 1, arbitrary: mutatedText(seeds).map(text => text.replaceAll('\n', '\r\n'))},
	{
		weight: 2,
		arbitrary: fc
			.array(
				fc.oneof(
					fc.constantFrom('Caused by: ', 'Suppressed: ', '\tat ', '\t... 3 more', '... x more', '\t\t', '    ', ': ', '\n', '\\n\\tat ', 'java.lang.', 'NullPointerException'),
					fc.string({maxLength: 20}),
					fc.integer({min: 1, max: 400}).map(count => 'a.'.repeat(count)),
					fc.integer({min: 1, max: 200}).map(count => 'db-1.internal:5432 '.repeat(count)),
				),
				{maxLength: 40},
			)
			.map(parts => parts.join('')),
	},
);

describe('fuzz: Java stack traces', () => {
	it('parseTrace and rootCause return a value for any text: a chain for a non-blank trace, the deepest cause', async () => {
		expect(seeds.length).toBeGreaterThanOrEqual(8);
		await check(
			'trace: mutated real traces',
			fc.property(traceText, (text: string) => {
				const parsed = parseTrace(text);
				const cause = rootCause(parsed);
				if (text.trim() === '') {
					expect(parsed.chain).toEqual([]);
					expect(cause).toBeUndefined();
					return;
				}
				expect(parsed.chain.length).toBeGreaterThan(0);
				expect(cause?.depth).toBe(parsed.chain.length - 1);
				for (const exception of parsed.chain) {
					expect(exception.frames).toBeGreaterThanOrEqual(0);
					expect(Number.isFinite(exception.elided)).toBe(true);
				}
				if (cause !== undefined) {
					expect(typeof causeText(cause)).toBe('string');
					expect(cause.fingerprint.startsWith(`${cause.className ?? ''}|`)).toBe(true);
				}
			}),
			settings(0x5eed_0301, 500),
		);
	});
});
