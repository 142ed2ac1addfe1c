/**
 * Hides secrets in a connector config before it is shown. Pure.
 *
 * A key is secret when one of its word segments (split on `.`, `-`, `_` and camelCase)
 * names a secret: password, passwd, pwd, passphrase, secret, token, credential(s), or
 * `key` as the LAST segment (`api.key`, `aws.secret.access.key`, `azure.storage.account.key`,
 * `ssl.keystore.key`) — but not `key.converter`, `key.ignore`, `key.fields`, where `key`
 * means "the record key". A trailing qualifier turns a secret word into metadata about the
 * secret (`s3.credentials.provider.class`, `sasl.oauthbearer.token.endpoint.url`,
 * `gcs.credentials.path`): those stay visible. Some whole phrases are secret as well:
 * `sasl.jaas.config` and `basic.auth.user.info` (anywhere in the key, so
 * `producer.override.sasl.jaas.config` and `value.converter.basic.auth.user.info` count).
 *
 * Values that are only config-provider references (`${file:/etc/secrets.properties:password}`,
 * `${env:DB_PASSWORD}`) are not secrets and stay visible. In other values a password in a
 * URL is masked partially: `password=…` parameters (JDBC `?…&password=x`, SQL Server
 * `;password=x;`) and the password in `scheme://user:password@host` user info.
 */

import {maskText, registerSecret} from '../clients/secrets.js';

export interface MaskedEntry {
	readonly key: string;
	readonly value: string;
	readonly masked: boolean;
}

export {maskText};

const secretWords = new Set(['password', 'passwd', 'pwd', 'passphrase', 'secret', 'secrets', 'token', 'credential', 'credentials']);

/** Segments after a secret word that make the key describe the secret rather than hold it. */
const qualifiers = new Set(['url', 'uri', 'endpoint', 'provider', 'class', 'type', 'path', 'file', 'location', 'expiry', 'ttl', 'ms', 'enable', 'enabled', 'mode', 'name', 'header', 'refresh']);

/** `<x>.key` where `<x>` says which record key is meant, not a key material. */
const nonSecretKeyOwners = new Set(['primary', 'message', 'record', 'routing', 'partition', 'document', 'row', 'shard', 'sort', 'cache', 'schema']);

const secretPhrases = [['sasl', 'jaas', 'config'], ['basic', 'auth', 'user', 'info']];

function segmentsOf(key: string): string[] {
	return key
		.replace(/([a-z0-9])([A-Z])/g, '$1.$2')
		.toLowerCase()
		.split(/[.\-_]+/)
		.filter(segment => segment !== '');
}

function containsPhrase(segments: readonly string[], phrase: readonly string[]): boolean {
	for (let start = 0; start + phrase.length <= segments.length; start++) {
		if (phrase.every((word, offset) => segments[start + offset] === word)) return true;
	}
	return false;
}

/** Whether the value of this config key is a secret. */
export function isSecretKey(key: string): boolean {
	const segments = segmentsOf(key);
	if (secretPhrases.some(phrase => containsPhrase(segments, phrase))) return true;
	for (const [index, segment] of segments.entries()) {
		if (!secretWords.has(segment)) continue;
		const rest = segments.slice(index + 1);
		const describesSecret = rest.length > 0 && rest.every(word => qualifiers.has(word));
		if (!describesSecret) return true;
	}
	const last = segments.at(-1);
	if (last === 'key' && segments.length > 1) {
		const owner = segments.at(-2) ?? '';
		return !nonSecretKeyOwners.has(owner);
	}
	return false;
}

const providerReferences = /^(?:\$\{[^{}]+\})+$/;

/** `${provider:path:key}` (one or more, nothing else): resolved by the worker, not a secret itself. */
export function isProviderReference(value: string): boolean {
	return providerReferences.test(value.trim());
}

/** Masks password parameters and URL user-info passwords inside a longer value; undefined when nothing was found. */
export function maskEmbeddedPasswords(value: string): string | undefined {
	let changed = false;
	let result = value.replace(/((?:^|[?&;,\s])(?:password|passwd|pwd|secret|token)\s*=\s*)([^&;,\s]+)/gi, (_match, prefix: string, secret: string) => {
		if (isProviderReference(secret)) return `${prefix}${secret}`;
		changed = true;
		return `${prefix}${maskText}`;
	});
	result = result.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/?#@]+:)([^\s/?#@]+)(@)/gi, (_match, before: string, secret: string, at: string) => {
		if (isProviderReference(secret)) return `${before}${secret}${at}`;
		changed = true;
		return `${before}${maskText}${at}`;
	});
	return changed ? result : undefined;
}

/** Config entries sorted by key, with secret values replaced by `********`. */
export function maskConfig(config: Readonly<Record<string, string>>): MaskedEntry[] {
	return Object.keys(config)
		.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
		.map(key => {
			const value = config[key] ?? '';
			if (value === '' || isProviderReference(value)) return {key, value, masked: false};
			if (isSecretKey(key)) return {key, value: maskText, masked: true};
			const partial = maskEmbeddedPasswords(value);
			return partial === undefined ? {key, value, masked: false} : {key, value: partial, masked: true};
		});
}

/** The config with secret values masked, as a record (for JSON output); keys keep the order of maskConfig. */
export function maskConfigRecord(config: Readonly<Record<string, string>>): Record<string, string> {
	return Object.fromEntries(maskConfig(config).map(entry => [entry.key, entry.value]));
}

/**
 * Registers the values that maskConfig hides by key as secrets of this process, so that the
 * same value is masked wherever else it turns up (a trace quoting the password, an error).
 * Provider references are not secrets and are left out.
 */
export function registerConfigSecrets(config: Readonly<Record<string, string>>): void {
	for (const [key, value] of Object.entries(config)) {
		if (value !== '' && secretKeyMemo(key) && !isProviderReference(value)) registerSecret(value);
	}
}

/** Keys repeat across thousands of connectors and every refresh: decide each once. */
const secretKeys = new Map<string, boolean>();

function secretKeyMemo(key: string): boolean {
	let secret = secretKeys.get(key);
	if (secret === undefined) {
		secret = isSecretKey(key);
		if (secretKeys.size < 100_000) secretKeys.set(key, secret);
	}
	return secret;
}
