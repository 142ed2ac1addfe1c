import * as z from 'zod';
import type {HttpAuth} from '../clients/http.js';
import {autoProfileName, profileNames} from '../metrics/profiles/index.js';
import {scrubSecrets} from '../clients/secrets.js';
import {parseDuration} from './duration.js';

/**
 * Everything kctop runs with, resolved from flags, then KCTOP_* environment variables,
 * then defaults. Pure (argv and env come in as values) so it is tested directly; the
 * CLI turns a ConfigError into one line on stderr and exit code 2.
 */

export interface Config {
	readonly mode: 'tui' | 'once' | 'check';
	readonly output: 'table' | 'json' | 'markdown';
	readonly demo: {readonly seed: number; readonly scale: number} | undefined;
	readonly connectUrls: readonly string[];
	readonly prometheusUrl: string | undefined;
	readonly scrapeUrls: readonly string[];
	readonly intervalMs: number;
	readonly timeoutMs: number;
	/** The live view's timeout of a Prometheus request or of an exporter body that keeps arriving: at least timeoutMs (see StoreOptions.metricsWait). */
	readonly queryTimeoutMs: number;
	readonly historyWindowMs: number;
	readonly rateWindowMs: number;
	/** `auto` (detect from the series names) or a built-in profile's name. */
	readonly profile: string;
	/** A YAML naming profile to use instead (forced). */
	readonly profileFile: string | undefined;
	readonly prometheusJob: string;
	readonly workerMap: ReadonlyMap<string, string>;
	readonly connectAuth: HttpAuth | undefined;
	readonly prometheusAuth: HttpAuth | undefined;
	readonly connectHeaders: Readonly<Record<string, string>>;
	readonly prometheusHeaders: Readonly<Record<string, string>>;
	readonly caFile: string | undefined;
	readonly insecure: boolean;
	readonly readOnly: boolean;
	readonly ascii: boolean;
	readonly color: boolean;
	readonly lagWarnMs: number;
	readonly lagCritMs: number;
	/** `--clipboard`: the incident report (`P`, `--once -o markdown`) is also copied with OSC 52. */
	readonly clipboard: boolean;
	/** --once and check: how long to keep asking while Connect answers 409 (rebalance). */
	readonly rebalanceWaitMs: number;
	/** Largest response body accepted from any source. */
	readonly maxBodyBytes: number;
	/** The named cluster of the config file in use, and every name the file knows (for `:ctx`). */
	readonly context: {readonly name: string; readonly known: readonly string[]} | undefined;
	/** Thresholds of `kctop check` beyond the lag limits. */
	readonly check: {readonly allowPaused: boolean; readonly warnUnassigned: boolean; readonly maxErrorsIncrease: number};
}

export class ConfigError extends Error {
	override readonly name = 'ConfigError';
}

type FlagKind = 'string' | 'boolean' | 'number';

export interface FlagSpec {
	readonly kind: FlagKind;
	readonly env: string;
	readonly description: string;
	readonly default?: string | boolean | number;
	readonly shortFlag?: string;
	readonly isMultiple?: boolean;
	readonly placeholder?: string;
}

