import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['node_modules', 'out', 'dist'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Conformance suites print one summary line each; keep console output visible.
    silent: false,
    pool: 'forks',
  },
});
