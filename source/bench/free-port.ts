import {createServer} from 'node:net';

/** A TCP port that was free on 127.0.0.1 a moment ago (listen on 0, read the port, close). */
export async function getFreePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.unref();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			if (address === null || typeof address === 'string') {
				server.close();
				reject(new Error('could not read the port of a loopback listener'));
				return;
			}

			const {port} = address;
			server.close((error) => {
				if (error) {
					reject(error);
				} else {
					resolve(port);
				}
			});
		});
	});
}
