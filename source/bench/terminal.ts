import {spawn, type IPty} from '@lydell/node-pty';
import {setTimeout as sleep} from 'node:timers/promises';
import xterm from '@xterm/headless';

/**
 * A process in a real pseudo-terminal, as the bench sees it: its pid (for /proc), every byte
 * it wrote with the time it arrived, and the screen a person would see (a headless xterm).
 */

export interface Terminal {
	readonly pid: number;
	/** Bytes written by the process so far. */
	bytes(): number;
	/** Arrival times (performance.now()) of each chunk of output, and the byte total after it. */
	readonly writes: ReadonlyArray<{readonly at: number; readonly total: number}>;
	/** The visible screen as text, once xterm has parsed everything received so far. */
	screen(): Promise<string>;
	/**
	 * The same, with the arrival time of the last chunk of output it holds (undefined: none yet):
	 * when the screen shows something, that is when it came, not when the bench looked.
	 */
	screenAt(): Promise<{readonly text: string; readonly at: number | undefined}>;
	write(data: string): void;
	/** The last line of text the process wrote, escape sequences removed (for error messages). */
	lastLine(): string;
	readonly exited: Promise<number>;
	/** The exit code once the process has exited, else undefined. */
	exitCode(): number | undefined;
	kill(): void;
}

export function startTerminal(command: string, args: readonly string[], options: {readonly columns: number; readonly rows: number; readonly env: Readonly<Record<string, string>>; readonly now: () => number}): Terminal {
	const terminal = new xterm.Terminal({cols: options.columns, rows: options.rows, allowProposedApi: true, scrollback: 0});
	const pty: IPty = spawn(command, [...args], {name: 'xterm-256color', cols: options.columns, rows: options.rows, cwd: process.cwd(), env: {...options.env}});
	const writes: Array<{at: number; total: number}> = [];
	let total = 0;
	let tail = '';
	pty.onData(data => {
		total += Buffer.byteLength(data);
		tail = (tail + data).slice(-2000);
		writes.push({at: options.now(), total});
		terminal.write(data);
	});
	let exitCode: number | undefined;
	const exited = new Promise<number>(resolve =>
		pty.onExit(({exitCode: code}) => {
			exitCode = code;
			resolve(code);
		}),
	);
	const screenAt = (): Promise<{readonly text: string; readonly at: number | undefined}> => {
		// xterm parses in order: once this empty write is parsed, every chunk received before it is too.
		const at = writes.at(-1)?.at;
		return new Promise(resolve =>
			terminal.write('', () => {
				const buffer = terminal.buffer.active;
				const rows: string[] = [];
				for (let y = 0; y < terminal.rows; y++) rows.push(buffer.getLine(buffer.viewportY + y)?.translateToString(true) ?? '');
				resolve({text: rows.join('\n'), at});
			}),
		);
	};
	return {
		pid: pty.pid,
		bytes: () => total,
		writes,
		screen: async () => (await screenAt()).text,
		screenAt,
		write: data => pty.write(data),
		lastLine: () =>
			tail
				// eslint-disable-next-line no-control-regex
				.replace(/\u001B\[[0-?]*[ -/]*[@-~]|\u001B\][^\u0007\u001B]*(\u0007|\u001B\\)|\u001B[@-_]/g, '')
				.split(/\r?\n|\r/)
				.map(line => line.trim())
				.filter(line => line !== '')
				.at(-1) ?? '',
		exited,
		exitCode: () => exitCode,
		kill: () => {
			try {
				pty.kill();
			} catch {
				// already gone
			}
		},
	};
}

export type ScreenWait = {readonly kind: 'shown'; readonly text: string; readonly at: number | undefined} | {readonly kind: 'exited'; readonly code: number} | {readonly kind: 'timed out'};

/**
 * Looks at the screen every `pollMs` until `shows` accepts it (dated by the output that drew
 * it, Terminal.screenAt), the process exits, or `timeoutMs` has passed.
 */
export async function waitForScreen(terminal: Terminal, shows: (text: string) => boolean, options: {readonly timeoutMs: number; readonly pollMs: number; readonly now: () => number}): Promise<ScreenWait> {
	const deadline = options.now() + options.timeoutMs;
	for (;;) {
		const screen = await terminal.screenAt();
		if (shows(screen.text)) return {kind: 'shown', ...screen};
		const code = terminal.exitCode();
		if (code !== undefined) return {kind: 'exited', code};
		if (options.now() > deadline) return {kind: 'timed out'};
		await sleep(options.pollMs);
	}
}
