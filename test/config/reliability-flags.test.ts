import {describe, expect, it} from 'vitest';
import {ConfigError, findUnknownFlag, parseByteSize, resolveConfig} from '../../source/config/config.js';

const environment = {env: {}, stdoutIsTTY: true};

describe('--max-body and --rebalance-wait', () => {
	it('default to 64 MB and 30 s', () => {
		const config = resolveConfig({}, environment);
		expect(config.maxBodyBytes).toBe(64 * 1024 * 1024);
		expect(config.rebalanceWaitMs).toBe(30_000);
	});

	it('read sizes in binary multiples, from the flag or the environment', () => {
		expect(parseByteSize('512KB')).toBe(512 * 1024);
		expect(parseByteSize('1.5 MiB')).toBe(1.5 * 1024 * 1024);
		expect(parseByteSize('2g')).toBe(2 * 1024 ** 3);
		expect(parseByteSize('4096')).toBe(4096);
		expect(parseByteSize('lots')).toBeUndefined();
		expect(parseByteSize('5 parsecs')).toBeUndefined();
		expect(resolveConfig({maxBody: '8MB', rebalanceWait: '0'}, environment)).toMatchObject({maxBodyBytes: 8 * 1024 * 1024, rebalanceWaitMs: 0});
		expect(resolveConfig({}, {...environment, env: {KCTOP_MAX_BODY: '1MB', KCTOP_REBALANCE_WAIT: '2m'}})).toMatchObject({maxBodyBytes: 1024 * 1024, rebalanceWaitMs: 120_000});
	});

	it('refuse nonsense with one line', () => {
		expect(() => resolveConfig({maxBody: 'huge'}, environment)).toThrow(new ConfigError('--max-body: expected a size such as 64MB or 512KB, got "huge"'));
		expect(() => resolveConfig({maxBody: '10'}, environment)).toThrow(/--max-body: must be at least 1KB/);
		expect(() => resolveConfig({rebalanceWait: 'soon'}, environment)).toThrow(/--rebalance-wait: expected a duration/);
	});
});

describe('flag errors do not echo secrets', () => {
	it('names a mistyped flag without its value', () => {
		expect(findUnknownFlag(['--pasword=hunter2-secret'])).toBe('--pasword');
		expect(findUnknownFlag(['--tokn', 'abc'])).toBe('--tokn');
	});

	it('does not print a malformed header line, nor the password of a bad URL', () => {
		expect(() => resolveConfig({header: ['Authorization Bearer tok-secret-1']}, environment)).toThrow(ConfigError);
		try {
			resolveConfig({header: ['Authorization Bearer tok-secret-1']}, environment);
		} catch (error) {
			expect(String(error)).not.toContain('tok-secret-1');
		}
		try {
			resolveConfig({connect: 'http://bob:pw-secret-2@bad host:8083'}, environment);
			expect.unreachable('a URL with a space is refused');
		} catch (error) {
			expect(String(error)).toContain('--connect: not an http(s) URL');
			expect(String(error)).not.toContain('pw-secret-2');
		}
	});
});
