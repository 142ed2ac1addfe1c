import {afterEach, describe, expect, it} from 'vitest';
import type {ClusterSnapshot} from '../../source/model/types.js';
import {appendEvents, emptyJournal} from '../../source/model/journal.js';
import {displayWidth} from '../../source/ui/text.js';
import {FakeStore} from '../helpers/fake-store.js';
import {keys, linesOf, renderApp, type RenderedApp} from '../helpers/render.js';
import {makeConnector, makeHealth, makeSnapshot, makeTask, realisticSnapshot, staleRest, takenAt, unreachablePrometheus} from '../helpers/snapshot-factory.js';

const size = {columns: 140, rows: 32};
let current: RenderedApp | undefined;

function start(snapshot: ClusterSnapshot | undefined, options: {readonly readOnly?: boolean; readonly columns?: number; readonly rows?: number; readonly ascii?: boolean} = {}): {store: FakeStore; app: RenderedApp} {
	const store = new FakeStore({snapshot});
	const app = renderApp({store, size: {columns: options.columns ?? size.columns, rows: options.rows ?? size.rows}, options: {readOnly: options.readOnly ?? false, ascii: options.ascii ?? false}});
	current = app;
	return {store, app};
}

afterEach(() => {
	current?.unmount();
	current = undefined;
});

/** Grid rows: the lines that start with one of these connector names (selected rows included). */
function gridNames(frame: string, names: readonly string[]): string[] {
	return linesOf(frame)
		.map(each => names.find(name => each.startsWith(`${name} `)))
		.filter((name): name is string => name !== undefined);
}

const allNames = ['debezium-sqlserver-source', 'oracle_tsm', 'mongo-sink', 'my_connector', 'jdbc-sink', 'mysql-cdc', 'source-datagen-01'];

describe('connectors grid', () => {
	it('shows every connector with its state, failures first', async () => {
		const {app} = start(realisticSnapshot());
		const frame = await app.waitForFrame(text => text.includes('source-datagen-01'));
		// Severity order: FAILED tasks, then UNASSIGNED, then lag over the limit (mongo-sink, also PAUSED), then rising DLQ writes.
		expect(gridNames(frame, allNames)).toEqual(['debezium-sqlserver-source', 'oracle_tsm', 'my_connector', 'mongo-sink', 'jdbc-sink', 'mysql-cdc', 'source-datagen-01']);
		expect(frame).toMatch(/mongo-sink\s+sink\s+MongoSink\s+PAUSED\s+0\/2/);
		expect(frame).toMatch(/debezium-sqlserver-source\s+source\s+SqlServer\s+RUNNING\s+0\/1/);
		expect(frame).toContain('sort failures first');
		expect(frame).toContain('row 1/7');
		expect(frame).toMatch(/mysql-cdc .*yes\s+850ms/);
		expect(frame).toMatch(/jdbc-sink .*1\.2k rec/);
	});

	it('marks rows where REST and metrics disagree', async () => {
		const {app} = start(realisticSnapshot());
		const frame = await app.waitForFrame(text => text.includes('my_connector'));
		const row = linesOf(frame).find(each => each.startsWith('my_connector'));
		expect(row).toContain('≠');
		expect(linesOf(frame).find(each => each.startsWith('jdbc-sink'))).not.toContain('≠');
	});

	it('waits for the first refresh without a snapshot', async () => {
		const {store, app} = start(undefined);
		const frame = await app.waitForFrame(text => text.includes('waiting for the first refresh'));
		expect(frame).toContain('waiting for the first answer from Kafka Connect');
		expect(frame).not.toContain('no connectors');
		store.setSnapshot(realisticSnapshot());
		await app.waitForFrame(text => text.includes('jdbc-sink'));
	});

	it('moves the selection with j/k, arrows, g/G and pages', async () => {
		const {app} = start(realisticSnapshot());
		await app.waitForFrame(text => text.includes('row 1/7'));
		await app.press('j', keys.down);
		await app.waitForFrame(text => text.includes('row 3/7'));
		await app.press('k');
		await app.waitForFrame(text => text.includes('row 2/7'));
		await app.press('G');
		await app.waitForFrame(text => text.includes('row 7/7'));
		await app.press('g');
		await app.waitForFrame(text => text.includes('row 1/7'));
		await app.press(keys.pageDown);
		await app.waitForFrame(text => text.includes('row 7/7'));
		await app.press(keys.ctrl('b'));
		await app.waitForFrame(text => text.includes('row 1/7'));
	});

	it('keeps the selected connector when a refresh re-sorts the rows', async () => {
		const {store, app} = start(realisticSnapshot());
		await app.press('j', 'j', 'j');
		await app.waitForFrame(text => text.includes('row 4/7'));
		// mongo-sink recovers: it moves down the failures-first order, and the selection follows it.
		const snapshot = realisticSnapshot();
		store.setSnapshot({...snapshot, sequence: 2, connectors: snapshot.connectors.map(row => (row.name === 'mongo-sink' ? {...row, state: 'RUNNING', health: 'ok' as const, severity: 'fine' as const, lag: 10} : row))});
		const frame = await app.waitForFrame(text => text.includes('row 5/7'));
		expect(frame).toMatch(/mongo-sink\s+sink\s+MongoSink\s+RUNNING/);
	});
});

