import {afterAll, afterEach, describe, expect, it} from 'vitest';
import {FakeStore} from '../helpers/fake-store.js';
import {realisticSnapshot} from '../helpers/snapshot-factory.js';

// Ink colours through chalk, which decides its colour level when it is first loaded:
// force colour before Ink is imported (vitest gives every test file its own modules).
const previousForceColor = process.env['FORCE_COLOR'];
process.env['FORCE_COLOR'] = '1';
const {renderApp} = await import('../helpers/render.js');

afterAll(() => {
	// The worker process may run other test files next: leave the environment as found.
	if (previousForceColor === undefined) delete process.env['FORCE_COLOR'];
	else process.env['FORCE_COLOR'] = previousForceColor;
});

let unmount: (() => void) | undefined;
afterEach(() => {
	unmount?.();
	unmount = undefined;
});

// SGR foreground colours 30–37 and 90–97 (bright), as chalk writes them.
const foreground = /\u001B\[(?:3[0-7]|9[0-7])m/;

describe('colour', () => {
	it('colours states and highlights the selected row', async () => {
		const store = new FakeStore({snapshot: realisticSnapshot(), demo: true});
		const app = renderApp({store, size: {columns: 140, rows: 30}, options: {color: true}});
		unmount = app.unmount;
		await app.waitForFrame(text => text.includes('jdbc-sink'));
		const raw = app.rawFrame();
		expect(raw).toMatch(/\u001B\[32mRUNNING/);
		expect(raw).toMatch(/\u001B\[33mPAUSED/);
		// The selected row (the first) is drawn in reverse video.
		expect(raw).toMatch(/\u001B\[7mdebezium-sqlserver-source/);
		// The demo marker is unmistakable: reverse video.
		expect(raw).toMatch(/\u001B\[7m(?:\u001B\[[0-9;]*m)* DEMO /);
		expect(app.frame().startsWith(' DEMO  kctop')).toBe(true);
	});

	it('has no colour at all with NO_COLOR (color: false), keeping reverse video for the selection', async () => {
		const store = new FakeStore({snapshot: realisticSnapshot()});
		const app = renderApp({store, size: {columns: 140, rows: 30}, options: {color: false}});
		unmount = app.unmount;
		await app.waitForFrame(text => text.includes('jdbc-sink'));
		const raw = app.rawFrame();
		expect(raw).not.toMatch(foreground);
		expect(raw).toMatch(/\u001B\[7mdebezium-sqlserver-source/);
	});
});
