/** Small helpers for the demo-simulator tests: HTTP on loopback, JSON shapes, exposition lines. */

export const T0 = Date.UTC(2025, 0, 6, 9, 0, 0);

export interface Answer {
	readonly status: number;
	readonly contentType: string | null;
	readonly text: string;
	readonly json: unknown;
}

export async function call(url: string, method = 'GET'): Promise<Answer> {
	const response = await fetch(url, {method});
	const text = await response.text();
	let json: unknown;
	try {
		json = text === '' ? undefined : JSON.parse(text);
	} catch {
		json = undefined;
	}
	return {status: response.status, contentType: response.headers.get('content-type'), text, json};
}

/** The error code with which a request failed at the connection level ('ECONNREFUSED'…), or 'answered'. */
export async function connectionOutcome(url: string): Promise<string> {
	try {
		await fetch(url);
		return 'answered';
	} catch (error) {
		const cause: unknown = error instanceof Error ? error.cause : undefined;
		if (typeof cause === 'object' && cause !== null && 'code' in cause && typeof cause.code === 'string') return cause.code;
		return error instanceof Error ? error.message : String(error);
	}
}

/**
 * The shape of a JSON value: objects become their keys (sorted) with the shape of each
 * value, arrays the shape of their first element, scalars their type. The values of
 * `opaque` keys (connector-specific maps such as `config`) become `record<types>`.
 */
export function shape(value: unknown, opaque: readonly string[] = []): unknown {
	if (Array.isArray(value)) return value.length === 0 ? ['empty'] : [shape(value[0], opaque)];
	if (value === null) return 'null';
	if (typeof value === 'object') {
		const out: Record<string, unknown> = {};
		const entries: Array<[string, unknown]> = Object.entries(value);
		entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
		for (const [key, child] of entries) {
			if (opaque.includes(key) && typeof child === 'object' && child !== null && !Array.isArray(child)) {
				out[key] = `record<${[...new Set(Object.values(child).map(item => typeof item))].sort().join('|')}>`;
			} else out[key] = shape(child, opaque);
		}
		return out;
	}
	return typeof value;
}

export interface Line {
	readonly name: string;
	readonly labels: Readonly<Record<string, string>>;
	readonly value: number;
}

/** Sample lines of a text exposition (enough for these tests: the scrape client has the full parser). */
export function samples(text: string): Line[] {
	const out: Line[] = [];
	for (const line of text.split('\n')) {
		if (line === '' || line.startsWith('#')) continue;
		const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
		if (!match) throw new Error(`unparseable exposition line: ${line}`);
		const labels: Record<string, string> = {};
		for (const pair of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
			labels[pair[1] ?? ''] = (pair[2] ?? '').replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
		}
		const raw = match[3] ?? '';
		const value = raw === '+Inf' ? Number.POSITIVE_INFINITY : raw === '-Inf' ? Number.NEGATIVE_INFINITY : Number(raw);
		out.push({name: match[1] ?? '', labels, value});
	}
	return out;
}

export function find(lines: readonly Line[], name: string, labels: Readonly<Record<string, string>> = {}): Line[] {
	return lines.filter(line => line.name === name && Object.entries(labels).every(([key, value]) => line.labels[key] === value));
}
