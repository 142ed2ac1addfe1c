/**
 * Java stack traces as Kafka Connect reports them in a FAILED instance's `trace` (the text of
 * `Throwable.printStackTrace`): parsed into the exception chain, the root cause (the deepest
 * `Caused by:`) and a fingerprint that groups the same failure across tasks and connectors.
 * Pure; tolerant of what real payloads carry: `\n` left escaped by a paste, CRLF, tabs turned
 * into spaces, indented pastes, `... N more`, `Suppressed:` blocks, multi-line messages and
 * causes whose `toString` is not `class: message` (jsch's SftpException prints "2: No such file"),
 * and traces flattened onto one line by a paste ("…(AvroConverter.java:110) at … Caused by: …").
 */

/** One exception of the chain: the top one, or a `Caused by:`. */
export interface TraceException {
	/** Fully-qualified class name; undefined when the line does not start with one. */
	readonly className: string | undefined;
	/** The last segment of the class name ("PSQLException"); '' when there is no class name. */
	readonly shortName: string;
	/** The message, lines joined with " / "; '' when the exception has none (a bare NullPointerException). */
	readonly message: string;
	/** `at …` frames printed for this exception. */
	readonly frames: number;
	/** `package.Class.method` of each printed frame, in order (what threw: "io.confluent.connect.avro.AvroConverter.toConnectData"). */
	readonly methods: readonly string[];
	/** Frames left out by `... N more` (shared with the exception that wraps it). */
	readonly elided: number;
	readonly suppressed: readonly TraceException[];
}

export interface ParsedTrace {
	/** Outermost first: the top exception, then each `Caused by:` in order. Never empty for a non-blank trace. */
	readonly chain: readonly TraceException[];
}

/** What the grid, the Tasks tab and the problems section show: the deepest cause. */
export interface RootCause {
	readonly className: string | undefined;
	readonly shortName: string;
	readonly message: string;
	/** 0 when the top exception has no cause. */
	readonly depth: number;
	/** Groups the same failure: class plus the message with numbers, hosts, ids, offsets and quoted values normalised. */
	readonly fingerprint: string;
}

const classPattern = /^((?:[A-Za-z_$][\w$]*\.)+[A-Za-z_$][\w$]*)(?::\s?(.*))?$/s;
const framePattern = /^at\s+\S/;
const frameMethodPattern = /^at\s+(?:[\w$.-]+\/)*([\w$.<>]+)\(/;
/**
 * Where a paste joined lines: before `at pkg.Class.method(File.java:N)`, and after the end of a
 * frame or `... N more` before `Caused by:` or `... N more`.
 */
const flattenedBreak = /(?<=\S)\s+(?=at\s+(?:[\w$.-]+\/)*[\w$.<>]+\((?:[\w$.-]+\.(?:java|scala|kt):\d+|Unknown Source|Native Method)\))|(?<=\.(?:java|scala|kt):\d+\)|Unknown Source\)|Native Method\)|\.\.\.\s\d+\smore)\s+(?=Caused by:|\.\.\.\s\d+\smore)/g;
const elidedPattern = /^\.\.\.\s+(\d+)\s+more$/;
const causePrefix = 'Caused by:';
const suppressedPrefix = 'Suppressed:';

/** Real newlines, even when the trace arrived with them escaped (`\n\tat` as two characters each). */
function lines(text: string): string[] {
	const unescaped = !text.includes('\n') && /\\n\s*(?:\\t)?\s*at\s/.test(text) ? text.replace(/\\r\\n|\\n/g, '\n').replace(/\\t/g, '\t') : text;
	return unescaped.split(/\r?\n/).flatMap(line => line.split(flattenedBreak));
}

function indentOf(line: string): number {
	let width = 0;
	for (const char of line) {
		if (char === '\t') width += 4;
		else if (char === ' ') width += 1;
		else break;
	}
	return width;
}

interface Building {
	className: string | undefined;
	shortName: string;
	messageLines: string[];
	frames: number;
	methods: string[];
	elided: number;
	suppressed: Building[];
	/** Indentation of the `Suppressed:` line that opened it (for suppressed ones). */
	indent: number;
}

function header(text: string, indent: number): Building {
	const match = classPattern.exec(text.trim());
	const className = match?.[1];
	const message = className === undefined ? text.trim() : (match?.[2] ?? '').trim();
	return {className, shortName: className === undefined ? '' : (className.split('.').at(-1) ?? className), messageLines: message === '' ? [] : [message], frames: 0, methods: [], elided: 0, suppressed: [], indent};
}

function freeze(building: Building): TraceException {
	return {
		className: building.className,
		shortName: building.shortName,
		message: building.messageLines.join(' / '),
		frames: building.frames,
		methods: building.methods,
		elided: building.elided,
		suppressed: building.suppressed.map(freeze),
	};
}

