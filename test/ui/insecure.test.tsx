import {describe, expect, it} from 'vitest';
import {FakeStore} from '../helpers/fake-store.js';
import {renderApp} from '../helpers/render.js';
import {realisticSnapshot} from '../helpers/snapshot-factory.js';

describe('--insecure in the live view', () => {
	it('marks the header while TLS verification is off, and only then', async () => {
		const snapshot = realisticSnapshot();
		const insecure = renderApp({store: new FakeStore({snapshot}), size: {columns: 80, rows: 24}, options: {insecure: true}});
		const frame = await insecure.waitForFrame(text => text.includes('kctop'));
		expect(frame.split('\n')[0]).toMatch(/^ INSECURE TLS  kctop/);
		insecure.unmount();
		const verified = renderApp({store: new FakeStore({snapshot}), size: {columns: 80, rows: 24}});
		expect(await verified.waitForFrame(text => text.includes('kctop'))).not.toContain('INSECURE');
		verified.unmount();
	});
});
