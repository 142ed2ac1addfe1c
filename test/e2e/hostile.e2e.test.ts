import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startFakeConnect, restFixture, type FakeConnect, type FakeRequest, type FakeAnswer} from '../helpers/fake-connect.js';
import {keys, startPty, type PtySession} from '../helpers/pty.js';
import {cli, node} from './stack.js';

/**
 * Every server string kctop shows is chosen by whoever can create a connector. A Connect
 * worker that answers with escape sequences everywhere (connector names, worker ids, task
 * traces, config values, topics, offsets) is read by the built kctop in a real terminal, and
 * every view is visited: the grid, the workers, failures and events views, help, each detail
 * tab, a trace, and the incident report file. What the process wrote to the terminal must
 * contain none of the planted sequences, only their visible forms.
 */

const esc = '\u001B';
/** Each would do something to a terminal: set the title, write the clipboard, ask for a report, leave the alternate screen, reverse text, ring. */
const planted = {
	title: `${esc}]0;PWNED${'\u0007'}`,
	clipboard: `${esc}]52;c;UFdORUQ=${'\u0007'}`,
	dcs: `${esc}P+q544e${esc}\\`,
	c1Csi: '\u009B6n',
	report: `${esc}[6n`,
	leaveAlt: `${esc}[?1049l`,
	rtl: '\u202E',
} as const;

const name = `evil${planted.title}name`;
const sink = `sink${planted.rtl}gnp.exe${planted.c1Csi}`;
const worker = `w${esc}[31m1:8083`;
const trace = [
	`org.apache.kafka.connect.errors.ConnectException: boom${planted.clipboard}`,
	'\tat org.apache.kafka.connect.runtime.WorkerTask.doRun(WorkerTask.java:195)',
	`Caused by: java.sql.SQLException: Access denied for user 'x${planted.dcs}'@'10.0.0.1'`,
	'\t... 1 more',
].join('\n');

function expandBody(): string {
	const connector = (connectorName: string, type: 'source' | 'sink', state: string, taskState: string) => ({
		info: {
			name: connectorName,
			type,
			config: {
				'connector.class': `io.debezium.connector.mysql.MySqlConnector${planted.leaveAlt}`,
				'database.password': 'hunter2-never-shown',
				'topic.prefix': `cdc${planted.report}`,
				'transforms.x.note': `value${planted.title}`,
			},
			tasks: [{connector: connectorName, task: 0}],
		},
		status: {
			name: connectorName,
			type,
			connector: {state, worker_id: worker},
			tasks: [{id: 0, state: taskState, worker_id: worker, ...(taskState === 'FAILED' ? {trace} : {})}],
		},
	});
	return JSON.stringify({[name]: connector(name, 'source', 'RUNNING', 'FAILED'), [sink]: connector(sink, 'sink', `PAUSED`, 'PAUSED')});
}

function answer(request: FakeRequest): FakeAnswer | undefined {
	const path = request.path;
	if (path === '/') return {status: 200, body: restFixture('rest-root-cp-7.9.0-ccs-full-commit-sha.json')};
	if (path.startsWith('/connectors?')) return {status: 200, body: expandBody()};
	if (path.endsWith('/topics')) return {status: 200, body: JSON.stringify({[name]: {topics: [`orders${planted.title}`, `t${planted.dcs}`]}})};
	if (path.endsWith('/offsets')) return {status: 200, body: JSON.stringify({offsets: [{partition: {server: `cdc${planted.clipboard}`}, offset: {file: `binlog${planted.report}.000003`, pos: 4}}]})};
	if (path.endsWith('/config')) return {status: 200, body: JSON.stringify({'connector.class': 'x', name})};
	return {status: 404, body: `{"error_code":404,"message":"HTTP 404 Not Found${planted.title}"}`};
}

let server: FakeConnect;
let pty: PtySession | undefined;
let directory: string;

beforeAll(async () => {
	server = await startFakeConnect(answer);
	directory = mkdtempSync(join(tmpdir(), 'kctop-hostile-'));
});

afterAll(async () => {
	pty?.kill();
	await server?.close();
	rmSync(directory, {recursive: true, force: true});
});

/** Which planted sequences reached the terminal (or a file) as they are. */
function leaked(text: string): string[] {
	return Object.entries(planted)
		.filter(([, sequence]) => text.includes(sequence))
		.map(([kind]) => kind);
}

