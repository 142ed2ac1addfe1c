import {describe, expect, it} from 'vitest';
import {KctopError, oneLine, stripControl} from '../source/clients/errors.js';

describe('KctopError', () => {
	it('treats 409 (rebalance), 429 and 5xx as retryable, other 4xx as final', () => {
		const http = (status: number) => new KctopError({kind: 'http', source: 'connect', message: 'x', status});
		expect(http(409).isRetryable).toBe(true);
		expect(http(429).isRetryable).toBe(true);
		expect(http(500).isRetryable).toBe(true);
		expect(http(404).isRetryable).toBe(false);
		expect(new KctopError({kind: 'auth', source: 'connect', message: 'x', status: 401}).isRetryable).toBe(false);
		expect(new KctopError({kind: 'connection', source: 'prometheus', message: 'x'}).isRetryable).toBe(true);
		expect(new KctopError({kind: 'malformed', source: 'prometheus', message: 'x'}).isRetryable).toBe(false);
	});

	it('keeps messages to one printable line', () => {
		const error = new KctopError({kind: 'http', source: 'connect', message: 'bad\n\u001B[31mred\u001B[0m\tname\u0007'});
		expect(error.message).toBe('bad red name');
	});
});

describe('oneLine / stripControl', () => {
	it('removes CSI and OSC sequences and C1 controls', () => {
		expect(stripControl('a\u001B]0;title\u0007b\u009B2Jc')).toBe('abc');
		expect(stripControl('line1\nline2')).toBe('line1\nline2');
	});

	it('caps the length with an ellipsis', () => {
		expect(oneLine('x'.repeat(20), 10)).toBe(`${'x'.repeat(9)}…`);
	});
});
