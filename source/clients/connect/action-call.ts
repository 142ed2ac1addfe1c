import type {ConnectorAction} from '../../model/action-plan.js';

/**
 * The exact REST call an action sends, shown in the confirmation dialog before
 * anything is sent (method and path with query, connector name path-encoded as sent).
 */
export function describeAction(action: ConnectorAction): {readonly method: string; readonly path: string} {
	const base = `/connectors/${encodeURIComponent(action.connector)}`;
	switch (action.kind) {
		case 'restart-connector':
			return {method: 'POST', path: `${base}/restart?includeTasks=${String(action.includeTasks)}&onlyFailed=${String(action.onlyFailed)}`};
		case 'restart-task':
			return {method: 'POST', path: `${base}/tasks/${action.task}/restart`};
		case 'pause':
			return {method: 'PUT', path: `${base}/pause`};
		case 'resume':
			return {method: 'PUT', path: `${base}/resume`};
		case 'stop':
			return {method: 'PUT', path: `${base}/stop`};
	}
}
