import {describe, expect, it} from 'vitest';
import {SimCluster} from '../../source/demo/cluster.js';
import {renderExposition} from '../../source/demo/jmx/exposition.js';
import {applyRules, loadRepoJmxConfig} from '../../source/demo/jmx/rules.js';
import {ExpositionCache, workerMBeans} from '../../source/demo/metrics.js';
import {scaledConnectorSpecs} from '../../source/demo/scale.js';
import {defaultConnectorSpecs, defaultPlacements, defaultWorkerHosts} from '../../source/demo/scenario.js';
import type {ConnectorSpec} from '../../source/demo/spec.js';
import {T0} from './helpers.js';

/** The memoised exporter gives byte-for-byte what the rule engine gives, through the scenario and at scale. */

function compare(specs: readonly ConnectorSpec[], seconds: readonly number[]): number {
	const cluster = new SimCluster({specs, workerHosts: defaultWorkerHosts, placements: defaultPlacements, seed: 9, scenario: 'default', startMs: T0});
	const cache = new ExpositionCache(cluster, 9);
	let lines = 0;
	for (const second of seconds) {
		cluster.advanceTo(T0 + second * 1000);
		for (let worker = 0; worker < cluster.workers.length; worker++) {
			const slow = renderExposition(applyRules(loadRepoJmxConfig(), workerMBeans(cluster, worker, 9)));
			const fast = cache.text(worker);
			expect(fast, `worker ${worker} at ${second}s`).toBe(slow);
			lines += fast.split('\n').length;
		}
	}
	return lines;
}

describe('the memoised exporter', () => {
	it('matches applyRules + renderExposition for the default scenario at every phase', () => {
		expect(compare(defaultConnectorSpecs(), [0, 3, 12, 22, 26, 46, 50, 54, 121, 125])).toBeGreaterThan(1000);
	});

	it('matches for a scaled cluster (every connector kind, trouble included) and for names Kafka quotes', () => {
		const specs = scaledConnectorSpecs(80, 4);
		const quoted = specs[4];
		if (!quoted) throw new Error('no generated spec');
		const odd = {...quoted, name: 'orders:v2, eu', config: {...quoted.config, name: 'orders:v2, eu'}};
		expect(compare([...specs, odd], [0, 5, 30])).toBeGreaterThan(5000);
		// applyRules over every bean is the slow reference (17 s idle): the timeout only guards against a hang.
	}, 180_000);
});
