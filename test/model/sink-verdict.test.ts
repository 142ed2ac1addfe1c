import {describe, expect, it} from 'vitest';
import {createSteppedClock} from '../../source/demo/clock.js';
import {startDemoCluster} from '../../source/demo/server.js';
import {checkSnapshot} from '../../source/model/check.js';
import {formatCatchUp, sinkVerdict, type SinkWindow} from '../../source/model/sink-verdict.js';
import type {ClusterSnapshot, ConnectorRow} from '../../source/model/types.js';
import {lineText} from '../../source/ui/lines.js';
import {renderSnapshotText} from '../../source/ui/once.js';
import {makeTheme} from '../../source/ui/theme.js';
import {detailContent} from '../../source/ui/views/detail-view.js';
import {connectorColumns} from '../../source/ui/layout/columns.js';
import {makeConnector, makeTask} from '../helpers/snapshot-factory.js';
import {demoStore, stepTo} from '../helpers/demo-store.js';

const nan = Number.NaN;

/** A RUNNING sink with two running tasks, one point every 2 s. */
function window(partial: Partial<SinkWindow>): SinkWindow {
	const length = partial.lag?.length ?? 6;
	return {
		lag: Array.from({length}, () => 0),
		readRate: Array.from({length}, () => 40),
		commits: Array.from({length}, (_, i) => 10 + i),
		stepMs: 2000,
		connectorState: 'RUNNING',
		tasksRunning: 2,
		tasksTotal: 2,
		...partial,
	};
}

