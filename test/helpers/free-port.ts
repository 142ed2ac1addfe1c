// Moved to source/bench/ so the bench (run from dist) can use it too.
export * from '../../source/bench/free-port.js';
