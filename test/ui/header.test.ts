import {describe, expect, it} from 'vitest';
import {fitLine, lineText, segment, type Line} from '../../source/ui/lines.js';
import {displayWidth} from '../../source/ui/text.js';
import {makeTheme} from '../../source/ui/theme.js';
import {fitHeaderItems, headerLines, headerPriority, isRebalancing, type HeaderItem} from '../../source/ui/views/header.js';
import {makeHealth, makeWorker, realisticSnapshot, staleRest, takenAt, unreachablePrometheus} from '../helpers/snapshot-factory.js';

const theme = makeTheme({ascii: false, color: false});
const texts = (lines: readonly Line[]): string[] => lines.map(each => lineText(each));
const conflict = makeHealth({source: 'rest', stale: true, lastSuccessAt: takenAt - 3000, lastAttemptAt: takenAt - 500, lastError: '409 Conflict: Cannot complete request momentarily due to stale configuration (typically caused by a concurrent config change)', endpoint: 'http://connect-1.kafka-connect.prod.example.internal:8083', consecutiveFailures: 2});
const calm = [makeWorker({id: 'c1:8083'}), makeWorker({id: 'c2:8083'})];

describe('the header at 80 columns', () => {
	it('keeps DEMO, FROZEN, REBALANCING, the stale marker and the failed-task count when everything is on at once', () => {
		const snapshot = realisticSnapshot({rest: conflict, metrics: unreachablePrometheus(), workers: calm});
		const lines = texts(headerLines({snapshot, demo: true, refreshing: true, frozen: {at: takenAt, changesSinceFreeze: 12}, theme, width: 80}));
		for (const each of lines) expect(displayWidth(each)).toBeLessThanOrEqual(80);
		const [first = '', second = '', ...banners] = lines;
		for (const marker of [' DEMO ', 'kctop', ' REBALANCING ', ' FROZEN ', 'workers 2/2']) expect(first).toContain(marker);
		// The long cluster id and the spinner gave way first.
		expect(first).not.toContain('Tqe8nxuwRZq0m6pJq0Hbmw');
		expect(first).not.toContain('refreshing');
		expect(second).toContain('failed tasks 2');
		// Two failing sources: two banners, each with its marker and what it means; the URL went first.
		expect(banners).toHaveLength(2);
		expect(banners[0]).toMatch(/^⚠ REST stale 3s: 409 Conflict: .*… — showing the last good data$/);
		expect(banners[0]).not.toContain('example.internal');
		expect(banners[1]).toBe('⚠ metrics unavailable: connect ECONNREFUSED 127.0.0.1… — showing what REST knows');
	});

	it('names the first worker that is down, since when (the journal\'s) and why, and how many more', () => {
		const workers = [makeWorker({id: 'connect-1:8083'}), makeWorker({id: 'connect-2:8083', up: false, liveness: 'exporter'}), makeWorker({id: 'connect-3:8083', up: false, liveness: 'rest'}), makeWorker({id: '10.0.0.9:9404', up: false, pairing: 'unpaired'})];
		const snapshot = realisticSnapshot({workers});
		const since = new Map([['connect-2:8083', takenAt - 12_000]]);
		const [first = ''] = texts(headerLines({snapshot, demo: false, refreshing: false, frozen: undefined, theme, width: 80, workerSince: id => since.get(id)}));
		// At 80 columns the version gives way; the down worker, its age and the reason stay.
		expect(first).toBe('kctop · workers 1/3 · connect-2:8083 down 12s (exporter not answering) +1');
		const [alone = ''] = texts(headerLines({snapshot: realisticSnapshot({workers: [makeWorker({id: 'c1:8083'}), makeWorker({id: 'c2:8083', up: false, liveness: 'rest'})]}), demo: false, refreshing: false, frozen: undefined, theme, width: 200}));
		expect(alone).toContain('workers 1/2 · c2:8083 down (REST not answering)');
	});

	it('shows everything in full where there is room, and without a width', () => {
		const snapshot = realisticSnapshot({rest: staleRest(), workers: calm});
		const wide = texts(headerLines({snapshot, demo: false, refreshing: true, frozen: {at: takenAt, changesSinceFreeze: 1}, theme, width: 300}));
		expect(wide[0]).toBe('kctop · Connect 3.9.0 · cluster Tqe8nxuwRZq0m6pJq0Hbmw · workers 2/2 ·  FROZEN  1 change since freeze ⟳ refreshing');
		expect(wide[3]).toBe('⚠ REST stale 34s: connection refused (http://c1:8083) — showing the last good data');
		expect(texts(headerLines({snapshot, demo: false, refreshing: true, frozen: {at: takenAt, changesSinceFreeze: 1}, theme}))).toEqual(wide);
	});

	it('in a 40-column terminal the markers still come first and nothing is wider', () => {
		const snapshot = realisticSnapshot({rest: staleRest(), workers: calm});
		const lines = texts(headerLines({snapshot, demo: true, refreshing: false, frozen: {at: takenAt, changesSinceFreeze: 3}, theme, width: 40}));
		expect(lines[0]).toBe(' DEMO  kctop · workers 2/2 ·  FROZEN ');
		// The reason goes before what the marker means.
		expect(lines[3]).toBe('⚠ REST stale 34s — showing the last goo…');
		for (const each of lines) expect(displayWidth(fitLine({segments: [segment(each)]}, 40).segments[0]?.text ?? '')).toBe(displayWidth(each));
	});
});

describe('isRebalancing', () => {
	it('is true while Connect answers 409 Conflict, or a worker metric says so', () => {
		expect(isRebalancing(realisticSnapshot({rest: conflict, workers: calm}))).toBe(true);
		expect(isRebalancing(realisticSnapshot({workers: [...calm, makeWorker({id: 'c3:8083', rebalancing: true})]}))).toBe(true);
		expect(isRebalancing(realisticSnapshot({rest: staleRest(), workers: calm}))).toBe(false);
		expect(isRebalancing(realisticSnapshot({workers: calm}))).toBe(false);
	});
});

describe('fitHeaderItems', () => {
	const item = (text: string, priority: number, minWidth?: number): HeaderItem => ({priority, segments: [segment(text)], separator: segment(' '), minWidth});
	const fit = (items: HeaderItem[], width: number): string => lineText(fitHeaderItems(items, width));

	it('cuts the least important item to its minimum, then drops it, then the next; order is kept', () => {
		const items = [item('MARK', headerPriority.marker), item('counts 1/2', headerPriority.counts), item('a-very-long-url', headerPriority.long, 6)];
		expect(fit(items, 100)).toBe('MARK counts 1/2 a-very-long-url');
		expect(fit(items, 25)).toBe('MARK counts 1/2 a-very-l…');
		expect(fit(items, 20)).toBe('MARK counts 1/2');
		expect(fit(items, 10)).toBe('MARK');
		// A marker is never dropped; fitLine cuts what still does not fit.
		expect(fit(items, 2)).toBe('MARK');
	});

	it('takes one more item as one more entry', () => {
		const base = [item('MARK', headerPriority.marker), item('detail', headerPriority.detail)];
		expect(fit([...base, item('pairing failed', headerPriority.marker)], 20)).toBe('MARK pairing failed');
	});
});
