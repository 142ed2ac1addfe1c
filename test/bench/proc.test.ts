import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {parseProcStat, parseRssParts, parseVmRss, rssParts} from '../../source/bench/proc.js';

// A real /proc/<pid>/stat line (cat on Linux 6.x), and one whose command name holds spaces and parentheses.
const catStat = '10024 (cat) R 10020 10020 2646 0 -1 4194304 98 0 0 0 7 3 0 0 20 0 1 0 241564 3133440 381 18446744073709551615 94779590340608 94779590360489 140732641432032 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0';
const trickyStat = '4242 (node (worker) x) S 1 4242 4242 34816 4242 4194560 11000 0 0 0 1234 567 0 0 20 0 11 0 9999 1200000000 60000 18446744073709551615 1 1 0 0 0 0 0 16781312 134234626 0 0 0 17 0 0 0 0 0 0';

describe('parseProcStat', () => {
	it('reads utime and stime (fields 14 and 15)', () => {
		expect(parseProcStat(catStat)).toEqual({user: 7, system: 3});
	});

	it('counts fields from the last parenthesis, so a command name with spaces and parentheses does not shift them', () => {
		expect(parseProcStat(trickyStat)).toEqual({user: 1234, system: 567});
	});

	it('parses this process’s own stat file', () => {
		const ticks = parseProcStat(readFileSync('/proc/self/stat', 'utf8'));
		expect(Number.isInteger(ticks.user) && ticks.user >= 0).toBe(true);
		expect(Number.isInteger(ticks.system) && ticks.system >= 0).toBe(true);
	});

	it('rejects text that is not a stat line', () => {
		expect(() => parseProcStat('hello')).toThrow(/not a \/proc\/<pid>\/stat line/);
		expect(() => parseProcStat('1 (x) R 1 2')).toThrow(/no utime\/stime/);
	});
});

describe('parseVmRss', () => {
	it('reads VmRSS in bytes from a status file', () => {
		const status = 'Name:\tnode\nVmPeak:\t 1300000 kB\nVmHWM:\t  200000 kB\nVmRSS:\t  163840 kB\nRssAnon:\t  120000 kB\n';
		expect(parseVmRss(status)).toBe(163_840 * 1024);
	});

	it('is undefined for a process without memory (a zombie’s status has no VmRSS line)', () => {
		expect(parseVmRss('Name:\tnode\nState:\tZ (zombie)\n')).toBeUndefined();
	});

	it('parses this process’s own status file', () => {
		expect(parseVmRss(readFileSync('/proc/self/status', 'utf8'))).toBeGreaterThan(0);
	});
});

describe('parseRssParts', () => {
	it('reads RssAnon, RssFile and RssShmem in bytes', () => {
		const status = 'Name:\tnode\nVmRSS:\t  186000 kB\nRssAnon:\t  120000 kB\nRssFile:\t   60000 kB\nRssShmem:\t    6000 kB\nVmData:\t 300000 kB\n';
		expect(parseRssParts(status)).toEqual({anon: 120_000 * 1024, file: 60_000 * 1024, shmem: 6000 * 1024});
	});

	it('is undefined when a part is missing (a zombie, an old kernel)', () => {
		expect(parseRssParts('Name:\tnode\nVmRSS:\t  186000 kB\nRssAnon:\t  120000 kB\n')).toBeUndefined();
	});

	it('adds up to VmRSS for this process', () => {
		const text = readFileSync('/proc/self/status', 'utf8');
		const parts = parseRssParts(text);
		expect(parts).toBeDefined();
		if (parts === undefined) return;
		expect(parts.anon).toBeGreaterThan(0);
		expect(parts.anon + parts.file + parts.shmem).toBe(parseVmRss(text));
		expect(rssParts(process.pid)?.anon).toBeGreaterThan(0);
	});
});
