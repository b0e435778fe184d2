import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { actionDefaults } from '../../scripts/runner-inputs.mjs';
import { readInputs } from '../../src/inputs/inputs.js';
import { ARCHIVE_FORMAT, type ArchiveManifest } from '../../src/runtime/archive/format.js';
import { trustedPlan } from '../../src/runtime/archive/trust.js';
import { pythonOptions, TEST_EXTENSION } from '../../src/runtime/cpython.js';
import type { BuildPlan } from '../../src/runtime/model/plan.js';
import { plansOf } from '../../src/runtime/obtain.js';
import { findPrebuilt, type IndexEntry } from '../../src/runtime/prebuilt.js';
import { preferPrebuilt } from '../../src/runtime/prebuilt-spec.js';
import { ROOT } from '../fixtures/action.js';
import { indexEntryFor } from '../fixtures/index-entry.js';
import { captureLog } from '../fixtures/log.js';
import { temporaryFolder } from '../fixtures/temporary.js';

// The optimize input: what it reads as, what it adds to the build identity, and which
// runtime-index entries (and so which prebuilt runtimes) each value accepts.
const inputs = (given: Record<string, string>) => {
  const all: Record<string, string> = { ...actionDefaults(), 'runtime-index': 'none', ...given };
  return readInputs((name) => all[name] ?? '');
};
const buildOf = async (given: Record<string, string>) => (await inputs(given)).build;

describe('optimize: the input', () => {
  it('defaults to auto, which the build inputs leave out (obtain.ts decides)', async () => {
    expect(actionDefaults()['optimize']).toBe('auto');
    expect((await buildOf({})).optimize).toBeUndefined();
    expect((await buildOf({ optimize: 'AUTO' })).optimize).toBeUndefined();
  });

  it.each(['none', 'pgo-lto'] as const)('%s is kept as given', async (value) => {
    expect((await buildOf({ optimize: value })).optimize).toBe(value);
  });

  it('anything else is refused in one line naming the input and the values allowed', async () => {
    await expect(inputs({ optimize: 'bolt' })).rejects.toThrow(
      /^optimize: 'bolt' is not allowed; use none, pgo-lto, auto \(default auto\)\.$/,
    );
  });

  it('is a build input: an error with python-path or with an archive', async () => {
    await expect(inputs({ optimize: 'pgo-lto', 'python-path': '/usr/bin/python3' })).rejects.toThrow(
      'optimize: ignored with python-path (nothing is built when python-path is given); remove one of them.',
    );
    await expect(
      inputs({
        optimize: 'none',
        'runtime-archive-url': 'https://x/r.tar.gz',
        'runtime-archive-sha256': 'a'.repeat(64),
      }),
    ).rejects.toThrow('optimize: ignored with runtime-archive-url');
  });
});

describe('optimize: the configure options and the build identity', () => {
  it('pgo-lto adds --enable-optimizations --with-lto and keeps the test modules for the profile task', () => {
    const none = pythonOptions('3.11.2', 'linux');
    const optimized = pythonOptions('3.11.2', 'linux', false, 'pgo-lto');
    expect(none).toContain('--disable-test-modules');
    expect(none).not.toContain('--enable-optimizations');
    expect(optimized).toEqual(expect.arrayContaining(['--enable-optimizations', '--with-lto']));
    expect(optimized).not.toContain('--disable-test-modules');
    expect(pythonOptions('3.11.2', 'linux', false, 'none')).toEqual(none);
  });

  it('the test extension modules are recognised by name, and nothing the runtime needs', () => {
    for (const name of [
      '_testcapi.cpython-311-x86_64-linux-gnu.so',
      '_testinternalcapi.cpython-313-x86_64-linux-gnu.so',
      '_ctypes_test.cpython-311-x86_64-linux-gnu.so',
      '_xxtestfuzz.cpython-311-x86_64-linux-gnu.so',
    ])
      expect(name).toMatch(TEST_EXTENSION);
    for (const name of ['_ssl.cpython-311-x86_64-linux-gnu.so', '_ctypes.cpython-311-x86_64-linux-gnu.so', 'test'])
      expect(name).not.toMatch(TEST_EXTENSION);
  });

  it('none keeps the identity of a build made before the input; pgo-lto names itself and gets its own folder', async () => {
    const version = { 'python-version': '3.11.2', 'openssl-version': '3.5.7' };
    const [none] = await plansOf(await buildOf({ ...version, optimize: 'none' }), '1.2');
    const [optimized] = await plansOf(await buildOf({ ...version, optimize: 'pgo-lto' }), '1.2');
    expect(none!.python.entry.identity).not.toHaveProperty('optimize');
    expect(none!.python.optimize).toBe('none');
    expect(optimized!.python.entry.identity).toMatchObject({ optimize: 'pgo-lto' });
    expect(optimized!.python.entry.variant).not.toBe(none!.python.entry.variant);
    // OpenSSL is built the same way for both: one tool-cache entry serves them.
    expect(optimized!.openssl.entry).toEqual(none!.openssl.entry);
  });

  it('auto accepts the optimized plan first, then the build on demand (none)', async () => {
    const plans = await plansOf(await buildOf({ 'python-version': '3.13.15' }), '1.2');
    expect(plans.map((p) => p.python.optimize)).toEqual(['pgo-lto', 'none']);
    const explicit = await plansOf(await buildOf({ 'python-version': '3.13.15', optimize: 'none' }), '1.2');
    expect(explicit.map((p) => p.python.optimize)).toEqual(['none']);
  });
});

