import {createServer} from 'node:http';
import {closeServer, listenOnLoopback} from './loopback.js';

/**
 * One exporter endpoint, captured once and served from memory. The simulator renders a
 * worker's exposition in 2–45 s at 1,009–10,009 connectors on a small shared machine (it is
 * a JMX-exporter model, not built for speed), which would make kctop's scrape refreshes and
 * Prometheus's scrapes measure the simulator. Replayed, every scrape costs the server only
 * the bytes; the values stay those of the moment of capture (the steady scenario moves
 * little anyway).
 */

export interface ReplayServer {
	/** host:port/metrics of the replay. */
	readonly url: string;
	readonly bodyBytes: number;
	close(): Promise<void>;
}

export async function startReplayServer(target: string, timeoutMs: number): Promise<ReplayServer> {
	const response = await fetch(target, {signal: AbortSignal.timeout(timeoutMs)});
	if (!response.ok) throw new Error(`capturing ${target}: HTTP ${response.status}`);
	const body = Buffer.from(await response.arrayBuffer());
	const contentType = response.headers.get('content-type') ?? 'text/plain; version=0.0.4; charset=utf-8';
	const server = createServer({keepAliveTimeout: 30_000}, (request, reply) => {
		request.resume();
		reply.writeHead(200, {'Content-Type': contentType, 'Content-Length': String(body.length)});
		reply.end(request.method === 'HEAD' ? undefined : body);
	});
	const port = await listenOnLoopback(server, 'the replay server');
	return {
		url: `http://127.0.0.1:${port}${new URL(target).pathname}`,
		bodyBytes: body.length,
		close: () => closeServer(server),
	};
}
