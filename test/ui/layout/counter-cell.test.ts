import {describe, expect, it} from 'vitest';
import {connectorColumns, counterCell} from '../../../source/ui/layout/columns.js';
import {makeTheme} from '../../../source/ui/theme.js';
import {makeConnector} from '../../helpers/snapshot-factory.js';

const unicode = makeTheme({ascii: false, color: false});
const ascii = makeTheme({ascii: true, color: false});

describe('ERRORS and DLQ cells', () => {
	it('show the total and the increase over the window', () => {
		expect(counterCell('65', 12, false, unicode, {bold: true}).text).toBe('65 +12');
		expect(counterCell('65', 0, false, unicode, {bold: true}).text).toBe('65');
		expect(counterCell('65', undefined, false, unicode, {}).text).toBe('65');
	});

	it('mark a counter reset in the window, the increase counting from it, so it never exceeds what is known', () => {
		expect(counterCell('65', 12, true, unicode, {bold: true})).toEqual({text: '65 ↺+12', bold: true});
		expect(counterCell('65', 0, true, unicode, {bold: true})).toEqual({text: '65 ↺', dim: true});
		expect(counterCell('65', 12, true, ascii, {}).text).toBe('65 ~+12');
	});

	it('are what the grid draws for a connector whose worker died', () => {
		const errors = connectorColumns({theme: unicode, history: undefined}).find(column => column.id === 'errors');
		const row = makeConnector({name: 'jdbc-sink-orders', recordErrors: 60, recordFailures: 5, errorsIncrease: 4, errorsReset: true});
		expect(errors?.cell(row, 14).text).toBe('65 ↺+4');
	});
});
