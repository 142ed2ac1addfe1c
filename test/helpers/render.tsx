import {stripVTControlCharacters} from 'node:util';
import {render} from 'ink-testing-library';
import {App, type UiOptions} from '../../source/ui/app.js';
import type {FakeStore} from './fake-store.js';

/** Bytes a terminal sends for the keys the UI uses. */
export const keys = {
	up: '\u001B[A',
	down: '\u001B[B',
	right: '\u001B[C',
	left: '\u001B[D',
	pageUp: '\u001B[5~',
	pageDown: '\u001B[6~',
	home: '\u001B[H',
	end: '\u001B[F',
	enter: '\r',
	escape: '\u001B',
	tab: '\t',
	shiftTab: '\u001B[Z',
	backspace: '\u007F',
	space: ' ',
	/** ctrl-<letter>: the C0 control byte (ctrl-z = 0x1A). */
	ctrl: (letter: string): string => String.fromCharCode(letter.toLowerCase().charCodeAt(0) - 96),
} as const;

export interface RenderedApp {
	/** The last frame with escape sequences removed. */
	readonly frame: () => string;
	/** The last frame as written (with colour codes, if any). */
	readonly rawFrame: () => string;
	/** Writes one key (or a string of keys) to stdin and waits until Ink has drawn again. */
	readonly press: (...sequence: string[]) => Promise<void>;
	/** Types text one character at a time. */
	readonly type: (text: string) => Promise<void>;
	/** Resolves when the last frame satisfies `predicate`; rejects with the frame after `timeoutMs`. */
	readonly waitForFrame: (predicate: (frame: string) => boolean, timeoutMs?: number) => Promise<string>;
	readonly exits: () => number;
	readonly unmount: () => void;
}

const tick = async (): Promise<void> =>
	new Promise(resolve => {
		setTimeout(resolve, 5);
	});

export function renderApp(input: {readonly store: FakeStore; readonly size: {readonly columns: number; readonly rows: number}; readonly options?: Partial<UiOptions>; readonly onSwitchContext?: (name: string) => string | undefined}): RenderedApp {
	let exitCount = 0;
	const options: UiOptions = {ascii: false, color: true, readOnly: false, ...input.options};
	const instance = render(<App store={input.store} options={options} size={input.size} onExit={() => exitCount++} {...(input.onSwitchContext === undefined ? {} : {onSwitchContext: input.onSwitchContext})} />);
	const rawFrame = (): string => instance.lastFrame() ?? '';
	const frame = (): string => stripVTControlCharacters(rawFrame());

	const waitForFrame = async (predicate: (text: string) => boolean, timeoutMs = 3000): Promise<string> => {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const current = frame();
			if (predicate(current)) return current;
			if (Date.now() > deadline) throw new Error(`no matching frame within ${timeoutMs} ms; last frame:\n${current}`);
			// Polls Ink's output: the assertion waits for a render, never for a fixed time.
			await tick();
		}
	};

	const settle = async (framesBefore: number, escapePending: boolean): Promise<void> => {
		// A lone ESC is held by Ink for a few ms (it might start a sequence): wait until it is
		// delivered (a new frame) so the next key is not read as Alt+key. Other keys render at
		// once; a key that changes nothing leaves the frame count as it is, so give up quietly.
		const deadline = Date.now() + (escapePending ? 500 : 100);
		while (instance.frames.length === framesBefore && Date.now() < deadline) await tick();
	};

	const press = async (...sequence: string[]): Promise<void> => {
		for (const key of sequence) {
			const before = instance.frames.length;
			instance.stdin.write(key);
			await settle(before, key === keys.escape);
		}
	};

	return {
		frame,
		rawFrame,
		press,
		type: async text => press(...[...text]),
		waitForFrame,
		exits: () => exitCount,
		unmount: () => {
			instance.unmount();
			instance.cleanup();
		},
	};
}

/** The lines of a frame. */
export function linesOf(frame: string): string[] {
	return frame.split('\n');
}
