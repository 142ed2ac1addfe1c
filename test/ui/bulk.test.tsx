import {afterEach, describe, expect, it} from 'vitest';
import type {ClusterSnapshot} from '../../source/model/types.js';
import {FakeStore} from '../helpers/fake-store.js';
import {keys, linesOf, renderApp, type RenderedApp} from '../helpers/render.js';
import {makeConnector, makeSnapshot, makeTask, realisticSnapshot} from '../helpers/snapshot-factory.js';

let current: RenderedApp | undefined;

function start(snapshot: ClusterSnapshot, size = {columns: 140, rows: 40}): {store: FakeStore; app: RenderedApp} {
	const store = new FakeStore({snapshot});
	const app = renderApp({store, size, options: {readOnly: false}});
	current = app;
	return {store, app};
}

afterEach(() => {
	current?.unmount();
	current = undefined;
});

const armed = (text: string): boolean => text.includes('Confirm:') && text.includes('n cancel') && !text.includes('waiting for the keyboard');
/** Ctrl-space reaches a terminal program as NUL. */
const ctrlSpace = '\u0000';

describe('marks and bulk actions in the live view', () => {
	it('Space marks rows with a marker that survives a new sort; the footer counts them; ctrl-space clears', async () => {
		const {app} = start(realisticSnapshot());
		await app.waitForFrame(text => text.includes('source-datagen-01'));
		await app.press(keys.space, 'j', keys.space);
		let frame = await app.waitForFrame(text => text.includes('2 marked'));
		expect(linesOf(frame).filter(line => line.startsWith('✓ '))).toEqual([expect.stringMatching(/^✓ debezium-sqlserver-source /), expect.stringMatching(/^✓ oracle_tsm /)]);
		// Sort by name: the marks follow the names.
		await app.press('N');
		frame = await app.waitForFrame(text => text.includes('sort name'));
		expect(linesOf(frame).filter(line => line.startsWith('✓ ')).map(line => line.split(/\s+/)[1])).toEqual(['debezium-sqlserver-source', 'oracle_tsm']);
		expect(frame).toContain('2 marked');
		await app.press(ctrlSpace);
		frame = await app.waitForFrame(text => text.includes('cleared 2 marks'));
		expect(frame).not.toContain('✓ ');
		expect(frame).not.toContain('2 marked');
	});

	it('the dialog lists every call to every marked connector and the ones left out; y sends them all once', async () => {
		const {store, app} = start(realisticSnapshot());
		await app.waitForFrame(text => text.includes('source-datagen-01'));
		await app.press(keys.space, 'j', keys.space, 'G', keys.space);
		await app.waitForFrame(text => text.includes('3 marked'));
		await app.press('r');
		const dialog = await app.waitForFrame(armed);
		expect(dialog).toContain('Confirm: restart failed on 3 connectors');
		expect(dialog).toContain('2 calls to 2 connectors, sent in this order, each once:');
		expect(dialog).toContain('POST /connectors/debezium-sqlserver-source/restart?includeTasks=true&onlyFailed=true');
		expect(dialog).toContain('POST /connectors/oracle_tsm/restart?includeTasks=true&onlyFailed=true');
		expect(dialog).toContain('not sent to 1 marked connector:');
		expect(dialog).toMatch(/✗ \S+: nothing has failed in /);
		await app.press('y');
		await app.waitForFrame(text => text.includes('restart failed on 3 connectors: 202 Accepted'));
		expect(store.calls.runAction).toEqual([
			{kind: 'restart-connector', connector: 'debezium-sqlserver-source', includeTasks: true, onlyFailed: true},
			{kind: 'restart-connector', connector: 'oracle_tsm', includeTasks: true, onlyFailed: true},
		]);
	});

	it('a long list stops at 24 lines with "+N more"; on Connect 2.4 each FAILED task is its own call', async () => {
		const connectors = Array.from({length: 10}, (_, index) => makeConnector({name: `sink-${String(index).padStart(2, '0')}`, tasks: [makeTask({id: 0, state: 'FAILED'}), makeTask({id: 1}), makeTask({id: 2, state: 'FAILED'}), makeTask({id: 3, state: 'FAILED'})]}));
		const snapshot = makeSnapshot({connectors, cluster: {version: '2.4.1', commit: 'abc', kafkaClusterId: 'id'}});
		const {store, app} = start(snapshot, {columns: 120, rows: 60});
		await app.waitForFrame(text => text.includes('sink-00'));
		for (let index = 0; index < 10; index++) await app.press(keys.space, 'j');
		await app.waitForFrame(text => text.includes('10 marked'));
		await app.press('r');
		const dialog = await app.waitForFrame(armed);
		const calls = linesOf(dialog).filter(line => /POST \/connectors\/sink-\d\d\/tasks\/\d\/restart/.test(line));
		expect(calls).toHaveLength(23);
		expect(calls.slice(0, 4).map(line => line.trim().replace(/^│\s*|\s*│$/g, ''))).toEqual(['POST /connectors/sink-00/tasks/0/restart', 'POST /connectors/sink-00/tasks/2/restart', 'POST /connectors/sink-00/tasks/3/restart', 'POST /connectors/sink-01/tasks/0/restart']);
		expect(dialog).toContain('+7 more (7 more calls)');
		expect(dialog).toContain('30 calls to 10 connectors');
		expect(dialog).toContain('restart?onlyFailed needs 3.0');
		await app.press('y');
		await app.waitForFrame(text => text.includes('restart failed on 10 connectors'));
		// Every call once, the ones the dialog did not have room for included.
		expect(store.calls.runAction).toHaveLength(30);
		expect(new Set(store.calls.runAction.map(call => JSON.stringify(call))).size).toBe(30);
	});
});
