import {requestNeverWritten} from '../clients/connect/client.js';
import {isKctopError} from '../clients/errors.js';
import {verifyPlan, type ActionBatch, type ActionPlan, type ConnectorAction, type Verification} from '../model/action-plan.js';
import type {ClusterSnapshot} from '../model/types.js';
import {describeAction} from '../clients/connect/action-call.js';
import type {BatchOutcome, CallOutcome, ItemOutcome} from './types.js';

/** The part of the Connect client that changes connectors (structural, so tests pass a fake). */
export interface ActionApi {
	pause(name: string): Promise<ActionResultLike>;
	resume(name: string): Promise<ActionResultLike>;
	stop(name: string): Promise<ActionResultLike>;
	restartConnector(name: string, options: {readonly includeTasks: boolean; readonly onlyFailed: boolean}): Promise<ActionResultLike>;
	restartTask(name: string, task: number): Promise<ActionResultLike>;
}

export interface ActionResultLike {
	readonly status: number;
	readonly statusText: string;
}

export interface ActionRunnerOptions {
	readonly api: ActionApi;
	readonly clock: {now(): number};
	readonly readOnly: boolean;
	/** Turns a thrown client error into one line. */
	readonly describeError: (error: unknown) => string;
}

export interface ActionRunner {
	/** Sends the plans' calls in order, each at most once. Never throws; never sends while another batch is in flight. */
	runBatch(batch: ActionBatch): Promise<BatchOutcome>;
	/** The outcome with each connector's verification brought up to date by a new snapshot, or the same object when nothing changed. */
	verifyBatch(outcome: BatchOutcome | undefined, snapshot: ClusterSnapshot): BatchOutcome | undefined;
}

function send(api: ActionApi, call: ConnectorAction): Promise<ActionResultLike> {
	switch (call.kind) {
		case 'restart-connector':
			return api.restartConnector(call.connector, {includeTasks: call.includeTasks, onlyFailed: call.onlyFailed});
		case 'restart-task':
			return api.restartTask(call.connector, call.task);
		case 'pause':
			return api.pause(call.connector);
		case 'resume':
			return api.resume(call.connector);
		case 'stop':
			return api.stop(call.connector);
	}
}

function statusLine(result: ActionResultLike): string {
	return result.statusText.startsWith(String(result.status)) ? result.statusText : `${result.status} ${result.statusText}`.trim();
}

/**
 * Whether a failed write may still have been applied. An answer (any HTTP status) says it
 * was or was not; a refused connection, an unknown host or a TLS failure means nothing was
 * written. A timeout, a reset or a closed connection after the request went out leaves it
 * unknown.
 */
export function mayHaveLanded(error: unknown): boolean {
	if (!isKctopError(error)) return true;
	switch (error.kind) {
		case 'http':
		case 'auth':
		case 'config':
			return false;
		case 'connection':
			return !requestNeverWritten(error);
		default:
			return true;
	}
}

const unknownPrefix = 'unknown: may have been applied';

function itemOutcome(plan: ActionPlan, calls: readonly CallOutcome[], at: number, describeStop: string | undefined): ItemOutcome {
	const sent = calls.filter(call => call.result !== 'not-sent');
	const bad = calls.find(call => call.result === 'failed' || call.result === 'unknown');
	if (sent.length === 0) return {plan, calls, result: 'not-sent', ok: false, message: describeStop ?? 'not sent', at, verification: undefined};
	if (bad === undefined) {
		const answers = calls.map(call => call.text);
		const distinct = [...new Set(answers)];
		const message = calls.length === 1 || distinct.length !== 1 ? answers.join(', ') : `${calls.length} calls: ${distinct[0] ?? ''}`;
		return {plan, calls, result: 'applied', ok: true, message, at, verification: {status: 'waiting', text: 'waiting for the next refresh…'}};
	}
	const before = calls.indexOf(bad);
	const prefix = before === 0 ? '' : `${before} of ${calls.length} calls sent, then `;
	if (bad.result === 'unknown') {
		// Nobody knows whether it landed: the next refreshes say what the cluster shows.
		// The call itself is in the dialog and the audit log: the footer line keeps the reason short.
		const reason = bad.text.replace(/ \((?:POST|PUT|DELETE|GET) [^()]*\)$/, '');
		return {plan, calls, result: 'unknown', ok: false, message: `${unknownPrefix} (${prefix}${reason})`, at, verification: {status: 'waiting', text: 'checking the status…'}};
	}
	return {plan, calls, result: 'failed', ok: false, message: `${prefix}${bad.text}`, at, verification: undefined};
}

