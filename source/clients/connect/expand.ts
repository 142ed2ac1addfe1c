import {expected, isRecord, setOwn, ShapeError, under} from '../shape.js';
import type {ConnectorsExpanded} from './schemas.js';

/**
 * `GET /connectors?expand=status&expand=info`, checked with plain type checks against exactly
 * what connectorsExpandedSchema accepts (schemas.ts, the reference; test/clients/connect-expand.test.ts
 * holds the two to the same output): unknown fields kept, a null config value read as '', a
 * body of the wrong shape a ShapeError naming the path. It is the one body read on every
 * refresh, and zod over a thousand connectors cost several times the JSON.parse of it.
 *
 * The body is checked where it lies and handed back: JSON.parse made it for this call alone, so
 * nothing is copied (a copy of every object was most of the reader's cost, and garbage on every
 * refresh). The one change made to it is a null config value written as ''. A connector named
 * `__proto__` is kept (JSON.parse makes it a plain property; zod's record dropped it).
 *
 * The other change: JSON.parse makes a string for every value, and the body repeats the same
 * values thousands of times (each task's state and worker, each connector's class and
 * converters in its config), all kept for as long as the body is the cluster's state. The
 * walk writes the first copy of each over the others, for the instance states and workers, the
 * types, the connectors' names (the first copy is the body's key) and the config values. A heap
 * snapshot at 10,009 connectors held 42,508 copies of "RUNNING" and 13,500 of each worker id.
 */
export function readConnectorsExpanded(json: unknown): ConnectorsExpanded {
	const before = shared;
	shared = new Map();
	try {
		checkExpanded(json);
	} finally {
		shared = before;
	}
	return json;
}

/** The texts of the body being read, one copy of each (readConnectorsExpanded). */
let shared = new Map<string, string>();

/** `record[key]`, a string (else a ShapeError at `key`), written over with the body's first copy of its text. */
function sharedText(record: Record<string, unknown>, key: string): void {
	const value = record[key];
	if (typeof value !== 'string') throw expected('string', value, [key]);
	const known = shared.get(value);
	if (known === undefined) shared.set(value, value);
	else setOwn(record, key, known);
}

function optionalSharedText(record: Record<string, unknown>, key: string): void {
	if (record[key] !== undefined) sharedText(record, key);
}

function checkExpanded(json: unknown): asserts json is ConnectorsExpanded {
	if (!isRecord(json)) throw expected('record', json);
	for (const name of Object.keys(json)) {
		// The key's text is the first copy of the connector's name (in its status, info, config and task ids).
		if (!shared.has(name)) shared.set(name, name);
		under(name, json[name], checkEntry);
	}
}

function checkEntry(raw: unknown): void {
	if (!isRecord(raw)) throw expected('object', raw);
	if (raw['status'] !== undefined) under('status', raw['status'], checkStatus);
	if (raw['info'] !== undefined) under('info', raw['info'], checkInfo);
}

function text(value: unknown): void {
	if (typeof value !== 'string') throw expected('string', value);
}

function optionalText(value: unknown): void {
	if (value !== undefined) text(value);
}

function integer(value: unknown): void {
	if (typeof value !== 'number') throw expected('number', value);
	if (!Number.isSafeInteger(value)) throw new ShapeError([], 'expected an integer');
}

function list(value: unknown, check: (item: unknown) => void): void {
	if (!Array.isArray(value)) throw expected('array', value);
	const items: readonly unknown[] = value;
	for (let index = 0; index < items.length; index++) under(index, items[index], check);
}

function checkInstance(raw: unknown): void {
	if (!isWritableRecord(raw)) throw expected('object', raw);
	sharedText(raw, 'state');
	sharedText(raw, 'worker_id');
	under('trace', raw['trace'], optionalText);
	under('version', raw['version'], optionalText);
}

function checkTask(raw: unknown): void {
	checkInstance(raw);
	if (isRecord(raw)) under('id', raw['id'], integer);
}

function checkTasks(value: unknown): void {
	list(value, checkTask);
}

function checkTaskIds(value: unknown): void {
	list(value, checkTaskId);
}

function checkStatus(raw: unknown): void {
	if (!isWritableRecord(raw)) throw expected('object', raw);
	sharedText(raw, 'name');
	under('connector', raw['connector'], checkInstance);
	under('tasks', raw['tasks'], checkTasks);
	optionalSharedText(raw, 'type');
}

/** Config values: strings, null written over as '' (connectorConfigSchema reads it so). */
function checkConfig(raw: unknown): void {
	if (!isWritableRecord(raw)) throw expected('record', raw);
	for (const key of Object.keys(raw)) {
		const value = raw[key];
		if (value === null) setOwn(raw, key, '');
		else sharedText(raw, key);
	}
}

function isWritableRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkTaskId(raw: unknown): void {
	if (!isWritableRecord(raw)) throw expected('object', raw);
	sharedText(raw, 'connector');
	under('task', raw['task'], integer);
}

function checkInfo(raw: unknown): void {
	if (!isWritableRecord(raw)) throw expected('object', raw);
	sharedText(raw, 'name');
	under('config', raw['config'], checkConfig);
	under('tasks', raw['tasks'], checkTaskIds);
	optionalSharedText(raw, 'type');
}
