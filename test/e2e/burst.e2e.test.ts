import {createServer, request, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {keys, startPty, type PtySession} from '../helpers/pty.js';
import {cli, node, requireBuild, startDemoServer} from './stack.js';

/**
 * The safety rule of the confirmation dialog, in a real terminal: keys that arrive in one
 * burst (a paste into the wrong pane, type-ahead over a slow SSH link) never confirm an
 * action. kctop talks to the simulator through a recording proxy, so the test sees every
 * write the cluster would have received. The simulator runs its steady scenario: nothing
 * in this test depends on the wall clock or on how fast the machine is.
 */

interface Recorded {
	readonly method: string;
	readonly path: string;
	readonly status: number;
}

let demo: Awaited<ReturnType<typeof startDemoServer>>;
let proxy: Server;
let proxyUrl: string;
const writes: Recorded[] = [];
let pty: PtySession | undefined;

/** The task the proxy reports FAILED, so that "restart failed" has something to restart. */
const failedTask = {connector: 'jdbc-sink-orders', task: 1};

/** Marks one task FAILED (with a trace) in the expanded connector list, as a real cluster in trouble would. */
function withFailedTask(body: string): string {
	const parsed: unknown = JSON.parse(body);
	if (typeof parsed !== 'object' || parsed === null) return body;
	const entry: unknown = Reflect.get(parsed, failedTask.connector);
	const status: unknown = typeof entry === 'object' && entry !== null ? Reflect.get(entry, 'status') : undefined;
	const tasks: unknown = typeof status === 'object' && status !== null ? Reflect.get(status, 'tasks') : undefined;
	if (!Array.isArray(tasks)) return body;
	for (const task of tasks) {
		if (typeof task === 'object' && task !== null && Reflect.get(task, 'id') === failedTask.task) {
			Reflect.set(task, 'state', 'FAILED');
			Reflect.set(task, 'trace', 'org.apache.kafka.connect.errors.ConnectException: Exiting WorkerSinkTask due to unrecoverable exception.\n\tat org.apache.kafka.connect.runtime.WorkerSinkTask.deliverMessages(WorkerSinkTask.java:611)');
		}
	}
	return JSON.stringify(parsed);
}

/** Forwards to the simulator, records every write, and injects the FAILED task into the connector list. */
function startProxy(target: URL): Promise<Server> {
	const server = createServer((incoming, outgoing) => {
		const upstream = request({host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers: {...incoming.headers, 'accept-encoding': 'identity'}}, answer => {
			if (incoming.method !== 'GET') writes.push({method: incoming.method ?? '?', path: incoming.url ?? '?', status: answer.statusCode ?? 0});
			if (incoming.method !== 'GET' || !(incoming.url ?? '').startsWith('/connectors?') || answer.statusCode !== 200) {
				outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
				answer.pipe(outgoing);
				return;
			}
			const chunks: Buffer[] = [];
			answer.on('data', (chunk: Buffer) => chunks.push(chunk));
			answer.on('end', () => {
				const body = withFailedTask(Buffer.concat(chunks).toString('utf8'));
				outgoing.writeHead(200, {'content-type': 'application/json', 'content-length': Buffer.byteLength(body)});
				outgoing.end(body);
			});
		});
		upstream.on('error', () => {
			outgoing.writeHead(502);
			outgoing.end();
		});
		incoming.pipe(upstream);
	});
	return new Promise(resolve => server.listen(0, '127.0.0.1', () => resolve(server)));
}

beforeAll(async () => {
	requireBuild();
	demo = await startDemoServer(['--seed', '1', '--scenario', 'steady']);
	const first = demo.info.restUrls[0];
	if (first === undefined) throw new Error('the demo server reported no REST URL');
	proxy = await startProxy(new URL(first));
	proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
	pty?.kill();
	await new Promise<void>(resolve => (proxy === undefined ? resolve() : proxy.close(() => resolve())));
	await demo?.stop();
});

const pasted = (text: string): string => `\u001B[200~${text}\u001B[201~`;
/** The dialog shows its keys only once it is armed: waiting for them waits for the dialog, not for a time. */
const armed = (text: string): boolean => text.includes('Confirm') && text.includes('n cancel') && !text.includes('waiting for the keyboard');
const closed = (text: string): boolean => !text.includes('Confirm:');

/** Opens a dialog with one key, waits until it is armed, then confirms it with single presses. */
async function confirmByHand(session: PtySession, key: string, how: 'y' | 'tab-enter', outcome: RegExp): Promise<void> {
	session.write(key);
	await session.waitFor(armed);
	if (how === 'y') {
		session.write('y');
	} else {
		session.write(keys.tab);
		await session.waitFor(text => text.includes('[> OK <]'));
		session.write(keys.enter);
	}
	await session.waitFor(outcome);
}

describe('bursts and pastes never confirm an action (real terminal, recording proxy)', () => {
	it('sends nothing for happy, ry, Ry, sy, a paste, or a burst into an armed dialog; single keys still work', async () => {
		pty = startPty(node, [cli, '--connect', proxyUrl, '--prometheus', 'none', '--interval', '1s'], {columns: 140, rows: 40});
		const session = pty;
		await session.waitFor(text => text.includes('cdc-test-connector') && /jdbc-sink-orders .*1\/2/.test(text), 30_000);
		// Failures first: the connector with the FAILED task is on row 1, where the keys act.
		expect(session.screen().find(line => line.includes('row 1/'))).toBeDefined();
		expect(session.screen().findIndex(line => line.startsWith('jdbc-sink-orders'))).toBeLessThan(session.screen().findIndex(line => line.startsWith('cdc-test-connector')));

		// `happy` in the grid: the p opens a pause dialog, the rest of the burst is dropped.
		session.write('happy');
		let screen = await session.waitFor(text => text.includes('Confirm: pause'));
		expect(screen).toMatch(/ignored \d+ keys? typed before the dialog was ready/);
		await session.waitFor(armed);
		session.write(keys.escape);
		await session.waitFor(closed);

		// `ry` and `Ry` in the grid.
		for (const burst of ['ry', 'Ry']) {
			session.write(burst);
			await session.waitFor(text => text.includes('Confirm: restart'));
			await session.waitFor(armed);
			session.write(keys.escape);
			await session.waitFor(closed);
		}

		// A bracketed paste of a connector name in the grid is ignored with a notice.
		session.write(pasted('jdbc-sink-orders\r'));
		await session.waitFor(text => text.includes('paste ignored outside a prompt'));
		expect(session.screenText()).not.toContain('Confirm:');

		// A burst into an armed dialog: Tab and Enter in one read do not press OK.
		session.write('p');
		await session.waitFor(armed);
		session.write('\t\r');
		screen = await session.waitFor(text => /ignored \d+ keys?/.test(text));
		expect(screen).toContain('Confirm: pause');
		// A paste into the dialog does not confirm either.
		await session.waitFor(armed);
		session.write(pasted('y\r'));
		await session.waitFor(text => /ignored \d+ keys?/.test(text) && text.includes('Confirm: pause'));
		await session.waitFor(armed);
		session.write(keys.escape);
		await session.waitFor(closed);

		// `sy` in a detail view.
		session.write(keys.enter);
		await session.waitFor(text => text.includes('1 Overview'));
		session.write('sy');
		await session.waitFor(text => text.includes('Confirm: stop'));
		await session.waitFor(armed);
		session.write(keys.escape);
		await session.waitFor(closed);

		expect(writes).toEqual([]);

		// The same actions, one key at a time after the dialog is shown, still work.
		// Stop (deliberate) in the detail view: Tab to OK, then Enter.
		await confirmByHand(session, 's', 'tab-enter', /stop .*: 20\d/);
		// Resume with y.
		await confirmByHand(session, 'u', 'y', /resume .*: 20\d/);
		session.write(keys.escape);
		await session.waitFor(text => text.includes('row '));
		// Restart failed with y, pause with Tab and Enter, in the grid.
		await confirmByHand(session, 'r', 'y', /restart failed .*jdbc-sink-orders: 20\d/);
		await confirmByHand(session, 'p', 'tab-enter', /pause .*: 20\d/);

		expect(writes.map(write => write.method)).toEqual(['PUT', 'PUT', 'POST', 'PUT']);
		expect(writes.map(write => write.path.replace(/^\/connectors\/[^/]+/, ''))).toEqual(['/stop', '/resume', '/restart?includeTasks=true&onlyFailed=true', '/pause']);
		expect(writes.every(write => write.status >= 200 && write.status < 300)).toBe(true);

		session.write(keys.ctrlC);
		const exit = await session.exited;
		expect(exit.exitCode).toBe(0);
	}, 120_000);
});
