import {describe, expect, it} from 'vitest';
import stringWidth from 'string-width';
import {flagSpecs, kebab} from '../source/config/config.js';
import {helpText, maxHelpWidth, wrapWords} from '../source/help.js';
import {requireBuild, runCli} from './e2e/stack.js';

const widest = (text: string): number => Math.max(...text.split('\n').map(line => stringWidth(line)));

describe('kctop --help', () => {
	it.each([[40], [60], [79], [80], [120], [200], [undefined]])('fits a terminal %s columns wide, and never more than 80', columns => {
		const text = helpText(columns);
		expect(widest(text)).toBeLessThanOrEqual(Math.min(columns ?? maxHelpWidth, maxHelpWidth));
		// Nothing is lost to the wrapping: every flag and its environment variable are there.
		const words = text.split(/\s+/);
		for (const [name, spec] of Object.entries(flagSpecs)) {
			expect(text).toContain(`--${kebab(name)}`);
			expect(words.some(word => word.startsWith(spec.env))).toBe(true);
		}
	});

	it('wraps on spaces and keeps a word longer than the width whole', () => {
		expect(wrapWords('one two three four', 9)).toEqual(['one two', 'three', 'four']);
		expect(wrapWords('see http://a-very-long-host.example:8083 now', 10)).toEqual(['see', 'http://a-very-long-host.example:8083', 'now']);
	});

	it('the built CLI prints it within 80 columns when stdout is not a terminal', async () => {
		requireBuild();
		const {code, stdout} = await runCli(['--help']);
		expect(code).toBe(0);
		expect(stdout).toContain('--prometheus-header');
		expect(widest(stdout)).toBeLessThanOrEqual(80);
	});
});

describe('a URL flag that is not a URL', () => {
	it('is a flag error: one line, exit 2, no connection attempted', async () => {
		requireBuild();
		const {code, stdout, stderr} = await runCli(['--connect', 'notaurl', '--once']);
		expect(stderr).toBe('kctop: --connect: not an http(s) URL: "notaurl" (write http://HOST:PORT)\n');
		expect(stdout).toBe('');
		expect(code).toBe(2);
	});
});
