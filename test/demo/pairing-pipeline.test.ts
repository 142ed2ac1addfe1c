import {afterEach, describe, expect, it} from 'vitest';
import {createSteppedClock} from '../../source/demo/clock.js';
import {startDemoCluster, type DemoCluster, type DemoClusterOptions} from '../../source/demo/server.js';
import {checkSnapshot} from '../../source/model/check.js';
import type {ClusterSnapshot} from '../../source/model/types.js';
import type {PollingStore} from '../../source/store/store.js';
import {demoStore, stepTo} from '../helpers/demo-store.js';
import {T0} from './helpers.js';

/**
 * kctop's pipeline (REST client, direct scrape, store, snapshot) against the simulator's
 * topologies, with no --worker-map and no worker_id label: the pairing has only the
 * assignment to go on. The clock is stepped through the default scenario.
 */

let demo: DemoCluster | undefined;
let store: PollingStore | undefined;

afterEach(async () => {
	store?.stop();
	await demo?.close();
	demo = undefined;
	store = undefined;
});

async function pipeline(options: DemoClusterOptions) {
	const clock = createSteppedClock(T0);
	const cluster = await startDemoCluster({seed: 1, clock, ...options});
	demo = cluster;
	// No --worker-map: the pairing has only labels, hosts and the assignment to go on.
	const polling = demoStore(cluster, clock, {workerMap: new Map()});
	store = polling;
	const runTo = async (seconds: number): Promise<ClusterSnapshot> => stepTo(polling, cluster, clock, T0, seconds);
	return {cluster, runTo};
}

function metricsInstance(cluster: DemoCluster, index: number): string {
	return new URL(cluster.metricsUrls[index] ?? '').host;
}

describe('worker pairing through the pipeline', () => {
	it('three workers on one host: paired by assignment, the idle one unpaired, then paired after the rebalance; a dead one is named by its REST id', async () => {
		const {cluster, runTo} = await pipeline({topology: 'one-host'});
		const [first, second, third] = cluster.workers;
		if (!first || !second || !third) throw new Error('three workers expected');

		let snapshot = await runTo(8);
		const byId = (a: readonly unknown[], b: readonly unknown[]): number => String(a[0]).localeCompare(String(b[0]));
		expect(snapshot.workers.filter(worker => worker.pairing !== 'unpaired').map(worker => [worker.id, worker.instance, worker.up])).toEqual(
			[
				[first.id, metricsInstance(cluster, 0), true],
				[second.id, metricsInstance(cluster, 1), true],
			].sort(byId),
		);
		// connect-3 hosts nothing yet: REST has never named it, so nothing can pair its exporter.
		expect(snapshot.unpairedInstances).toEqual([metricsInstance(cluster, 2)]);
		expect(snapshot.totals).toMatchObject({workersUp: 2, workersTotal: 2});

		// 46 s: the second worker died; its exporter is gone, the previous pairing names it.
		snapshot = await runTo(46);
		expect(snapshot.workers.find(worker => worker.id === second.id)).toMatchObject({instance: metricsInstance(cluster, 1), up: false});
		expect(checkSnapshot(snapshot).findings).toContainEqual({status: 'CRITICAL', severity: 'worker-down', subject: `worker ${second.id}`, text: 'worker is down'});
		expect(checkSnapshot(snapshot).findings.map(finding => finding.text).join('\n')).not.toContain(metricsInstance(cluster, 1));

		// 60 s: the rebalance gave the third worker work: every exporter is paired.
		snapshot = await runTo(60);
		expect(snapshot.unpairedInstances).toEqual([]);
		expect(snapshot.workers.find(worker => worker.id === third.id)).toMatchObject({instance: metricsInstance(cluster, 2), pairing: 'assignment', up: true});
		expect(snapshot.workers.filter(worker => worker.pairing !== 'unpaired')).toHaveLength(3);
		// The dead worker's work moved away, so REST no longer names it; the pairing still does.
		expect(snapshot.workers.find(worker => worker.id === second.id)).toMatchObject({inRest: false, up: false, pairing: 'previous'});
		expect(snapshot.totals).toMatchObject({workersUp: 2, workersDown: 1, workersTotal: 3});
	});

	it('kubernetes: pod IPs against advertised names, paired by assignment', async () => {
		const {cluster, runTo} = await pipeline({topology: 'kubernetes', scale: 6, scenario: 'steady'});
		const snapshot = await runTo(6);
		expect(snapshot.unpairedInstances).toEqual([]);
		expect(snapshot.workers.map(worker => [worker.id, worker.instance])).toEqual(cluster.workers.map((worker, index) => [worker.id, metricsInstance(cluster, index)]));
		expect(snapshot.totals).toMatchObject({workersUp: 3, workersTotal: 3});
	});

	it('a long Debezium snapshot shows as running with progress, healthy, while events flow', async () => {
		const {runTo} = await pipeline({snapshotSeconds: 300, scenario: 'steady'});
		const snapshot = await runTo(90);
		const cdc = snapshot.connectors.find(row => row.name === 'cdc-test-connector');
		expect(cdc?.debezium).toMatchObject({connected: false, snapshotRunning: true, snapshotTablesTotal: 4, snapshotTablesRemaining: 3, queueTotal: 8192});
		expect(cdc?.recordRate).toBeGreaterThan(0);
		expect(cdc?.health).toBe('ok');
		expect(checkSnapshot(snapshot).exitCode).toBe(0);
	});
});