describe('filter', () => {
	it('filters live with a case-insensitive regex and keeps it on Enter', async () => {
		const {app} = start(realisticSnapshot());
		await app.press('/');
		await app.type('SINK$');
		let frame = await app.waitForFrame(text => text.includes('/SINK$_'));
		expect(gridNames(frame, allNames)).toEqual(['mongo-sink', 'jdbc-sink']);
		await app.press(keys.enter);
		frame = await app.waitForFrame(text => text.includes('filter /SINK$/'));
		expect(frame).toContain('row 1/2 (of 7)');
		await app.press(keys.escape);
		frame = await app.waitForFrame(text => text.includes('row 1/7'));
		expect(gridNames(frame, allNames)).toHaveLength(7);
	});

	it('takes keys that arrive in one read (fast typing, a paste) one by one', async () => {
		const {app} = start(realisticSnapshot());
		// '/', the pattern and Enter in a single write: one multi-character input for Ink.
		await app.press('/SINK$\r');
		const frame = await app.waitForFrame(text => text.includes('filter /SINK$/'));
		expect(gridNames(frame, allNames)).toEqual(['mongo-sink', 'jdbc-sink']);
	});

	it('inverts with a leading !', async () => {
		const {app} = start(realisticSnapshot());
		await app.press('/');
		await app.type('!sink|cdc');
		await app.press(keys.enter);
		const frame = await app.waitForFrame(text => text.includes('filter /!sink|cdc/'));
		expect(gridNames(frame, allNames)).toEqual(['debezium-sqlserver-source', 'oracle_tsm', 'my_connector', 'source-datagen-01']);
	});

	it('falls back to a plain match for an invalid regex and says so', async () => {
		const {app} = start(realisticSnapshot());
		await app.press('/');
		await app.type('mongo-(');
		let frame = await app.waitForFrame(text => text.includes('invalid regex'));
		expect(gridNames(frame, allNames)).toEqual([]);
		await app.press(keys.backspace);
		frame = await app.waitForFrame(text => !text.includes('invalid regex') && text.includes('/mongo-_'));
		expect(gridNames(frame, allNames)).toEqual(['mongo-sink']);
	});

	it('filters on state and workers too; Esc while typing clears', async () => {
		const {app} = start(realisticSnapshot());
		await app.press('/');
		await app.type('paused');
		let frame = await app.waitForFrame(text => text.includes('/paused_'));
		expect(gridNames(frame, allNames)).toEqual(['mongo-sink']);
		await app.press(keys.escape);
		frame = await app.waitForFrame(text => text.includes('row 1/7'));
		expect(frame).not.toContain('filter /');
	});
});

describe('sort and faults only', () => {
	it('sorts by a column with shift+letter; the same key reverses', async () => {
		const {app} = start(realisticSnapshot());
		await app.press('N');
		let frame = await app.waitForFrame(text => text.includes('sort name ▲'));
		expect(gridNames(frame, allNames)).toEqual([...allNames].sort());
		expect(frame).toContain('NAME▲');
		await app.press('N');
		frame = await app.waitForFrame(text => text.includes('sort name ▼'));
		expect(gridNames(frame, allNames)).toEqual([...allNames].sort().reverse());
	});

	it('sorts by lag largest first within its unit (time, then records), unknown lag last', async () => {
		const {app} = start(realisticSnapshot());
		await app.press('L');
		const frame = await app.waitForFrame(text => text.includes('sort lag ▼ (time, then records)'));
		expect(gridNames(frame, allNames).slice(0, 5)).toEqual(['debezium-sqlserver-source', 'oracle_tsm', 'mysql-cdc', 'mongo-sink', 'jdbc-sink']);
		expect(gridNames(frame, allNames).slice(-2).sort()).toEqual(['my_connector', 'source-datagen-01']);
	});

	it('cycles the sort column with o', async () => {
		const {app} = start(realisticSnapshot());
		await app.press('o');
		await app.waitForFrame(text => text.includes('sort name ▲'));
		await app.press('o');
		await app.waitForFrame(text => text.includes('sort state ▲'));
	});

	it('shows only faults with ctrl-z', async () => {
		const {app} = start(realisticSnapshot());
		await app.press(keys.ctrl('z'));
		const frame = await app.waitForFrame(text => text.includes('faults only'));
		expect(gridNames(frame, allNames)).toEqual(['debezium-sqlserver-source', 'oracle_tsm', 'my_connector', 'mongo-sink']);
		await app.press(keys.ctrl('z'));
		await app.waitForFrame(text => text.includes('row 1/7'));
	});
});

