import {createHash} from 'node:crypto';
import {appendFileSync, closeSync, mkdirSync, openSync, readFileSync, readSync, statSync, writeFileSync} from 'node:fs';
import {homedir} from 'node:os';
import {dirname, join} from 'node:path';
import * as z from 'zod';
import {scrubSecrets} from '../clients/secrets.js';
import {journalLimit, type JournalEvent} from '../model/journal.js';

/**
 * The journal on disk: one JSON event per line in the XDG state directory, so that kctop
 * restarted in the middle of an incident still knows when things broke. Bounded: past
 * `maxBytes` it keeps the newest `journalLimit` events. It never throws: a disk problem
 * becomes `problem`, and kctop goes on with the journal in memory.
 */
export interface JournalFile {
	readonly path: string;
	load(): JournalEvent[];
	append(events: readonly JournalEvent[]): void;
	/** The last read or write error, if any (one line). */
	problem(): string | undefined;
}

const eventSchema = z.object({
	at: z.number().finite(),
	kind: z.enum(['connector', 'task', 'worker', 'dbz-connected', 'snapshot', 'rebalance', 'source', 'action']),
	subject: z.string(),
	connector: z.string().optional(),
	from: z.string().optional(),
	to: z.string(),
	detail: z.string().optional(),
});

/** `$XDG_STATE_HOME/kctop` (default `~/.local/state/kctop`). */
export function stateDirectory(env: NodeJS.ProcessEnv): string {
	const base = env.XDG_STATE_HOME !== undefined && env.XDG_STATE_HOME.startsWith('/') ? env.XDG_STATE_HOME : join(env.HOME ?? homedir(), '.local', 'state');
	return join(base, 'kctop');
}

/**
 * One journal per cluster: by Kafka cluster id when Connect reported it, else by the URLs kctop
 * was given, without their credentials (a changed password is the same cluster).
 */
export function journalPath(env: NodeJS.ProcessEnv, cluster: {readonly kafkaClusterId: string | undefined; readonly urls: readonly string[]}): string {
	const key = cluster.kafkaClusterId !== undefined && /^[\w-]{1,64}$/.test(cluster.kafkaClusterId) ? cluster.kafkaClusterId : createHash('sha256').update(cluster.urls.map(withoutCredentials).sort().join(',')).digest('hex').slice(0, 16);
	return join(stateDirectory(env), `journal-${key}.jsonl`);
}

function withoutCredentials(url: string): string {
	if (!URL.canParse(url)) return url;
	const parsed = new URL(url);
	parsed.username = '';
	parsed.password = '';
	return parsed.href;
}

function oneLine(error: unknown): string {
	return error instanceof Error ? error.message.split('\n')[0] ?? error.name : String(error);
}

/** Whether the file at `path` exists and its last byte is not a newline. */
function endsInsideLine(path: string): boolean {
	let size: number;
	try {
		size = statSync(path).size;
	} catch {
		return false; // not there yet: append creates it
	}
	if (size === 0) return false;
	const descriptor = openSync(path, 'r');
	try {
		const last = Buffer.alloc(1);
		readSync(descriptor, last, 0, 1, size - 1);
		return last[0] !== 0x0a;
	} finally {
		closeSync(descriptor);
	}
}

export function openJournalFile(path: string, options: {readonly maxBytes?: number} = {}): JournalFile {
	const maxBytes = options.maxBytes ?? 1_000_000;
	let problem: string | undefined;
	/** Whether the file ends inside a line (a crash while writing), so that the next append starts a new one; undefined until read. */
	let tornEnd: boolean | undefined;
	/**
	 * The newest `limit` valid events of the file, oldest first. Lines are read from the end and
	 * the rest is never parsed: a file near its cap holds several times `limit` events, and
	 * reading them all cost 160 ms of the first frame (6,400 lines, 930 kB).
	 */
	const parseLines = (text: string, limit: number): JournalEvent[] => {
		const events: JournalEvent[] = [];
		const lines = text.split('\n');
		for (let index = lines.length - 1; index >= 0 && events.length < limit; index--) {
			const line = lines[index] ?? '';
			if (line.trim() === '') continue;
			let json: unknown;
			try {
				json = JSON.parse(line);
			} catch {
				continue; // a torn last line after a crash: skip it
			}
			const parsed = eventSchema.safeParse(json);
			if (parsed.success) events.push({...parsed.data, connector: parsed.data.connector, from: parsed.data.from, detail: parsed.data.detail});
		}
		return events.reverse();
	};
	return {
		path,
		load() {
			try {
				const text = readFileSync(path, 'utf8');
				tornEnd = text !== '' && !text.endsWith('\n');
				return parseLines(text, journalLimit);
			} catch (error) {
				if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return [];
				problem = `journal ${path}: ${oneLine(error)}`;
				return [];
			}
		},
		append(events) {
			if (events.length === 0) return;
			try {
				mkdirSync(dirname(path), {recursive: true, mode: 0o700});
				// Secrets are masked on the way to disk, as on the way to the screen (clients/secrets.ts).
				tornEnd ??= endsInsideLine(path);
				appendFileSync(path, (tornEnd ? '\n' : '') + events.map(event => `${scrubSecrets(JSON.stringify(event))}\n`).join(''), {mode: 0o600});
				tornEnd = false;
				if (statSync(path).size > maxBytes) {
					const kept = parseLines(readFileSync(path, 'utf8'), Math.floor(journalLimit / 2));
					writeFileSync(path, kept.map(event => `${JSON.stringify(event)}\n`).join(''), {mode: 0o600});
				}
				problem = undefined;
			} catch (error) {
				problem = `journal ${path}: ${oneLine(error)}`;
			}
		},
		problem: () => problem,
	};
}
