// `npm run build`, second step: kctop as the bin runs it and as the package ships it, one ES
// module bundle of source/cli.tsx and everything it imports, dependencies included, in
// dist/bundle/kctop/. Node then reads and compiles a few files instead of some 300 modules,
// each resolved on its own: most of kctop's start-up went there.
//
// - Code splitting: what kctop imports dynamically (the terminal UI, the simulator behind
//   --demo, the report writer, the one-shot outputs) stays in chunks of its own, loaded when
//   needed, as from dist/. The first requests go out before the terminal UI is loaded.
// - NODE_ENV is "production" at build time: React's development build is left out.
// - The folder is three levels below the package root, as dist/demo/jmx/rules.js is: the
//   simulator finds jmx-exporter-config.yml at '../../../' from its own module, and meow
//   finds package.json (name, version) by walking up from the bundle.
// - Ink imports react-devtools-core only when DEV=true and the package is installed; it is
//   not a dependency of kctop, so the import resolves to a stub.
// - Start-up work it leaves out or puts off: scripts/bundle-patches.mjs.
// - The licences of the bundled packages go to THIRD-PARTY-LICENSES.txt beside the bundle.
// - Local names are not minified. V8 keeps each module's source text while the module lives (to
//   compile functions lazily): a heap snapshot of kctop at 1,009 connectors held the three large
//   chunks' sources whole, 2.3 MB. Minified, all chunks are 2.03 MB instead of 2.68 MB, but with
//   keepNames (which zod's and React's messages need: they print constructor and component
//   names) `kctop --demo --once` took 2.10 G instructions instead of 2.00 G (perf stat, 6 runs
//   each); 0.65 MB is not worth 5 % of the start-up.
import {readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {build} from 'esbuild';
import {startupPlugin} from './bundle-patches.mjs';

const root = fileURLToPath(new URL('../', import.meta.url));
const outdir = join(root, 'dist', 'bundle', 'kctop');

/** The settings kctop's bundle and the bench's Ink floor share. */
const shared = {
	absWorkingDir: root,
	bundle: true,
	splitting: true,
	format: 'esm',
	platform: 'node',
	target: 'node22',
	jsx: 'automatic',
	minifySyntax: true,
	minifyWhitespace: true,
	legalComments: 'none',
	chunkNames: 'chunk-[hash]',
	define: {'process.env.NODE_ENV': '"production"'},
	plugins: [startupPlugin],
	alias: {'react-devtools-core': join(root, 'scripts', 'react-devtools-stub.mjs')},
	// Dependencies written as CommonJS call require() for Node's own modules.
	banner: {js: "import {createRequire as kctopCreateRequire} from 'node:module'; const require = kctopCreateRequire(import.meta.url);"},
	logLevel: 'warning',
};

rmSync(outdir, {recursive: true, force: true});
const result = await build({...shared, entryPoints: {cli: 'source/cli.tsx'}, outdir, metafile: true});

// The bench's Ink floor (source/bench/ink-floor-app.tsx): one line drawn by Ink, bundled as
// kctop is, so that the bench can tell kctop's own start-up from its UI stack's. Not shipped.
const inkFloorDir = join(root, 'dist', 'bench-bundle', 'ink-floor');
rmSync(inkFloorDir, {recursive: true, force: true});
await build({...shared, entryPoints: {'ink-floor': 'source/bench/ink-floor-app.tsx'}, outdir: inkFloorDir});

/** The package folders (node_modules/<name> or node_modules/@scope/<name>) the bundle took code from. */
const packages = new Set();
for (const input of Object.keys(result.metafile.inputs)) {
	const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
	if (match?.[1] !== undefined) packages.add(match[1]);
}

const notices = [...packages].sort().map(folder => {
	const manifest = JSON.parse(readFileSync(join(root, folder, 'package.json'), 'utf8'));
	const licenceFile = readdirSync(join(root, folder)).find(name => /^(licen[cs]e|copying)(\.|$)/i.test(name));
	const text = licenceFile === undefined ? `(no licence file; package.json says ${manifest.license ?? 'nothing'})` : readFileSync(join(root, folder, licenceFile), 'utf8').trim();
	return `${manifest.name} ${manifest.version} (${manifest.license ?? 'unknown licence'})\n\n${text}\n`;
});
writeFileSync(join(outdir, 'THIRD-PARTY-LICENSES.txt'), `kctop's bundle (dist/bundle/kctop) contains code from these packages.\n\n${notices.join(`\n${'-'.repeat(72)}\n\n`)}`);
