import { defineConfig } from 'vitest/config';

// The layers follow from a test file's name, never from a list kept here:
//   *.action.test.ts       runs the bundled dist/ (runAction), builds OpenSSL or CPython from the
//                          fetched sources, bundles with ncc, or rebuilds dist/: the slow layer;
//   *.integration.test.ts  most of its cases start real interpreters and clients as processes
//                          (python, node, curl, openssl, vitest itself): whole two-phase probes
//                          per interpreter, client kind, floor and policy; the script clients; the
//                          real clients' ClientHellos; verification of real and stand-in
//                          interpreters. Real handshakes on 127.0.0.1, no build and no dist/;
//   *.test.ts              anything else: the unit layer.
// A test file lies in the folder of what it tests (test/<src folder>/, test/scripts/, test/docs/,
// ...); test/fixtures/ holds what the tests share, and no test.
const ACTION = 'test/**/*.action.test.ts';
const INTEGRATION = 'test/**/*.integration.test.ts';

// The unit layer, which `npm run test:unit` runs in under 30 s here with no build and no network,
// runs without isolation: the files of a worker share its modules, which halves the layer's CPU
// time (most of it was importing the same modules once per file); test/fixtures/tmp-file.ts puts
// process.env back after each file, and a unit test must leave no spy, mock or module state behind
// that another file could see.
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Builds use every core; running build suites side by side would only slow both.
    fileParallelism: true,
    maxWorkers: 2,
    reporters: ['default', './test/fixtures/skip-reporter.ts'],
    // The run's private TMPDIR, removed at its end (and the skip log in it, which
    // test/fixtures/skip-reporter.ts prints); each file's own TMPDIR below it must be empty when
    // the file ends.
    globalSetup: ['./test/fixtures/tmp-run.ts'],
    setupFiles: ['./test/fixtures/tmp-file.ts'],
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: [ACTION, INTEGRATION], isolate: false },
      },
      { extends: true, test: { name: 'integration', include: [INTEGRATION] } },
      // A killed build may leave a compiler's files in TMPDIR: printed there, not failed.
      { extends: true, test: { name: 'action', include: [ACTION], env: { TLS_FLOOR_TMP_LEAKS: 'warn' } } },
    ],
  },
});
