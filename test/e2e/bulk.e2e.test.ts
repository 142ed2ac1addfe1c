import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {createServer, request, type Server, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {z} from 'zod';
import {keys, startPty, type PtySession} from '../helpers/pty.js';
import {cli, node, requireBuild, setFaults, startDemoServer} from './stack.js';

/**
 * Marks and bulk actions in a real terminal against the simulator playing Connect 2.4.1
 * (before 3.0: "restart failed" is one POST per FAILED task), through a recording proxy
 * that sees every write the cluster receives. Then the no-double-send rule twice: a write
 * the worker applied but whose answer never came back (the proxy holds it), and a write
 * the worker held unanswered (the simulator's `rest:hang` fault). Each time kctop says
 * "unknown: may have been applied", sends nothing again by itself, and reads the next
 * status; asking again takes a deliberate confirmation. The audit log records it all.
 * The simulator's clock is manual: nothing here depends on the machine's speed.
 */

interface Recorded {
	readonly method: string;
	readonly path: string;
	status: number | undefined;
}

let demo: Awaited<ReturnType<typeof startDemoServer>>;
let proxy: Server;
let proxyUrl: string;
let stateHome: string;
const writes: Recorded[] = [];
/** While set, writes are forwarded (and applied) but their answers are kept from kctop. */
let holdAnswers = false;
const held = new Set<ServerResponse>();
let pty: PtySession | undefined;

function startProxy(target: URL): Promise<Server> {
	const server = createServer((incoming, outgoing) => {
		const write = incoming.method !== 'GET';
		// Recorded as it arrives: a write the worker never answers still counts.
		const record: Recorded | undefined = write ? {method: incoming.method ?? '?', path: incoming.url ?? '?', status: undefined} : undefined;
		if (record !== undefined) writes.push(record);
		const hold = write && holdAnswers;
		if (hold) held.add(outgoing);
		const upstream = request({host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers: incoming.headers}, answer => {
			if (record !== undefined) record.status = answer.statusCode;
			if (hold) {
				answer.resume();
				return;
			}
			outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
			answer.pipe(outgoing);
		});
		// A worker that drops the connection (a cleared rest:hang) is a 502 for kctop, unless kctop is being kept waiting.
		upstream.on('error', () => (outgoing.headersSent || hold ? undefined : outgoing.writeHead(502).end()));
		incoming.pipe(upstream);
	});
	return new Promise(resolve => server.listen({port: 0, host: '127.0.0.1'}, () => resolve(server)));
}

beforeAll(async () => {
	requireBuild();
	// Seed 9 at scale 40: four generated connectors start with a FAILED task and stay so until restarted.
	demo = await startDemoServer(['--seed', '9', '--scale', '40', '--clock', 'manual', '--control-port', '0', '--connect-version', '2.4.1']);
	const [worker1] = demo.info.restUrls;
	proxy = await startProxy(new URL(worker1 ?? 'http://demo-server-reported-no-rest-url.invalid'));
	proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
	stateHome = mkdtempSync(join(tmpdir(), 'kctop-bulk-'));
}, 60_000);

afterAll(async () => {
	pty?.kill();
	for (const response of held) response.destroy();
	await new Promise<void>(resolve => (proxy === undefined ? resolve() : proxy.close(() => resolve())));
	await demo?.stop();
	if (stateHome !== undefined) rmSync(stateHome, {recursive: true, force: true});
});

const armed = (text: string): boolean => text.includes('Confirm:') && text.includes('n cancel') && !text.includes('waiting for the keyboard');
/** Grid rows with a FAILED task, top to bottom: their connector names. */
function failingRows(session: PtySession): string[] {
	return session
		.screen()
		.map(line => /^(?:✓ )?(\S+)\s.*\s\d+\/\d+ \d+ FAILED/.exec(line)?.[1])
		.filter((name): name is string => name !== undefined);
}
/** The FAILED task ids of a connector, as the simulator reports them. */
async function failedTasks(name: string): Promise<number[]> {
	const status = z.object({tasks: z.array(z.object({id: z.number(), state: z.string()}))}).parse(await (await fetch(`${demo.info.restUrls[0] ?? ''}/connectors/${name}/status`)).json());
	return status.tasks.filter(task => task.state === 'FAILED').map(task => task.id);
}
const writesTo = (name: string): Recorded[] => writes.filter(write => write.path.startsWith(`/connectors/${name}/`));

const auditLine = z.object({time: z.string(), event: z.enum(['sent', 'verified']), user: z.string(), cluster: z.object({context: z.string().nullable(), connect: z.array(z.string())}), action: z.string()}).passthrough();
const sentLine = auditLine.extend({connectors: z.array(z.string()), calls: z.array(z.object({connector: z.string(), method: z.string(), path: z.string(), status: z.number().nullable(), result: z.string()})), outcome: z.string()});
function auditLines(): Array<z.infer<typeof auditLine>> {
	return readFileSync(join(stateHome, 'kctop', 'audit.log'), 'utf8')
		.trim()
		.split('\n')
		.map(line => auditLine.parse(JSON.parse(line)));
}

describe('bulk actions on Connect 2.4, each call sent once (real terminal, recording proxy)', () => {
	it('marks two connectors, restarts their FAILED tasks once each, never re-sends after a timeout, and audits it all', async () => {
		// The default 5 s timeout: shorter ones fail ordinary answers on a loaded machine.
		pty = startPty(node, [cli, '--connect', proxyUrl, '--prometheus', 'none', '--interval', '2s'], {columns: 170, rows: 50, env: {XDG_STATE_HOME: stateHome}});
		const session = pty;
		await session.waitFor(() => failingRows(session).length === 4, 60_000);
		const [first = '', second = '', third = '', fourth = ''] = failingRows(session);
		const planned = [...(await failedTasks(first)).map(task => `/connectors/${first}/tasks/${task}/restart`), ...(await failedTasks(second)).map(task => `/connectors/${second}/tasks/${task}/restart`)];

		// Mark rows 1 and 2 (failures first), restart failed: one POST per FAILED task, listed, sent once.
		session.write(keys.space);
		await session.waitFor(text => text.includes('1 marked'));
		session.write('j');
		session.write(keys.space);
		await session.waitFor(text => text.includes('2 marked'));
		expect(session.screen().filter(line => line.startsWith('✓ ')).map(line => line.split(/\s+/)[1])).toEqual([first, second]);
		session.write('r');
		const dialog = await session.waitFor(armed);
		expect(dialog).toContain('Confirm: restart failed on 2 connectors');
		expect(dialog).toContain('restart?onlyFailed needs 3.0');
		for (const path of planned) expect(dialog).toContain(`POST ${path}`);
		session.write('y');
		await session.waitFor(/restart failed on 2 connectors: 2 applied .* 2 confirmed/, 30_000);
		expect(writes.map(write => `${write.method} ${write.path} ${String(write.status)}`)).toEqual(planned.map(path => `POST ${path} 204`));

		// ctrl-space (NUL from the terminal) clears the marks.
		session.write('\u0000');
		await session.waitFor(text => text.includes('cleared 2 marks'));
		expect(session.screenText()).not.toContain('2 marked');

		// 1. The worker applies the restart, but its answer never reaches kctop.
		holdAnswers = true;
		session.write('g');
		await session.waitFor(() => failingRows(session)[0] === third);
		session.write('r');
		await session.waitFor(armed);
		session.write('y');
		// A loaded machine is slow to draw: the waits below allow for the 5 s timeout and then some.
		const slow = 45_000;
		await session.waitFor(new RegExp(`restart failed .*${third}: unknown: may have been applied \\(timed out after`), slow);
		await session.waitFor(/the status shows it applied: task \d+ RUNNING/, slow);
		holdAnswers = false;
		for (const response of held) response.destroy();
		expect(writesTo(third).map(write => `${write.method} ${write.status}`)).toEqual(['POST 204']);

		// 2. The worker holds the request and never answers (simulator fault rest:hang): not applied.
		await setFaults(demo.info, {set: ['rest:hang']});
		session.write('g');
		await session.waitFor(() => failingRows(session)[0] === fourth);
		session.write('r');
		await session.waitFor(armed);
		session.write('y');
		await session.waitFor(new RegExp(`${fourth}: unknown: may have been applied`), slow);
		await setFaults(demo.info, {clear: 'all'});
		await session.waitFor(/checking the status: waiting for RUNNING/, slow);
		expect(writesTo(fourth)).toHaveLength(1);
		expect(await failedTasks(fourth)).not.toEqual([]);
		// Asking again: the dialog says the last one may have landed; y does not send it.
		session.write('r');
		const again = await session.waitFor(armed);
		expect(again).toMatch(/timed out and may have been applied/);
		session.write('y');
		await session.waitFor(/asking again needs Tab to OK, then Enter/);
		expect(writesTo(fourth)).toHaveLength(1);
		session.write(keys.tab);
		await session.waitFor(text => text.includes('[> OK <]'));
		session.write(keys.enter);
		await session.waitFor(new RegExp(`restart failed .*${fourth}: 204`), slow);
		// One write per confirmation: the first (held, never applied), the deliberate second.
		expect(writesTo(fourth)).toHaveLength(2);
		expect(await failedTasks(fourth)).toEqual([]);

		session.write(keys.ctrlC);
		expect((await session.exited).exitCode).toBe(0);

		// The audit log: every batch with its calls and statuses, then what the status showed.
		const lines = auditLines();
		const sent = lines.filter(line => line.event === 'sent').map(line => sentLine.parse(line));
		expect(sent.map(line => line.connectors)).toEqual([[first, second], [third], [fourth], [fourth]]);
		expect(sent[0]?.calls.map(call => `${call.method} ${call.path} ${String(call.status)} ${call.result}`)).toEqual(planned.map(path => `POST ${path} 204 ok`));
		expect(sent[1]?.calls.map(call => call.result)).toEqual(['unknown']);
		expect(sent[1]?.outcome).toMatch(/^unknown: may have been applied/);
		expect(sent[2]?.calls.map(call => `${call.status} ${call.result}`)).toEqual(['null unknown']);
		expect(sent[3]?.calls.map(call => `${call.status} ${call.result}`)).toEqual(['204 ok']);
		for (const line of lines) {
			expect(line.cluster).toEqual({context: null, connect: [proxyUrl]});
			expect(Number.isNaN(Date.parse(line.time))).toBe(false);
			expect(line.time.endsWith('Z')).toBe(true);
			expect(line.user).not.toBe('');
		}
		const verified = lines.filter(line => line.event === 'verified');
		expect(verified.map(line => line['connector'])).toEqual(expect.arrayContaining([first, second, third]));
		expect(verified.find(line => line['connector'] === third)?.['text']).toMatch(/^the status shows it applied/);
	}, 300_000);
});
