/**
 * `node dist/bench/frame-cost.js [--connectors N] [--frames K] [--ink]`: the CPU of kctop's UI
 * alone, in process. It builds real states from the simulator (direct scrape, stepped clock),
 * then draws the live App into a 140×40 fake terminal as the live view does (through a
 * ScreenWriter, Ink reading only the keyboard; `--ink`: Ink drawing the screen, as the
 * ink-testing-library tests do) and measures, per frame:
 * - a refresh frame: a new snapshot (the next refresh's state) is published;
 * - a clock frame: only the clock ticks (the header's ages move);
 * - an unchanged frame: the same state is published again as a new object.
 * The figures complement `npm run bench`, which sees the whole process from outside.
 */
import {PassThrough, Writable} from 'node:stream';
import {parseArgs} from 'node:util';
import {render} from 'ink';
import {createSteppedClock} from '../demo/clock.js';
import {startDemoCluster} from '../demo/server.js';
import {demoStore} from './demo-store.js';
import type {AppState, Store} from '../store/types.js';
import {App} from '../ui/app.js';
import {createScreenWriter, keyboardOnlyStdout} from '../ui/screen-writer.js';

/** A keyboard nobody types on: a TTY-looking stream Ink can put in raw mode. */
function idleKeyboard(): PassThrough {
	const keyboard = new PassThrough();
	return Object.assign(keyboard, {isTTY: true, setRawMode: () => keyboard, ref: () => keyboard, unref: () => keyboard});
}

class FakeTerminal extends Writable {
	readonly isTTY = true;
	readonly columns = 140;
	readonly rows = 40;
	bytes = 0;
	override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: () => void): void {
		this.bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
		callback();
	}
}

const cpuMs = (): number => {
	const usage = process.cpuUsage();
	return (usage.user + usage.system) / 1000;
};

async function main(): Promise<void> {
	const {values} = parseArgs({options: {connectors: {type: 'string'}, frames: {type: 'string'}, ink: {type: 'boolean'}}});
	const throughInk = values.ink === true;
	const scale = Number(values.connectors ?? '9');
	const frames = Number(values.frames ?? '20');
	const start = Date.UTC(2026, 10, 27, 3, 0, 0);
	const clock = createSteppedClock(start);
	const demo = await startDemoCluster({seed: 1, clock, scale, scenario: 'steady'});
	const store = demoStore(demo, clock, {}, 60_000);
	// States of consecutive refreshes, built before anything is measured.
	const states: AppState[] = [];
	for (let i = 0; i < frames + 2; i++) {
		clock.advance(2000);
		await demo.sync();
		await store.refresh();
		states.push(store.getState());
	}
	await demo.close();

	let current = states[0] ?? store.getState();
	let clockNow = current.now;
	const listeners = new Set<() => void>();
	const clockListeners = new Set<() => void>();
	const shown: Store = {
		...store,
		getState: () => current,
		subscribe(listener) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
		subscribeClock(listener) {
			clockListeners.add(listener);
			return () => clockListeners.delete(listener);
		},
		clockNow: () => clockNow,
	};
	const stdout = new FakeTerminal();
	const writer = throughInk ? undefined : createScreenWriter(stdout);
	const inkOut = throughInk ? undefined : keyboardOnlyStdout(stdout);
	writer?.open();
	let rendered = 0;
	let waiting: (() => void) | undefined;
	const instance = render(<App store={shown} options={{ascii: false, color: true, readOnly: false}} onExit={() => undefined} {...(writer === undefined ? {} : {writer})} />, {
		stdout: (inkOut?.stream ?? stdout) as unknown as NodeJS.WriteStream,
		stdin: idleKeyboard() as unknown as NodeJS.ReadStream,
		interactive: true,
		patchConsole: false,
		exitOnCtrlC: false,
		incrementalRendering: true,
		maxFps: 15,
		onRender() {
			rendered += 1;
			waiting?.();
		},
	});
	const settle = async (): Promise<void> =>
		new Promise(resolve => {
			setTimeout(resolve, 120); // past Ink's throttle (maxFps 15)
		});
	await settle();
	if (rendered === 0 || stdout.bytes === 0) throw new Error('nothing was drawn');

	const measure = async (label: string, step: (i: number) => void): Promise<void> => {
		const framesBefore = rendered;
		const bytesBefore = stdout.bytes;
		let cpu = 0;
		for (let i = 0; i < frames; i++) {
			const before = cpuMs();
			step(i);
			await new Promise<void>(resolve => {
				waiting = resolve;
				setTimeout(resolve, 100);
			});
			cpu += cpuMs() - before;
			waiting = undefined;
			await settle();
		}
		const drawn = rendered - framesBefore;
		process.stdout.write(`${label.padEnd(18)} ${(cpu / frames).toFixed(2).padStart(7)} ms CPU per step, ${drawn}/${frames} React renders, ${Math.round((stdout.bytes - bytesBefore) / frames)} bytes per step\n`);
	};

	process.stdout.write(`${scale} connectors, 140×40, ${frames} steps each, ${throughInk ? 'Ink drawing the screen (--ink)' : 'drawn by the ScreenWriter, as the live view'}\n`);
	await measure('refresh frame', i => {
		current = states[i + 1] ?? current;
		clockNow = current.now;
		for (const listener of listeners) listener();
	});
	await measure('clock frame', () => {
		clockNow = (clockNow ?? 0) + 1000;
		for (const listener of clockListeners) listener();
	});
	await measure('unchanged state', () => {
		current = {...current};
		for (const listener of listeners) listener();
	});
	instance.unmount();
	inkOut?.detach();
	writer?.close();
	store.stop();
}

main().catch((error: unknown) => {
	process.stderr.write(`frame-cost: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
	process.exitCode = 1;
});
