import {afterEach, describe, expect, it} from 'vitest';
import {forgetSecrets, scrubSecrets} from '../../source/clients/secrets.js';
import {maskConfigRecord, registerConfigSecrets} from '../../source/model/mask-config.js';

const config = {
	'connector.class': 'io.debezium.connector.postgresql.PostgresConnector',
	'database.password': 'pg-secret-42',
	'database.user': 'debezium',
	'connection.url': 'jdbc:postgresql://app:url-secret-7@db:5432/x',
	'ssl.keystore.password': '${file:/opt/secrets.properties:keystore.password}',
	'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
};

describe('maskConfigRecord (-o json)', () => {
	it('masks by key and inside URLs, keeps provider references and everything else', () => {
		expect(maskConfigRecord(config)).toEqual({
			'connection.url': 'jdbc:postgresql://app:********@db:5432/x',
			'connector.class': 'io.debezium.connector.postgresql.PostgresConnector',
			'database.password': '********',
			'database.user': 'debezium',
			'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
			'ssl.keystore.password': '${file:/opt/secrets.properties:keystore.password}',
		});
	});
});

describe('registerConfigSecrets', () => {
	afterEach(() => forgetSecrets());

	it('makes the values hidden by key secrets everywhere else, and leaves provider references and other values alone', () => {
		registerConfigSecrets(config);
		expect(scrubSecrets('FATAL: password pg-secret-42 rejected for debezium')).toBe('FATAL: password ******** rejected for debezium');
		expect(scrubSecrets('${file:/opt/secrets.properties:keystore.password}')).toBe('${file:/opt/secrets.properties:keystore.password}');
		expect(scrubSecrets('io.debezium.connector.postgresql.PostgresConnector')).toBe('io.debezium.connector.postgresql.PostgresConnector');
	});
});
