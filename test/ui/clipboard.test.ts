import {describe, expect, it} from 'vitest';
import {clipboardCopy, clipboardMaxBytes, clipboardStatus, copyToClipboard, osc52} from '../../source/ui/clipboard.js';

const esc = '\u001B';
const bel = '\u0007';

/** The text inside one OSC 52 sequence (plain or wrapped for tmux), decoded. */
function decoded(sequence: string): string {
	const plain = sequence.startsWith(`${esc}Ptmux;`) ? sequence.slice(`${esc}Ptmux;`.length, -2).replaceAll(esc + esc, esc) : sequence;
	const match = /^\u001B\]52;c;([A-Za-z\d+/=]*)\u0007$/.exec(plain);
	if (match?.[1] === undefined) throw new Error(`not an OSC 52 sequence: ${JSON.stringify(sequence.slice(0, 40))}`);
	return Buffer.from(match[1], 'base64').toString('utf8');
}

describe('OSC 52 encoder', () => {
	it('ESC ] 52 ; c ; base64 BEL', () => {
		expect(osc52('hi', {tmux: false})).toBe(`${esc}]52;c;aGk=${bel}`);
	});

	it('inside tmux: the DCS passthrough, every inner ESC doubled, closed by ESC \\', () => {
		expect(osc52('hi', {tmux: true})).toBe(`${esc}Ptmux;${esc}${esc}]52;c;aGk=${bel}${esc}\\`);
	});

	it('UTF-8 round trip: sparklines, the middle dot, CRLF and a Markdown table survive', () => {
		const report = '# kctop incident report\n\n| a | b |\n|---|---|\n| ▁▂▃█ | 37 tasks · PSQLException |\r\n';
		expect(decoded(osc52(report, {tmux: false}))).toBe(report);
		expect(decoded(osc52(report, {tmux: true}))).toBe(report);
	});

	it('$TMUX set and not empty wraps for tmux; the status line says what tmux needs', () => {
		const inTmux = clipboardCopy('report\n', {TMUX: '/tmp/tmux-0/default,123,0'});
		expect(inTmux.tmux).toBe(true);
		expect(inTmux.sequence.startsWith(`${esc}Ptmux;`)).toBe(true);
		expect(clipboardStatus(inTmux)).toBe('copied to the clipboard with OSC 52 (7 B); tmux passes it on with `set -g allow-passthrough on` and `set -g set-clipboard on`');
		const outside = clipboardCopy('report\n', {TMUX: ''});
		expect(outside.tmux).toBe(false);
		expect(outside.sequence).toBe(osc52('report\n', {tmux: false}));
		expect(clipboardStatus(outside)).toBe('copied to the clipboard with OSC 52 (7 B)');
	});
});

describe('the size cap', () => {
	it('keeps the whole sequence within 100,000 bytes', () => {
		const largest = 'x'.repeat(clipboardMaxBytes);
		expect(clipboardCopy(largest, {}).sequence.length).toBeLessThanOrEqual(100_000);
		expect(clipboardCopy(largest, {}).truncated).toBe(false);
	});

	it('a longer report is cut after a line end and says so on its last line', () => {
		const line = `| connector-${'y'.repeat(80)} | FAILED |\n`;
		const report = line.repeat(2000);
		const copy = clipboardCopy(report, {});
		expect(copy.truncated).toBe(true);
		expect(copy.totalBytes).toBe(Buffer.byteLength(report));
		expect(Buffer.byteLength(copy.copied)).toBeLessThanOrEqual(clipboardMaxBytes);
		expect(copy.sequence.length).toBeLessThanOrEqual(100_000);
		const text = decoded(copy.sequence);
		expect(text).toBe(copy.copied);
		const [kept, note] = text.split('\n[cut for the clipboard');
		expect(report.startsWith(kept ?? '')).toBe(true);
		expect((kept ?? '').endsWith('|\n')).toBe(true);
		expect(note).toBe(' at 75.0 kB of 208.0 kB; the whole report is in the file or on stdout]\n');
		expect(clipboardStatus(copy)).toMatch(/^copied to the clipboard with OSC 52 \(the first 7\d\.\d kB of 208\.0 kB\)$/);
	});

	it('a cut inside a multi-byte character drops the broken character', () => {
		const copy = clipboardCopy('█'.repeat(100), {}, 160);
		expect(copy.truncated).toBe(true);
		expect(copy.copied).not.toContain('\uFFFD');
		expect(Buffer.byteLength(copy.copied)).toBeLessThanOrEqual(160);
		expect(copy.copied.startsWith('███')).toBe(true);
	});
});

describe('copyToClipboard', () => {
	function stream(isTTY: boolean) {
		const written: string[] = [];
		return {written, isTTY, write: (text: string) => written.push(text)};
	}

	it('writes the sequence to the first stream that is a terminal (stderr when stdout is piped)', () => {
		const stdout = stream(false);
		const stderr = stream(true);
		expect(copyToClipboard('the report\n', [stdout, stderr], {})).toBe('copied to the clipboard with OSC 52 (11 B)');
		expect(stdout.written).toEqual([]);
		expect(stderr.written.map(decoded)).toEqual(['the report\n']);
	});

	it('writes nothing and says why when neither is a terminal', () => {
		const stdout = stream(false);
		expect(copyToClipboard('the report\n', [stdout, stream(false)], {})).toBe('not copied to the clipboard: OSC 52 needs a terminal on stdout or stderr');
		expect(stdout.written).toEqual([]);
	});
});
