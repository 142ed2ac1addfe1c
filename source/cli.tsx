#!/usr/bin/env node
/**
 * kctop's entry point. Node's compile cache (in the OS temp directory; NODE_DISABLE_COMPILE_CACHE=1
 * turns it off) keeps the compiled code of kctop and its dependencies between runs, so a
 * start after the first skips compiling them. It must be on before they load, hence the
 * rest comes in with a dynamic import.
 */
import module from 'node:module';

module.enableCompileCache?.();
await import('./main.js');