describe('connector detail', () => {
	it('the Overview of a failed connector gives the root cause and the hint, not only "1 task FAILED"', async () => {
		const {app} = start(realisticSnapshot(), {rows: 60});
		await app.press(keys.enter);
		const frame = await app.waitForFrame(text => text.includes('Root cause'));
		expect(frame).toMatch(/Root cause\n\s+✗ task 0: SQLServerException: The SELECT permission was denied/);
		expect(frame).toContain('hint: access refused: check the grants');
	});

	it('opens on Enter, tells the store, and switches tabs with numbers and arrows', async () => {
		const {store, app} = start(realisticSnapshot());
		await app.press(keys.enter);
		let frame = await app.waitForFrame(text => text.includes('1 Overview'));
		expect(store.calls.openDetail).toEqual(['debezium-sqlserver-source']);
		expect(frame).toContain('class             io.debezium.connector.sqlserver.SqlServerConnector');
		expect(frame).toMatch(/connected\s+NO/);
		expect(frame).toMatch(/behind source\s+3m4s/);
		expect(frame).toContain('1 task FAILED');

		await app.press('2');
		frame = await app.waitForFrame(text => text.includes('ROOT CAUSE'));
		expect(frame).toMatch(/0 FAILED\s+connect:8083 .*SQLServerException: The SELECT permission/);
		expect(frame).toContain('task 0 root cause 1 level under org.apache.kafka.connect.errors.ConnectException: An exception occurred');

		await app.press(keys.right);
		frame = await app.waitForFrame(text => text.includes('keys, sorted; secrets masked'));
		expect(frame).toMatch(/database\.password\s+= \*{8}/);
		expect(frame).toMatch(/database\.history\.producer\.sasl\.jaas\.config\s+= \*{8}/);
		expect(frame).toContain('${file:/opt/secrets.properties:aws.secret}');
		expect(frame).toMatch(/key\.converter\s+= org\.apache\.kafka\.connect\.json\.JsonConverter/);
		expect(frame).not.toContain('Password!');

		await app.press(keys.left, keys.left);
		await app.waitForFrame(text => text.includes('class             io.debezium'));

		await app.press(keys.escape);
		await app.waitForFrame(text => text.includes('row 1/7'));
		expect(store.calls.closeDetail).toBe(1);
	});

	it('shows topics and offsets from the store: loading, errors and values', async () => {
		const {store, app} = start(realisticSnapshot());
		await app.press('j', 'j', 'j', 'j', keys.enter);
		await app.waitForFrame(text => text.includes('1 Overview'));
		expect(store.calls.openDetail).toEqual(['jdbc-sink']);
		await app.press('4');
		await app.waitForFrame(text => text.includes('loading topics…'));
		store.setDetail({connector: 'jdbc-sink', topics: {status: 'error', error: 'Topic tracking is disabled.'}, offsets: {status: 'loading'}});
		await app.waitForFrame(text => text.includes('Topic tracking is disabled.'));
		store.setDetail({connector: 'jdbc-sink', topics: {status: 'ok', value: ['orders', 'orders-dlq'], at: 1}, offsets: {status: 'ok', value: [{partition: 'orders-0', offset: '4711'}], at: 1}});
		let frame = await app.waitForFrame(text => text.includes('2 topics'));
		expect(frame).toContain('orders-dlq');
		await app.press('5');
		frame = await app.waitForFrame(text => text.includes('1 partition'));
		expect(frame).toMatch(/orders-0 → 4711/);
	});

	it('masks the password inside a connection URL', async () => {
		const {app} = start(realisticSnapshot());
		await app.press('j', 'j', 'j', 'j', keys.enter, '3');
		const frame = await app.waitForFrame(text => text.includes('secrets masked'));
		expect(frame).toContain('jdbc:postgresql://db:5432/shop?user=kafka&password=********&ssl=true');
		expect(frame).toMatch(/connection\.password\s+= \*{8}/);
		expect(frame).not.toContain('hunter2');
	});

	it('draws charts with last/min/max labels', async () => {
		const {store, app} = start(realisticSnapshot());
		store.setHistory('debezium-sqlserver-source', {lag: [1000, 5000, 184_000], recordRate: [10, 0, 0], errors: [2, 3, 4]});
		await app.press(keys.enter, '6');
		const frame = await app.waitForFrame(text => text.includes('Throughput'));
		expect(frame).toContain('Lag  last 3m4s  min 1s  max 3m4s  (3 points)');
		expect(frame).toContain('Errors (record errors + failures)  last 4  min 2  max 4');
		expect(frame).toContain('█');
	});
});

describe('trace viewer', () => {
	it('shows the full trace, scrolls, and highlights Caused by', async () => {
		const {app} = start(realisticSnapshot(), {rows: 24, columns: 100});
		await app.press(keys.enter, '2', keys.enter);
		let frame = await app.waitForFrame(text => text.includes('Trace debezium-sqlserver-source task 0 FAILED'));
		expect(frame).toContain('lines 1-');
		expect(frame).toContain('org.apache.kafka.connect.errors.ConnectException');
		expect(frame).toContain('Caused by: com.microsoft.sqlserver.jdbc.SQLServerException');
		expect(frame).not.toContain('... 8 more');
		await app.press('G');
		frame = await app.waitForFrame(text => text.includes('... 8 more'));
		expect(frame).not.toContain('org.apache.kafka.connect.errors.ConnectException');
		await app.press('g');
		await app.waitForFrame(text => text.includes('org.apache.kafka.connect.errors.ConnectException'));
		const before = app.frame();
		await app.press('j');
		frame = await app.waitForFrame(text => text !== before);
		expect(frame).toContain('lines 2-');
		await app.press('w');
		frame = await app.waitForFrame(text => text.includes('wrap off'));
		for (const each of linesOf(frame)) expect(displayWidth(each)).toBeLessThanOrEqual(100);
		await app.press(keys.escape);
		await app.waitForFrame(text => text.includes('ROOT CAUSE'));
	});

	it('says so when a task has no trace', async () => {
		const {app} = start(realisticSnapshot());
		await app.press('j', 'j', 'j', 'j', 'j', 'j', keys.enter, '2', keys.enter);
		await app.waitForFrame(text => text.includes('task 0 has no trace'));
	});
});

