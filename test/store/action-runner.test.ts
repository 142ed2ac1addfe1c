import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {KctopError} from '../../source/clients/errors.js';
import {forgetSecrets, registerSecret} from '../../source/clients/secrets.js';
import {planBatch} from '../../source/model/action-plan.js';
import {createActionRunner, mayHaveLanded, type ActionApi, type ActionResultLike} from '../../source/store/action-runner.js';
import {auditPath, openAuditFile, sentEntry} from '../../source/store/audit-file.js';
import {describeError} from '../../source/store/store.js';
import {connectorFromStatus, makeConnector, makeSnapshot, makeTask} from '../helpers/snapshot-factory.js';

const replicator = connectorFromStatus('rest-status-replicator-10-tasks-mixed-failed-timeout.json');
const failedIds = replicator.tasks.filter(task => task.state === 'FAILED').map(task => task.id);
const sink = makeConnector({name: 'jdbc-sink', tasks: [makeTask({id: 0, state: 'FAILED'}), makeTask({id: 1})]});
const source = makeConnector({name: 'file-source', tasks: [makeTask({id: 0, state: 'FAILED'})]});
const rows = new Map([replicator, sink, source].map(row => [row.name, row]));
const batch = planBatch('restart-failed', [sink.name, replicator.name, source.name], name => rows.get(name), '2.4.1');

const ok: ActionResultLike = {status: 204, statusText: 'No Content'};
const timeout = new KctopError({kind: 'timeout', source: 'connect', message: 'timed out after 1 s (POST http://c1:8083/connectors/x/tasks/0/restart)'});
const reset = new KctopError({kind: 'connection', source: 'connect', message: 'connection reset (http://c1:8083)'});
const refused = new KctopError({kind: 'connection', source: 'connect', message: 'connection refused (http://c1:8083)'});
const conflict = new KctopError({kind: 'http', source: 'connect', status: 409, message: '409 Conflict: rebalance in progress'});

/** A Connect API that answers restarts with `answer(connector, task)` and records every call it got. */
function api(answer: (connector: string, task: number) => Promise<ActionResultLike>): {readonly api: ActionApi; readonly sent: string[]} {
	const sent: string[] = [];
	const refuse = async (): Promise<ActionResultLike> => {
		throw new Error('not expected');
	};
	return {
		sent,
		api: {
			pause: refuse,
			resume: refuse,
			stop: refuse,
			restartConnector: refuse,
			restartTask: async (name, task) => {
				sent.push(`${name}/${task}`);
				return answer(name, task);
			},
		},
	};
}

const runner = (fake: ActionApi) => createActionRunner({api: fake, clock: {now: () => 1_000}, readOnly: false, describeError});

