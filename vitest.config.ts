import { defineConfig } from 'vitest/config';

// The slow layer: files that run the bundled dist/ (runAction), build OpenSSL/CPython from the
// fetched sources, bundle with ncc, or rebuild dist/. A new test file that does any of the above
// belongs in this list.
const ACTION = [
  'test/action*.test.ts',
  'test/dist.test.ts',
  'test/faults/**/*.test.ts',
  'test/runtime/build.test.ts',
  'test/runtime/matrix.test.ts',
  'test/runtime/prebuilt.test.ts',
  'test/probe/peek-runtime.test.ts',
];

// The probe's integration layer: whole two-phase probes (every server, every control, the real
// clients) run once per interpreter, client kind, floor and policy. Real handshakes on 127.0.0.1,
// no build and no dist/, but each case costs about a second, so they are not in the unit layer.
// A new test file that runs runProbe across interpreters or clients belongs here.
const PROBE = ['test/probe/posture.test.ts', 'test/probe/probe.test.ts', 'test/probe/clients.test.ts'];

// Everything else is the unit layer, which `npm run test:unit` runs in under 30 s here with no
// build and no network.
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
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: [...ACTION, ...PROBE] } },
      { extends: true, test: { name: 'probe', include: PROBE } },
      // A killed build may leave a compiler's files in TMPDIR: printed there, not failed.
      { extends: true, test: { name: 'action', include: ACTION, env: { TLS_FLOOR_TMP_LEAKS: 'warn' } } },
    ],
  },
});
