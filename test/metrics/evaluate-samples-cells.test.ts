import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {createByteExpositionParser} from '../../source/clients/scrape/byte-parser.js';
import type {ParsedSample} from '../../source/clients/scrape/types.js';
import {cellSlack, emptyCounterState, evaluateScrapes} from '../../source/metrics/evaluate-samples.js';
import type {CounterState, EndpointScrape, ScrapeEvaluation} from '../../source/metrics/evaluate-samples.js';
import {kctopProfile} from '../../source/metrics/profiles/default.js';
import {expectSameEvaluation} from '../helpers/same-evaluation.js';

/**
 * evaluateScrapes keeps each metric's result groups from one refresh to the next, and each
 * run position remembers its group. Groups no position used are dropped once they outnumber
 * the used ones by `cellSlack`; a position that still points at a dropped group (a refresh
 * started again from an older counter state) must find its group again. Every evaluation
 * here is compared with the one from a copy of the state, which carries nothing over.
 */

const real = (() => {
	const parser = createByteExpositionParser({});
	parser.push(readFileSync(new URL('../fixtures/metrics/worker-1-t0.prom', import.meta.url)));
	return parser.end().samples;
})();

/** The real body with its connectors copied `copies` times under names tagged `tag`, each task line `tasks` times (tasks 0, 1, …); counters grown by `round`. */
function body(tag: string, copies: number, round: number, tasks = 1): ParsedSample[] {
	const out: ParsedSample[] = [];
	for (const sample of real) {
		const connector = sample.labels['connector'];
		if (connector === undefined) {
			out.push(sample);
			continue;
		}
		for (let copy = 0; copy < copies; copy++) {
			const labels: Record<string, string> = {...sample.labels, connector: `${connector}-${tag}-${copy}`};
			out.push({name: sample.name, labels, value: sample.value + round});
			if (labels['task'] === undefined) continue;
			for (let task = 1; task < tasks; task++) out.push({name: sample.name, labels: {...labels, task: String(task)}, value: sample.value + round});
		}
	}
	return out;
}

function scrape(samples: readonly ParsedSample[], round: number): EndpointScrape[] {
	return [{instance: 'worker-1:9404', up: true, samples, at: 1_700_000_000_000 + round * 5000}];
}

/** Evaluates with the carried state and from a copy of it, checks both agree, and returns the carried one. */
function both(endpoints: readonly EndpointScrape[], state: CounterState): ScrapeEvaluation {
	const carried = evaluateScrapes(kctopProfile, endpoints, state);
	expectSameEvaluation(carried, evaluateScrapes(kctopProfile, endpoints, new Map(state)));
	return carried;
}

describe('evaluateScrapes with groups kept across refreshes', () => {
	// Enough connectors in the big body that its groups outnumber the small body's by more than the slack.
	const many = cellSlack / 2 + 20;
	const few = 5;

	it('has connectors in the real body to copy', () => {
		expect(real.filter((sample) => sample.labels['connector'] !== undefined).length).toBeGreaterThan(5);
	});

	it('gives the same results when a refresh starts again from a state whose groups were dropped since', () => {
		const first = both(scrape(body('a', many, 0), 0), emptyCounterState);
		const errors = first.results.get('recordErrors') ?? [];
		expect(errors.length).toBe(2 * many);
		// Another refresh from the first state, with other connectors: the first body's groups are dropped.
		const other = both(scrape(body('b', few, 1), 1), first.state);
		expect(other.results.get('recordErrors')?.length).toBe(2 * few);
		// The first body again from the first state, a second task after each first one: the first tasks' positions
		// point at dropped groups, the second tasks' positions (other labels than last time) look their groups up.
		const again = both(scrape(body('a', many, 1, 2), 1), first.state);
		expect(again.results.get('recordErrors')?.length).toBe(2 * many);
		expect(again.results.get('recordRate')?.length).toBeGreaterThan(0);
		const next = both(scrape(body('a', many, 2), 2), again.state);
		expect(next.results.get('recordErrors')?.map((row) => row.labels)).toEqual(errors.map((row) => row.labels));
	});

	it('gives the same results while the connectors change refresh after refresh', () => {
		let state: CounterState = emptyCounterState;
		for (let round = 0; round < 6; round++) {
			// Half the connectors stay, half are new each refresh; the body shrinks and grows.
			const samples = [...body('stay', round % 2 === 0 ? many : few, round), ...body(`new-${round}`, many, round)];
			const evaluation = both(scrape(samples, round), state);
			expect(evaluation.results.get('recordErrors')?.length).toBe(2 * ((round % 2 === 0 ? many : few) + many));
			state = evaluation.state;
		}
	});
});
