import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Builds use every core; running build suites side by side would only slow both.
    fileParallelism: true,
    maxWorkers: 2,
    reporters: ['default'],
  },
});
