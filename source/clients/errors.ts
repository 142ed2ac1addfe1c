import {scrubSecrets} from './secrets.js';

/**
 * The one error type every client throws. The poller reads `isRetryable` to decide
 * whether to back off and try again; the UI shows `message` (one line, already safe
 * to print: `oneLine` masks known secrets and makes control characters visible).
 */
export type ErrorKind =
	| 'connection' // refused, reset, DNS failure, TLS failure
	| 'timeout' // per-request timeout elapsed
	| 'aborted' // caller aborted (shutdown, superseded)
	| 'http' // a non-2xx answer
	| 'auth' // 401 / 403 from an auth filter
	| 'malformed' // the body did not match the expected shape
	| 'too-large' // the body was larger than the cap (--max-body)
	| 'config'; // bad URL, unreadable CA file, bad flag

export type ErrorSource = 'connect' | 'prometheus' | 'scrape' | 'config';

export class KctopError extends Error {
	override readonly name = 'KctopError';
	readonly kind: ErrorKind;
	readonly source: ErrorSource;
	/** HTTP status when kind is 'http' or 'auth'. */
	readonly status: number | undefined;
	/** The URL the request went to (without credentials), when there was one. */
	readonly url: string | undefined;

	constructor(
		init: {
			readonly kind: ErrorKind;
			readonly source: ErrorSource;
			readonly message: string;
			readonly status?: number;
			readonly url?: string;
		},
		options?: {readonly cause?: unknown},
	) {
		super(oneLine(init.message), options);
		this.kind = init.kind;
		this.source = init.source;
		this.status = init.status;
		this.url = init.url;
	}

	/**
	 * Worth trying again later: connection problems, timeouts, 409 (rebalance under way),
	 * 429, 5xx. Not retryable: 4xx other than 409/429, auth failures, malformed bodies
	 * (the server answered; asking again gives the same answer), config errors.
	 */
	get isRetryable(): boolean {
		switch (this.kind) {
			case 'connection':
			case 'timeout':
				return true;
			case 'http':
				return this.status === 409 || this.status === 429 || (this.status ?? 0) >= 500;
			default:
				return false;
		}
	}
}

export function isKctopError(value: unknown): value is KctopError {
	return value instanceof KctopError;
}

/**
 * Makes any text safe for one terminal line: known secrets masked (secrets.ts), whitespace
 * folded to single spaces, control and format characters made visible (`showControl`), and
 * the length capped. Every KctopError message goes through it.
 */
export function oneLine(text: string, max = 500): string {
	const folded = scrubSecrets(text).replace(/\s+/g, ' ').trim();
	return capLength(showControl(folded), max);
}

/** At most `max` code points, the last one an ellipsis when something was cut. */
export function capLength(text: string, max: number): string {
	if (text.length <= max) return text;
	const points = [...text];
	return points.length > max ? `${points.slice(0, max - 1).join('')}…` : text;
}

/**
 * Characters that must not reach a terminal as they are: C0 and C1 controls and DEL (they
 * start escape sequences, ring the bell, move the cursor), invisible format characters
 * (bidi overrides and isolates, zero-width spaces, soft hyphen, BOM), space look-alikes,
 * lone surrogates, and the characters this encoding itself uses (the control pictures
 * U+2400–U+2426 and `⟨`), so that the encoding stays one-to-one. The zero-width joiner
 * and non-joiner stay: emoji sequences and several scripts need them.
 */
// eslint-disable-next-line no-control-regex
const unsafeCharacters = /[\u0000-\u001F\u007F-\u00A0\u00AD\u061C\u1680\u180E\u2000-\u200B\u200E\u200F\u2028-\u202F\u205F-\u2064\u2066-\u206F\u2400-\u2426\u27E8\uFEFF\uFFF9-\uFFFB]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Makes control characters visible instead of removing them, so that two different strings
 * never print the same: C0 controls become their Unicode control pictures (ESC → `␛`, so
 * `w\x1b[31m1:8083` prints `w␛[31m1:8083`, never `w1:8083`), DEL becomes `␡`, and every
 * other unsafe character prints as `⟨U+009B⟩`. Printable text, wide characters, combining
 * marks, emoji and right-to-left letters pass unchanged.
 */
export function showControl(text: string): string {
	return text.replace(unsafeCharacters, char => {
		const code = char.charCodeAt(0);
		if (code <= 0x1f) return String.fromCodePoint(0x2400 + code);
		if (code === 0x7f) return '\u2421';
		return `⟨U+${code.toString(16).toUpperCase().padStart(4, '0')}⟩`;
	});
}

// CSI, OSC (terminated by BEL or ST) and other single-character escapes, then any
// remaining C0/C1 control character except tab and newline.
// eslint-disable-next-line no-control-regex
const ansiPattern = /\u001B\[[0-?]*[ -/]*[@-~]|\u001B\][^\u0007\u001B]*(?:\u0007|\u001B\\)|\u001B[@-Z\\-_]|\u009B[0-?]*[ -/]*[@-~]/g;
// eslint-disable-next-line no-control-regex
const controlPattern = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

/**
 * Removes escape sequences and control characters but keeps newlines and tabs. Only for
 * what the user types (a pasted filter); text from a server is shown with `showControl`.
 */
export function stripControl(text: string): string {
	return text.replace(ansiPattern, '').replace(controlPattern, '');
}
