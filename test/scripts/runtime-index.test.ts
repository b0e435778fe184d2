import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../fixtures/action.js';
import { temporaryFolder } from '../fixtures/temporary.js';

// npm run runtime-index -- DIR URL over folders as a release job leaves them: archives whose
// manifest sits only inside them, names with '#', a malformed manifest, nothing at all.
const SCRIPT = path.join(ROOT, 'scripts', 'runtime-index.mjs');

/** What create-archive puts first in an archive (the fields the index takes). */
const manifest = (python = '3.13.15') => ({
  format: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  plan: {
    floor: '1.2',
    platform: { os: 'linux', osRelease: 'debian-12', arch: 'x64' },
    python: { source: { version: python }, entry: { identity: { format: 2, python } } },
    openssl: { source: { version: '3.5.7' }, entry: { identity: { format: 2, openssl: '3.5.7' } } },
  },
  toolCacheRoot: '/opt/hostedtoolcache',
  members: [],
  report: { verdict: 'pass' },
});

/** A runtime archive with its manifest as the first member (and, if asked, beside it). */
function archive(dir: string, name: string, options: { beside?: boolean; python?: string } = {}) {
  const staging = temporaryFolder('tls-floor-index-staging-');
  const data = manifest(options.python);
  writeFileSync(path.join(staging, 'tls-floor-runtime.json'), JSON.stringify(data));
  mkdirSync(path.join(staging, 'tls-floor-python'));
  writeFileSync(path.join(staging, 'tls-floor-python', 'x'), 'x');
  const file = path.join(dir, name);
  const pack = `tar -cf - -C "$1" tls-floor-runtime.json tls-floor-python | ${name.endsWith('.zst') ? 'zstd -q' : 'gzip'} > "$2"`;
  execFileSync('sh', ['-c', pack, 'sh', staging, file]);
  const sha256 = createHash('sha256').update(readFileSync(file)).digest('hex');
  const bytes = readFileSync(file).length;
  if (options.beside)
    writeFileSync(`${file}.manifest.json`, JSON.stringify({ ...data, archive: { file: name, sha256, bytes } }));
  return { sha256, bytes };
}

const run = (dir: string, base = 'https://releases.example/v1') =>
  spawnSync(process.execPath, [SCRIPT, dir, base], { encoding: 'utf8' });
const indexOf = (dir: string) => JSON.parse(readFileSync(path.join(dir, 'index.json'), 'utf8'));
const folder = () => temporaryFolder('tls-floor-runtime-index-');