describe('help', () => {
	it('is generated from the keymap', async () => {
		const {app} = start(realisticSnapshot(), {rows: 60});
		await app.press('?');
		const frame = await app.waitForFrame(text => text.includes('Everywhere'));
		expect(frame).toMatch(/ctrl-z\s+faults only/);
		expect(frame).toMatch(/L\s+sort by lag/);
		expect(frame).toMatch(/r\s+restart failed connector and tasks/);
		expect(frame).toMatch(/f\s+freeze/);
		await app.press('?');
		await app.waitForFrame(text => text.includes('row 1/7'));
	});
});

describe('sources', () => {
	it('shows a stale REST banner and why metrics are unavailable', async () => {
		const {app} = start(realisticSnapshot({rest: staleRest(), metrics: unreachablePrometheus()}));
		const frame = await app.waitForFrame(text => text.includes('REST stale'));
		expect(frame).toContain('REST stale 34s: connection refused (http://c1:8083)');
		expect(frame).toContain('metrics unavailable: connect ECONNREFUSED 127.0.0.1:9090');
		expect(frame).toContain('⚠ REST stale 34s: connection refused (http://c1:8083) — showing the last good data');
		expect(frame).toContain('⚠ metrics unavailable: connect ECONNREFUSED 127.0.0.1:9090 (http://prom:9090) — showing what REST knows');
		// REST data is still all there.
		expect(gridNames(frame, allNames)).toHaveLength(7);
	});

	it('counts the stale age up with the store clock, without a new snapshot', async () => {
		const snapshot = realisticSnapshot({rest: staleRest()});
		const {store, app} = start(snapshot);
		await app.waitForFrame(text => text.includes('REST stale 34s'));
		store.setState({now: snapshot.takenAt + 10_000});
		const frame = await app.waitForFrame(text => text.includes('REST stale 44s'));
		expect(frame).toContain('⚠ REST stale 44s: connection refused (http://c1:8083) — showing the last good data');
	});

	it('says what to start when Connect never answered', async () => {
		const snapshot = makeSnapshot({connectors: [], rest: makeHealth({source: 'rest', everSucceeded: false, lastError: 'connection refused (http://localhost:8083)', consecutiveFailures: 1})});
		const store = new FakeStore({snapshot, unreachableHint: 'start the stack with `docker compose up -d`, or try `npm run demo`'});
		const app = renderApp({store, size, options: {}});
		current = app;
		const frame = await app.waitForFrame(text => text.includes('docker compose'));
		expect(frame).toMatch(/REST unavailable: connection refused \(http:\/\/localhost:8083\).* — start the stack with `docker compose up -d`/);
		expect(frame).toContain('no answer from Kafka Connect yet');
		expect(frame).not.toContain('no connectors in the cluster');
	});

	it('keeps one failing source and its reason visible at 80 columns', async () => {
		const {app} = start(realisticSnapshot({metrics: unreachablePrometheus()}), {columns: 80, rows: 24});
		const frame = await app.waitForFrame(text => text.includes('⚠'));
		expect(frame).toMatch(/^REST ok 1s · metrics unavailable · profile default/m);
		// The endpoint URL goes first, then the error shrinks: what it means stays.
		expect(frame).toContain('⚠ metrics unavailable: connect ECONNREFUSED 127.0.0.1… — showing what REST knows');
		expect(linesOf(frame).filter(each => each.includes('⚠'))).toHaveLength(1);
	});

	it('shows fresh sources without a banner', async () => {
		const {app} = start(realisticSnapshot());
		const frame = await app.waitForFrame(text => text.includes('REST ok 1s'));
		expect(frame).toContain('Prometheus ok 1s');
		expect(frame).not.toContain('⚠');
	});
});

describe('freeze, refresh and quit', () => {
	it('f asks the store to freeze; the header shows FROZEN and the changes since', async () => {
		const {store, app} = start(realisticSnapshot());
		await app.press('f');
		expect(store.calls.toggleFreeze).toBe(1);
		const frozen = realisticSnapshot({connectors: [makeConnector({name: 'frozen-only'})]});
		store.setState({frozen: {snapshot: frozen, at: frozen.takenAt, changesSinceFreeze: 3}, snapshot: realisticSnapshot({sequence: 9})});
		const frame = await app.waitForFrame(text => text.includes('FROZEN'));
		expect(frame).toContain('3 changes since freeze');
		// While frozen the frozen snapshot is on screen.
		expect(frame).toContain('frozen-only');
		expect(frame).not.toContain('jdbc-sink');
	});

	it('ctrl-r asks for a refresh, the indicator shows while refreshing', async () => {
		const {store, app} = start(realisticSnapshot());
		await app.press(keys.ctrl('r'));
		expect(store.calls.refreshNow).toBe(1);
		store.setState({refreshing: true});
		await app.waitForFrame(text => text.includes('⟳ refreshing'));
	});

	it('q quits at the top level, ctrl-c from anywhere', async () => {
		const first = start(realisticSnapshot());
		await first.app.press('q');
		expect(first.app.exits()).toBe(1);
		first.app.unmount();
		const second = start(realisticSnapshot());
		await second.app.press(keys.enter, '3');
		await second.app.waitForFrame(text => text.includes('secrets masked'));
		await second.app.press(keys.ctrl('c'));
		expect(second.app.exits()).toBe(1);
		expect(second.store.calls.closeDetail).toBe(1);
	});
});

