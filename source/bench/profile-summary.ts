/**
 * Summarises a V8 CPU profile (`node --cpu-prof`, or `npm run bench -- --profile DIR`):
 * self time by package (node_modules/<name>, kctop's own files, node internals) and by
 * function, heaviest first.
 *
 *   node dist/bench/profile-summary.js FILE.cpuprofile [--top N]
 */
import {readFile} from 'node:fs/promises';
import {parseArgs} from 'node:util';
import * as z from 'zod';

const profileSchema = z.object({
	nodes: z.array(
		z.object({
			id: z.number(),
			callFrame: z.object({functionName: z.string(), url: z.string(), lineNumber: z.number()}),
		}),
	),
	startTime: z.number(),
	endTime: z.number(),
	samples: z.array(z.number()),
	timeDeltas: z.array(z.number()),
});

export type CpuProfile = z.infer<typeof profileSchema>;

export interface ProfileSummary {
	/** Wall time the profile covers, ms. */
	readonly wallMs: number;
	/** Time in samples that were not idle, ms. */
	readonly busyMs: number;
	readonly byPackage: ReadonlyArray<readonly [string, number]>;
	readonly byFunction: ReadonlyArray<readonly [string, number]>;
}

/** The package a script belongs to: the node_modules folder name, `kctop:<dir>` for kctop's own code, or `node`. */
export function packageOf(url: string): string {
	const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
	if (modules?.[1] !== undefined) return modules[1];
	const own = /\/dist\/([^/]+)\//.exec(url);
	if (own?.[1] !== undefined) return `kctop:${own[1]}`;
	if (url === '') return '(native)';
	return url.startsWith('node:') ? 'node' : url;
}

const idle = new Set(['(idle)', '(program)', '(garbage collector)']);

export function summarise(profile: CpuProfile): ProfileSummary {
	const nodes = new Map(profile.nodes.map(node => [node.id, node]));
	const self = new Map<number, number>();
	for (let i = 0; i < profile.samples.length; i++) {
		const id = profile.samples[i] ?? 0;
		// The delta after a sample is the time spent in it.
		self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i + 1] ?? 0) / 1000);
	}
	const byPackage = new Map<string, number>();
	const byFunction = new Map<string, number>();
	let busy = 0;
	for (const [id, ms] of self) {
		const node = nodes.get(id);
		if (node === undefined) continue;
		const {functionName, url, lineNumber} = node.callFrame;
		const name = functionName === '' ? '(anonymous)' : functionName;
		if (idle.has(name) && name !== '(garbage collector)') continue;
		busy += ms;
		const pkg = name === '(garbage collector)' ? '(gc)' : packageOf(url);
		byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + ms);
		const key = `${name} ${url.replace(/^.*\/(node_modules|dist)\//, '$1/')}:${lineNumber + 1}`;
		byFunction.set(key, (byFunction.get(key) ?? 0) + ms);
	}
	const sorted = (map: Map<string, number>) => [...map.entries()].sort((a, b) => b[1] - a[1]);
	return {wallMs: (profile.endTime - profile.startTime) / 1000, busyMs: busy, byPackage: sorted(byPackage), byFunction: sorted(byFunction)};
}

async function main(): Promise<void> {
	const {values, positionals} = parseArgs({options: {top: {type: 'string'}}, allowPositionals: true});
	const file = positionals[0];
	if (file === undefined) {
		process.stderr.write('usage: node dist/bench/profile-summary.js FILE.cpuprofile [--top N]\n');
		process.exitCode = 2;
		return;
	}
	const top = Number(values.top ?? '40');
	const parsed = profileSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
	if (!parsed.success) {
		process.stderr.write(`${file}: not a V8 CPU profile\n`);
		process.exitCode = 1;
		return;
	}
	const summary = summarise(parsed.data);
	const ms = (value: number): string => `${value.toFixed(1).padStart(9)} ms`;
	const lines = [`${file}: ${(summary.wallMs / 1000).toFixed(1)} s wall, ${summary.busyMs.toFixed(0)} ms busy`, '', 'self time by package:'];
	for (const [name, value] of summary.byPackage.slice(0, top)) lines.push(`${ms(value)}  ${name}`);
	lines.push('', 'self time by function:');
	for (const [name, value] of summary.byFunction.slice(0, top)) lines.push(`${ms(value)}  ${name}`);
	process.stdout.write(`${lines.join('\n')}\n`);
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, '/'))) {
	main().catch((error: unknown) => {
		process.stderr.write(`profile-summary: ${error instanceof Error ? error.message : String(error)}\n`);
		process.exitCode = 1;
	});
}
