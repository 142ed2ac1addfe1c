import {createConnectClient} from '../../source/clients/connect/client.js';
import {createScrapeClient} from '../../source/clients/scrape/client.js';
import type {SteppedClock} from '../../source/demo/clock.js';
import type {DemoCluster} from '../../source/demo/server.js';
import {defaultProfile} from '../../source/metrics/profiles/default.js';
import {createScrapeSource} from '../../source/metrics/scrape-source.js';
import {defaultThresholds} from '../../source/model/snapshot.js';
import type {ClusterSnapshot} from '../../source/model/types.js';
import {createStore, type PollingStore, type StoreOptions} from '../../source/store/store.js';

/** kctop's store in direct-scrape mode against the in-process simulator, on the simulator's stepped clock. */
export function demoStore(demo: DemoCluster, clock: SteppedClock, extra: Partial<StoreOptions> = {}): PollingStore {
	return createStore({
		connect: createConnectClient({urls: demo.restUrls, timeoutMs: 5000}),
		metrics: createScrapeSource({client: createScrapeClient({urls: demo.metricsUrls, timeoutMs: 5000}), profile: defaultProfile}),
		profile: defaultProfile,
		clock,
		intervalMs: 2000,
		historyWindowMs: 120_000,
		thresholds: defaultThresholds,
		workerMap: new Map(demo.workers.map(worker => [new URL(worker.metricsUrl).host, worker.id])),
		...extra,
	});
}

/** Refreshes every 2 s of simulated time up to `seconds` after `start`, as the poller would; the last snapshot. */
export async function stepTo(store: PollingStore, demo: DemoCluster, clock: SteppedClock, start: number, seconds: number): Promise<ClusterSnapshot> {
	while (clock.now() < start + seconds * 1000) {
		clock.advance(Math.min(2000, start + seconds * 1000 - clock.now()));
		await demo.sync();
		await store.refresh();
	}
	const snapshot = store.getState().snapshot;
	if (!snapshot) throw new Error('no snapshot');
	return snapshot;
}
