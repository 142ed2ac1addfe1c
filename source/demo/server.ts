import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import {systemClock, type Clock} from './clock.js';
import {SimCluster, type ScenarioName} from './cluster.js';
import {ExpositionCache, createMetricsHandler} from './metrics.js';
import {createRestHandler} from './rest.js';
import {scaledConnectorSpecs} from './scale.js';
import {defaultConnectorSpecs, defaultPlacements, defaultWorkerHosts} from './scenario.js';

/**
 * Starts the simulated cluster on loopback: per worker one REST server (answering for the
 * whole cluster) and one metrics server. A dead worker's ports refuse connections: its
 * listeners are closed while it is dead and reopened on the same ports when it returns.
 */

export interface DemoClusterOptions {
	readonly seed?: number;
	/** 0 (default): the four connectors of the default scenario; N > 0: N connectors (see scale.ts). */
	readonly scale?: number;
	readonly clock?: Clock;
	readonly host?: '127.0.0.1';
	/** One port per worker (0: a free port). */
	readonly restPorts?: readonly number[];
	readonly metricsPorts?: readonly number[];
	/** default: the incident timeline of scenario.ts; steady: no scripted incidents. */
	readonly scenario?: ScenarioName;
}

export interface DemoWorker {
	/** REST worker_id, e.g. connect-1:8083. */
	readonly id: string;
	readonly restUrl: string;
	readonly metricsUrl: string;
}

export interface DemoCluster {
	readonly restUrls: string[];
	readonly metricsUrls: string[];
	readonly workers: readonly DemoWorker[];
	readonly cluster: SimCluster;
	/** Advances the simulation to the clock and waits until the listeners match it (dead ports closed, returned ones listening). */
	sync(): Promise<void>;
	close(): Promise<void>;
}

interface Endpoint {
	readonly server: Server;
	port: number;
}

function listen(server: Server, host: string, port: number): Promise<number> {
	return new Promise((resolve, reject) => {
		const onError = (error: Error): void => reject(error);
		server.once('error', onError);
		server.listen(port, host, () => {
			server.off('error', onError);
			const address = server.address();
			resolve(typeof address === 'object' && address !== null ? address.port : port);
		});
	});
}

function closeServer(server: Server): Promise<void> {
	return new Promise(resolve => {
		if (!server.listening) {
			resolve();
			return;
		}
		server.close(() => resolve());
		server.closeAllConnections();
	});
}

export async function startDemoCluster(options: DemoClusterOptions = {}): Promise<DemoCluster> {
	const seed = options.seed ?? 1;
	const scale = options.scale ?? 0;
	const clock = options.clock ?? systemClock;
	const host = options.host ?? '127.0.0.1';
	if (!Number.isInteger(scale) || scale < 0) throw new RangeError(`scale must be a non-negative integer, got ${scale}`);
	const specs = scale === 0 ? defaultConnectorSpecs() : scaledConnectorSpecs(scale, seed);
	const cluster = new SimCluster({
		specs,
		workerHosts: defaultWorkerHosts,
		placements: defaultPlacements,
		seed,
		scenario: options.scenario ?? 'default',
		startMs: clock.now(),
	});
	const sync = (): void => cluster.advanceTo(clock.now());
	const cache = new ExpositionCache(cluster, seed);
	const restHandler = createRestHandler({cluster, sync, seed});

	/** A request that reached a worker which died while the simulation caught up is dropped like a crashed JVM would. */
	const guarded =
		(index: number, handler: (req: IncomingMessage, res: ServerResponse) => void) =>
		(req: IncomingMessage, res: ServerResponse): void => {
			sync();
			if (!cluster.workers[index]?.alive) {
				req.socket.destroy();
				return;
			}
			handler(req, res);
		};

	const rest: Endpoint[] = [];
	const metrics: Endpoint[] = [];
	try {
		for (const worker of cluster.workers) {
			const restServer = createServer({keepAliveTimeout: 5000}, guarded(worker.index, restHandler));
			const metricsServer = createServer({keepAliveTimeout: 5000}, guarded(worker.index, createMetricsHandler({cache, index: worker.index, sync})));
			rest.push({server: restServer, port: await listen(restServer, host, options.restPorts?.[worker.index] ?? 0)});
			metrics.push({server: metricsServer, port: await listen(metricsServer, host, options.metricsPorts?.[worker.index] ?? 0)});
		}
	} catch (error) {
		await Promise.all([...rest, ...metrics].map(endpoint => closeServer(endpoint.server)));
		throw error;
	}

	let closed = false;
	const pending = new Set<Promise<unknown>>();
	const track = (promise: Promise<unknown>): void => {
		const settled = promise.catch(() => undefined).finally(() => pending.delete(settled));
		pending.add(settled);
	};
	cluster.onWorkerChanged(worker => {
		if (closed) return;
		for (const endpoint of [rest[worker.index], metrics[worker.index]]) {
			if (!endpoint) continue;
			if (worker.alive) {
				if (!endpoint.server.listening) track(listen(endpoint.server, host, endpoint.port));
			} else track(closeServer(endpoint.server));
		}
	});

	const workers: DemoWorker[] = cluster.workers.map(worker => ({
		id: worker.id,
		restUrl: `http://${host}:${rest[worker.index]?.port ?? 0}`,
		metricsUrl: `http://${host}:${metrics[worker.index]?.port ?? 0}/metrics`,
	}));

	return {
		restUrls: workers.map(worker => worker.restUrl),
		metricsUrls: workers.map(worker => worker.metricsUrl),
		workers,
		cluster,
		async sync() {
			sync();
			while (pending.size > 0) await Promise.all([...pending]);
		},
		async close() {
			closed = true;
			while (pending.size > 0) await Promise.all([...pending]);
			await Promise.all([...rest, ...metrics].map(endpoint => closeServer(endpoint.server)));
		},
	};
}
