import {spawn} from 'node:child_process';
import {describe, expect, it} from 'vitest';
import {z} from 'zod';
import {getFreePort} from '../helpers/free-port.js';
import {cli, node, requireBuild} from './stack.js';

/** `kctop check` as Nagios/Icinga runs it: the built CLI as a process, its exit code and stdout. */
async function check(args: readonly string[]): Promise<{code: number | null; stdout: string}> {
	requireBuild();
	const child = spawn(node, [cli, 'check', ...args], {stdio: ['ignore', 'pipe', 'pipe'], env: {...process.env, NO_COLOR: '1'}});
	let stdout = '';
	child.stdout.on('data', (chunk: Buffer) => {
		stdout += chunk.toString();
	});
	const code = await new Promise<number | null>(resolve => child.once('exit', resolve));
	return {code, stdout};
}

const jsonResult = z.object({
	status: z.enum(['OK', 'WARNING', 'CRITICAL', 'UNKNOWN']),
	exitCode: z.number(),
	summary: z.string(),
	findings: z.array(z.object({status: z.string(), severity: z.string(), subject: z.string(), text: z.string(), cause: z.string().optional(), hint: z.string().optional()})),
});

describe('kctop check (the built CLI)', () => {
	it('exits 3 UNKNOWN when nothing answers on the Connect URL', async () => {
		const port = await getFreePort();
		const {code, stdout} = await check(['--connect', `http://127.0.0.1:${port}`, '--prometheus', 'none']);
		expect(code).toBe(3);
		expect(stdout).toMatch(/^UNKNOWN: Kafka Connect REST unreachable: connection refused/);
	});

	it('exits 0 OK on the demo cluster at start', async () => {
		const {code, stdout} = await check(['--demo']);
		expect(code).toBe(0);
		expect(stdout).toMatch(/^OK: 4 connectors, 5 tasks, 3\/3 workers up \| /);
	});

	it('exits 2 CRITICAL on the 60-connector demo, and -o json gives the details with root causes', async () => {
		const {code, stdout} = await check(['--demo', '--scale', '60', '-o', 'json']);
		expect(code).toBe(2);
		const result = jsonResult.parse(JSON.parse(stdout));
		expect(result).toMatchObject({status: 'CRITICAL', exitCode: 2});
		const failed = result.findings.find(finding => finding.severity === 'failed');
		expect(failed?.cause).toMatch(/^ConnectException: /);
		expect(result.findings.map(finding => finding.status)).toEqual([...result.findings.map(finding => finding.status)].sort((a, b) => (a === b ? 0 : a === 'CRITICAL' ? -1 : 1)));
	});
});
