import {performance} from 'node:perf_hooks';
import {setTimeout as sleep} from 'node:timers/promises';
import {startTerminal, waitForScreen} from './terminal.js';

/**
 * Node's compile cache (source/compile-cache.ts) holds kctop's compiled bundle between runs, so
 * only the first start after an install or a build compiles it. `npm run bench` builds first,
 * so without this its first session (9 connectors, Prometheus mode) was that first start and
 * the others were not: in the 20:14 run its first frame took 777 ms, against 661 ms for the same
 * code started again minutes later. One unmeasured `kctop --demo` to its first frame, then `q`
 * (Node writes the cache as the process exits), puts every measured session on the same footing:
 * a start as a user has it every time but the first.
 */
export async function warmCompileCache(options: {
	readonly command: string;
	readonly args: readonly string[];
	readonly env: Readonly<Record<string, string>>;
	readonly columns: number;
	readonly rows: number;
	readonly timeoutMs: number;
}): Promise<{readonly ok: boolean; readonly ms: number; readonly detail: string}> {
	const startedAt = performance.now();
	const terminal = startTerminal(options.command, [...options.args, '--demo'], {columns: options.columns, rows: options.rows, env: options.env, now: () => performance.now()});
	const elapsed = (): number => performance.now() - startedAt;
	try {
		const wait = await waitForScreen(terminal, text => /Connectors\b/.test(text), {timeoutMs: options.timeoutMs, pollMs: 50, now: () => performance.now()});
		if (wait.kind === 'timed out') return {ok: false, ms: elapsed(), detail: 'no first frame'};
		const code = terminal.exitCode();
		if (code !== undefined) return {ok: false, ms: elapsed(), detail: `kctop --demo exited with code ${code}: ${terminal.lastLine()}`};
		terminal.write('q');
		const exited = await Promise.race([terminal.exited.then(() => true), sleep(10_000).then(() => false)]);
		return exited ? {ok: true, ms: elapsed(), detail: 'first frame, then q'} : {ok: false, ms: elapsed(), detail: 'did not exit on q'};
	} finally {
		if (terminal.exitCode() === undefined) terminal.kill();
	}
}
