import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {parseExposition} from '../../source/clients/scrape/parser.js';
import {createSteppedClock} from '../../source/demo/clock.js';
import {FaultBoard, malformedJsonBody, parseFaultSpec, unauthorizedBody} from '../../source/demo/faults.js';
import {startDemoCluster, type DemoCluster} from '../../source/demo/server.js';
import {until} from '../helpers/until.js';
import {call, connectionOutcome, T0} from './helpers.js';

/** The fault switchboard: every fault on and off, through the board and through the control endpoint. */

const clock = createSteppedClock(T0);
let demo: DemoCluster;

beforeAll(async () => {
	demo = await startDemoCluster({seed: 6, clock, scenario: 'steady', controlPort: 0});
	clock.advance(5000);
});

afterEach(async () => {
	demo.faults.clearAll();
	await demo.sync();
});

/** A dead port: the first try may land on a keep-alive socket the server just dropped; a new connection is refused. */
async function refused(url: string): Promise<string> {
	expect(await connectionOutcome(url)).not.toBe('answered');
	return connectionOutcome(url);
}

afterAll(async () => {
	await demo.close();
});

function rest(worker: number, path = '/connectors'): string {
	return `${demo.restUrls[worker] ?? ''}${path}`;
}

/** A request whose answer (or failure) is settled, with the failure's code. */
async function outcome(url: string): Promise<{readonly status: number; readonly text: string} | {readonly error: string}> {
	try {
		const response = await fetch(url);
		return {status: response.status, text: await response.text()};
	} catch (error) {
		const cause: unknown = error instanceof Error ? error.cause : undefined;
		return {error: typeof cause === 'object' && cause !== null && 'code' in cause ? String(cause.code) : error instanceof Error ? error.message : String(error)};
	}
}

describe('fault specs', () => {
	it('parses every kind and refuses what does not exist, in one line', () => {
		expect(parseFaultSpec('worker@2:killed', 3)).toEqual({target: 'worker', worker: 2, kind: 'killed'});
		expect(parseFaultSpec('rest:slow=2500', 3)).toEqual({target: 'rest', worker: undefined, kind: 'slow', delayMs: 2500});
		expect(parseFaultSpec('scrape@3:garbage', 3)).toEqual({target: 'scrape', worker: 3, kind: 'garbage', delayMs: 0});
		expect(parseFaultSpec('scrape@2:skew=180000', 3)).toEqual({target: 'scrape', worker: 2, kind: 'skew', delayMs: 180_000});
		expect(parseFaultSpec('prometheus:slow=800', 3)).toEqual({target: 'prometheus', worker: undefined, kind: 'slow', delayMs: 800});
		expect(parseFaultSpec('prometheus:partial', 3)).toEqual({target: 'prometheus', worker: undefined, kind: 'partial', delayMs: 0});
		for (const [spec, reason] of [
			['worker:killed', /worker faults name a worker/],
			['rest@0:hang', /worker 0 does not exist/],
			['rest:teapot', /rest faults are html-500, conflict-409, hang, slow/],
			['scrape@1:slow', /scrape faults are down, garbage, skew/],
			['scrape@1:skew', /skew needs a delay/],
			['prometheus@1:down', /prometheus faults name no worker/],
			['prometheus:slow', /slow needs a delay/],
			['prometheus:teapot', /prometheus faults are down, http-500, slow, warnings, partial/],
			['rest:html-500=3', /only slow and skew take a value/],
			['rest:skew', /skew needs an offset/],
			['rest:slow=-5', /only rest skew takes a negative value/],
			['scrape@2:skew=-1000', /only rest skew takes a negative value/],
			['nonsense', /expected target\[@N\]:kind/],
		] as const) {
			expect(() => parseFaultSpec(spec, 3), spec).toThrow(reason);
		}
	});

	it('one slot per target: a second fault on the slot replaces the first; rest@N wins over rest', () => {
		const board = new FaultBoard(3);
		board.set('rest:html-500');
		board.set('rest@2:conflict-409');
		board.set('rest:proxy-502');
		expect(board.list()).toEqual(['rest:proxy-502', 'rest@2:conflict-409']);
		expect(board.rest(0)?.kind).toBe('proxy-502');
		expect(board.rest(1)?.kind).toBe('conflict-409');
		expect(board.clear('rest@2')).toBe(true);
		expect(board.clear('rest@2')).toBe(false);
		expect(board.rest(1)?.kind).toBe('proxy-502');
	});
});

