import type {IncomingMessage, ServerResponse} from 'node:http';
import {rebalanceMessage, type ActionResult, type SimCluster} from './cluster.js';
import {restFeatures} from './versions.js';
import {connectorInfoBody, connectorStatusBody, ExpandedCache, offsetsBody, serverInfoBody, taskStatusBody, tasksBody, topicsBody} from './views.js';

/**
 * The Kafka Connect REST API of the simulated cluster (Kafka Connect 3.9 semantics by
 * default, reference §4; an older `connectVersion` of the cluster drops what it did not have yet, see
 * versions.ts). Every worker's port answers for the whole cluster, as real Connect
 * does by forwarding. While a rebalance is under way, everything but `GET /` and the
 * status endpoints (read from the status topic in real Connect) answers 409.
 */

const jsonType = 'application/json';

export interface RestContext {
	readonly cluster: SimCluster;
	/** Brings the simulation up to date before a request is answered. */
	readonly sync: () => void;
	readonly seed: number;
}

/** One answer, serialised: what a fault (faults.ts) may distort before it is sent. */
export interface RenderedReply {
	readonly status: number;
	/** undefined: no body. */
	readonly contentType: string | undefined;
	readonly body: string;
}

type Reply = {readonly status: number; readonly body?: unknown; readonly raw?: string};

function error(status: number, message: string): Reply {
	return {status, body: {error_code: status, message}};
}

function fromAction(result: ActionResult, success: Reply): Reply {
	return result.ok ? success : error(result.status, result.message);
}

function render(reply: Reply): RenderedReply {
	const text = reply.raw ?? (reply.body === undefined ? '' : JSON.stringify(reply.body));
	return {status: reply.status, contentType: text === '' ? undefined : jsonType, body: text};
}

export function sendReply(res: ServerResponse, reply: RenderedReply): void {
	if (reply.contentType === undefined) {
		res.writeHead(reply.status, {'Content-Length': '0'});
		res.end();
		return;
	}
	res.writeHead(reply.status, {'Content-Type': reply.contentType, 'Content-Length': String(Buffer.byteLength(reply.body))});
	res.end(reply.body);
}

/** Path segments, each URL-decoded (an encoded `/` stays inside its segment); undefined when one is malformed. */
function segments(pathname: string): string[] | undefined {
	try {
		return pathname
			.split('/')
			.filter(part => part !== '')
			.map(part => decodeURIComponent(part));
	} catch {
		return undefined;
	}
}

function flag(params: URLSearchParams, name: string): boolean | 'invalid' {
	const value = params.get(name);
	if (value === null) return false;
	const lower = value.toLowerCase();
	if (lower === 'true') return true;
	if (lower === 'false' || lower === '') return false;
	return 'invalid';
}

const notFound = error(404, 'HTTP 404 Not Found');
const methodNotAllowed = error(405, 'HTTP 405 Method Not Allowed');

