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

describe('showControl is one-to-one', () => {
	/** The inverse of showControl: if every output decodes back to its input, no two inputs print the same. */
	function decode(shown: string): string {
		return shown.replace(/⟨U\+([0-9A-F]{4,6})⟩|[\u2400-\u241F\u2421]/g, (match, hex: string | undefined) => {
			if (hex !== undefined) return String.fromCodePoint(Number.parseInt(hex, 16));
			const code = match.codePointAt(0) ?? 0;
			return code === 0x2421 ? '\u007F' : String.fromCodePoint(code - 0x2400);
		});
	}

	it('decodes back to the input for 20,000 generated strings built from the characters that matter', () => {
		// Controls, the encoding's own characters, look-alikes and plain text, drawn with a fixed seed.
		const alphabet = ['\u0000', '\u001B', '\u0007', '\t', '\n', '\u007F', '\u0080', '\u009B', '\u00A0', '\u200B', '\u202E', '\uFEFF', '\uD800', '\u2400', '\u241B', '\u2421', '⟨', '⟩', 'U', '+', '0', '9', 'B', 'a', ' ', '[', '漢', '\u0301', '😀'];
		let seed = 42;
		const next = (): number => {
			seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
			return seed;
		};
		for (let i = 0; i < 20_000; i++) {
			const length = next() % 12;
			let text = '';
			for (let j = 0; j < length; j++) text += alphabet[next() % alphabet.length];
			const shown = showControl(text);
			expect(decode(shown)).toBe(text);
			expect(shown).not.toMatch(/[\u0000-\u001F\u007F-\u009F\u202E\uFEFF]/);
		}
	});
});
