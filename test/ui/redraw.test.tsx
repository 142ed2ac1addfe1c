import {setImmediate as nextMacrotask} from 'node:timers/promises';
import {render} from 'ink-testing-library';
import {afterEach, describe, expect, it} from 'vitest';
import {App} from '../../source/ui/app.js';
import {FakeStore} from '../helpers/fake-store.js';
import {realisticSnapshot, takenAt} from '../helpers/snapshot-factory.js';
import {until} from '../helpers/until.js';

let unmount: (() => void) | undefined;
afterEach(() => {
	unmount?.();
	unmount = undefined;
});

/** The live App on a fake store, with every frame Ink wrote (ink-testing-library draws each render). */
function drawApp(store: FakeStore): {readonly frames: string[]; readonly last: () => string} {
	// 160 columns: the header keeps its least important item, the refreshing marker, next to a down worker.
	const instance = render(<App store={store} options={{ascii: false, color: false, readOnly: false}} size={{columns: 160, rows: 30}} onExit={() => undefined} />);
	unmount = instance.unmount;
	return {frames: instance.frames, last: () => instance.lastFrame() ?? ''};
}

describe('redrawing only what changed', () => {
	it('draws no frame for a store change that leaves the screen as it was', async () => {
		const snapshot = realisticSnapshot();
		const store = new FakeStore({snapshot, now: takenAt});
		const app = drawApp(store);
		store.setState({refreshing: true});
		await until(() => app.last().includes('refreshing'), 'the refreshing marker');
		await nextMacrotask();
		const before = app.frames.length;
		// A new state object with nothing visible changed (the next-refresh time is not shown).
		store.setState({nextRefreshAt: takenAt + 2000});
		// React schedules store updates in a microtask: after a macrotask any render has happened.
		await nextMacrotask();
		store.setState({refreshing: false});
		await until(() => !app.last().includes('refreshing'), 'the refreshing marker gone');
		expect(app.frames.length - before).toBe(1);
	});

	it('draws a clock tick only when it moves an age on screen', async () => {
		const snapshot = realisticSnapshot();
		const store = new FakeStore({snapshot, now: takenAt});
		const app = drawApp(store);
		store.tick(takenAt + 100);
		await until(() => app.last().includes('REST ok 1s'), 'the age 1s');
		await nextMacrotask();
		const before = app.frames.length;
		store.tick(takenAt + 500); // still "1s"
		await nextMacrotask();
		store.tick(takenAt + 1100); // "2s"
		await until(() => app.last().includes('REST ok 2s'), 'the age 2s');
		expect(app.frames.length - before).toBe(1);
	});
});

describe('a refresh starting', () => {
	it('redraws the header alone: the grid is not rebuilt for the refreshing marker', async () => {
		const store = new FakeStore({snapshot: realisticSnapshot(), now: takenAt});
		const app = drawApp(store);
		await until(() => app.last().includes('mysql-cdc'), 'the grid');
		// The grid asks the store for each row's sparkline history when it is built.
		const historyCalls = store.calls.history.length;
		store.setState({refreshing: true});
		await until(() => app.last().includes('refreshing'), 'the refreshing marker');
		expect(store.calls.history.length).toBe(historyCalls);
		// A new snapshot rebuilds it.
		store.setState({refreshing: false, snapshot: realisticSnapshot({sequence: 2})});
		await until(() => !app.last().includes('refreshing'), 'the marker gone');
		expect(store.calls.history.length).toBeGreaterThan(historyCalls);
	});
});
