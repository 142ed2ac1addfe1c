import {render} from 'ink-testing-library';
import {afterEach, describe, expect, it} from 'vitest';
import {App} from '../../source/ui/app.js';
import {createScreenMemo} from '../../source/ui/screen-memo.js';
import {FakeStore} from '../helpers/fake-store.js';
import {realisticSnapshot, takenAt} from '../helpers/snapshot-factory.js';
import {until} from '../helpers/until.js';

let unmount: (() => void) | undefined;
afterEach(() => {
	unmount?.();
	unmount = undefined;
});

describe('the live view keeps the grid lines of unchanged rows', () => {
	it('rebuilds no row line for a refresh whose rows are the same objects, and one for a row that changed', async () => {
		const snapshot = realisticSnapshot();
		const store = new FakeStore({snapshot, now: takenAt});
		const memo = createScreenMemo();
		const instance = render(<App store={store} options={{ascii: false, color: false, readOnly: false}} size={{columns: 160, rows: 30}} onExit={() => undefined} memo={memo} />);
		unmount = instance.unmount;
		const last = (): string => instance.lastFrame() ?? '';
		await until(() => last().includes('mysql-cdc'), 'the grid');
		const built = memo.builds().rowLines;
		expect(built).toBe(snapshot.connectors.length);

		// The next refresh: a new snapshot and a later time, every row the same object.
		const refreshed = {...snapshot, sequence: 2, takenAt: takenAt + 2000};
		// The App builds the screen of a store change inside the store's listener, before setState returns.
		// The grid reads each row's history when it is built: that shows it was.
		const historyReads = store.calls.history.length;
		store.setState({snapshot: refreshed, now: takenAt + 2000});
		expect(store.calls.history.length).toBe(historyReads + snapshot.connectors.length);
		expect(memo.builds().rowLines).toBe(built);

		// One row changed: its line alone is built, and it is on screen.
		const paused = refreshed.connectors.map(row => (row.name === 'mysql-cdc' ? {...row, state: 'PAUSED' as const} : row));
		store.setState({snapshot: {...refreshed, sequence: 3, takenAt: takenAt + 4000, connectors: paused}, now: takenAt + 4000});
		await until(() => /mysql-cdc\s+source\s+\S+\s+PAUSED/.test(last()), 'mysql-cdc PAUSED on screen');
		expect(memo.builds().rowLines).toBe(built + 1);
	});
});
