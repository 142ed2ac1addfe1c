import {readdirSync, readFileSync} from 'node:fs';

/**
 * Every `trace` in the real corpus (shared/real-payloads, whose files with a trace are all copied
 * into test/fixtures/rest or test/fixtures/ui): JSON bodies walked for `trace` keys, the
 * un-escaped .txt body cut out as found. Each file once, wherever it was copied.
 */
export interface RealTrace {
	readonly file: string;
	readonly trace: string;
}

const fixtureDirs = [new URL('../fixtures/rest/', import.meta.url), new URL('../fixtures/ui/', import.meta.url)];

function tracesIn(value: unknown, into: string[]): void {
	if (Array.isArray(value)) for (const item of value) tracesIn(item, into);
	else if (typeof value === 'object' && value !== null) {
		for (const [key, item] of Object.entries(value)) {
			if (key === 'trace' && typeof item === 'string') into.push(item);
			else tracesIn(item, into);
		}
	}
}

export function realTraces(): RealTrace[] {
	const found: RealTrace[] = [];
	const files = new Map<string, URL>();
	for (const dir of fixtureDirs) for (const file of readdirSync(dir)) if (!files.has(file)) files.set(file, new URL(file, dir));
	for (const [file, url] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) {
		const text = readFileSync(url, 'utf8');
		const traces: string[] = [];
		if (file.endsWith('.json')) tracesIn(JSON.parse(text), traces);
		// Not valid JSON as found (newlines and tabs un-escaped by the paste): the trace runs to the closing `"}`.
		else if (file.endsWith('.txt')) for (const match of text.matchAll(/"trace":"([\s\S]*?)"\}/g)) if (match[1] !== undefined) traces.push(match[1]);
		for (const trace of traces) found.push({file, trace});
	}
	return found;
}

export function realTrace(fileStart: string, index = 0): string {
	const trace = realTraces().filter(each => each.file.startsWith(fileStart))[index]?.trace;
	if (trace === undefined) throw new Error(`no trace ${index} in ${fileStart}`);
	return trace;
}