/** The flags, in the order --help lists them. Every flag has an environment variable. */
export const flagSpecs = {
	context: {kind: 'string', env: 'KCTOP_CONTEXT', placeholder: 'NAME', description: 'named cluster of the config file (default: its current-context)'},
	config: {kind: 'string', env: 'KCTOP_CONFIG', placeholder: 'FILE', description: 'config file of named clusters (default: ~/.config/kctop/config.yaml)'},
	connect: {kind: 'string', env: 'KCTOP_CONNECT_URL', placeholder: 'URL[,URL…]', description: 'Kafka Connect REST URL(s) of any worker(s); kctop fails over between them', default: 'http://localhost:8083'},
	prometheus: {kind: 'string', env: 'KCTOP_PROMETHEUS_URL', placeholder: 'URL|none', description: 'Prometheus-compatible API (Prometheus, Thanos, Mimir, VictoriaMetrics); "none" to run on REST only', default: 'http://localhost:9090'},
	scrape: {kind: 'string', env: 'KCTOP_SCRAPE_URLS', placeholder: 'URL[,URL…]', description: 'read the workers\' JMX exporter endpoints directly instead of Prometheus'},
	interval: {kind: 'string', env: 'KCTOP_INTERVAL', placeholder: 'DURATION', description: 'refresh interval', default: '2s'},
	timeout: {kind: 'string', env: 'KCTOP_TIMEOUT', placeholder: 'DURATION', description: 'per-request timeout; in the live view, how long a refresh waits for the metrics before drawing without them', default: '5s'},
	queryTimeout: {kind: 'string', env: 'KCTOP_QUERY_TIMEOUT', placeholder: 'DURATION', description: 'how long a Prometheus query, or an exporter body that keeps arriving, may take before kctop gives up on it (at least --timeout)', default: '60s'},
	history: {kind: 'string', env: 'KCTOP_HISTORY', placeholder: 'DURATION', description: 'history window of sparklines, charts and error increases', default: '5m'},
	rateWindow: {kind: 'string', env: 'KCTOP_RATE_WINDOW', placeholder: 'DURATION', description: 'window of PromQL rate() for events/s', default: '1m'},
	profile: {kind: 'string', env: 'KCTOP_PROFILE', placeholder: 'NAME', description: `metric naming profile: ${profileNames().join(', ')} (auto detects it from the series names)`, default: autoProfileName},
	profileFile: {kind: 'string', env: 'KCTOP_PROFILE_FILE', placeholder: 'FILE', description: 'use the naming profile in this YAML file (see "Writing a profile file")'},
	prometheusJob: {kind: 'string', env: 'KCTOP_PROMETHEUS_JOB', placeholder: 'REGEX', description: 'Prometheus job(s) whose `up` series are Connect workers', default: '.*connect.*'},
	workerMap: {kind: 'string', env: 'KCTOP_WORKER_MAP', placeholder: 'INSTANCE=WORKER_ID,…', description: 'join Prometheus instances to REST worker ids by hand (when host names differ)'},
	user: {kind: 'string', env: 'KCTOP_CONNECT_USER', placeholder: 'NAME', description: 'basic auth user for Connect'},
	password: {kind: 'string', env: 'KCTOP_CONNECT_PASSWORD', placeholder: 'SECRET', description: 'basic auth password for Connect (prefer the environment variable)'},
	token: {kind: 'string', env: 'KCTOP_CONNECT_TOKEN', placeholder: 'TOKEN', description: 'bearer token for Connect'},
	header: {kind: 'string', env: 'KCTOP_CONNECT_HEADERS', placeholder: '"NAME: VALUE"', description: 'extra header for Connect requests (repeatable; env: separated by newlines or ";")', isMultiple: true},
	prometheusUser: {kind: 'string', env: 'KCTOP_PROMETHEUS_USER', placeholder: 'NAME', description: 'basic auth user for Prometheus'},
	prometheusPassword: {kind: 'string', env: 'KCTOP_PROMETHEUS_PASSWORD', placeholder: 'SECRET', description: 'basic auth password for Prometheus'},
	prometheusToken: {kind: 'string', env: 'KCTOP_PROMETHEUS_TOKEN', placeholder: 'TOKEN', description: 'bearer token for Prometheus'},
	prometheusHeader: {kind: 'string', env: 'KCTOP_PROMETHEUS_HEADERS', placeholder: '"NAME: VALUE"', description: 'extra header for Prometheus/scrape requests, e.g. "X-Scope-OrgID: team-a" (repeatable)', isMultiple: true},
	caFile: {kind: 'string', env: 'KCTOP_CA_FILE', placeholder: 'PATH', description: 'PEM file of a private CA for https URLs'},
	insecure: {kind: 'boolean', env: 'KCTOP_INSECURE', description: 'do not verify TLS certificates (a warning on stderr, INSECURE TLS in the header)', default: false},
	readOnly: {kind: 'boolean', env: 'KCTOP_READ_ONLY', description: 'hide and refuse actions (restart, pause, resume, stop)', default: false},
	ascii: {kind: 'boolean', env: 'KCTOP_ASCII', description: 'ASCII sparklines and borders (automatic when the locale is not UTF-8)', default: false},
	color: {kind: 'boolean', env: 'KCTOP_COLOR', description: 'colour (--no-color, or NO_COLOR set, turns it off)', default: true},
	once: {kind: 'boolean', env: 'KCTOP_ONCE', description: 'print one snapshot and exit (also when stdout or stdin is not a terminal)', default: false},
	clipboard: {kind: 'boolean', env: 'KCTOP_CLIPBOARD', description: 'also copy the incident report (P, or --once -o markdown) to the clipboard with OSC 52, over SSH too; in tmux it needs `set -g allow-passthrough on`', default: false},
	output: {kind: 'string', env: 'KCTOP_OUTPUT', shortFlag: 'o', placeholder: 'table|json|markdown', description: 'output of --once: a table, JSON, or the Markdown incident report; json and markdown imply --once', default: 'table'},
	lagWarn: {kind: 'string', env: 'KCTOP_LAG_WARN', placeholder: 'DURATION', description: 'Debezium lag that marks a connector warn', default: '30s'},
	lagCrit: {kind: 'string', env: 'KCTOP_LAG_CRIT', placeholder: 'DURATION', description: 'Debezium lag that marks a connector critical', default: '5m'},
	maxLag: {kind: 'string', env: 'KCTOP_MAX_LAG', placeholder: 'DURATION', description: 'with `kctop check`: Debezium lag above this is critical (same as --lag-crit)'},
	allowPaused: {kind: 'boolean', env: 'KCTOP_ALLOW_PAUSED', description: 'with `kctop check`: PAUSED and STOPPED connectors are OK, not WARNING', default: false},
	warnUnassigned: {kind: 'boolean', env: 'KCTOP_WARN_UNASSIGNED', description: 'with `kctop check`: UNASSIGNED connectors and tasks are WARNING, not CRITICAL', default: false},
	maxErrorsIncrease: {kind: 'number', env: 'KCTOP_MAX_ERRORS_INCREASE', placeholder: 'N', description: 'with `kctop check`: record errors or DLQ writes rising by more than N over --history is WARNING', default: 0},
	rebalanceWait: {kind: 'string', env: 'KCTOP_REBALANCE_WAIT', placeholder: 'DURATION', description: 'with --once and check: keep asking this long while Connect answers 409 (rebalance in progress); 0 to not wait', default: '30s'},
	maxBody: {kind: 'string', env: 'KCTOP_MAX_BODY', placeholder: 'SIZE', description: 'largest response body accepted, e.g. 64MB, 512KB (binary multiples)', default: '64MB'},
	demo: {kind: 'boolean', env: 'KCTOP_DEMO', description: 'run against the embedded simulated cluster (no Kafka needed)', default: false},
	scale: {kind: 'number', env: 'KCTOP_DEMO_SCALE', placeholder: 'N', description: 'with --demo: N generated connectors instead of the incident scenario', default: 0},
	seed: {kind: 'number', env: 'KCTOP_DEMO_SEED', placeholder: 'N', description: 'with --demo: random seed', default: 1},
} as const satisfies Record<string, FlagSpec>;

