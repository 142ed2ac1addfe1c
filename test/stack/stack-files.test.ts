import {spawnSync} from 'node:child_process';
import {existsSync, readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {parse as parseYaml} from 'yaml';
import {describe, expect, it} from 'vitest';
import {z} from 'zod';
import {applyRules, parseJmxConfig} from '../../source/demo/jmx/rules.js';
import {referenceMBeans} from '../../source/demo/jmx/mbeans.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const read = (path: string): string => readFileSync(`${root}${path}`, 'utf8');

/** Runs a validator; a missing tool fails the test with the Debian package to install. */
function run(tool: string, debianPackage: string, args: readonly string[]): {status: number | null; output: string} {
	const result = spawnSync(tool, args, {cwd: root, encoding: 'utf8'});
	if (result.error !== undefined) {
		const missing = 'code' in result.error && result.error.code === 'ENOENT';
		throw new Error(missing ? `${tool} is not installed: apt-get install ${debianPackage}` : `${tool} failed to start: ${result.error.message}`);
	}
	return {status: result.status, output: `${result.stdout}${result.stderr}`};
}

/**
 * The compose command: Compose v2 (`docker compose`, all Docker Desktop has) where it works,
 * else v1 (`docker-compose`, Debian's package); a missing one fails with what to install.
 */
function composeCommand(): {tool: string; prefix: readonly string[]} {
	const v2 = spawnSync('docker', ['compose', 'version'], {encoding: 'utf8'});
	if (v2.error === undefined && v2.status === 0) return {tool: 'docker', prefix: ['compose']};
	return {tool: 'docker-compose', prefix: []};
}

const stringMap = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String));
const serviceSchema = z.looseObject({
	image: z.string().optional(),
	build: z.union([z.string(), z.looseObject({context: z.string()})]).optional(),
	environment: stringMap.optional(),
	ports: z.array(z.string()).optional(),
	volumes: z.array(z.string()).optional(),
	depends_on: z.record(z.string(), z.object({condition: z.string()})).optional(),
	healthcheck: z.looseObject({test: z.array(z.string())}).optional(),
	profiles: z.array(z.string()).optional(),
});
const composeSchema = z.looseObject({services: z.record(z.string(), serviceSchema)});
const prometheusSchema = z.looseObject({
	global: z.looseObject({scrape_interval: z.string()}),
	scrape_configs: z.array(
		z.looseObject({
			job_name: z.string(),
			metrics_path: z.string().optional(),
			static_configs: z.array(z.object({targets: z.array(z.string()), labels: z.record(z.string(), z.string()).optional()})),
		}),
	),
});
const connectorSchema = z.looseObject({name: z.string(), 'connector.class': z.string(), 'topic.prefix': z.string(), 'database.include.list': z.string(), 'database.server.id': z.string()});

// `<<` merges are resolved by the YAML library, as docker compose does.
const compose = composeSchema.parse(parseYaml(read('docker-compose.yml'), {merge: true}));
const prometheus = prometheusSchema.parse(parseYaml(read('prometheus.yml')));
const workers = Object.entries(compose.services).filter(([name]) => /^connect-\d+$/.test(name));

function hostPort(ports: readonly string[] | undefined, containerPort: number): number | undefined {
	for (const mapping of ports ?? []) {
		const match = /^(?:[\d.]+:)?(\d+):(\d+)(?:\/tcp)?$/.exec(mapping);
		if (match !== null && Number(match[2]) === containerPort) return Number(match[1]);
	}
	return undefined;
}

describe('prometheus.yml', () => {
	it('passes promtool check config', () => {
		const {status, output} = run('promtool', 'prometheus', ['check', 'config', 'prometheus.yml']);
		expect(output).toContain('SUCCESS');
		expect(status, output).toBe(0);
	});

	it('scrapes every few seconds: the three workers (with their REST worker_id) and Prometheus itself', () => {
		expect(prometheus.global.scrape_interval).toMatch(/^[1-9]s$|^1[0-5]s$/);
		const jobs = new Map(prometheus.scrape_configs.map((c) => [c.job_name, c]));
		expect(jobs.get('prometheus')?.static_configs.flatMap((s) => s.targets)).toEqual(['localhost:9090']);
		const connect = jobs.get('kafka-connect');
		expect(connect?.metrics_path ?? '/metrics').toBe('/metrics');
		const targets = connect?.static_configs.flatMap((s) => s.targets.map((t) => [t, s.labels?.worker_id] as const)) ?? [];
		expect(targets).toEqual([
			['connect-1:9404', 'connect-1:8083'],
			['connect-2:9404', 'connect-2:8083'],
			['connect-3:9404', 'connect-3:8083'],
		]);
	});
});

