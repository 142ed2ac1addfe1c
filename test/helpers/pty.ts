import {spawn, type IPty} from '@lydell/node-pty';
import xterm from '@xterm/headless';

/**
 * A real pseudo-terminal driving a real process, read through a headless xterm: what a
 * person sees on the screen, as text. Keys are sent as the bytes a terminal sends.
 */

export interface PtySession {
	/** The visible screen, one string per row (trailing spaces trimmed). */
	screen(): string[];
	screenText(): string;
	/** Everything the process wrote, raw (escape sequences included). */
	raw(): string;
	write(data: string): void;
	/** Resolves when the screen matches; rejects with the screen in the message after timeoutMs. */
	waitFor(predicate: RegExp | ((text: string) => boolean), timeoutMs?: number): Promise<string>;
	resize(columns: number, rows: number): void;
	/** Resolves with the exit code. */
	readonly exited: Promise<{exitCode: number; signal: number | undefined}>;
	kill(): void;
	/** Whether the alternate screen buffer is active (Ink's alternateScreen). */
	inAlternateScreen(): boolean;
}

export const keys = {
	up: '\u001B[A',
	down: '\u001B[B',
	right: '\u001B[C',
	left: '\u001B[D',
	enter: '\r',
	escape: '\u001B',
	ctrlC: '\u0003',
	ctrlR: '\u0012',
	ctrlZ: '\u001A',
	space: ' ',
	tab: '\t',
} as const;

export function startPty(command: string, args: readonly string[], options: {columns: number; rows: number; env?: Record<string, string>; cwd?: string}): PtySession {
	const terminal = new xterm.Terminal({cols: options.columns, rows: options.rows, allowProposedApi: true, scrollback: 0});
	let output = '';
	const pty: IPty = spawn(command, [...args], {
		name: 'xterm-256color',
		cols: options.columns,
		rows: options.rows,
		cwd: options.cwd ?? process.cwd(),
		env: {...cleanEnv(), TERM: 'xterm-256color', LANG: 'C.UTF-8', ...options.env},
	});
	pty.onData(data => {
		output += data;
		terminal.write(data);
	});
	const exited = new Promise<{exitCode: number; signal: number | undefined}>(resolve => {
		pty.onExit(({exitCode, signal}) => resolve({exitCode, signal}));
	});

	const screen = (): string[] => {
		const buffer = terminal.buffer.active;
		const rows: string[] = [];
		for (let y = 0; y < terminal.rows; y++) rows.push(buffer.getLine(buffer.viewportY + y)?.translateToString(true) ?? '');
		return rows;
	};
	// xterm parses asynchronously: flush pending writes before reading.
	const flushed = () => new Promise<void>(resolve => terminal.write('', resolve));

	return {
		screen,
		screenText: () => screen().join('\n'),
		raw: () => output,
		write: data => pty.write(data),
		async waitFor(predicate, timeoutMs = 15_000) {
			const test = typeof predicate === 'function' ? predicate : (text: string) => predicate.test(text);
			const deadline = Date.now() + timeoutMs;
			for (;;) {
				await flushed();
				const text = screen().join('\n');
				if (test(text)) return text;
				if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${String(predicate)}; the screen was:\n${text}`);
				await new Promise(resolve => setTimeout(resolve, 50));
			}
		},
		resize(columns, rows) {
			pty.resize(columns, rows);
			terminal.resize(columns, rows);
		},
		exited,
		kill() {
			try {
				pty.kill();
			} catch {
				// already gone
			}
		},
		inAlternateScreen: () => terminal.buffer.active.type === 'alternate',
	};
}

function cleanEnv(): Record<string, string> {
	const env: Record<string, string> = {};
	for (const [key, value] of Object.entries(process.env)) {
		if (value === undefined || key.startsWith('KCTOP_') || key === 'NO_COLOR' || key === 'CI' || key.startsWith('VITEST')) continue;
		env[key] = value;
	}
	return env;
}
