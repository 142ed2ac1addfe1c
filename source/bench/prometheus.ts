import {spawn} from 'node:child_process';
import {access, constants, mkdir, mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import {stringify} from 'yaml';
import * as z from 'zod';
import {backfill, scrapeTargetsForBackfill, type BackfillStats} from './backfill.js';
import {getFreePort} from './free-port.js';

/**
 * A real Prometheus (Debian's `prometheus` package) for integration tests and the bench: a plain
 * process on a free loopback port, with a generated config and its TSDB in a temp dir.
 */

export const prometheusBinary = process.env['KCTOP_TEST_PROMETHEUS'] ?? '/usr/bin/prometheus';

export interface ScrapeTargetGroup {
	readonly job: string;
	/** host:port of each endpoint (the path is /metrics). */
	readonly targets: readonly string[];
	readonly labels?: Readonly<Record<string, string>>;
}

export interface StartPrometheusOptions {
	readonly scrapeTargets: readonly ScrapeTargetGroup[];
	readonly scrapeIntervalSeconds?: number;
	/** How long to wait for /-/ready. */
	readonly readyTimeoutMs?: number;
	/** Path of the prometheus binary; default /usr/bin/prometheus (or $KCTOP_TEST_PROMETHEUS). */
	readonly binary?: string;
	/**
	 * History to write into the TSDB before Prometheus starts (backfill.ts): the series `keep`
	 * names, of every target as it answers now, under the labels Prometheus's scrape gives them,
	 * one sample per scrape interval over `spanMs` up to now.
	 */
	readonly history?: {readonly spanMs: number; readonly keep: (name: string) => boolean};
}

export interface RunningPrometheus {
	readonly url: string;
	/** Kills the process (SIGTERM, then SIGKILL) and removes the temp dir. Safe to call twice. */
	stop(): Promise<void>;
	/** What the history backfill wrote (undefined without `history`). */
	readonly backfilled: BackfillStats | undefined;
	/** Resolves once at least `n` active targets report health "up". */
	waitForTargetsUp(n: number, timeoutMs: number): Promise<void>;
	/** Resolves once the instant query returns at least one series. */
	waitForSeries(promql: string, timeoutMs: number): Promise<void>;
}

const targetsSchema = z.object({
	status: z.literal('success'),
	data: z.object({activeTargets: z.array(z.object({health: z.string(), lastError: z.string().optional(), scrapeUrl: z.string().optional()}))}),
});

const querySchema = z.object({
	status: z.literal('success'),
	data: z.object({resultType: z.string(), result: z.array(z.unknown())}),
});

const pollIntervalMs = 100;

async function pollUntil(what: string, timeoutMs: number, check: () => Promise<boolean>, describe: () => string): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (await check()) {
			return;
		}

		if (Date.now() >= deadline) {
			throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${describe()}`);
		}

		await sleep(pollIntervalMs);
	}
}

/** The JSON at url; null when it does not answer in time (a Prometheus busy ingesting large scrapes: "not yet"). */
async function getJson(url: string): Promise<unknown> {
	try {
		const response = await fetch(url, {signal: AbortSignal.timeout(2000)});
		return await response.json();
	} catch {
		return null;
	}
}

export async function startPrometheus(options: StartPrometheusOptions): Promise<RunningPrometheus> {
	const binary = options.binary ?? prometheusBinary;
	try {
		await access(binary, constants.X_OK);
	} catch {
		throw new Error(`no Prometheus binary at ${binary}: install Debian's prometheus package (apt-get install prometheus)`);
	}

	const interval = `${options.scrapeIntervalSeconds ?? 1}s`;
	const dir = await mkdtemp(join(tmpdir(), 'kctop-prometheus-'));
	const config = {
		global: {scrape_interval: interval, scrape_timeout: interval, evaluation_interval: interval},
		// Groups of the same job share one scrape config (Prometheus rejects duplicate job names).
		scrape_configs: [...new Set(options.scrapeTargets.map((group) => group.job))].map((job) => ({
			job_name: job,
			static_configs: options.scrapeTargets
				.filter((group) => group.job === job)
				.map((group) => ({targets: [...group.targets], ...(group.labels === undefined ? {} : {labels: {...group.labels}})})),
		})),
	};
	const configFile = join(dir, 'prometheus.yml');
	await writeFile(configFile, stringify(config));

	const dataDir = join(dir, 'data');
	let backfilled: BackfillStats | undefined;
	if (options.history !== undefined) {
		const {spanMs, keep} = options.history;
		try {
			await mkdir(dataDir);
			const targets = await scrapeTargetsForBackfill(options.scrapeTargets, 300_000);
			backfilled = await backfill({targets, keep, span: {endMs: Date.now(), spanMs, intervalMs: (options.scrapeIntervalSeconds ?? 1) * 1000}, dataDir, workDir: dir});
		} catch (error) {
			await rm(dir, {recursive: true, force: true});
			throw error;
		}
	}

	const port = await getFreePort();
	const url = `http://127.0.0.1:${port}`;
	const child = spawn(
		binary,
		[
			`--config.file=${configFile}`,
			`--storage.tsdb.path=${dataDir}`,
			`--web.listen-address=127.0.0.1:${port}`,
			'--log.level=warn',
		],
		{cwd: dir, stdio: ['ignore', 'ignore', 'pipe']},
	);
	let stderr = '';
	child.stderr.setEncoding('utf8');
	child.stderr.on('data', (chunk: string) => {
		stderr = (stderr + chunk).slice(-4000);
	});
	let exited = false;
	const exitedPromise = new Promise<void>((resolve) => {
		child.once('exit', () => {
			exited = true;
			resolve();
		});
	});
	const spawnError = new Promise<Error>((resolve) => {
		child.once('error', resolve);
	});

	let stopped = false;
	const stop = async (): Promise<void> => {
		if (!stopped) {
			stopped = true;
			if (!exited) {
				child.kill('SIGTERM');
				const killed = await Promise.race([exitedPromise.then(() => true), sleep(5000).then(() => false)]);
				if (!killed) {
					child.kill('SIGKILL');
					await exitedPromise;
				}
			}
		}

		await rm(dir, {recursive: true, force: true});
	};

	const tail = (): string => (stderr.trim() === '' ? '' : `; prometheus said: ${stderr.trim().split('\n').slice(-3).join(' | ')}`);

	try {
		let failure: Error | undefined;
		void spawnError.then((error) => {
			failure = error;
		});
		await pollUntil(
			`Prometheus to be ready at ${url}`,
			options.readyTimeoutMs ?? 15_000,
			async () => {
				if (failure !== undefined) {
					throw new Error(`could not start ${binary}: ${failure.message}`);
				}

				if (exited) {
					throw new Error(`Prometheus exited before it was ready${tail()}`);
				}

				try {
					const response = await fetch(`${url}/-/ready`, {signal: AbortSignal.timeout(1000)});
					await response.arrayBuffer();
					return response.ok;
				} catch {
					return false;
				}
			},
			tail,
		);
	} catch (error) {
		await stop();
		throw error;
	}

	let lastTargets = '';
	let lastQuery = '';
	return {
		url,
		stop,
		backfilled,
		async waitForTargetsUp(n: number, timeoutMs: number): Promise<void> {
			await pollUntil(
				`${n} target(s) up`,
				timeoutMs,
				async () => {
					const parsed = targetsSchema.safeParse(await getJson(`${url}/api/v1/targets?state=active`));
					if (!parsed.success) {
						return false;
					}

					const targets = parsed.data.data.activeTargets;
					lastTargets = targets.map((target) => `${target.scrapeUrl ?? '?'} ${target.health} ${target.lastError ?? ''}`.trim()).join(', ');
					return targets.filter((target) => target.health === 'up').length >= n;
				},
				() => ` (targets: ${lastTargets || 'none'})`,
			);
		},
		async waitForSeries(promql: string, timeoutMs: number): Promise<void> {
			await pollUntil(
				`a series for ${promql}`,
				timeoutMs,
				async () => {
					const json = await getJson(`${url}/api/v1/query?query=${encodeURIComponent(promql)}`);
					const parsed = querySchema.safeParse(json);
					lastQuery = JSON.stringify(json).slice(0, 300);
					return parsed.success && parsed.data.data.result.length > 0;
				},
				() => ` (last answer: ${lastQuery})`,
			);
		},
	};
}