describe('a hostile Connect worker, every view, a real terminal', () => {
	it('never lets a planted sequence through, in any view or the report, and shows each one visibly', async () => {
		pty = startPty(node, [cli, '--connect', server.url, '--prometheus', 'none', '--interval', '1s'], {columns: 120, rows: 32, cwd: directory, env: {XDG_STATE_HOME: join(directory, 'state')}});
		const session = pty;
		const visited: string[] = [];
		const visit = async (label: string, input: readonly string[], shows: RegExp): Promise<string> => {
			for (const each of input) session.write(each);
			const screen = await session.waitFor(shows, 20_000);
			visited.push(label);
			expect(leaked(session.raw()), `after ${label}`).toEqual([]);
			return screen;
		};

		// The grid: the names are there, their control characters shown as pictures and code points.
		let screen = await visit('grid', [], /evil␛\]0;PWNED␇name/);
		expect(screen).toContain('sink⟨U+202E⟩gnp.exe⟨U+009B⟩6n');
		// The worker id is shown with its escape visible, never as a plain `w1:8083`.
		screen = await visit('workers view', [':workers', keys.enter], /w␛\[31m1:8083/);
		expect(screen).not.toMatch(/\bw1:8083/);
		await visit('failures view', [':failures', keys.enter], /SQLException|Access denied/);
		await visit('failure members', [keys.enter], /evil␛\]0;PWNED␇name/);
		await visit('events view', [':events', keys.enter], /Events/);
		await visit('help', ['?'], /Help  keys of every view/);
		// An escape is sent on its own and its effect awaited: with the next key in the same read it would be Alt+key.
		session.write(keys.escape);
		await session.waitFor(text => !text.includes('keys of every view'));
		await visit('grid again', [':connectors', keys.enter], /evil␛\]0;PWNED␇name/);
		// The failed connector sorts first: open it and walk its tabs.
		await visit('overview', [keys.enter], /1 Overview/);
		await visit('tasks tab', ['2'], /ROOT CAUSE/);
		screen = await visit('trace', [keys.enter], /^Trace .*lines 1-4 of 4/m);
		expect(screen).toContain('ConnectException: boom␛]52;c;UFdORUQ=␇');
		session.write(keys.escape);
		await session.waitFor(text => text.includes('ROOT CAUSE') && !/^Trace /m.test(text));
		screen = await visit('config tab', ['3'], /transforms\.x\.note/);
		expect(screen).not.toContain('hunter2-never-shown');
		await visit('topics tab', ['4'], /orders␛\]0;PWNED␇/);
		await visit('offsets tab', ['5'], /binlog␛\[6n\.000003/);
		await visit('charts tab', ['6'], /6 Charts/);
		session.write(keys.escape);
		await session.waitFor(text => !text.includes('6 Charts'));

		// The incident report: its file holds no planted sequence and no secret either.
		screen = await visit('report', ['P'], /report written to \S+\.md/);
		const path = /report written to (\S+\.md)/.exec(screen.replaceAll('\n', ''))?.[1];
		expect(path).toBeDefined();
		const report = readFileSync(path ?? '', 'utf8');
		expect(leaked(report)).toEqual([]);
		expect(report).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E]/);
		expect(report).toContain('evil␛]0;PWNED␇name');
		expect(report).not.toContain('hunter2-never-shown');

		session.write('q');
		const exit = await session.exited;
		expect(exit.exitCode).toBe(0);
		// The alternate screen was left once, by kctop itself, at the very end.
		expect(session.raw().split(planted.leaveAlt)).toHaveLength(2);
		expect(session.raw().endsWith(planted.leaveAlt) || session.raw().lastIndexOf(planted.leaveAlt) > session.raw().length - 200).toBe(true);
		expect(session.raw()).not.toContain('hunter2-never-shown');
	}, 120_000);
});

describe('a 1 MB trace and a 10,000-key config in a real terminal', () => {
	const frames = Array.from({length: 20_000}, (_, index) => `\tat com.example.generated.Frame${index}.call(Frame${index}.java:${index + 1})`);
	const bigTrace = ['org.apache.kafka.connect.errors.ConnectException: outer', ...frames, 'Caused by: java.lang.IllegalStateException: the deepest cause', '\t... 20000 more'].join('\n');
	const bigConfig: Record<string, string> = {'connector.class': 'org.apache.kafka.connect.file.FileStreamSinkConnector'};
	for (let index = 0; index < 10_000; index++) bigConfig[`key.${String(index).padStart(5, '0')}`] = `value-${index}`;
	const body = JSON.stringify({big: {info: {name: 'big', type: 'sink', config: bigConfig, tasks: [{connector: 'big', task: 0}]}, status: {name: 'big', type: 'sink', connector: {state: 'RUNNING', worker_id: 'w1:8083'}, tasks: [{id: 0, state: 'FAILED', worker_id: 'w1:8083', trace: bigTrace}]}}});

	it('opens, scrolls to the end of both and keeps refreshing', async () => {
		expect(bigTrace.length).toBeGreaterThan(1_000_000);
		const big = await startFakeConnect(request => (request.path.startsWith('/connectors?') ? {status: 200, body} : request.path === '/' ? undefined : {status: 404, body: '{"error_code":404,"message":"HTTP 404 Not Found"}'}));
		const session = startPty(node, [cli, '--connect', big.url, '--prometheus', 'none', '--interval', '1s'], {columns: 120, rows: 30, cwd: directory, env: {XDG_STATE_HOME: join(directory, 'state')}});
		try {
			await session.waitFor(/big\s+sink/, 30_000);
			session.write(keys.enter);
			await session.waitFor(/1 Overview/);
			session.write('2');
			// The root cause is found at the bottom of the trace.
			await session.waitFor(/IllegalStateException: the deepest cause/);
			session.write(keys.enter);
			await session.waitFor(/^Trace big task 0 FAILED\s+lines 1-\d+ of 20003/m);
			session.write('G');
			await session.waitFor(/Frame19999\.call/);
			const requestsInTrace = big.requests.length;
			// Polling goes on while the trace is open.
			await session.waitFor(() => big.requests.length >= requestsInTrace + 2, 30_000);
			session.write(keys.escape);
			await session.waitFor(text => text.includes('ROOT CAUSE') && !/^Trace /m.test(text));
			session.write('3');
			await session.waitFor(/key\.00000/);
			session.write('G');
			await session.waitFor(/key\.09999/);
			session.write('q');
			session.write('q');
			expect((await session.exited).exitCode).toBe(0);
		} finally {
			session.kill();
			await big.close();
		}
	}, 120_000);
});