describe('sinkVerdict on synthetic windows', () => {
	it('OK with no lag: caught up', () => {
		const verdict = sinkVerdict(window({}));
		expect(verdict).toMatchObject({verdict: 'OK', catchUp: {kind: 'caught-up'}, trend: 'steady', points: 6});
		expect(formatCatchUp(verdict?.catchUp ?? {kind: 'unknown'})).toBe('—');
	});

	it('OK while a backlog drains, with the time to catch up from the lag slope', () => {
		// 1000 records less every 2 s: 500/s; 2000 left → 4 s.
		const verdict = sinkVerdict(window({lag: [7000, 6000, 5000, 4000, 3000, 2000]}));
		expect(verdict?.verdict).toBe('OK');
		expect(verdict?.trend).toBe('draining');
		expect(verdict?.slopePerSecond).toBeCloseTo(-500);
		expect(verdict?.catchUp).toEqual({kind: 'eta', ms: 4000});
		expect(formatCatchUp(verdict?.catchUp ?? {kind: 'unknown'})).toBe('~4s');
	});

	it('a slow drain of a large backlog reads in minutes', () => {
		const verdict = sinkVerdict(window({lag: [12_600, 12_500, 12_400, 12_300, 12_200, 12_100], stepMs: 2000}));
		// 50 records/s, 12,100 left: ~242 s → 4m.
		expect(formatCatchUp(verdict?.catchUp ?? {kind: 'unknown'})).toBe('~4m');
	});

	it('WARN when lag rises over the whole window while records are read: catch-up never', () => {
		const verdict = sinkVerdict(window({lag: [100, 300, 300, 700, 900, 1200]}));
		expect(verdict).toMatchObject({verdict: 'WARN', trend: 'growing', catchUp: {kind: 'never'}});
		expect(verdict?.reason).toContain('rose over the window');
	});

	it('not WARN once the lag went down within the window (a spike draining)', () => {
		expect(sinkVerdict(window({lag: [100, 2000, 4000, 3000, 3500, 3600]}))?.verdict).toBe('OK');
	});

	it('STALL when nothing is read over the window with lag, while commits go on', () => {
		const verdict = sinkVerdict(window({lag: [500, 540, 580, 620, 660, 700], readRate: [0, 0, 0, 0, 0, 0]}));
		expect(verdict).toMatchObject({verdict: 'STALL', catchUp: {kind: 'never'}});
		expect(verdict?.reason).toBe('no record read over the window, lag 700, offsets still committed');
	});

	it('no STALL when one point of the window still read records', () => {
		expect(sinkVerdict(window({lag: [500, 540, 580, 620, 660, 700], readRate: [3, 0, 0, 0, 0, 0]}))?.verdict).toBe('WARN');
	});

	it('STOP when no offset commit moved over the window with lag', () => {
		const verdict = sinkVerdict(window({lag: [500, 540, 580, 620, 660, 700], readRate: [0, 0, 0, 0, 0, 0], commits: [42, 42, 42, 42, 42, 42]}));
		expect(verdict).toMatchObject({verdict: 'STOP', catchUp: {kind: 'never'}});
		expect(verdict?.reason).toBe('no offset commit over the window, lag 700');
	});

	it('a counter reset (task restarted) counts as commits: not STOP', () => {
		expect(sinkVerdict(window({lag: [500, 540, 580, 620, 660, 700], readRate: [0, 0, 0, 0, 0, 0], commits: [42, 42, 42, 0, 1, 2]}))?.verdict).toBe('STALL');
	});

	it('STOP with no task running and no commits metric at all, even before the window fills', () => {
		const verdict = sinkVerdict(window({lag: [900], readRate: [nan], commits: [nan], tasksRunning: 0}));
		expect(verdict).toMatchObject({verdict: 'STOP', reason: 'no task running, lag 900'});
	});

	it('STOP with no commits while no task runs, lag or not', () => {
		expect(sinkVerdict(window({commits: [5, 5, 5, 5, 5, 5], tasksRunning: 0}))?.verdict).toBe('STOP');
		// Idle and healthy: no lag, tasks running, no commit needed.
		expect(sinkVerdict(window({commits: [5, 5, 5, 5, 5, 5], readRate: [0, 0, 0, 0, 0, 0]}))?.verdict).toBe('OK');
	});

	it('no verdict without a lag, or with fewer than three lag values', () => {
		expect(sinkVerdict(window({lag: [nan, nan, nan]}))).toBeUndefined();
		expect(sinkVerdict(window({lag: [nan, 100, 200]}))).toBeUndefined();
	});

	it('skips gaps; without a time step there is a trend but no estimate', () => {
		const verdict = sinkVerdict(window({lag: [7000, nan, 5000, nan, 3000, 2000], stepMs: undefined}));
		expect(verdict).toMatchObject({verdict: 'OK', trend: 'draining', slopePerSecond: undefined, catchUp: {kind: 'unknown'}});
	});

	it('steady lag while reading: catch-up never', () => {
		expect(sinkVerdict(window({lag: [300, 300, 300, 300, 300, 300]}))).toMatchObject({verdict: 'OK', trend: 'steady', catchUp: {kind: 'never'}});
	});

	it('formats long estimates in hours and days', () => {
		expect(formatCatchUp({kind: 'eta', ms: 3 * 3_600_000})).toBe('~3h');
		expect(formatCatchUp({kind: 'eta', ms: 72 * 3_600_000})).toBe('~3d');
		expect(formatCatchUp({kind: 'never'})).toBe('never');
	});
});

describe('the LAG cell of a sink', () => {
	const coloured = makeTheme({ascii: false, color: true});
	const lagCell = (row: ConnectorRow) => {
		const column = connectorColumns({theme: coloured, history: undefined}).find(each => each.id === 'lag');
		if (column === undefined) throw new Error('no LAG column');
		return column.cell(row, 11);
	};
	const stalled = sinkVerdict(window({lag: [500, 540, 580, 620, 660, 1700], readRate: [0, 0, 0, 0, 0, 0]}));
	const base = {name: 'orders-sink', type: 'sink', lag: 1700, lagUnit: 'records', sink: stalled} as const;

	it('puts the verdict in place of the unit: red for a RUNNING sink that does not drain, yellow for a paused one', () => {
		const running = lagCell(makeConnector({...base, state: 'RUNNING', tasks: [makeTask({id: 0, state: 'RUNNING'})]}));
		expect(running).toMatchObject({text: '1.7k STALL', color: coloured.fg('red'), bold: true});
		const paused = lagCell(makeConnector({...base, state: 'PAUSED', tasks: [makeTask({id: 0, state: 'PAUSED'})]}));
		expect(paused).toMatchObject({text: '1.7k STALL', color: coloured.fg('yellow'), bold: false});
		expect(lagCell(makeConnector({...base, state: 'RUNNING', sink: sinkVerdict(window({lag: [1900, 1800, 1700]}))}))).toEqual({text: '1.7k rec'});
	});
});