export function parseTrace(text: string | undefined): ParsedTrace {
	if (text === undefined || text.trim() === '') return {chain: []};
	const chain: Building[] = [];
	// The exception that frames and message lines belong to: the last of the chain, or of a suppressed block.
	let current: Building | undefined;
	// The open suppressed block and its own cause chain, with the indentation that opened it.
	let suppressedChain: Building[] | undefined;
	let suppressedIndent = 0;
	for (const raw of lines(text)) {
		const trimmed = raw.trim();
		if (trimmed === '') continue;
		const indent = indentOf(raw);
		if (current === undefined) {
			current = header(trimmed, indent);
			chain.push(current);
			continue;
		}
		if (framePattern.test(trimmed)) {
			current.frames += 1;
			const method = frameMethodPattern.exec(trimmed)?.[1];
			if (method !== undefined) current.methods.push(method);
			continue;
		}
		const elided = elidedPattern.exec(trimmed);
		if (elided) {
			current.elided += Number(elided[1]);
			continue;
		}
		if (trimmed.startsWith(suppressedPrefix)) {
			const owner = suppressedChain !== undefined && indent > suppressedIndent ? (suppressedChain.at(-1) ?? current) : (chain.at(-1) ?? current);
			const opened = header(trimmed.slice(suppressedPrefix.length), indent);
			owner.suppressed.push(opened);
			if (suppressedChain === undefined || indent <= suppressedIndent) {
				suppressedChain = [opened];
				suppressedIndent = indent;
			}
			current = opened;
			continue;
		}
		if (trimmed.startsWith(causePrefix)) {
			const cause = header(trimmed.slice(causePrefix.length), indent);
			// Java prints a suppressed exception's causes at the suppressed block's indentation.
			if (suppressedChain !== undefined && indent >= suppressedIndent) {
				suppressedChain.push(cause);
			} else {
				suppressedChain = undefined;
				chain.push(cause);
			}
			current = cause;
			continue;
		}
		// Neither frame nor caption: another line of the current message (before its first frame).
		if (current.frames === 0) current.messageLines.push(trimmed);
	}
	return {chain: chain.map(freeze)};
}

/** The deepest `Caused by:` (the top exception when there is none); undefined for a blank trace. */
export function rootCause(trace: string | ParsedTrace | undefined): RootCause | undefined {
	const parsed = typeof trace === 'object' ? trace : parseTrace(trace);
	const deepest = parsed.chain.at(-1);
	if (deepest === undefined) return undefined;
	return {className: deepest.className, shortName: deepest.shortName, message: deepest.message, depth: parsed.chain.length - 1, fingerprint: fingerprintOf(deepest.className ?? '', deepest.message)};
}

/** "PSQLException: Connection refused (db-3:5432)": short class and message, as one line. */
export function causeText(cause: Pick<RootCause, 'shortName' | 'message'>): string {
	if (cause.shortName === '') return cause.message;
	return cause.message === '' ? cause.shortName : `${cause.shortName}: ${cause.message}`;
}

/**
 * The message with what differs between two instances of one failure replaced: quoted values,
 * URLs, host:port pairs, IP addresses, host names with a domain, MySQL GTID sets, UUIDs, hex ids,
 * numbers (offsets, positions, PIDs, sizes, task ids) and lists of topic partitions.
 */
export function normaliseMessage(message: string): string {
	return message
		.replace(/\b[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}(?::\d+(?:-\d+)?)+(?:,\s*[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}(?::\d+(?:-\d+)?)+)*/gi, '<gtids>')
		// An apostrophe inside a word ("Couldn't") opens no quote.
		.replace(/(?<!\w)'[^']*'(?!\w)|"[^"]*"|`[^`]*`/g, '<q>')
		.replace(/\b[a-z][a-z0-9+.-]*:\/\/\S+/gi, '<url>')
		.replace(/\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b/g, '<host>')
		.replace(/\[[0-9a-f:]+\](?::\d+)?/gi, '<host>')
		.replace(/\b(?:[a-z0-9-]+\.)+[a-z][a-z0-9-]*:\d+\b/gi, '<host>')
		.replace(/\b[a-z0-9][a-z0-9-]*:\d{2,5}\b/gi, '<host>')
		.replace(/\b(?:[a-z0-9-]+\.)+(?:local|internal|com|net|org|io|svc|cluster)\b/gi, '<host>')
		.replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<id>')
		.replace(/\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,}\b/gi, '<id>')
		.replace(/\d+/g, '<n>')
		// A list of topic partitions ("[orders-0, __consumer_timestamps-12]") varies in length: one token.
		.replace(/\[(?:[\w.<>-]+-<n>)(?:,\s*[\w.<>-]+-<n>)*\]/g, '[<partitions>]')
		.replace(/\s+/g, ' ')
		.trim();
}

export function fingerprintOf(className: string, message: string): string {
	return `${className}|${normaliseMessage(message)}`;
}