describe('events view', () => {
	it(':events lists the journal newest first, filters it, and opens the connector of an event', async () => {
		const snapshot = realisticSnapshot();
		const {store, app} = start(snapshot);
		const events = [
			{at: takenAt - 60_000, kind: 'dbz-connected', subject: 'mysql-cdc', connector: 'mysql-cdc', from: 'connected', to: 'disconnected', detail: undefined},
			{at: takenAt - 30_000, kind: 'task', subject: 'jdbc-sink/0', connector: 'jdbc-sink', from: 'RUNNING', to: 'FAILED', detail: 'org.apache.kafka.connect.errors.ConnectException: boom'},
			{at: takenAt - 10_000, kind: 'worker', subject: 'c2:8083', connector: undefined, from: 'up', to: 'down', detail: undefined},
		] as const;
		store.setState({journal: appendEvents(emptyJournal, events)});
		await app.waitForFrame(text => text.includes('row 1/7'));
		await app.type(':ev');
		await app.press(keys.enter);
		let frame = await app.waitForFrame(text => text.includes('Events'));
		const order = ['c2:8083 up → down', 'jdbc-sink/0 RUNNING → FAILED: org.apache.kafka.connect.errors.ConnectException: boom', 'mysql-cdc database connected → disconnected'].map(text => frame.indexOf(text));
		expect(order.every(position => position > 0)).toBe(true);
		expect([...order].sort((a, b) => a - b)).toEqual(order);
		await app.type('/jdbc');
		await app.press(keys.enter);
		frame = await app.waitForFrame(text => text.includes('/jdbc/') && !text.includes('c2:8083 up'));
		expect(frame).toContain('1/1 (of 3)');
		await app.press(keys.enter);
		await app.waitForFrame(text => text.includes('1 Overview') && text.includes('jdbc-sink'));
		expect(store.calls.openDetail).toEqual(['jdbc-sink']);
	});
});

describe('recent changes in the detail', () => {
	it("the Overview lists the connector's own transitions, newest first, and not other connectors'", async () => {
		const {store, app} = start(realisticSnapshot(), {rows: 70});
		store.setState({
			journal: appendEvents(emptyJournal, [
				{at: takenAt - 90_000, kind: 'task', subject: 'debezium-sqlserver-source/0', connector: 'debezium-sqlserver-source', from: 'RUNNING', to: 'FAILED', detail: 'SQLServerException: The SELECT permission was denied'},
				{at: takenAt - 30_000, kind: 'action', subject: 'debezium-sqlserver-source', connector: 'debezium-sqlserver-source', from: undefined, to: 'sent', detail: 'restart task 0: 204 No Content'},
				{at: takenAt - 20_000, kind: 'connector', subject: 'jdbc-sink', connector: 'jdbc-sink', from: 'RUNNING', to: 'PAUSED', detail: undefined},
			]),
		});
		await app.waitForFrame(text => text.includes('row 1/7'));
		await app.press(keys.enter);
		const frame = await app.waitForFrame(text => text.includes('Recent changes'));
		const sent = frame.indexOf('debezium-sqlserver-source sent: restart task 0: 204 No Content');
		const failed = frame.indexOf('debezium-sqlserver-source/0 RUNNING → FAILED: SQLServerException');
		expect(sent).toBeGreaterThan(0);
		expect(failed).toBeGreaterThan(sent);
		expect(frame).not.toContain('jdbc-sink RUNNING → PAUSED');
	});
});

describe('how long a state has lasted', () => {
	it('the STATE cell says "FAILED 14m" when the journal saw the change, and nothing it cannot know', async () => {
		const snapshot = realisticSnapshot();
		const failed = {...snapshot, connectors: snapshot.connectors.map(row => (row.name === 'jdbc-sink' ? {...row, state: 'FAILED'} : row))};
		const store = new FakeStore({snapshot: failed});
		store.setState({journal: appendEvents(emptyJournal, [{at: takenAt - 14 * 60_000, kind: 'connector', subject: 'jdbc-sink', connector: 'jdbc-sink', from: 'RUNNING', to: 'FAILED', detail: undefined}])});
		const app = renderApp({store, size: {columns: 200, rows: 32}});
		current = app;
		const frame = await app.waitForFrame(text => text.includes('jdbc-sink'));
		expect(linesOf(frame).find(line => line.startsWith('jdbc-sink '))).toMatch(/FAILED 14m/);
		expect(linesOf(frame).find(line => line.startsWith('mysql-cdc '))).toMatch(/RUNNING\s+(?!\d)/);
	});
});