/** Answers one request (method and URL) as the simulated cluster would, serialised. */
export function createRestResponder(context: RestContext): (method: string, url: URL) => RenderedReply {
	const expanded = new ExpandedCache(context.cluster);
	const version = context.cluster.connectVersion;
	const features = restFeatures(version);
	const info = serverInfoBody(context.seed, version.text);

	const route = (method: string, url: URL): Reply => {
		const parts = segments(url.pathname);
		if (!parts) return error(400, 'Malformed escape sequence in path');
		const {cluster} = context;
		const [root, name, sub, taskId, taskSub, ...rest] = parts;
		if (root === undefined) return method === 'GET' ? {status: 200, body: info} : methodNotAllowed;
		if (root === 'health' && parts.length === 1 && features.health) {
			return method === 'GET' ? {status: 200, body: {status: 'healthy', message: 'Worker has completed startup and is ready to handle requests.'}} : methodNotAllowed;
		}
		if (root === 'connector-plugins' && parts.length === 1) {
			if (method !== 'GET') return methodNotAllowed;
			const plugins = new Map<string, {class: string; type: string; version: string}>();
			for (const connector of cluster.connectors) plugins.set(connector.spec.className, {class: connector.spec.className, type: connector.spec.type, version: connector.spec.version});
			return {status: 200, body: [...plugins.values()].sort((a, b) => a.class.localeCompare(b.class))};
		}
		if (root !== 'connectors' || rest.length > 0) return notFound;

		const isStatusRead = method === 'GET' && (sub === 'status' || taskSub === 'status');
		if (cluster.rebalancing && !isStatusRead) return error(409, rebalanceMessage);

		if (name === undefined) {
			if (method === 'POST') return error(400, 'Connector config is required');
			if (method !== 'GET') return methodNotAllowed;
			if (url.searchParams.has('expand') && features.expand) return {status: 200, raw: expanded.json(url.searchParams.getAll('expand'))};
			return {status: 200, body: cluster.connectors.map(connector => connector.spec.name)};
		}

		const connector = cluster.connector(name);
		const missing = error(404, `Connector ${name} not found`);

		if (sub === undefined) {
			if (method === 'GET') return connector ? {status: 200, body: connectorInfoBody(connector)} : missing;
			if (method === 'DELETE') return error(403, 'Deleting connectors is disabled on the kctop demo cluster');
			return methodNotAllowed;
		}
		if (taskId === undefined) {
			switch (sub) {
				case 'status':
					if (method !== 'GET') return methodNotAllowed;
					return connector ? {status: 200, body: connectorStatusBody(cluster, connector)} : error(404, `No status found for connector ${name}`);
				case 'config':
					if (method !== 'GET') return method === 'PUT' || method === 'PATCH' ? error(403, 'Changing configs is disabled on the kctop demo cluster') : methodNotAllowed;
					return connector ? {status: 200, body: connector.spec.config} : missing;
				case 'tasks':
					if (method !== 'GET') return methodNotAllowed;
					return connector ? {status: 200, body: tasksBody(connector)} : missing;
				case 'topics':
					if (!features.topics) return notFound;
					if (method !== 'GET') return methodNotAllowed;
					return connector ? {status: 200, body: topicsBody(connector)} : missing;
				case 'offsets':
					if (!features.offsets) return notFound;
					if (method !== 'GET') return methodNotAllowed;
					return connector ? {status: 200, body: offsetsBody(connector, cluster.now)} : missing;
				case 'pause':
					if (method !== 'PUT') return methodNotAllowed;
					return fromAction(cluster.pause(name), {status: 202});
				case 'resume':
					if (method !== 'PUT') return methodNotAllowed;
					return fromAction(cluster.resume(name), {status: 202});
				case 'stop':
					if (!features.stop) return notFound;
					if (method !== 'PUT') return methodNotAllowed;
					return fromAction(cluster.stop(name), {status: 204});
				case 'restart': {
					if (method !== 'POST') return methodNotAllowed;
					const includeTasks = flag(url.searchParams, 'includeTasks');
					const onlyFailed = flag(url.searchParams, 'onlyFailed');
					// Before 3.0 (KIP-745) both parameters are unknown: ignored, only the Connector instance restarts.
					if (!features.restartOptions) return fromAction(cluster.restart(name, false, false), {status: 204});
					if (includeTasks === 'invalid' || onlyFailed === 'invalid') return error(400, 'Query parameters includeTasks and onlyFailed must be true or false');
					const result = cluster.restart(name, includeTasks, onlyFailed);
					if (!result.ok) return error(result.status, result.message);
					if (!includeTasks && !onlyFailed) return {status: 204};
					const restarted = cluster.connector(name);
					return restarted ? {status: 202, body: connectorStatusBody(cluster, restarted)} : missing;
				}
				default:
					return notFound;
			}
		}
		if (sub !== 'tasks' || taskSub === undefined) return notFound;
		const id = /^\d+$/.test(taskId) ? Number(taskId) : Number.NaN;
		if (Number.isNaN(id)) return error(404, 'HTTP 404 Not Found');
		if (taskSub === 'status') {
			if (method !== 'GET') return methodNotAllowed;
			const task = connector?.tasks.find(candidate => candidate.id === id);
			return task ? {status: 200, body: taskStatusBody(cluster, task)} : error(404, `No status found for task ${name}-${id}`);
		}
		if (taskSub === 'restart') {
			if (method !== 'POST') return methodNotAllowed;
			return fromAction(cluster.restartTask(name, id), {status: 204});
		}
		return notFound;
	};

	return (method, url) => {
		try {
			context.sync();
			return render(route(method, url));
		} catch (thrown) {
			return render(error(500, thrown instanceof Error ? thrown.message : String(thrown)));
		}
	};
}

export function requestUrl(req: IncomingMessage): URL {
	return new URL(req.url ?? '/', 'http://demo.invalid');
}

export function createRestHandler(context: RestContext): (req: IncomingMessage, res: ServerResponse) => void {
	const respond = createRestResponder(context);
	return (req, res) => {
		sendReply(res, respond(req.method ?? 'GET', requestUrl(req)));
		// Request bodies (none are needed) are drained so keep-alive sockets stay usable.
		req.resume();
	};
}
