import {spawn} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterAll, describe, expect, it} from 'vitest';
import {z} from 'zod';

/**
 * The CI version of `npm run soak`: two minutes of the built kctop in a pseudo-terminal
 * against the simulator behind the fault proxies, faults switching on and off. It asserts
 * the soak's verdict: no stall, no unexpected error or stack trace, kctop alive at the end.
 * RSS is measured and reported, but a run this short is not long enough to judge growth
 * (the verdict says so): the 30-minute run does that.
 */

const root = fileURLToPath(new URL('../../', import.meta.url));
const script = `${root}dist/soak/run.js`;
const directory = mkdtempSync(join(tmpdir(), 'kctop-soak-'));
const out = join(directory, 'soak.json');

afterAll(() => rmSync(directory, {recursive: true, force: true}));

const reportSchema = z.object({
	durationMs: z.number(),
	requests: z.object({rest: z.number(), scrape: z.number()}),
	maxRequestGapMs: z.number(),
	stallBoundMs: z.number(),
	episodes: z.array(z.object({kind: z.string(), target: z.string(), startMs: z.number(), endMs: z.number().optional(), recoveryMs: z.number().optional(), restStatusesSeen: z.array(z.string())})),
	rss: z.array(z.object({atMs: z.number(), rssKb: z.number()})),
	errorLines: z.array(z.string()),
	verdict: z.object({pass: z.boolean(), reasons: z.array(z.string()), rssJudged: z.boolean(), growthPct: z.number().optional()}),
});

function run(args: readonly string[]): Promise<{code: number | null; stdout: string; stderr: string}> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [script, ...args], {cwd: root, stdio: ['ignore', 'pipe', 'pipe']});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk: Buffer) => {
			stdout += chunk.toString();
		});
		child.stderr.on('data', (chunk: Buffer) => {
			stderr += chunk.toString();
		});
		child.once('error', reject);
		child.once('exit', code => resolve({code, stdout, stderr}));
	});
}

describe('soak (2 minutes)', () => {
	it('rejects bad arguments with one line and exit 2', async () => {
		expect(existsSync(script), `${script} is missing: run npm run build first (npm test does)`).toBe(true);
		const result = await run(['--minutes', 'ten']);
		expect(result.code).toBe(2);
		expect(result.stderr).toMatch(/^soak: --minutes must be a number between 1 and 1440, got "ten"\nusage: /);
	});

	it('kctop survives two minutes of faults: no stall, no unexpected error, still running', async () => {
		const result = await run(['--minutes', '2', '--seed', '1', '--out', out]);
		const report = reportSchema.parse(JSON.parse(readFileSync(out, 'utf8')));
		expect(report.verdict.reasons, result.stdout).toEqual([]);
		expect(report.verdict.pass).toBe(true);
		expect(result.code).toBe(0);
		expect(result.stdout).toMatch(/^soak PASS: 2\.0 min/m);

		// The run did what it claims: faults on REST and on the exporters, kctop polling throughout.
		expect(report.episodes.length).toBeGreaterThanOrEqual(4);
		expect(report.episodes.some(episode => episode.target.startsWith('rest'))).toBe(true);
		expect(report.episodes.some(episode => episode.target.startsWith('scrape'))).toBe(true);
		expect(report.requests.rest).toBeGreaterThan(60);
		expect(report.requests.scrape).toBeGreaterThan(60);
		expect(report.maxRequestGapMs).toBeLessThanOrEqual(report.stallBoundMs);
		expect(report.errorLines).toEqual([]);
		// RSS sampled every 2 s for the whole run, and reported but not judged at this length.
		expect(report.rss.length).toBeGreaterThan(40);
		expect(report.verdict.rssJudged).toBe(false);
		expect(report.verdict.growthPct).toBeTypeOf('number');
	}, 240_000);
});
