import {describe, expect, it} from 'vitest';
import {parseExposition} from '../../source/clients/scrape/parser.js';

/**
 * Cases the fuzz suite found, kept as plain tests so they stay fixed whatever the
 * generators do later.
 */

// eslint-disable-next-line no-control-regex
const control = /[\u0000-\u001F\u007F-\u009F]/;

describe('fuzz regressions: exposition errors are printable', () => {
	it('a line ending in CR CR LF reports the value without the stray CR (fuzz seed 0x5eed0201)', () => {
		const {samples, errors} = parseExposition('kafka_connect_worker_connector_count 1.0\r\r\nkafka_connect_worker_task_count 3.0\n');
		expect(samples).toEqual([{name: 'kafka_connect_worker_task_count', labels: {}, value: 3}]);
		expect(errors).toEqual(['line 1: invalid value "1.0" (column 42): kafka_connect_worker_connector_count 1.0']);
	});

	it('escape codes in quoted label and metric names do not reach the error text', () => {
		const text = ['m{"\u001B[31mx"="1","\u001B[31mx"="2"} 1', 'm{"a\u0007" 1', '# HELP "n\u001B]0;t\u0007" one', '# HELP "n\u001B]0;t\u0007" two', 'm 1 \u001B[2J'].join('\n');
		const {errors} = parseExposition(text);
		expect(errors).toHaveLength(4);
		for (const error of errors) expect(error).not.toMatch(control);
		expect(errors[0]).toContain('duplicate label [31mx');
	});
});
