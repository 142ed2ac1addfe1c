import {chmodSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {resolveConfig} from '../../source/config/config.js';
import {chooseContext, defaultConfigPath, loadContexts} from '../../source/config/contexts.js';

let directory: string;
const file = (name: string, text: string, mode = 0o600): string => {
	const path = join(directory, name);
	writeFileSync(path, text, {mode});
	chmodSync(path, mode);
	return path;
};

beforeAll(() => {
	directory = mkdtempSync(join(tmpdir(), 'kctop-contexts-'));
});
afterAll(() => rmSync(directory, {recursive: true, force: true}));

const clusters = `current-context: prod
contexts:
  prod:
    connect: [http://connect-1:8083, http://connect-2:8083]
    prometheus: http://prometheus:9090
    profile: strimzi
    user: kctop
    password-env: PROD_CONNECT_PASSWORD
    worker-map:
      10.0.0.5:9404: connect-1:8083
  staging:
    connect: http://staging:8083
    scrape: http://staging:9404/metrics
    token-file: ${'TOKEN_FILE'}
    read-only: true
`;

describe('config file contexts', () => {
	it('gives a context\'s values to the flags nobody set; flags and KCTOP_* still win', () => {
		const path = file('clusters.yaml', clusters);
		const env = {PROD_CONNECT_PASSWORD: 's3cret-from-env'};
		const chosen = chooseContext({config: path}, env);
		expect(chosen).toMatchObject({name: 'prod', known: ['prod', 'staging'], warning: undefined});
		const config = resolveConfig({}, {env, stdoutIsTTY: true, ...(chosen === undefined ? {} : {context: chosen})});
		expect(config.connectUrls).toEqual(['http://connect-1:8083', 'http://connect-2:8083']);
		expect(config.prometheusUrl).toBe('http://prometheus:9090');
		expect(config.profile).toBe('strimzi');
		expect(config.connectAuth).toEqual({type: 'basic', username: 'kctop', password: 's3cret-from-env'});
		expect(config.workerMap.get('10.0.0.5:9404')).toBe('connect-1:8083');
		expect(config.context).toEqual({name: 'prod', known: ['prod', 'staging']});
		const overridden = resolveConfig({connect: 'http://other:8083'}, {env: {...env, KCTOP_PROFILE: 'kctop'}, stdoutIsTTY: true, ...(chosen === undefined ? {} : {context: chosen})});
		expect(overridden.connectUrls).toEqual(['http://other:8083']);
		expect(overridden.profile).toBe('kctop');
	});

	it('reads secrets from a file named by the context, never from the file itself', () => {
		const token = file('token', 'tok-from-file\n');
		const path = file('staging.yaml', clusters.replace('TOKEN_FILE', token));
		const chosen = chooseContext({config: path, context: 'staging'}, {});
		const config = resolveConfig({}, {env: {}, stdoutIsTTY: true, ...(chosen === undefined ? {} : {context: chosen})});
		expect(config.connectAuth).toEqual({type: 'bearer', token: 'tok-from-file'});
		expect(config.scrapeUrls).toEqual(['http://staging:9404/metrics']);
		expect(config.readOnly).toBe(true);
		expect(() => file('plain.yaml', 'contexts:\n  a:\n    connect: http://a:8083\n    password: hunter2\n') && chooseContext({config: join(directory, 'plain.yaml'), context: 'a'}, {})).toThrow(/plain\.yaml:4: contexts\.a: Unrecognized key: "password"/);
	});

	it('says which context is missing, which variable is unset, and where the YAML is wrong', () => {
		const path = file('clusters2.yaml', clusters);
		expect(() => chooseContext({config: path, context: 'nope'}, {})).toThrow(/no context "nope" .*known: prod, staging/);
		expect(() => chooseContext({config: path}, {})).toThrow(/password-env names PROD_CONNECT_PASSWORD, which is not set/);
		const broken = file('broken.yaml', 'contexts:\n  a:\n    connect: [http://a\n');
		expect(() => loadContexts(broken, {required: true})).toThrow(/broken\.yaml:\d+: /);
		const wrongType = file('wrong.yaml', 'contexts:\n  a:\n    read-only: maybe\n');
		expect(() => loadContexts(wrongType, {required: true})).toThrow(/wrong\.yaml:3: contexts\.a\.read-only: /);
		expect(() => chooseContext({config: join(directory, 'absent.yaml')}, {})).toThrow(/cannot read .*absent\.yaml/);
	});

	it('runs without contexts when there is no file, and warns when others can read it', () => {
		expect(chooseContext({}, {HOME: directory})).toBeUndefined();
		expect(() => chooseContext({context: 'prod'}, {HOME: directory})).toThrow(/no config file at .*\.config\/kctop\/config\.yaml/);
		expect(defaultConfigPath({XDG_CONFIG_HOME: '/etc/x'})).toBe('/etc/x/kctop/config.yaml');
		const open = file('open.yaml', 'contexts:\n  a:\n    connect: http://a:8083\n', 0o644);
		expect(loadContexts(open, {required: true})?.warning).toMatch(/readable by other users: chmod 600/);
		const closed = file('closed.yaml', 'contexts:\n  a:\n    connect: http://a:8083\n    headers: ["X-Token: abc"]\n', 0o600);
		expect(loadContexts(closed, {required: true})?.warning).toBeUndefined();
		expect(chooseContext({config: open}, {})).toBeUndefined();
		expect(chooseContext({config: open, context: 'a'}, {})?.warning).toMatch(/open\.yaml is readable by other users/);
	});
});