describe('REST faults', () => {
	it('html-500: Jetty\'s HTML error page', async () => {
		demo.faults.set('rest:html-500');
		const answer = await call(rest(0));
		expect(answer.status).toBe(500);
		expect(answer.contentType).toMatch(/^text\/html/);
		expect(answer.text).toContain('<h2>HTTP ERROR 500');
	});

	it('conflict-409: the rebalance message to every request, on the chosen worker only', async () => {
		demo.faults.set('rest@2:conflict-409');
		const answer = await call(rest(1, '/connectors/jdbc-sink-orders/status'));
		expect(answer.status).toBe(409);
		expect(answer.json).toEqual({error_code: 409, message: 'Cannot complete request momentarily due to no known leader URL, likely because a rebalance was underway.'});
		expect((await call(rest(0))).status).toBe(200);
	});

	it('unauthorized-401: basic auth\'s plain-text body', async () => {
		demo.faults.set('rest:unauthorized-401');
		const answer = await call(rest(2));
		expect(answer.status).toBe(401);
		expect(answer.contentType).toBe('text/plain');
		expect(answer.text).toBe(unauthorizedBody);
	});

	it('proxy-502: a proxy\'s HTML page', async () => {
		demo.faults.set('rest@1:proxy-502');
		const answer = await call(rest(0));
		expect(answer.status).toBe(502);
		expect(answer.text).toContain('502 Bad Gateway');
	});

	it('malformed-json: 200 with a body JSON.parse refuses', async () => {
		demo.faults.set('rest:malformed-json');
		const answer = await call(rest(0, '/connectors?expand=status&expand=info'));
		expect(answer.status).toBe(200);
		expect(answer.contentType).toBe('application/json');
		expect(answer.text).toBe(malformedJsonBody);
		expect(() => JSON.parse(answer.text)).toThrow(SyntaxError);
	});

	it('truncated-json: the real answer cut off halfway, the connection dropped', async () => {
		demo.faults.set('rest:truncated-json');
		const response = await fetch(rest(0, '/connectors?expand=status&expand=info'));
		expect(response.status).toBe(200);
		await expect(response.text()).rejects.toThrow();
	});

	it('skew=MS: the right answer, with a Date header and offset times MS off (behind with a minus)', async () => {
		expect(parseFaultSpec('rest@2:skew=-300000', 3)).toEqual({target: 'rest', worker: 2, kind: 'skew', delayMs: -300_000});
		const offsets = '/connectors/cdc-test-connector/offsets';
		const healthy = await fetch(rest(1, offsets));
		const tsSec = (text: string): number => Number(/"ts_sec":(\d+)/.exec(text)?.[1]);
		const right = tsSec(await healthy.text());
		expect(right).toBeGreaterThan(0);
		demo.faults.set('rest@2:skew=300000');
		const ahead = await fetch(rest(1, offsets));
		const date = Date.parse(ahead.headers.get('date') ?? '');
		// Five minutes ahead of this host's clock (the header has whole seconds).
		expect(date - Date.now()).toBeGreaterThan(298_000);
		expect(date - Date.now()).toBeLessThan(302_000);
		expect(tsSec(await ahead.text())).toBe(right + 300);
		// The other workers' clocks are right.
		expect(Math.abs(Date.parse((await fetch(rest(0))).headers.get('date') ?? '') - Date.now())).toBeLessThan(2000);
		demo.faults.set('rest@2:skew=-300000');
		expect(tsSec(await (await fetch(rest(1, offsets))).text())).toBe(right - 300);
	});

	it('slow=MS: the right answer, at least MS late', async () => {
		demo.faults.set('rest:slow=300');
		const started = performance.now();
		const answer = await call(rest(0));
		expect(performance.now() - started).toBeGreaterThanOrEqual(295);
		expect(answer.json).toHaveLength(4);
	});

	it('hang: the request is held until the fault clears, then the connection drops', async () => {
		demo.faults.set('rest@3:hang');
		const pending = outcome(rest(2));
		await until(() => demo.heldRequests() === 1, 'the request to reach the hanging worker');
		expect((await call(rest(0))).status).toBe(200);
		demo.faults.clear('rest@3');
		expect(await pending).toEqual({error: expect.any(String)});
		expect(demo.heldRequests()).toBe(0);
		expect((await call(rest(2))).status).toBe(200);
	});
});

describe('worker faults', () => {
	it('killed: its ports refuse connections, its work stays UNASSIGNED on it; cleared, it takes the work back', async () => {
		demo.faults.set('worker@2:killed');
		await demo.sync();
		expect(await refused(rest(1))).toBe('ECONNREFUSED');
		expect(await refused(demo.metricsUrls[1] ?? '')).toBe('ECONNREFUSED');
		const during = await call(rest(0, '/connectors/cdc-other-connector/status'));
		expect(during.json).toMatchObject({connector: {state: 'UNASSIGNED', worker_id: 'connect-2:8083'}, tasks: [{state: 'UNASSIGNED', worker_id: 'connect-2:8083'}]});
		// Connect keeps the work for the departed worker (scheduled.rebalance.max.delay.ms): no reassignment.
		clock.advance(30_000);
		expect((await call(rest(0, '/connectors/cdc-other-connector/status'))).json).toMatchObject({connector: {state: 'UNASSIGNED', worker_id: 'connect-2:8083'}});

		demo.faults.clear('worker@2');
		await demo.sync();
		expect((await call(demo.metricsUrls[1] ?? '')).status).toBe(200);
		expect((await call(rest(1, '/connectors/cdc-other-connector/status'))).json).toMatchObject({connector: {state: 'RUNNING', worker_id: 'connect-2:8083'}, tasks: [{state: 'RUNNING', worker_id: 'connect-2:8083'}]});
	});

	it('hung: REST and metrics accept connections and never answer; the other workers do', async () => {
		demo.faults.set('worker@1:hung');
		const pending = [outcome(rest(0)), outcome(demo.metricsUrls[0] ?? '')];
		await until(() => demo.heldRequests() === 2, 'both requests to reach the hung worker');
		expect((await call(rest(1))).status).toBe(200);
		demo.faults.clearAll();
		for (const settled of await Promise.all(pending)) expect(settled).toEqual({error: expect.any(String)});
		expect((await call(rest(0))).status).toBe(200);
	});
});

