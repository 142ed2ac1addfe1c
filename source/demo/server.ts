import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import {createOffsetClock, type Clock, type ControlledClock} from './clock.js';
import {SimCluster, type ScenarioName} from './cluster.js';
import {createControlHandler} from './control.js';
import {answerWithRestFault, FaultBoard, garbageExposition, HeldResponses, withSampleTimestamps} from './faults.js';
import type {JmxExporterConfig} from './jmx/rules.js';
import {expositionContentType} from './jmx/exposition.js';
import {ExpositionCache, createMetricsHandler} from './metrics.js';
import {createPrometheusProxyServer, partialLabelValues} from './prometheus-proxy.js';
import {createRestResponder, requestUrl, sendReply} from './rest.js';
import {scaledConnectorSpecs} from './scale.js';
import {defaultConnectorSpecs, defaultPlacements, parseSinkSwitch, SinkSwitchError} from './scenario.js';
import type {ConnectorSpec} from './spec.js';
import {bindAddress, workerIdentity, type Topology} from './topology.js';
import type {ConnectVersion} from './versions.js';

/**
 * Starts the simulated cluster on loopback: per worker one REST server (answering for the
 * whole cluster) and one metrics server. A dead worker's ports refuse connections: its
 * listeners are closed while it is dead and reopened on the same ports when it returns.
 * Faults (faults.ts) are switched through `faults` or the control endpoint (control.ts).
 */

export interface DemoClusterOptions {
	readonly seed?: number;
	/** 0 (default): the four connectors of the default scenario; N > 0: N connectors (see scale.ts). */
	readonly scale?: number;
	/** The simulation's time. Default: the wall clock, which the control endpoint can move ahead. */
	readonly clock?: Clock;
	/** One port per worker (0: a free port). */
	readonly restPorts?: readonly number[];
	readonly metricsPorts?: readonly number[];
	/** default: the incident timeline of scenario.ts; steady: no scripted incidents. */
	readonly scenario?: ScenarioName;
	/** Number of workers (2 to 32, default 3). */
	readonly workers?: number;
	/** How workers are named and addressed (topology.ts). Default `docker`. */
	readonly topology?: Topology;
	/** The Kafka Connect version to behave like (default 3.9.0). */
	readonly connectVersion?: ConnectVersion;
	/** Seconds each Debezium connector's initial snapshot takes (default: one per table). */
	readonly snapshotSeconds?: number;
	/** The exporter rules the metrics go through (default: this repository's jmx-exporter-config.yml). */
	readonly rules?: JmxExporterConfig;
	/** Faults in force from the start (spec strings, see faults.ts). */
	readonly faults?: readonly string[];
	/** Port of the control endpoint (0: a free one); without it there is no control endpoint. */
	readonly controlPort?: number;
	/** Port of the Prometheus fault proxy (0: a free one); without it there is no proxy and `prometheus:*` faults do nothing. */
	readonly prometheusProxyPort?: number;
	/** The Prometheus the proxy forwards to (also settable later through the control endpoint). */
	readonly prometheusUpstream?: string;
	/** How sinks consume from the start, `NAME=MODE` (scenario.ts `sinkModes`). */
	readonly sinks?: readonly string[];
}

/** Requests the simulator received since it started (tests count refreshes and writes with them). */
export interface RequestCounts {
	/** REST requests that reached a worker's handler. */
	readonly rest: number;
	/** REST requests that change something (POST, PUT, DELETE, PATCH). */
	readonly writes: number;
	/** `GET /connectors` (what a kctop refresh asks for once). */
	readonly lists: number;
	/** Scrapes of the exporter endpoints. */
	readonly scrapes: number;
	/** Requests that reached the Prometheus proxy. */
	readonly prometheus: number;
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
	readonly faults: FaultBoard;
	/** Base URL of the control endpoint, when one was asked for. */
	readonly controlUrl: string | undefined;
	/** Advances the simulation to the clock and waits until the listeners match it (dead ports closed, returned ones listening). */
	sync(): Promise<void>;
	/** Requests held open by a hang fault right now (tests wait for one to arrive). */
	heldRequests(): number;
	/** Base URL of the Prometheus fault proxy, when one was asked for. */
	readonly prometheusUrl: string | undefined;
	/** Points the Prometheus proxy at its upstream. */
	setPrometheusUpstream(url: string): void;
	requestCounts(): RequestCounts;
	close(): Promise<void>;
}

