'use strict';
// V8 flags kctop runs with. Like kctop.cjs, this file holds no syntax newer than ES2017.
//
// Measured with process.memoryUsage() and /proc, kctop runs side by side for 4 minutes:
// --max-semi-space-size=8: V8 grows the young generation (new space) up to 128 MB while a
//   process allocates and shrinks it when idle, and RSS follows: over a 30-minute soak at 9
//   connectors RSS rose and fell by 100 MB while the old generation stayed at 25-35 MB.
//   A cap of 2 MB saves 9 MB more at 1,009 connectors but costs 40 % more CPU: more
//   short-lived objects survive into the old generation.
// --heap-growing-percent=50: V8 lets the old generation grow to several times the live heap
//   before collecting it (30 -> 115 MB with a small young generation); collecting at 1.5
//   times keeps RSS flat.
// At 1,009 connectors: 212 MB median RSS (148-227) and 2.4 % of a core without the flags,
// 170 MB flat and 2.2 % with them; at 9 connectors 197 -> 155 MB.
//
// Node cannot change the young generation's size once it has started, so the bin replaces
// its own process (process.execve: same pid, same terminal, same signals and exit code) with
// one that has that flag, once: the environment variable below says it was done.
// Measured and left out (1,009 connectors, Prometheus mode, two or three kctop processes side
// by side against the same servers, CPU per refresh from /proc, RSS at the end of a 2-minute
// window; the machine was shared, so only differences within one run count):
// --optimize-for-size: 106 MB against 145 MB, but 662 ms CPU per refresh against 457 ms (+45 %).
// --minor-ms (young generation by mark-sweep): 163 against 150 MB, 281 against 229 ms.
// --lazy-new-space-shrinking: 154 against 150 MB, 303 against 229 ms.
// --heap-growing-percent=25 (instead of 50): 150 against 145 MB, 490 against 457 ms. At 10,009
//   connectors (four processes side by side, two of each, two runs, 180 s): RSS at 180 s 331
//   against 328 MB on average, CPU from 60 to 180 s 6.07 against 4.98 s (+22 %).
// Where the RSS was (smaps, ~150 MB): the Node binary's pages 49 MB, V8's heap pages 50 MB
// (new space 16.8 of it, live after a full collection 29 MB), glibc's heap 27 MB (16.6 MB in
// use, malloc_trim would give back 4 MB), the rest 20 MB. yoga-layout's 16 MB WebAssembly
// memory counts in process.memoryUsage().external but only 0.1 MB of it is ever touched.
//
// Idle at 9 connectors, the bench's steady window (about 4.5-24.5 s after the start), measured
// with `perf stat -e instructions:u` over fixed windows of kctop processes side by side: the
// window costs ~280-295 M instructions against ~80-100 M for the same 20 s from 30 or 60 s on.
// In 2-s slices, one slice about 7 s after the start holds ~135 M of it (a steady slice: 8-25 M):
// V8's first full collection (incremental marking, then mark-compact; 19.4 -> 16.8 MB used, on
// a 36 MB heap), two thirds of it in V8's helper threads (concurrent marking, sweeping). It
// comes when the old generation, grown by start-up, first reaches its limit; it comes with or
// without --heap-growing-percent (290 against 283 M without the runtime flag) and with or
// without the memory reducer (at 8.3 against 6.9 s). Flags tried on that window (one group of
// six side by side, median of two, instructions 4.5-24.5 s): none 283 M, --no-maglev 282 M,
// --no-opt 319 M, --no-sparkplug 304 M, --single-threaded-gc 264 M (the same work on the main
// thread), --no-flush-bytecode 127 against 136 M in the collection's slice. None is taken.
// --no-memory-reducer: at 9 connectors 292/264 against 298/281 M in the window (two pairs; a
//   third pair 203 against 277 M); at 1,009 (side by side, 2 runs) 2,574 against 2,602 M over
//   15-45 s and RSS 137 against 143 MB, but in a bench pair right after, 155 against 145 MB at
//   the end of the window and 218 against 347 ms CPU per refresh on a loaded machine: no
//   steady gain, a possible RSS cost, left out.
// --max-semi-space-size=4 (instead of 8), 1,009, side by side, median of 2: 2,293 against
//   2,602 M instructions over 15-45 s, but RSS 150 against 143 MB: left out.
// glibc's thresholds, set like MALLOC_ARENA_MAX (1,009, three side by side, median of 2, RSS at
// 45 and 60 s, user instructions 15-45 / 45-60 s, share of a core from /proc in the same
// windows): none 144 / 142 MB, 1,778 / 827 M, 2.27 / 2.20 %; MALLOC_MMAP_THRESHOLD_=131072
// 137 / 135 MB, 1,921 / 765 M, 2.58 / 2.67 % (every buffer over 128 kB mapped and unmapped:
// kernel time); MALLOC_TRIM_THRESHOLD_=131072 132 / 141 MB, 1,914 / 479 M, 2.48 / 1.57 %.
// A few MB for more CPU, within the noise of two runs: left out.
//
// --heap-growing-percent is read by V8 at each collection, so it is set from inside
// (v8.setFlagsFromString) once kctop has loaded: on the command line it made start-up cost
// a quarter more CPU (1.0 G instead of 0.74 G instructions for `kctop --version`), in
// collections of a heap that was only growing while the modules loaded.
//
// The relaunch costs start-up time: at 9 connectors (bench, Prometheus mode, two runs each)
// the first frame came at 219 / 202 ms with it and at 180 / 166 ms with the flag given on the
// command line (no relaunch). --max-semi-space-size set from inside does nothing (V8 sizes the
// young generation when the heap is set up: 128 MB of new space either way in a test script
// that allocates); --semi-space-growth-factor=1 set from inside at start does stop it growing
// (9.8 MB), but without the relaunch kctop's first frame was then 198 / 203 ms against
// 201 / 208 ms with it (the small young generation collects more often while the modules
// load), and MALLOC_ARENA_MAX could not be set. The relaunch stays.

