import {readFileSync, statSync} from 'node:fs';
import {homedir} from 'node:os';
import {join} from 'node:path';
import {LineCounter, parseDocument} from 'yaml';
import * as z from 'zod';
import {ConfigError, type RawFlags} from './config.js';

/**
 * Named clusters in a config file (`$XDG_CONFIG_HOME/kctop/config.yaml`, default
 * `~/.config/kctop/config.yaml`, or `--config FILE`):
 *
 *   current-context: prod
 *   contexts:
 *     prod:
 *       connect: [http://connect-1:8083, http://connect-2:8083]
 *       prometheus: http://prometheus:9090
 *       profile: strimzi
 *       user: kctop
 *       password-env: PROD_CONNECT_PASSWORD     # or password-file: /run/secrets/connect
 *
 * A context gives values to flags that the command line and KCTOP_* variables leave unset.
 * Secrets never sit in the file: a context names an environment variable or a file that
 * holds them. Errors name the file and the line.
 */

const list = z.union([z.string(), z.array(z.string())]).transform(value => (typeof value === 'string' ? value.split(',').map(part => part.trim()) : value).filter(part => part !== ''));

const secretRefs = {
	'password-env': z.string().optional(),
	'password-file': z.string().optional(),
	'token-env': z.string().optional(),
	'token-file': z.string().optional(),
	'prometheus-password-env': z.string().optional(),
	'prometheus-password-file': z.string().optional(),
	'prometheus-token-env': z.string().optional(),
	'prometheus-token-file': z.string().optional(),
};

const contextSchema = z
	.object({
		connect: list.optional(),
		prometheus: z.string().optional(),
		scrape: list.optional(),
		profile: z.string().optional(),
		'prometheus-job': z.string().optional(),
		'worker-map': z.record(z.string(), z.string()).optional(),
		headers: z.array(z.string()).optional(),
		'prometheus-headers': z.array(z.string()).optional(),
		user: z.string().optional(),
		'prometheus-user': z.string().optional(),
		'ca-file': z.string().optional(),
		'read-only': z.boolean().optional(),
		interval: z.string().optional(),
		...secretRefs,
	})
	.strict();

const fileSchema = z
	.object({
		'current-context': z.string().optional(),
		contexts: z.record(z.string(), contextSchema),
	})
	.strict();

export type ContextConfig = z.infer<typeof contextSchema>;

export interface ContextsFile {
	readonly path: string;
	readonly current: string | undefined;
	readonly contexts: ReadonlyMap<string, ContextConfig>;
	/** Set when others can read the file (it should hold no secret, but headers might). */
	readonly warning: string | undefined;
}

/** `$XDG_CONFIG_HOME/kctop/config.yaml`, default `~/.config/kctop/config.yaml`. */
export function defaultConfigPath(env: Readonly<Record<string, string | undefined>>): string {
	const base = env.XDG_CONFIG_HOME !== undefined && env.XDG_CONFIG_HOME.startsWith('/') ? env.XDG_CONFIG_HOME : join(env.HOME ?? homedir(), '.config');
	return join(base, 'kctop', 'config.yaml');
}

function where(path: string, lineCounter: LineCounter, offset: number | undefined): string {
	if (offset === undefined) return path;
	const {line} = lineCounter.linePos(offset);
	return `${path}:${line}`;
}

/** Reads and checks the file; undefined when it does not exist and was not asked for by name. */
export function loadContexts(path: string, options: {readonly required: boolean}): ContextsFile | undefined {
	let text: string;
	try {
		text = readFileSync(path, 'utf8');
	} catch (error) {
		if (!options.required && error instanceof Error && 'code' in error && error.code === 'ENOENT') return undefined;
		throw new ConfigError(`--config: cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`);
	}
	const lineCounter = new LineCounter();
	const document = parseDocument(text, {lineCounter, prettyErrors: false});
	const [syntax] = document.errors;
	if (syntax !== undefined) throw new ConfigError(`${where(path, lineCounter, syntax.pos[0])}: ${syntax.message.split('\n')[0] ?? 'invalid YAML'}`);
	const parsed = fileSchema.safeParse(document.toJS());
	if (!parsed.success) {
		const [issue] = parsed.error.issues;
		// An unknown key is reported on its parent: point at the key itself.
		const extra = issue?.code === 'unrecognized_keys' ? issue.keys.slice(0, 1) : [];
		const node = issue === undefined ? undefined : document.getIn([...issue.path.map(String), ...extra], true);
		const offset = typeof node === 'object' && node !== null && 'range' in node && Array.isArray(node.range) && typeof node.range[0] === 'number' ? node.range[0] : undefined;
		const field = issue?.path.join('.') ?? '';
		throw new ConfigError(`${where(path, lineCounter, offset)}: ${field === '' ? '' : `${field}: `}${issue?.message ?? 'invalid'}`);
	}
	let warning: string | undefined;
	try {
		if ((statSync(path).mode & 0o044) !== 0) warning = `${path} is readable by other users: chmod 600 it (headers in it may be secrets)`;
	} catch {
		// stat after a successful read failing is not worth a message
	}
	return {path, current: parsed.data['current-context'], contexts: new Map(Object.entries(parsed.data.contexts)), warning};
}