function batchMessage(batch: ActionBatch, items: readonly ItemOutcome[]): string {
	const [only] = items;
	if (only !== undefined && items.length === 1 && batch.refused.length === 0) return only.message;
	const count = (result: ItemOutcome['result']): number => items.filter(item => item.result === result).length;
	const parts = [
		count('applied') > 0 ? `${count('applied')} applied` : '',
		count('failed') > 0 ? `${count('failed')} failed` : '',
		count('unknown') > 0 ? `${count('unknown')} unknown (may have been applied)` : '',
		count('not-sent') > 0 ? `${count('not-sent')} not sent` : '',
		batch.refused.length > 0 ? `${batch.refused.length} refused` : '',
	].filter(part => part !== '');
	// The label says how many connectors ("restart failed on 3 connectors"); this says what became of them.
	return parts.join(', ');
}

/**
 * Sends actions (version-aware plans from model/action-plan.ts) and checks their result on
 * later refreshes. Rules that keep a call from ever being sent twice:
 * - one batch at a time: a second one while the first is in flight is refused;
 * - every call is sent once, never retried: a timeout or a connection lost after the
 *   request went out is "unknown: may have been applied", and the batch stops there
 *   (the rest is "not sent"); the next refreshes show what the cluster did.
 * A call that failed for sure (an HTTP error) skips the rest of that connector's calls;
 * the other connectors go ahead.
 */
export function createActionRunner(options: ActionRunnerOptions): ActionRunner {
	let busy = false;
	return {
		async runBatch(batch) {
			const at = options.clock.now();
			const refusedWhole = (message: string): BatchOutcome => ({
				batch,
				items: batch.plans.map(plan => itemOutcome(plan, plan.calls.map(call => ({call, ...describeAction(call), status: undefined, result: 'not-sent', text: message})), at, message)),
				ok: false,
				message,
				at,
			});
			if (options.readOnly) return refusedWhole('read-only mode: actions are disabled');
			if (busy) return refusedWhole('not sent: another action is still waiting for its answer');
			busy = true;
			try {
				const items: ItemOutcome[] = [];
				let stopped: string | undefined;
				for (const plan of batch.plans) {
					const calls: CallOutcome[] = [];
					let skipRest: string | undefined;
					for (const call of plan.calls) {
						const {method, path} = describeAction(call);
						const reason = stopped ?? skipRest;
						if (reason !== undefined) {
							calls.push({call, method, path, status: undefined, result: 'not-sent', text: `not sent: ${reason}`});
							continue;
						}
						try {
							const answer = await send(options.api, call);
							calls.push({call, method, path, status: answer.status, result: 'ok', text: statusLine(answer)});
						} catch (error) {
							const text = options.describeError(error);
							const status = isKctopError(error) ? error.status : undefined;
							if (mayHaveLanded(error)) {
								calls.push({call, method, path, status, result: 'unknown', text});
								stopped = `an earlier call (${method} ${path}) may have been applied: kctop sends nothing more`;
							} else {
								calls.push({call, method, path, status, result: 'failed', text});
								skipRest = `an earlier call of ${plan.intent.connector} failed`;
							}
						}
					}
					items.push(itemOutcome(plan, calls, options.clock.now(), stopped));
				}
				return {batch, items, ok: items.every(item => item.result === 'applied') && batch.refused.length === 0, message: batchMessage(batch, items), at: options.clock.now()};
			} finally {
				busy = false;
			}
		},
		verifyBatch(last, snapshot) {
			if (last === undefined || !last.items.some(item => item.verification?.status === 'waiting')) return last;
			let changed = false;
			const items = last.items.map(item => {
				if (item.verification?.status !== 'waiting') return item;
				const row = snapshot.connectors.find(each => each.name === item.plan.intent.connector);
				const checked = verifyPlan(item.plan, row, item.at, snapshot.takenAt);
				const verification: Verification = item.result === 'unknown' ? unknownVerification(checked) : checked;
				if (verification.status === item.verification.status && verification.text === item.verification.text) return item;
				changed = true;
				return {...item, verification};
			});
			return changed ? {...last, items} : last;
		},
	};
}

/** After an unknown outcome the status decides: the cluster shows it applied, or it does not (yet). */
function unknownVerification(checked: Verification): Verification {
	switch (checked.status) {
		case 'confirmed':
			return {status: 'confirmed', text: `the status shows it applied: ${checked.text}`};
		case 'failed':
			return {status: 'failed', text: `the status does not show it applied: ${checked.text}`};
		case 'waiting':
			return {status: 'waiting', text: `checking the status: ${checked.text}`};
	}
}
