import {mkdtempSync, readdirSync, rmSync, statSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterAll, describe, expect, it} from 'vitest';
import {warmCompileCache} from '../../source/bench/warm-cache.js';

const kctopBin = fileURLToPath(new URL('../../bin/kctop.cjs', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'kctop-warm-cache-test-'));
afterAll(() => rmSync(scratch, {recursive: true, force: true}));

function cachedBytes(directory: string): number {
	let total = 0;
	for (const entry of readdirSync(directory, {withFileTypes: true, recursive: true})) {
		if (entry.isFile()) total += statSync(join(entry.parentPath, entry.name)).size;
	}
	return total;
}

describe('warmCompileCache', () => {
	it('runs the built kctop --demo in a pseudo-terminal to its first frame, quits it with q, and leaves the compiled bundle in the cache', async () => {
		const cacheHome = join(scratch, 'cache');
		const env: Record<string, string> = {PATH: process.env['PATH'] ?? '', HOME: scratch, TERM: 'xterm-256color', LANG: 'C.UTF-8', XDG_CACHE_HOME: cacheHome, XDG_STATE_HOME: join(scratch, 'state')};
		const result = await warmCompileCache({command: process.execPath, args: [kctopBin], env, columns: 160, rows: 50, timeoutMs: 50_000});
		expect(result).toMatchObject({ok: true, detail: 'first frame, then q'});
		// The terminal UI's chunks were loaded and written at exit: far more than the entry point alone.
		expect(cachedBytes(join(cacheHome, 'kctop', 'compile-cache'))).toBeGreaterThan(200_000);
	}, 60_000);

	it('says so when kctop exits before its first frame, instead of waiting out the timeout', async () => {
		const env: Record<string, string> = {PATH: process.env['PATH'] ?? '', HOME: scratch, TERM: 'xterm-256color', XDG_CACHE_HOME: join(scratch, 'cache2')};
		const result = await warmCompileCache({command: process.execPath, args: [kctopBin, '--no-such-flag'], env, columns: 80, rows: 24, timeoutMs: 50_000});
		expect(result.ok).toBe(false);
		expect(result.detail).toMatch(/exited with code [1-9]/);
	}, 60_000);
});
