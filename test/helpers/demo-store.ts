import type {SteppedClock} from '../../source/demo/clock.js';
import type {DemoCluster} from '../../source/demo/server.js';
import type {ClusterSnapshot} from '../../source/model/types.js';
import type {PollingStore} from '../../source/store/store.js';

export {demoStore} from '../../source/bench/demo-store.js';

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
