import {describe, expect, it} from 'vitest';
import {renderSnapshotText} from '../../source/ui/once.js';
import {displayWidth} from '../../source/ui/text.js';
import {makeConnector, makeSnapshot, makeWorker} from '../helpers/snapshot-factory.js';

/** Display column at which the first match of `pattern` starts in `line`. */
function columnOf(line: string, pattern: RegExp): number {
	const match = pattern.exec(line);
	if (match === null) throw new Error(`no ${String(pattern)} in ${JSON.stringify(line)}`);
	return displayWidth(line.slice(0, match.index));
}

describe('the grid with hostile and international names', () => {
	const names = ['漢字コネクタ-cdc', 'cafe\u0301-résumé', '🚀👨‍👩‍👧-rocket', 'שלום-مرحبا-rtl', 'plain-ascii', 'w\u001B[31mred\u009B2J\u0007'];
	const snapshot = makeSnapshot({
		connectors: names.map(name => makeConnector({name, type: 'source', state: 'RUNNING'})),
		workers: [makeWorker({id: 'w1:8083'}), makeWorker({id: 'w\u001B[31m1:8083'}), makeWorker({id: 'ワーカー:8083'})],
	});

	for (const columns of [80, 120, 200]) {
		it(`keeps every column aligned at ${columns} columns (wide, combining, emoji, RTL, control characters)`, () => {
			const text = renderSnapshotText(snapshot, {columns, ascii: false, color: false});
			const lines = text.split('\n');
			for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(columns);
			const header = lines.find(line => /^NAME\s/.test(line)) ?? '';
			const stateColumn = columnOf(header, /STATE/);
			const typeColumn = /TYPE/.test(header) ? columnOf(header, /TYPE/) : undefined;
			const rows = lines.slice(lines.indexOf(header) + 1, lines.indexOf(header) + 1 + names.length);
			expect(rows).toHaveLength(names.length);
			for (const row of rows) {
				expect(columnOf(row, / RUNNING/) + 1).toBe(stateColumn);
				if (typeColumn !== undefined) expect(columnOf(row, / source /) + 1).toBe(typeColumn);
				// Rows end where their last cell ends (an empty CAUSE leaves no padding): never wider than the header.
				expect(displayWidth(row)).toBeLessThanOrEqual(displayWidth(header));
				expect(displayWidth(row.trimEnd())).toBe(displayWidth(row));
			}
			expect(text).not.toMatch(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/);
		});
	}

	it('shows the spoofed worker id apart from the real one in the workers table', () => {
		const text = renderSnapshotText(snapshot, {columns: 160, ascii: false, color: false});
		const lines = text.split('\n');
		for (const id of ['w1:8083 ', 'w␛[31m1:8083 ', 'ワーカー:8083 ']) expect(lines.filter(line => line.startsWith(id))).toHaveLength(1);
		expect(text).toContain('w␛[31mred⟨U+009B⟩2J␇');
	});
});
