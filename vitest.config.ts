import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

// Every optional() skip of the run is appended here, and test/fixtures/skip-reporter.ts prints
// them at the end (the workers inherit this environment).
process.env['TLS_FLOOR_SKIP_LOG'] ??= path.join(mkdtempSync(path.join(tmpdir(), 'tls-floor-skips-')), 'skips.jsonl');

// The slow layer: files that run the bundled dist/ (runAction), build OpenSSL/CPython from the
// fetched sources, bundle with ncc, or rebuild dist/. Everything else is the unit layer, which
// `npm run test:unit` runs in under a minute with no build and no network. A new test file
// that does any of the above belongs in this list.
const ACTION = [
  'test/action*.test.ts',
  'test/dist.test.ts',
  'test/faults/**/*.test.ts',
  'test/runtime/build.test.ts',
  'test/runtime/matrix.test.ts',
  'test/runtime/prebuilt.test.ts',
  'test/probe/peek-runtime.test.ts',
  'test/publish-rehearsal.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Builds use every core; running build suites side by side would only slow both.
    fileParallelism: true,
    maxWorkers: 2,
    reporters: ['default', './test/fixtures/skip-reporter.ts'],
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: ACTION } },
      { extends: true, test: { name: 'action', include: ACTION } },
    ],
  },
});
