import {expected, isRecord, setOwn, ShapeError, under} from '../../../source/clients/shape.js';
import type {ConnectorInfo, ConnectorsExpanded, ConnectorStatus, InstanceStatus, TaskStatus} from '../../../source/clients/connect/schemas.js';

/**
 * The expand body's reader as it was before it checked the parsed body in place (it copied
 * every object with its checked fields written over): the reference expand.equal.test.ts
 * holds the in-place reader equal to.
 */
export function referenceReadConnectorsExpanded(json: unknown): ConnectorsExpanded {
	if (!isRecord(json)) throw expected('record', json);
	const out: Record<string, ConnectorsExpanded[string]> = {};
	for (const name of Object.keys(json)) setOwn(out, name, under(name, json[name], readEntry));
	return out;
}

// Each object is one spread of the parsed one (unknown fields kept, `__proto__` included: a
// spread defines properties, it never sets a prototype) with the checked fields written over it.

function readEntry(raw: unknown): ConnectorsExpanded[string] {
	if (!isRecord(raw)) throw expected('object', raw);
	const status = raw['status'] === undefined ? undefined : under('status', raw['status'], readStatus);
	const info = raw['info'] === undefined ? undefined : under('info', raw['info'], readInfo);
	return {...raw, status, info};
}

function text(value: unknown): string {
	if (typeof value !== 'string') throw expected('string', value);
	return value;
}

function optionalText(value: unknown): string | undefined {
	return value === undefined ? undefined : text(value);
}

function integer(value: unknown): number {
	if (typeof value !== 'number') throw expected('number', value);
	if (!Number.isSafeInteger(value)) throw new ShapeError([], 'expected an integer');
	return value;
}

function list<T>(value: unknown, read: (item: unknown) => T): T[] {
	if (!Array.isArray(value)) throw expected('array', value);
	const items: readonly unknown[] = value;
	const out: T[] = [];
	for (let index = 0; index < items.length; index++) out.push(under(index, items[index], read));
	return out;
}

function readInstance(raw: unknown): InstanceStatus {
	if (!isRecord(raw)) throw expected('object', raw);
	const state = under('state', raw['state'], text);
	const workerId = under('worker_id', raw['worker_id'], text);
	const trace = under('trace', raw['trace'], optionalText);
	const version = under('version', raw['version'], optionalText);
	return {...raw, state, worker_id: workerId, trace, version};
}

function readTask(raw: unknown): TaskStatus {
	const instance = readInstance(raw);
	return {...instance, id: under('id', instance['id'], integer)};
}

function readTasks(value: unknown): TaskStatus[] {
	return list(value, readTask);
}

function readTaskIds(value: unknown): Array<ConnectorInfo['tasks'][number]> {
	return list(value, readTaskId);
}

function readStatus(raw: unknown): ConnectorStatus {
	if (!isRecord(raw)) throw expected('object', raw);
	const name = under('name', raw['name'], text);
	const connector = under('connector', raw['connector'], readInstance);
	const tasks = under('tasks', raw['tasks'], readTasks);
	const type = under('type', raw['type'], optionalText);
	return {...raw, name, connector, tasks, type};
}

/** Config values: strings, null read as '' (as connectorConfigSchema does). */
function readConfig(raw: unknown): Record<string, string> {
	if (!isRecord(raw)) throw expected('record', raw);
	const out: Record<string, string> = {};
	for (const key of Object.keys(raw)) {
		const value = raw[key];
		if (value === null) setOwn(out, key, '');
		else if (typeof value === 'string') setOwn(out, key, value);
		else throw expected('string', value, [key]);
	}
	return out;
}

function readTaskId(raw: unknown): ConnectorInfo['tasks'][number] {
	if (!isRecord(raw)) throw expected('object', raw);
	const connector = under('connector', raw['connector'], text);
	const task = under('task', raw['task'], integer);
	return {...raw, connector, task};
}

function readInfo(raw: unknown): ConnectorInfo {
	if (!isRecord(raw)) throw expected('object', raw);
	const name = under('name', raw['name'], text);
	const config = under('config', raw['config'], readConfig);
	const tasks = under('tasks', raw['tasks'], readTaskIds);
	const type = under('type', raw['type'], optionalText);
	return {...raw, name, config, tasks, type};
}
