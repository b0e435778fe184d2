import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAction } from '../fixtures/action.js';
import { serveFiles } from '../fixtures/build-sources.js';
import { requireTool } from '../fixtures/requirements.js';
import { fetchedVersion, type SourceServer, serveSources, sourceFile, sourceUrlInputs } from '../fixtures/sources.js';
import { temporaryFolder } from '../fixtures/temporary.js';

for (const tool of ['cc', 'make', 'perl', 'tar']) requireTool(tool);

// One real FIPS build (fips: true) from the served tarballs, through the bundle as the runner
// runs it. The served OpenSSL 3.5 release is also the provider's (3.1.2's tarball, the
// validated one, is not served here): its own FIPS provider, reported as not a validated version.
const BUILD_MS = 40 * 60_000;
const PY = fetchedVersion('python', '3.13') ?? 'missing';
const SSL = fetchedVersion('openssl', '3.5') ?? 'missing';
const FIPS = { fips: 'true', 'fips-provider-version': SSL, policy: 'floor fips-140-3' };

let server: SourceServer;
let toolCache: string;
let inputs: Record<string, string>;

beforeAll(async () => {
  for (const base of [`openssl-${SSL}`, `Python-${PY}`]) {
    if (!sourceFile(base))
      throw new Error(`${base} is missing from .cache/sources: run scripts/fetch-test-sources.sh (npm test does)`);
  }
  server = await serveSources();
  toolCache = temporaryFolder('tls-floor-toolcache-');
  inputs = { 'python-version': PY, 'openssl-version': SSL, ...sourceUrlInputs(server, PY, SSL), ...FIPS };
});

afterAll(async () => {
  await server?.close();
});

interface Result {
  rule: string;
  status: string;
  sentence: string;
  clients: { client: string; status: string; judged: boolean }[];
}

/** The report of a FIPS runtime: floor and fips-140-3 hold for every judged client, the version warns. */
function expectFipsReport(report: {
  deciders: string[];
  policy: { results: Result[] };
  handshakes: { server: string; client: string; outcome: string }[];
}): void {
  expect(report.deciders).toEqual(['default', 'strict']);
  const results = Object.fromEntries(report.policy.results.map((r) => [r.rule, r]));
  for (const rule of [
    'floor.connect-modern',
    'floor.refuse-below-floor',
    'fips-140-3.fips-mode',
    'fips-140-3.connect-modern',
    'fips-140-3.refuse-non-approved',
  ])
    expect(results[rule]?.status, results[rule]?.sentence).toBe('pass');
  // The floor in both modes: the default and the strict client each hold it.
  for (const rule of ['floor.connect-modern', 'floor.refuse-below-floor'])
    expect(results[rule]!.clients.filter((c) => c.judged).map((c) => c.client)).toEqual(
      expect.arrayContaining(['default', 'strict']),
    );
  expect(results['fips-140-3.fips-mode']!.sentence).toMatch(
    new RegExp(
      `'OpenSSL FIPS Provider' ${SSL.replace(/\./g, '\\.')} \\(build .+, active\\).*self-tests ran at fipsinstall`,
    ),
  );
  expect(results['fips-140-3.validated-version']).toMatchObject({ status: 'warn' });
  expect(results['fips-140-3.validated-version']!.sentence).toContain(
    `the FIPS provider ${SSL} is not a validated version`,
  );
  const outcome = (server: string, client: string) =>
    report.handshakes.find((h) => h.server === server && h.client === client)?.outcome;
  expect(outcome('chacha20-only', 'control')).toBe('connected');
  for (const client of ['default', 'strict']) expect(outcome('chacha20-only', client)).toBe('refused');
}

/** Runs a line of Python in the runtime; its exit code and stderr. */
function python(interpreter: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'OPENSSL_CONF'));
  const run = spawnSync(interpreter, args, { env: { ...clean, ...env }, encoding: 'utf8', timeout: 60_000 });
  return { code: run.status, stderr: run.stderr, stdout: run.stdout };
}

let archive: { path: string; sha256: string };

