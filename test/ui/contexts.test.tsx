import {afterEach, describe, expect, it} from 'vitest';
import {FakeStore} from '../helpers/fake-store.js';
import {keys, renderApp, type RenderedApp} from '../helpers/render.js';
import {makeConnector, makeSnapshot, makeTask} from '../helpers/snapshot-factory.js';

/**
 * `:ctx` switching live, through ink-testing-library: the App on cluster a asks to switch
 * (run.tsx then starts the same App on cluster b's store and config, as these tests do), and
 * the header names the context in use. The real-terminal run is test/e2e/contexts.e2e.test.ts.
 */

const size = {columns: 140, rows: 30};
let app: RenderedApp | undefined;

afterEach(() => {
	app?.unmount();
	app = undefined;
});

function clusterStore(names: readonly string[]): FakeStore {
	return new FakeStore({snapshot: makeSnapshot({connectors: names.map(name => makeConnector({name, tasks: [makeTask({id: 0})]}))})});
}

describe(':ctx switching live', () => {
	it('the header names the context; :ctx b asks run to switch, and the App on b shows b', async () => {
		const asked: string[] = [];
		app = renderApp({store: clusterStore(['orders-a-sink', 'billing-a-source']), size, options: {contexts: {name: 'a', known: ['a', 'b']}}, onSwitchContext: name => {
			asked.push(name);
			return undefined;
		}});
		let frame = await app.waitForFrame(text => text.includes('orders-a-sink'));
		expect(frame.split('\n')[0]).toMatch(/^kctop ctx a · /);
		await app.type(':ctx b');
		await app.press(keys.enter);
		await app.waitForFrame(() => asked.length === 1);
		expect(asked).toEqual(['b']);

		// What run.tsx does when onSwitchContext accepted: the same App, on b's store and config.
		app.unmount();
		app = renderApp({store: clusterStore(['ledger-b-sink', 'audit-b-source', 'users-b-cdc']), size, options: {contexts: {name: 'b', known: ['a', 'b']}}});
		frame = await app.waitForFrame(text => text.includes('ledger-b-sink'));
		expect(frame.split('\n')[0]).toMatch(/^kctop ctx b · /);
		expect(frame).not.toContain('orders-a-sink');
		expect(frame).toMatch(/connectors 3\b/);
		await app.type(':ctx');
		await app.press(keys.enter);
		await app.waitForFrame(text => text.includes('contexts: a, b (current) · :ctx NAME switches'));
	});

	it('without a config file the header names no context', async () => {
		app = renderApp({store: clusterStore(['orders-a-sink']), size});
		const frame = await app.waitForFrame(text => text.includes('orders-a-sink'));
		expect(frame.split('\n')[0]).toMatch(/^kctop · Connect/);
	});
});
