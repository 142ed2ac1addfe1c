import {describe, expect, it} from 'vitest';
import {firstFrameShown} from '../../source/bench/session.js';
import {measureStarts, median, timeToScreen} from '../../source/bench/starts.js';
import {rssBytes} from '../../source/bench/proc.js';

const env: Record<string, string> = {PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp', TERM: 'xterm-256color', LANG: 'C.UTF-8'};
/** A stand-in for kctop: draws a complete first frame's header, then waits to be stopped. */
const frame = {command: process.execPath, args: ['-e', "process.stdout.write('connectors 9 · REST ok 0s · Prometheus ok 0s\\n'); setTimeout(() => {}, 60000)"], env};
const options = {columns: 80, rows: 10, timeoutMs: 30_000};

describe('timeToScreen', () => {
	it('times a start to the screen it waits for, with the process still up when it is looked at', async () => {
		let rss: number | undefined;
		const ms = await timeToScreen(frame, firstFrameShown(9, 'Prometheus'), {
			...options,
			atScreen: pid => {
				rss = rssBytes(pid);
			},
		});
		expect(ms).toBeGreaterThan(0);
		expect(ms).toBeLessThan(30_000);
		expect(rss).toBeGreaterThan(1e6);
	}, 60_000);

	it('fails with the exit code and last line of a process that exits before its screen', async () => {
		const failing = {command: process.execPath, args: ['-e', "process.stdout.write('kctop: cannot reach REST\\n'); process.exit(3)"], env};
		await expect(timeToScreen(failing, firstFrameShown(9, 'Prometheus'), options)).rejects.toThrow(/exited with code 3 .*cannot reach REST/);
	}, 60_000);

	it('does not take a frame of another size, or one with a source not ok, for the first frame', () => {
		const shown = firstFrameShown(9, 'Prometheus');
		expect(shown('connectors 9 · REST ok 0s · Prometheus ok 0s')).toBe(true);
		expect(shown('connectors 90 · REST ok 0s · Prometheus ok 0s')).toBe(false);
		expect(shown('connectors 9 · REST ok 0s · Prometheus stale 1m')).toBe(false);
	});
});

describe('measureStarts', () => {
	it('starts kctop and the floor in turns, each the given number of times, kctop with a fresh command each time', async () => {
		const order: string[] = [];
		let commands = 0;
		const starts = await measureStarts({
			count: 3,
			kctop: () => {
				commands += 1;
				order.push('kctop');
				return frame;
			},
			shows: firstFrameShown(9, 'Prometheus'),
			floorColdStart: async () => {
				order.push('floor');
				return 40 + order.length;
			},
			...options,
		});
		expect(order).toEqual(['kctop', 'floor', 'kctop', 'floor', 'kctop', 'floor']);
		expect(commands).toBe(3);
		expect(starts.kctopMs).toHaveLength(3);
		for (const ms of starts.kctopMs) expect(ms).toBeGreaterThan(0);
		expect(starts.floorMs).toEqual([42, 44, 46]);
	}, 60_000);
});

describe('median', () => {
	it('is the middle value, the lower of the two middle ones for an even count, NaN for none', () => {
		expect(median([300, 100, 200])).toBe(200);
		expect(median([4, 1, 3, 2])).toBe(2);
		expect(median([7])).toBe(7);
		expect(median([])).toBeNaN();
	});
});
