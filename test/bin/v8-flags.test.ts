import {spawnSync} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {tmpdir} from 'node:os';
import {delimiter, dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import v8 from 'node:v8';
import {afterAll, afterEach, describe, expect, it, vi} from 'vitest';
import {z} from 'zod';
import {keys, startPty} from '../helpers/pty.js';

/**
 * bin/kctop.cjs relaunches itself once with its V8 flags (bin/v8-flags.cjs) through
 * process.execve: the same process, so the terminal, ctrl-c, the exit code and NODE_ENV keep
 * working, and the flags are applied exactly once.
 */

const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = join(root, 'bin', 'kctop.cjs');
const v8FlagsModule = z.object({
	v8Flags: z.array(z.string()).min(1),
	runtimeV8Flags: z.array(z.string()).min(1),
	relaunchedVariable: z.string(),
	mallocSettings: z.array(z.tuple([z.string(), z.string()])).min(1),
	relaunchArgs: z.custom<(execArgv: readonly string[], nodeOptions: string | undefined) => string[] | undefined>(value => typeof value === 'function'),
	setRuntimeV8FlagsLater: z.custom<(execArgv: readonly string[], nodeOptions: string | undefined, delayMs?: number) => void>(value => typeof value === 'function'),
});
const {v8Flags, runtimeV8Flags, relaunchedVariable, mallocSettings, relaunchArgs, setRuntimeV8FlagsLater} = v8FlagsModule.parse(createRequire(import.meta.url)(join(root, 'bin', 'v8-flags.cjs')));
const directory = mkdtempSync(join(tmpdir(), 'kctop-v8-flags-'));
afterAll(() => rmSync(directory, {recursive: true, force: true}));

/**
 * A preload that reports every process it is loaded into (before the bin runs) and, at exit,
 * what the app saw: NODE_ENV and whether the relaunch marker leaked into its environment.
 */
const probe = join(directory, 'probe.cjs');
writeFileSync(
	probe,
	[
		"const {appendFileSync} = require('node:fs');",
		'const out = process.env.PROBE_OUT;',
		"appendFileSync(out, JSON.stringify({loaded: process.pid, execArgv: process.execArgv, arena: process.env.MALLOC_ARENA_MAX ?? null, mmap: process.env.MALLOC_MMAP_THRESHOLD_ ?? null}) + '\\n');",
		`process.on('exit', code => appendFileSync(out, JSON.stringify({exited: process.pid, code, nodeEnv: process.env.NODE_ENV ?? null, marker: process.env.${relaunchedVariable} ?? null, arena: process.env.MALLOC_ARENA_MAX ?? null, mmap: process.env.MALLOC_MMAP_THRESHOLD_ ?? null}) + '\\n'));`,
		'',
	].join('\n'),
);
const probeLine = z.union([
	z.object({loaded: z.number(), execArgv: z.array(z.string()), arena: z.string().nullable(), mmap: z.string().nullable()}),
	z.object({exited: z.number(), code: z.number(), nodeEnv: z.string().nullable(), marker: z.string().nullable(), arena: z.string().nullable(), mmap: z.string().nullable()}),
]);

function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('KCTOP_') && !key.startsWith('npm_') && key !== 'NODE_ENV' && key !== 'NODE_OPTIONS' && !key.startsWith('VITEST') && !key.startsWith('MALLOC_')) env[key] = value;
	return {...env, NO_COLOR: '1', ...extra};
}

let runs = 0;
/** `command args` with the probe preloaded and `extraEnv` over the cleaned environment: its output, exit status and what the probe reported. */
function runProbed(command: string, args: readonly string[], nodeOptions: string, extraEnv: Record<string, string>, cwd: string): {status: number | null; stdout: string; stderr: string; probe: Array<z.infer<typeof probeLine>>} {
	runs += 1;
	const out = join(directory, `probe-${runs}.jsonl`);
	writeFileSync(out, '');
	const result = spawnSync(command, [...args], {cwd, encoding: 'utf8', timeout: 60_000, env: cleanEnv({...extraEnv, PROBE_OUT: out, NODE_OPTIONS: `${nodeOptions} --require ${probe}`.trim()})});
	if (result.error !== undefined) throw result.error;
	const lines = readFileSync(out, 'utf8').split('\n').filter(line => line !== '');
	return {status: result.status, stdout: result.stdout, stderr: result.stderr, probe: lines.map(line => probeLine.parse(JSON.parse(line)))};
}