interface Endpoint {
	readonly server: Server;
	readonly host: string;
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

function withSnapshotSeconds(specs: readonly ConnectorSpec[], seconds: number | undefined): ConnectorSpec[] {
	if (seconds === undefined) return [...specs];
	return specs.map(spec => (spec.debezium ? {...spec, debezium: {...spec.debezium, snapshotSeconds: seconds}} : spec));
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export async function startDemoCluster(options: DemoClusterOptions = {}): Promise<DemoCluster> {
	const seed = options.seed ?? 1;
	const scale = options.scale ?? 0;
	const clock = options.clock ?? createOffsetClock();
	const topology = options.topology ?? 'docker';
	const workerCount = options.workers ?? 3;
	if (!Number.isInteger(scale) || scale < 0) throw new RangeError(`scale must be a non-negative integer, got ${scale}`);
	if (!Number.isInteger(workerCount) || workerCount < 2 || workerCount > 32) throw new RangeError(`workers must be an integer from 2 to 32, got ${workerCount}`);
	const specs = withSnapshotSeconds(scale === 0 ? defaultConnectorSpecs() : scaledConnectorSpecs(scale, seed), options.snapshotSeconds);
	const faults = new FaultBoard(workerCount);
	for (const spec of options.faults ?? []) faults.set(spec);
	const counts = {rest: 0, writes: 0, lists: 0, scrapes: 0, prometheus: 0};
	let prometheusUpstream = options.prometheusUpstream;
	let prometheusProxy: Endpoint | undefined;
	const prometheusHeld = new HeldResponses();
	const sinkSwitches = (options.sinks ?? []).map(text => {
		const parsed = parseSinkSwitch(text);
		if (!specs.some(spec => spec.name === parsed.connector && spec.type === 'sink')) throw new SinkSwitchError(`bad sink switch "${text}": no sink connector named ${parsed.connector}`);
		return parsed;
	});

	// Ports first: on one host the advertised worker ids are the REST ports themselves.
	const handlers: Array<{rest: Handler; metrics: Handler} | undefined> = [];
	const rest: Endpoint[] = [];
	const metrics: Endpoint[] = [];
	const held = Array.from({length: workerCount}, () => new HeldResponses());
	const unready: Handler = (_req, res) => {
		res.writeHead(503);
		res.end();
	};
	try {
		for (let index = 0; index < workerCount; index++) {
			const host = bindAddress(topology, index);
			const restServer = createServer({keepAliveTimeout: 5000}, (req, res) => (handlers[index]?.rest ?? unready)(req, res));
			const metricsServer = createServer({keepAliveTimeout: 5000}, (req, res) => (handlers[index]?.metrics ?? unready)(req, res));
			rest.push({server: restServer, host, port: await listen(restServer, host, options.restPorts?.[index] ?? 0)});
			metrics.push({server: metricsServer, host, port: await listen(metricsServer, host, options.metricsPorts?.[index] ?? 0)});
		}
	} catch (error) {
		await Promise.all([...rest, ...metrics].map(endpoint => closeServer(endpoint.server)));
		throw error;
	}

	const identities = rest.map((endpoint, index) => workerIdentity(topology, index, endpoint.port));
	const cluster = new SimCluster({
		specs,
		workerHosts: identities.map(identity => identity.host),
		workerIds: identities.map(identity => identity.id),
		placements: defaultPlacements,
		seed,
		scenario: options.scenario ?? 'default',
		startMs: clock.now(),
		...(options.connectVersion === undefined ? {} : {connectVersion: options.connectVersion}),
	});
	for (const {connector, mode} of sinkSwitches) cluster.setSinkMode(connector, mode);
	const sync = (): void => cluster.advanceTo(clock.now());
	const cache = new ExpositionCache(cluster, seed, options.rules);
	const respond = createRestResponder({cluster, sync, seed});

	let closed = false;
	const pending = new Set<Promise<unknown>>();
	const track = (promise: Promise<unknown>): void => {
		const settled = promise.catch(() => undefined).finally(() => pending.delete(settled));
		pending.add(settled);
	};

	/** Opens or closes each port as the workers' lives and the faults say. */
	const reconcilePorts = (): void => {
		if (closed) return;
		if (prometheusProxy) {
			const open = faults.prometheus()?.kind !== 'down';
			if (open && !prometheusProxy.server.listening) track(listen(prometheusProxy.server, prometheusProxy.host, prometheusProxy.port));
			else if (!open && prometheusProxy.server.listening) track(closeServer(prometheusProxy.server));
		}
		for (const worker of cluster.workers) {
			const wanted: Array<[Endpoint | undefined, boolean]> = [
				[rest[worker.index], worker.alive],
				[metrics[worker.index], worker.alive && faults.scrape(worker.index) !== 'down'],
			];
			for (const [endpoint, open] of wanted) {
				if (!endpoint) continue;
				if (open && !endpoint.server.listening) track(listen(endpoint.server, endpoint.host, endpoint.port));
				else if (!open && endpoint.server.listening) track(closeServer(endpoint.server));
			}
		}
	};

	/** Workers this switchboard killed (a worker the scenario killed is the scenario's to revive). */
	const killedByFault = new Set<number>();
	const applyFaults = (): void => {
		for (const worker of cluster.workers) {
			const fault = faults.worker(worker.index);
			// Like Connect within scheduled.rebalance.max.delay.ms (5 min by default): a killed
			// worker's work stays UNASSIGNED on it, and it takes that work back when it returns.
			if (fault === 'killed' && worker.alive) {
				killedByFault.add(worker.index);
				cluster.killWorker(worker.index);
			} else if (fault !== 'killed' && killedByFault.has(worker.index)) {
				killedByFault.delete(worker.index);
				cluster.reviveWorker(worker.index);
				cluster.restoreAssignments(worker.index);
			}
			if (fault !== 'hung' && faults.rest(worker.index)?.kind !== 'hang') held[worker.index]?.release();
		}
		reconcilePorts();
	};
	cluster.onWorkerChanged(() => reconcilePorts());
	faults.onChanged(applyFaults);

	/** A request that reached a worker which died while the simulation caught up is dropped like a crashed JVM would. */
	const reachable = (index: number, req: IncomingMessage, res: ServerResponse): boolean => {
		sync();
		req.resume();
		if (!cluster.workers[index]?.alive) {
			req.socket.destroy();
			return false;
		}
		if (faults.worker(index) === 'hung') {
			held[index]?.hold(res);
			return false;
		}
		return true;
	};
	for (const worker of cluster.workers) {
		const index = worker.index;
		const metricsHandler = createMetricsHandler({cache, index, sync});
		handlers[index] = {
			rest(req, res) {
				if (!reachable(index, req, res)) return;
				const method = req.method ?? 'GET';
				const url = requestUrl(req);
				counts.rest += 1;
				if (method !== 'GET' && method !== 'HEAD') counts.writes += 1;
				else if (url.pathname === '/connectors') counts.lists += 1;
				const fault = faults.rest(index);
				const heldHere = held[index];
				if (fault && heldHere) answerWithRestFault(fault, () => respond(method, url), res, heldHere);
				else sendReply(res, respond(method, url));
			},
			metrics(req, res) {
				if (!reachable(index, req, res)) return;
				counts.scrapes += 1;
				const scrapeFault = faults.scrapeFault(index);
				if (scrapeFault?.kind === 'garbage') sendReply(res, {status: 200, contentType: 'text/plain; version=0.0.4; charset=utf-8', body: garbageExposition});
				// The exporter's own clock, behind by the skew, stamps every sample (the wall clock: it is what Prometheus compares with).
				else if (scrapeFault?.kind === 'skew') sendReply(res, {status: 200, contentType: expositionContentType, body: withSampleTimestamps(cache.text(index), Date.now() - scrapeFault.delayMs)});
				else metricsHandler(req, res);
			},
		};
	}
	applyFaults();

	const workers: DemoWorker[] = cluster.workers.map(worker => ({
		id: worker.id,
		restUrl: `http://${rest[worker.index]?.host ?? ''}:${rest[worker.index]?.port ?? 0}`,
		metricsUrl: `http://${metrics[worker.index]?.host ?? ''}:${metrics[worker.index]?.port ?? 0}/metrics`,
	}));

	const settle = async (): Promise<void> => {
		sync();
		while (pending.size > 0) await Promise.all([...pending]);
	};

	if (options.prometheusProxyPort !== undefined) {
		const server = createPrometheusProxyServer({
			upstream: () => prometheusUpstream,
			fault: () => faults.prometheus(),
			// `partial`: the series of worker 1 are missing.
			partialLabelValues: () => (workers[0] === undefined ? new Set<string>() : partialLabelValues({index: 0, id: workers[0].id, metricsHost: new URL(workers[0].metricsUrl).host}, cluster.connectors)),
			held: prometheusHeld,
			counted: () => {
				counts.prometheus += 1;
			},
		});
		try {
			prometheusProxy = {server, host: '127.0.0.1', port: await listen(server, '127.0.0.1', options.prometheusProxyPort)};
		} catch (error) {
			await Promise.all([...rest, ...metrics].map(endpoint => closeServer(endpoint.server)));
			throw error;
		}
		reconcilePorts();
	}

	let control: Endpoint | undefined;
	if (options.controlPort !== undefined) {
		const controlClock = isControlled(clock) ? clock : undefined;
		if (!controlClock) throw new RangeError('a control endpoint needs a clock it can move (clock.ts: createSteppedClock or createOffsetClock)');
		const server = createServer(
			{keepAliveTimeout: 5000},
			createControlHandler({
				faults,
				clock: controlClock,
				startMs: cluster.startMs,
				settle,
				requestCounts: () => ({...counts}),
				setPrometheusUpstream: url => {
					prometheusUpstream = url;
				},
			}),
		);
		try {
			control = {server, host: '127.0.0.1', port: await listen(server, '127.0.0.1', options.controlPort)};
		} catch (error) {
			await Promise.all([...rest, ...metrics, ...(prometheusProxy ? [prometheusProxy] : [])].map(endpoint => closeServer(endpoint.server)));
			throw error;
		}
	}

	return {
		restUrls: workers.map(worker => worker.restUrl),
		metricsUrls: workers.map(worker => worker.metricsUrl),
		workers,
		cluster,
		faults,
		controlUrl: control === undefined ? undefined : `http://${control.host}:${control.port}`,
		sync: settle,
		heldRequests: () => held.reduce((sum, heldHere) => sum + heldHere.size, 0),
		prometheusUrl: prometheusProxy === undefined ? undefined : `http://${prometheusProxy.host}:${prometheusProxy.port}`,
		setPrometheusUpstream(url) {
			prometheusUpstream = url;
		},
		requestCounts: () => ({...counts}),
		async close() {
			closed = true;
			for (const heldHere of held) heldHere.close();
			prometheusHeld.close();
			while (pending.size > 0) await Promise.all([...pending]);
			await Promise.all([...rest, ...metrics, ...(control ? [control] : []), ...(prometheusProxy ? [prometheusProxy] : [])].map(endpoint => closeServer(endpoint.server)));
		},
	};
}

function isControlled(clock: Clock): clock is ControlledClock {
	return 'advance' in clock && 'set' in clock && 'mode' in clock;
}