export type FlagName = keyof typeof flagSpecs;
export type RawFlags = Partial<Record<FlagName, string | boolean | number | readonly string[] | undefined>>;

export interface Environment {
	readonly env: Readonly<Record<string, string | undefined>>;
	readonly stdoutIsTTY: boolean;
	/** Keys need a terminal on stdin too (raw mode); without one kctop prints one snapshot. Default true. */
	readonly stdinIsTTY?: boolean;
	/** `kctop check`: one refresh, a verdict, exit 0/1/2. */
	readonly command?: 'check';
	/** Values from the chosen context of the config file: below flags and KCTOP_* variables, above defaults. */
	readonly context?: {readonly name: string; readonly known: readonly string[]; readonly flags: RawFlags};
}

function specOf(name: FlagName): FlagSpec {
	return flagSpecs[name];
}

export function resolveConfig(flags: RawFlags, environment: Environment): Config {
	const {env} = environment;
	const fromContext = environment.context?.flags ?? {};
	const str = (name: FlagName): string | undefined => {
		const value = flags[name];
		if (typeof value === 'string') return value;
		const fromEnv = env[flagSpecs[name].env];
		if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
		const contextValue = fromContext[name];
		if (typeof contextValue === 'string') return contextValue;
		const fallback = specOf(name).default;
		return typeof fallback === 'string' ? fallback : undefined;
	};
	const bool = (name: FlagName): boolean => {
		const value = flags[name];
		if (typeof value === 'boolean') return value;
		const fromEnv = env[flagSpecs[name].env];
		if (fromEnv !== undefined && fromEnv !== '') {
			if (/^(1|true|yes|on)$/i.test(fromEnv)) return true;
			if (/^(0|false|no|off)$/i.test(fromEnv)) return false;
			throw new ConfigError(`${flagSpecs[name].env}: expected true or false, got ${JSON.stringify(fromEnv)}`);
		}
		const contextValue = fromContext[name];
		if (typeof contextValue === 'boolean') return contextValue;
		return specOf(name).default === true;
	};
	const num = (name: FlagName): number => {
		const value = flags[name];
		const text = typeof value === 'number' ? String(value) : (env[flagSpecs[name].env] ?? String(specOf(name).default ?? ''));
		const parsed = Number(text);
		if (text.trim() === '' || !Number.isInteger(parsed) || parsed < 0) throw new ConfigError(`--${kebab(name)}: expected a whole number ≥ 0, got ${JSON.stringify(text)}`);
		return parsed;
	};
	const list = (name: FlagName): string[] => {
		const value = flags[name];
		if (Array.isArray(value) && value.length > 0) return value.map(String);
		const fromEnv = env[flagSpecs[name].env];
		if (fromEnv !== undefined && fromEnv !== '') return fromEnv.split(/\n|;/).filter(line => line.trim() !== '');
		const contextValue = fromContext[name];
		return Array.isArray(contextValue) ? contextValue.map(String) : [];
	};
	const duration = (name: FlagName, min: number): number => {
		const text = str(name) ?? '';
		const ms = parseDuration(text);
		if (ms === undefined) throw new ConfigError(`--${kebab(name)}: expected a duration such as 2s, 500ms or 5m, got ${JSON.stringify(text)}`);
		if (ms < min) throw new ConfigError(`--${kebab(name)}: must be at least ${min}ms, got ${JSON.stringify(text)}`);
		return ms;
	};

	const demoOn = bool('demo');
	const output = str('output') ?? 'table';
	if (output !== 'table' && output !== 'json' && output !== 'markdown') throw new ConfigError(`--output: expected table, json or markdown, got ${JSON.stringify(output)}`);
	const once = bool('once') || output !== 'table' || !environment.stdoutIsTTY || environment.stdinIsTTY === false;
	// Only the report is copied: said for the flag; from the environment or a context it is ignored elsewhere.
	if (flags.clipboard === true && (environment.command === 'check' || (once && output !== 'markdown'))) throw new ConfigError('--clipboard copies the incident report: it goes with the live view (key P) or --once -o markdown');

	const connectUrls = demoOn ? [] : urls('connect', str('connect') ?? '');
	if (!demoOn && connectUrls.length === 0) throw new ConfigError('--connect: at least one Kafka Connect URL is needed');
	const scrapeText = str('scrape');
	const scrapeUrls = demoOn || scrapeText === undefined ? [] : urls('scrape', scrapeText);
	const promText = str('prometheus') ?? '';
	const prometheusExplicit = typeof flags.prometheus === 'string' || (env[flagSpecs.prometheus.env] ?? '') !== '';
	if (scrapeUrls.length > 0 && prometheusExplicit && promText !== 'none') throw new ConfigError('--scrape and --prometheus are exclusive: choose one metrics source');
	const prometheusUrl = demoOn || scrapeUrls.length > 0 || promText === 'none' || promText === '' ? undefined : (urls('prometheus', promText)[0] ?? undefined);

	const intervalMs = duration('interval', 200);
	const timeoutMs = duration('timeout', 100);
	const queryTimeoutMs = Math.max(timeoutMs, duration('queryTimeout', 100));
	const historyWindowMs = duration('history', intervalMs * 2);
	const lagWarnMs = duration('lagWarn', 0);
	const maxLag = str('maxLag');
	const lagCritMs = maxLag === undefined ? duration('lagCrit', 0) : duration('maxLag', 0);
	if (maxLag !== undefined && environment.command !== 'check') throw new ConfigError('--max-lag goes with `kctop check` (use --lag-crit for the live view)');
	for (const name of ['allowPaused', 'warnUnassigned', 'maxErrorsIncrease'] as const) {
		if (flags[name] !== undefined && environment.command !== 'check') throw new ConfigError(`--${kebab(name)} goes with \`kctop check\``);
	}
	if (lagCritMs < lagWarnMs && maxLag === undefined) throw new ConfigError('--lag-crit must not be below --lag-warn');

	const prometheusJob = str('prometheusJob') ?? '.*';
	try {
		new RegExp(prometheusJob);
	} catch {
		throw new ConfigError(`--prometheus-job: not a valid regular expression: ${JSON.stringify(prometheusJob)}`);
	}

	const profile = str('profile') ?? autoProfileName;
	if (!profileNames().includes(profile)) throw new ConfigError(`--profile: unknown profile ${JSON.stringify(profile)}; valid: ${profileNames().join(', ')}`);
	const profileFile = str('profileFile');
	if (profileFile !== undefined && profile !== autoProfileName) throw new ConfigError('--profile and --profile-file are exclusive: the file names its own profile');

	const locale = env['LC_ALL'] || env['LC_CTYPE'] || env['LANG'] || '';
	const utf8 = /utf-?8/i.test(locale);
	const noColorEnv = env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '';

	return {
		mode: environment.command === 'check' ? 'check' : once ? 'once' : 'tui',
		output,
		demo: demoOn ? {seed: num('seed'), scale: num('scale')} : undefined,
		connectUrls,
		prometheusUrl,
		scrapeUrls,
		intervalMs,
		timeoutMs,
		queryTimeoutMs,
		historyWindowMs,
		rateWindowMs: duration('rateWindow', 1000),
		profile,
		profileFile,
		prometheusJob,
		workerMap: parseWorkerMap(str('workerMap')),
		connectAuth: auth('', str('user'), str('password'), str('token')),
		prometheusAuth: auth('prometheus-', str('prometheusUser'), str('prometheusPassword'), str('prometheusToken')),
		connectHeaders: parseHeaders('header', list('header')),
		prometheusHeaders: parseHeaders('prometheus-header', list('prometheusHeader')),
		caFile: str('caFile'),
		insecure: bool('insecure'),
		readOnly: bool('readOnly'),
		ascii: bool('ascii') || !utf8,
		color: bool('color') && !noColorEnv,
		lagWarnMs: Math.min(lagWarnMs, lagCritMs),
		lagCritMs,
		clipboard: bool('clipboard'),
		rebalanceWaitMs: duration('rebalanceWait', 0),
		maxBodyBytes: byteSize('maxBody', str('maxBody') ?? ''),
		context: environment.context === undefined || demoOn ? undefined : {name: environment.context.name, known: environment.context.known},
		check: {allowPaused: bool('allowPaused'), warnUnassigned: bool('warnUnassigned'), maxErrorsIncrease: num('maxErrorsIncrease')},
	};
}

