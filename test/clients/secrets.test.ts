import {afterEach, describe, expect, it} from 'vitest';
import {oneLine} from '../../source/clients/errors.js';
import {forgetSecrets, maskText, registerAuth, registerBasicCredentials, registerHeaderValues, registerSecret, scrubSecrets} from '../../source/clients/secrets.js';
import {safe} from '../../source/ui/text.js';

describe('secret registry', () => {
	afterEach(() => forgetSecrets());

	it('masks a registered secret wherever it appears, in its URL-encoded and JSON-escaped forms too', () => {
		registerSecret('p@ss "w0rd"/x');
		expect(scrubSecrets('login with p@ss "w0rd"/x failed')).toBe(`login with ${maskText} failed`);
		expect(scrubSecrets('GET /x?password=p%40ss%20%22w0rd%22%2Fx')).toBe(`GET /x?password=${maskText}`);
		expect(scrubSecrets('{"pw":"p@ss \\"w0rd\\"/x"}')).toBe(`{"pw":"${maskText}"}`);
	});

	it('masks the longest of overlapping secrets whole, and ignores blank or very short values', () => {
		registerSecret('abcd');
		registerSecret('abcdefgh');
		registerSecret('  ');
		registerSecret('xyz');
		expect(scrubSecrets('1abcdefgh2abcd3xyz')).toBe(`1${maskText}2${maskText}3xyz`);
	});

	it('masks the base64 form of basic credentials, as an echoed Authorization header carries it', () => {
		registerBasicCredentials('alice', 'hunter22');
		const header = `Basic ${Buffer.from('alice:hunter22').toString('base64')}`;
		expect(scrubSecrets(`proxy said: bad header Authorization: ${header}`)).toBe(`proxy said: bad header Authorization: Basic ${maskText}`);
	});

	it('masks passwords and bare tokens in URL user info, keeping provider references', () => {
		expect(scrubSecrets('jdbc:postgresql://bob:s3cret@db:5432/x')).toBe(`jdbc:postgresql://bob:${maskText}@db:5432/x`);
		expect(scrubSecrets('https://ghp_token123@github.com/x')).toBe(`https://${maskText}@github.com/x`);
		expect(scrubSecrets('mysql://bob:${file:/s.properties:pw}@db')).toBe('mysql://bob:${file:/s.properties:pw}@db');
		expect(scrubSecrets('http://c1:8083/connectors')).toBe('http://c1:8083/connectors');
	});

	it('is applied by oneLine (every error message) and by safe (every string on screen)', () => {
		registerSecret('tok-123456');
		expect(oneLine('401: bad token tok-123456\n')).toBe(`401: bad token ${maskText}`);
		expect(safe('name-tok-123456')).toBe(`name-${maskText}`);
	});

	it('registers header values, the credential after a scheme alone, and auth settings', () => {
		registerHeaderValues({Authorization: 'Bearer eyJhbGciOi.token', 'X-Api-Key': 'key-0123456789'});
		registerAuth({type: 'bearer', token: 'tok-abcdefgh'});
		expect(scrubSecrets('echo: eyJhbGciOi.token / key-0123456789 / tok-abcdefgh')).toBe(`echo: ${maskText} / ${maskText} / ${maskText}`);
	});
});
