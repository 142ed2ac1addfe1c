import {readFileSync, readdirSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {createByteExpositionParser, createScrapeMemory, type ScrapeMemory} from '../../source/clients/scrape/byte-parser.js';
import type {ParsedExposition} from '../../source/clients/scrape/types.js';
import {emptyCounterState, evaluateScrapes} from '../../source/metrics/evaluate-samples.js';
import type {CounterState, EndpointScrape} from '../../source/metrics/evaluate-samples.js';
import {profiles} from '../../source/metrics/profiles/index.js';
import {profileNames} from '../../source/metrics/scrape-source.js';
import {expectSameEvaluation} from '../helpers/same-evaluation.js';

/**
 * The scrape client hands each endpoint's parser what the endpoint's last body gave (label
 * sets, and the samples of the lines at each place: see ScrapeMemory). Refresh after refresh
 * over real exporter bodies, for every built-in profile (the repository's, catch-all, Strimzi,
 * Confluent, debezium-examples), the expositions and the evaluations must equal those of
 * bodies parsed without a memory.
 */

const directory = new URL('../fixtures/metrics/', import.meta.url);
const files = readdirSync(directory).filter(file => file.endsWith('.prom'));
const read = (file: string): Buffer => readFileSync(new URL(file, directory));

/** Two workers' consecutive bodies (t0, then t1), then every other real body, as one endpoint's answers. */
const endpointBodies: ReadonlyArray<readonly Buffer[]> = [
	['worker-1-t0.prom', 'worker-1-t1.prom', 'worker-1-t1.prom', 'worker-1-t0.prom', 'worker-1-t1.prom'].map(read),
	['worker-2-t0.prom', 'worker-2-t1.prom', 'worker-2-t0.prom', 'worker-2-t0.prom'].map(read),
	files.map(read),
];

function parse(bytes: Buffer, keep: (name: string) => boolean, memory: ScrapeMemory | undefined, pieceSize: number): ParsedExposition {
	const parser = createByteExpositionParser({keep, ...(memory === undefined ? {} : {memory})});
	for (let at = 0; at < bytes.length; at += pieceSize) parser.push(bytes.subarray(at, at + pieceSize));
	return parser.end();
}

describe('parsing with what the last body gave', () => {
	it('has real bodies and every built-in profile to work on', () => {
		expect(files.length).toBeGreaterThanOrEqual(8);
		expect(profiles.map(profile => profile.name)).toEqual(expect.arrayContaining(['kctop', 'catch-all', 'strimzi', 'confluent']));
	});

	for (const profile of profiles) {
		it(`gives the expositions and evaluations of parses without it, refresh after refresh (${profile.name} profile)`, () => {
			const keep = profileNames(profile);
			const memories = endpointBodies.map(() => createScrapeMemory());
			let remembered: CounterState = emptyCounterState;
			let fresh: CounterState = emptyCounterState;
			let reused = 0;
			const refreshes = Math.max(...endpointBodies.map(bodies => bodies.length));
			const last: (ParsedExposition | undefined)[] = [];
			for (let round = 0; round < refreshes; round++) {
				const at = 1_700_000_000_000 + round * 5000;
				const withMemory: EndpointScrape[] = [];
				const without: EndpointScrape[] = [];
				endpointBodies.forEach((bodies, worker) => {
					const bytes = bodies[round % bodies.length] ?? Buffer.alloc(0);
					const instance = `worker-${worker}:9404`;
					// Pieces of different sizes each refresh: lines cut at other places.
					const exposition = parse(bytes, keep, memories[worker], 7 + round * 61);
					const reference = parse(bytes, keep, undefined, 65_536);
					expect(exposition).toEqual(reference);
					const before = last[worker]?.samples ?? [];
					reused += exposition.samples.filter(sample => before.includes(sample)).length;
					last[worker] = exposition;
					withMemory.push({instance, up: true, samples: exposition.samples, at});
					without.push({instance, up: true, samples: reference.samples, at});
				});
				const evaluated = evaluateScrapes(profile, withMemory, remembered);
				const expected = evaluateScrapes(profile, without, fresh);
				expectSameEvaluation(evaluated, expected);
				remembered = evaluated.state;
				fresh = expected.state;
			}
			// The memory was used: samples of a body equal to the last one are the last one's objects.
			expect(reused).toBeGreaterThan(0);
		});
	}

	it('drops label sets no body uses any more, and still parses them when they come back', () => {
		const memory = createScrapeMemory();
		const keep = (): boolean => true;
		const many = Buffer.from(Array.from({length: 3000}, (_, index) => `a{id="${index}"} ${index}\n`).join(''));
		const few = Buffer.from('a{id="1"} 1\n');
		expect(parse(many, keep, memory, 4096).samples).toHaveLength(3000);
		expect(memory.size).toBe(3000);
		expect(parse(few, keep, memory, 4096).samples).toEqual([{name: 'a', labels: {id: '1'}, value: 1}]);
		expect(memory.size).toBe(1);
		expect(parse(many, keep, memory, 4096)).toEqual(parse(many, keep, undefined, 4096));
	});
});
