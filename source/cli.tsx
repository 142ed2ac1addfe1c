#!/usr/bin/env node
import meow, {type AnyFlags} from 'meow';
import {ConfigError, findUnknownFlag, flagSpecs, kebab, resolveConfig, type FlagSpec} from './config/config.js';
import {chooseContext} from './config/contexts.js';
import {run} from './run.js';

const examples = `
  Examples
    $ kctop --connect http://connect-1:8083,http://connect-2:8083 --prometheus http://prom:9090
    $ kctop --connect http://c1:8083 --scrape http://c1:9404/metrics,http://c2:9404/metrics
    $ kctop --once -o json | jq '.connectors[] | select(.health != "ok") | .name'
    $ kctop check --max-lag 30s || page-someone
    $ kctop --demo
`;

function helpText(): string {
	const rows = Object.entries(flagSpecs).map(([name, raw]) => {
		const spec: FlagSpec = raw;
		const flag = `${spec.shortFlag ? `-${spec.shortFlag}, ` : ''}--${kebab(name)}${spec.kind === 'boolean' ? '' : ` ${spec.placeholder ?? 'VALUE'}`}`;
		const fallback = spec.default === undefined || spec.default === false || spec.default === '' ? '' : ` (default: ${String(spec.default)})`;
		return {flag, text: `${spec.description}${fallback}; env ${spec.env}`};
	});
	const width = Math.max(...rows.map(r => r.flag.length)) + 2;
	return `
  top for Kafka Connect: a live view of workers, connectors, tasks, Debezium
  connection and lag, and record errors, from the Connect REST API and Prometheus.

  Usage
    $ kctop [options]          live view (one snapshot when stdout is not a terminal)
    $ kctop check [options]    Nagios/Icinga plugin: exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN

  Options
${rows.map(r => `    ${r.flag.padEnd(width)}${r.text}`).join('\n')}
    --help${' '.repeat(width - 6)}show this help
    --version${' '.repeat(width - 9)}show the version
${examples}
  Keys: ? in the running program lists them all.
`;
}

const meowFlags: AnyFlags = Object.fromEntries(
	Object.entries(flagSpecs).map(([name, raw]) => {
		const spec: FlagSpec = raw;
		// Defaults are applied by resolveConfig (after the environment), not by meow.
		return [name, {type: spec.kind, ...(spec.shortFlag ? {shortFlag: spec.shortFlag} : {}), ...(spec.isMultiple ? {isMultiple: true} : {})}];
	}),
);

async function main(): Promise<number> {
	const unknown = findUnknownFlag(process.argv.slice(2));
	if (unknown !== undefined) {
		process.stderr.write(`kctop: unknown flag ${JSON.stringify(unknown)} (see kctop --help)\n`);
		return 2;
	}
	const cli = meow(helpText(), {
		importMeta: import.meta,
		flags: meowFlags,
		allowUnknownFlags: false,
		description: false,
		booleanDefault: undefined,
	});
	const [command, ...rest] = cli.input;
	if ((command !== undefined && command !== 'check') || rest.length > 0) {
		process.stderr.write(`kctop: unexpected argument ${JSON.stringify(command === 'check' ? rest[0] : command)} (the only command is \`check\`; see kctop --help)\n`);
		return 2;
	}
	let config;
	try {
		const context = cli.flags['demo'] === true ? undefined : chooseContext(cli.flags, process.env);
		if (context?.warning !== undefined) process.stderr.write(`kctop: warning: ${context.warning}\n`);
		config = resolveConfig(cli.flags, {env: process.env, stdoutIsTTY: process.stdout.isTTY === true, stdinIsTTY: process.stdin.isTTY === true, ...(command === 'check' ? {command} : {}), ...(context === undefined ? {} : {context})});
	} catch (error) {
		if (error instanceof ConfigError) {
			process.stderr.write(`kctop: ${error.message}\n`);
			return 2;
		}
		throw error;
	}
	const environment = {env: process.env, stdoutIsTTY: process.stdout.isTTY === true, stdinIsTTY: process.stdin.isTTY === true};
	const flags = cli.flags;
	const reconfigure = (name: string) => {
		const context = chooseContext(flags, process.env, name);
		return resolveConfig(flags, {...environment, ...(context === undefined ? {} : {context})});
	};
	return run(config, {stdout: process.stdout, stderr: process.stderr, stdin: process.stdin}, {reconfigure});
}

main().then(
	code => {
		process.exitCode = code;
	},
	(error: unknown) => {
		process.stderr.write(`kctop: unexpected error: ${error instanceof Error ? error.message : String(error)}\n`);
		process.exitCode = 1;
	},
);
