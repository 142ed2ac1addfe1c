import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {createByteExpositionParser} from '../../source/clients/scrape/byte-parser.js';
import {parseExposition} from '../../source/clients/scrape/parser.js';
import type {ParsedExposition} from '../../source/clients/scrape/types.js';

/**
 * The byte parser skips a run of lines of an unwanted family without parsing them (byte-parser.ts
 * skipRun), and stops at the first line of another name. These bodies put lines right after
 * such a run whose name differs from it in one byte at every position, is a prefix or an
 * extension of it, or ends in each of the characters that may follow a name, for names of
 * each length modulo four (a skip comparing four bytes at a time was tried), and cut the
 * body at every offset.
 */

const family = 'kafka_connect_task_batch_size_avg'; // 33 bytes

function variants(name: string): string[] {
	const out: string[] = [];
	for (let i = 0; i < name.length; i++) {
		const replaced = name[i] === 'x' ? 'y' : 'x';
		out.push(name.slice(0, i) + replaced + name.slice(i + 1));
	}
	return [...out, name.slice(0, -1), name.slice(0, -4), `${name}_total`, `${name}x`, `${name}:x`];
}

function bodyAround(name: string, others: readonly string[]): string {
	const lines: string[] = [`# HELP ${name} Batch size.`, `# TYPE ${name} gauge`];
	others.forEach((other, index) => {
		lines.push(`${name}{connector="c${index}",task="0"} ${index}.5`, `${name} ${index}`, `${name}\t{connector="t${index}"} 1`);
		lines.push(`${other}{connector="c${index}",task="1"} ${index}`);
	});
	lines.push(`${name}{connector="crlf"} 2\r`, `${name}{connector="last"} 3`);
	return lines.join('\n');
}

function byteParse(bytes: Buffer, cuts: readonly number[], keep: (name: string) => boolean): ParsedExposition {
	const parser = createByteExpositionParser({keep});
	let from = 0;
	for (const cut of [...cuts, bytes.length]) {
		parser.push(bytes.subarray(from, cut));
		from = cut;
	}
	return parser.end();
}

function expectSame(text: string, keep: (name: string) => boolean, cutsOf: (length: number) => number[][]): number {
	const expected = parseExposition(text, {keep});
	const bytes = Buffer.from(text, 'utf8');
	for (const cuts of cutsOf(bytes.length)) {
		const got = byteParse(bytes, cuts, keep);
		expect({samples: got.samples, skipped: got.skipped, names: [...got.names], errors: got.errors}, `cut at ${cuts.join(',')}`).toEqual({
			samples: expected.samples,
			skipped: expected.skipped,
			names: [...expected.names],
			errors: expected.errors,
		});
	}
	return expected.skipped;
}

describe('skipping runs of an unwanted family from the bytes', () => {
	it('stops at every line whose name differs from the run by one byte, a prefix or an extension, wherever the body is cut', () => {
		const others = variants(family);
		const text = bodyAround(family, others);
		// Every other variant is wanted, the rest skipped like the family itself.
		const wanted = new Set(others.filter((_, index) => index % 2 === 0));
		const skipped = expectSame(text, name => wanted.has(name), length => Array.from({length: 1 + Math.floor(length / 7)}, (_, index) => (index === 0 ? [] : [index * 7])));
		expect(skipped).toBe(others.length * 3 + 2 + others.filter(other => !wanted.has(other)).length);
	});

	it('reads the same from a name of each length modulo four, and from pieces of one byte', () => {
		for (const name of ['ab', 'abc_', 'abcd_', 'abcdef_g', 'abcdefghi']) {
			const text = bodyAround(name, variants(name));
			expectSame(text, other => other.endsWith('x'), length => [[], Array.from({length: length - 1}, (_, index) => index + 1)]);
		}
	});

	it('gives what the text parser gives on the real payloads, skipping every family but one', () => {
		for (const file of ['metrics-jmx-exporter-0.13.0-kafka-2.3.1-standalone-es-sink-excerpt.prom', 'metrics-debezium-mysql-jmx-exporter-1.3-catchall-embedded-engine-excerpt.prom', 'worker-1-t0.prom']) {
			const text = readFileSync(new URL(`../fixtures/metrics/${file}`, import.meta.url), 'utf8');
			const names = [...parseExposition(text).names];
			expect(names.length).toBeGreaterThan(1);
			for (const kept of names) expectSame(text, name => name === kept, length => [[], [Math.floor(length / 3), Math.floor((2 * length) / 3)]]);
		}
	});
});