describe('failures view', () => {
	it(':failures groups FAILED tasks by root cause; Enter lists the members, Enter again opens the task', async () => {
		const {store, app} = start(realisticSnapshot());
		await app.waitForFrame(text => text.includes('row 1/7'));
		await app.type(':fa');
		await app.press(keys.enter);
		let frame = await app.waitForFrame(text => text.includes('Failures') && text.includes('ROOT CAUSE'));
		expect(frame).toMatch(/\d+ root causes? · \d+ FAILED/);
		expect(frame).toContain('SQLServerException');
		const row = linesOf(frame).findIndex(line => line.includes('SQLServerException'));
		const first = linesOf(frame).findIndex(line => /^\d+ (task|connector)/.test(line));
		for (let index = first; index < row; index++) await app.press('j');
		await app.press(keys.enter);
		frame = await app.waitForFrame(text => text.includes('CONNECTOR/TASK'));
		expect(frame).toContain('debezium-sqlserver-source/0');
		await app.press(keys.enter);
		frame = await app.waitForFrame(text => text.includes('1 Overview') && text.includes('debezium-sqlserver-source'));
		expect(store.calls.openDetail).toEqual(['debezium-sqlserver-source']);
		// Esc twice: back to the members, back to the groups.
		await app.press(keys.escape);
		await app.waitForFrame(text => text.includes('CONNECTOR/TASK'));
		await app.press(keys.escape);
		await app.waitForFrame(text => text.includes('ROOT CAUSE') && !text.includes('CONNECTOR/TASK'));
	});
});

describe('contexts', () => {
	it(':ctx lists the named clusters and :ctx NAME asks to switch; a refusal is shown', async () => {
		const store = new FakeStore({snapshot: realisticSnapshot()});
		const asked: string[] = [];
		const app = renderApp({store, size, options: {contexts: {name: 'prod', known: ['prod', 'staging']}}, onSwitchContext: name => {
			asked.push(name);
			return name === 'staging' ? undefined : 'context broken: password-env names X, which is not set';
		}});
		current = app;
		await app.waitForFrame(text => text.includes('row 1/7'));
		await app.type(':ctx');
		await app.press(keys.enter);
		await app.waitForFrame(text => text.includes('contexts: prod (current), staging · :ctx NAME switches'));
		await app.type(':ctx nope');
		await app.press(keys.enter);
		await app.waitForFrame(text => text.includes('no context nope; known: prod, staging'));
		await app.type(':ctx staging');
		await app.press(keys.enter);
		await app.waitForFrame(() => asked.length === 1);
		expect(asked).toEqual(['staging']);
	});

	it('says there are no contexts without a config file', async () => {
		const {app} = start(realisticSnapshot());
		await app.waitForFrame(text => text.includes('row 1/7'));
		await app.type(':ctx');
		await app.press(keys.enter);
		await app.waitForFrame(text => text.includes('no contexts: name clusters in ~/.config/kctop/config.yaml'));
	});
});

describe('clock ticks', () => {
	it('move the ages in the header without rebuilding the grid', async () => {
		const {store, app} = start(realisticSnapshot());
		await app.waitForFrame(text => text.includes('REST ok 1s'));
		const historyCalls = store.calls.history.length;
		const grid = linesOf(app.frame()).slice(4).join('\n');
		store.tick(takenAt + 5000);
		const frame = await app.waitForFrame(text => text.includes('REST ok 6s'));
		expect(linesOf(frame).slice(4).join('\n')).toBe(grid);
		// The grid asks the store for sparkline history when it is rebuilt: a tick did not.
		expect(store.calls.history.length).toBe(historyCalls);
	});
});