function secret(context: string, env: Readonly<Record<string, string | undefined>>, fromEnv: string | undefined, fromFile: string | undefined, what: string): string | undefined {
	if (fromEnv !== undefined && fromFile !== undefined) throw new ConfigError(`context ${context}: ${what}-env and ${what}-file are exclusive`);
	if (fromEnv !== undefined) {
		const value = env[fromEnv];
		if (value === undefined || value === '') throw new ConfigError(`context ${context}: ${what}-env names ${fromEnv}, which is not set`);
		return value;
	}
	if (fromFile !== undefined) {
		try {
			return readFileSync(fromFile, 'utf8').replace(/\r?\n$/, '');
		} catch (error) {
			throw new ConfigError(`context ${context}: cannot read ${what}-file ${fromFile}: ${error instanceof Error && 'code' in error ? String(error.code) : 'error'}`);
		}
	}
	return undefined;
}

/** The flag values a context gives (flags and KCTOP_* still win over them). */
export function contextFlags(file: ContextsFile, name: string, env: Readonly<Record<string, string | undefined>>): RawFlags {
	const context = file.contexts.get(name);
	if (context === undefined) throw new ConfigError(`--context: no context ${JSON.stringify(name)} in ${file.path}; known: ${[...file.contexts.keys()].join(', ') || 'none'}`);
	const flags: RawFlags = {
		connect: context.connect?.join(','),
		prometheus: context.prometheus,
		scrape: context.scrape?.join(','),
		profile: context.profile,
		prometheusJob: context['prometheus-job'],
		workerMap: context['worker-map'] === undefined ? undefined : Object.entries(context['worker-map']).map(([instance, worker]) => `${instance}=${worker}`).join(','),
		header: context.headers,
		prometheusHeader: context['prometheus-headers'],
		user: context.user,
		password: secret(name, env, context['password-env'], context['password-file'], 'password'),
		token: secret(name, env, context['token-env'], context['token-file'], 'token'),
		prometheusUser: context['prometheus-user'],
		prometheusPassword: secret(name, env, context['prometheus-password-env'], context['prometheus-password-file'], 'prometheus-password'),
		prometheusToken: secret(name, env, context['prometheus-token-env'], context['prometheus-token-file'], 'prometheus-token'),
		caFile: context['ca-file'],
		readOnly: context['read-only'],
		interval: context.interval,
	};
	return Object.fromEntries(Object.entries(flags).filter(([, value]) => value !== undefined));
}

export interface ChosenContext {
	readonly name: string;
	readonly known: readonly string[];
	readonly flags: RawFlags;
	readonly warning: string | undefined;
}

/**
 * The context to run with: `--context` (or KCTOP_CONTEXT), else the file's current-context.
 * No file and no --context: none. `--config` (or KCTOP_CONFIG) makes the file required.
 */
export function chooseContext(flags: RawFlags, env: Readonly<Record<string, string | undefined>>, override?: string): ChosenContext | undefined {
	const explicitPath = typeof flags.config === 'string' ? flags.config : env.KCTOP_CONFIG || undefined;
	const path = explicitPath ?? defaultConfigPath(env);
	const file = loadContexts(path, {required: explicitPath !== undefined});
	const name = override ?? (typeof flags.context === 'string' ? flags.context : env.KCTOP_CONTEXT || file?.current);
	if (name === undefined) return undefined;
	if (file === undefined) throw new ConfigError(`--context ${JSON.stringify(name)}: there is no config file at ${path} (see --config)`);
	return {name, known: [...file.contexts.keys()], flags: contextFlags(file, name, env), warning: file.warning};
}