const sizeUnits: Readonly<Record<string, number>> = {'': 1, b: 1, k: 1024, kb: 1024, kib: 1024, m: 1024 ** 2, mb: 1024 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3, gib: 1024 ** 3};

/** "64MB", "512KB", "1.5GiB", "4096" (bytes) → bytes, binary multiples; at least 1 KB. */
export function parseByteSize(text: string): number | undefined {
	const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text.trim());
	const unit = sizeUnits[(match?.[2] ?? '').toLowerCase()];
	if (match === null || unit === undefined) return undefined;
	const bytes = Math.floor(Number(match[1]) * unit);
	return Number.isSafeInteger(bytes) ? bytes : undefined;
}

function byteSize(flag: FlagName, text: string): number {
	const bytes = parseByteSize(text);
	if (bytes === undefined) throw new ConfigError(`--${kebab(flag)}: expected a size such as 64MB or 512KB, got ${JSON.stringify(text)}`);
	if (bytes < 1024) throw new ConfigError(`--${kebab(flag)}: must be at least 1KB, got ${JSON.stringify(text)}`);
	return bytes;
}

const urlSchema = z.url({protocol: /^https?$/});

function urls(flag: string, text: string): string[] {
	const parts = text
		.split(',')
		.map(part => part.trim())
		.filter(part => part !== '');
	return parts.map(part => {
		const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(part);
		// Without a scheme only HOST:PORT[/path] is taken (as http): a bare word is a typo, not a host.
		if (!hasScheme && !/^[^/:\s]+:\d+(?:\/\S*)?$/.test(part)) throw new ConfigError(`--${flag}: not an http(s) URL: ${JSON.stringify(scrubSecrets(part))} (write http://HOST:PORT)`);
		const withScheme = hasScheme ? part : `http://${part}`;
		if (!urlSchema.safeParse(withScheme).success) throw new ConfigError(`--${flag}: not an http(s) URL: ${JSON.stringify(scrubSecrets(part))}`);
		return withScheme.replace(/\/+$/, '');
	});
}