describe('actions', () => {
	it('asks for confirmation with the exact REST call; n sends nothing, y sends it', async () => {
		const {store, app} = start(realisticSnapshot());
		await app.waitForFrame(text => text.includes('row 1/7'));
		await app.press('r');
		let frame = await app.waitForFrame(text => text.includes('Confirm'));
		expect(frame).toContain('POST /connectors/debezium-sqlserver-source/restart?includeTasks=true&onlyFailed=true');
		expect(frame).toContain('connector debezium-sqlserver-source');
		expect(frame).toContain('restart failed connector and tasks');
		expect(frame).toContain('[> Cancel <]');
		// Armed once the keyboard has been still: the dialog then shows its keys.
		frame = await app.waitForFrame(text => text.includes('y send'));
		// The dialog swallows other keys.
		await app.press('j', 'x');
		expect(app.exits()).toBe(0);
		await app.press('n');
		frame = await app.waitForFrame(text => text.includes('cancelled'));
		expect(store.calls.runAction).toEqual([]);
		// On a connector where nothing failed, r says so instead of asking.
		await app.press('j', 'j', 'j', 'j');
		await app.waitForFrame(text => text.includes('row 5/7'));
		await app.press('r');
		await app.waitForFrame(text => text.includes('nothing has failed in jdbc-sink: no restart needed'));
		expect(app.frame()).not.toContain('Confirm');
		// Pause stops data flowing: y is refused, Tab to OK and Enter sends it.
		await app.press('p');
		frame = await app.waitForFrame(text => text.includes('PUT /connectors/jdbc-sink/pause') && text.includes('Enter press'));
		expect(frame).toContain('this stops data flowing: Tab to OK, then Enter');
		expect(frame).not.toContain('y send');
		await app.press('y');
		await app.waitForFrame(text => text.includes('this action stops data flowing: Tab to OK, then Enter') && text.includes('Enter press'));
		expect(store.calls.runAction).toEqual([]);
		await app.press(keys.tab);
		await app.waitForFrame(text => text.includes('[> OK <]'));
		await app.press(keys.enter);
		frame = await app.waitForFrame(text => text.includes('✓ pause jdbc-sink: 202 Accepted'));
		expect(store.calls.runAction).toEqual([{kind: 'pause', connector: 'jdbc-sink'}]);
	});

	it('never confirms from keys that arrive in one burst, and says what it ignored', async () => {
		const {store, app} = start(realisticSnapshot());
		await app.waitForFrame(text => text.includes('row 1/7'));
		// One write = one read: Ink hands the router a multi-key burst.
		for (const burst of ['ry', 'happy', 'Ry', 'u\r']) {
			await app.press(burst);
			const frame = await app.waitForFrame(text => text.includes('Confirm') && text.includes('typed before the dialog was ready'));
			expect(frame).toMatch(/ignored \d+ keys? typed before the dialog was ready/);
			await app.waitForFrame(text => text.includes('n cancel') && !text.includes('waiting for the keyboard'));
			await app.press(keys.escape);
			await app.waitForFrame(text => !text.includes('Confirm'));
		}
		// A key pressed on its own while the dialog is still unarmed is dropped too.
		await app.press('r');
		await app.waitForFrame(text => text.includes('Confirm'));
		await app.press('y');
		await app.waitForFrame(text => text.includes('ignored 1 key'));
		// An armed dialog takes a key pressed on its own.
		await app.waitForFrame(text => text.includes('y send'));
		expect(store.calls.runAction).toEqual([]);
		await app.press('y');
		await app.waitForFrame(text => text.includes('✓ restart failed connector and tasks'));
		expect(store.calls.runAction).toHaveLength(1);
	});

	it('takes a bracketed paste as text in a prompt and ignores it elsewhere', async () => {
		const {store, app} = start(realisticSnapshot());
		await app.waitForFrame(text => text.includes('row 1/7'));
		await app.press('\u001B[200~ry\u001B[201~');
		await app.waitForFrame(text => text.includes('paste ignored outside a prompt'));
		expect(app.frame()).not.toContain('Confirm');
		await app.press('/');
		await app.press('\u001B[200~mongo-sink\r\u001B[201~');
		const frame = await app.waitForFrame(text => text.includes('/mongo-sink'));
		expect(frame).toContain('row 1/1');
		expect(store.calls.runAction).toEqual([]);
	});

	it('restarts the selected task from the Tasks tab and shows a failed outcome', async () => {
		const snapshot = realisticSnapshot();
		const replicator = makeConnector({name: 'replicator', tasks: [0, 1, 2, 3].map(id => makeTask({id, state: id === 3 ? 'FAILED' : 'RUNNING', trace: id === 3 ? 'org.apache.kafka.common.errors.TimeoutException: Timeout of 60000ms expired' : undefined}))});
		const {store, app} = start({...snapshot, connectors: [replicator]});
		store.actionAnswer = {ok: false, message: '409 Conflict: Cannot complete request momentarily due to no known leader URL'};
		await app.press(keys.enter, '2', 'G', 't');
		const frame = await app.waitForFrame(text => text.includes('Confirm') && text.includes('y send'));
		expect(frame).toContain('POST /connectors/replicator/tasks/3/restart');
		await app.press('y');
		await app.waitForFrame(text => text.includes('✗ restart task 3 replicator: 409 Conflict'));
		expect(store.calls.runAction).toEqual([{kind: 'restart-task', connector: 'replicator', task: 3}]);
	});

	it('read-only hides the actions from the footer and refuses their keys, saying so', async () => {
		const {store, app} = start(realisticSnapshot(), {readOnly: true, columns: 200});
		let frame = await app.waitForFrame(text => text.includes('read-only'));
		expect(frame).not.toContain('restart failed');
		expect(frame).not.toMatch(/\bp pause/);
		await app.press('r');
		await app.waitForFrame(text => text.includes('read-only: actions are disabled'));
		await app.press('R', 'p', 'u', 's');
		await app.press(keys.enter, '2', 't');
		frame = await app.waitForFrame(text => text.includes('ROOT CAUSE'));
		expect(frame).not.toContain('Confirm');
		expect(store.calls.runAction).toEqual([]);
	});
});

describe('workers and the command line', () => {
	it(':workers shows the workers; Enter drills into a worker\'s connectors', async () => {
		const {app} = start(realisticSnapshot());
		await app.press(':');
		await app.type('workers');
		await app.press(keys.enter);
		let frame = await app.waitForFrame(text => text.includes('Workers  row 1/4'));
		expect(frame).toMatch(/c2:8083\s+c2\s+DOWN/);
		expect(frame).toMatch(/10\.50\.253\.6:8085 .*yes\s+2c\/3t ≠/);
		await app.press('j', 'j', keys.enter);
		frame = await app.waitForFrame(text => text.includes('filter /^c2:8083$/'));
		expect(gridNames(frame, allNames)).toEqual(['mongo-sink', 'mysql-cdc']);
	});

	it('reports unknown commands and :ctx in the footer', async () => {
		const {app} = start(realisticSnapshot());
		await app.press(':');
		await app.type('bogus');
		await app.press(keys.enter);
		await app.waitForFrame(text => text.includes('unknown command: bogus'));
		await app.press(':');
		await app.type('ctx prod');
		await app.press(keys.enter);
		await app.waitForFrame(text => text.includes('no contexts: name clusters in'));
	});
});