describe('docker-compose.yml', () => {
	it('passes `docker compose config -q` (v2, or docker-compose v1), with and without the extras profile', () => {
		const {tool, prefix} = composeCommand();
		for (const args of [['-f', 'docker-compose.yml', 'config', '-q'], ['-f', 'docker-compose.yml', '--profile', 'extras', 'config', '-q']]) {
			const {status, output} = run(tool, 'docker-compose (or the Docker Compose v2 plugin)', [...prefix, ...args]);
			expect(status, output).toBe(0);
		}
	});

	it('pins every image (a tag, never latest), the Connect base image and the java agent version', () => {
		const tagged = /^[\w.\-/]+(?::\d+)?\/?[\w.\-/]*:[\w][\w.-]*$/;
		for (const [name, service] of Object.entries(compose.services)) {
			expect(service.image, `${name} has no image`).toBeDefined();
			const image = service.image ?? '';
			expect(image, name).toMatch(tagged);
			expect(image.endsWith(':latest'), name).toBe(false);
		}
		const dockerfile = read('docker/connect/Dockerfile');
		const from = dockerfile.split('\n').filter((l) => l.startsWith('FROM '));
		expect(from).toHaveLength(1);
		expect(from[0]).toMatch(/^FROM quay\.io\/debezium\/connect:\d+\.\d+\.\d+\.Final$/);
		expect(dockerfile).toMatch(/^ARG JMX_EXPORTER_VERSION=1\.\d+\.\d+$/m);
	});

	it('downloads the java agent from its GitHub release (not Maven Central, where 1.1.0 and later are missing) and checks its sha256', () => {
		const dockerfile = read('docker/connect/Dockerfile');
		const version = /^ARG JMX_EXPORTER_VERSION=(\S+)$/m.exec(dockerfile)?.[1];
		const sha256 = /^ARG JMX_EXPORTER_SHA256=(\S+)$/m.exec(dockerfile)?.[1];
		expect(sha256).toMatch(/^[0-9a-f]{64}$/);
		// One download, from the release asset URL the jmx_exporter project publishes to.
		const urls = dockerfile.match(/https?:\/\/\S+/g) ?? [];
		expect(urls).toEqual(['https://github.com/prometheus/jmx_exporter/releases/download/${JMX_EXPORTER_VERSION}/jmx_prometheus_javaagent-${JMX_EXPORTER_VERSION}.jar']);
		expect(dockerfile).not.toContain('repo1.maven.org');
		// The RUN that downloads the jar fails the build unless sha256sum -c accepts it.
		const run = dockerfile.replace(/\\\n/g, ' ').split('\n').find(line => line.startsWith('RUN ') && line.includes('releases/download')) ?? '';
		const jar = '/kafka/jmx/jmx_prometheus_javaagent-${JMX_EXPORTER_VERSION}.jar';
		expect(run).toMatch(/curl -f\S* /);
		expect(run).toContain(`-o ${jar}`);
		expect(run).toContain(`&& echo "\${JMX_EXPORTER_SHA256}  ${jar}" | sha256sum -c -`);
		expect(run.indexOf('sha256sum -c')).toBeGreaterThan(run.indexOf('curl'));
		// The image tag names the agent version, so a changed version builds a new image.
		for (const [name, service] of workers) expect(service.image, name).toMatch(new RegExp(`-jmx${(version ?? '').replaceAll('.', '\\.')}$`));
	});

	it('runs three Connect workers in one group whose REST worker_ids match the Prometheus targets', () => {
		expect(workers.map(([name]) => name)).toEqual(['connect-1', 'connect-2', 'connect-3']);
		const groups = new Set(workers.map(([, s]) => s.environment?.GROUP_ID));
		expect(groups.size).toBe(1);
		const restPorts: number[] = [];
		const exporterPorts: number[] = [];
		const connectJob = prometheus.scrape_configs.find((c) => c.job_name === 'kafka-connect');
		for (const [name, service] of workers) {
			const env = service.environment ?? {};
			// The Debezium image derives rest.advertised.host.name from ADVERTISED_HOST_NAME.
			expect(env.ADVERTISED_HOST_NAME).toBe(name);
			expect(env.CONNECT_REST_ADVERTISED_HOST_NAME ?? name).toBe(name);
			const workerId = `${env.ADVERTISED_HOST_NAME}:${env.ADVERTISED_PORT}`;
			const agent = /-javaagent:(\S+?\.jar)=(\d+):(\S+)/.exec(env.KAFKA_OPTS ?? '');
			expect(agent, `${name} KAFKA_OPTS`).not.toBeNull();
			const exporterPort = Number(agent?.[2]);
			const target = connectJob?.static_configs.find((s) => s.targets.includes(`${name}:${exporterPort}`));
			expect(target?.labels?.worker_id, name).toBe(workerId);
			restPorts.push(hostPort(service.ports, Number(env.ADVERTISED_PORT)) ?? -1);
			exporterPorts.push(hostPort(service.ports, exporterPort) ?? -1);
			expect(service.depends_on?.kafka?.condition).toBe('service_healthy');
			expect(service.healthcheck?.test.join(' ')).toContain(`localhost:${exporterPort}/metrics`);
		}
		expect(restPorts).toEqual([8083, 8084, 8085]);
		expect(exporterPorts).toEqual([9404, 9405, 9406]);
	});

	it("starts the java agent with this repository's jmx-exporter-config.yml, mounted into every worker", () => {
		const dockerfile = read('docker/connect/Dockerfile');
		const version = /^ARG JMX_EXPORTER_VERSION=(\S+)$/m.exec(dockerfile)?.[1];
		for (const [name, service] of workers) {
			const agent = /-javaagent:(\S+?\.jar)=(\d+):(\S+)/.exec(service.environment?.KAFKA_OPTS ?? '');
			const [, jar = '', , configPath = ''] = agent ?? [];
			expect(jar, name).toBe(`/kafka/jmx/jmx_prometheus_javaagent-${version}.jar`);
			const mount = (service.volumes ?? []).map((v) => v.split(':')).find(([, target]) => target === configPath);
			expect(mount?.[0], `${name}: ${configPath} is not mounted`).toBe('./jmx-exporter-config.yml');
		}
		expect(existsSync(`${root}jmx-exporter-config.yml`)).toBe(true);
		// The mounted file is the one the engine tests check; it parses and produces the worker gauges.
		const samples = applyRules(parseJmxConfig(read('jmx-exporter-config.yml')), referenceMBeans());
		expect(samples.some((s) => s.name === 'kafka_connect_worker_connector_count')).toBe(true);
	});

	it('has MySQL with a FULL row binlog and GTIDs, seeded with databases test and other and a Debezium user', () => {
		const mysql = compose.services.mysql;
		const command = mysql?.command;
		const flags = z.array(z.string()).parse(command).join(' ');
		for (const flag of ['--binlog-format=ROW', '--binlog-row-image=FULL', '--gtid-mode=ON', '--enforce-gtid-consistency=ON', '--log-bin=']) expect(flags).toContain(flag);
		expect(flags).toMatch(/--server-id=\d+/);
		expect(mysql?.image).toMatch(/^mysql:8\./);
		const init = read('docker/mysql/init.sql');
		expect(init).toMatch(/CREATE DATABASE IF NOT EXISTS test;/);
		expect(init).toMatch(/CREATE DATABASE IF NOT EXISTS other;/);
		expect(init).toMatch(/GRANT SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, REPLICATION CLIENT.* TO 'debezium'@'%'/);
		// MySQL 8's default caching_sha2_password fails Debezium with "Public Key Retrieval is not allowed".
		expect(init).toMatch(/^CREATE USER IF NOT EXISTS 'debezium'@'%' IDENTIFIED WITH mysql_native_password BY '[^']+';$/m);
		expect(mysql?.volumes).toContain('./docker/mysql/init.sql:/docker-entrypoint-initdb.d/01-init.sql:ro');
	});

	it('runs Kafka in KRaft mode (no ZooKeeper)', () => {
		const kafka = compose.services.kafka;
		expect(kafka?.environment?.KAFKA_PROCESS_ROLES).toBe('broker,controller');
		expect(Object.keys(compose.services).some((n) => n.includes('zookeeper'))).toBe(false);
		expect(JSON.stringify(kafka)).not.toMatch(/zookeeper/i);
	});

	it('registers cdc-test-connector and cdc-other-connector once the workers are healthy', () => {
		const setup = compose.services.setup;
		for (const worker of ['connect-1', 'connect-2', 'connect-3']) expect(setup?.depends_on?.[worker]?.condition).toBe('service_healthy');
		const expected = {'cdc-test-connector': ['test', 'cdc-test'], 'cdc-other-connector': ['other', 'cdc-other']};
		const serverIds = new Set<string>();
		for (const [name, [database, prefix]] of Object.entries(expected)) {
			const config = connectorSchema.parse(JSON.parse(read(`docker/connect/${name}.json`)));
			expect(config).toMatchObject({name, 'connector.class': 'io.debezium.connector.mysql.MySqlConnector', 'database.include.list': database, 'topic.prefix': prefix});
			serverIds.add(config['database.server.id']);
			expect(setup?.volumes).toContain(`./docker/connect/${name}.json:/setup/${name}.json:ro`);
			expect(read('docker/connect/register-connectors.sh')).toContain(`/setup/${name}.json`);
		}
		expect(serverIds.size).toBe(2);
		expect(read('docker/connect/register-connectors.sh')).toContain('/connectors/${name}/config');
	});

	it('keeps Grafana, Kafka UI and kafka-exporter behind the extras profile', () => {
		for (const name of ['grafana', 'kafka-ui', 'kafka-exporter']) expect(compose.services[name]?.profiles).toEqual(['extras']);
		const core = Object.entries(compose.services).filter(([, s]) => s.profiles === undefined).map(([n]) => n);
		expect(core.sort()).toEqual(['connect-1', 'connect-2', 'connect-3', 'kafka', 'mysql', 'prometheus', 'setup']);
	});
});
