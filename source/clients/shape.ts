import {KctopError, oneLine, type ErrorSource} from './errors.js';

/**
 * Plain type checks for the large, regular parts of an answer (the rows of a Prometheus
 * result, the connectors of the REST expand body), where a zod pass over every element cost
 * more than the rest of a refresh at a thousand connectors. The envelope around them is
 * still checked with zod; these helpers give the same kind of error: a 'malformed'
 * KctopError naming the path (`data.result.3.metric.job: expected string, received number`).
 */

/** A part of an answer that is not the documented shape: where, and what was expected. */
export class ShapeError extends Error {
	constructor(
		readonly path: readonly (string | number)[],
		readonly problem: string,
	) {
		super(`${path.length === 0 ? '(root)' : path.join('.')}: ${problem}`);
	}

	/** The same error, seen from `outer` (the path is built only when something is wrong). */
	within(...outer: ReadonlyArray<string | number>): ShapeError {
		return new ShapeError([...outer, ...this.path], this.problem);
	}
}

function kindOf(value: unknown): string {
	return Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
}

export function expected(what: string, received: unknown, path: readonly (string | number)[] = []): ShapeError {
	return new ShapeError(path, `expected ${what}, received ${kindOf(received)}`);
}

export function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `read(value)`, its ShapeErrors placed under `key`. */
export function under<T>(key: string | number, value: unknown, read: (value: unknown) => T): T {
	try {
		return read(value);
	} catch (error) {
		throw error instanceof ShapeError ? error.within(key) : error;
	}
}

/** Sets a property that may be named `__proto__` as a plain property, never the prototype. */
export function setOwn<T>(target: Record<string, T>, key: string, value: T): void {
	if (key === '__proto__') Object.defineProperty(target, key, {value, enumerable: true, writable: true, configurable: true});
	else target[key] = value;
}

/** A ShapeError as the 'malformed' KctopError of an answer from `url`; anything else is rethrown as it is. */
export function malformed(error: unknown, source: ErrorSource, url: string, what: string): never {
	if (!(error instanceof ShapeError)) throw error;
	throw new KctopError({kind: 'malformed', source, url, message: `${what}unexpected response from ${url}: ${oneLine(error.message, 300)}`}, {cause: error});
}
