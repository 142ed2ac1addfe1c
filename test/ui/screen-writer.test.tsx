import {Writable} from 'node:stream';
import {setImmediate as nextMacrotask} from 'node:timers/promises';
import xterm from '@xterm/headless';
import {render} from 'ink-testing-library';
import chalk from 'chalk';
import {afterEach, describe, expect, it, onTestFinished} from 'vitest';
import {createSteppedClock} from '../../source/demo/clock.js';
import {startDemoCluster} from '../../source/demo/server.js';
import {App} from '../../source/ui/app.js';
import {line, segment, textLine, type Line} from '../../source/ui/lines.js';
import {boxLines, createScreenWriter, keyboardOnlyStdout} from '../../source/ui/screen-writer.js';
import type {Store} from '../../source/store/types.js';
import {demoStore} from '../helpers/demo-store.js';
import {FakeStore} from '../helpers/fake-store.js';
import {makeHealth, realisticSnapshot, takenAt} from '../helpers/snapshot-factory.js';
import {until} from '../helpers/until.js';

/** A headless xterm that the writer draws on, with every chunk it was sent. */
function terminal(columns: number, rows: number) {
	const term = new xterm.Terminal({cols: columns, rows, allowProposedApi: true, scrollback: 0});
	const chunks: string[] = [];
	const writer = createScreenWriter({
		write(data: string) {
			chunks.push(data);
			term.write(data);
		},
	});
	const flushed = async (): Promise<void> =>
		new Promise(resolve => {
			term.write('', resolve);
		});
	const screen = async (): Promise<string[]> => {
		await flushed();
		const buffer = term.buffer.active;
		const out: string[] = [];
		for (let y = 0; y < rows; y++) out.push(buffer.getLine(buffer.viewportY + y)?.translateToString(true) ?? '');
		return out;
	};
	return {writer, chunks, screen, term};
}

const plain = (lines: readonly Line[], rows: number): string[] => {
	const out = lines.slice(0, rows).map(each => each.segments.map(part => part.text).join('').trimEnd());
	while (out.length < rows) out.push('');
	return out;
};

/** A terminal stdout: a size, resize events, and what reached it. */
class FakeTty extends Writable {
	readonly columns = 120;
	readonly rows = 33;
	readonly isTTY = true;
	readonly written: string[] = [];
	override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
		this.written.push(chunk.toString());
		done();
	}
}

