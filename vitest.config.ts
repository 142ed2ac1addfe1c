import {defineConfig} from 'vitest/config';

export default defineConfig({
	test: {
		include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
		environment: 'node',
		testTimeout: 20_000,
		hookTimeout: 60_000,
		// Two cores: keep parallelism modest so the end-to-end tests get CPU time.
		maxWorkers: 2,
		// The JSON report lets .ci/run print a plain "N passed, N failed" closing line.
		reporters: ['default', ['json', {outputFile: '.test-results/vitest.json'}]],
	},
});
