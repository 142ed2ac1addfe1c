import {describe, expect, it} from 'vitest';
import {isProviderReference, isSecretKey, maskConfig, maskEmbeddedPasswords, maskText} from '../../source/model/mask-config.js';

describe('isSecretKey', () => {
	it.each([
		'connection.password',
		'database.password',
		'ssl.key.password',
		'ssl.keystore.password',
		'ssl.truststore.password',
		'aws.secret.access.key',
		'api.key',
		'azure.storage.account.key',
		'ssl.keystore.key',
		'client.secret',
		'auth.token',
		'token',
		'gcs.credentials.json',
		'credentials',
		'sasl.jaas.config',
		'producer.override.sasl.jaas.config',
		'database.history.producer.sasl.jaas.config',
		'basic.auth.user.info',
		'value.converter.basic.auth.user.info',
		'key.converter.schema.registry.ssl.key.password',
		'apiKey',
		'secretKey',
		'mongo.passwd',
		'ssl.key.passphrase',
	])('masks %s', key => {
		expect(isSecretKey(key)).toBe(true);
	});

	it.each([
		'key.converter',
		'key.converter.schemas.enable',
		'key.ignore',
		'key.fields',
		'pk.fields',
		'primary.key.mode',
		'primary.key.fields',
		'message.key.columns',
		'transforms.createKey.fields',
		'connection.url',
		'connection.user',
		'database.user',
		'topics',
		'ssl.keystore.location',
		'ssl.keystore.type',
		'aws.access.key.id',
		's3.credentials.provider.class',
		'gcs.credentials.path',
		'sasl.oauthbearer.token.endpoint.url',
		'keystore',
		'tasks.max',
	])('leaves %s visible', key => {
		expect(isSecretKey(key)).toBe(false);
	});
});

describe('isProviderReference', () => {
	it('recognises ${provider:path:key} references', () => {
		expect(isProviderReference('${file:/opt/secrets.properties:password}')).toBe(true);
		expect(isProviderReference('${env:DB_PASSWORD}')).toBe(true);
		expect(isProviderReference('${vault:secret/db:user}${vault:secret/db:pass}')).toBe(true);
		expect(isProviderReference('hunter2')).toBe(false);
		expect(isProviderReference('prefix-${env:X}')).toBe(false);
	});
});

describe('maskEmbeddedPasswords', () => {
	it('masks a password query parameter in a JDBC URL and keeps the rest', () => {
		expect(maskEmbeddedPasswords('jdbc:postgresql://db:5432/shop?user=kafka&password=hunter2&ssl=true')).toBe(`jdbc:postgresql://db:5432/shop?user=kafka&password=${maskText}&ssl=true`);
	});

	it('masks SQL Server style ;password=', () => {
		expect(maskEmbeddedPasswords('jdbc:sqlserver://db:1433;databaseName=x;user=sa;password=S3cret!;encrypt=true')).toBe(`jdbc:sqlserver://db:1433;databaseName=x;user=sa;password=${maskText};encrypt=true`);
	});

	it('masks the password of URL user info', () => {
		expect(maskEmbeddedPasswords('mongodb://app:s3cret@mongo1:27017,mongo2:27017/?replicaSet=rs0')).toBe(`mongodb://app:${maskText}@mongo1:27017,mongo2:27017/?replicaSet=rs0`);
	});

	it('leaves values without passwords alone', () => {
		expect(maskEmbeddedPasswords('jdbc:postgresql://db:5432/shop')).toBeUndefined();
		expect(maskEmbeddedPasswords('mongodb://mongo1:27017')).toBeUndefined();
	});
});

describe('maskConfig', () => {
	const config = {
		'tasks.max': '1',
		'connector.class': 'io.confluent.connect.jdbc.JdbcSinkConnector',
		'connection.password': 'hunter2',
		'connection.url': 'jdbc:mysql://db:3306/x?password=hunter2',
		'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
		'aws.secret.access.key': '${file:/opt/secrets.properties:aws.secret}',
		'sasl.jaas.config': 'org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="p";',
		'ssl.key.password': '',
	};

	it('sorts by key', () => {
		const keys = maskConfig(config).map(entry => entry.key);
		expect(keys).toEqual([...keys].sort());
		expect(keys).toHaveLength(8);
	});

	it('masks secrets and flags them, leaving references and ordinary values visible', () => {
		const byKey = new Map(maskConfig(config).map(entry => [entry.key, entry]));
		expect(byKey.get('connection.password')).toEqual({key: 'connection.password', value: maskText, masked: true});
		expect(byKey.get('sasl.jaas.config')?.value).toBe(maskText);
		expect(byKey.get('connection.url')).toEqual({key: 'connection.url', value: `jdbc:mysql://db:3306/x?password=${maskText}`, masked: true});
		expect(byKey.get('aws.secret.access.key')).toEqual({key: 'aws.secret.access.key', value: '${file:/opt/secrets.properties:aws.secret}', masked: false});
		expect(byKey.get('key.converter')?.masked).toBe(false);
		expect(byKey.get('tasks.max')?.value).toBe('1');
		expect(byKey.get('ssl.key.password')).toEqual({key: 'ssl.key.password', value: '', masked: false});
	});

	it('never lets a secret value through', () => {
		const text = JSON.stringify(maskConfig(config));
		expect(text).not.toContain('hunter2');
		expect(text).not.toContain('password="p"');
	});
});
