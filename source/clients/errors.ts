/**
 * The one error type every client throws. The poller reads `isRetryable` to decide
 * whether to back off and try again; the UI shows `message` (one line, already safe
 * to print: control characters are stripped by `oneLine`).
 */
export type ErrorKind =
	| 'connection' // refused, reset, DNS failure, TLS failure
	| 'timeout' // per-request timeout elapsed
	| 'aborted' // caller aborted (shutdown, superseded)
	| 'http' // a non-2xx answer
	| 'auth' // 401 / 403 from an auth filter
	| 'malformed' // the body did not match the expected shape
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
 * Makes any text safe for one terminal line: removes ANSI escape sequences and other
 * control characters (a connector name or an error body can carry them), folds
 * whitespace, and caps the length.
 */
export function oneLine(text: string, max = 500): string {
	const cleaned = stripControl(text).replace(/\s+/g, ' ').trim();
	return cleaned.length > max ? `${cleaned.slice(0, max - 1)}…` : cleaned;
}

// CSI, OSC (terminated by BEL or ST) and other single-character escapes, then any
// remaining C0/C1 control character except tab and newline.
// eslint-disable-next-line no-control-regex
const ansiPattern = /\u001B\[[0-?]*[ -/]*[@-~]|\u001B\][^\u0007\u001B]*(?:\u0007|\u001B\\)|\u001B[@-Z\\-_]|\u009B[0-?]*[ -/]*[@-~]/g;
// eslint-disable-next-line no-control-regex
const controlPattern = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

/** Removes escape sequences and control characters but keeps newlines and tabs. */
export function stripControl(text: string): string {
	return text.replace(ansiPattern, '').replace(controlPattern, '');
}
