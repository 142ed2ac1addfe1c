import {readFileSync, readdirSync} from 'node:fs';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {createByteExpositionParser} from '../../source/clients/scrape/byte-parser.js';
import {parseExposition} from '../../source/clients/scrape/parser.js';
import {createSteppedClock} from '../../source/demo/clock.js';
import {startDemoCluster, type DemoCluster} from '../../source/demo/server.js';
import {emptyCounterState, evaluateScrapes} from '../../source/metrics/evaluate-samples.js';
import {profiles} from '../../source/metrics/profiles/index.js';
import {profileNames} from '../../source/metrics/scrape-source.js';

/** Every real exposition in the fixtures (jmx_exporter 0.13 and 1.3, Debezium, kctop's own rules). */
const realScrapes: Array<{readonly name: string; readonly text: string}> = ['prom', 'metrics'].flatMap(folder => {
	const dir = new URL(`../fixtures/${folder}/`, import.meta.url);
	return readdirSync(dir)
		.filter(file => file.endsWith('.prom'))
		.map(file => ({name: `${folder}/${file}`, text: readFileSync(new URL(file, dir), 'utf8')}));
});

let demo: DemoCluster | undefined;
const simulated: Array<{readonly name: string; readonly text: string}> = [];

beforeAll(async () => {
	// The simulator's exposition goes through this repository's jmx-exporter-config.yml: the rules users deploy.
	demo = await startDemoCluster({seed: 1, clock: createSteppedClock(Date.UTC(2026, 10, 27, 3, 0, 0)), scale: 40, scenario: 'steady'});
	await demo.sync();
	for (const url of demo.metricsUrls) simulated.push({name: `simulator ${url}`, text: await (await fetch(url)).text()});
});

afterAll(async () => {
	await demo?.close();
});

describe('parsing only the families a profile reads', () => {
	it('gives exactly the samples a full parse gives for the kept names, and still lists every name', () => {
		let skippedSomewhere = 0;
		for (const scrape of [...realScrapes, ...simulated]) {
			const full = parseExposition(scrape.text);
			for (const profile of profiles) {
				const keep = profileNames(profile);
				const part = parseExposition(scrape.text, {keep});
				const wanted = full.samples.filter(sample => keep(sample.name));
				expect(part.samples, `${scrape.name}, profile ${profile.name}`).toEqual(wanted);
				expect(part.skipped).toBe(full.samples.length - wanted.length);
				expect([...part.names].sort()).toEqual([...new Set(full.samples.map(sample => sample.name))].sort());
				expect(part.errors).toEqual(full.errors);
				skippedSomewhere += part.skipped;
			}
		}
		expect(realScrapes.length).toBeGreaterThanOrEqual(8);
		expect(simulated.length).toBeGreaterThan(0);
		expect(skippedSomewhere).toBeGreaterThan(0);
	});

	it('leaves what every profile evaluates unchanged on the simulator and the real scrapes', () => {
		const at = Date.UTC(2026, 10, 27, 3, 0, 0);
		for (const profile of profiles) {
			const keep = profileNames(profile);
			const endpoints = (parse: (text: string) => ReturnType<typeof parseExposition>) => [...realScrapes, ...simulated].map((scrape, index) => ({instance: `w${index}:9404`, up: true, samples: parse(scrape.text).samples, at}));
			const full = evaluateScrapes(profile, endpoints(text => parseExposition(text)), emptyCounterState);
			const part = evaluateScrapes(profile, endpoints(text => parseExposition(text, {keep})), emptyCounterState);
			expect(part.results, profile.name).toEqual(full.results);
			expect(part.empty).toEqual(full.empty);
		}
	});

	it('the byte parser gives what the text parser gives on the simulator, for every profile, and asks about each name once', () => {
		for (const scrape of simulated) {
			const bytes = new TextEncoder().encode(scrape.text);
			for (const profile of profiles) {
				const keep = profileNames(profile);
				const asked = new Set<string>();
				let questions = 0;
				const parser = createByteExpositionParser({
					keep: name => {
						asked.add(name);
						questions++;
						return keep(name);
					},
				});
				// In the 64 kB pieces a socket gives.
				for (let at = 0; at < bytes.length; at += 65_536) parser.push(bytes.subarray(at, at + 65_536));
				const part = parser.end();
				expect(part, `${scrape.name}, profile ${profile.name}`).toEqual(parseExposition(scrape.text, {keep}));
				expect(questions).toBe(asked.size);
				expect(part.skipped).toBeGreaterThan(0);
			}
		}
	});

	it('skips most of a simulated worker for the default profile, and decides each name once', () => {
		const text = simulated[0]?.text ?? '';
		const asked: string[] = [];
		const profile = profiles[0];
		if (profile === undefined) throw new Error('no profiles');
		const keep = profileNames(profile);
		const part = parseExposition(text, {
			keep: name => {
				asked.push(name);
				return keep(name);
			},
		});
		expect(part.skipped).toBeGreaterThan(part.samples.length);
		// Lines of one family come together: one question per family, not per line.
		expect(asked).toHaveLength(part.names.size);
	});
});
