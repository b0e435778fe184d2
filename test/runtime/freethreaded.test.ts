import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ARCHIVE_FORMAT, type ArchiveManifest, ArchiveRefused } from '../../src/runtime/archive/format.js';
import { trustedPlan } from '../../src/runtime/archive/trust.js';
import { pythonOptions } from '../../src/runtime/cpython.js';
import { cacheKey } from '../../src/runtime/crossrun.js';
import { FREE_THREADED_SINCE, freeThreadedProblem } from '../../src/runtime/model/compat.js';
import { planBuild, type SourceSpec } from '../../src/runtime/model/plan.js';
import { freeThreadedSpec } from '../../src/runtime/model/versions.js';
import { matchEntry } from '../../src/runtime/prebuilt.js';
import { relocateSysconfig } from '../../src/runtime/relocate.js';
import { threadingProblems } from '../../src/runtime/verify.js';
import { indexEntryFor } from '../fixtures/index-entry.js';
import { temporaryFolder } from '../fixtures/temporary.js';

// Free-threaded CPython (--disable-gil) as a build of its own: its spec, identity, tool-cache
// variant, archive and index matching, verification and relocation. The real build is
// test/runtime/freethreaded-build.action.test.ts.
const platform = { os: 'linux', osRelease: 'debian-12', arch: 'x64' } as const;
const source = (name: SourceSpec['name'], version: string): SourceSpec => ({
  name,
  version,
  url: `https://example.invalid/${name}-${version}.tar.gz`,
  sha256: (name === 'python' ? 'a' : 'b').repeat(64),
  checksumFrom: 'known-releases',
});
const plan = (freethreaded: boolean, version = '3.13.15') =>
  planBuild({
    floor: '1.2',
    platform,
    jobs: 2,
    python: source('python', version),
    openssl: source('openssl', '3.5.7'),
    pythonOptions: pythonOptions(version, 'linux', freethreaded),
    opensslDir: '/usr/lib/ssl',
    ...(freethreaded ? { freethreaded } : {}),
  });

describe('the spec: setup-python spelling', () => {
  it('3.13t, 3.13.5t are free-threaded; ranges, 3t and prereleases with t are not read as such', () => {
    expect(freeThreadedSpec('3.13t')).toEqual({ spec: '3.13', freethreaded: true });
    expect(freeThreadedSpec('3.13.5t')).toEqual({ spec: '3.13.5', freethreaded: true });
    for (const spec of ['3.13', '>=3.13t', '3t', '3.14.0rc1t', '3.13t-dev', ' 3.13t'])
      expect(freeThreadedSpec(spec)).toEqual({ spec, freethreaded: false });
  });

  it('3.13 is the first line with a free-threaded build', () => {
    expect(FREE_THREADED_SINCE).toBe('3.13.0');
    expect(freeThreadedProblem('3.13.0')).toBeUndefined();
    expect(freeThreadedProblem('3.14.10')).toBeUndefined();
    expect(freeThreadedProblem('3.12.13')).toBe(
      'CPython 3.12.13 has no free-threaded build: --disable-gil arrived in CPython 3.13 (PEP 703)',
    );
  });
});

describe('the plan: its own identity and tool-cache variant', () => {
  it('configures with --disable-gil and files under <arch>-freethreaded; the GIL build is untouched', () => {
    const [free, gil] = [plan(true), plan(false)];
    expect(free.python.options).toContain('--disable-gil');
    expect(gil.python.options).not.toContain('--disable-gil');
    expect(free.python.entry.variant).toMatch(/^x64-freethreaded-tls1\.2-openssl3\.5\.7-[0-9a-f]{10}$/);
    expect(gil.python.entry.variant).toMatch(/^x64-tls1\.2-openssl3\.5\.7-[0-9a-f]{10}$/);
    expect(free.python.entry.identity).toMatchObject({ freethreaded: true });
    // No key at all for the GIL build: every GIL entry made before keeps its folder.
    expect('freethreaded' in gil.python.entry.identity).toBe(false);
    expect(gil.python.freethreaded).toBeUndefined();
    expect(free.openssl.entry).toEqual(gil.openssl.entry); // one OpenSSL serves both
  });

  it('the cross-run cache key names it too', () => {
    const [free, gil] = [cacheKey(plan(true), '/t'), cacheKey(plan(false), '/t')];
    expect(free).toMatch(/-cpython3\.13\.15t-openssl3\.5\.7-/);
    expect(gil).toMatch(/-cpython3\.13\.15-openssl3\.5\.7-/);
  });
});

