import {describe, expect, it} from 'vitest';
import {workerColumns} from '../../source/ui/layout/columns.js';
import {lineText} from '../../source/ui/lines.js';
import {makeTheme} from '../../source/ui/theme.js';
import {detailContent} from '../../source/ui/views/detail-view.js';
import {headerLines} from '../../source/ui/views/header.js';
import {makeConnector, makeDebezium, makeSnapshot, makeTask, makeWorker} from '../helpers/snapshot-factory.js';

/** What the views make of the pairing, liveness and Debezium fields: header, workers view, connector detail. */

const theme = makeTheme({ascii: false, color: true});

function firstLine(workers: ReturnType<typeof makeWorker>[]) {
	const [line] = headerLines({snapshot: makeSnapshot({workers}), demo: false, refreshing: false, frozen: undefined, theme});
	if (!line) throw new Error('no header');
	return line;
}

describe('header: workers', () => {
	it('unknown liveness (no exporter, REST cannot vouch) is counted apart and not shown as an outage', () => {
		const line = firstLine([makeWorker({id: 'c1:8083', up: undefined, liveness: 'unknown'}), makeWorker({id: 'c2:8083', up: true})]);
		expect(lineText(line)).toContain('workers 1/2 (1 ?)');
		const segment = line.segments.find(each => each.text.startsWith('workers'));
		expect(segment?.bold).not.toBe(true);
	});

	it('a worker down is red and bold', () => {
		const segment = firstLine([makeWorker({id: 'c1:8083', up: false}), makeWorker({id: 'c2:8083'})]).segments.find(each => each.text.startsWith('workers'));
		expect(segment).toMatchObject({text: 'workers 1/2', bold: true, color: theme.fg('red')});
	});

	it('says pairing failed and names --worker-map; the unpaired exporter is not a worker', () => {
		const line = firstLine([makeWorker({id: 'c1:8083'}), makeWorker({id: '127.0.0.1:9406', pairing: 'unpaired', inRest: false})]);
		expect(lineText(line)).toContain('workers 1/1');
		expect(lineText(line)).toContain('1 exporter unpaired: --worker-map');
	});

	it('the workers view marks the unpaired row', () => {
		const id = workerColumns(theme).find(column => column.id === 'id');
		expect(id?.cell(makeWorker({id: '127.0.0.1:9406', pairing: 'unpaired'}), 40).text).toBe('unpaired 127.0.0.1:9406');
		expect(id?.cell(makeWorker({id: 'c1:8083'}), 40).text).toBe('c1:8083');
	});
});

describe('connector detail: Debezium snapshot and queue, last known workers', () => {
	const input = (connector: ReturnType<typeof makeConnector>) => ({view: {kind: 'detail' as const, connector: connector.name, tab: 'overview' as const, task: 0, scroll: 0}, connector, detail: undefined, history: {lag: [], recordRate: [], errors: []}, theme, width: 100, height: 40});

	it('shows the snapshot progress and how full the queue is', () => {
		const connector = makeConnector({name: 'cdc', debezium: makeDebezium({connected: false, snapshotRunning: true, snapshotTablesTotal: 8, snapshotTablesRemaining: 5, queueRemaining: 512, queueTotal: 8192})});
		const text = detailContent(input(connector)).map(lineText).join('\n');
		expect(text).toMatch(/connected\s+SNAPSHOT 3\/8/);
		expect(text).toMatch(/queue\s+7680 of 8192 used/);
	});

	it('an UNASSIGNED task shows its worker as last known', () => {
		const connector = makeConnector({name: 'sink', tasks: [makeTask({id: 0, state: 'UNASSIGNED', workerId: 'c2:8083'}), makeTask({id: 1, workerId: 'c1:8083'})]});
		const text = detailContent({...input(connector), view: {kind: 'detail', connector: 'sink', tab: 'tasks', task: 0, scroll: 0}}).map(lineText).join('\n');
		expect(text).toMatch(/UNASSIGNED\s+c2:8083\?/);
		expect(text).toMatch(/RUNNING\s+c1:8083(?!\?)/);
	});
});
