/**
 * Which REST features a simulated Kafka Connect version has (reference §4, "Since"
 * column): the demo answers like that version, so kctop's version-aware actions can be
 * tested without an old cluster.
 */

export interface ConnectVersion {
	/** As `GET /` reports it, e.g. "2.4.1". */
	readonly text: string;
	readonly major: number;
	readonly minor: number;
	readonly patch: number;
}

export const latestConnectVersion: ConnectVersion = {text: '3.9.0', major: 3, minor: 9, patch: 0};

export function parseConnectVersion(text: string): ConnectVersion | undefined {
	const match = /^(\d{1,2})\.(\d{1,2})\.(\d{1,3})$/.exec(text);
	if (!match) return undefined;
	return {text, major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3])};
}

function atLeast(version: ConnectVersion, major: number, minor: number): boolean {
	return version.major > major || (version.major === major && version.minor >= minor);
}

export interface RestFeatures {
	/** `?expand=status&expand=info` on `GET /connectors` (2.3, KIP-465); older workers ignore it. */
	readonly expand: boolean;
	/** `GET /connectors/{name}/topics` (2.5, KIP-558). */
	readonly topics: boolean;
	/** `includeTasks`/`onlyFailed` on `POST /connectors/{name}/restart` (3.0, KIP-745); older workers ignore both. */
	readonly restartOptions: boolean;
	/** The RESTARTING state (3.0). */
	readonly restartingState: boolean;
	/** `PUT /connectors/{name}/stop` and the STOPPED state (3.5, KIP-875). */
	readonly stop: boolean;
	/** `GET /connectors/{name}/offsets` (3.5, KIP-875). */
	readonly offsets: boolean;
	/** `GET /health` (3.9, KIP-1017). */
	readonly health: boolean;
}

export function restFeatures(version: ConnectVersion): RestFeatures {
	return {
		expand: atLeast(version, 2, 3),
		topics: atLeast(version, 2, 5),
		restartOptions: atLeast(version, 3, 0),
		restartingState: atLeast(version, 3, 0),
		stop: atLeast(version, 3, 5),
		offsets: atLeast(version, 3, 5),
		health: atLeast(version, 3, 9),
	};
}
