import module from 'node:module';
import {homedir} from 'node:os';
import {join} from 'node:path';

/**
 * Node's compile cache (module.enableCompileCache, Node >= 22.1) keeps the compiled code of
 * the bundle between runs: a start after the first skips compiling it. Its entries are
 * trusted code, so they live in the user's own cache directory, never in a shared temp
 * directory where another user could have put them first (Node's default is
 * os.tmpdir()/node-compile-cache): $XDG_CACHE_HOME/kctop/compile-cache, else
 * ~/.cache/kctop/compile-cache. NODE_COMPILE_CACHE, when set, wins (Node has then enabled the
 * cache there itself), and NODE_DISABLE_COMPILE_CACHE=1 turns it off.
 */
export function compileCacheDirectory(env: NodeJS.ProcessEnv, home: string): string | undefined {
	const xdg = env['XDG_CACHE_HOME'];
	if (xdg !== undefined && xdg.startsWith('/')) return join(xdg, 'kctop', 'compile-cache');
	return home.startsWith('/') ? join(home, '.cache', 'kctop', 'compile-cache') : undefined;
}

/**
 * Turns the compile cache on, for what loads after this call. Whatever goes wrong (a home
 * that is read-only or missing, a file where the directory should be, an old Node) leaves
 * kctop running without it, and says nothing: Node reports the outcome in the returned
 * status, never on the screen.
 */
export function enableCompileCache(env: NodeJS.ProcessEnv = process.env): void {
	try {
		if (typeof module.enableCompileCache !== 'function') return;
		const directory = compileCacheDirectory(env, env['HOME'] ?? homedir());
		if (directory !== undefined) module.enableCompileCache(directory);
	} catch {
		// No cache: only slower.
	}
}