describe('npm run runtime-index', () => {
  it('reads the manifest from inside each archive when none lies beside it', () => {
    const dir = folder();
    const { sha256, bytes } = archive(dir, 'rt-a.tar.gz');
    archive(dir, 'rt-b.tar.gz', { beside: true, python: '3.12.13' });
    const result = run(dir);
    expect(result.status, result.stderr).toBe(0);
    const index = indexOf(dir);
    expect(index.runtimes).toHaveLength(2);
    expect(index.runtimes[0]).toMatchObject({
      url: 'https://releases.example/v1/rt-a.tar.gz',
      sha256,
      bytes,
      python: '3.13.15',
      openssl: '3.5.7',
      floor: '1.2',
    });
    expect(index.runtimes[1]).toMatchObject({ python: '3.12.13' });
    expect(result.stdout).toMatch(/: 2 runtime\(s\)/);
  });

  it('lists .tar.zst and .tar.gz archives, each with the compression its bytes have', () => {
    const dir = folder();
    archive(dir, 'rt.tar.zst', { beside: true });
    archive(dir, 'rt.tar.gz', { python: '3.12.13' });
    const result = run(dir);
    expect(result.status, result.stderr).toBe(0);
    const byUrl = Object.fromEntries(indexOf(dir).runtimes.map((r: { url: string }) => [r.url, r]));
    expect(byUrl['https://releases.example/v1/rt.tar.zst']).toMatchObject({ compression: 'zstd', python: '3.13.15' });
    expect(byUrl['https://releases.example/v1/rt.tar.gz']).toMatchObject({ compression: 'gzip', python: '3.12.13' });
  });

  it("encodes each archive's name in its URL, relative or under the base ('#' stays in the name)", () => {
    const dir = folder();
    archive(dir, 'rt#1 x.tar.gz');
    expect(run(dir).status).toBe(0);
    expect(indexOf(dir).runtimes[0].url).toBe('https://releases.example/v1/rt%231%20x.tar.gz');
    expect(run(dir, '').status).toBe(0);
    const relative = indexOf(dir).runtimes[0].url;
    expect(relative).toBe('rt%231%20x.tar.gz');
    expect(new URL(relative, 'https://mirror.example/r/index.json').pathname).toBe('/r/rt%231%20x.tar.gz');
  });

  it('a malformed manifest beside an archive is an error naming the file', () => {
    const dir = folder();
    archive(dir, 'rt.tar.gz');
    writeFileSync(path.join(dir, 'rt.tar.gz.manifest.json'), '{"format": 1,');
    const result = run(dir);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^runtime-index: rt\.tar\.gz\.manifest\.json is not JSON \(.*\)$/m);
  });

  it('a .tar.gz that is not a runtime archive is an error naming it, never skipped', () => {
    const dir = folder();
    archive(dir, 'rt.tar.gz');
    writeFileSync(path.join(dir, 'notes.tar.gz'), 'not a tarball');
    const result = run(dir);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^runtime-index: notes\.tar\.gz: .*not a tls-floor runtime archive/m);
  });

  it('a folder with files but no archive is an error, not an index of 0 runtimes', () => {
    const dir = folder();
    writeFileSync(path.join(dir, 'README.txt'), 'x');
    const result = run(dir);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/no runtime archive \(\*\.tar\.zst, \*\.tar\.gz\) in .*; nothing was written/);
    expect(() => indexOf(dir)).toThrow();
  });

  it('an empty folder gives an index of 0 runtimes, and says so', () => {
    const dir = folder();
    const result = run(dir);
    expect(result.status, result.stderr).toBe(0);
    expect(indexOf(dir).runtimes).toEqual([]);
    expect(result.stdout).toMatch(/is empty: wrote an index of 0 runtimes/);
  });

  // Node.js 20 (the README's minimum) has no zstd in zlib: the script uses the zstd program, or
  // says in one line what it needs. This machine's `node` is 20; vitest may run on another.
  const node20 = [process.execPath, 'node'].find((n) =>
    spawnSync(n, ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout?.startsWith('20.'),
  );

  it.skipIf(!node20)(
    'on Node.js 20, a .tar.zst without its manifest beside it is read through the zstd program',
    () => {
      const dir = folder();
      const { sha256 } = archive(dir, 'rt.tar.zst');
      const result = spawnSync(node20!, [SCRIPT, dir, 'https://releases.example/v1'], { encoding: 'utf8' });
      expect(result.status, result.stderr).toBe(0);
      expect(indexOf(dir).runtimes).toEqual([
        expect.objectContaining({ url: 'https://releases.example/v1/rt.tar.zst', compression: 'zstd', sha256 }),
      ]);
    },
  );

  it.skipIf(!node20)('on Node.js 20 without the zstd program, one line says what it needs, no stack', () => {
    const dir = folder();
    archive(dir, 'rt.tar.zst');
    const bin = temporaryFolder('tls-floor-no-zstd-');
    const result = spawnSync(
      node20 === 'node' ? spawnSync('sh', ['-c', 'command -v node'], { encoding: 'utf8' }).stdout.trim() : node20!,
      [SCRIPT, dir, ''],
      {
        encoding: 'utf8',
        env: { ...process.env, PATH: bin },
      },
    );
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^runtime-index: rt\.tar\.zst is zstd-compressed and this Node\.js v20\.\S+ cannot read zstd: run it with Node\.js >= 22\.15 \(or 24\), or put the zstd program on PATH$/,
      ),
    ]);
  });
});
