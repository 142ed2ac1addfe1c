import {describe, expect, it} from 'vitest';
import {ConfigError, findUnknownFlag, resolveConfig} from '../../source/config/config.js';
import {parseDuration} from '../../source/config/duration.js';

const tty = {env: {LANG: 'en_US.UTF-8'}, stdoutIsTTY: true};

describe('resolveConfig', () => {
	it('defaults to the local stack (REST :8083, Prometheus :9090), 2 s refresh, TUI', () => {
		const config = resolveConfig({}, tty);
		expect(config.connectUrls).toEqual(['http://localhost:8083']);
		expect(config.prometheusUrl).toBe('http://localhost:9090');
		expect(config.intervalMs).toBe(2000);
		expect(config.mode).toBe('tui');
		expect(config.ascii).toBe(false);
		expect(config.color).toBe(true);
	});

	it('reads every flag from KCTOP_* variables, flags winning over the environment', () => {
		const env = {LANG: 'C.UTF-8', KCTOP_CONNECT_URL: 'http://c1:8083,c2:8083', KCTOP_PROMETHEUS_URL: 'https://mimir/prometheus', KCTOP_INTERVAL: '5s', KCTOP_PROMETHEUS_HEADERS: 'X-Scope-OrgID: team-a', KCTOP_READ_ONLY: 'true', KCTOP_CONNECT_USER: 'ops', KCTOP_CONNECT_PASSWORD: 's3cret'};
		const config = resolveConfig({interval: '1s'}, {env, stdoutIsTTY: true});
		expect(config.connectUrls).toEqual(['http://c1:8083', 'http://c2:8083']);
		expect(config.prometheusUrl).toBe('https://mimir/prometheus');
		expect(config.intervalMs).toBe(1000);
		expect(config.prometheusHeaders).toEqual({'X-Scope-OrgID': 'team-a'});
		expect(config.readOnly).toBe(true);
		expect(config.connectAuth).toEqual({type: 'basic', username: 'ops', password: 's3cret'});
	});

	it('--clipboard (or KCTOP_CLIPBOARD) goes with the live view and -o markdown; the flag elsewhere is a clear error', () => {
		expect(resolveConfig({}, tty).clipboard).toBe(false);
		expect(resolveConfig({clipboard: true}, tty).clipboard).toBe(true);
		expect(resolveConfig({clipboard: true, output: 'markdown'}, tty)).toMatchObject({mode: 'once', output: 'markdown', clipboard: true});
		expect(resolveConfig({}, {env: {KCTOP_CLIPBOARD: '1'}, stdoutIsTTY: true}).clipboard).toBe(true);
		const refusal = '--clipboard copies the incident report: it goes with the live view (key P) or --once -o markdown';
		expect(() => resolveConfig({clipboard: true, output: 'json'}, tty)).toThrow(refusal);
		expect(() => resolveConfig({clipboard: true, once: true}, tty)).toThrow(refusal);
		expect(() => resolveConfig({clipboard: true}, {...tty, command: 'check'})).toThrow(refusal);
		// Set in the environment, it stays out of the way of outputs that are not the report.
		expect(resolveConfig({output: 'json'}, {env: {KCTOP_CLIPBOARD: 'true'}, stdoutIsTTY: true}).output).toBe('json');
	});

	it('switches to one-shot output when stdout is not a terminal or JSON is asked for', () => {
		expect(resolveConfig({}, {env: {}, stdoutIsTTY: false}).mode).toBe('once');
		// Keys need raw mode on stdin: `kctop < /dev/null` prints a snapshot instead of failing.
		expect(resolveConfig({}, {env: {}, stdoutIsTTY: true, stdinIsTTY: false}).mode).toBe('once');
		expect(resolveConfig({output: 'json'}, tty)).toMatchObject({mode: 'once', output: 'json'});
	});

	it('honours NO_COLOR and falls back to ASCII when the locale is not UTF-8', () => {
		const config = resolveConfig({}, {env: {NO_COLOR: '1', LANG: 'C'}, stdoutIsTTY: true});
		expect(config.color).toBe(false);
		expect(config.ascii).toBe(true);
		expect(resolveConfig({color: false}, tty).color).toBe(false);
	});

	it('uses direct scraping instead of Prometheus and refuses both at once', () => {
		const config = resolveConfig({scrape: 'http://w1:9404/metrics,http://w2:9404/metrics'}, tty);
		expect(config.scrapeUrls).toHaveLength(2);
		expect(config.prometheusUrl).toBeUndefined();
		expect(() => resolveConfig({scrape: 'http://w1:9404/metrics', prometheus: 'http://p:9090'}, tty)).toThrow(/exclusive/);
		expect(resolveConfig({prometheus: 'none'}, tty).prometheusUrl).toBeUndefined();
	});

	it.each([
		[{interval: 'fast'}, /--interval: expected a duration such as 2s/],
		[{interval: '10ms'}, /--interval: must be at least 200ms/],
		[{connect: 'ftp://c1'}, /--connect: not an http\(s\) URL: "ftp:\/\/c1"/],
		[{connect: 'http://exa mple'}, /--connect: not an http\(s\) URL/],
		[{connect: 'notaurl'}, /^--connect: not an http\(s\) URL: "notaurl" \(write http:\/\/HOST:PORT\)$/],
		[{connect: 'http://c1:8083,c2'}, /--connect: not an http\(s\) URL: "c2"/],
		[{prometheus: 'prometheus'}, /--prometheus: not an http\(s\) URL: "prometheus"/],
		[{output: 'yaml'}, /--output: expected table, json or markdown/],
		[{header: ['no colon here']}, /--header: expected "Name: value"/],
		[{workerMap: 'a=b,broken'}, /--worker-map: expected INSTANCE=WORKER_ID/],
		[{prometheusJob: '(['}, /--prometheus-job: not a valid regular expression/],
		[{token: 't', user: 'u'}, /--token and --user are exclusive/],
		[{lagWarn: '5m', lagCrit: '1m'}, /--lag-crit must not be below --lag-warn/],
	])('rejects %j with one clear line', (flags, message) => {
		expect(() => resolveConfig(flags, tty)).toThrow(ConfigError);
		expect(() => resolveConfig(flags, tty)).toThrow(message);
	});

	it('rejects a bad boolean in the environment', () => {
		expect(() => resolveConfig({}, {env: {KCTOP_INSECURE: 'maybe'}, stdoutIsTTY: true})).toThrow(/KCTOP_INSECURE: expected true or false/);
	});

	it('runs `check` with --max-lag as the critical lag, and refuses --max-lag elsewhere', () => {
		const config = resolveConfig({maxLag: '30s'}, {...tty, command: 'check'});
		expect(config.mode).toBe('check');
		expect(config.lagCritMs).toBe(30_000);
		expect(config.lagWarnMs).toBe(30_000);
		expect(() => resolveConfig({maxLag: '30s'}, tty)).toThrow(/--max-lag goes with `kctop check`/);
	});

	it('reads the check thresholds (flags or environment) and refuses them outside `check`', () => {
		expect(resolveConfig({}, {...tty, command: 'check'}).check).toEqual({allowPaused: false, warnUnassigned: false, maxErrorsIncrease: 0});
		expect(resolveConfig({allowPaused: true, warnUnassigned: true, maxErrorsIncrease: 10}, {...tty, command: 'check'}).check).toEqual({allowPaused: true, warnUnassigned: true, maxErrorsIncrease: 10});
		expect(resolveConfig({}, {...tty, command: 'check', env: {KCTOP_MAX_ERRORS_INCREASE: '3'}}).check.maxErrorsIncrease).toBe(3);
		expect(() => resolveConfig({allowPaused: true}, tty)).toThrow(/--allow-paused goes with `kctop check`/);
		expect(() => resolveConfig({maxErrorsIncrease: -1}, {...tty, command: 'check'})).toThrow(/--max-errors-increase: expected a whole number/);
	});

	it('needs no Connect URL in demo mode', () => {
		expect(resolveConfig({demo: true, scale: 50}, tty).demo).toEqual({seed: 1, scale: 50});
	});
});

describe('parseDuration', () => {
	it.each([
		['2s', 2000],
		['500ms', 500],
		['1m30s', 90_000],
		['3', 3000],
		['1.5s', 1500],
		['1h', 3_600_000],
	])('%s → %d ms', (text, ms) => {
		expect(parseDuration(text)).toBe(ms);
	});

	it.each(['', 's', '2x', '2s junk', '-1s'])('rejects %j', text => {
		expect(parseDuration(text)).toBeUndefined();
	});
});

describe('findUnknownFlag', () => {
	it('accepts every known form and skips flag values', () => {
		expect(findUnknownFlag(['--connect', 'http://c1:8083', '--no-color', '-o', 'json', '--interval=5s', '--read-only', '--prometheus-job', '-weird-regex', 'check', '--help'])).toBeUndefined();
	});

	it('names the first unknown flag', () => {
		expect(findUnknownFlag(['--connect', 'x', '--bogus'])).toBe('--bogus');
		expect(findUnknownFlag(['-x'])).toBe('-x');
		expect(findUnknownFlag(['--no-connect', 'x'])).toBe('--no-connect');
		expect(findUnknownFlag(['--', '--anything'])).toBeUndefined();
	});
});
