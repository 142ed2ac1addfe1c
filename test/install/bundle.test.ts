import {mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {build} from 'esbuild';
import stringWidth from 'string-width';
import {Agent, request} from 'undici';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {z} from 'zod';
import {startPty, type PtySession} from '../helpers/pty.js';
import * as patches from '../../scripts/bundle-patches.mjs';
import * as slim from '../../scripts/undici-entry.cjs';

/**
 * What scripts/bundle-patches.mjs leaves out of kctop's start-up, checked: each source patch
 * still finds its text in the installed package, the patched string-width measures every
 * string as the original does, the bundle imports no Node built-in whose ES module facade
 * loads Node's internal undici, and the live view starts without loading it.
 */

const root = fileURLToPath(new URL('../../', import.meta.url));
const bundleDir = join(root, 'dist', 'bundle', 'kctop');

let work = '';

beforeAll(() => {
	work = mkdtempSync(join(tmpdir(), 'kctop-bundle-'));
});

afterAll(() => {
	if (work !== '') rmSync(work, {recursive: true, force: true});
});

describe('source patches', () => {
	it('replace text found exactly once, and refuse text found never or twice', () => {
		expect(patches.applyPatches('f.js', 'a b c', [['b', 'B']])).toBe('a B c');
		expect(() => patches.applyPatches('f.js', 'a c', [['b', 'B']])).toThrow(/f\.js: the text to patch occurs 0 times/);
		expect(() => patches.applyPatches('f.js', 'b b', [['b', 'B']])).toThrow(/occurs 2 times/);
		// A replacement holding `$&` is taken as it is, not as a pattern.
		expect(patches.applyPatches('f.js', 'a b', [['b', '$&$&']])).toBe('a $&$&');
	});

	it('each applies to the package installed now', () => {
		for (const [ending, list] of patches.sourcePatches) {
			const file = join(root, ending);
			const text = readFileSync(file, 'utf8');
			const patched = patches.applyPatches(file, text, list);
			expect(patched).not.toBe(text);
		}
	});
});

describe("the bundle's undici entry", () => {
	let server: Server;
	let origin = '';
	const seen: string[] = [];

	beforeAll(async () => {
		server = createServer((incoming, outgoing) => {
			let body = '';
			incoming.on('data', (chunk: Buffer) => (body += chunk.toString()));
			incoming.on('end', () => {
				seen.push(`${incoming.method ?? '?'} ${incoming.url ?? '?'} ${incoming.headers['content-type'] ?? '-'} ${body}`);
				outgoing.writeHead(incoming.url?.startsWith('/missing') === true ? 404 : 200, {'content-type': 'application/json', 'x-echo': incoming.method ?? '?'});
				outgoing.end(JSON.stringify({method: incoming.method, url: incoming.url, body}));
			});
		});
		await new Promise<void>(resolve => server.listen({port: 0, host: '127.0.0.1'}, resolve));
		const {port} = z.custom<AddressInfo>(value => typeof value === 'object' && value !== null && 'port' in value).parse(server.address());
		origin = `http://127.0.0.1:${port}`;
	});

	afterAll(async () => {
		await new Promise(resolve => server.close(resolve));
	});

	it("answers every call form kctop makes as undici's own entry does", async () => {
		const calls: ReadonlyArray<{readonly path: string; readonly init: {readonly method?: string; readonly headers?: Record<string, string>; readonly body?: string}}> = [
			{path: '/connectors?expand=status&expand=info', init: {method: 'GET', headers: {accept: 'application/json'}}},
			{path: '/api/v1/query', init: {method: 'POST', headers: {'content-type': 'application/x-www-form-urlencoded'}, body: 'query=up'}},
			{path: '/connectors/a%20b/restart?includeTasks=true', init: {method: 'POST'}},
			{path: '/connectors/x/pause', init: {body: '{}', headers: {'content-type': 'application/json'}}},
			{path: '/missing', init: {}},
		];
		const answers = async (call: typeof request, dispatcher: InstanceType<typeof Agent>): Promise<string[]> => {
			const out: string[] = [];
			for (const {path, init} of calls) {
				const response = await call(`${origin}${path}`, {dispatcher, ...init});
				out.push(`${response.statusCode} ${String(response.headers['x-echo'])} ${await response.body.text()}`);
			}
			return out;
		};
		const slimAgent = new slim.Agent();
		const fullAgent = new Agent();
		try {
			seen.length = 0;
			const bySlim = await answers(slim.request, slimAgent);
			const seenBySlim = seen.splice(0);
			const byFull = await answers(request, fullAgent);
			expect(bySlim).toEqual(byFull);
			expect(seenBySlim).toEqual(seen);
			expect(seen).toContain('PUT /connectors/x/pause application/json {}');
		} finally {
			await Promise.all([slimAgent.close(), fullAgent.close()]);
		}
	});

	it('refuses the call forms kctop does not make', () => {
		const dispatcher = new slim.Agent();
		// undici takes a URL object too; the bundle's entry does not.
		expect(() => slim.request(new URL(origin), {dispatcher})).toThrow(/takes a URL string/);
		expect(() => slim.request(`${origin}/`, {})).toThrow(/with a dispatcher/);
		// @ts-expect-error: a path beside the URL, which undici's types do not allow either
		expect(() => slim.request(`${origin}/`, {dispatcher, path: '/x'})).toThrow(/takes a URL string/);
		expect(() => slim.request('ftp://example.com/', {dispatcher})).toThrow(/http/);
		void dispatcher.close();
	});
});

describe('string-width as the bundle patches it', () => {
	let patchedWidth: (text: string, options?: {ambiguousIsNarrow: boolean}) => number = () => Number.NaN;

	beforeAll(async () => {
		const outfile = join(work, 'string-width.mjs');
		await build({
			stdin: {contents: "export {default} from 'string-width';", resolveDir: root, loader: 'js'},
			bundle: true,
			format: 'esm',
			platform: 'node',
			outfile,
			plugins: [patches.startupPlugin],
			logLevel: 'silent',
		});
		expect(readFileSync(outfile, 'utf8')).toContain('rgiEmojiCandidateRegex');
		const module: unknown = await import(pathToFileURL(outfile).href);
		const measure = z.object({default: z.function({input: [z.string(), z.object({ambiguousIsNarrow: z.boolean()}).optional()], output: z.number()})}).parse(module).default;
		patchedWidth = measure;
	}, 60_000);

	it('measures every code point of the BMP and the emoji planes as the original does', () => {
		const differences: string[] = [];
		for (const [from, to] of [
			[0x20, 0xd7ff],
			[0xe000, 0xffff],
			[0x1f000, 0x1faff],
		] as const) {
			for (let code = from; code <= to; code++) {
				const text = String.fromCodePoint(code);
				if (patchedWidth(text) !== stringWidth(text)) differences.push(code.toString(16));
			}
		}
		expect(differences).toEqual([]);
	});

	it('measures emoji sequences, kctop glyphs and mixed text as the original does', () => {
		const samples = [
			'1', '#', '*', '1\uFE0F\u20E3', '#\uFE0F\u20E3', '1\u20E3', // digits, keycaps (with and without VS16)
			'\u26A0', '\u26A0\uFE0F', '\u2764', '\u2764\uFE0F', '\u263A\uFE0F', // text-default emoji, bare and with VS16
			'\u{1F1E9}\u{1F1EA}', '\u{1F1FA}\u{1F1F8} flag', '\u{1F1E6}', // flags, a lone regional indicator
			'\u{1F44D}\u{1F3FD}', '\u261D\u{1F3FB}', // skin-tone modifier sequences
			'\u{1F468}\u200D\u{1F469}\u200D\u{1F467}', '\u{1F3F3}\uFE0F\u200D\u{1F308}', '\u2764\uFE0F\u200D\u{1F525}', // ZWJ sequences
			'\u{1F3F4}\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}', // a tag sequence (England)
			'\u{1F600}', '\u{1F9D1}\u200D\u{1F4BB}', '\u{1F408}\u200D\u2B1B',
			'lag 12 \u2581\u2582\u2583\u2584\u2585\u2586\u2587\u2588', '\u256D\u2500\u256E \u2502 \u2570\u2500\u256F', '\u2713 ok \u2717 \u27F3 \u2192 \u2026 \u00B7 \u26A0 2 failed',
			'\u65E5\u672C\u8A9E 3', '\uAC00\u1100\u1161', 'e\u0301', '\u200B', '\u001B[31mred\u001B[0m \u{1F525}',
		];
		for (const text of samples) {
			expect(patchedWidth(text), JSON.stringify(text)).toBe(stringWidth(text));
			expect(patchedWidth(text, {ambiguousIsNarrow: false}), JSON.stringify(text)).toBe(stringWidth(text, {ambiguousIsNarrow: false}));
		}
	});
});

describe('the built bundle', () => {
	const chunks = (): string[] => readdirSync(bundleDir).filter(name => name.endsWith('.js'));

	it('imports no Node built-in through the ES module facade that loads Node\'s internal undici', () => {
		expect(chunks().length).toBeGreaterThan(1);
		const found: string[] = [];
		for (const name of chunks()) {
			const text = readFileSync(join(bundleDir, name), 'utf8');
			for (const builtin of patches.builtinsThroughRequire) {
				const bare = builtin.replace(/^node:/, '');
				const pattern = new RegExp(`(?:import|export)\\b[^;]*?from\\s*["'](?:node:)?${bare}["']|import\\(\\s*["'](?:node:)?${bare}["']\\s*\\)`);
				if (pattern.test(text)) found.push(`${name}: ${builtin}`);
			}
		}
		expect(found).toEqual([]);
	});

	describe('the live view in a terminal', () => {
		let pty: PtySession | undefined;

		afterAll(() => {
			pty?.kill();
		});

		it('starts, draws and quits without loading Node\'s internal undici', async () => {
			// A preload that reports, when kctop exits, which of Node's internal modules mention undici.
			const report = join(work, 'modules.json');
			const probe = join(work, 'report-modules.cjs');
			writeFileSync(probe, `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(report)}, JSON.stringify(process.moduleLoadList.filter(name => /undici/.test(name)))));\n`);
			const stateHome = join(work, 'state');
			pty = startPty(process.execPath, [join(root, 'bin', 'kctop.cjs'), '--demo'], {columns: 120, rows: 30, env: {NODE_OPTIONS: `--require ${probe}`, XDG_STATE_HOME: stateHome}});
			await pty.waitFor(/DEMO/, 45_000);
			await pty.waitFor(/connectors \d+/, 45_000);
			pty.write('q');
			const {exitCode} = await pty.exited;
			expect(exitCode).toBe(0);
			const loaded = z.array(z.string()).parse(JSON.parse(readFileSync(report, 'utf8')));
			expect(loaded).toEqual([]);
		}, 90_000);
	});
});
