import {describeAction} from '../clients/connect/action-call.js';
import type {ConnectorAction} from './types.js';

/** The calls of a plan in one short phrase: "POST /connectors/x/restart…", or "3 calls". */
export function describeCalls(calls: readonly ConnectorAction[]): string {
	const [first] = calls;
	if (first === undefined || calls.length > 1) return `${calls.length} calls`;
	const {method, path} = describeAction(first);
	return `${method} ${path}`;
}
