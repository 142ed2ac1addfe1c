import {afterEach, describe, expect, it} from 'vitest';
import {capLength, showControl} from '../../source/clients/errors.js';
import {forgetSecrets, maskText, registerSecret, scrubSecrets} from '../../source/clients/secrets.js';
import {displayWidth, fit, safe, safeLines, truncate, wrap} from '../../source/ui/text.js';

describe('safe', () => {
	afterEach(() => forgetSecrets());

	it('gives what it gave before for a text seen before, until a secret is registered or forgotten', () => {
		const error = 'connection refused (http://kctop:s3cr3t-token@c1:8083)\u001B[2J';
		const uncached = (text: string, max?: number): string => capLength(showControl(scrubSecrets(text)), max ?? 500);
		const texts = [error, 'connect-1:8083', 's3cr3t-token', 'x'.repeat(1200) + 's3cr3t-token', 'é🙂'.repeat(40)];
		const check = (): void => {
			for (const text of texts) for (const max of [undefined, 8, 80, 2000]) for (let again = 0; again < 2; again++) expect(safe(text, max)).toBe(uncached(text, max));
		};
		check();
		expect(safe('s3cr3t-token')).toBe('s3cr3t-token');
		registerSecret('s3cr3t-token');
		check();
		expect(safe('s3cr3t-token')).toBe(maskText);
		expect(safe(texts[3], 2000)).toContain(maskText);
		forgetSecrets();
		check();
		expect(safe('s3cr3t-token')).toBe('s3cr3t-token');
	});

	it('neutralises escape sequences, BEL and other control characters visibly', () => {
		const hostile = 'evil\u001B[2J\u001B[31mname\u0007\u001B]0;title\u0007\u009B1A-x';
		const cleaned = safe(hostile);
		expect(cleaned).toBe('evil␛[2J␛[31mname␇␛]0;title␇⟨U+009B⟩1A-x');
		expect(cleaned).not.toMatch(/[\u0000-\u001F\u007F-\u009F]/);
	});

	it('keeps a spoofed worker id apart from the real one', () => {
		expect(safe('w\u001B[31m1:8083')).toBe('w␛[31m1:8083');
		expect(safe('w\u001B[31m1:8083')).not.toBe(safe('w1:8083'));
	});

	it('shows newlines and tabs instead of folding them, and accepts undefined', () => {
		expect(safe('a\nb\tc')).toBe('a␊b␉c');
		expect(safe('a\nb')).not.toBe(safe('a b'));
		expect(safe(undefined)).toBe('');
	});
});

describe('safeLines', () => {
	it('keeps lines, expands tabs, drops CR and trailing blank lines', () => {
		expect(safeLines('Exception: x\r\n\tat a.b(C.java:1)\n\u001B[31mCaused by: y\n\n')).toEqual(['Exception: x', '    at a.b(C.java:1)', '␛[31mCaused by: y']);
		expect(safeLines(undefined)).toEqual([]);
	});
});

describe('width-aware truncation', () => {
	it('counts CJK and emoji as two columns', () => {
		expect(displayWidth('漢字')).toBe(4);
		expect(displayWidth('ab')).toBe(2);
		expect(displayWidth('🚀')).toBe(2);
	});

	it('truncates with an ellipsis by display width', () => {
		expect(truncate('connector-with-a-long-name', 10)).toBe('connector…');
		expect(displayWidth(truncate('漢字漢字漢字', 7))).toBeLessThanOrEqual(7);
		expect(truncate('short', 10)).toBe('short');
		expect(truncate('anything', 0)).toBe('');
	});

	it('fits to an exact width on either side', () => {
		expect(fit('ab', 5)).toBe('ab   ');
		expect(fit('ab', 5, 'right')).toBe('   ab');
		expect(displayWidth(fit('漢字漢字漢字', 7))).toBe(7);
	});

	it('wraps by display width without splitting graphemes', () => {
		expect(wrap('abcdefgh', 3)).toEqual(['abc', 'def', 'gh']);
		const pieces = wrap('漢字漢字漢', 4);
		expect(pieces).toEqual(['漢字', '漢字', '漢']);
		expect(wrap('👨‍👩‍👧x', 2)).toEqual(['👨‍👩‍👧', 'x']);
	});

	it('measures and cuts the same text alike every time, at each width (widths and cuts are remembered)', () => {
		for (let round = 0; round < 2; round++) {
			expect(displayWidth('注文 · ⟳')).toBe(8);
			expect(truncate('connect-2.example:8083', 10)).toBe('connect-2…');
			expect(truncate('connect-2.example:8083', 6)).toBe('conne…');
			expect(truncate('注文注文', 5)).toBe('注文…');
		}
	});
});
