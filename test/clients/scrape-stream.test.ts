import {readFileSync, readdirSync} from 'node:fs';
import fc from 'fast-check';
import {MockAgent} from 'undici';
import {describe, expect, it} from 'vitest';
import {createScrapeClient, streamedBody} from '../../source/clients/scrape/client.js';
import {createExpositionParser, parseExposition, parseGoFloat} from '../../source/clients/scrape/parser.js';

/** Every real exposition in the fixtures and the shared real payloads. */
const realScrapes: Array<{readonly name: string; readonly text: string}> = [
	...['prom', 'metrics'].flatMap(folder => {
		const dir = new URL(`../fixtures/${folder}/`, import.meta.url);
		return readdirSync(dir)
			.filter(file => file.endsWith('.prom'))
			.map(file => ({name: `${folder}/${file}`, text: readFileSync(new URL(file, dir), 'utf8')}));
	}),
];

function inPieces(text: string, cuts: readonly number[], options: Parameters<typeof createExpositionParser>[0] = {}): ReturnType<typeof parseExposition> {
	const parser = createExpositionParser(options);
	let from = 0;
	for (const cut of [...cuts].sort((a, b) => a - b)) {
		parser.push(text.slice(from, cut));
		from = cut;
	}
	parser.push(text.slice(from));
	return parser.end();
}

