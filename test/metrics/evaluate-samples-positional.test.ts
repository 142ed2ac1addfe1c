import {readdirSync, readFileSync} from 'node:fs';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {createByteExpositionParser} from '../../source/clients/scrape/byte-parser.js';
import type {ParsedSample} from '../../source/clients/scrape/types.js';
import {evaluateScrapes, emptyCounterState} from '../../source/metrics/evaluate-samples.js';
import type {CounterState, EndpointScrape} from '../../source/metrics/evaluate-samples.js';
import {defaultProfile} from '../../source/metrics/profiles/default.js';
import {profiles} from '../../source/metrics/profiles/index.js';
import {logicalMetricIds} from '../../source/metrics/types.js';
import {expectSameEvaluation} from '../helpers/same-evaluation.js';

/**
 * evaluateScrapes takes a series' keys over from the previous refresh when the sample at the
 * same position of the same run has equal labels. A copy of a counter state carries none of
 * those keys, so evaluating from the copy builds every key from the labels: the evaluation
 * without the positional shortcut. Both must give the same results and the same state, over
 * real exporter bodies changed refresh after refresh.
 */

const directory = new URL('../fixtures/metrics/', import.meta.url);
const bodies = readdirSync(directory)
	.filter((file) => file.endsWith('.prom'))
	.map((file) => {
		// The byte parser, as the scrape client uses it: a label set repeated within a body is one shared object.
		const parser = createByteExpositionParser({unquoteLabelValues: true});
		parser.push(readFileSync(new URL(file, directory)));
		return {file, samples: parser.end().samples};
	});

/** A small deterministic generator (mulberry32) driven by fast-check's seed. */
function random(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
	};
}

/** One endpoint's next body: the base samples, some dropped, moved, duplicated, relabelled, added, counters grown or reset. */
function changed(base: readonly ParsedSample[], next: () => number, round: number): ParsedSample[] {
	const out: ParsedSample[] = [];
	for (const sample of base) {
		const roll = next();
		if (roll < 0.08) continue; // the series disappeared
		let labels = sample.labels;
		if (roll < 0.14) labels = {...labels}; // equal labels, another object (the text parser's path)
		else if (roll < 0.18) labels = {...labels, task: String(Math.floor(next() * 3))}; // another series at this place
		else if (roll < 0.2) labels = {...labels, instance: 'exported:1'}; // an exported instance label
		let value = sample.value;
		if (roll > 0.97) value = value / 2; // a counter reset
		else if (Number.isFinite(value)) value += round * Math.floor(next() * 100);
		const moved: ParsedSample = sample.timestamp === undefined ? {name: sample.name, labels, value} : {name: sample.name, labels, value, timestamp: sample.timestamp};
		out.push(moved);
		if (next() < 0.03) out.push(moved); // a duplicate series in one scrape
		if (next() < 0.02) out.push({name: sample.name, labels: {...labels, connector: `new-${round}`}, value}); // a new series
	}
	// Reorder: swap neighbours here and there (within and across runs), now and then the whole body.
	for (let i = 1; i < out.length; i++) {
		if (next() < 0.05) {
			const a = out[i - 1];
			const b = out[i];
			if (a !== undefined && b !== undefined) {
				out[i - 1] = b;
				out[i] = a;
			}
		}
	}
	if (next() < 0.1) out.reverse();
	return out;
}

describe('evaluateScrapes with keys carried by position', () => {
	it('has real bodies to work on', () => {
		expect(bodies.length).toBeGreaterThanOrEqual(5);
		for (const body of bodies) expect(body.samples.length, body.file).toBeGreaterThan(0);
	});

	it('equals the evaluation that builds every key, over sequences of changing refreshes', () => {
		fc.assert(
			fc.property(
				fc.integer({min: 0, max: profiles.length - 1}),
				fc.array(fc.integer({min: 0, max: bodies.length - 1}), {minLength: 1, maxLength: 3}),
				fc.integer(),
				fc.integer({min: 2, max: 6}),
				(profileIndex, chosen, seed, refreshes) => {
					const profile = profiles[profileIndex];
					if (profile === undefined) throw new Error('no profile');
					const next = random(seed);
					let carried: CounterState = emptyCounterState;
					let rebuilt: CounterState = emptyCounterState;
					let at = 1_700_000_000_000;
					for (let round = 0; round < refreshes; round++) {
						// Mostly later, now and then at the same time (no rate).
						at += next() < 0.1 ? 0 : 5000 + Math.floor(next() * 10_000);
						const endpoints: EndpointScrape[] = chosen.map((body, worker) => {
							const instance = `worker-${worker}:9404`;
							const samples = round === 0 || next() < 0.15 ? (bodies[body]?.samples ?? []) : changed(bodies[body]?.samples ?? [], next, round);
							return next() < 0.07 ? {instance, up: false, samples: [], at} : {instance, up: true, samples, at};
						});
						const withKeys = evaluateScrapes(profile, endpoints, carried);
						const fromLabels = evaluateScrapes(profile, endpoints, new Map(rebuilt));
						expectSameEvaluation(withKeys, fromLabels);
						carried = withKeys.state;
						rebuilt = fromLabels.state;
					}
				},
			),
			{numRuns: 150},
		);
	});

	it('keeps each series its own rate when series trade places between refreshes', () => {
		const base = bodies.find((body) => body.file === 'worker-1-t0.prom')?.samples ?? [];
		expect(base.length).toBeGreaterThan(10);
		// Every run in reverse order, each counter 10 higher: 1 per second per series after 10 s, whatever its place.
		const swapped = [...base].reverse().map((sample) => ({...sample, value: sample.value + 10}));
		const first = evaluateScrapes(defaultProfile, [{instance: 'w:1', up: true, samples: base, at: 0}], emptyCounterState);
		const second = evaluateScrapes(defaultProfile, [{instance: 'w:1', up: true, samples: swapped, at: 10_000}], first.state);
		expectSameEvaluation(second, evaluateScrapes(defaultProfile, [{instance: 'w:1', up: true, samples: swapped, at: 10_000}], new Map(first.state)));
		const rates = Object.entries(defaultProfile.metrics).filter(([, definition]) => definition?.transform === 'rate');
		const rows = logicalMetricIds.filter((id) => rates.some(([rate]) => rate === id)).flatMap((id) => second.results.get(id) ?? []);
		expect(rows.length).toBeGreaterThan(0);
		// Summed per group: each series counts 1 per second.
		for (const row of rows) expect(Number.isInteger(row.value) && row.value >= 1, JSON.stringify(row)).toBe(true);
		const third = evaluateScrapes(defaultProfile, [{instance: 'w:1', up: true, samples: base, at: 20_000}], second.state);
		expectSameEvaluation(third, evaluateScrapes(defaultProfile, [{instance: 'w:1', up: true, samples: base, at: 20_000}], new Map(second.state)));
	});
});