describe('the action runner: every call at most once', () => {
	it('sends every per-task restart of every connector once, in order', async () => {
		const fake = api(async () => ok);
		const outcome = await runner(fake.api).runBatch(batch);
		expect(fake.sent).toEqual(['jdbc-sink/0', ...failedIds.map(id => `${replicator.name}/${id}`), 'file-source/0']);
		expect(outcome.ok).toBe(true);
		expect(outcome.items.map(item => item.result)).toEqual(['applied', 'applied', 'applied']);
		expect(outcome.message).toBe('3 applied');
		expect(outcome.items.flatMap(item => item.calls.map(call => call.status))).toEqual(Array.from({length: fake.sent.length}, () => 204));
	});

	it('a timeout is "unknown: may have been applied": never retried, and nothing after it is sent', async () => {
		const fake = api(async connector => {
			if (connector === replicator.name) throw timeout;
			return ok;
		});
		const outcome = await runner(fake.api).runBatch(batch);
		// The first replicator call timed out: it was sent once, and nothing after it.
		expect(fake.sent).toEqual(['jdbc-sink/0', `${replicator.name}/${failedIds[0]}`]);
		expect(outcome.items.map(item => item.result)).toEqual(['applied', 'unknown', 'not-sent']);
		const [, unknown, skipped] = outcome.items;
		expect(unknown?.message).toBe('unknown: may have been applied (timed out after 1 s)');
		expect(unknown?.calls.map(call => call.result)).toEqual(['unknown', ...failedIds.slice(1).map(() => 'not-sent')]);
		expect(skipped?.calls[0]?.text).toMatch(/^not sent: an earlier call \(POST \/connectors\/.+\) may have been applied/);
		expect(outcome.message).toBe('1 applied, 1 unknown (may have been applied), 1 not sent');
		expect(outcome.ok).toBe(false);
	});

	it('a reset after the request went out is unknown too; a refused connection or an HTTP error is a plain failure', () => {
		expect(mayHaveLanded(timeout)).toBe(true);
		expect(mayHaveLanded(reset)).toBe(true);
		expect(mayHaveLanded(new Error('socket hang up'))).toBe(true);
		expect(mayHaveLanded(refused)).toBe(false);
		expect(mayHaveLanded(conflict)).toBe(false);
		expect(mayHaveLanded(new KctopError({kind: 'connection', source: 'connect', message: 'all 3 Connect workers failed; last: connection refused (http://c3:8083)'}))).toBe(false);
	});

	it('an HTTP error skips the rest of that connector only; the others go ahead', async () => {
		const fake = api(async (connector, task) => {
			if (connector === replicator.name && task === failedIds[0]) throw conflict;
			return ok;
		});
		const outcome = await runner(fake.api).runBatch(batch);
		expect(fake.sent).toEqual(['jdbc-sink/0', `${replicator.name}/${failedIds[0]}`, 'file-source/0']);
		expect(outcome.items.map(item => item.result)).toEqual(['applied', 'failed', 'applied']);
		expect(outcome.items[1]?.message).toBe('409 Conflict: rebalance in progress');
	});

	it('refuses a second batch while one is in flight', async () => {
		let open: () => void = () => undefined;
		const gate = new Promise<void>(resolve => (open = resolve));
		const fake = api(async () => {
			await gate;
			return ok;
		});
		const run = runner(fake.api);
		const first = run.runBatch(batch);
		const second = await run.runBatch(batch);
		expect(second.items.every(item => item.result === 'not-sent')).toBe(true);
		expect(second.message).toBe('not sent: another action is still waiting for its answer');
		open();
		expect((await first).ok).toBe(true);
		expect(fake.sent).toEqual(['jdbc-sink/0', ...failedIds.map(id => `${replicator.name}/${id}`), 'file-source/0']);
	});

	it('after an unknown outcome, the next status says whether it was applied', async () => {
		const fake = api(async () => {
			throw timeout;
		});
		const single = planBatch('restart-failed', [source.name], name => rows.get(name), '2.4.1');
		const run = runner(fake.api);
		const outcome = await run.runBatch(single);
		expect(outcome.items[0]?.verification).toEqual({status: 'waiting', text: 'checking the status…'});
		const stillFailed = run.verifyBatch(outcome, makeSnapshot({connectors: [source], takenAt: 3_000}));
		expect(stillFailed?.items[0]?.verification).toEqual({status: 'waiting', text: 'checking the status: waiting for RUNNING…'});
		const running = makeConnector({name: 'file-source', tasks: [makeTask({id: 0, state: 'RUNNING'})]});
		const applied = run.verifyBatch(stillFailed, makeSnapshot({connectors: [running], takenAt: 4_000}));
		expect(applied?.items[0]?.verification).toEqual({status: 'confirmed', text: 'the status shows it applied: task 0 RUNNING after 3 s'});
		// Nothing new: the same object.
		expect(run.verifyBatch(applied, makeSnapshot({connectors: [running], takenAt: 5_000}))).toBe(applied);
		expect(fake.sent).toEqual(['file-source/0']);
	});
});

