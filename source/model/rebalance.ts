import type {SourceHealth} from './types.js';

/**
 * Whether Connect's last answer was 409 Conflict, which it gives while the group rebalances
 * (or a config change is in flight). The error text is the client's `409 Conflict: <reason>`.
 */
export function restAnswersConflict(rest: SourceHealth): boolean {
	return rest.consecutiveFailures > 0 && /^409\b/.test(rest.lastError ?? '');
}
