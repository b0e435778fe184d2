import { defineConfig } from 'vitest/config';

// The slow layer: files that run the bundled dist/ (runAction), build OpenSSL/CPython from the
// fetched sources, bundle with ncc, or rebuild dist/. A new test file that does any of the above
// belongs in this list.
const ACTION = [
  'test/action*.test.ts',
  'test/dist.test.ts',
  'test/merge/**/*.test.ts',
  'test/faults/**/*.test.ts',
  'test/runtime/build.test.ts',
  'test/runtime/fips-build.test.ts',
  'test/runtime/freethreaded-build.test.ts',
  'test/runtime/matrix.test.ts',
  'test/runtime/optimized-build.test.ts',
  'test/runtime/prebuilt.test.ts',
  'test/probe/peek-runtime.test.ts',
  'test/probe/openssl4-client.test.ts',
  'test/publish-rehearsal.test.ts',
  // Issue 27's differential test: OpenSSL's s_server per version and family against the bundle's verdicts.
  'test/differential/**/*.test.ts',
];

// The integration layer: files most of whose cases start real interpreters and clients as
// processes (python, node, curl, openssl, vitest itself): whole two-phase probes once per
// interpreter, client kind, floor and policy; the script clients; the real clients' ClientHellos;
// verification of real and stand-in interpreters. Real handshakes on 127.0.0.1, no build and no
// dist/, but each case costs a process start or a whole probe. A new file like these belongs here.
const INTEGRATION = [
  'test/probe/posture.test.ts',
  'test/probe/probe.test.ts',
  'test/probe/clients.test.ts',
  'test/probe/libraries.test.ts',
  'test/probe/awscrt.test.ts',
  'test/probe/aws-cli.test.ts',
  'test/probe/node-libraries.test.ts',
  'test/probe/script-client.test.ts',
  'test/probe/client-hello-capture.test.ts',
  'test/probe/runtimes.test.ts',
  'test/probe/weak-server-reach.test.ts',
  'test/probe/legacy-families.test.ts',
  'test/client-choice.test.ts',
  'test/interpreter.test.ts',
  'test/runtime/verify.test.ts',
  'test/runtime/lean.test.ts',
  'test/tmp-cleanup.test.ts',
  'test/docs-script.test.ts',
  'test/publish-runs.test.ts',
  'test/report/table-width.test.ts',
];

// Everything else is the unit layer, which `npm run test:unit` runs in under 30 s here with no
// build and no network. It runs without isolation: the files of a worker share its modules,
// which halves the layer's CPU time (most of it was importing the same modules once per file);
// test/fixtures/tmp-file.ts puts process.env back after each file, and a unit test must leave no
// spy, mock or module state behind that another file could see.
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
        test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: [...ACTION, ...INTEGRATION], isolate: false },
      },
      { extends: true, test: { name: 'integration', include: INTEGRATION } },
      // A killed build may leave a compiler's files in TMPDIR: printed there, not failed.
      { extends: true, test: { name: 'action', include: ACTION, env: { TLS_FLOOR_TMP_LEAKS: 'warn' } } },
    ],
  },
});
