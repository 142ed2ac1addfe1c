import {afterEach, describe, expect, it} from 'vitest';
import {z} from 'zod';
import {resolveConfig, type RawFlags} from '../../source/config/config.js';
import {run} from '../../source/run.js';
import {capture, fakeClock, restFixture, startFakeConnect, type FakeConnect, type FakeHandler} from '../helpers/fake-connect.js';
import {getFreePort} from '../helpers/free-port.js';

/**
 * The one-shot modes (--once, -o json, check) end to end in-process: real clients against
 * a loopback Connect that answers as each test decides, and a fake clock, so a 30 s
 * rebalance wait takes no time.
 */

const rebalance = {status: 409, body: restFixture('rest-error-409-rebalance-conflicting-operation.json')};
const servers: FakeConnect[] = [];

afterEach(async () => {
	for (const server of servers.splice(0)) await server.close();
});

async function connect(handler: FakeHandler): Promise<FakeConnect> {
	const server = await startFakeConnect(handler);
	servers.push(server);
	return server;
}

async function oneShot(flags: RawFlags, command?: 'check'): Promise<{code: number; stdout: string; stderr: string; sleeps: readonly number[]}> {
	const config = resolveConfig({prometheus: 'none', ...flags}, {env: {LANG: 'C.UTF-8'}, stdoutIsTTY: false, ...(command === undefined ? {} : {command})});
	const stdout = capture(160);
	const stderr = capture();
	const clock = fakeClock();
	const code = await run(config, {stdout, stderr, stdin: process.stdin}, {clock});
	return {code, stdout: stdout.text(), stderr: stderr.text(), sleeps: clock.sleeps};
}

/** 409 for the first `count` connector listings, then the recorded healthy answer. */
const rebalancingFor = (count: number): FakeHandler => {
	let seen = 0;
	return request => {
		if (!request.path.startsWith('/connectors')) return undefined;
		seen += 1;
		return seen <= count ? rebalance : undefined;
	};
};

describe('a rebalance in the one-shot modes', () => {
	it('--once asks again while Connect answers 409 and then prints the cluster', async () => {
		const server = await connect(rebalancingFor(3));
		const result = await oneShot({connect: server.url, once: true});
		expect(result.code).toBe(0);
		expect(result.stdout).toContain('source-datagen-01');
		expect(result.sleeps).toEqual([1000, 1000, 1000]);
		expect(result.stderr).toBe('');
	});

	it('check is OK after a short rebalance', async () => {
		const server = await connect(rebalancingFor(2));
		const result = await oneShot({connect: server.url}, 'check');
		expect(result.stdout).toMatch(/^OK: 1 connector, /);
		expect(result.code).toBe(0);
	});

	it('check says WARN "rebalance in progress for 30 s" (exit 1), not CRIT, when the rebalance outlasts --rebalance-wait', async () => {
		const server = await connect(rebalancingFor(Number.POSITIVE_INFINITY));
		const result = await oneShot({connect: server.url}, 'check');
		expect(result.code).toBe(1);
		const lines = result.stdout.trimEnd().split('\n');
		expect(lines[0]).toBe('WARNING: rebalance in progress for 30 s');
		expect(lines[1]).toBe('WARNING Kafka Connect: rebalance in progress for 30 s: 409 Conflict: Cannot complete request because of a conflicting operation (e.g. worker rebalance)');
		expect(result.stdout).not.toContain('CRIT');
		expect(result.sleeps.reduce((sum, ms) => sum + ms, 0)).toBe(30_000);
		expect(result.sleeps).toHaveLength(30);
	});

	it('check -o json gives the same verdict as data', async () => {
		const server = await connect(rebalancingFor(Number.POSITIVE_INFINITY));
		const result = await oneShot({connect: server.url, output: 'json', rebalanceWait: '5s'}, 'check');
		expect(result.code).toBe(1);
		const verdict: unknown = JSON.parse(result.stdout);
		expect(verdict).toMatchObject({status: 'WARNING', exitCode: 1, findings: [{status: 'WARNING', text: expect.stringMatching(/^rebalance in progress for 5 s: 409 Conflict/)}]});
	});

	it('--once reports a rebalance that outlasts the wait as such, without the "start the stack" hint', async () => {
		const server = await connect(rebalancingFor(Number.POSITIVE_INFINITY));
		const result = await oneShot({connect: server.url, once: true, rebalanceWait: '3s'});
		expect(result.code).toBe(1);
		expect(result.stderr).toBe('kctop: Kafka Connect: rebalance in progress for 3 s (it answers 409 Conflict; --rebalance-wait 3s); try again shortly\n');
		expect(result.sleeps).toEqual([1000, 1000, 1000]);
	});

	it('--rebalance-wait 0 does not wait', async () => {
		const server = await connect(rebalancingFor(Number.POSITIVE_INFINITY));
		const result = await oneShot({connect: server.url, rebalanceWait: '0'}, 'check');
		expect(result.code).toBe(1);
		expect(result.sleeps).toEqual([]);
	});

	it('does not retry other errors', async () => {
		const server = await connect(request => (request.path.startsWith('/connectors') ? {status: 500, body: restFixture('rest-error-500-expand-status-info-missing-plugin-class.json')} : undefined));
		const result = await oneShot({connect: server.url}, 'check');
		// Nagios: Connect unreachable is UNKNOWN (3), and a 500 is not retried as a rebalance.
		expect(result.code).toBe(3);
		expect(result.sleeps).toEqual([]);
		expect(result.stdout).toContain('UNKNOWN: Kafka Connect REST unreachable: 500 Internal Server Error');
	});
});

