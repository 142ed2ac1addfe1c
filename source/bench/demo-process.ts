import {spawn, type ChildProcess} from 'node:child_process';
import * as z from 'zod';
import {lineReader} from './line-reader.js';

/**
 * The demo simulator as its own process (dist/demo/demo-server.js), as end-to-end tests and
 * the bench run it: started with the same Node binary, its URLs read from the JSON line it
 * prints first.
 */

const demoLine = z.object({
	restUrls: z.array(z.string()),
	metricsUrls: z.array(z.string()),
	workers: z.array(z.object({id: z.string(), restUrl: z.string(), metricsUrl: z.string()})),
	/** The simulator's control endpoint (faults, clock), when it has one. */
	controlUrl: z.string().optional(),
	/** The Prometheus fault proxy (--prometheus-proxy-port), when it has one. */
	prometheusUrl: z.string().optional(),
});
export type DemoInfo = z.infer<typeof demoLine>;

export interface DemoProcess {
	readonly info: DemoInfo;
	readonly process: ChildProcess;
	stop(): Promise<void>;
}

export async function startDemoProcess(script: string, args: readonly string[] = []): Promise<DemoProcess> {
	const child = spawn(process.execPath, [script, ...args], {stdio: ['ignore', 'pipe', 'pipe']});
	let stderr = '';
	child.stderr?.on('data', (chunk: Buffer) => {
		stderr += chunk.toString();
	});
	const exited = new Promise<void>(resolve => child.once('exit', () => resolve()));
	const first = await lineReader(child.stdout!, () => `demo-server exited with ${String(child.exitCode)}: ${stderr.trim()}`)();
	const info = demoLine.parse(JSON.parse(first));
	return {
		info,
		process: child,
		async stop() {
			if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
			await exited;
		},
	};
}