var v8Flags = ['--max-semi-space-size=8'];
var runtimeV8Flags = ['--heap-growing-percent=50'];
/** When the runtime flags are set: start-up (modules, first refresh, first frame) is over by then. */
var runtimeFlagsDelayMs = 5000;
var relaunchedVariable = 'KCTOP_V8_FLAGS_APPLIED';
/**
 * glibc's malloc settings, set on the relaunch since glibc reads them at process start; a value
 * the user set wins, and programs kctop starts do not inherit them. Other C libraries (musl)
 * ignore them.
 *
 * MALLOC_ARENA_MAX=1: glibc's malloc keeps up to 8 arenas per core for a process's threads (Node
 * has a thread pool and V8's helper threads); kctop allocates on its main thread. With one
 * arena, RSS at 1,009 connectors (bench, --quick, two runs each) was 150 -> 169-173 MB (warm ->
 * end) against 164 -> 184-198 MB with glibc's default, at the same CPU per refresh.
 *
 * MALLOC_MMAP_THRESHOLD_=65536: a socket read is a 64 KB buffer. With glibc's threshold for
 * mapping an allocation on its own (128 KB at start, then raised to the largest block freed,
 * up to 32 MB), those buffers came from the heap, between blocks that stay, and the heap kept
 * the pages when they were freed: a walk of glibc's heap at 1,009 connectors 45 s in found
 * 39.6 MB, 14 MB of it in use, with free holes of 10.3, 2.1 and 6.3 MB (malloc_trim, which
 * Node does not call, gave back 20 MB). Setting the threshold also turns its raising off and
 * lets glibc hand the heap's free top back past 128 KB. Measured with four kctop processes side
 * by side against one simulator and Prometheus (1,009 connectors, two with the setting, RSS and
 * glibc's heap at 60 / 100 s): glibc's heap 19 and 27 MB against 37 and 30 MB; RSS 130 / 132
 * and 146 / 148 MB against 155 / 157 and 146 / 138 MB; CPU 1.65 / 2.06 and 1.64 / 2.04 s
 * against 1.61 / 2.02 and 1.70 / 2.15 s. In the bench (1,009, Prometheus mode, runs taking
 * turns): RSS warm -> end 135 -> 145 and 147 -> 150 MB against 144 -> 147 and 152 -> 160 MB, CPU
 * per refresh 45 and 45 ms against 51 and 54 ms. At 10,009 connectors in Prometheus mode
 * (three side by side, 120 s) RSS was 428 MB with it and 431 MB without: there the heap's
 * share moved to buffers mapped alone. In scrape mode at 10,009 (two side by side, 157 MB of
 * bodies per refresh) RSS was 592-626 against 682-696 MB from 60 s on, for 3 % more CPU
 * (23.9 against 23.2 s from 30 to 120 s): a mapping and its page faults per 64 KB read.
 */
