import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readInputs } from '../../src/inputs/inputs.js';
import { planOf } from '../../src/runtime/obtain.js';
import { entryDir } from '../../src/runtime/toolcache.js';
import { verifyRuntime } from '../../src/runtime/verify.js';
import { runAction } from '../fixtures/action.js';
import { pythonSays } from '../fixtures/interpreters.js';
import { childProcesses } from '../fixtures/processes.js';
import { requireTool } from '../fixtures/requirements.js';
import { fetchedVersion, type SourceServer, serveSources, sourceUrlInputs } from '../fixtures/sources.js';
import { temporaryFolder } from '../fixtures/temporary.js';

for (const tool of ['cc', 'make', 'perl', 'tar']) requireTool(tool);

// One real build of free-threaded CPython (--disable-gil) from the fetched tarballs, served on
// 127.0.0.1, through the bundled action as the runner runs it (action.yml's defaults as INPUT_*).
// The exact release the fetch script got (3.13.15 when this was written), asked for as
// setup-python spells it: 3.13.15t. (3.13t resolves to the table's newest 3.13, which
// .cache/sources does not hold: test/inputs/inputs.test.ts shows that resolution.)
const BUILD_MS = 30 * 60_000;
const PY = fetchedVersion('python', '3.13') ?? 'missing';
const SSL = fetchedVersion('openssl', '3.5') ?? 'missing';
const LINE = PY.split('.').slice(0, 2).join('.');

let server: SourceServer;
let toolCache: string;
let inputs: Record<string, string>;
let python: string;

beforeAll(async () => {
  server = await serveSources();
  toolCache = temporaryFolder('tls-floor-toolcache-');
  inputs = { 'python-version': `${PY}t`, 'openssl-version': SSL, ...sourceUrlInputs(server, PY, SSL) };
});

afterAll(async () => {
  await server?.close();
});

const env = () => ({ RUNNER_TOOL_CACHE: toolCache });
const completeMarkers = () =>
  readdirSync(toolCache, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.complete'))
    .sort();
/** The environment without PYTHON_GIL (which would turn the GIL on or off at start-up). */
const withoutGilVariable = () => Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'PYTHON_GIL'));