describe('failover and messages in the one-shot modes', () => {
	it('moves on to the next --connect URL when the first refuses the connection', async () => {
		const server = await connect(() => undefined);
		const closed = `http://127.0.0.1:${await getFreePort()}`;
		const result = await oneShot({connect: `${closed},${server.url}`, output: 'json'});
		expect(result.code).toBe(0);
		const snapshot: unknown = JSON.parse(result.stdout);
		expect(snapshot).toMatchObject({rest: {everSucceeded: true, endpoint: server.url}});
		expect(result.stderr).toBe('');
	});

	it('says "nothing answers on localhost" only when nothing answered', async () => {
		const closed = `http://127.0.0.1:${await getFreePort()}`;
		const refused = await oneShot({connect: closed, once: true});
		expect(refused.code).toBe(1);
		expect(refused.stderr).toContain('kctop: Kafka Connect did not answer: connection refused');
		expect(refused.stderr).toContain('nothing answers on localhost');

		const server = await connect(request => (request.path === '/' ? undefined : {status: 401, body: 'Unauthorized', contentType: 'text/plain'}));
		const answered = await oneShot({connect: server.url, once: true});
		expect(answered.code).toBe(1);
		expect(answered.stderr).toContain('kctop: Kafka Connect did not answer: 401 Unauthorized');
		expect(answered.stderr).not.toContain('nothing answers');
		expect(answered.stderr).toContain('refused the credentials');
	});

	it('names a failed metrics source and why in one line of at most 80 columns, without the PromQL', async () => {
		const server = await connect(() => undefined);
		const prometheus = `http://127.0.0.1:${await getFreePort()}`;
		const result = await oneShot({connect: server.url, prometheus, once: true});
		expect(result.code).toBe(0);
		const lines = result.stderr.trimEnd().split('\n');
		expect(lines).toHaveLength(1);
		expect(lines[0]).toMatch(/^kctop: Prometheus unavailable: connection refused/);
		expect(lines[0]?.length).toBeLessThanOrEqual(80);
		expect(result.stderr + result.stdout).not.toMatch(/query=|%7B|kafka_connect_/);
	});

	it('says loudly on stderr that --insecure turns TLS verification off', async () => {
		const server = await connect(() => undefined);
		const result = await oneShot({connect: server.url, once: true, insecure: true});
		expect(result.code).toBe(0);
		expect(result.stderr).toBe('kctop: WARNING: --insecure: TLS certificates are NOT verified; anyone on the network path can read and change this traffic, credentials included\n');
		const verified = await oneShot({connect: server.url, once: true});
		expect(verified.stderr).toBe('');
	});

});

describe('hostile names in every one-shot format', () => {
	const hostile = 'evil\u001B[2J\u009B31m\u202Egnp.exe\u0007';
	const expanded = (): string => {
		const base: unknown = JSON.parse(restFixture('rest-connectors-expand-info-status-datagen-6-tasks-2-workers.json'));
		const entry = z.record(z.string(), z.object({info: z.looseObject({name: z.string()}), status: z.looseObject({name: z.string()})})).parse(base)['source-datagen-01'];
		if (entry === undefined) throw new Error('fixture changed');
		return JSON.stringify({[hostile]: {info: {...entry.info, name: hostile}, status: {...entry.status, name: hostile, connector: {state: 'FAILED', worker_id: 'foobar3:8083'}}}});
	};

	it('the table, the Markdown report and check show the bytes visibly; JSON keeps the exact name with every dangerous character escaped', async () => {
		const server = await connect(request => (request.path.startsWith('/connectors') ? {status: 200, body: expanded()} : undefined));
		const table = await oneShot({connect: server.url, once: true});
		expect(table.stdout).toContain('evil␛[2J⟨U+009B⟩31m⟨U+202E⟩gnp.exe␇');
		const check = await oneShot({connect: server.url}, 'check');
		expect(check.stdout).toContain('CRITICAL evil␛[2J⟨U+009B⟩31m⟨U+202E⟩gnp.exe␇');
		const json = await oneShot({connect: server.url, output: 'json'});
		const markdown = await oneShot({connect: server.url, output: 'markdown'});
		expect(markdown.stdout).toContain('evil␛[2J⟨U+009B⟩31m⟨U+202E⟩gnp.exe␇');
		for (const output of [table.stdout, check.stdout, json.stdout, markdown.stdout]) expect(output).not.toMatch(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u202A-\u202E]/);
		expect(json.stdout).toContain('"name": "evil\\u001b[2J\\u009b31m\\u202egnp.exe\\u0007"');
		const parsed = z.object({connectors: z.array(z.object({name: z.string()}))}).parse(JSON.parse(json.stdout));
		expect(parsed.connectors.map(row => row.name)).toEqual([hostile]);
	});
});
