import {describe, expect, it} from 'vitest';
import {journalPath} from '../../source/store/journal-file.js';

const env = {HOME: '/home/oncall'};

describe('journalPath', () => {
	it('names the journal by the Kafka cluster id when Connect reported one', () => {
		expect(journalPath(env, {kafkaClusterId: 'WpwDi18PuBbIBunUN6DwAT', urls: ['http://a:8083']})).toBe('/home/oncall/.local/state/kctop/journal-WpwDi18PuBbIBunUN6DwAT.jsonl');
	});

	it('hashes the URLs without their credentials, in any order, when there is no cluster id', () => {
		const plain = journalPath(env, {kafkaClusterId: undefined, urls: ['http://b:8083/', 'http://a:8083/']});
		const withPassword = journalPath(env, {kafkaClusterId: undefined, urls: ['http://admin:s3cret@a:8083/', 'http://b:8083/']});
		expect(withPassword).toBe(plain);
		expect(plain).toMatch(/\/journal-[0-9a-f]{16}\.jsonl$/);
		expect(journalPath(env, {kafkaClusterId: undefined, urls: ['http://c:8083/']})).not.toBe(plain);
	});

	it('does not use a cluster id that is not a plain token as a file name', () => {
		expect(journalPath({XDG_STATE_HOME: '/state'}, {kafkaClusterId: '../../etc', urls: ['http://a:8083']})).toMatch(/^\/state\/kctop\/journal-[0-9a-f]{16}\.jsonl$/);
	});
});