describe.sequential(`free-threaded CPython ${PY}t on OpenSSL ${SSL}`, () => {
  it(
    'builds with --disable-gil, verifies that it runs without the GIL, and the probe passes',
    async () => {
      const run = await runAction(inputs, env());
      expect(run.code, run.stdout.slice(-3000)).toBe(0);
      expect(run.outputs).toMatchObject({
        verdict: 'pass',
        'python-version': `${PY}t`,
        'openssl-version': SSL,
        'runtime-source': 'built',
      });
      expect(run.stdout).toContain(`python-version: '${PY}t' resolved to ${PY} (free-threaded)`);
      expect(run.stdout).toMatch(/\$ \.\/configure .* --disable-gil /);
      expect(run.stdout).toContain(`::group::Build free-threaded CPython ${PY} (`);
      python = run.outputs['python-path']!;
      expect(path.relative(toolCache, python)).toMatch(
        new RegExp(`^tls-floor-python/${PY.replaceAll('.', '\\.')}/[a-z0-9]+-freethreaded-tls1\\.2-openssl`),
      );

      // Its own word, with PYTHON_GIL out of the environment: a free-threaded build, the GIL off.
      const facts = pythonSays(
        python,
        'import json, ssl, sys, sysconfig; print(json.dumps([sys._is_gil_enabled(), sysconfig.get_config_var("Py_GIL_DISABLED"), sys.abiflags, ssl.HAS_TLSv1_1]))',
        withoutGilVariable(),
      );
      expect(facts).toEqual([false, 1, 't', false]);
      const bin = path.dirname(python);
      for (const name of ['python', 'python3', 'pip', 'pip3', `python${LINE}t`])
        expect(existsSync(path.join(bin, name)), name).toBe(true);
      // make install: python3.13t the program, python3.13 a hard link to it, python3 -> python3.13.
      expect(readlinkSync(path.join(bin, 'python3'))).toBe(`python${LINE}`);
      expect(statSync(path.join(bin, `python${LINE}`)).ino).toBe(statSync(path.join(bin, `python${LINE}t`)).ino);
      expect(readlinkSync(path.join(bin, 'python'))).toBe('python3');
      // pip runs the free-threaded interpreter beside it, from lib/python3.13t.
      const pip = execFileSync(path.join(bin, 'pip'), ['--version'], { encoding: 'utf8', env: withoutGilVariable() });
      expect(pip).toContain(path.join(run.outputs['tool-path']!, 'lib', `python${LINE}t`, 'site-packages', 'pip'));

      const report = JSON.parse(readFileSync(run.outputs['report-path']!, 'utf8'));
      expect(report.runtime.version).toBe(`CPython ${PY} (free-threaded)`);
      expect(report.runtime.details).toMatchObject({ freeThreaded: true, gilEnabled: false });
      expect(report.context.build.verification).toMatchObject({ freeThreaded: true, gilEnabled: false });
      expect(run.summary).toContain(`CPython ${PY} (free-threaded)`);
      expect(completeMarkers()).toHaveLength(2);
    },
    BUILD_MS,
  );

  it(
    'the GIL build of the same versions is another tool-cache entry: a GIL request does not find this one',
    async () => {
      const before = completeMarkers();
      process.env['RUNNER_TOOL_CACHE'] = toolCache; // planOf names the entries under it
      const planned = async (given: Record<string, string>) => {
        const read = await readInputs((name) => ({ ...inputs, 'runtime-index': 'none', ...given })[name] ?? '');
        return planOf(read.build, '1.2');
      };
      const [free, gil] = await Promise.all([planned({}), planned({ 'python-version': PY })]);
      expect(entryDir(free!.python.entry)).toBe(path.dirname(path.dirname(python)));
      expect(entryDir(gil!.python.entry)).not.toBe(entryDir(free!.python.entry));
      expect(entryDir(gil!.openssl.entry)).toBe(entryDir(free!.openssl.entry)); // one OpenSSL for both

      // The GIL request with its CPython source unreachable: OpenSSL is found, CPython is not (it
      // would be built), so the run fails to download and the tool cache stays as it was.
      const unreachable = {
        'python-version': PY,
        'python-source-url': 'http://127.0.0.1:9/Python-{version}.tar.xz',
        'runtime-index': 'none',
      };
      const run = await runAction({ ...inputs, ...unreachable }, env());
      expect(run.code).not.toBe(0);
      expect(run.stdout).not.toContain(`Found CPython ${PY}`);
      expect(run.stdout).toContain(`Found OpenSSL ${SSL} in the tool cache`);
      expect(run.stdout).toMatch(/::error::.*127\.0\.0\.1:9\/Python-/);
      expect(completeMarkers()).toEqual(before);
    },
    BUILD_MS,
  );

  it(
    'a second free-threaded run finds its own entry and builds nothing',
    async () => {
      const before = server.requests.length;
      const run = await runAction(inputs, env());
      expect(run.code, run.stdout.slice(-3000)).toBe(0);
      expect(run.outputs).toMatchObject({
        verdict: 'pass',
        'python-version': `${PY}t`,
        'cache-hit': 'true',
        'runtime-source': 'tool-cache',
        'python-path': python,
      });
      expect(server.requests.length).toBe(before);
      expect(run.stdout).toContain(`Found CPython ${PY} (free-threaded) on OpenSSL ${SSL} in the tool cache`);
    },
    BUILD_MS,
  );

  it('verification refuses it for a GIL request; for a free-threaded one it passes, PYTHON_GIL=1 set or not', async () => {
    const expected = { pythonVersion: PY, opensslVersion: SSL, floor: '1.2' as const };
    process.env['PYTHON_GIL'] = '1';
    await expect(verifyRuntime(python, expected)).rejects.toThrow(
      /it is a free-threaded build \(Py_GIL_DISABLED is 1\); the GIL build was asked for/,
    );
    await expect(verifyRuntime(python, { ...expected, freethreaded: true })).resolves.toMatchObject({
      freeThreaded: true,
      gilEnabled: false,
    });
  });

  it('leaves no child process behind', () => {
    expect(childProcesses()).toEqual([]);
  });
});
