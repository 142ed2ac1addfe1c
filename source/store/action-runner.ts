import {verifyPlan, type ActionPlan, type ConnectorAction} from '../model/action-plan.js';
import type {ClusterSnapshot} from '../model/types.js';
import type {ActionOutcome} from './types.js';

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
	/** Sends the plan's calls in order and stops at the first error. Never throws; never sends while another plan is in flight. */
	run(plan: ActionPlan): Promise<ActionOutcome>;
	/** The outcome with its verification brought up to date by a new snapshot, or the same object when nothing changed. */
	verify(outcome: ActionOutcome | undefined, snapshot: ClusterSnapshot): ActionOutcome | undefined;
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
 * Sends actions (version-aware plans from model/action-plan.ts) and checks their result on
 * later refreshes. One plan at a time: a second one while the first is in flight is refused,
 * so key repeat or a double confirmation can never send a call twice.
 */
export function createActionRunner(options: ActionRunnerOptions): ActionRunner {
	let busy = false;
	return {
		async run(plan) {
			const at = options.clock.now();
			const outcome = (ok: boolean, message: string): ActionOutcome => ({plan, ok, message, at: options.clock.now(), verification: ok ? {status: 'waiting', text: 'waiting for the next refresh…'} : undefined});
			if (options.readOnly) return {plan, ok: false, message: 'read-only mode: actions are disabled', at, verification: undefined};
			if (busy) return {plan, ok: false, message: 'not sent: another action is still waiting for its answer', at, verification: undefined};
			busy = true;
			try {
				const answers: string[] = [];
				for (const [index, call] of plan.calls.entries()) {
					try {
						answers.push(statusLine(await send(options.api, call)));
					} catch (error) {
						const sent = index === 0 ? '' : `${index} of ${plan.calls.length} calls sent, then `;
						return outcome(false, `${sent}${options.describeError(error)}`);
					}
				}
				const distinct = [...new Set(answers)];
				return outcome(true, plan.calls.length === 1 || distinct.length !== 1 ? answers.join(', ') : `${plan.calls.length} calls: ${distinct[0] ?? ''}`);
			} finally {
				busy = false;
			}
		},
		verify(last, snapshot) {
			if (last === undefined || last.verification?.status !== 'waiting') return last;
			const row = snapshot.connectors.find(each => each.name === last.plan.intent.connector);
			const verification = verifyPlan(last.plan, row, last.at, snapshot.takenAt);
			if (verification.status === last.verification.status && verification.text === last.verification.text) return last;
			return {...last, verification};
		},
	};
}
