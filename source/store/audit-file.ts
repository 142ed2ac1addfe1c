import {appendFileSync, mkdirSync, renameSync, statSync} from 'node:fs';
import {userInfo} from 'node:os';
import {dirname, join} from 'node:path';
import {redactUrl} from '../clients/http.js';
import {scrubSecrets} from '../clients/secrets.js';
import {batchTargets} from '../model/action-plan.js';
import {stateDirectory} from './journal-file.js';
import type {BatchOutcome, ItemOutcome} from './types.js';

/**
 * The audit log: every action kctop sends, appended as one JSON object per line to
 * `$XDG_STATE_HOME/kctop/audit.log` (default `~/.local/state/kctop/audit.log`): when (UTC),
 * who (the OS user), which cluster (context and Connect URLs, credentials removed), every
 * call with its HTTP status and result, and the outcome; then, per connector, what the
 * refreshes after it showed. Each line passes the secret scrub (clients/secrets.ts) on
 * its way to disk. Bounded: past `maxBytes` the file is renamed to `audit.log.1` (the one
 * before is dropped) and a new one starts. It never throws: a disk problem becomes
 * `problem()`.
 */
export interface AuditSink {
	sent(outcome: BatchOutcome): void;
	/** A connector's action was confirmed or not by the refreshes after it. */
	verified(item: ItemOutcome, at: number): void;
	/** Why the last entry could not be written, if it could not. */
	problem(): string | undefined;
}

export interface AuditFile extends AuditSink {
	readonly path: string;
}

export interface AuditCluster {
	/** The context of the config file, when kctop runs with one. */
	readonly context: string | undefined;
	readonly connectUrls: readonly string[];
}

export function auditPath(env: NodeJS.ProcessEnv): string {
	return join(stateDirectory(env), 'audit.log');
}

/** The OS user running kctop (os.userInfo can throw when the uid has no passwd entry). */
export function currentUser(env: NodeJS.ProcessEnv): string {
	try {
		return userInfo().username;
	} catch {
		return env.USER ?? env.LOGNAME ?? 'unknown';
	}
}

function oneLine(error: unknown): string {
	return error instanceof Error ? (error.message.split('\n')[0] ?? error.name) : String(error);
}

/** The lines written for one batch: one object (pure, so tests read exactly what the file gets). */
export function sentEntry(outcome: BatchOutcome, who: {readonly user: string; readonly cluster: AuditCluster}): Record<string, unknown> {
	return {
		time: new Date(outcome.at).toISOString(),
		event: 'sent',
		user: who.user,
		cluster: {context: who.cluster.context ?? null, connect: who.cluster.connectUrls.map(url => redactUrl(url))},
		action: outcome.batch.kind,
		connectors: batchTargets(outcome.batch),
		calls: outcome.items.flatMap(item => item.calls.map(call => ({connector: item.plan.intent.connector, method: call.method, path: call.path, status: call.status ?? null, result: call.result, text: call.text}))),
		refused: outcome.batch.refused.map(item => ({connector: item.connector, reason: item.reason})),
		outcome: outcome.message,
		ok: outcome.ok,
	};
}

export function verifiedEntry(item: ItemOutcome, at: number, who: {readonly user: string; readonly cluster: AuditCluster}): Record<string, unknown> {
	return {
		time: new Date(at).toISOString(),
		event: 'verified',
		user: who.user,
		cluster: {context: who.cluster.context ?? null, connect: who.cluster.connectUrls.map(url => redactUrl(url))},
		action: item.plan.intent.kind,
		connector: item.plan.intent.connector,
		sent: item.result,
		status: item.verification?.status ?? null,
		text: item.verification?.text ?? null,
	};
}

export function openAuditFile(path: string, cluster: AuditCluster, options: {readonly maxBytes?: number; readonly user?: string} = {}): AuditFile {
	const maxBytes = options.maxBytes ?? 1_000_000;
	const who = {user: options.user ?? currentUser(process.env), cluster};
	let problem: string | undefined;
	const append = (entry: Record<string, unknown>): void => {
		try {
			mkdirSync(dirname(path), {recursive: true, mode: 0o700});
			let size = 0;
			try {
				size = statSync(path).size;
			} catch {
				// no file yet
			}
			if (size > maxBytes) renameSync(path, `${path}.1`);
			// The one door to disk: registered secrets and URL passwords are masked here too.
			appendFileSync(path, `${scrubSecrets(JSON.stringify(entry))}\n`, {mode: 0o600});
			problem = undefined;
		} catch (error) {
			problem = `audit log ${path}: ${oneLine(error)}`;
		}
	};
	return {
		path,
		sent: outcome => append(sentEntry(outcome, who)),
		verified: (item, at) => append(verifiedEntry(item, at, who)),
		problem: () => problem,
	};
}