describe('the simulator produces each verdict (stepped clock, direct scrape)', () => {
	const sinkName = 'jdbc-sink-orders';
	const verdictAfter = async (mode: 'normal' | 'slow' | 'stalled' | 'stopped'): Promise<{row: ConnectorRow; snapshot: ClusterSnapshot; check: ReturnType<typeof checkSnapshot>}> => {
		const start = Date.UTC(2026, 10, 22, 3, 0, 0);
		const clock = createSteppedClock(start);
		// steady: no scripted incidents; the switch is the only thing that happens to the sink.
		const demo = await startDemoCluster({seed: 3, clock, scenario: 'steady', sinks: [`${sinkName}=${mode}`]});
		// A 20 s window (10 points of 2 s): the verdict looks at those.
		const store = demoStore(demo, clock, {historyWindowMs: 20_000});
		try {
			const snapshot = await stepTo(store, demo, clock, start, 40);
			const row = snapshot.connectors.find(each => each.name === sinkName);
			if (!row) throw new Error(`${sinkName} missing`);
			return {row, snapshot, check: checkSnapshot(snapshot)};
		} finally {
			store.stop();
			await demo.close();
		}
	};

	it('refuses a switch on a connector that is not a sink, before opening any port', async () => {
		await expect(startDemoCluster({sinks: ['file-source-audit=stalled']})).rejects.toThrow('bad sink switch "file-source-audit=stalled": no sink connector named file-source-audit');
	});

	it('normal → OK; slow → WARN; stalled → STALL; stopped → STOP, and check warns for the last two', async () => {
		const normal = await verdictAfter('normal');
		expect(normal.row.sink?.verdict).toBe('OK');
		expect(normal.check.findings.filter(finding => finding.subject === sinkName)).toEqual([]);

		const slow = await verdictAfter('slow');
		expect(slow.row.sink).toMatchObject({verdict: 'WARN', trend: 'growing', catchUp: {kind: 'never'}});
		expect(slow.row.health).not.toBe('crit');

		const stalled = await verdictAfter('stalled');
		expect(stalled.row.sink?.verdict).toBe('STALL');
		expect(stalled.row.severity).toBe('lagging');
		expect(stalled.check.status).toBe('WARNING');
		expect(stalled.check.findings).toContainEqual(expect.objectContaining({subject: sinkName, status: 'WARNING', text: expect.stringMatching(/^sink STALL: no record read over the window, lag [\d.]+k?, offsets still committed \(catch-up never\)$/)}));

		// The grid (80 columns, as --once prints it) puts the verdict in the LAG cell; the Overview says trend and catch-up.
		const text = renderSnapshotText(stalled.snapshot, {columns: 80, ascii: false, color: false});
		expect(text.split('\n').every(line => line.length <= 80)).toBe(true);
		expect(text.split('\n').find(line => line.startsWith(sinkName))).toMatch(/ [\d.]+k? STALL /);
		const overview = detailContent({view: {kind: 'detail', connector: sinkName, tab: 'overview', task: 0, scroll: 0}, connector: stalled.row, detail: undefined, history: {lag: [], recordRate: [], errors: []}, theme: makeTheme({ascii: false, color: false}), width: 80, height: 40}).map(lineText);
		expect(overview).toContainEqual(expect.stringMatching(/^lag +[\d.]+k? rec, growing; catch-up never$/));
		expect(overview).toContainEqual(expect.stringMatching(/^lag verdict +STALL  no record read over the window/));

		const stopped = await verdictAfter('stopped');
		expect(stopped.row.sink?.verdict).toBe('STOP');
		expect(stopped.row.tasks.every(task => task.state === 'RUNNING')).toBe(true);
		expect(stopped.check.findings).toContainEqual(expect.objectContaining({subject: sinkName, status: 'WARNING', text: expect.stringMatching(/^sink STOP: no offset commit over the window/)}));
	});
});