describe('scrape faults', () => {
	it('down: the exporter port refuses connections while REST answers', async () => {
		demo.faults.set('scrape@3:down');
		await demo.sync();
		expect(await refused(demo.metricsUrls[2] ?? '')).toBe('ECONNREFUSED');
		expect((await call(rest(2))).status).toBe(200);
		demo.faults.clear('scrape@3');
		await demo.sync();
		expect((await call(demo.metricsUrls[2] ?? '')).status).toBe(200);
	});

	it('garbage: 200 with text that is no exposition', async () => {
		demo.faults.set('scrape@1:garbage');
		const answer = await call(demo.metricsUrls[0] ?? '');
		expect(answer.status).toBe(200);
		const parsed = parseExposition(answer.text);
		expect(parsed.samples).toHaveLength(0);
		expect(parsed.errors.length).toBeGreaterThan(0);
	});
});

describe('the control endpoint', () => {
	const control = (path: string): string => `${demo.controlUrl ?? ''}${path}`;
	const post = async (path: string, body: unknown): Promise<{status: number; json: unknown}> => {
		const response = await fetch(control(path), {method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify(body)});
		return {status: response.status, json: await response.json()};
	};

	it('switches faults on and off: set, clear, DELETE; a bad spec changes nothing', async () => {
		expect(await post('/_faults', {set: ['rest@1:unauthorized-401', 'scrape@2:garbage']})).toEqual({status: 200, json: {faults: ['rest@1:unauthorized-401', 'scrape@2:garbage']}});
		expect((await call(rest(0))).status).toBe(401);
		expect((await call(rest(1))).status).toBe(200);

		const bad = await post('/_faults', {clear: ['rest@1'], set: ['worker@9:killed']});
		expect(bad.status).toBe(400);
		expect(bad.json).toEqual({error: 'bad fault "worker@9:killed": worker 9 does not exist (1 to 3)'});
		expect((await call(control('/_faults'))).json).toEqual({faults: ['rest@1:unauthorized-401', 'scrape@2:garbage']});

		expect(await post('/_faults', {clear: ['rest@1']})).toEqual({status: 200, json: {faults: ['scrape@2:garbage']}});
		expect((await call(rest(0))).status).toBe(200);
		expect((await call(control('/_faults'), 'DELETE')).json).toEqual({faults: []});
		expect((await call(demo.metricsUrls[1] ?? '')).text).toContain('kafka_connect_worker_connector_count');
	});

	it('answers a kill once the port is closed', async () => {
		expect((await post('/_faults', {set: ['worker@3:killed']})).status).toBe(200);
		expect(await refused(rest(2))).toBe('ECONNREFUSED');
		expect((await post('/_faults', {clear: 'all'})).json).toEqual({faults: []});
		expect((await call(rest(2, '/'))).status).toBe(200);
	});

	it('moves the clock ahead, never back', async () => {
		const before = await call(control('/_clock'));
		expect(before.json).toMatchObject({mode: 'manual', nowMs: clock.now()});
		const elapsed = clock.now() - demo.cluster.startMs;
		expect(await post('/_clock', {advanceMs: 2000})).toEqual({status: 200, json: {mode: 'manual', nowMs: T0 + elapsed + 2000, elapsedMs: elapsed + 2000}});
		expect(demo.cluster.now).toBe(T0 + elapsed + 2000);
		expect(await post('/_clock', {elapsedMs: elapsed + 5000})).toMatchObject({status: 200, json: {elapsedMs: elapsed + 5000}});
		const back = await post('/_clock', {elapsedMs: 0});
		expect(back.status).toBe(400);
		expect(back.json).toEqual({error: expect.stringMatching(/^cannot set a clock back/)});
		expect((await post('/_clock', {advanceMs: -1})).status).toBe(400);
	});

	it('refuses what it does not know with a one-line JSON error', async () => {
		const missing = await call(control('/connectors'));
		expect(missing.status).toBe(404);
		expect(missing.json).toEqual({error: 'no GET /connectors here: the control endpoint has /_faults, /_clock, GET /_requests and POST /_prometheus'});
		const notJson = await fetch(control('/_faults'), {method: 'POST', body: '{set:'});
		expect(notJson.status).toBe(400);
		expect(await notJson.json()).toEqual({error: 'body is not JSON'});
		const unknownKey = await post('/_faults', {kill: ['worker@1']});
		expect(unknownKey.status).toBe(400);
	});
});