function auth(prefix: string, user: string | undefined, password: string | undefined, token: string | undefined): HttpAuth | undefined {
	if (token !== undefined && user !== undefined) throw new ConfigError(`--${prefix}token and --${prefix}user are exclusive`);
	if (token !== undefined) return {type: 'bearer', token};
	if (user !== undefined) return {type: 'basic', username: user, password: password ?? ''};
	if (password !== undefined) throw new ConfigError(`--${prefix}password needs --${prefix}user`);
	return undefined;
}

function parseHeaders(flag: string, lines: readonly string[]): Record<string, string> {
	const headers: Record<string, string> = {};
	for (const line of lines) {
		const colon = line.indexOf(':');
		const name = colon === -1 ? '' : line.slice(0, colon).trim();
		// The line is not echoed: it may hold a credential.
		if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw new ConfigError(`--${flag}: expected "Name: value" (a header name, a colon, the value); the line given is not shown since it may hold a secret`);
		headers[name] = line.slice(colon + 1).trim();
	}
	return headers;
}

function parseWorkerMap(text: string | undefined): Map<string, string> {
	const map = new Map<string, string>();
	if (text === undefined) return map;
	for (const pair of text.split(',')) {
		if (pair.trim() === '') continue;
		const eq = pair.indexOf('=');
		const instance = pair.slice(0, eq).trim();
		const worker = pair.slice(eq + 1).trim();
		if (eq === -1 || instance === '' || worker === '') throw new ConfigError(`--worker-map: expected INSTANCE=WORKER_ID pairs, got ${JSON.stringify(pair)}`);
		map.set(instance, worker);
	}
	return map;
}

