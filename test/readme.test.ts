import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {flagSpecs, kebab} from '../source/config/config.js';
import {keymap} from '../source/ui/input/keymap.js';

const readme = readFileSync(new URL('../readme.md', import.meta.url), 'utf8');

describe('readme.md', () => {
	it('documents every flag and its environment variable', () => {
		for (const [name, spec] of Object.entries(flagSpecs)) {
			expect(readme, `--${kebab(name)}`).toContain(`--${kebab(name)}`);
			expect(readme, spec.env).toContain(`\`${spec.env}\``);
		}
	});

	it('documents every ctrl key of the keymap', () => {
		for (const binding of keymap) {
			for (const chord of binding.keys) {
				if ('input' in chord && chord.ctrl === true) expect(readme, `ctrl-${chord.input}`).toContain(`ctrl-${chord.input}`);
			}
		}
	});

	it('gives the two commands, and .ci/run calls the test command it gives', () => {
		expect(readme).toContain('npm install && npm run demo');
		expect(readme).toMatch(/^npm test\b/m);
		expect(readFileSync(new URL('../.ci/run', import.meta.url), 'utf8')).toMatch(/^npm test/m);
	});
});
