// Moved to source/bench/ so the bench (run from dist) starts Prometheus the same way the tests do.
export * from '../../source/bench/prometheus.js';