export function kebab(name: string): string {
	return name.replace(/[A-Z]/g, c => `-${c.toLowerCase()}`);
}

/**
 * The first argument that looks like a flag kctop does not know, so the CLI can say so in
 * one line before meow's own two-line message. Values of flags that take one are skipped.
 */
export function findUnknownFlag(argv: readonly string[]): string | undefined {
	const byName = new Map<string, FlagSpec>(Object.entries(flagSpecs).map(([name, spec]) => [kebab(name), spec]));
	const shorts = new Map<string, FlagSpec>(Object.values(flagSpecs).flatMap((spec: FlagSpec) => (spec.shortFlag ? [[spec.shortFlag, spec] as const] : [])));
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i] ?? '';
		if (arg === '--') return undefined;
		if (!arg.startsWith('-') || arg === '-' || /^-\d/.test(arg)) continue;
		const long = arg.startsWith('--');
		const [rawName = '', inlineValue] = arg.slice(long ? 2 : 1).split(/=(.*)/s, 2);
		if (long && (rawName === 'help' || rawName === 'version')) continue;
		const spec = long ? (byName.get(rawName) ?? (rawName.startsWith('no-') ? byName.get(rawName.slice(3)) : undefined)) : shorts.get(rawName);
		// Without its `=value`: a mistyped --pasword=… must not print the password.
		if (spec === undefined || (long && rawName.startsWith('no-') && spec.kind !== 'boolean')) return `${long ? '--' : '-'}${rawName}`;
		if (spec.kind !== 'boolean' && inlineValue === undefined) i += 1;
	}
	return undefined;
}