/** `node [nodeArgs] bin/kctop.cjs args`: the bin relaunches itself. */
function runBin(args: readonly string[], nodeOptions = '', nodeArgs: readonly string[] = [], extraEnv: Record<string, string> = {}): ReturnType<typeof runProbed> {
	return runProbed(process.execPath, [...nodeArgs, bin, ...args], nodeOptions, extraEnv, root);
}

/** PATH with the test's Node first, as a user's PATH finds Node 22 or newer. */
const pathWithNode = [dirname(process.execPath), ...(process.env['PATH'] ?? '').split(delimiter)].join(delimiter);

/**
 * The bin run as a command, as users run it (the kernel reads its `#!/bin/sh` line), with the
 * test's Node first on PATH; `path` replaces PATH when given.
 */
function runCommand(args: readonly string[], nodeOptions = '', extraEnv: Record<string, string> = {}, path?: string): ReturnType<typeof runProbed> {
	return runProbed(bin, args, nodeOptions, {...extraEnv, PATH: path ?? pathWithNode}, directory);
}

describe('relaunchArgs', () => {
	it('adds the flags to the Node arguments already given, keeping those', () => {
		expect(relaunchArgs([], undefined)).toEqual(v8Flags);
		expect(relaunchArgs(['--inspect', '--require', '/x.cjs'], '--enable-source-maps')).toEqual(['--inspect', '--require', '/x.cjs', ...v8Flags]);
	});

	it('leaves a flag the user set, on the command line or in NODE_OPTIONS, in either spelling', () => {
		const names = v8Flags.map(flag => flag.split('=')[0] ?? '');
		expect(relaunchArgs(names.map(name => `${name}=8`), undefined)).toBeUndefined();
		expect(relaunchArgs([], `--require /x.cjs ${names.map(name => `${name.replaceAll('-', '_').replace(/^__/, '--')}=8`).join(' ')}`)).toBeUndefined();
		expect(relaunchArgs([], names.map(name => `${name} 8`).join(' '))).toBeUndefined();
	});
});

describe('setRuntimeV8FlagsLater', () => {
	afterEach(() => {
		vi.restoreAllMocks();
	});

	it('sets --heap-growing-percent from inside, after the delay: not on the command line, where it slowed start-up', async () => {
		expect([...v8Flags, ...runtimeV8Flags].map(flag => flag.split('=')[0])).toEqual(['--max-semi-space-size', '--heap-growing-percent']);
		const set = vi.spyOn(v8, 'setFlagsFromString').mockImplementation(() => undefined);
		setRuntimeV8FlagsLater([], '--require /x.cjs', 0);
		await vi.waitFor(() => expect(set).toHaveBeenCalledTimes(runtimeV8Flags.length));
		expect(set.mock.calls.map(([flag]) => flag)).toEqual(runtimeV8Flags);
	});

	it('leaves a runtime flag the user set, on the command line or in NODE_OPTIONS', async () => {
		const set = vi.spyOn(v8, 'setFlagsFromString').mockImplementation(() => undefined);
		const names = runtimeV8Flags.map(flag => flag.split('=')[0] ?? '');
		setRuntimeV8FlagsLater(names.map(name => `${name.replaceAll('-', '_').replace(/^__/, '--')}=10`), undefined, 0);
		setRuntimeV8FlagsLater([], names.map(name => `${name}=10`).join(' '), 0);
		// A third call with nothing set shows when the timers have run.
		setRuntimeV8FlagsLater([], undefined, 0);
		await vi.waitFor(() => expect(set).toHaveBeenCalled());
		expect(set.mock.calls.map(([flag]) => flag)).toEqual(runtimeV8Flags);
	});
});

