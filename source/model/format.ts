/**
 * Pure formatting of numbers for the grid, the detail view and `--once`. Every function
 * returns "-" for a value that is unknown or not finite, so callers never print NaN.
 */

const unknown = '-';

function isNumber(value: number | undefined): value is number {
	return value !== undefined && Number.isFinite(value);
}

/** 850 → "850ms", 12_400 → "12s", 184_000 → "3m4s", 7_500_000 → "2h5m", 3 days → "3d0h". */
export function formatDuration(ms: number | undefined): string {
	if (!isNumber(ms)) return unknown;
	const sign = ms < 0 ? '-' : '';
	const abs = Math.abs(ms);
	if (abs < 1000) return `${sign}${Math.round(abs)}ms`;
	const totalSeconds = Math.floor(abs / 1000);
	if (totalSeconds < 60) return `${sign}${totalSeconds}s`;
	const totalMinutes = Math.floor(totalSeconds / 60);
	if (totalMinutes < 60) return `${sign}${totalMinutes}m${totalSeconds % 60}s`;
	const totalHours = Math.floor(totalMinutes / 60);
	if (totalHours < 24) return `${sign}${totalHours}h${totalMinutes % 60}m`;
	return `${sign}${Math.floor(totalHours / 24)}d${totalHours % 24}h`;
}

/** How long a state has lasted, in its largest unit only ("45s", "14m", "3h", "2d"): short enough for a grid cell. */
export function formatSince(ms: number): string {
	const seconds = Math.max(0, Math.floor(ms / 1000));
	if (seconds < 60) return `${seconds}s`;
	if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
	if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h`;
	return `${Math.floor(seconds / 86_400)}d`;
}

/** Like formatDuration but in whole seconds at least ("0s", "34s", "3m4s"): for ages. */
export function formatAge(ms: number | undefined): string {
	if (!isNumber(ms)) return unknown;
	if (ms < 1000) return '0s';
	return formatDuration(ms);
}

const units = [
	{limit: 1e12, suffix: 'T'},
	{limit: 1e9, suffix: 'G'},
	{limit: 1e6, suffix: 'M'},
	{limit: 1e3, suffix: 'k'},
] as const;

/** 999 → "999", 1234 → "1.2k", 12_345 → "12.3k", 123_456 → "123k", 3_400_000 → "3.4M". */
export function formatCount(value: number | undefined): string {
	if (!isNumber(value)) return unknown;
	const sign = value < 0 ? '-' : '';
	const abs = Math.abs(value);
	for (const {limit, suffix} of units) {
		if (abs >= limit) {
			const scaled = abs / limit;
			const text = scaled >= 100 ? String(Math.round(scaled)) : trimZero(scaled.toFixed(1));
			return `${sign}${text}${suffix}`;
		}
	}
	return `${sign}${Math.round(abs)}`;
}

/** Records per second: 0.25 → "0.25", 2.5 → "2.5", 12 → "12", 1500 → "1.5k". */
export function formatRate(perSecond: number | undefined): string {
	if (!isNumber(perSecond)) return unknown;
	const abs = Math.abs(perSecond);
	if (abs === 0) return '0';
	if (abs < 1) return trimZero(perSecond.toFixed(2));
	if (abs < 10) return trimZero(perSecond.toFixed(1));
	return formatCount(perSecond);
}

/** Lag in its unit: milliseconds as a duration, records as a count ("1.2k rec"). */
export function formatLag(value: number | undefined, unit: 'ms' | 'records' | undefined): string {
	if (!isNumber(value)) return unknown;
	if (unit === 'records') return `${formatCount(value)} rec`;
	return formatDuration(value);
}

/** "io.debezium.connector.mysql.MySqlConnector" → "MySql"; keeps "Connector" when nothing else is left. */
export function shortClassName(className: string): string {
	const last = className.split('.').pop() ?? className;
	const inner = last.includes('$') ? (last.split('$').pop() ?? last) : last;
	const stripped = inner.replace(/Connector$/, '');
	return stripped === '' ? inner : stripped;
}

function trimZero(text: string): string {
	return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}