describe.sequential(`a FIPS runtime (OpenSSL ${SSL} and its FIPS provider, CPython ${PY})`, () => {
  it(
    'builds with fips: true; passes fips-140-3 and the floor in both modes; md5 raises; the ChaCha20-only server is refused',
    async () => {
      const run = await runAction({ ...inputs, 'create-archive': 'true' }, { RUNNER_TOOL_CACHE: toolCache });
      expect(run.code, run.stdout.slice(-12000)).toBe(0);
      expect(run.outputs).toMatchObject({
        verdict: 'pass',
        'runtime-source': 'built',
        'policy-failures': '',
        'policy-warnings': 'fips-140-3.validated-version',
      });
      expect(run.stdout).toMatch(
        /^::warning::tls-floor policy: fips-140-3\.validated-version .*not a validated version/m,
      );
      const report = JSON.parse(readFileSync(run.outputs['report-path']!, 'utf8'));
      expectFipsReport(report);
      const fips = report.context.build.verification.fips;
      expect(fips.process).toMatchObject({
        defaultPropertiesFips: true,
        md5NotForSecurity: 'works',
        builtinHashes: [],
      });
      // _hashlib.UnsupportedDigestmodError is a ValueError.
      expect(fips.process.md5).toMatch(/^raises UnsupportedDigestmodError: .*unsupported/);
      expect(report.context.build.openssl.options).toContain('enable-fips');

      // Every process of the runtime is in FIPS mode: the openssl-conf output names its own
      // configuration, inside the tool cache, and the interpreter finds it without being told;
      // the job's other programs are left alone (no OPENSSL_CONF exported).
      const conf = run.outputs['openssl-conf']!;
      expect(run.exported['OPENSSL_CONF']).toBeUndefined();
      expect(conf.startsWith(`${toolCache}/tls-floor-openssl/`)).toBe(true);
      const py = run.outputs['python-path']!;
      const md5 = ['-c', 'import hashlib; hashlib.md5(b"")'];
      const noted = python(py, md5);
      expect(noted.code).not.toBe(0);
      expect(noted.stderr).toMatch(/UnsupportedDigestmodError: .*unsupported/);
      expect(python(py, ['-c', 'import hashlib; hashlib.md5(b"", usedforsecurity=False)'])).toMatchObject({ code: 0 });
      // No traceback at import for the hashes hashlib takes only from its built-ins (blake2).
      const blake = python(py, [
        '-c',
        'import hashlib\ntry:\n    hashlib.blake2b()\nexcept ValueError as e:\n    print(e)',
      ]);
      expect(blake).toMatchObject({ code: 0, stderr: '' });
      expect(blake.stdout).toMatch(/unsupported hash type blake2b/);
      // A child process inherits it (the .pth sets OPENSSL_CONF); -S skips site: OPENSSL_CONF set by the user covers it.
      const child =
        'import subprocess, sys\nsys.exit(subprocess.run([sys.executable, "-S", "-c", "import hashlib; hashlib.md5()"]).returncode)';
      expect(python(py, ['-c', child]).code).not.toBe(0);
      expect(python(py, ['-S', ...md5], { OPENSSL_CONF: conf }).code).not.toBe(0);
      expect(python(py, ['-S', ...md5]).code).toBe(0); // as docs/runtimes.md says: -S without OPENSSL_CONF is not FIPS mode
      archive = { path: run.outputs['archive-path']!, sha256: run.outputs['archive-sha256']! };
    },
    BUILD_MS,
  );

  it(
    'installed from its archive under another tool-cache root: fipsinstall runs there, and the probe passes again',
    async () => {
      expect(archive, 'the build above made no archive').toBeDefined();
      rmSync(toolCache, { recursive: true, force: true }); // nothing of the build's root is left to lean on
      const other = temporaryFolder('tls-floor-toolcache-other-');
      const files = await serveFiles(path.dirname(archive.path));
      const started = Date.now();
      try {
        const run = await runAction(
          {
            'runtime-archive-url': files.url(path.basename(archive.path)),
            'runtime-archive-sha256': archive.sha256,
            ...FIPS,
          },
          { RUNNER_TOOL_CACHE: other },
        );
        expect(run.code, run.stdout.slice(-12000)).toBe(0);
        expect(run.outputs).toMatchObject({ verdict: 'pass', 'runtime-source': 'archive', 'policy-failures': '' });
        const report = JSON.parse(readFileSync(run.outputs['report-path']!, 'utf8'));
        expectFipsReport(report);
        const opensslPrefix = report.context.build.opensslPrefix as string;
        expect(opensslPrefix.startsWith(`${other}/`)).toBe(true);
        const ssl = (file: string) => path.join(opensslPrefix, 'ssl', file);
        const record = JSON.parse(readFileSync(ssl('fipsinstall.json'), 'utf8'));
        expect(record).toMatchObject({ opensslPrefix, said: expect.stringMatching(/INSTALL PASSED/) });
        expect(Date.parse(record.installedAt)).toBeGreaterThanOrEqual(started - 1000);
        // fipsmodule.cnf is this install's, and every path of the configuration points here.
        expect(statSync(ssl('fipsmodule.cnf')).mtimeMs).toBeGreaterThanOrEqual(started - 1000);
        const conf = readFileSync(ssl('openssl-fips.cnf'), 'utf8');
        expect(conf).toContain(`module = ${opensslPrefix}/lib/ossl-modules/fips.so`);
        expect(conf).toContain(`.include ${opensslPrefix}/ssl/fipsmodule.cnf`);
        expect(conf).not.toContain(toolCache);
        expect(run.outputs['openssl-conf']).toBe(ssl('openssl-fips.cnf'));
        expect(existsSync(toolCache)).toBe(false);
        const noted = python(run.outputs['python-path']!, ['-c', 'import hashlib; hashlib.md5(b"")']);
        expect(noted.code).not.toBe(0);
      } finally {
        await files.close();
      }
    },
    BUILD_MS,
  );
});
