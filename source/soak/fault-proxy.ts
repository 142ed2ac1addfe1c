import {createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import type {AddressInfo, Socket} from 'node:net';

/**
 * A fault-injecting HTTP proxy in front of one upstream (a simulated worker's REST API or
 * its exporter endpoint). With no fault it forwards every request unchanged; with a fault
 * switched on it answers the way a broken cluster or a broken proxy does. The soak script
 * switches faults from outside, so the simulator itself needs no fault switchboard.
 */

export const faultKinds = [
	'conflict-409', // a rebalance: 409 with Connect's JSON error body
	'html-500', // a proxy's 500 page
	'hang', // headers never come: the client's timeout must fire
	'garbage', // 200 with random bytes
	'truncated', // 200 with the upstream body cut in half
	'reset', // the connection is destroyed without an answer
] as const;

export type FaultKind = (typeof faultKinds)[number];

export interface FaultProxy {
	readonly url: string;
	/** undefined: forward unchanged. */
	setFault(fault: FaultKind | undefined): void;
	/** Arrival times (ms since the epoch) of requests, oldest first, bounded. */
	readonly arrivals: () => readonly number[];
	/** Requests seen since start. */
	readonly requestCount: () => number;
	close(): Promise<void>;
}

const maxArrivals = 10_000;

export async function startFaultProxy(upstream: string, random: () => number): Promise<FaultProxy> {
	const target = new URL(upstream);
	let fault: FaultKind | undefined;
	let count = 0;
	const arrivals: number[] = [];
	const sockets = new Set<Socket>();
	const hung = new Set<ServerResponse>();

	const forward = (req: IncomingMessage, res: ServerResponse, transform?: (body: Buffer) => Buffer): void => {
		const upstreamRequest = httpRequest(
			{
				host: target.hostname,
				port: target.port,
				method: req.method,
				path: req.url,
				headers: {...req.headers, host: target.host},
			},
			upstreamResponse => {
				const chunks: Buffer[] = [];
				upstreamResponse.on('data', (chunk: Buffer) => chunks.push(chunk));
				upstreamResponse.on('end', () => {
					const body = transform === undefined ? Buffer.concat(chunks) : transform(Buffer.concat(chunks));
					const headers = {...upstreamResponse.headers, 'content-length': String(body.length)};
					delete headers['transfer-encoding'];
					res.writeHead(upstreamResponse.statusCode ?? 502, headers);
					res.end(body);
				});
				upstreamResponse.on('error', () => res.destroy());
			},
		);
		upstreamRequest.on('error', () => {
			if (!res.headersSent) res.writeHead(502, {'content-type': 'text/plain'});
			res.end('bad gateway');
		});
		req.pipe(upstreamRequest);
	};

	const server: Server = createServer((req, res) => {
		count++;
		arrivals.push(Date.now());
		if (arrivals.length > maxArrivals) arrivals.splice(0, arrivals.length - maxArrivals);
		switch (fault) {
			case undefined:
				forward(req, res);
				return;
			case 'conflict-409':
				req.resume();
				res.writeHead(409, {'content-type': 'application/json'});
				res.end(JSON.stringify({error_code: 409, message: 'Cannot complete request momentarily due to stale configuration (typically caused by a concurrent config change)'}));
				return;
			case 'html-500':
				req.resume();
				res.writeHead(500, {'content-type': 'text/html'});
				res.end('<html><head><title>500 Internal Server Error</title></head><body><center><h1>500 Internal Server Error</h1></center><hr><center>nginx</center></body></html>\n');
				return;
			case 'hang':
				req.resume();
				hung.add(res);
				res.on('close', () => hung.delete(res));
				return;
			case 'garbage': {
				req.resume();
				const bytes = Buffer.alloc(64 + Math.floor(random() * 4096));
				for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(random() * 256);
				res.writeHead(200, {'content-type': 'application/json'});
				res.end(bytes);
				return;
			}
			case 'truncated':
				forward(req, res, body => body.subarray(0, Math.floor(body.length * random())));
				return;
			case 'reset':
				req.socket.destroy();
				return;
		}
	});
	server.on('connection', socket => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve());
	});
	const {port} = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}${target.pathname === '/' ? '' : target.pathname}`,
		setFault(next) {
			fault = next;
			if (next !== 'hang') {
				// Held requests end with the fault: as a hung worker that comes back would.
				for (const res of hung) res.destroy();
				hung.clear();
			}
		},
		arrivals: () => arrivals,
		requestCount: () => count,
		async close() {
			for (const socket of sockets) socket.destroy();
			await new Promise<void>(resolve => server.close(() => resolve()));
		},
	};
}
