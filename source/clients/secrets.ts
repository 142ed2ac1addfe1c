/**
 * The secrets this process was given (passwords, tokens, header values, passwords in URLs),
 * so that every line kctop prints can mask them wherever they turn up: an error page that
 * echoes the Authorization header, a proxy quoting the URL, a stack trace. A CI runner
 * does the same with its registered masks. Secrets are registered where they enter
 * (createHttp registers its credentials and headers), and `scrubSecrets` runs inside
 * `oneLine`, `safe` and the one-shot writer, the doors through which text leaves kctop.
 */

import type {HttpAuth} from './http.js';

export const maskText = '********';

/** Shorter values would mask ordinary words; a secret that short is no secret anyway. */
const minLength = 4;

const secrets = new Set<string>();
/** Counts the changes to the registered secrets (see secretsGeneration). */
let generation = 0;

/** A number that changes whenever a secret is registered or forgotten: text masked earlier may mask differently since. */
export function secretsGeneration(): number {
	return generation;
}
/** Secrets by a number made of their first three UTF-16 units, longest first, so that a scan compares only candidates. */
const byPrefix = new Map<number, string[]>();

function prefixKey(text: string, at: number): number {
	return text.charCodeAt(at) * 2 ** 32 + text.charCodeAt(at + 1) * 2 ** 16 + text.charCodeAt(at + 2);
}

/** Remembers a secret (and its URL- and base64-encoded forms) for masking. Blank or very short values are ignored. */
export function registerSecret(value: string | undefined): void {
	if (value === undefined) return;
	const trimmed = value.trim();
	if (trimmed.length < minLength) return;
	for (const form of [trimmed, encodeURIComponent(trimmed), JSON.stringify(trimmed).slice(1, -1)]) {
		if (secrets.has(form)) continue;
		secrets.add(form);
		generation += 1;
		const prefix = prefixKey(form, 0);
		const list = byPrefix.get(prefix) ?? [];
		list.push(form);
		list.sort((a, b) => b.length - a.length);
		byPrefix.set(prefix, list);
	}
}

/** Basic credentials: the password, and the base64 `user:password` an Authorization header carries. */
export function registerBasicCredentials(username: string, password: string): void {
	registerSecret(password);
	if (password !== '') registerSecret(Buffer.from(`${username}:${password}`, 'utf8').toString('base64'));
}

/** The password or token of an auth setting. */
export function registerAuth(auth: HttpAuth | undefined): void {
	if (auth?.type === 'bearer') registerSecret(auth.token);
	else if (auth?.type === 'basic') registerBasicCredentials(auth.username, auth.password);
}

/** Header values, and the credential alone of `Bearer xyz` / `Basic xyz`, which can be echoed without its scheme. */
export function registerHeaderValues(headers: Readonly<Record<string, string>> | undefined): void {
	for (const value of Object.values(headers ?? {})) {
		registerSecret(value);
		registerSecret(/^\S+\s+(\S+)$/.exec(value.trim())?.[1]);
	}
}

/** For tests: forget every registered secret. */
export function forgetSecrets(): void {
	secrets.clear();
	byPrefix.clear();
	generation += 1;
}

// scheme://user:password@ and scheme://token@ (user info without a password is often a token).
const userInfoPattern = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s:/?#@]*)(?::([^\s/?#@]*))?@/gi;

/** Registered secrets replaced by `********`; the password (or a bare token) in URL user info masked too. */
export function scrubSecrets(text: string): string {
	const masked = maskRegistered(text);
	if (!masked.includes('://')) return masked;
	return masked.replace(userInfoPattern, (match, scheme: string, user: string, password: string | undefined) => {
		if (password === undefined) return user === '' || user === maskText ? match : `${scheme}${maskText}@`;
		return password === '' || password === maskText || /^\$\{[^{}]+\}$/.test(password) ? match : `${scheme}${user}:${maskText}@`;
	});
}

/** One pass over the text; at each position only the secrets sharing its first characters are compared. */
function maskRegistered(text: string): string {
	if (byPrefix.size === 0 || text.length < minLength) return text;
	let out = '';
	let copiedUpTo = 0;
	let at = 0;
	while (at <= text.length - minLength) {
		const candidates = byPrefix.get(prefixKey(text, at));
		const found = candidates?.find(secret => text.startsWith(secret, at));
		if (found === undefined) {
			at += 1;
			continue;
		}
		out += text.slice(copiedUpTo, at) + maskText;
		at += found.length;
		copiedUpTo = at;
	}
	return copiedUpTo === 0 ? text : out + text.slice(copiedUpTo);
}
