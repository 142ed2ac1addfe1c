import {createServer, request, type Server} from 'node:http';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {keys, startPty, type PtySession} from '../helpers/pty.js';
import {cli, node, requireBuild, startDemoServer} from './stack.js';

/**
 * The first screen at 80×24, in a real pseudo-terminal: kctop against the simulator's REST
 * API through a switchable proxy. The proxy forwards, answers 409 Conflict as Connect does
 * during a rebalance, or drops every connection, so each state is switched on by the test,
 * never waited for on the scenario's wall clock.
 */

type Mode = 'forward' | 'conflict' | 'gone';

interface SwitchProxy {
	readonly url: string;
	mode: Mode;
	close(): Promise<void>;
}

async function startSwitchProxy(upstream: string): Promise<SwitchProxy> {
	const target = new URL(upstream);
	const state: {mode: Mode} = {mode: 'forward'};
	const server: Server = createServer((incoming, outgoing) => {
		if (state.mode === 'gone') {
			incoming.socket.destroy();
			return;
		}
		if (state.mode === 'conflict') {
			// Connect's own body for a request that arrives during a rebalance.
			outgoing.writeHead(409, {'content-type': 'application/json'});
			outgoing.end(JSON.stringify({error_code: 409, message: 'Cannot complete request momentarily due to stale configuration (typically caused by a concurrent config change)'}));
			return;
		}
		const forwarded = request({host: target.hostname, port: target.port, path: incoming.url, method: incoming.method, headers: {...incoming.headers, host: target.host}}, answer => {
			outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
			answer.pipe(outgoing);
		});
		forwarded.on('error', () => incoming.socket.destroy());
		incoming.pipe(forwarded);
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	const address = server.address();
	if (address === null || typeof address === 'string') throw new Error('the proxy has no TCP address');
	const {port} = address;
	return {
		url: `http://127.0.0.1:${port}`,
		get mode() {
			return state.mode;
		},
		set mode(mode: Mode) {
			state.mode = mode;
		},
		close: () =>
			new Promise<void>(resolve => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}

const headerOf = (screen: string): string => screen.split('\n').slice(0, 4).join('\n');

let demo: Awaited<ReturnType<typeof startDemoServer>> | undefined;
let proxy: SwitchProxy | undefined;
let pty: PtySession | undefined;

beforeAll(async () => {
	requireBuild();
	demo = await startDemoServer(['--seed', '1']);
	proxy = await startSwitchProxy(demo.info.restUrls[0] ?? '');
}, 60_000);

afterAll(async () => {
	pty?.kill();
	await proxy?.close();
	await demo?.stop();
});

describe('the first screen at 80×24', () => {
	it('shows FROZEN, REBALANCING and the stale marker in the header while each is on', async () => {
		const connect = proxy;
		if (connect === undefined) throw new Error('no proxy');
		pty = startPty(node, [cli, '--connect', connect.url, '--prometheus', 'none', '--interval', '200ms', '--timeout', '1s'], {columns: 80, rows: 24});
		const session = pty;
		let screen = await session.waitFor(text => text.includes('jdbc-sink-orders') && text.includes('workers'), 30_000);
		expect(screen.split('\n')).toHaveLength(24);

		// Freeze by key: the marker is on the first line, whole.
		session.write('f');
		screen = await session.waitFor(text => headerOf(text).includes('FROZEN'));
		expect(screen.split('\n')[0]).toMatch(/FROZEN/);
		session.write('f');
		await session.waitFor(text => !headerOf(text).includes('FROZEN'));

		// Connect answers 409 Conflict: REBALANCING on the first line and the stale banner.
		connect.mode = 'conflict';
		screen = await session.waitFor(text => headerOf(text).includes('REBALANCING') && /REST stale/.test(headerOf(text)));
		expect(screen.split('\n')[0]).toContain('REBALANCING');
		expect(headerOf(screen)).toMatch(/⚠ REST stale \d+s: 409 Conflict.* — showing the last good data/);
		// The grid still shows the last good data.
		expect(screen).toContain('jdbc-sink-orders');

		// The rebalance ends: the markers go.
		connect.mode = 'forward';
		await session.waitFor(text => /REST ok/.test(headerOf(text)) && !headerOf(text).includes('REBALANCING'), 20_000);

		// Connect goes away: stale, and not taken for a rebalance.
		connect.mode = 'gone';
		screen = await session.waitFor(text => /⚠ REST stale \d+s/.test(headerOf(text)), 20_000);
		expect(headerOf(screen)).not.toContain('REBALANCING');
		expect(headerOf(screen)).toMatch(/— showing the last good data/);

		// Frozen while stale: both markers at once on 80 columns.
		session.write('f');
		screen = await session.waitFor(text => headerOf(text).includes('FROZEN'));
		expect(headerOf(screen)).toMatch(/REST stale/);

		session.write(keys.ctrlC);
		expect((await session.exited).exitCode).toBe(0);
	}, 90_000);
});