describe('optimize: which runtime-index entries serve a request', () => {
  const dir = temporaryFolder('tls-floor-optimize-index-');
  let n = 0;
  const indexOf = (runtimes: IndexEntry[]) => {
    const location = path.join(dir, `index-${n++}.json`);
    writeFileSync(location, JSON.stringify({ format: 1, runtimes }));
    return { location, explicit: true };
  };
  const entry = async (optimize: 'none' | 'pgo-lto', python = '3.13.15') => {
    const [plan] = await plansOf(
      await buildOf({ 'python-version': python, 'openssl-version': '3.5.7', optimize }),
      '1.2',
    );
    return { ...indexEntryFor(plan!), url: `rt-${python}-${optimize}.tar.gz` };
  };
  const found = async (optimize: string, runtimes: IndexEntry[]) => {
    const build = await buildOf({ 'python-version': '3.13.15', 'openssl-version': '3.5.7', optimize });
    const { value, log } = await captureLog(async () => findPrebuilt(indexOf(runtimes), await plansOf(build, '1.2')));
    return { url: value && path.basename(value.url), optimize: value?.plan.python.optimize, log };
  };

  it('auto (the default) takes the published, optimized runtime', async () => {
    expect(await found('auto', [await entry('none'), await entry('pgo-lto')])).toMatchObject({
      url: 'rt-3.13.15-pgo-lto.tar.gz',
      optimize: 'pgo-lto',
    });
  });

  it('auto takes an unoptimized runtime where the index holds only that', async () => {
    expect(await found('auto', [await entry('none')])).toMatchObject({
      url: 'rt-3.13.15-none.tar.gz',
      optimize: 'none',
    });
  });

  it('none and pgo-lto take only their own build, and a miss names the optimization', async () => {
    expect((await found('none', [await entry('pgo-lto')])).url).toBeUndefined();
    const miss = await found('pgo-lto', [await entry('none')]);
    expect(miss.url).toBeUndefined();
    expect(miss.log).toMatch(/nearest differs in build identity \(CPython options, CPython optimize\)/);
    expect((await found('pgo-lto', [await entry('pgo-lto')])).url).toBe('rt-3.13.15-pgo-lto.tar.gz');
  });

  it("a line ('3.13') resolves to an optimized prebuilt release under auto, not under none", async () => {
    const index = indexOf([await entry('pgo-lto', '3.13.14')]);
    const auto = await captureLog(async () =>
      preferPrebuilt(await buildOf({ 'python-version': '3.13' }), '1.2', index),
    );
    expect(auto.value!.build.python.version).toBe('3.13.14');
    const none = await captureLog(async () =>
      preferPrebuilt(await buildOf({ 'python-version': '3.13', optimize: 'none' }), '1.2', index),
    );
    expect(none.value!.build.python.version).not.toBe('3.13.14');
  });
});

describe('optimize: an archive says which build it holds', () => {
  const manifestOf = async (optimize: 'none' | 'pgo-lto') => {
    const [plan] = await plansOf(
      await buildOf({ 'python-version': '3.13.15', 'openssl-version': '3.5.7', optimize }),
      '1.2',
    );
    const { jobs: _jobs, ...held } = plan!;
    const manifest: ArchiveManifest = {
      format: ARCHIVE_FORMAT,
      createdAt: '2026-12-01T00:00:00Z',
      plan: held,
      toolCacheRoot: '/elsewhere',
      members: [],
      report: {},
    };
    return { plan: plan!, manifest };
  };
  /** This runner, as installFromArchive describes it, under another root than the build's. */
  const want = (plan: BuildPlan) => ({
    floor: plan.floor,
    platform: plan.platform,
    jobs: 2,
    root: '/here',
    opensslDir: plan.openssl.options.find((o) => o.startsWith('--openssldir='))!.slice('--openssldir='.length),
  });

  it.each(['none', 'pgo-lto'] as const)(
    'a %s archive is trusted as the plan this action makes for it',
    async (optimize) => {
      const { plan, manifest } = await manifestOf(optimize);
      const trusted = trustedPlan(manifest, want(plan));
      expect(trusted.python.optimize).toBe(optimize);
      expect(trusted.python.entry).toEqual(plan.python.entry);
    },
  );

  it('an optimization this action does not make is refused, named and clipped', async () => {
    const { plan, manifest } = await manifestOf('pgo-lto');
    manifest.plan.python.entry.identity = { ...manifest.plan.python.entry.identity, optimize: 'bolt'.repeat(20) };
    expect(() => trustedPlan(manifest, want(plan))).toThrow(
      /the archive is refused: its manifest names an optimization "boltboltboltboltbol\.\.\. \(82 characters\)\.$/,
    );
  });
});

describe('optimize: the published runtimes', () => {
  it('publish-runtimes.yml builds every cell with optimize: pgo-lto', () => {
    const workflow = parse(readFileSync(path.join(ROOT, '.github', 'workflows', 'publish-runtimes.yml'), 'utf8'));
    const step = workflow.jobs.build.steps.find((s: { id?: string }) => s.id === 'runtime');
    expect(step.with.optimize).toBe('pgo-lto');
  });
});
