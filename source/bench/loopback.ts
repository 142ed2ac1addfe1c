import type {Server} from 'node:http';

/** Listens on a free 127.0.0.1 port and resolves with it. */
export function listenOnLoopback(server: Server, what: string): Promise<number> {
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			if (address === null || typeof address === 'string') reject(new Error(`${what} has no TCP address`));
			else resolve(address.port);
		});
	});
}

/** Stops listening and drops open connections, kept-alive ones included. */
export function closeServer(server: Server): Promise<void> {
	return new Promise(resolve => {
		server.close(() => resolve());
		server.closeAllConnections();
	});
}
