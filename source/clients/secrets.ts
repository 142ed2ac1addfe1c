/**
 * The secrets this process was given (passwords, tokens, header values, passwords in URLs),
 * so that every line kctop prints can mask them wherever they turn up: an error page that
 * echoes the Authorization header, a proxy quoting the URL, a stack trace. A CI runner
 * does the same with its registered masks. Secrets are registered where they enter
 * (createHttp registers its credentials and headers), and `scrubSecrets` runs inside
 * `oneLine`, `safe` and the one-shot writer, the doors through which text leaves kctop.
 */

export const maskText = '********';

/** Shorter values would mask ordinary words; a secret that short is no secret anyway. */
const minLength = 4;

const secrets = new Set<string>();
let ordered: readonly string[] = [];

/** Remembers a secret (and its URL- and base64-encoded forms) for masking. Blank or very short values are ignored. */
export function registerSecret(value: string | undefined): void {
	if (value === undefined) return;
	const trimmed = value.trim();
	if (trimmed.length < minLength) return;
	const before = secrets.size;
	for (const form of [trimmed, encodeURIComponent(trimmed), JSON.stringify(trimmed).slice(1, -1)]) secrets.add(form);
	if (secrets.size !== before) ordered = [...secrets].sort((a, b) => b.length - a.length);
}

/** Basic credentials: the password, and the base64 `user:password` an Authorization header carries. */
export function registerBasicCredentials(username: string, password: string): void {
	registerSecret(password);
	if (password !== '') registerSecret(Buffer.from(`${username}:${password}`, 'utf8').toString('base64'));
}

/** For tests: forget every registered secret. */
export function forgetSecrets(): void {
	secrets.clear();
	ordered = [];
}

// scheme://user:password@ and scheme://token@ (user info without a password is often a token).
const userInfoPattern = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s:/?#@]*)(?::([^\s/?#@]*))?@/gi;

/** Registered secrets replaced by `********`; the password (or a bare token) in URL user info masked too. */
export function scrubSecrets(text: string): string {
	let out = text;
	for (const secret of ordered) if (out.includes(secret)) out = out.split(secret).join(maskText);
	return out.replace(userInfoPattern, (match, scheme: string, user: string, password: string | undefined) => {
		if (password === undefined) return user === '' || user === maskText ? match : `${scheme}${maskText}@`;
		return password === '' || password === maskText || /^\$\{[^{}]+\}$/.test(password) ? match : `${scheme}${user}:${maskText}@`;
	});
}