describe('bin/kctop.cjs relaunches itself with the V8 flags', () => {
	it('in the same process, once, with NODE_ENV=production and no marker left for the app', () => {
		const result = runBin(['--version']);
		expect(result.stderr).toBe('');
		expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
		expect(result.status).toBe(0);
		const [first, second, exit, ...rest] = result.probe;
		expect(rest).toEqual([]);
		// process.execve: the second image runs in the same pid with the flags, and only it exits.
		expect(first).toEqual({loaded: expect.any(Number), execArgv: [], arena: null, mmap: null});
		// glibc's settings from the start of the second image (one malloc arena, 64 KB blocks
		// mapped alone); the app's environment no longer carries them.
		expect(second).toEqual({loaded: first && 'loaded' in first ? first.loaded : -1, execArgv: v8Flags, arena: '1', mmap: '65536'});
		expect(exit).toEqual({exited: first && 'loaded' in first ? first.loaded : -1, code: 0, nodeEnv: 'production', marker: null, arena: null, mmap: null});
	});

	it('leaves a MALLOC_ARENA_MAX the user set, in the relaunched image and for the app', () => {
		const result = runBin(['--version'], '', [], {MALLOC_ARENA_MAX: '4'});
		expect(result.status).toBe(0);
		expect(result.probe.map(line => line.arena)).toEqual(['4', '4', '4']);
		// The setting the user left alone is still the bin's, and still not the app's.
		expect(result.probe.map(line => line.mmap)).toEqual([null, '65536', null]);
		expect(result.probe.filter(line => 'loaded' in line)).toHaveLength(2);
	});

	it('leaves a MALLOC_MMAP_THRESHOLD_ the user set, in the relaunched image and for the app', () => {
		const result = runBin(['--version'], '', [], {MALLOC_MMAP_THRESHOLD_: '1048576'});
		expect(result.status).toBe(0);
		expect(result.probe.map(line => line.mmap)).toEqual(['1048576', '1048576', '1048576']);
		expect(result.probe.map(line => line.arena)).toEqual([null, '1', null]);
	});

	it("passes kctop's exit code and error message through", () => {
		const result = runBin(['--no-such-flag']);
		expect(result.status).toBe(2);
		expect(result.stderr).toBe('kctop: unknown flag "--no-such-flag" (see kctop --help)\n');
		expect(result.probe.filter(line => 'loaded' in line).map(line => ('loaded' in line ? line.execArgv : []))).toEqual([[], v8Flags]);
	});

	it('does not relaunch when the user set the flags, on the command line or in NODE_OPTIONS', () => {
		const names = v8Flags.map(flag => flag.split('=')[0] ?? '');
		const all = runBin(['--version'], '', names.map(name => `${name}=8`));
		expect(all.status).toBe(0);
		expect(all.probe.filter(line => 'loaded' in line)).toHaveLength(1);
		// --max-semi-space-size is one of the V8 flags NODE_OPTIONS may carry.
		const inOptions = runBin(['--version'], names.map(name => `${name}=8`).join(' '));
		expect(inOptions.status).toBe(0);
		expect(inOptions.probe.filter(line => 'loaded' in line).map(line => ('loaded' in line ? line.execArgv : []))).toEqual([[]]);
	});

	it('sets --max-semi-space-size to 8 MB: the flag of the bin\'s shell lines, which must not drift from it', () => {
		// Both ways of starting kctop must apply the same settings (the shell lines of
		// kctop.cjs repeat them, as /bin/sh cannot read v8-flags.cjs).
		const shellLines = readFileSync(bin, 'utf8').split('\n').filter(line => line.startsWith("':' //;"));
		expect(shellLines.length).toBeGreaterThan(0);
		for (const flag of v8Flags) expect(shellLines.join('\n')).toContain(`=${flag} ;;`);
		for (const [name, value] of mallocSettings) expect(shellLines.join('\n')).toContain(`${name}=${value};`);
		expect(shellLines.join('\n')).toContain(relaunchedVariable);
	});
});

