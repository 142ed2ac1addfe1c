import {describe, expect, it} from 'vitest';
import {KctopError, oneLine, showControl, stripControl} from '../source/clients/errors.js';

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
		expect(error.message).toBe('bad ␛[31mred␛[0m name␇');
	});
});

describe('showControl', () => {
	it('shows C0 as control pictures, DEL as ␡ and C1 as a code point', () => {
		expect(showControl('w\u001B[31m1:8083')).toBe('w␛[31m1:8083');
		expect(showControl('a\u0000b\u0007c\td\ne\u007Ff\u009B2Jg')).toBe('a␀b␇c␉d␊e␡f⟨U+009B⟩2Jg');
	});

	it('shows invisible format characters and lone surrogates', () => {
		expect(showControl('admin\u202Etxt.exe')).toBe('admin⟨U+202E⟩txt.exe');
		expect(showControl('a\u200Bb\u00A0c\uFEFF')).toBe('a⟨U+200B⟩b⟨U+00A0⟩c⟨U+FEFF⟩');
		expect(showControl('x\uD800y')).toBe('x⟨U+D800⟩y');
	});

	it('leaves printable text, wide characters, combining marks, emoji and RTL letters alone', () => {
		for (const text of ['plain-name_1', '漢字コネクタ', 'café', 'cafe\u0301', '🚀👨‍👩‍👧', 'שלום-مرحبا', 'C:\\path\\x', 'a⟩b']) expect(showControl(text)).toBe(text);
	});

	it('never maps two different strings to the same text', () => {
		const samples = ['w1:8083', 'w\u001B[31m1:8083', 'w␛[31m1:8083', 'w\u009B31m1:8083', 'w⟨U+009B⟩31m1:8083', '⟨U+001B⟩', '\u001B', '␛', 'a\u2400', 'a\u0000', 'a b', 'a\u00A0b', 'a\tb', 'a␉b', 'ab', 'a\u200Bb', 'x\uD800', 'x⟨U+D800⟩'];
		const shown = samples.map(showControl);
		expect(new Set(shown).size).toBe(samples.length);
	});
});

describe('oneLine / stripControl', () => {
	it('stripControl (typed input only) removes CSI and OSC sequences and C1 controls', () => {
		expect(stripControl('a\u001B]0;title\u0007b\u009B2Jc')).toBe('abc');
		expect(stripControl('line1\nline2')).toBe('line1\nline2');
	});

	it('caps the length with an ellipsis', () => {
		expect(oneLine('x'.repeat(20), 10)).toBe(`${'x'.repeat(9)}…`);
	});
});
