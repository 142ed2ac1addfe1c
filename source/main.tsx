import meow, {type AnyFlags} from 'meow';
import {ConfigError, findUnknownFlag, flagSpecs, resolveConfig, type FlagSpec} from './config/config.js';
import {chooseContext} from './config/contexts.js';
import {helpText} from './help.js';
import {oneLine} from './clients/errors.js';
import {run} from './run.js';

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
	const cli = meow(helpText(process.stdout.isTTY === true ? process.stdout.columns : undefined), {
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
		process.stderr.write(`kctop: unexpected error: ${oneLine(error instanceof Error ? error.message : String(error))}\n`);
		process.exitCode = 1;
	},
);