describe('bin/kctop.cjs run as a command starts Node once, with the V8 flags and malloc settings', () => {
	it('one image: no relaunch, the flags and settings from the start, and none of them left for the app', () => {
		const result = runCommand(['--version']);
		expect(result.stderr).toBe('');
		expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
		expect(result.status).toBe(0);
		expect(result.probe).toEqual([
			{loaded: expect.any(Number), execArgv: v8Flags, arena: '1', mmap: '65536'},
			{exited: result.probe[0] && 'loaded' in result.probe[0] ? result.probe[0].loaded : -1, code: 0, nodeEnv: 'production', marker: null, arena: null, mmap: null},
		]);
	});

	it("leaves the user's own values: MALLOC_* as set, and --max-semi-space-size in NODE_OPTIONS in either spelling", () => {
		const arena = runCommand(['--version'], '', {MALLOC_ARENA_MAX: '4'});
		expect(arena.status).toBe(0);
		expect(arena.probe.map(line => [line.arena, line.mmap])).toEqual([
			['4', '65536'],
			['4', null],
		]);
		const both = runCommand(['--version'], '', {MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '1048576'});
		expect(both.probe.map(line => [line.arena, line.mmap])).toEqual([
			['2', '1048576'],
			['2', '1048576'],
		]);
		for (const options of ['--max-semi-space-size=4', '--max_semi_space_size=4', '--stack-trace-limit=20 --max-semi-space-size=4']) {
			const flag = runCommand(['--version'], options);
			expect(flag.status, flag.stderr).toBe(0);
			// Node's own flag from NODE_OPTIONS is not in execArgv; none was added after it.
			expect(flag.probe.filter(line => 'loaded' in line).map(line => ('loaded' in line ? [line.execArgv, line.arena] : []))).toEqual([[[], '1']]);
		}
	});

	it("passes kctop's arguments, exit code and error message through, spaces and quotes included", () => {
		const result = runCommand(['--connect', "http://a b'c", '--no-such-flag']);
		expect(result.status).toBe(2);
		expect(result.stderr).toBe('kctop: unknown flag "--no-such-flag" (see kctop --help)\n');
		expect(result.probe.filter(line => 'loaded' in line)).toHaveLength(1);
	});

	it('says in one line that Node is missing when no node is on PATH', () => {
		const result = runCommand(['--version'], '', {}, '/nonexistent');
		expect(result.stdout).toBe('');
		expect(result.stderr).toBe('kctop needs Node.js 22 or newer: no node found on PATH\n');
		expect(result.status).toBe(127);
	});
});

describe('both ways of starting kctop keep the terminal', () => {
	const ways = [
		{way: 'node bin/kctop.cjs (relaunched by process.execve)', command: process.execPath, args: [bin], images: [[], v8Flags]},
		{way: 'bin/kctop.cjs as a command (/bin/sh, then exec node)', command: bin, args: [], images: [v8Flags]},
	];
	it.each(ways)('$way: the TUI draws in a pseudo-terminal, runs with the flags in one pid, and ctrl-c quits with 0', async ({command, args, images}) => {
		const out = join(directory, `probe-pty-${images.length}.jsonl`);
		writeFileSync(out, '');
		const session = startPty(command, [...args, '--demo'], {columns: 100, rows: 30, cwd: root, env: {NO_COLOR: '1', NODE_OPTIONS: `--require ${probe}`, PROBE_OUT: out, PATH: pathWithNode}});
		try {
			await session.waitFor(text => text.includes('DEMO') && text.includes('jdbc-sink-orders'), 30_000);
			session.write(keys.ctrlC);
			expect((await session.exited).exitCode).toBe(0);
			expect(session.inAlternateScreen()).toBe(false);
		} finally {
			session.kill();
		}
		const lines = readFileSync(out, 'utf8').split('\n').filter(line => line !== '').map(line => probeLine.parse(JSON.parse(line)));
		expect(lines.map(line => ('loaded' in line ? line.execArgv : line.code))).toEqual([...images, 0]);
		expect(new Set(lines.map(line => ('loaded' in line ? line.loaded : line.exited))).size).toBe(1);
	}, 60_000);
});
