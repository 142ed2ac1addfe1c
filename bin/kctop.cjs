#!/bin/sh
':' //; case " $NODE_OPTIONS " in *[-_][-_]max[-_]semi[-_]space[-_]size*) kctop_flag= ;; *) kctop_flag=--max-semi-space-size=8 ;; esac
':' //; kctop_added=; [ -n "${MALLOC_ARENA_MAX+set}" ] || { MALLOC_ARENA_MAX=1; export MALLOC_ARENA_MAX; kctop_added=MALLOC_ARENA_MAX; }
':' //; [ -n "${MALLOC_MMAP_THRESHOLD_+set}" ] || { MALLOC_MMAP_THRESHOLD_=65536; export MALLOC_MMAP_THRESHOLD_; kctop_added="${kctop_added:+$kctop_added,}MALLOC_MMAP_THRESHOLD_"; }
':' //; command -v node >/dev/null 2>&1 || { echo 'kctop needs Node.js 22 or newer: no node found on PATH' >&2; exit 127; }
':' //; KCTOP_V8_FLAGS_APPLIED="${kctop_added:-1}" exec node $kctop_flag "$0" "$@"
// The `kctop` command: a shell script and a CommonJS file at once. Run as a command, /bin/sh
// reads the lines above (each a string and a comment to JavaScript) and starts node once with
// the V8 flag and glibc's malloc settings of bin/v8-flags.cjs, which must be in place when a
// process starts (the user's own NODE_OPTIONS flag and MALLOC_* values win; the marker
// variable names the settings added, so that the app takes them out of its environment again).
// Run as `node bin/kctop.cjs`, Node skips the first line, the others are strings that do
// nothing, and the bin relaunches itself with them instead (v8-flags.cjs): a second start of
// Node, 31 ms more to the first frame at 9 connectors (271 against 302 ms, median of 12 starts
// each, in turns against one simulator and Prometheus).
// Keep the values above equal to bin/v8-flags.cjs's (test/bin/v8-flags.test.ts checks).
//
// From here on the file must run on whatever `node` is first on PATH, however old:
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
