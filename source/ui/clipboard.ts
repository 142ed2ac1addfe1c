/**
 * `--clipboard`: the incident report copied to the terminal's clipboard with OSC 52
 * (`ESC ] 52 ; c ; <base64> BEL`), which works over SSH because the terminal, not the remote
 * host, owns the clipboard. Pure: the caller writes the sequence to the terminal and shows the
 * status text. The text given is already masked (it is the report the file or stdout gets).
 */

const esc = '\u001B';
const bel = '\u0007';

/**
 * The largest report copied, in bytes of UTF-8. Its base64 is at most 99,992 characters, so the
 * whole sequence stays within 100,000 bytes: xterm, hterm and several others drop a longer one
 * without a word. A longer report is cut at a line end and says so on its last line.
 */
export const clipboardMaxBytes = 74_994;

export interface ClipboardCopy {
	/** The bytes to write to the terminal. */
	readonly sequence: string;
	/** What the clipboard gets (the report, or its cut head with a closing note). */
	readonly copied: string;
	readonly totalBytes: number;
	readonly truncated: boolean;
	/** Wrapped for tmux, which passes it on only with `allow-passthrough on`. */
	readonly tmux: boolean;
}

/** OSC 52 "set clipboard" for `text`; inside tmux, in its DCS passthrough with every inner ESC doubled. */
export function osc52(text: string, options: {readonly tmux: boolean}): string {
	const inner = `${esc}]52;c;${Buffer.from(text, 'utf8').toString('base64')}${bel}`;
	return options.tmux ? `${esc}Ptmux;${inner.replaceAll(esc, esc + esc)}${esc}\\` : inner;
}

/** The head of `text` that fits in `maxBytes` of UTF-8, cut after a line end (or, with none, at a character). */
function head(text: string, maxBytes: number): string {
	const bytes = Buffer.from(text, 'utf8');
	if (bytes.length <= maxBytes) return text;
	// Decoding a cut buffer may end in a broken character: drop it.
	const cut = bytes.subarray(0, maxBytes).toString('utf8').replace(/\uFFFD$/, '');
	const lineEnd = cut.lastIndexOf('\n');
	return lineEnd > 0 ? cut.slice(0, lineEnd + 1) : cut;
}

/** The report as the clipboard gets it, under `clipboardMaxBytes`; `TMUX` in `env` wraps it for tmux. */
export function clipboardCopy(report: string, env: Readonly<Record<string, string | undefined>>, maxBytes = clipboardMaxBytes): ClipboardCopy {
	const totalBytes = Buffer.byteLength(report, 'utf8');
	const tmux = (env['TMUX'] ?? '') !== '';
	if (totalBytes <= maxBytes) return {sequence: osc52(report, {tmux}), copied: report, totalBytes, truncated: false, tmux};
	const note = `\n[cut for the clipboard at ${kilobytes(maxBytes)} of ${kilobytes(totalBytes)}; the whole report is in the file or on stdout]\n`;
	const copied = head(report, maxBytes - Buffer.byteLength(note, 'utf8')) + note;
	return {sequence: osc52(copied, {tmux}), copied, totalBytes, truncated: true, tmux};
}

function kilobytes(bytes: number): string {
	return bytes < 1000 ? `${bytes} B` : `${(bytes / 1000).toFixed(1)} kB`;
}

/** For the status line or stderr: what was copied, and what tmux needs to pass it on. */
export function clipboardStatus(copy: ClipboardCopy): string {
	const size = copy.truncated ? `the first ${kilobytes(Buffer.byteLength(copy.copied, 'utf8'))} of ${kilobytes(copy.totalBytes)}` : kilobytes(copy.totalBytes);
	const tmux = copy.tmux ? '; tmux passes it on with `set -g allow-passthrough on` and `set -g set-clipboard on`' : '';
	return `copied to the clipboard with OSC 52 (${size})${tmux}`;
}

/** Where the sequence can go: a stream that may be a terminal. */
export interface ClipboardTerminal {
	write(text: string): unknown;
	readonly isTTY?: boolean | undefined;
}

/**
 * Writes the report's OSC 52 sequence to the first of `terminals` that is a terminal (stdout,
 * then stderr when stdout is piped) and returns the status text.
 */
export function copyToClipboard(report: string, terminals: readonly ClipboardTerminal[], env: Readonly<Record<string, string | undefined>>): string {
	const terminal = terminals.find(each => each.isTTY === true);
	if (terminal === undefined) return 'not copied to the clipboard: OSC 52 needs a terminal on stdout or stderr';
	const copy = clipboardCopy(report, env);
	terminal.write(copy.sequence);
	return clipboardStatus(copy);
}
