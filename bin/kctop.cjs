#!/usr/bin/env node
// The `kctop` command. This file must run on whatever `node` is first on PATH, however old:
// it is CommonJS, uses no syntax newer than ES2017 and loads nothing until the version check
// has passed, so an old Node gets one line instead of a stack trace from a dependency.
'use strict';

var minimumMajor = 22;
var major = Number(String(process.versions.node).split('.')[0]);
if (!(major >= minimumMajor)) {
	process.stderr.write('kctop needs Node.js ' + minimumMajor + ' or newer (this is ' + process.version + ')\n');
	process.exit(1);
}
// React runs its development build, at about twice the CPU, unless NODE_ENV says otherwise.
if (process.env.NODE_ENV === undefined) process.env.NODE_ENV = 'production';
var v8Flags = require('./v8-flags.cjs');
v8Flags.relaunchWithV8Flags();
v8Flags.setRuntimeV8FlagsLater(process.execArgv, process.env.NODE_OPTIONS);
// import() is newer syntax than this file may hold, so it lives in a file of its own.
require('./start.cjs');
