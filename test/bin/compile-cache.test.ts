import {spawnSync} from 'node:child_process';
import {existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {z} from 'zod';
import {compileCacheDirectory} from '../../source/compile-cache.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = join(root, 'bin', 'kctop.cjs');
const {version} = z.object({version: z.string()}).parse(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')));

describe('compileCacheDirectory', () => {
	it('is kctop\'s folder in XDG_CACHE_HOME, else in ~/.cache', () => {
		expect(compileCacheDirectory({XDG_CACHE_HOME: '/var/cache/me'}, '/home/me')).toBe('/var/cache/me/kctop/compile-cache');
		expect(compileCacheDirectory({}, '/home/me')).toBe('/home/me/.cache/kctop/compile-cache');
	});

	it('ignores a relative XDG_CACHE_HOME (the XDG rule), and gives none without an absolute home', () => {
		expect(compileCacheDirectory({XDG_CACHE_HOME: 'cache'}, '/home/me')).toBe('/home/me/.cache/kctop/compile-cache');
		expect(compileCacheDirectory({XDG_CACHE_HOME: ''}, '')).toBeUndefined();
		expect(compileCacheDirectory({}, 'relative')).toBeUndefined();
	});
});

describe('the bin with the compile cache', () => {
	let work = '';

	beforeAll(() => {
		work = mkdtempSync(join(tmpdir(), 'kctop-compile-cache-'));
	});

	afterAll(() => {
		if (work !== '') rmSync(work, {recursive: true, force: true});
	});

	/** `kctop --version` with these variables, the others of kctop's own cleared. */
	function versionRun(extra: Record<string, string>): {status: number | null; stdout: string; stderr: string} {
		const env: NodeJS.ProcessEnv = {};
		for (const [key, value] of Object.entries(process.env)) if (!/^(NODE_COMPILE_CACHE|NODE_DISABLE_COMPILE_CACHE|NODE_OPTIONS|XDG_CACHE_HOME|TMPDIR|KCTOP_)/.test(key)) env[key] = value;
		const result = spawnSync(process.execPath, [bin, '--version'], {env: {...env, ...extra}, encoding: 'utf8', timeout: 60_000});
		if (result.error !== undefined) throw result.error;
		return {status: result.status, stdout: result.stdout, stderr: result.stderr};
	}

	it('keeps the compiled bundle in the user\'s cache directory, and nothing in the temp directory', () => {
		const cache = join(work, 'cache');
		const temp = join(work, 'tmp');
		mkdirSync(temp);
		for (let run = 0; run < 2; run++) {
			const result = versionRun({XDG_CACHE_HOME: cache, TMPDIR: temp});
			expect(result).toEqual({status: 0, stdout: `${version}\n`, stderr: ''});
		}
		const [folder, ...others] = readdirSync(join(cache, 'kctop', 'compile-cache'));
		expect(others).toEqual([]);
		expect(readdirSync(join(cache, 'kctop', 'compile-cache', folder ?? '')).length).toBeGreaterThan(0);
		expect(readdirSync(temp)).toEqual([]);
	});

	it('starts, silently, when the cache directory cannot be made (a file stands where it would go)', () => {
		const blocked = join(work, 'blocked');
		writeFileSync(blocked, 'not a directory');
		expect(versionRun({XDG_CACHE_HOME: blocked})).toEqual({status: 0, stdout: `${version}\n`, stderr: ''});
		expect(versionRun({XDG_CACHE_HOME: '', HOME: blocked})).toEqual({status: 0, stdout: `${version}\n`, stderr: ''});
	});

	it('starts without a home at all, and with the cache turned off; then nothing is written', () => {
		const home = join(work, 'home-off');
		expect(versionRun({XDG_CACHE_HOME: '', HOME: ''})).toEqual({status: 0, stdout: `${version}\n`, stderr: ''});
		expect(versionRun({HOME: home, NODE_DISABLE_COMPILE_CACHE: '1'})).toEqual({status: 0, stdout: `${version}\n`, stderr: ''});
		expect(existsSync(home)).toBe(false);
	});
});
