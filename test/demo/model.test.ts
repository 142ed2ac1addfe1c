import {describe, expect, it} from 'vitest';
import {createSteppedClock} from '../../source/demo/clock.js';
import {SimCluster, STEP_MS} from '../../source/demo/cluster.js';
import {workerMBeans} from '../../source/demo/metrics.js';
import {createRandom} from '../../source/demo/random.js';
import {defaultConnectorSpecs, defaultPlacements, defaultWorkerHosts} from '../../source/demo/scenario.js';
import {connectorStatusBody} from '../../source/demo/views.js';
import {T0} from './helpers.js';

function cluster(seed: number): SimCluster {
	return new SimCluster({specs: defaultConnectorSpecs(), workerHosts: defaultWorkerHosts, placements: defaultPlacements, seed, scenario: 'default', startMs: T0});
}

/** Everything a reader can see: statuses and every worker's MBeans (NaN/Infinity kept distinct). */
function observe(sim: SimCluster): string {
	const replacer = (_key: string, value: unknown): unknown => (typeof value === 'number' && !Number.isFinite(value) ? String(value) : value);
	return JSON.stringify({statuses: sim.connectors.map(connector => connectorStatusBody(sim, connector)), beans: sim.workers.map(worker => workerMBeans(sim, worker.index, 1))}, replacer);
}

describe('the simulation model', () => {
	it('does not depend on how often it is read: many small advances equal one big jump', () => {
		const often = cluster(21);
		const once = cluster(21);
		for (let ms = 0; ms <= 200_000; ms += 250) often.advanceTo(T0 + ms);
		once.advanceTo(T0 + 200_000);
		expect(often.elapsedSeconds).toBe(200);
		expect(observe(often)).toBe(observe(once));
	});

	it('is identical for the same seed and differs for another', () => {
		const a = cluster(5);
		const b = cluster(5);
		const c = cluster(6);
		for (const sim of [a, b, c]) sim.advanceTo(T0 + 60_000);
		expect(observe(a)).toBe(observe(b));
		expect(observe(a)).not.toBe(observe(c));
	});

	it('advances in whole steps only', () => {
		const sim = cluster(1);
		sim.advanceTo(T0 + STEP_MS - 1);
		expect(sim.now).toBe(T0);
		sim.advanceTo(T0 + 2 * STEP_MS + 999);
		expect(sim.now).toBe(T0 + 2 * STEP_MS);
	});

	it('restarts a failed task in place: RUNNING, trace cleared, metric counters carry on', () => {
		const sim = cluster(2);
		sim.advanceTo(T0 + 26_000);
		const jdbc = sim.connector('jdbc-sink-orders');
		const task = jdbc?.tasks[1];
		expect(task?.state).toBe('FAILED');
		const failures = task?.counters.recordFailures ?? 0;
		expect(failures).toBeGreaterThan(0);
		expect(sim.restartTask('jdbc-sink-orders', 1)).toEqual({ok: true});
		expect(task?.state).toBe('RUNNING');
		expect(task?.trace).toBeUndefined();
		expect(task?.counters.recordFailures).toBe(failures);
	});

	it('refuses a task restart on a dead worker with 409, and unknown names with 404', () => {
		const sim = cluster(2);
		sim.advanceTo(T0 + 46_000);
		expect(sim.restartTask('cdc-other-connector', 0)).toMatchObject({ok: false, status: 409});
		expect(sim.restart('nope', false, false)).toEqual({ok: false, status: 404, message: 'Unknown connector: nope'});
		expect(sim.restartTask('jdbc-sink-orders', 9)).toEqual({ok: false, status: 404, message: 'Unknown task: jdbc-sink-orders-9'});
	});

	it('restart?includeTasks&onlyFailed restarts only the failed task', () => {
		const sim = cluster(2);
		sim.advanceTo(T0 + 26_000);
		sim.restart('jdbc-sink-orders', true, true);
		const jdbc = sim.connector('jdbc-sink-orders');
		expect(jdbc?.state).toBe('RUNNING');
		expect(jdbc?.tasks.map(task => task.state)).toEqual(['RUNNING', 'RESTARTING']);
		sim.advanceTo(T0 + 27_000);
		expect(jdbc?.tasks.map(task => task.state)).toEqual(['RUNNING', 'RUNNING']);
	});

	it('keeps a paused connector paused through a reassignment', () => {
		const sim = cluster(2);
		sim.advanceTo(T0 + 44_000);
		sim.pause('cdc-other-connector');
		sim.advanceTo(T0 + 60_000);
		const other = sim.connector('cdc-other-connector');
		expect(other?.state).toBe('PAUSED');
		expect(other?.tasks.map(task => [task.state, sim.workers[task.workerIndex]?.alive])).toEqual([['PAUSED', true]]);
	});
});

describe('clock and random', () => {
	it('a stepped clock moves only forward', () => {
		const clock = createSteppedClock(100);
		clock.advance(50);
		expect(clock.now()).toBe(150);
		clock.set(1000);
		expect(clock.now()).toBe(1000);
		expect(() => clock.set(999)).toThrow(RangeError);
		expect(() => clock.advance(-1)).toThrow(RangeError);
	});

	it('the PRNG repeats for a seed and stays in range', () => {
		const a = createRandom(99);
		const b = createRandom(99);
		const first = Array.from({length: 100}, () => a.next());
		expect(Array.from({length: 100}, () => b.next())).toEqual(first);
		expect(first.every(value => value >= 0 && value < 1)).toBe(true);
		expect(new Set(first).size).toBe(100);
		const r = createRandom(1);
		const ints = Array.from({length: 1000}, () => r.int(1, 8));
		expect(Math.min(...ints)).toBe(1);
		expect(Math.max(...ints)).toBe(8);
	});
});
