import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findRelease } from '../../src/runtime/model/versions.js';
import { runAction } from '../fixtures/action.js';
import { expectHardenedRuntime } from '../fixtures/build-checks.js';
import { serveFiles } from '../fixtures/build-sources.js';
import { CacheDouble } from '../fixtures/cache-double.js';
import { runInProcess } from '../fixtures/inprocess.js';
import { childProcesses } from '../fixtures/processes.js';
import { requireTool } from '../fixtures/requirements.js';
import {
  fetchedVersion,
  type SourceServer,
  serveSources,
  sourceExtension,
  sourceFile,
  sourceUrlInputs,
} from '../fixtures/sources.js';
import { temporaryFolder } from '../fixtures/temporary.js';

// What a build needs on the machine (OpenSSL's Configure is Perl); missing, the file fails.
for (const tool of ['cc', 'make', 'perl', 'tar', 'zstd']) requireTool(tool); // zstd: tar -xf of the .tar.zst

// Real builds from the real upstream tarballs (scripts/fetch-test-sources.sh, run by
// `npm test`), served on 127.0.0.1, through the bundled action with a temporary tool cache.
// The pair is the newest the archive serves of CPython 3.13 and of the OpenSSL 3.5 LTS line
// (3.13.15 + 3.5.7 when this was written): whatever the fetch script found and checked
// against the table, so the test does not depend on one version staying in the archive.
const BUILD_MS = 20 * 60_000;
const PY = fetchedVersion('python', '3.13') ?? 'missing';
const SSL = fetchedVersion('openssl', '3.5') ?? 'missing';
const re = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** The table's checksum of the file the fetch script got (the table lists it by format). */
const tableSha = (project: 'python' | 'openssl', version: string, file: string) =>
  findRelease(project, version)!.files.find(
    (f) => sourceExtension(f.url).replace('.tgz', '.tar.gz') === sourceExtension(file),
  )!.sha256;

let server: SourceServer;
let toolCache: string;
let inputs: Record<string, string>;

beforeAll(async () => {
  server = await serveSources();
  toolCache = temporaryFolder('tls-floor-toolcache-');
  inputs = { 'python-version': PY, 'openssl-version': SSL, ...sourceUrlInputs(server, PY, SSL) };
});

afterAll(async () => {
  await server?.close();
});

const env = () => ({ RUNNER_TOOL_CACHE: toolCache });

/** Every file and folder below the tool cache, for before/after comparisons. */
function listing(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: false }).map(String).sort();
}

function emptyToolCache(): void {
  for (const name of readdirSync(toolCache)) rmSync(path.join(toolCache, name), { recursive: true, force: true });
}

const completeMarkers = () => listing(toolCache).filter((f) => f.endsWith('.complete'));

