/** "2s", "500ms", "1m30s", "5m", "1h", or a bare number of seconds → milliseconds; undefined when not a duration. */
export function parseDuration(text: string): number | undefined {
	const trimmed = text.trim();
	if (/^\d+(?:\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
	const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;
	let total = 0;
	let consumed = 0;
	let match: RegExpExecArray | null;
	while ((match = re.exec(trimmed)) !== null) {
		const value = Number(match[1]);
		const unit = match[2];
		total += value * (unit === 'ms' ? 1 : unit === 's' ? 1000 : unit === 'm' ? 60_000 : 3_600_000);
		consumed = re.lastIndex;
	}
	if (consumed === 0 || consumed !== trimmed.length) return undefined;
	return Math.round(total);
}

/** PromQL range duration for a number of ms (whole seconds, at least 1s). */
export function promDuration(ms: number): string {
	return `${Math.max(1, Math.round(ms / 1000))}s`;
}
