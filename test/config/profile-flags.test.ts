import {describe, expect, it} from 'vitest';
import {ConfigError, findUnknownFlag, resolveConfig} from '../../source/config/config.js';

const tty = {env: {LANG: 'en_US.UTF-8'}, stdoutIsTTY: true};

describe('--profile and --profile-file', () => {
	it('detect by default', () => {
		expect(resolveConfig({}, tty)).toMatchObject({profile: 'auto', profileFile: undefined});
	});

	it('accept every built-in name and the default alias, from the flag or KCTOP_PROFILE', () => {
		for (const name of ['kctop', 'default', 'catch-all', 'strimzi', 'confluent', 'debezium-examples']) expect(resolveConfig({profile: name}, tty).profile).toBe(name);
		expect(resolveConfig({}, {...tty, env: {...tty.env, KCTOP_PROFILE: 'strimzi'}}).profile).toBe('strimzi');
	});

	it('refuse an unknown name as a flag error that lists the valid ones', () => {
		expect(() => resolveConfig({profile: 'prometheus'}, tty)).toThrow(ConfigError);
		expect(() => resolveConfig({profile: 'prometheus'}, tty)).toThrow('--profile: unknown profile "prometheus"; valid: auto, kctop, default, catch-all, strimzi, confluent, debezium-examples');
	});

	it('take a profile file, which cannot be combined with a named profile', () => {
		expect(resolveConfig({profileFile: 'ours.yaml'}, tty)).toMatchObject({profile: 'auto', profileFile: 'ours.yaml'});
		expect(resolveConfig({}, {...tty, env: {...tty.env, KCTOP_PROFILE_FILE: 'env.yaml'}}).profileFile).toBe('env.yaml');
		expect(() => resolveConfig({profile: 'strimzi', profileFile: 'ours.yaml'}, tty)).toThrow('--profile and --profile-file are exclusive');
		expect(findUnknownFlag(['--profile-file', 'x.yaml', '--profile=auto'])).toBeUndefined();
	});
});
