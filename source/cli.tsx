#!/usr/bin/env node
/**
 * kctop's entry point. The compile cache (source/compile-cache.ts) must be on before the rest
 * of kctop and its dependencies load, hence they come in with a dynamic import.
 */
import {enableCompileCache} from './compile-cache.js';

enableCompileCache();
await import('./main.js');
