'use strict';
// Loaded by kctop.cjs once the Node version is known to be new enough. The bundle
// (dist/bundle/kctop/cli.js, built by `npm run build`: scripts/bundle.mjs) is an ES module and
// reports its own errors; this catches only a failure to load it at all.
import('../dist/bundle/kctop/cli.js').catch(function (error) {
	process.stderr.write('kctop: cannot start: ' + (error && error.message ? error.message : String(error)) + '\n');
	process.exitCode = 1;
});
