import {createConnectClient} from '../clients/connect/client.js';
import {createScrapeClient} from '../clients/scrape/client.js';
import type {SteppedClock} from '../demo/clock.js';
import type {DemoCluster} from '../demo/server.js';
import {defaultProfile} from '../metrics/profiles/default.js';
import {createScrapeSource} from '../metrics/scrape-source.js';
import {defaultThresholds} from '../model/snapshot.js';
import {createStore, type PollingStore, type StoreOptions} from '../store/store.js';

/**
 * kctop's store in direct-scrape mode against the in-process simulator, on the simulator's
 * stepped clock (the frame-cost tool and the tests share it).
 */
export function demoStore(demo: DemoCluster, clock: SteppedClock, extra: Partial<StoreOptions> = {}, timeoutMs = 5000): PollingStore {
	return createStore({
		connect: createConnectClient({urls: demo.restUrls, timeoutMs}),
		metrics: createScrapeSource({client: createScrapeClient({urls: demo.metricsUrls, timeoutMs}), profile: defaultProfile}),
		profile: defaultProfile,
		clock,
		intervalMs: 2000,
		historyWindowMs: 120_000,
		thresholds: defaultThresholds,
		workerMap: new Map(demo.workers.map(worker => [new URL(worker.metricsUrl).host, worker.id])),
		...extra,
	});
}
