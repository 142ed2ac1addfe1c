'use strict';
// What kctop's bundle takes from undici: scripts/bundle.mjs resolves `import … from 'undici'`
// here. source/clients/http.ts uses two things, Agent and request(). undici's own entry
// (index.js) loads the whole package when it loads: fetch and the web classes, WebSocket,
// EventSource, the mock agents, the cache stores, every interceptor, and with them
// node:zlib, node:dns, node:perf_hooks and node:sqlite. About 100 M instructions of kctop's
// start went there.
const Agent = require('undici/lib/dispatcher/agent');
const Dispatcher = require('undici/lib/dispatcher/dispatcher');
const api = require('undici/lib/api');
const {parseURL} = require('undici/lib/core/util');
const {InvalidArgumentError} = require('undici/lib/core/errors');

// As undici's entry does: every dispatcher (an Agent included) gets request(), stream(), …
Object.assign(Dispatcher.prototype, api);

/**
 * undici's request(url, options), for the one form kctop calls: an absolute http(s) URL as a
 * string and options naming their dispatcher. The origin, path and query come from the URL
 * and the method defaults as in undici (PUT with a body, else GET); other forms are refused
 * rather than half supported.
 */
function request(url, options) {
	if (typeof url !== 'string' || options === null || typeof options !== 'object' || options.dispatcher === undefined || options.path != null || options.agent != null) {
		throw new InvalidArgumentError("kctop's bundled undici: request(url, {dispatcher, ...}) takes a URL string and options with a dispatcher");
	}
	const target = parseURL(url);
	const {dispatcher, ...rest} = options;
	return api.request.call(dispatcher, {
		...rest,
		origin: target.origin,
		path: target.search ? `${target.pathname}${target.search}` : target.pathname,
		method: options.method || (options.body ? 'PUT' : 'GET'),
	});
}

module.exports = {Agent, Dispatcher, request};
