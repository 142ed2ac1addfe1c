import {execFileSync} from 'node:child_process';
import {readFileSync} from 'node:fs';

/**
 * What Linux says about a process, read from outside it: CPU time from /proc/<pid>/stat
 * and resident memory from /proc/<pid>/status. Parsers are pure (text in, numbers out).
 */

export interface CpuTicks {
	/** utime: user-mode CPU, in clock ticks. */
	readonly user: number;
	/** stime: kernel-mode CPU, in clock ticks. */
	readonly system: number;
}

/**
 * utime and stime of a /proc/<pid>/stat line (fields 14 and 15). The command name (field 2)
 * is in parentheses and may itself hold spaces and parentheses, so fields are counted from
 * the last ")".
 */
export function parseProcStat(text: string): CpuTicks {
	const close = text.lastIndexOf(')');
	if (close < 0) throw new Error(`not a /proc/<pid>/stat line: ${JSON.stringify(text.slice(0, 80))}`);
	// After ")": field 3 (state) is index 0, so field n is index n - 3.
	const fields = text.slice(close + 1).trim().split(/\s+/);
	const user = Number(fields[14 - 3]);
	const system = Number(fields[15 - 3]);
	if (!Number.isInteger(user) || !Number.isInteger(system)) throw new Error(`no utime/stime in /proc/<pid>/stat: ${JSON.stringify(text.slice(0, 120))}`);
	return {user, system};
}

/** VmRSS of a /proc/<pid>/status text, in bytes; undefined when absent (a zombie has none). */
export function parseVmRss(text: string): number | undefined {
	const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(text);
	return match?.[1] === undefined ? undefined : Number(match[1]) * 1024;
}

/** The parts of resident memory /proc/<pid>/status gives, in bytes. */
export interface RssParts {
	/** RssAnon: the process's own memory (heaps, stacks, buffers). */
	readonly anon: number;
	/**
	 * RssFile: mapped files, mostly the Node binary's code, shared with every other process
	 * running it. Where the kernel maps the binary with huge pages (FilePmdMapped in smaps),
	 * each touched 2 MB counts whole, so this part moves with the machine's state.
	 */
	readonly file: number;
	/** RssShmem: shared memory. */
	readonly shmem: number;
}

/** RssAnon, RssFile and RssShmem of a /proc/<pid>/status text; undefined when any is absent. */
export function parseRssParts(text: string): RssParts | undefined {
	const field = (name: string): number | undefined => {
		const match = new RegExp(`^${name}:\\s+(\\d+)\\s+kB$`, 'm').exec(text);
		return match?.[1] === undefined ? undefined : Number(match[1]) * 1024;
	};
	const anon = field('RssAnon');
	const file = field('RssFile');
	const shmem = field('RssShmem');
	return anon === undefined || file === undefined || shmem === undefined ? undefined : {anon, file, shmem};
}

let ticksPerSecond: number | undefined;

/** The kernel's clock ticks per second (USER_HZ), from `getconf CLK_TCK`; 100 when getconf is missing. */
export function clockTicksPerSecond(): number {
	if (ticksPerSecond === undefined) {
		try {
			const value = Number(execFileSync('getconf', ['CLK_TCK'], {encoding: 'utf8'}).trim());
			ticksPerSecond = Number.isInteger(value) && value > 0 ? value : 100;
		} catch {
			ticksPerSecond = 100;
		}
	}
	return ticksPerSecond;
}

/** user + system CPU of a live process, in milliseconds. */
export function cpuMs(pid: number): number {
	const ticks = parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
	return ((ticks.user + ticks.system) * 1000) / clockTicksPerSecond();
}

/** Resident memory of a live process, in bytes (undefined once it has exited). */
export function rssBytes(pid: number): number | undefined {
	try {
		return parseVmRss(readFileSync(`/proc/${pid}/status`, 'utf8'));
	} catch {
		return undefined;
	}
}

/** Resident memory of a live process by kind (undefined once it has exited). */
export function rssParts(pid: number): RssParts | undefined {
	try {
		return parseRssParts(readFileSync(`/proc/${pid}/status`, 'utf8'));
	} catch {
		return undefined;
	}
}
