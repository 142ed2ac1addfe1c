import {describe, expect, it} from 'vitest';
import {connectorColumns} from '../../../source/ui/layout/columns.js';
import {headerLine, layoutColumns, rowLine, type Column} from '../../../source/ui/layout/table.js';
import {lineText} from '../../../source/ui/lines.js';
import {displayWidth} from '../../../source/ui/text.js';
import {makeTheme} from '../../../source/ui/theme.js';
import {realisticConnectors} from '../../helpers/snapshot-factory.js';

const theme = makeTheme({ascii: false, color: false});
const history = (): {lag: number[]; recordRate: number[]; errors: number[]} => ({lag: [1, 2, 3], recordRate: [], errors: []});

function ids<R>(placed: ReadonlyArray<{readonly column: Column<R>}>): string[] {
	return placed.map(each => each.column.id);
}

describe('layoutColumns', () => {
	const rows = realisticConnectors();
	const columns = connectorColumns({theme, history});

	it('drops low-priority columns first at 80 columns and fits the width', () => {
		const placed = layoutColumns(columns, rows, 80);
		// Full names (up to 32 columns) and "0/1 1 FAILED" come before the lag trend and EV/S.
		expect(ids(placed)).toEqual(['name', 'state', 'flag', 'tasks', 'dbz', 'lag', 'errors']);
		expect(placed.find(each => each.column.id === 'name')?.width).toBe(Math.max(...rows.map(row => displayWidth(row.name))));
		const total = placed.reduce((sum, each) => sum + each.width, 0) + placed.length - 1;
		expect(total).toBeLessThanOrEqual(80);
	});

	it('shows every column at 300 columns, names in full', () => {
		const placed = layoutColumns(columns, rows, 300);
		expect(ids(placed)).toEqual(columns.map(column => column.id));
		const name = placed.find(each => each.column.id === 'name');
		expect(name?.width).toBe(Math.max(...rows.map(row => displayWidth(row.name))));
	});

	it('shows the time since the last Debezium event next to the lag, which freezes when the source is quiet', () => {
		const quiet = rows.find(row => row.debezium !== undefined);
		if (!quiet?.debezium) throw new Error('the realistic connectors have a Debezium row');
		const stale = {...quiet, debezium: {...quiet.debezium, msSinceLastEvent: 75_000, noEventYet: false}};
		const fresh = {...quiet, debezium: {...quiet.debezium, msSinceLastEvent: undefined, noEventYet: true}};
		const placed = layoutColumns(columns, [stale, fresh, ...rows.filter(row => row.debezium === undefined).slice(0, 1)], 300);
		expect(lineText(headerLine(placed))).toMatch(/LAG\s.*LAST EV/);
		const cells = (row: (typeof rows)[number]) => lineText(rowLine(placed, row, false));
		expect(cells(stale)).toMatch(/\b1m15s\b/);
		expect(cells(fresh)).toMatch(/\bnone\b/);
	});

	it('draws the state of a connector that changed in the latest refresh in reverse video', () => {
		const [first, second] = rows;
		if (!first || !second) throw new Error('two rows needed');
		const marked = connectorColumns({theme, history, changed: name => name === first.name});
		const state = marked.find(column => column.id === 'state');
		expect(state?.cell(first, 10).inverse).toBe(true);
		expect(state?.cell(second, 10).inverse).toBe(false);
		expect(columns.find(column => column.id === 'state')?.cell(first, 10).inverse).toBe(false);
	});

	it('CAUSE shows the root cause of a FAILED task (else the first problem) and is the first column to go', () => {
		const wide = layoutColumns(columns, rows, 300);
		expect(ids(wide).at(-1)).toBe('cause');
		const failed = rows.find(row => row.name === 'debezium-sqlserver-source');
		if (!failed) throw new Error('the realistic connectors have the SQL Server row');
		expect(lineText(rowLine(wide, failed, false))).toMatch(/SQLServerException: The SELECT permission was denied/);
		let width = 300;
		while (ids(layoutColumns(columns, rows, width)).includes('cause')) width -= 1;
		// One column narrower than CAUSE needs, and only CAUSE is gone.
		expect(ids(layoutColumns(columns, rows, width))).toEqual(ids(wide).slice(0, -1));
	});

	it('keeps priority-1 columns even when they do not fit', () => {
		expect(ids(layoutColumns(columns, rows, 20))).toEqual(['name', 'state', 'flag', 'tasks']);
	});

	it('renders header and rows as fixed-width cells, truncating with an ellipsis', () => {
		const placed = layoutColumns(columns, rows, 40);
		const header = lineText(headerLine(placed));
		expect(header.startsWith('NAME')).toBe(true);
		const first = [...rows].sort((a, b) => displayWidth(b.name) - displayWidth(a.name))[0];
		if (first === undefined) throw new Error('no rows');
		const line = rowLine(placed, first, true);
		expect(line.inverse).toBe(true);
		expect(displayWidth(lineText(line))).toBe(displayWidth(header));
		expect(lineText(line)).toContain('…');
	});
});
