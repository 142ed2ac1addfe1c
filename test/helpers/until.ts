/**
 * Waits for a condition, never for a duration: polls `condition` on the event loop
 * until it holds, and fails with `what` only after a generous deadline (a guard
 * against a hang, not a timing assumption).
 */
export async function until(condition: () => boolean | Promise<boolean>, what: string, deadlineMs = 20_000): Promise<void> {
	const started = Date.now();
	while (!(await condition())) {
		if (Date.now() - started > deadlineMs) throw new Error(`still waiting after ${deadlineMs} ms: ${what}`);
		await new Promise(resolve => setTimeout(resolve, 10));
	}
}
