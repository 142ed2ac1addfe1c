import {describe, expect, it} from 'vitest';
import {connectorColumns} from '../../source/ui/layout/columns.js';
import {lineText} from '../../source/ui/lines.js';
import {renderSnapshotText} from '../../source/ui/once.js';
import {makeTheme} from '../../source/ui/theme.js';
import {detailContent} from '../../source/ui/views/detail-view.js';
import type {ConnectorRow} from '../../source/model/types.js';
import {makeConnector, makeDebezium, makeSnapshot} from '../helpers/snapshot-factory.js';

/** The DBZ cell of the grid: queue fill once half the queue is in use, snapshot progress in rows where tables are not reported. */

const theme = makeTheme({ascii: false, color: false});
const dbzCell = (row: ConnectorRow): string => {
	const column = connectorColumns({theme, history: undefined}).find(each => each.id === 'dbz');
	if (column === undefined) throw new Error('no DBZ column');
	return column.cell(row, 19).text;
};
const cdc = (debezium: Parameters<typeof makeDebezium>[0]): ConnectorRow => makeConnector({name: 'cdc', debezium: makeDebezium({server: 'cdc', plugin: 'mysql', ...debezium})});

describe('the DBZ cell', () => {
	it('adds the queue fill from half full on, not below', () => {
		expect(dbzCell(cdc({connected: true, queueTotal: 8192, queueRemaining: 8000}))).toBe('yes');
		expect(dbzCell(cdc({connected: true, queueTotal: 8192, queueRemaining: 1065}))).toBe('yes q87%');
		expect(dbzCell(cdc({connected: false, queueTotal: 1000, queueRemaining: 0}))).toBe('NO q100%');
		// Unknown capacities: nothing to say.
		expect(dbzCell(cdc({connected: true, queueTotal: undefined, queueRemaining: 10}))).toBe('yes');
	});

	it('shows snapshot progress in tables, else in rows read, else the word', () => {
		expect(dbzCell(cdc({snapshotRunning: true, connected: false, snapshotTablesTotal: 4, snapshotTablesRemaining: 1, snapshotRows: 9000}))).toBe('SNAPSHOT 3/4');
		expect(dbzCell(cdc({snapshotRunning: true, connected: false, snapshotRows: 12_345}))).toBe('SNAPSHOT 12.3k rows');
		expect(dbzCell(cdc({snapshotRunning: true, connected: false}))).toBe('SNAPSHOT');
	});

	it('fits the 80-column grid, and the Overview gives the queue as a share', () => {
		const row = cdc({connected: true, queueTotal: 8192, queueRemaining: 1065});
		const text = renderSnapshotText(makeSnapshot({connectors: [row]}), {columns: 80, ascii: false, color: false});
		expect(text.split('\n').every(line => line.length <= 80)).toBe(true);
		expect(text).toContain('yes q87%');
		const overview = detailContent({view: {kind: 'detail', connector: 'cdc', tab: 'overview', task: 0, scroll: 0}, connector: row, detail: undefined, history: {lag: [], recordRate: [], errors: []}, theme, width: 80, height: 40}).map(lineText);
		expect(overview).toContainEqual(expect.stringMatching(/^queue +7127 of 8192 used \(87%\)$/));
	});
});
