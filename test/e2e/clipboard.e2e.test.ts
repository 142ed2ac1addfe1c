import {mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {startPty, type PtySession} from '../helpers/pty.js';
import {cli, node, requireBuild} from './stack.js';

/**
 * `--clipboard` in a real terminal: the bytes kctop writes to the pseudo-terminal hold an
 * OSC 52 sequence whose base64 decodes to the very report it wrote (the file of `P`, or stdout
 * of `--once -o markdown`), masked as that is. Inside tmux ($TMUX set) the sequence is wrapped in
 * tmux's passthrough.
 */

const esc = '\u001B';
let pty: PtySession | undefined;
let directory: string | undefined;

afterEach(() => {
	pty?.kill();
	pty = undefined;
	if (directory !== undefined) rmSync(directory, {recursive: true, force: true});
	directory = undefined;
});

/** Every OSC 52 payload in the raw output, plain or inside tmux's passthrough, decoded. */
function clipboardPayloads(raw: string): string[] {
	const unwrapped = raw.replaceAll(`${esc}Ptmux;`, '').replaceAll(esc + esc, esc);
	return [...unwrapped.matchAll(/\u001B\]52;c;([A-Za-z\d+/=]*)\u0007/g)].map(match => Buffer.from(match[1] ?? '', 'base64').toString('utf8'));
}

describe('--clipboard in a real terminal', () => {
	it('kctop --once -o markdown --clipboard: the OSC 52 bytes decode to the report on stdout', async () => {
		requireBuild();
		pty = startPty(node, [cli, '--demo', '--once', '-o', 'markdown', '--clipboard'], {columns: 120, rows: 40});
		const {exitCode} = await pty.exited;
		expect(exitCode).toBe(0);
		const raw = pty.raw();
		const [copied, ...more] = clipboardPayloads(raw);
		expect(more).toEqual([]);
		expect(copied).toMatch(/^# kctop incident report: /);
		// What the terminal showed: the report (the tty turned \n into \r\n), then the OSC sequence.
		const shown = raw.slice(0, raw.indexOf(`${esc}]52;`)).replaceAll('\r\n', '\n');
		expect(copied).toBe(shown);
		expect(raw).toContain('kctop: report copied to the clipboard with OSC 52 (');
	}, 60_000);

	it('P in the live view: the clipboard gets the file the report was written to; inside tmux, wrapped for it', async () => {
		requireBuild();
		directory = mkdtempSync(join(tmpdir(), 'kctop-clipboard-'));
		pty = startPty(node, [cli, '--demo', '--clipboard'], {columns: 140, rows: 40, cwd: directory, env: {TMUX: '/tmp/tmux-1000/default,4242,0', XDG_STATE_HOME: directory}});
		const session = pty;
		await session.waitFor(text => text.includes('cdc-test-connector') && text.includes('jdbc-sink-orders'), 30_000);
		session.write('P');
		const screen = await session.waitFor(/report written to/, 15_000);
		expect(screen.replaceAll('\n', '')).toMatch(/copied to the clipboard with OSC 52/);
		const [file] = readdirSync(directory).filter(name => name.endsWith('.md'));
		expect(file).toMatch(/^kctop-report-\d{8}T\d{6}Z\.md$/);
		const written = readFileSync(join(directory, file ?? ''), 'utf8');
		const raw = session.raw();
		expect(raw).toContain(`${esc}Ptmux;${esc}${esc}]52;c;`);
		expect(clipboardPayloads(raw)).toEqual([written]);
		session.write('q');
		await session.exited;
	}, 90_000);
});
