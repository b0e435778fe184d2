import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_EXTENSION } from '../../src/runtime/cpython.js';
import { runAction } from '../fixtures/action.js';
import { cleanEnv, expectHardenedRuntime, expectVenvWithPip, pythonSays } from '../fixtures/build-checks.js';
import { childProcesses } from '../fixtures/processes.js';
import { optional } from '../fixtures/requirements.js';
import { fetchedVersion, type SourceServer, serveSources, sourceUrlInputs } from '../fixtures/sources.js';
import { temporaryFolder } from '../fixtures/temporary.js';

// An optimized build (optimize: pgo-lto) passes the build test a default one passes: verified,
// probed in both modes, packed into an archive, installed under another tool-cache root,
// a venv with pip. Opt-in (TLS_FLOOR_OPTIMIZED=1): the PGO + LTO build takes tens of minutes
// here (docs/benchmarks.md gives the last measured run). TLS_FLOOR_OPTIMIZED_PYTHON picks
// the CPython line (default 3.13, as build.action.test.ts); TLS_FLOOR_OPTIMIZED_TOOLCACHE=<dir>
// starts from a copy of a tool cache that holds the build already (npm run bench -- speed
// keeps one in .cache/bench-speed/toolcache), so the first run finds it instead of building.
const OPTED_IN = optional(
  'optimized build',
  'opt-in: TLS_FLOOR_OPTIMIZED=1 (a PGO + LTO build: tens of minutes)',
  process.env['TLS_FLOOR_OPTIMIZED'] === '1',
);
const BUILD_MS = 120 * 60_000;
const LINE = process.env['TLS_FLOOR_OPTIMIZED_PYTHON'] ?? '3.13';
const PY = fetchedVersion('python', LINE) ?? 'missing';
const SSL = fetchedVersion('openssl', '3.5') ?? 'missing';
const REUSE = process.env['TLS_FLOOR_OPTIMIZED_TOOLCACHE'];

let server: SourceServer;
let toolCache: string;
let inputs: Record<string, string>;

beforeAll(async () => {
  if (!OPTED_IN) return;
  server = await serveSources();
  toolCache = temporaryFolder('tls-floor-optimized-toolcache-');
  if (REUSE)
    for (const tool of readdirSync(REUSE))
      cpSync(path.join(REUSE, tool), path.join(toolCache, tool), { recursive: true, verbatimSymlinks: true });
  inputs = {
    'python-version': PY,
    'openssl-version': SSL,
    ...sourceUrlInputs(server, PY, SSL),
    'runtime-index': 'none',
  };
});

afterAll(async () => {
  await server?.close();
});

describe
  .skipIf(!OPTED_IN)
  .sequential(`an optimized build (optimize: pgo-lto) of CPython ${PY} + OpenSSL ${SSL}`, () => {
    let archive: { path: string; sha256: string };
    let python: string;

    it(
      `${REUSE ? 'is found' : 'builds'}, verifies and probes in both modes, and is packed into an archive`,
      async () => {
        const run = await runAction(
          { ...inputs, optimize: 'pgo-lto', 'create-archive': 'true' },
          { RUNNER_TOOL_CACHE: toolCache },
        );
        console.log(`optimized ${REUSE ? 'run' : 'build'}: ${(run.ms / 1000).toFixed(0)} s`);
        expectHardenedRuntime(run, { python: PY, openssl: SSL, toolCache, source: REUSE ? 'tool-cache' : 'built' });
        python = run.outputs['python-path']!;
        const manifest = JSON.parse(readFileSync(run.outputs['archive-manifest']!, 'utf8'));
        expect(manifest.plan.python.entry.identity).toMatchObject({ optimize: 'pgo-lto' });
        expect(manifest.plan.python.options).toEqual(expect.arrayContaining(['--enable-optimizations', '--with-lto']));
        archive = { path: run.outputs['archive-path']!, sha256: run.outputs['archive-sha256']! };
        // As lean as a default build's (build.action.test.ts): no LTO bytecode in libpython.a.
        expect(statSync(archive.path).size).toBeLessThan(25 * 1024 * 1024);
      },
      BUILD_MS,
    );

    it('was built with PGO and LTO, and holds no test package nor test extension module', () => {
      const facts = pythonSays(
        python,
        'import json, sysconfig; print(json.dumps([sysconfig.get_config_var(k) or "" for k in ("CONFIG_ARGS", "PGO_PROF_USE_FLAG", "PY_CFLAGS_NODIST", "DESTLIB")]))',
      );
      expect(facts[0]).toContain('--enable-optimizations');
      expect(facts[0]).toContain('--with-lto');
      expect(facts[1]).toMatch(/-fprofile-use/);
      expect(facts[2]).toMatch(/-flto/);
      expect(existsSync(path.join(facts[3], 'test'))).toBe(false);
      expect(readdirSync(path.join(facts[3], 'lib-dynload')).filter((f) => TEST_EXTENSION.test(f))).toEqual([]);
      expect(() => execFileSync(python, ['-c', 'import _testcapi'], { env: cleanEnv(), stdio: 'pipe' })).toThrow();
    });

    it(
      'optimize: auto (the default) takes it from the tool cache',
      async () => {
        const before = server.requests.length;
        const run = await runAction(inputs, { RUNNER_TOOL_CACHE: toolCache });
        expectHardenedRuntime(run, { python: PY, openssl: SSL, toolCache, source: 'tool-cache' });
        expect(run.outputs['python-path']).toBe(python);
        expect(server.requests.length).toBe(before);
      },
      BUILD_MS,
    );

    it(
      'installs from its archive under another, longer tool-cache root, and a venv there has a working pip',
      async () => {
        const moved = path.join(temporaryFolder('tls-floor-optimized-elsewhere-with-a-longer-path-'), '_work', '_tool');
        mkdirSync(moved, { recursive: true });
        const run = await runAction(
          { 'runtime-archive-url': archive.path, 'runtime-archive-sha256': archive.sha256 },
          { RUNNER_TOOL_CACHE: moved },
        );
        expectHardenedRuntime(run, { python: PY, openssl: SSL, toolCache: moved, source: 'archive' });
        expectVenvWithPip(run.outputs['python-path']!, run.outputs['tool-path']!, SSL);
      },
      BUILD_MS,
    );

    it('leaves no child process behind', () => {
      expect(childProcesses()).toEqual([]);
    });
  });