describe('layout and text safety', () => {
	const longName = 'debezium-postgres-inventory-customers-orders-products-source-connector-eu-west-1';

	it('fits 80×24: no line wider, low-priority columns dropped, names truncated with …', async () => {
		const {app} = start(realisticSnapshot({connectors: [...realisticSnapshot().connectors, makeConnector({name: longName})]}), {columns: 80, rows: 24});
		const frame = await app.waitForFrame(text => text.includes('row 1/8'));
		const lines = linesOf(frame);
		expect(lines.length).toBeLessThanOrEqual(24);
		for (const each of lines) expect(displayWidth(each)).toBeLessThanOrEqual(80);
		expect(frame).toMatch(/^debezium-postgres-in\S*… /m);
		expect(frame).not.toContain(longName);
		expect(frame).not.toContain('WORKERS');
		expect(frame).not.toContain('CLASS');
		expect(frame).toContain('ERRORS');
	});

	it('uses 300×80 for everything, names in full', async () => {
		const {app} = start(realisticSnapshot({connectors: [...realisticSnapshot().connectors, makeConnector({name: longName})]}), {columns: 300, rows: 80});
		const frame = await app.waitForFrame(text => text.includes('row 1/8'));
		for (const each of linesOf(frame)) expect(displayWidth(each)).toBeLessThanOrEqual(300);
		expect(frame).toContain(longName);
		for (const header of ['NAME', 'TYPE', 'CLASS', 'STATE', 'TASKS', 'WORKERS', 'DBZ', 'LAG', 'LAG TREND', 'EV/S', 'ERRORS', 'DLQ']) expect(frame).toContain(header);
	});

	it('keeps wide characters within the width', async () => {
		const {app} = start(makeSnapshot({connectors: [makeConnector({name: '顧客データ同期コネクタ-本番環境-東京リージョン-シンク'})]}), {columns: 80, rows: 24});
		const frame = await app.waitForFrame(text => text.includes('row 1/1'));
		for (const each of linesOf(frame)) expect(displayWidth(each)).toBeLessThanOrEqual(80);
		expect(frame).toContain('顧客データ同期');
	});

	it('renders a connector name full of escape codes with them neutralised and visible', async () => {
		const hostile = 'evil\u001B[2J\u001B[H\u001B[31m\u0007-sink\u001B]0;pwned\u0007';
		const {app} = start(makeSnapshot({connectors: [makeConnector({name: hostile, tasks: [makeTask({id: 0, state: 'FAILED', trace: 'boom\u001B[5m\u0007\nCaused by: \u001B[2Kx'})]})]}));
		await app.waitForFrame(text => text.includes('evil␛[2J␛[H␛[31m␇-sink'));
		expect(app.rawFrame()).not.toContain('\u0007');
		expect(app.rawFrame()).not.toContain('\u001B[2J');
		expect(app.rawFrame()).not.toContain('\u001B]0;');
		await app.press(keys.enter, '2', keys.enter);
		const frame = await app.waitForFrame(text => text.includes('Caused by: ␛[2Kx'));
		expect(frame).toContain('Trace evil␛[2J␛[H␛[31m␇-sink');
		expect(app.rawFrame()).not.toContain('\u0007');
		expect(app.rawFrame()).not.toContain('\u001B[5m');
	});

	it('renders only the rows that fit: 10,000 connectors', async () => {
		const connectors = Array.from({length: 10_000}, (_, index) => makeConnector({name: `conn-${String(index).padStart(5, '0')}`}));
		const {store, app} = start(makeSnapshot({connectors}), {rows: 30});
		let frame = await app.waitForFrame(text => text.includes('row 1/10000'));
		const rendered = linesOf(frame).filter(each => each.startsWith('conn-'));
		// 30 rows − 3 header − 2 footer − title − column header.
		expect(rendered).toHaveLength(23);
		expect(rendered[0]).toMatch(/^conn-00000 /);
		// Only the visible rows ask for their history (sparklines).
		expect(new Set(store.calls.history).size).toBeLessThanOrEqual(23);
		await app.press('G');
		frame = await app.waitForFrame(text => text.includes('row 10000/10000'));
		expect(linesOf(frame).filter(each => each.startsWith('conn-'))).toHaveLength(23);
		expect(frame).toContain('conn-09999');
	});

	it('re-lays out on a new size without asking the store for anything', async () => {
		const store = new FakeStore({snapshot: realisticSnapshot()});
		const narrow = renderApp({store, size: {columns: 80, rows: 24}});
		current = narrow;
		await narrow.waitForFrame(text => text.includes('row 1/7'));
		narrow.unmount();
		const wide = renderApp({store, size: {columns: 200, rows: 40}});
		current = wide;
		await wide.waitForFrame(text => text.includes('WORKERS'));
		expect(store.calls.refreshNow).toBe(0);
	});
});

describe('ascii mode', () => {
	it('uses ASCII sparklines and borders', async () => {
		const {store, app} = start(realisticSnapshot(), {ascii: true, columns: 160});
		store.setHistory('jdbc-sink', {lag: [0, 1, 2, 3, 4, 5, 6, 7], recordRate: [], errors: []});
		await app.press('j');
		let frame = await app.waitForFrame(text => text.includes(' .:-=+*#'));
		expect(frame).not.toMatch(/[▁▂▃▄▅▆▇█]/);
		await app.press('p');
		frame = await app.waitForFrame(text => text.includes('Confirm'));
		expect(frame).toMatch(/\+-{10,}\+/);
		expect(frame).not.toMatch(/[╭╮╰╯]/);
	});
});
