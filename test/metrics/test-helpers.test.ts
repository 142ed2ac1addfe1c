import {createServer} from 'node:net';
import {describe, expect, it} from 'vitest';
import {getFreePort} from '../helpers/free-port.js';
import {startPrometheus} from '../helpers/prometheus.js';

describe('test helpers', () => {
	it('getFreePort gives a loopback port that can be listened on', async () => {
		const port = await getFreePort();
		expect(Number.isInteger(port) && port > 0 && port < 65_536).toBe(true);
		const server = createServer();
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(port, '127.0.0.1', resolve);
		});
		await new Promise<void>((resolve) => server.close(() => resolve()));
	});

	it('startPrometheus says how to install Prometheus when the binary is missing', async () => {
		await expect(startPrometheus({binary: '/nonexistent/prometheus', scrapeTargets: []})).rejects.toThrow(
			"no Prometheus binary at /nonexistent/prometheus: install Debian's prometheus package (apt-get install prometheus)",
		);
	});
});
