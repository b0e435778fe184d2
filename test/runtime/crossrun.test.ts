import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cacheKey, cachePaths, restoreRuntime, saveRuntime, shouldSave } from '../../src/runtime/crossrun.js';
import { planBuild, type SourceSpec } from '../../src/runtime/model/plan.js';
import type { Platform } from '../../src/runtime/model/platform.js';
import type { Floor } from '../../src/shared/floor.js';
import { CacheDouble } from '../fixtures/cache-double.js';

const platform: Platform = { os: 'linux', osRelease: 'ubuntu-24.04', arch: 'x64' };
const src = (name: SourceSpec['name'], version: string, sha256: string): SourceSpec => ({
  name,
  version,
  url: `https://example.invalid/${name}-${version}`,
  sha256,
  checksumFrom: 'input',
});

function plan(
  over: {
    python?: string;
    openssl?: string;
    pySha?: string;
    sslSha?: string;
    floor?: Floor;
    platform?: Platform;
    options?: string[];
  } = {},
) {
  return planBuild({
    floor: over.floor ?? '1.2',
    platform: over.platform ?? platform,
    jobs: 2,
    python: src('python', over.python ?? '3.11.2', over.pySha ?? 'a'.repeat(64)),
    openssl: src('openssl', over.openssl ?? '3.0.22', over.sslSha ?? 'b'.repeat(64)),
    pythonOptions: over.options ?? ['--with-ensurepip=install'],
  });
}

describe('cacheKey', () => {
  const base = cacheKey(plan(), '/opt/hostedtoolcache');

  it('is stable, readable, within the service limits', () => {
    expect(cacheKey(plan(), '/opt/hostedtoolcache')).toBe(base);
    expect(base).toMatch(
      /^tls-floor-v\d+-linux-ubuntu-24\.04-x64-cpython3\.11\.2-openssl3\.0\.22-tls1\.2-[0-9a-f]{16}$/,
    );
    expect(base.length).toBeLessThanOrEqual(512);
    expect(base).not.toContain(',');
  });

  it.each([
    ['the Python version', plan({ python: '3.11.3' })],
    ['the OpenSSL version', plan({ openssl: '3.0.23' })],
    ['the Python source checksum', plan({ pySha: 'c'.repeat(64) })],
    ['the OpenSSL source checksum', plan({ sslSha: 'c'.repeat(64) })],
    ['the floor', plan({ floor: '1.3' })],
    ['the build options', plan({ options: ['--with-ensurepip=no'] })],
    ['the OS release', plan({ platform: { ...platform, osRelease: 'ubuntu-22.04' } })],
    ['the architecture', plan({ platform: { ...platform, arch: 'arm64' } })],
  ])('changes with %s', (_what, other) => {
    expect(cacheKey(other, '/opt/hostedtoolcache')).not.toBe(base);
  });

  it('changes with the tool-cache root (the prefix is baked into the build)', () => {
    expect(cacheKey(plan(), '/home/runner/toolcache')).not.toBe(base);
  });

  it('keeps to the service limits whatever the OS release says', () => {
    const odd = cacheKey(plan({ platform: { ...platform, osRelease: 'weird,release with spaces'.repeat(40) } }), '/x');
    expect(odd.length).toBeLessThanOrEqual(512);
    expect(odd).not.toMatch(/[, ]/);
  });
});

describe('shouldSave', () => {
  // What a run saves, stated case by case (not the implementation's formula again): only a
  // runtime this run built, that the probe passed, that the cache did not already hold exactly.
  const base = { enabled: true, built: true, restoredExact: false, verdict: 'pass' };
  it.each([
    ['built, passed, not in the cache: saved', base, true],
    ['the cross-run cache is off', { ...base, enabled: false }, false],
    ['the runtime came from the tool cache or an archive (not built)', { ...base, built: false }, false],
    ['the cache already restored this exact key', { ...base, restoredExact: true }, false],
    ['a downgrade: the runtime is not what was asked for', { ...base, verdict: 'downgrade' }, false],
    ['inconclusive: nothing proved', { ...base, verdict: 'inconclusive' }, false],
    ['broken', { ...base, verdict: 'broken' }, false],
    ['restored, not built, and off', { enabled: false, built: false, restoredExact: true, verdict: 'pass' }, false],
  ])('%s', (_name, state, expected) => {
    expect(shouldSave(state)).toBe(expected);
  });
});

describe('a failing or read-only cache service is a warning, never an error', () => {
  let out: string[];
  beforeEach(() => {
    out = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      out.push(String(chunk));
      return true;
    });
    process.env['RUNNER_TOOL_CACHE'] ??= '/tmp/tls-floor-unit-toolcache';
  });
  afterEach(() => vi.restoreAllMocks());

  it('restore from a failing service: a warning and a miss', async () => {
    const double = new CacheDouble('failing');
    await expect(restoreRuntime(double, plan())).resolves.toBe(false);
    expect(out.join('')).toMatch(
      /::warning::Cross-run cache restore failed \(building instead\): cache service answered 503/,
    );
    expect(double.calls[0]).toMatchObject({ op: 'restore', paths: cachePaths(plan()) });
  });

  it("save to a read-only service (a fork's pull request): a warning", async () => {
    const double = new CacheDouble('read-only');
    await expect(saveRuntime(double, plan())).resolves.toBe(false);
    expect(out.join('')).toMatch(
      /::warning::Cross-run cache save failed \(the runtime is still verified and usable\): cache write denied/,
    );
  });

  it('restore of an unknown key: a miss, no warning', async () => {
    const double = new CacheDouble('working');
    await expect(restoreRuntime(double, plan())).resolves.toBe(false);
    expect(out.join('')).not.toMatch(/::warning::/);
  });

  it('the paths are both tool-cache folders and their markers', () => {
    const paths = cachePaths(plan());
    expect(paths).toHaveLength(4);
    expect(paths.filter((p) => p.endsWith('.complete'))).toHaveLength(2);
    expect(paths[0]).toContain('tls-floor-openssl');
    expect(paths[2]).toContain('tls-floor-python');
  });
});