var mallocSettings = [
	['MALLOC_ARENA_MAX', '1'],
	['MALLOC_MMAP_THRESHOLD_', '65536'],
];

/** The flag's name, with V8's two spellings (dashes or underscores) made one. */
function flagName(flag) {
	return String(flag).split('=')[0].replace(/_/g, '-');
}

/** The flags of `flags` that the user did not set, on the command line or in NODE_OPTIONS: the user's choice wins. */
function missingFlags(flags, execArgv, nodeOptions) {
	var given = execArgv.concat(String(nodeOptions || '').split(/\s+/)).map(flagName);
	return flags.filter(function (flag) {
		return given.indexOf(flagName(flag)) === -1;
	});
}

/**
 * The Node arguments to relaunch with, or undefined when there is nothing to do: the flags
 * were applied already, or the user set each of them.
 */
function relaunchArgs(execArgv, nodeOptions) {
	var missing = missingFlags(v8Flags, execArgv, nodeOptions);
	return missing.length === 0 ? undefined : execArgv.concat(missing);
}

/**
 * Replaces this process with one running the same script and arguments with the V8 flags
 * added. Without process.execve (Node before 22.15) kctop runs without them: a child process
 * instead would add a second Node's 40 MB, more than the flags save.
 */
function relaunchWithV8Flags() {
	var marker = process.env[relaunchedVariable];
	if (marker !== undefined) {
		// The relaunched process: forget the marker and the malloc settings the bin added (glibc
		// read them at start; the marker names them), so that programs kctop starts do not
		// inherit them.
		delete process.env[relaunchedVariable];
		var named = marker.split(',');
		mallocSettings.forEach(function (setting) {
			if (named.indexOf(setting[0]) !== -1) delete process.env[setting[0]];
		});
		return;
	}
	if (typeof process.execve !== 'function') return;
	var nodeArgs = relaunchArgs(process.execArgv, process.env.NODE_OPTIONS);
	if (nodeArgs === undefined) return;
	var env = Object.assign({}, process.env);
	var added = [];
	mallocSettings.forEach(function (setting) {
		if (env[setting[0]] !== undefined) return;
		env[setting[0]] = setting[1];
		added.push(setting[0]);
	});
	env[relaunchedVariable] = added.length === 0 ? '1' : added.join(',');
	try {
		process.execve(process.execPath, [process.execPath].concat(nodeArgs, process.argv.slice(1)), env);
	} catch (error) {
		// The exec itself failed (the binary cannot be run again): go on without the flags.
	}
}

/**
 * Sets the runtime flags the user did not set (in `execArgv` or `nodeOptions`) `delayMs`
 * from now (default runtimeFlagsDelayMs); the timer keeps no process alive.
 */
function setRuntimeV8FlagsLater(execArgv, nodeOptions, delayMs) {
	var missing = missingFlags(runtimeV8Flags, execArgv, nodeOptions);
	if (missing.length === 0) return;
	setTimeout(function () {
		var v8 = require('node:v8');
		missing.forEach(function (flag) {
			v8.setFlagsFromString(flag);
		});
	}, delayMs === undefined ? runtimeFlagsDelayMs : delayMs).unref();
}

module.exports = {
	v8Flags: v8Flags,
	runtimeV8Flags: runtimeV8Flags,
	relaunchedVariable: relaunchedVariable,
	mallocSettings: mallocSettings,
	missingFlags: missingFlags,
	relaunchArgs: relaunchArgs,
	relaunchWithV8Flags: relaunchWithV8Flags,
	setRuntimeV8FlagsLater: setRuntimeV8FlagsLater,
};
