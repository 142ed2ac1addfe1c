import {planAction, type ActionIntent, type ActionPlan, type ConnectorAction} from '../../source/model/action-plan.js';
import type {ConnectorRow} from '../../source/model/types.js';

/** The plan kctop makes for an intent (throws when it refuses, with the reason). */
export function planFor(intent: ActionIntent, row: ConnectorRow, version: string | undefined): ActionPlan {
	const plan = planAction(intent, row, version);
	if (typeof plan === 'string') throw new Error(plan);
	return plan;
}

/** A plan of exactly one call, expecting nothing in particular (for store and client tests). */
export function onePlan(call: ConnectorAction): ActionPlan {
	const none = {connector: undefined, tasks: [], taskState: undefined};
	switch (call.kind) {
		case 'restart-connector':
			return {intent: {kind: call.onlyFailed ? 'restart-failed' : 'restart-all', connector: call.connector}, calls: [call], note: undefined, expect: none};
		default:
			return {intent: call, calls: [call], note: undefined, expect: none};
	}
}
