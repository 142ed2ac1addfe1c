import {describe, expect, it} from 'vitest';
import {createFormEncoder} from '../../source/clients/http.js';
import {batchedQueries} from '../helpers/batched-queries.js';

describe('createFormEncoder', () => {
	it('encodes as URLSearchParams does, while the query stays and the time moves, and when the query changes back and forth', () => {
		const encode = createFormEncoder();
		const reference = (params: Record<string, string>): string => new URLSearchParams(params).toString();
		const odd = 'sum by (connector) (x{name=~"a b&c=d+e"}) or ü 🙂 ␛ \n % #';
		const sequence = [...batchedQueries, batchedQueries[0] ?? '', odd, batchedQueries[0] ?? '', odd, odd];
		expect(batchedQueries.every(query => query.length > 2000)).toBe(true);
		sequence.forEach((query, index) => {
			for (const time of ['1764288000', '1764288002.5', '1764288000']) {
				const params = {query, time: `${time}${index}`};
				expect(encode(params)).toBe(reference(params));
			}
		});
		expect(encode({})).toBe('');
		expect(encode({query: '', time: ''})).toBe(reference({query: '', time: ''}));
	});
});
