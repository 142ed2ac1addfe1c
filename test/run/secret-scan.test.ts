import {randomBytes} from 'node:crypto';
import {mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import {connectorsExpandedSchema} from '../../source/clients/connect/schemas.js';
import {forgetSecrets} from '../../source/clients/secrets.js';
import {resolveConfig, type RawFlags} from '../../source/config/config.js';
import {run} from '../../source/run.js';
import {cli, node, requireBuild, runCli} from '../e2e/stack.js';
import {capture, healthyAnswer, restFixture, startFakeConnect, type FakeConnect, type FakeRequest} from '../helpers/fake-connect.js';
import {getFreePort} from '../helpers/free-port.js';
import {keys, startPty} from '../helpers/pty.js';

/**
 * One unique secret planted everywhere a user or a cluster can put one: connector config
 * values (by key, inside a JDBC URL, inside a JAAS line), a stack trace, the user info of
 * --connect and --prometheus URLs, --password, --token, --header and --prometheus-header,
 * and error bodies that echo the request's Authorization header. Every output mode runs:
 * the one-shot modes through run() with a fresh secret registry each (--once table, -o json,
 * check, check -o json, error paths), the built CLI as a process for flag errors and --help,
 * and the live view in a pseudo-terminal (config tab, tasks tab, help, an action answered
 * by an error that quotes the credentials) with its journal file and its audit log. The secret, its URL-encoded form and the base64 basic-auth form must appear in none.
 */

const secret = `Zq9PLANTED${randomBytes(6).toString('hex')}`;
const forms = [secret, encodeURIComponent(secret), Buffer.from(`app:${secret}`).toString('base64')];

const config = {
	'database.password': secret,
	'connection.url': `jdbc:postgresql://app:${secret}@db:5432/orders`,
	'producer.override.sasl.jaas.config': `org.apache.kafka.common.security.plain.PlainLoginModule required username="app" password="${secret}";`,
	'database.user': 'app',
	'ssl.truststore.password': '${file:/opt/secrets/connect.properties:truststore.password}',
};

function plantedConnectors(failed = true): string {
	const base = connectorsExpandedSchema.parse(JSON.parse(restFixture('rest-connectors-expand-info-status-datagen-6-tasks-2-workers.json')));
	const planted: Record<string, unknown> = {};
	for (const [name, entry] of Object.entries(base)) {
		const {info, status} = entry;
		planted[name] = {
			info: info === undefined ? undefined : {...info, config: {...info.config, ...config}},
			status:
				status === undefined
					? undefined
					: {
							...status,
							tasks: status.tasks.map(task =>
								task.id === 0 && failed
									? {...task, state: 'FAILED', trace: `org.postgresql.util.PSQLException: FATAL: password authentication failed for user "app" (password ${secret}) at jdbc:postgresql://app:${secret}@db:5432/orders\n\tat org.postgresql.Driver.connect(Driver.java:1)`}
									: task,
							),
						},
		};
	}
	return JSON.stringify(planted);
}

let healthy: FakeConnect;
let echoing: FakeConnect;
/** Healthy at first, then task 0 fails: a change, so the TUI's journal writes an event with the trace. */
let flipping: FakeConnect;
let stateHome: string;
let closedPort: number;

/** A proxy page and a 401 that quote what they were sent: the Authorization header and the request line. */
function echo(request: FakeRequest): {status: number; body: string; contentType: string} {
	const seen = `${request.method} ${request.path} Authorization: ${String(request.headers.authorization)} X-Api-Key: ${String(request.headers['x-api-key'])}`;
	if (request.path === '/') return {status: 401, body: `Unauthorized: ${seen}`, contentType: 'text/plain'};
	return {status: 502, body: `<html><head><title>502 Bad Gateway ${seen}</title></head><body>${seen}</body></html>`, contentType: 'text/html'};
}

beforeAll(async () => {
	requireBuild();
	const connectors = plantedConnectors();
	healthy = await startFakeConnect(request => healthyAnswer(request, connectors));
	echoing = await startFakeConnect(echo);
	const before = plantedConnectors(false);
	let listings = 0;
	flipping = await startFakeConnect(request => {
		// An action answered by a proxy page that quotes the credentials it was sent: its text reaches the footer and the audit log.
		if (request.method !== 'GET') return {status: 500, body: JSON.stringify({error_code: 500, message: `upstream refused ${request.method} ${request.path} Authorization: ${String(request.headers.authorization)} X-Api-Key: ${String(request.headers['x-api-key'])}`})};
		if (!request.path.startsWith('/connectors')) return undefined;
		listings += 1;
		return healthyAnswer(request, listings === 1 ? before : connectors);
	});
	stateHome = mkdtempSync(join(tmpdir(), 'kctop-state-'));
	closedPort = await getFreePort();
});

afterAll(async () => {
	await healthy?.close();
	await echoing?.close();
	await flipping?.close();
	rmSync(stateHome, {recursive: true, force: true});
});

const withUserInfo = (url: string): string => url.replace('http://', `http://app:${secret}@`);

function expectNoSecret(label: string, text: string): void {
	for (const form of forms) expect(text.includes(form), `${label} contains the secret (${form === secret ? 'plain' : 'encoded'})`).toBe(false);
}

interface Case {
	readonly label: string;
	readonly flags: () => RawFlags;
	readonly command?: 'check';
	readonly env?: Record<string, string>;
	/** What the output must show, to prove the planted path was exercised. */
	readonly shows: RegExp;
}

/** The one-shot modes, in-process through run() (what cli.tsx calls) with a fresh secret registry each time. */
const cases: readonly Case[] = [
	{label: '--once table, --user/--password, --header, URL user info', flags: () => ({once: true, connect: withUserInfo(healthy.url), user: 'app', password: secret, header: [`X-Api-Key: ${secret}`], prometheus: 'none'}), shows: /source-datagen-01/},
	{label: '-o json, --token', flags: () => ({output: 'json', connect: healthy.url, token: secret, prometheus: 'none'}), shows: /"database\.password": "\*{8}"[\s\S]*"ssl\.truststore\.password": "\$\{file:/},
	{label: '-o markdown (incident report), --token, URL user info', flags: () => ({output: 'markdown', connect: withUserInfo(healthy.url), token: secret, prometheus: 'none'}), shows: /^# kctop incident report/m},
	{label: 'check, Authorization header', command: 'check', flags: () => ({connect: healthy.url, header: [`Authorization: Bearer ${secret}`], prometheus: 'none'}), shows: /CRITICAL source-datagen-01/},
	{label: 'check -o json, URL user info', command: 'check', flags: () => ({output: 'json', connect: withUserInfo(healthy.url), prometheus: 'none'}), shows: /"status": "CRITICAL"/},
	{label: '--once against a 401 and a 502 page that echo the credentials', flags: () => ({once: true, connect: echoing.url, user: 'app', password: secret, header: [`X-Api-Key: ${secret}`], prometheus: 'none'}), shows: /502 Bad Gateway/},
	{label: 'check against an echoing proxy, bearer token', command: 'check', flags: () => ({connect: echoing.url, token: secret, prometheus: 'none'}), shows: /^UNKNOWN: Kafka Connect REST unreachable: 502 Bad Gateway/},
	{label: '-o json against an echoing proxy, URL user info', flags: () => ({output: 'json', connect: withUserInfo(echoing.url), prometheus: 'none'}), shows: /Bad Gateway/},
	{label: 'refused connections with credentials in both URLs', flags: () => ({once: true, connect: withUserInfo(`http://127.0.0.1:${closedPort}`), prometheus: withUserInfo(`http://127.0.0.1:${closedPort}`), prometheusHeader: [`Authorization: Bearer ${secret}`]}), shows: /connection refused/},
	{label: 'Prometheus credentials from the environment, Prometheus refused', flags: () => ({once: true, connect: healthy.url, prometheus: `http://127.0.0.1:${closedPort}`}), env: {KCTOP_PROMETHEUS_USER: 'app', KCTOP_PROMETHEUS_PASSWORD: secret}, shows: /Prometheus unavailable/},
	{label: 'direct scrape with credentials in the URL, endpoint refused', flags: () => ({once: true, connect: healthy.url, scrape: withUserInfo(`http://127.0.0.1:${closedPort}/metrics`), prometheusHeader: [`X-Api-Key: ${secret}`]}), shows: /connection refused/},
	{label: 'a body over --max-body', flags: () => ({once: true, connect: healthy.url, user: 'app', password: secret, maxBody: '1KB', prometheus: 'none'}), shows: /larger than 1 KB/},
];

/** Mistakes cli.tsx reports before run(): the built CLI as a process. */
const cliCases: ReadonlyArray<{readonly label: string; readonly args: readonly string[]; readonly env?: Record<string, string>; readonly shows: RegExp}> = [
	{label: 'a mistyped flag with the secret as its value', args: [`--pasword=${secret}`], shows: /unknown flag "--pasword"/},
	{label: 'a malformed --header', args: ['--once', '--header', `Authorization Bearer ${secret}`], shows: /--header: expected "Name: value"/},
	{label: 'a --connect URL that is not one', args: ['--once', '--connect', `http://app:${secret}@bad host:8083`], shows: /not an http\(s\) URL/},
	{label: '--help with secrets in the environment', args: ['--help'], env: {KCTOP_CONNECT_PASSWORD: secret, KCTOP_CONNECT_TOKEN: secret, KCTOP_CONNECT_HEADERS: `X-Api-Key: ${secret}`}, shows: /--password/},
];

describe('no planted secret in any output', () => {
	beforeEach(() => forgetSecrets());

	for (const each of cases) {
		it(each.label, async () => {
			const config = resolveConfig(each.flags(), {env: {LANG: 'C.UTF-8', ...each.env}, stdoutIsTTY: false, ...(each.command === undefined ? {} : {command: each.command})});
			const stdout = capture(160);
			const stderr = capture();
			await run(config, {stdout, stderr, stdin: process.stdin});
			expect(`${stdout.text()}\n${stderr.text()}`).toMatch(each.shows);
			expectNoSecret(`${each.label}: stdout`, stdout.text());
			expectNoSecret(`${each.label}: stderr`, stderr.text());
		});
	}

	for (const each of cliCases) {
		it(each.label, async () => {
			const result = await runCli(each.args, each.env);
			const output = `${result.stdout}\n${result.stderr}`;
			expect(output).toMatch(each.shows);
			expect(output).not.toMatch(/\n\s+at .*\.js:\d+/); // no stack trace
			expectNoSecret(`${each.label}: stdout`, result.stdout);
			expectNoSecret(`${each.label}: stderr`, result.stderr);
		}, 60_000);
	}

	it('the credentials were really sent (so the scan means something)', () => {
		const sent = [...healthy.requests, ...echoing.requests].map(request => `${String(request.headers.authorization)} ${String(request.headers['x-api-key'])}`).join('\n');
		expect(sent).toContain(`Bearer ${secret}`);
		expect(sent).toContain(Buffer.from(`app:${secret}`).toString('base64'));
	});

	it('the TUI: grid, detail overview, the tasks tab with the trace, the config tab, help, an action, the journal file and the audit log', async () => {
		const session = startPty(node, [cli, '--connect', withUserInfo(flipping.url), '--user', 'app', '--password', secret, '--header', `X-Api-Key: ${secret}`, '--prometheus', withUserInfo(`http://127.0.0.1:${closedPort}`), '--interval', '1s'], {columns: 200, rows: 50, env: {XDG_STATE_HOME: stateHome}});
		try {
			await session.waitFor(text => text.includes('source-datagen-01'), 60_000);
			await session.waitFor(text => text.includes('failed tasks 1'), 30_000);
			session.write(keys.enter);
			await session.waitFor(text => text.includes('1 task FAILED'));
			session.write('2');
			const tasksTab = await session.waitFor(text => text.includes('PSQLException'));
			expect(tasksTab).toContain('password ********');
			session.write('3');
			const configTab = await session.waitFor(text => text.includes('database.password'));
			expect(configTab).toMatch(/database\.password\s+= \*{8}/);
			expect(configTab).toMatch(/connection\.url\s+= jdbc:postgresql:\/\/app:\*{8}@db/);
			expect(configTab).toContain('${file:/opt/secrets/connect.properties:truststore.password}');
			session.write('?');
			await session.waitFor(text => /help/i.test(text));
			session.write('?');
			await session.waitFor(text => text.includes('database.password'));
			// An action (restart failed): its answer quotes the credentials.
			session.write('r');
			await session.waitFor(text => text.includes('Confirm:') && text.includes('n cancel') && !text.includes('waiting for the keyboard'));
			session.write('y');
			await session.waitFor(text => /restart failed .*500 Internal Server Error/.test(text));
			session.write(keys.ctrlC);
			expect((await session.exited).exitCode).toBe(0);
			expectNoSecret('TUI output', session.raw());
			const journals = readdirSync(join(stateHome, 'kctop')).filter(name => name.startsWith('journal-'));
			expect(journals).toHaveLength(1);
			const journal = readFileSync(join(stateHome, 'kctop', journals[0] ?? ''), 'utf8');
			expect(journal).toContain('PSQLException');
			expectNoSecret('journal file', journal);
			const audit = readFileSync(join(stateHome, 'kctop', 'audit.log'), 'utf8');
			expect(audit).toContain('"event":"sent"');
			// The error text made it to the log, with the credentials it quoted masked.
			expect(audit).toMatch(/500 Internal Server Error: upstream refused POST .*Authorization: Basic \*{8}.*X-Api-Key: \*{8}/);
			expect(audit).toContain(`"connect":["${flipping.url}/"]`);
			expectNoSecret('audit log', audit);
		} finally {
			session.kill();
		}
	}, 90_000);
});
