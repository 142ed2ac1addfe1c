// Start-up work the bundle (scripts/bundle.mjs) leaves out or puts off. Each was found in a
// CPU profile of kctop's start (bin/kctop.cjs to the first complete frame); the figures are
// from that machine (2 × AMD EPYC, Node 24), `perf stat -e instructions:u`.
//
// 1. Node's own modules imported as ES modules. Node builds an ES module facade of a
//    built-in by reading every export, getters included: node:http's lazy WebSocket,
//    CloseEvent and MessageEvent getters then load Node's internal copy of undici, which
//    kctop never uses (it bundles its own). `import {STATUS_CODES} from 'node:http'` alone
//    costs 200 M instructions. The bundle takes node:http and node:https through require()
//    instead, which reads nothing but the properties asked for.
// 2. undici: the bundle takes only what kctop uses (scripts/undici-entry.cjs, which says why).
// 3. Three dependencies that do expensive work at load time for something start-up does not
//    need. Their sources are patched as esbuild reads them; each patch names the exact text
//    it replaces and the build fails when that text is no longer there once (after an upgrade),
//    so that a patch never silently stops applying or applies to code it was not written for.
//    - meow evaluates normalize-package-data (and through it the spdx licence tables) when it
//      loads; it calls it only when the caller reads `cli.pkg`, which kctop never does.
//    - string-width compiles /^\p{RGI_Emoji}$/v when it loads: 40-60 ms, for the regular
//      expression holding every emoji sequence, and about 15 ms more on its first tests. It
//      can match only a grapheme cluster holding a code point with Emoji_Presentation or the
//      emoji variation selector U+FE0F: every RGI emoji sequence holds one (Unicode TS #51:
//      basic emoji are Emoji_Presentation characters or carry U+FE0F, keycaps carry U+FE0F,
//      regional indicators, skin-tone modifiers and the tag sequences' black flag are
//      Emoji_Presentation, ZWJ sequences are made of such elements). The patched test asks
//      that cheap question first and compiles the full expression on first need; kctop's own
//      glyphs (box drawing, block elements, arrows, check marks) never need it.
//    - yoga-layout (Ink's layout engine) holds its WebAssembly as a base64 data: URL and,
//      when a global fetch() exists, as in Node 18+, fetches that URL: the first fetch() loads
//      Node's internal undici (see 1). The patch takes the branch it takes without fetch(),
//      which decodes the same bytes in place. Its module declares 256 pages (16 MB) of memory
//      and may grow it; lowering that was not worth a patch: at 1,009 connectors only 0.1 MB of
//      the 16 MB was resident (/proc/PID/smaps), the rest is reserved, never touched.
import {readFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {fileURLToPath} from 'node:url';

const require = createRequire(import.meta.url);

/** kctop's own entry into undici (see 2 above). */
export const undiciEntry = fileURLToPath(new URL('undici-entry.cjs', import.meta.url));

/** Built-ins whose ES module facade costs more than it gives (see 1 above). */
export const builtinsThroughRequire = ['node:http', 'node:https', 'node:crypto', 'node:fs', 'node:util', 'node:child_process'];

/**
 * An ES module standing in for the built-in `name`: its default export and every data
 * property of the built-in, read once through require(). Getters (lazy exports) are left
 * out; importing one by name fails the build.
 */
export function builtinFacade(name) {
	const exports = require(name);
	const names = Object.entries(Object.getOwnPropertyDescriptors(exports))
		.filter(([key, descriptor]) => 'value' in descriptor && /^[A-Za-z_$][\w$]*$/.test(key) && key !== 'default')
		.map(([key]) => key);
	return [`const builtin = require(${JSON.stringify(name)});`, 'export default builtin;', ...names.map(key => `export const ${key} = builtin.${key};`)].join('\n');
}

/** Source patches by package file: [file path ending, [[text, replacement], …]]. */
export const sourcePatches = [
	[
		'/node_modules/meow/build/dependencies.js',
		[
			[
				'var normalizeExports = requireNormalize();\nconst normalizePackageData = getDefaultExportFromCjs(normalizeExports);',
				'const normalizePackageData = (...args) => getDefaultExportFromCjs(requireNormalize())(...args);',
			],
		],
	],
	[
		'/node_modules/string-width/index.js',
		[
			[
				'const rgiEmojiRegex = /^\\p{RGI_Emoji}$/v;',
				"const rgiEmojiCandidateRegex = /[\\p{Emoji_Presentation}\\uFE0F]/u;\nlet rgiEmojiFullRegex;\nconst rgiEmojiRegex = {test: segment => rgiEmojiCandidateRegex.test(segment) && (rgiEmojiFullRegex ??= new RegExp('^\\\\p{RGI_Emoji}$', 'v')).test(segment)};",
			],
		],
	],
	[
		'/node_modules/yoga-layout/dist/binaries/yoga-wasm-base64-esm.js',
		[['function ya(){return w||"function"!=typeof fetch?', 'function ya(){return w||!0?']],
	],
	[
		'/node_modules/undici/lib/dispatcher/client.js',
		[
			[
				"const connectH2 = require('./client-h2.js')",
				"let clientH2\nconst connectH2 = (client, socket) => (clientH2 ??= require('./client-h2.js'))(client, socket)",
			],
		],
	],
];

/** `text` with each of `patches` applied; throws when a patch's text is not there exactly once. */
export function applyPatches(file, text, patches) {
	let result = text;
	for (const [from, to] of patches) {
		const count = result.split(from).length - 1;
		if (count !== 1) throw new Error(`scripts/bundle-patches.mjs: ${file}: the text to patch occurs ${count} times, not once (the package changed?): ${JSON.stringify(from.slice(0, 80))}`);
		result = result.replace(from, () => to);
	}
	return result;
}

/** The esbuild plugin doing all of the above. */
export const startupPlugin = {
	name: 'kctop-startup',
	setup(build) {
		// With or without the node: prefix, as dependencies write both.
		const builtins = new RegExp(`^(?:node:)?(${builtinsThroughRequire.map(name => name.replace(/^node:/, '').replace(/[^\w]/g, '\\$&')).join('|')})$`);
		build.onResolve({filter: builtins}, args => (args.kind === 'import-statement' || args.kind === 'dynamic-import' ? {path: args.path, namespace: 'builtin-through-require'} : undefined));
		build.onLoad({filter: /.*/, namespace: 'builtin-through-require'}, args => ({contents: builtinFacade(args.path), loader: 'js'}));
		build.onResolve({filter: /^undici$/}, () => ({path: undiciEntry}));
		for (const [ending, patches] of sourcePatches) {
			build.onLoad({filter: new RegExp(`${ending.replace(/[^\w/]/g, '\\$&')}$`)}, args => ({contents: applyPatches(args.path, readFileSync(args.path, 'utf8'), patches), loader: 'js'}));
		}
	},
};