describe('the audit log', () => {
	let directory: string | undefined;
	afterEach(() => {
		forgetSecrets();
		if (directory !== undefined) rmSync(directory, {recursive: true, force: true});
	});

	it('appends one JSON line per batch and per verification, with user, cluster (no credentials), calls and outcome', async () => {
		directory = mkdtempSync(join(tmpdir(), 'kctop-audit-'));
		const secret = 'Zq9AuditSecret42';
		registerSecret(secret);
		const path = auditPath({XDG_STATE_HOME: directory});
		expect(path).toBe(join(directory, 'kctop', 'audit.log'));
		const audit = openAuditFile(path, {context: 'prod', connectUrls: [`http://admin:${secret}@c1:8083`, 'http://c2:8083']}, {user: 'oncall'});
		const fake = api(async connector => {
			if (connector === 'file-source') throw new KctopError({kind: 'timeout', source: 'connect', message: `timed out after 1 s (POST http://admin:${secret}@c1:8083/connectors/file-source/tasks/0/restart)`});
			return ok;
		});
		const outcome = await runner(fake.api).runBatch({...batch, refused: [{connector: 'gone', reason: 'no longer in the cluster'}]});
		audit.sent(outcome);
		const [, , unknown] = outcome.items;
		if (unknown === undefined) throw new Error('three items expected');
		audit.verified({...unknown, verification: {status: 'confirmed', text: 'the status shows it applied: task 0 RUNNING after 2 s'}}, 5_000);
		expect(audit.problem()).toBeUndefined();
		const text = readFileSync(path, 'utf8');
		expect(text).not.toContain(secret);
		const lines = text.trim().split('\n').map(line => JSON.parse(line) as Record<string, unknown>);
		expect(lines).toHaveLength(2);
		expect(lines[0]).toMatchObject({
			time: '1970-01-01T00:00:01.000Z',
			event: 'sent',
			user: 'oncall',
			cluster: {context: 'prod', connect: ['http://c1:8083/', 'http://c2:8083']},
			action: 'restart-failed',
			connectors: ['jdbc-sink', replicator.name, 'file-source', 'gone'],
			refused: [{connector: 'gone', reason: 'no longer in the cluster'}],
			ok: false,
		});
		const calls = lines[0]?.['calls'];
		expect(Array.isArray(calls) ? calls.length : 0).toBe(1 + failedIds.length + 1);
		expect(Array.isArray(calls) ? calls[0] : undefined).toEqual({connector: 'jdbc-sink', method: 'POST', path: '/connectors/jdbc-sink/tasks/0/restart', status: 204, result: 'ok', text: '204 No Content'});
		expect(Array.isArray(calls) ? calls.at(-1) : undefined).toMatchObject({connector: 'file-source', status: null, result: 'unknown', text: expect.stringContaining('timed out after 1 s')});
		expect(lines[1]).toEqual({time: '1970-01-01T00:00:05.000Z', event: 'verified', user: 'oncall', cluster: {context: 'prod', connect: ['http://c1:8083/', 'http://c2:8083']}, action: 'restart-failed', connector: 'file-source', sent: 'unknown', status: 'confirmed', text: 'the status shows it applied: task 0 RUNNING after 2 s'});
	});

	it('rotates past its size bound, and reports a file it cannot write instead of throwing', async () => {
		directory = mkdtempSync(join(tmpdir(), 'kctop-audit-'));
		const path = join(directory, 'audit.log');
		const cluster = {context: undefined, connectUrls: ['http://c1:8083']};
		const outcome = await runner(api(async () => ok).api).runBatch(batch);
		const lineBytes = Buffer.byteLength(`${JSON.stringify(sentEntry(outcome, {user: 'oncall', cluster}))}\n`);
		// Room for one line and a half: the third entry starts a new file, the fourth joins it.
		const audit = openAuditFile(path, cluster, {maxBytes: Math.floor(lineBytes * 1.5), user: 'oncall'});
		for (let index = 0; index < 4; index++) audit.sent(outcome);
		const current = readFileSync(path, 'utf8').trim().split('\n');
		const rotated = readFileSync(`${path}.1`, 'utf8').trim().split('\n');
		expect([current.length, rotated.length]).toEqual([2, 2]);
		expect([...current, ...rotated].every(line => (JSON.parse(line) as {event?: unknown}).event === 'sent')).toBe(true);
		const blocked = join(directory, 'not-a-directory');
		writeFileSync(blocked, '');
		const broken = openAuditFile(join(blocked, 'audit.log'), {context: undefined, connectUrls: []}, {user: 'oncall'});
		broken.sent(outcome);
		expect(broken.problem()).toMatch(/^audit log .*not-a-directory\/audit\.log: /);
	});
});