/** Printable text of what was written: escape sequences removed. */
const printed = (data: string): string => data.replace(/\u001B\[[0-9;?]*[A-Za-z]/g, '');

describe('screen writer', () => {
	it('draws every row once, then only the characters that changed', async () => {
		const t = terminal(40, 6);
		const first = [line(segment('REST ok 1s', {color: 'green'}), segment(' · scrape ok 1s')), textLine('connectors 9'), textLine('orders-sink  RUNNING', {inverse: true})];
		t.writer.open();
		t.writer.draw(first, 40, 6);
		expect(await t.screen()).toEqual(plain(first, 6));

		const before = t.chunks.length;
		// The same rows again (new objects, same text and style): nothing is written.
		t.writer.draw(first.map(each => ({...each})), 40, 6);
		expect(t.chunks.length).toBe(before);

		// An age moves: only that character is written.
		const next = [line(segment('REST ok 2s', {color: 'green'}), segment(' · scrape ok 1s')), first[1] ?? textLine(''), first[2] ?? textLine('')];
		t.writer.draw(next, 40, 6);
		const written = t.chunks.slice(before).join('');
		expect(printed(written)).toBe('2');
		expect(await t.screen()).toEqual(plain(next, 6));
	});

	it('keeps styles and wide characters right when a row gets shorter or longer', async () => {
		const t = terminal(30, 4);
		t.writer.open();
		t.writer.draw([textLine('注文-sink RUNNING 12 rec'), textLine('x')], 30, 4);
		const before = t.chunks.length;
		const shorter = [textLine('注文-sink FAILED'), textLine('x'), textLine('new row')];
		t.writer.draw(shorter, 30, 4);
		expect(await t.screen()).toEqual(plain(shorter, 4));
		// The unchanged wide-character prefix is not written again.
		expect(printed(t.chunks.slice(before).join(''))).not.toContain('注文');
		const wider = [textLine('注文-sink FAILED ✗ 3 errors'), textLine(''), textLine('new row')];
		t.writer.draw(wider, 30, 4);
		expect(await t.screen()).toEqual(plain(wider, 4));
		// Colour and inverse reach the terminal cells (chalk styles them as Ink's <Text> would).
		const level = chalk.level;
		chalk.level = 1;
		onTestFinished(() => {
			chalk.level = level;
		});
		t.writer.draw([line(segment('ok', {color: 'red'})), textLine('sel', {inverse: true})], 30, 4);
		await t.screen();
		const buffer = t.term.buffer.active;
		expect(buffer.getLine(0)?.getCell(0)?.getFgColor()).toBe(1);
		expect(buffer.getLine(1)?.getCell(0)?.isInverse()).toBeTruthy();
	});

	it('draws everything again after a resize, and restores the terminal on close', async () => {
		const t = terminal(20, 4);
		t.writer.open();
		expect(t.chunks.join('')).toContain('\u001B[?1049h');
		const rows = [textLine('abc'), textLine('def')];
		t.writer.draw(rows, 20, 4);
		const before = t.chunks.length;
		t.writer.draw(rows, 20, 3);
		expect(printed(t.chunks.slice(before).join(''))).toBe('abcdef');
		t.writer.close();
		expect(t.chunks.at(-1)).toContain('\u001B[?1049l');
		expect(t.chunks.at(-1)).toContain('\u001B[?25h');
	});

	it('boxes the dialog as Ink draws <Box borderStyle paddingX={1}>', () => {
		const rows = boxLines([textLine('restart orders-sink?'), textLine('y yes', {inverse: true})], 26, 'round', 'yellow');
		expect(plain(rows, rows.length)).toEqual(['╭────────────────────────╮', '│ restart orders-sink?   │', '│ y yes                  │', '╰────────────────────────╯']);
		expect(plain(boxLines([textLine('ok')], 8, 'classic', undefined), 3)).toEqual(['+------+', '| ok   |', '+------+']);
	});

	it('gives Ink a stdout that has the terminal size and passes on only the bracketed-paste switches', () => {
		const tty = new FakeTty();
		const {stream, detach} = keyboardOnlyStdout(tty);
		let resized = 0;
		stream.on('resize', () => (resized += 1));
		stream.write('a frame Ink drew\n');
		stream.write('\u001B[?2004h');
		tty.emit('resize');
		expect(tty.written).toEqual(['\u001B[?2004h']);
		expect(resized).toBe(1);
		expect(Reflect.get(stream, 'columns')).toBe(120);
		expect(Reflect.get(stream, 'rows')).toBe(33);
		detach();
		expect(tty.listenerCount('resize')).toBe(0);
	});
});

let unmount: (() => void) | undefined;
afterEach(() => {
	unmount?.();
	unmount = undefined;
});

function drawApp(store: Store, columns: number, rows: number) {
	const t = terminal(columns, rows);
	t.writer.open();
	const instance = render(<App store={store} writer={t.writer} options={{ascii: false, color: false, readOnly: false}} size={{columns, rows}} onExit={() => undefined} />);
	unmount = instance.unmount;
	return {...t, inkFrames: instance.frames, stdin: instance.stdin};
}

describe('the live App through the writer', () => {
	/** The screen Ink draws and the screen the writer draws for the same store and keys, trailing blanks aside. */
	async function bothScreens(keys: readonly string[], shown: string): Promise<{readonly ink: string[]; readonly written: string[]; readonly inkFrames: string[]}> {
		const store = new FakeStore({snapshot: realisticSnapshot(), now: takenAt});
		const viaInk = render(<App store={store} options={{ascii: false, color: false, readOnly: false}} size={{columns: 160, rows: 30}} onExit={() => undefined} />);
		const app = drawApp(store, 160, 30);
		await until(async () => (viaInk.lastFrame() ?? '').includes('mysql-cdc') && (await app.screen()).join('\n').includes('mysql-cdc'), 'both first screens');
		for (const key of keys) {
			viaInk.stdin.write(key);
			app.stdin.write(key);
			await nextMacrotask();
		}
		await until(async () => (viaInk.lastFrame() ?? '').includes(shown) && (await app.screen()).join('\n').includes(shown), shown);
		const ink = (viaInk.lastFrame() ?? '').split('\n').map(row => row.trimEnd());
		viaInk.unmount();
		// A styled blank is kept (REBALANCING's padding), even where chalk has no colours to draw it with.
		const written = (await app.screen()).slice(0, ink.length).map(row => row.trimEnd());
		return {ink, written, inkFrames: app.inkFrames};
	}

	it('draws what Ink would draw, and Ink itself draws nothing', async () => {
		const {ink, written, inkFrames} = await bothScreens([], 'mysql-cdc');
		expect(written).toEqual(ink);
		expect(inkFrames.every(frame => frame.trim() === '')).toBe(true);
	});

	it('draws the confirmation dialog box as Ink does', async () => {
		const {ink, written} = await bothScreens(['r'], 'y send');
		expect(written.join('\n')).toContain('╭');
		expect(written).toEqual(ink);
	});

	it('writes nothing on a clock tick that moves no age, and only the changed characters on one that does', async () => {
		const store = new FakeStore({snapshot: realisticSnapshot(), now: takenAt});
		const app = drawApp(store, 160, 30);
		store.tick(takenAt + 100);
		await until(async () => (await app.screen()).join('\n').includes('REST ok 1s'), 'the age 1s');
		const before = app.writer.bytesWritten();
		for (const at of [takenAt + 300, takenAt + 600, takenAt + 900]) store.tick(at); // all "1s"
		// A store change that draws nothing new: a new state object.
		store.setState({nextRefreshAt: takenAt + 2000});
		await nextMacrotask();
		expect(app.writer.bytesWritten()).toBe(before);
		store.tick(takenAt + 1100); // "2s"
		await until(async () => (await app.screen()).join('\n').includes('REST ok 2s'), 'the age 2s');
		const written = app.chunks.join('').slice(-200);
		expect(app.writer.bytesWritten() - before).toBeLessThan(80);
		expect(printed(written).endsWith('2')).toBe(true);
	});

	it('a refresh that draws the screen it drew before puts back the ages a clock tick moved', async () => {
		const store = new FakeStore({snapshot: realisticSnapshot(), now: takenAt});
		const app = drawApp(store, 160, 30);
		await until(async () => (await app.screen()).join('\n').includes('REST ok 1s'), 'the age 1s');
		store.tick(takenAt + 1100);
		await until(async () => (await app.screen()).join('\n').includes('REST ok 2s'), 'the age 2s');
		// The next refresh, 2 s later: the same screen at its own time, ages "1s" again.
		const later = (source: 'rest' | 'prometheus') => makeHealth({source, lastSuccessAt: takenAt + 1000, lastAttemptAt: takenAt + 1000});
		store.setState({snapshot: realisticSnapshot({takenAt: takenAt + 2000, rest: later('rest'), metrics: later('prometheus')}), now: takenAt + 2000});
		await until(async () => (await app.screen()).join('\n').includes('REST ok 1s'), 'the age 1s after the refresh');
		expect((await app.screen()).join('\n')).not.toContain('ok 2s');
	});

	it('over refreshes of the steady demo on its stepped clock, writes only the spans of cells that changed', async () => {
		const start = Date.UTC(2026, 10, 27, 3, 0, 0);
		const clock = createSteppedClock(start);
		const demo = await startDemoCluster({seed: 1, clock, scale: 9, scenario: 'steady'});
		const store = demoStore(demo, clock);
		try {
			for (let i = 0; i < 3; i++) {
				clock.advance(2000);
				await demo.sync();
				await store.refresh();
			}
			const app = drawApp(store, 140, 40);
			await until(async () => (await app.screen()).join('\n').includes('connectors 9'), 'the first screen');
			const refreshes = 5;
			for (let i = 0; i < refreshes; i++) {
				const before = await app.screen();
				const chunksBefore = app.chunks.length;
				clock.advance(2000);
				await demo.sync();
				await store.refresh();
				await nextMacrotask();
				const after = await app.screen();
				// The cells between the first and the last that differ, row by row.
				let span = 0;
				for (const [row, text] of after.entries()) {
					const old = before[row] ?? '';
					const chars = [...text.padEnd(140)];
					const oldChars = [...old.padEnd(140)];
					const changed = chars.flatMap((char, column) => (char === oldChars[column] ? [] : [column]));
					if (changed.length > 0) span += (changed.at(-1) ?? 0) - (changed[0] ?? 0) + 1;
				}
				// What was printed: the changed spans, plus the refreshing marker if this refresh took refreshingShownAfterMs (a loaded machine).
				const marker = ' ⟳ refreshing'.length;
				expect([...printed(app.chunks.slice(chunksBefore).join(''))].length).toBeLessThanOrEqual(span + marker);
			}
			expect((await app.screen()).join('\n')).toContain('connectors 9');
		} finally {
			store.stop();
			await demo.close();
		}
	});
});
