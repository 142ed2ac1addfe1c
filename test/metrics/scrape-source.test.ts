import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {KctopError} from '../../source/clients/errors.js';
import type {ScrapeClient, ScrapeOutcome} from '../../source/clients/scrape/client.js';
import type {ParsedExposition} from '../../source/clients/scrape/types.js';
import {parseExposition} from '../../source/clients/scrape/parser.js';
import {renderExposition} from '../../source/demo/jmx/exposition.js';
import {referenceMBeans} from '../../source/demo/jmx/mbeans.js';
import {applyRules, parseJmxConfig} from '../../source/demo/jmx/rules.js';
import {emptyCounterState, evaluateScrapes} from '../../source/metrics/evaluate-samples.js';
import {catchAllProfile} from '../../source/metrics/profiles/catch-all.js';
import {defaultProfile} from '../../source/metrics/profiles/default.js';
import {profiles} from '../../source/metrics/profiles/index.js';
import {strimziProfile} from '../../source/metrics/profiles/strimzi.js';
import {createScrapeSource} from '../../source/metrics/scrape-source.js';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/metrics/${name}`, import.meta.url), 'utf8');

const endpoints = [
	{url: 'http://connect-1:9404/metrics', instance: 'connect-1:9404'},
	{url: 'http://connect-2:9404/metrics', instance: 'connect-2:9404'},
] as const;

type Plan = readonly (string | KctopError)[];

/** A scrape client that answers round N with plans[N]: a fixture file name per endpoint, or an error. */
function fakeScrapeClient(plans: readonly Plan[]): ScrapeClient & {closed: boolean; rounds: number} {
	return {
		urls: endpoints.map((endpoint) => endpoint.url),
		closed: false,
		rounds: 0,
		async scrapeAll(now: number): Promise<readonly ScrapeOutcome[]> {
			const plan = plans[this.rounds] ?? [];
			this.rounds += 1;
			return endpoints.map((endpoint, index): ScrapeOutcome => {
				const step = plan[index];
				if (step === undefined || step instanceof KctopError) {
					return {...endpoint, error: step ?? new KctopError({kind: 'connection', source: 'scrape', message: 'no plan'})};
				}

				return {...endpoint, result: {url: endpoint.url, instance: endpoint.instance, at: now, exposition: parseExposition(fixture(step))}};
			});
		},
		async close() {
			this.closed = true;
		},
	};
}

const refused = (host: string): KctopError => new KctopError({kind: 'connection', source: 'scrape', message: `connect ECONNREFUSED ${host}`});
const t0 = 1_700_000_000_000;

describe('createScrapeSource', () => {
	it('evaluates the profile over every endpoint and keeps counters between fetches for rates', async () => {
		const client = fakeScrapeClient([
			['worker-1-t0.prom', 'worker-2-t0.prom'],
			['worker-1-t1.prom', 'worker-2-t1.prom'],
		]);
		const source = createScrapeSource({client, profile: defaultProfile});
		expect(source.kind).toBe('scrape');
		expect(source.description).toBe('scrape of 2 endpoints');

		const first = await source.fetch(t0);
		expect(first.results.get('recordRate')).toEqual([]);
		expect(first.empty).toContain('recordRate');
		expect(first.results.get('sinkLag')).toEqual([{labels: {connector: 'my:sink'}, value: 42}]);
		expect(first.warnings).toEqual([]);
		expect(first.endpoint).toBe('http://connect-1:9404/metrics,http://connect-2:9404/metrics');

		const second = await source.fetch(t0 + 10_000);
		expect(second.results.get('recordRate')).toEqual([
			{labels: {connector: 'cdc-test-connector'}, value: 120},
			{labels: {connector: 'my:sink'}, value: 10},
		]);
		expect(second.results.get('dbzEventsRate')).toEqual([
			{labels: {server: 'test'}, value: 60},
			{labels: {server: 'other'}, value: 5},
		]);
	});

	it('counts a failed endpoint as down with a one-line warning', async () => {
		const client = fakeScrapeClient([['worker-1-t0.prom', refused('10.0.0.2:9404')]]);
		const fetched = await createScrapeSource({client, profile: defaultProfile}).fetch(t0);
		expect(fetched.results.get('workerUp')).toEqual([
			{labels: {instance: 'connect-1:9404'}, value: 1},
			{labels: {instance: 'connect-2:9404'}, value: 0},
		]);
		expect(fetched.warnings).toEqual(['connect-2:9404: connect ECONNREFUSED 10.0.0.2:9404']);
		expect(fetched.endpoint).toBe('http://connect-1:9404/metrics');
		expect(fetched.results.get('sinkLag')).toEqual([{labels: {connector: 'my:sink'}, value: Number.NaN}]);
	});

	it('throws a connection KctopError naming the count and the first reason when every endpoint fails', async () => {
		const client = fakeScrapeClient([[refused('10.0.0.1:9404'), new KctopError({kind: 'timeout', source: 'scrape', message: 'timed out after 5000 ms'})]]);
		const fetching = createScrapeSource({client, profile: defaultProfile}).fetch(t0);
		await expect(fetching).rejects.toBeInstanceOf(KctopError);
		await expect(fetching).rejects.toMatchObject({
			kind: 'connection',
			source: 'scrape',
			isRetryable: true,
			message: 'all 2 scrape endpoints failed; first: connect-1:9404: connect ECONNREFUSED 10.0.0.1:9404',
		});
	});

	it('reports unparsable lines of an endpoint as one warning line', async () => {
		const client: ScrapeClient = {
			urls: ['http://w:1/metrics'],
			async scrapeAll(now) {
				return [{url: 'http://w:1/metrics', instance: 'w:1', result: {url: 'http://w:1/metrics', instance: 'w:1', at: now, exposition: parseExposition('kafka_connect_worker_task_count 3\nbroken{ 1\nalso broken\n')}}];
			},
			async close() {},
		};
		const fetched = await createScrapeSource({client, profile: defaultProfile}).fetch(t0);
		expect(fetched.warnings).toHaveLength(1);
		expect(fetched.warnings[0]).toMatch(/^w:1: 2 unparsable lines \(/);
		expect(fetched.results.get('workerTaskCount')).toEqual([{labels: {instance: 'w:1'}, value: 3}]);
	});

	it('has no history to fetch and closes its client', async () => {
		const client = fakeScrapeClient([]);
		const source = createScrapeSource({client, profile: defaultProfile});
		expect((await source.fetchHistory(t0, 60_000, 1000)).size).toBe(0);
		expect(client.rounds).toBe(0);
		await source.close();
		expect(client.closed).toBe(true);
	});
});

/** A scrape client that answers round N with rounds[N]: one exposition text per endpoint, parsed with the `keep` it is given. */
function textScrapeClient(rounds: readonly (readonly string[])[], expositions: ParsedExposition[] = []): ScrapeClient {
	let round = 0;
	return {
		urls: endpoints.map((endpoint) => endpoint.url),
		async scrapeAll(now: number, _signal?: AbortSignal, keep?: (name: string) => boolean): Promise<readonly ScrapeOutcome[]> {
			const texts = rounds[Math.min(round, rounds.length - 1)] ?? [];
			round += 1;
			return endpoints.map((endpoint, index): ScrapeOutcome => {
				const exposition = parseExposition(texts[index] ?? '', keep === undefined ? {} : {keep});
				expositions.push(exposition);
				return {...endpoint, result: {url: endpoint.url, instance: endpoint.instance, at: now, exposition}};
			});
		},
		async close() {},
	};
}

const rulesText = (file: string): string => renderExposition(applyRules(parseJmxConfig(readFileSync(new URL(`../fixtures/mbeans/exporter-rules/${file}`, import.meta.url), 'utf8')), referenceMBeans()));

describe('profile detection in direct-scrape mode', () => {
	it('picks the profile from the names scraped and reads with it', async () => {
		const catchAll = rulesText('default-catchall.yml');
		const fetched = await createScrapeSource({client: textScrapeClient([[catchAll, catchAll]]), profile: profiles}).fetch(t0);
		expect(fetched.profile?.profile.name).toBe('catch-all');
		expect(fetched.profile?.resolved).toHaveLength(15);
		expect(fetched.results.get('sinkLag')).toEqual([{labels: {connector: 'my-sink'}, value: 42}]);
		expect(fetched.results.get('workerConnectorCount')).toEqual([
			{labels: {instance: 'connect-1:9404'}, value: 2},
			{labels: {instance: 'connect-2:9404'}, value: 2},
		]);
	});

	it('parses on the first scrape only what some candidate profile reads, then only what the chosen one reads', async () => {
		const strimzi = rulesText('strimzi-metrics-config.yml');
		const expositions: ParsedExposition[] = [];
		const source = createScrapeSource({client: textScrapeClient([[strimzi, strimzi]], expositions), profile: profiles});
		const first = await source.fetch(t0);
		const second = await source.fetch(t0 + 1000);
		expect(second.profile?.profile.name).toBe('strimzi');
		const everything = parseExposition(strimzi);
		const [firstRound, , secondRound] = expositions;
		// Nothing a profile reads is lost on the first scrape, and every name is still listed for detection.
		const full = evaluateScrapes(strimziProfile, endpoints.map((endpoint) => ({instance: endpoint.instance, up: true, samples: everything.samples, at: t0})), emptyCounterState);
		expect(first.results).toEqual(full.results);
		expect(firstRound?.names).toEqual(everything.names);
		expect(firstRound?.skipped).toBeGreaterThan(0);
		expect(firstRound?.samples.length).toBeLessThan(everything.samples.length);
		expect(secondRound?.samples.length).toBeLessThanOrEqual(firstRound?.samples.length ?? 0);
	});

	it('keeps detecting until Connect series show up, then keeps its choice', async () => {
		const strimzi = rulesText('strimzi-metrics-config.yml');
		const confluent = rulesText('confluent-kafka_connect.yml');
		const source = createScrapeSource({client: textScrapeClient([['', ''], [strimzi, ''], [confluent, confluent]]), profile: profiles});
		const first = await source.fetch(t0);
		expect(first.profile?.resolved).toEqual(['workerUp']);
		expect((await source.fetch(t0 + 1000)).profile?.profile.name).toBe('strimzi');
		expect((await source.fetch(t0 + 2000)).profile?.profile.name).toBe('strimzi');
	});

	it('scores a forced profile against the names scraped', async () => {
		const strimzi = rulesText('strimzi-metrics-config.yml');
		const fetched = await createScrapeSource({client: textScrapeClient([[strimzi, strimzi]]), profile: catchAllProfile}).fetch(t0);
		expect(fetched.profile).toMatchObject({profile: catchAllProfile, detected: false});
		expect(fetched.profile?.missing.map((missing) => missing.metric)).toContain('recordErrors');
		expect(fetched.results.get('recordErrors')).toEqual([]);
	});
});
