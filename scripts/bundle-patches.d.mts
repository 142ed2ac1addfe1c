// Types of scripts/bundle-patches.mjs, for the tests that import it.
import type {Plugin} from 'esbuild';

export declare const builtinsThroughRequire: readonly string[];
export declare function builtinFacade(name: string): string;
export declare const sourcePatches: ReadonlyArray<readonly [string, ReadonlyArray<readonly [string, string]>]>;
export declare function applyPatches(file: string, text: string, patches: ReadonlyArray<readonly [string, string]>): string;
export declare const startupPlugin: Plugin;