describe('the runtime index and archives: a free-threaded runtime never serves a GIL request, nor the other way', () => {
  it('an index entry serves only the build it was made from; a miss names the difference', () => {
    const index = { format: 1 as const, runtimes: [indexEntryFor(plan(false))] };
    expect('entry' in matchEntry(index, plan(false))).toBe(true);
    const miss = matchEntry(index, plan(true));
    expect(miss).toEqual({
      miss: expect.stringMatching(
        /^no prebuilt runtime for CPython 3\.13\.15 \(free-threaded\) \/ OpenSSL 3\.5\.7 .*nearest differs in with the GIL\)/,
      ),
    });
    const free = { format: 1 as const, runtimes: [{ ...indexEntryFor(plan(true)), freethreaded: true }] };
    expect('entry' in matchEntry(free, plan(true))).toBe(true);
    expect(matchEntry(free, plan(false))).toEqual({
      miss: expect.stringContaining('nearest differs in free-threaded'),
    });
  });

  const manifestOf = (p: ReturnType<typeof plan>): ArchiveManifest => {
    const { jobs: _jobs, ...portable } = p;
    return {
      format: ARCHIVE_FORMAT,
      createdAt: '2026-12-01T00:00:00Z',
      plan: portable,
      toolCacheRoot: '/t',
      members: [],
      report: {},
      unpacked: { members: 0, bytes: 0 },
    } as unknown as ArchiveManifest;
  };
  const want = (freethreaded?: boolean) => ({
    python: { spec: '3.13', ...(freethreaded ? { freethreaded } : {}) },
    floor: '1.2' as const,
    platform,
    jobs: 2,
    root: '/t',
    opensslDir: '/usr/lib/ssl',
  });

  it('an archive of the build asked for is planned as that build', () => {
    expect(trustedPlan(manifestOf(plan(true)), want(true))).toEqual(plan(true));
    expect(trustedPlan(manifestOf(plan(false)), want())).toEqual(plan(false));
  });

  it('is refused for the other build, in words', () => {
    const refused = (m: ArchiveManifest, w: ReturnType<typeof want>) => {
      try {
        trustedPlan(m, w);
      } catch (error) {
        expect(error).toBeInstanceOf(ArchiveRefused);
        return (error as Error).message;
      }
      throw new Error('not refused');
    };
    expect(refused(manifestOf(plan(true)), want())).toContain(
      'it holds free-threaded CPython 3.13.15; the request is for the GIL build (ask for 3.13t to take it)',
    );
    expect(refused(manifestOf(plan(false)), want(true))).toContain(
      'it holds CPython 3.13.15 with the GIL, not the free-threaded build requested',
    );
    // A manifest that says free-threaded over a GIL build's options is another identity: refused.
    const relabelled = manifestOf(plan(false));
    relabelled.plan.python = { ...relabelled.plan.python, freethreaded: true };
    expect(refused(relabelled, want(true))).toMatch(/its manifest names the tool-cache entry .*x64-tls1\.2-/);
  });
});

describe('verification: the build asked for, running as asked', () => {
  it('a free-threaded request needs Py_GIL_DISABLED and the GIL off; a GIL request refuses a free-threaded build', () => {
    expect(threadingProblems({ freeThreaded: true, gilEnabled: false }, true)).toEqual([]);
    expect(threadingProblems({ freeThreaded: false, gilEnabled: true }, false)).toEqual([]);
    expect(threadingProblems({ freeThreaded: true, gilEnabled: true }, true)).toEqual([
      'sys._is_gil_enabled() is True in a free-threaded build: the GIL is on',
    ]);
    expect(threadingProblems({ freeThreaded: false, gilEnabled: true }, true)).toEqual([
      'it is not a free-threaded build (Py_GIL_DISABLED is not 1)',
    ]);
    expect(threadingProblems({ freeThreaded: true, gilEnabled: false }, false)).toEqual([
      'it is a free-threaded build (Py_GIL_DISABLED is 1); the GIL build was asked for',
    ]);
  });
});

describe('relocation of a free-threaded install', () => {
  it('finds lib/python3.13t and hooks its _sysconfigdata_t_*.py', async () => {
    const root = temporaryFolder('tls-floor-ft-root-');
    const prefix = path.join(root, 'tls-floor-python', '3.13.15', 'x64-freethreaded-tls1.2-x');
    const stdlib = path.join(prefix, 'lib', 'python3.13t');
    mkdirSync(stdlib, { recursive: true });
    const data = path.join(stdlib, '_sysconfigdata_t_linux_x86_64-linux-gnu.py');
    writeFileSync(data, `build_time_vars = {"LIBDIR": ${JSON.stringify(path.join(prefix, 'lib'))}}\n`);
    // Any CPython 3 compiles the file; the system's stands in for the one built.
    expect(await relocateSysconfig('/usr/bin/python3', prefix, root)).toEqual([data]);
    expect(readFileSync(data, 'utf8')).toContain('_tls_floor_relocate');
  });
});