describe('parsing a body as it arrives', () => {
	it('gives what one parse of the whole text gives, wherever the pieces are cut (real expositions)', () => {
		expect(realScrapes.length).toBeGreaterThanOrEqual(8);
		for (const scrape of realScrapes) {
			const whole = parseExposition(scrape.text, {openMetrics: false});
			fc.assert(
				fc.property(fc.array(fc.integer({min: 0, max: scrape.text.length}), {maxLength: 12}), cuts => {
					expect(inPieces(scrape.text, cuts, {openMetrics: false})).toEqual(whole);
				}),
				{numRuns: 25},
			);
			// One character at a time: every line spans pieces.
			expect(inPieces(scrape.text.slice(0, 3000), Array.from({length: Math.min(3000, scrape.text.length)}, (_, i) => i), {openMetrics: false})).toEqual(parseExposition(scrape.text.slice(0, 3000), {openMetrics: false}));
		}
	});

	it('keeps line numbers, CRLF, a missing final newline and content after # EOF right across pieces', () => {
		const text = 'a 1\r\nbroken{\r\n\r\n# EOF\r\nb 2';
		const whole = parseExposition(text, {openMetrics: true});
		expect(whole.samples).toEqual([{name: 'a', labels: {}, value: 1}]);
		expect(whole.errors).toEqual([expect.stringMatching(/^line 2: /), expect.stringMatching(/^line 5: content after # EOF ignored/)]);
		for (let cut = 0; cut <= text.length; cut++) expect(inPieces(text, [cut], {openMetrics: true}), `cut at ${cut}`).toEqual(whole);
	});
});

describe('skipping the families a profile does not read', () => {
	const text = [
		'# HELP skipped_total x',
		'# TYPE skipped_total counter',
		'skipped_total{a="1"} 1',
		'skipped_total 2',
		'skipped_total\t3',
		'skipped_total_more{a="1"} 4', // longer name with the skipped one as prefix: decided on its own
		'skipped_total{a="2"} 5',
		'  skipped_total{a="3"} 6', // leading blanks
		'skipped_total{a="4"} 7\r', // CRLF
		'kept{a="1"} 8',
		'skipped_total{a="5"} 9', // the family again after another one
		'skipped_total{a="6"} NaN',
		'skipped_total{a="7",} bad', // not parsed, so not an error
		'skipped_total{a="8"} 10',
		'kept{a="2"} 11',
		'kept{"quoted.name"="x"} 12',
	].join('\n');
	const keep = (name: string): boolean => name === 'kept' || name === 'skipped_total_more';

	it('gives exactly the kept samples of a full parse, counts the skipped lines and keeps line numbers', () => {
		const full = parseExposition(`${text}\nkept{ broken\n`);
		const part = parseExposition(`${text}\nkept{ broken\n`, {keep});
		expect(part.samples).toEqual(full.samples.filter(sample => keep(sample.name)));
		expect(part.samples.map(sample => sample.value)).toEqual([4, 8, 11, 12]);
		expect(part.skipped).toBe(full.samples.length - part.samples.length + 1); // + the `bad` line a full parse reports
		expect(part.errors).toEqual([expect.stringMatching(/^line 17: /)]);
		expect(full.errors).toEqual([expect.stringMatching(/^line 13: /), expect.stringMatching(/^line 17: /)]);
		expect([...part.names].sort()).toEqual(['kept', 'skipped_total', 'skipped_total_more']);
	});

	it('skips runs longer than one regular-expression match and runs cut by pieces', () => {
		const lines = Array.from({length: 5000}, (_, i) => `skipped_total{i="${i}"} ${i}`);
		const big = ['kept 1', ...lines, 'kept 2', ...lines, 'kept 3', ''].join('\n');
		const whole = parseExposition(big, {keep});
		expect(whole.samples.map(sample => sample.value)).toEqual([1, 2, 3]);
		expect(whole.skipped).toBe(10_000);
		expect(inPieces(big, [1000, 77_777, 150_000], {keep})).toEqual(whole);
	});
});

describe('reading values without making strings', () => {
	it('reads every decimal spelling exactly as Go ParseFloat does', () => {
		const spellings = (value: number): string[] => [String(value), value.toExponential(), value.toExponential().toUpperCase(), value.toFixed(3), `+${Math.abs(value)}`, value.toPrecision(15), value.toPrecision(17)];
		fc.assert(
			fc.property(fc.oneof(fc.double({noNaN: true, noDefaultInfinity: true}), fc.integer(), fc.integer({min: -1000, max: 1000}).map(n => n / 8)), value => {
				for (const spelling of spellings(value)) {
					const parsed = parseExposition(`m ${spelling}\n`);
					const expected = parseGoFloat(spelling);
					if (expected === undefined) expect(parsed.errors).toHaveLength(1);
					else expect(Object.is(parsed.samples[0]?.value, expected), `${spelling}: ${parsed.samples[0]?.value} ≠ ${expected}`).toBe(true);
				}
			}),
			{numRuns: 300},
		);
		for (const text of ['1.8467645E7', '0.0', '-0.0', '.5', '5.', '1e22', '1e-22', '123456789012345678', '0.1e-400', '1e400', '00012', '1e+05', '-1E-5']) {
			expect(Object.is(parseExposition(`m ${text}\n`).samples[0]?.value, parseGoFloat(text)), text).toBe(true);
		}
	});
});

describe('the scrape client, parsing as the body arrives', () => {
	it('parses a real exposition sent as text/plain, and refuses an HTML page sent as text/plain', async () => {
		const agent = new MockAgent();
		agent.disableNetConnect();
		const real = realScrapes.find(scrape => scrape.name.includes('jmx-exporter-0.13.0'))?.text ?? '';
		expect(real.length).toBeGreaterThan(1000);
		const pool = agent.get('http://w:9404');
		pool.intercept({path: '/metrics'}).reply(200, real, {headers: {'content-type': 'text/plain; version=0.0.4; charset=utf-8'}});
		pool.intercept({path: '/login'}).reply(200, `\n  <!DOCTYPE html><html>${'<p>sign in</p>'.repeat(40)}</html>`, {headers: {'content-type': 'text/plain'}});
		pool.intercept({path: '/tiny'}).reply(200, 'up 1\n', {headers: {'content-type': 'text/plain'}});
		const client = createScrapeClient({urls: ['http://w:9404/metrics', 'http://w:9404/login', 'http://w:9404/tiny'], timeoutMs: 1000, dispatcher: agent});
		try {
			const [metrics, login, tiny] = await client.scrapeAll(0);
			expect(metrics?.result?.exposition).toEqual(parseExposition(real, {openMetrics: false}));
			expect(login?.error?.kind).toBe('malformed');
			expect(login?.error?.message).toContain('HTML page');
			expect(tiny?.result?.exposition.samples).toEqual([{name: 'up', labels: {}, value: 1}]);
		} finally {
			await client.close();
			await agent.close();
		}
	});
});

describe('a streamed body, one byte at a time', () => {
	const oneByteAtATime = (text: string): ReturnType<typeof parseExposition> => {
		const body = streamedBody('http://w:9404/metrics', {openMetrics: false});
		for (const byte of new TextEncoder().encode(text)) body.write(new Uint8Array([byte]));
		return body.end();
	};

	it('tells an HTML page by its first 200 characters however many bytes they take, and parses the rest as it comes', () => {
		expect(() => oneByteAtATime(`${'\u3000'.repeat(190)}<html><body>sign in</body></html>\n`)).toThrow(/HTML page/);
		const real = realScrapes.find(scrape => scrape.name.includes('jmx-exporter-0.13.0'))?.text ?? '';
		expect(oneByteAtATime(real)).toEqual(parseExposition(real, {openMetrics: false}));
	});
});