describe.sequential(`building the hardened runtime (OpenSSL ${SSL} + CPython ${PY})`, () => {
  it(
    'a cancelled build leaves no complete entry and no process behind',
    async () => {
      const run = await runAction(inputs, env(), (child) => setTimeout(() => child.kill('SIGTERM'), 8_000));
      expect(run.code).not.toBe(0);
      expect(run.stdout).toMatch(
        new RegExp(
          `^::error::tls-floor: cancelled \\(SIGTERM\\) during (Download and verify|Build) OpenSSL ${re(SSL)}`,
          'm',
        ),
      );
      expect(completeMarkers()).toEqual([]);
      expect(readdirSync(run.runnerTemp).filter((f) => /^tls-floor-(openssl|python)-/.test(f))).toEqual([]);
      // The build's process group was stopped with us.
      await new Promise((r) => setTimeout(r, 1000));
      const strays = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
        .split('\n')
        .filter((l) => l.includes(toolCache) && !l.includes('ps -eo'));
      expect(strays).toEqual([]);
    },
    BUILD_MS,
  );

  it(
    `builds, verifies and probes: pass in both modes, OpenSSL ${SSL} linked statically`,
    async () => {
      const run = await runAction(inputs, env());
      expectHardenedRuntime(run, { python: PY, openssl: SSL, toolCache });
      expect(completeMarkers()).toHaveLength(2); // OpenSSL and CPython, each its own entry
    },
    BUILD_MS,
  );

  it(
    'a second run finds it in the tool cache and builds nothing',
    async () => {
      const before = server.requests.length;
      const run = await runAction(inputs, env());
      expect(run.code).toBe(0);
      expect(run.outputs).toMatchObject({
        verdict: 'pass',
        'cache-hit': 'true',
        'runtime-source': 'tool-cache',
        'openssl-version': SSL,
      });
      expect(server.requests.length).toBe(before);
      expect(run.stdout).not.toMatch(/::group::Build /);
      expect(run.stdout).toContain(`Found CPython ${PY} on OpenSSL ${SSL} in the tool cache`);
      // update-environment: false (setup-python's input): the same pass, PATH and the environment left alone.
      const alone = await runAction({ ...inputs, 'update-environment': 'false' }, env());
      expect(alone.code).toBe(0);
      expect(alone.outputs['python-path']).toBe(run.outputs['python-path']);
      expect(alone.path).toEqual([]);
      expect(alone.exported).toEqual({});
    },
    BUILD_MS,
  );

  it(
    'the built runtime judged by the pq-hybrid policy: passes on OpenSSL 3.5+, which offers and negotiates X25519MLKEM768',
    async () => {
      // The build of this suite, found in the tool cache (placed before the tests that empty it).
      const built = await runAction(inputs, env());
      expect(built.code, built.stdout.slice(-3000)).toBe(0);
      const run = await runAction({ 'python-path': built.outputs['python-path']!, policy: 'pq-hybrid' });
      const report = JSON.parse(readFileSync(run.outputs['report-path']!, 'utf8'));
      expect(report.unavailable).toEqual([]); // the bundle runs on Node.js 24: its OpenSSL serves the hybrid groups
      if (/^(3\.([5-9]|\d\d)|[4-9])\./.test(built.outputs['openssl-version']!)) {
        expect(run.code, run.stdout.slice(-3000)).toBe(0);
        expect(run.outputs).toMatchObject({ verdict: 'pass', 'policy-failures': '', 'policy-warnings': '' });
        expect(report.clientHelloFacts.default[0].facts.hybridPq).toContain('X25519MLKEM768');
      } else {
        // An OpenSSL before 3.5 has no ML-KEM: the rule fails, naming itself.
        expect(run.code).not.toBe(0);
        expect(run.outputs['policy-failures']).toBe('pq-hybrid.offer-group,pq-hybrid.negotiate');
      }
    },
    BUILD_MS,
  );

  it(
    'the built runtime judged by rfc9325 as the build path probes it (both modes): the floor and every rule pass; the strict client is information',
    async () => {
      // The build of this suite, found in the tool cache; probed in both modes, as a runtime the action hands out.
      const run = await runAction({ ...inputs, policy: 'rfc9325' }, env());
      expect(run.code, run.stdout.slice(-3000)).toBe(0);
      expect(run.outputs).toMatchObject({ verdict: 'pass', 'policy-failures': '' });
      const report = JSON.parse(readFileSync(run.outputs['report-path']!, 'utf8'));
      type Result = { rule: string; level: string; status: string; clients: { client: string; judged: boolean }[] };
      const results: Result[] = report.policy.results;
      const must = results.filter((r) => r.level === 'MUST');
      expect(must.map((r) => `${r.rule} ${r.status}`)).toEqual(must.map((r) => `${r.rule} pass`));
      // The default client is judged; the strict one (security level 0, to show capability) is
      // reported beside it as information: it completes the SHA-1-signed handshake by design.
      for (const r of results)
        expect(r.clients.map((c) => `${c.client} ${c.judged}`)).toEqual(['default true', 'strict false']);
      const sha1 = results.find((r) => r.rule === 'rfc9325.no-sha1-signatures')!;
      expect(sha1.clients).toEqual([
        expect.objectContaining({ client: 'default', status: 'pass' }),
        expect.objectContaining({ client: 'strict', status: 'fail' }),
      ]);
    },
    BUILD_MS,
  );

  it(
    'a wrong openssl-sha256 fails with both digests and leaves the tool cache as it was',
    async () => {
      const before = listing(toolCache);
      const wrong = '0'.repeat(64);
      const run = await runAction({ ...inputs, 'openssl-sha256': wrong }, env());
      expect(run.code).not.toBe(0);
      const got = tableSha('openssl', SSL, sourceFile(`openssl-${SSL}`)!);
      expect(run.stdout).toMatch(
        new RegExp(
          `::error::tls-floor: openssl-sha256: checksum mismatch for http://127\\.0\\.0\\.1:\\d+/${re(`openssl-${SSL}.tar.gz`)}: expected ${wrong}, got ${got}\\. Nothing was extracted or cached\\.`,
        ),
      );
      expect(listing(toolCache)).toEqual(before);
    },
    BUILD_MS,
  );

  let archive: { path: string; sha256: string };

  it(
    'packs the passing runtime into an archive with a manifest',
    async () => {
      const run = await runAction({ ...inputs, 'create-archive': 'true' }, env());
      expect(run.code, run.stdout.slice(-3000)).toBe(0);
      archive = { path: run.outputs['archive-path']!, sha256: run.outputs['archive-sha256']! };
      expect(archive.path).toMatch(
        new RegExp(`tls-floor-cpython${re(PY)}-openssl${re(SSL)}-tls1\\.2-linux-x64\\.tar\\.zst$`),
      );
      expect(statSync(archive.path).size).toBeLessThan(25 * 1024 * 1024); // issue 20: lean, zstd
      const manifest = JSON.parse(readFileSync(run.outputs['archive-manifest']!, 'utf8'));
      expect(manifest.archive.sha256).toBe(archive.sha256);
      expect(createHash('sha256').update(readFileSync(archive.path)).digest('hex')).toBe(archive.sha256);
      expect(manifest.plan.python.source).toMatchObject({
        version: PY,
        sha256: tableSha('python', PY, sourceFile(`Python-${PY}`)!),
        checksumFrom: 'known-releases',
      });
      expect(manifest.plan.openssl.options).toContain('no-tls1_1');
      expect(manifest.report.verdict).toBe('pass');
    },
    BUILD_MS,
  );

  it(
    'installs the archive into an empty tool cache from a loopback URL, and the probe passes',
    async () => {
      emptyToolCache();
      const files = await serveFiles(path.dirname(archive.path));
      try {
        const before = server.requests.length;
        // The URL and its checksum alone: the versions are the archive's (no version input given).
        const run = await runAction(
          { 'runtime-archive-url': files.url(path.basename(archive.path)), 'runtime-archive-sha256': archive.sha256 },
          env(),
        );
        expect(run.code, run.stdout.slice(-3000)).toBe(0);
        expect(run.outputs).toMatchObject({
          verdict: 'pass',
          'cache-hit': 'true',
          'runtime-source': 'archive',
          'openssl-version': SSL,
          'python-version': PY,
        });
        expect(server.requests.length).toBe(before); // no source was downloaded, nothing built
        expect(completeMarkers()).toHaveLength(2);
      } finally {
        await files.close();
      }
    },
    BUILD_MS,
  );

  it(
    'refuses an archive with one byte changed, before unpacking anything',
    async () => {
      emptyToolCache();
      const tampered = path.join(temporaryFolder('tls-floor-tampered-'), 'runtime.tar.gz');
      const bytes = readFileSync(archive.path);
      bytes[Math.floor(bytes.length / 2)]! ^= 0xff;
      writeFileSync(tampered, bytes);
      const run = await runAction({ 'runtime-archive-url': tampered, 'runtime-archive-sha256': archive.sha256 }, env());
      expect(run.code).not.toBe(0);
      expect(run.stdout).toMatch(
        new RegExp(
          `::error::tls-floor: runtime-archive-sha256: checksum mismatch for .*: expected ${archive.sha256}, got [0-9a-f]{64}\\.`,
        ),
      );
      expect(listing(toolCache)).toEqual([]);
    },
    BUILD_MS,
  );

  it(
    'refuses an archive whose manifest is for other versions, even with its right checksum',
    async () => {
      const dir = temporaryFolder('tls-floor-relabelled-');
      execFileSync('tar', ['-xf', archive.path, '-C', dir]);
      const manifestFile = path.join(dir, 'tls-floor-runtime.json');
      const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
      manifest.plan.python.source.version = '3.9.2';
      writeFileSync(manifestFile, JSON.stringify(manifest));
      const relabelled = path.join(dir, 'relabelled.tar.gz');
      execFileSync('tar', ['-czf', relabelled, '-C', dir, 'tls-floor-runtime.json', ...manifest.members]);
      const sha = createHash('sha256').update(readFileSync(relabelled)).digest('hex');
      const versions = { 'python-version': inputs['python-version']!, 'openssl-version': inputs['openssl-version']! };
      const run = await runAction(
        { ...versions, 'runtime-archive-url': `file://${relabelled}`, 'runtime-archive-sha256': sha },
        env(),
      );
      expect(run.code).not.toBe(0);
      expect(run.stdout).toContain(
        `::error::runtime-archive-url: the archive is refused: it holds CPython 3.9.2, not the requested ${PY}.`,
      );
      expect(listing(toolCache)).toEqual([]);
    },
    BUILD_MS,
  );

  it(
    'with a TLS 1.3 floor: a build whose probe fails is not saved; a passing build is; a new job restores it',
    async () => {
      const double = new CacheDouble('working');
      double.failNextRestore = true;
      // A runner-wide OpenSSL policy that caps TLS at 1.2 (read by the hardened OpenSSL, not by
      // the build or the verification): the 1.3-only runtime then cannot reach even the modern
      // server, so its probe says broken and nothing may go to the cross-run cache.
      const policy = path.join(temporaryFolder('tls-floor-policy-'), 'openssl.cnf');
      writeFileSync(
        policy,
        'openssl_conf = init\n[init]\nssl_conf = ssl\n[ssl]\nsystem_default = caps\n[caps]\nMaxProtocol = TLSv1.2\n',
      );
      const capped = await runInProcess(
        { ...inputs, 'min-tls-version': '1.3' },
        { ...env(), OPENSSL_CONF: policy },
        { crossRunCache: double },
      );
      expect(capped.failed, capped.log.slice(-3000)).toBe(true);
      expect(capped.log).toMatch(/::warning::Cross-run cache restore failed \(building instead\)/);
      expect(capped.outputs).toMatchObject({ verdict: 'broken', 'cache-hit': 'false', 'runtime-source': 'built' });
      expect(double.calls.filter((c) => c.op === 'save')).toEqual([]);

      // The same job without the policy: CPython is built again (OpenSSL comes from the tool
      // cache), the probe passes, and now the build is saved.
      rmSync(path.join(toolCache, 'tls-floor-python'), { recursive: true, force: true });
      const first = await runInProcess({ ...inputs, 'min-tls-version': '1.3' }, env(), { crossRunCache: double });
      expect(first.failed, first.log.slice(-3000)).toBe(false);
      expect(first.outputs).toMatchObject({
        verdict: 'pass',
        'negotiated-version': 'TLSv1.3',
        'cache-hit': 'false',
        'runtime-source': 'built',
      });
      expect(first.log).toMatch(/::group::Build CPython/);
      expect(first.log).not.toMatch(/::group::Build OpenSSL/);
      const report = JSON.parse(readFileSync(first.outputs['report-path']!, 'utf8'));
      expect(
        report.handshakes.find(
          (h: { server: string; client: string }) => h.server === 'TLSv1.2' && h.client === 'control',
        ).outcome,
      ).toBe('connected');
      for (const client of ['default', 'strict']) {
        expect(
          report.handshakes.find(
            (h: { server: string; client: string }) => h.server === 'TLSv1.2' && h.client === client,
          ).outcome,
        ).toBe('refused');
      }
      expect(report.context.build.verification.has.HAS_TLSv1_2).toBe(false);
      expect(report.context.build.verification.libraryOffers.all).toEqual(['TLSv1.3']);
      expect(double.keys()).toHaveLength(1);

      // A new job: empty tool cache (same root), sources unreachable: only a restore can work.
      emptyToolCache();
      // The same file names as the mirror's: a template's extension picks the table's checksum of
      // that format, and the checksum is part of the cache key.
      const unreachable = {
        'python-source-url': `http://127.0.0.1:9/Python-{version}${sourceExtension(sourceFile(`Python-${PY}`)!)}`,
        'openssl-source-url': `http://127.0.0.1:9/openssl-{version}${sourceExtension(sourceFile(`openssl-${SSL}`)!)}`,
      };
      const second = await runInProcess({ ...inputs, ...unreachable, 'min-tls-version': '1.3' }, env(), {
        crossRunCache: double,
      });
      expect(second.failed, second.log.slice(-3000)).toBe(false);
      expect(second.outputs).toMatchObject({ verdict: 'pass', 'cache-hit': 'true', 'runtime-source': 'cross-run' });
      expect(second.log).not.toMatch(/::group::Build /);
      expect(double.keys()).toHaveLength(1); // an exact hit is not saved again
    },
    BUILD_MS,
  );

  it('leaves no child process behind', () => {
    expect(childProcesses()).toEqual([]);
  });
});
