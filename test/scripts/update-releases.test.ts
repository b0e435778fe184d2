import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import {
  compareVersions,
  DEBIAN_SUITES,
  main,
  mergeTable,
  type Observation,
  parseDebianSources,
  parsePyenvDefinition,
  parseSha256File,
} from '../../scripts/update-releases.mjs';
import { ROOT } from '../fixtures/action.js';
import { temporaryFolder } from '../fixtures/temporary.js';

// The generator's parsing on real captured inputs (test/fixtures/releases, captured on
// 2026-11-29): pyenv's python-build definitions (3.9.2, 3.11.2, 3.13.5, 3.15.0b4, and the
// 3.13.5t and 3.14-dev definitions that are not releases of their own) and Debian's signed
// Sources indexes of sid and bookworm (the openssl and python3.X paragraphs). No network.
const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'releases');
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name), 'utf8');

describe("pyenv's python-build definitions", () => {
  it('give the CPython tarballs in both formats and the OpenSSL they pin, with checksums', () => {
    const found = parsePyenvDefinition(fixture('pyenv/3.13.5'));
    expect(found).toEqual([
      {
        project: 'openssl',
        version: '3.5.1',
        prerelease: false,
        format: 'tgz',
        sha256: '529043b15cffa5f36077a4d0af83f3de399807181d607441d734196d889b641f',
      },
      {
        project: 'python',
        version: '3.13.5',
        prerelease: false,
        format: 'tar.xz',
        sha256: '93e583f243454e6e9e4588ca2c2662206ad961659863277afcdb96801647d640',
      },
      {
        project: 'python',
        version: '3.13.5',
        prerelease: false,
        format: 'tgz',
        sha256: 'e6190f52699b534ee203d9f417bdbca05a92f23e35c19c691a50ed2942835385',
      },
    ]);
  });

  it('mark prereleases, read OpenSSL 4.x (4.0.1 here), leave out 1.1.1 letters other than w', () => {
    const found = parsePyenvDefinition(fixture('pyenv/3.15.0b4'));
    expect(found.map((o) => [o.project, o.version, o.prerelease])).toEqual([
      ['openssl', '4.0.1', false],
      ['python', '3.15.0b4', true],
      ['python', '3.15.0b4', true],
    ]);
    expect(parsePyenvDefinition(fixture('pyenv/3.9.2')).filter((o) => o.project === 'openssl')).toEqual([]); // 1.1.1i
  });

  it("a -dev definition's CPython is a git checkout without a checksum: only the OpenSSL it pins is read", () => {
    expect(parsePyenvDefinition(fixture('pyenv/3.14-dev')).map((o) => o.project)).toEqual(['openssl']);
  });
});

describe("Debian's Sources indexes", () => {
  it('give the .orig tarballs of openssl and python3.X with their SHA-256, every version the index lists', () => {
    const sid = parseDebianSources(fixture('debian-sid-Sources'));
    const versions = sid.map((o) => `${o.project} ${o.version} ${o.format}`);
    expect(versions).toEqual(
      expect.arrayContaining([
        'openssl 3.5.7 tgz',
        'openssl 3.6.5 tgz',
        'python 3.13.15 tar.xz',
        'python 3.13.18 tar.xz',
      ]),
    );
    expect(sid.find((o) => o.version === '3.13.15')!.sha256).toBe(
      '1e66a7945a48390ee4c2a4268a0e4185884059a13c4aab6d148aa208deea4a76',
    );
    // The .asc signatures and the Debian packaging are not tarballs of upstream's.
    expect(sid.every((o) => /^[0-9a-f]{64}$/.test(o.sha256))).toBe(true);
    expect(new Set(sid.map((o) => `${o.project} ${o.version}`)).size).toBe(sid.length);
  });

  it("experimental's openssl paragraphs (apt-cache showsrc, 2026-12-01) give OpenSSL 4.0.x; experimental is a suite --debian-apt reads", () => {
    // 4.0.3's files were already gone from the pool: its signed checksum is still listed.
    expect(parseDebianSources(fixture('debian-experimental-Sources'))).toEqual([
      {
        project: 'openssl',
        version: '4.0.2',
        prerelease: false,
        format: 'tgz',
        sha256: '736b467530f916737b7031310ccb21d8218c6229e61e8e160cd1d3458cd543a8',
      },
      {
        project: 'openssl',
        version: '4.0.3',
        prerelease: false,
        format: 'tgz',
        sha256: '325b5c806167c13b40b1ffeadfe0248197c00eccc4cf123ec1e28d2d2fd216d9',
      },
    ]);
    expect(DEBIAN_SUITES).toContain('experimental');
  });

  it("python3.11's .orig in bookworm is upstream's .tgz: it is read as that format", () => {
    const bookworm = parseDebianSources(fixture('debian-bookworm-Sources'));
    expect(bookworm).toContainEqual({
      project: 'python',
      version: '3.11.2',
      prerelease: false,
      format: 'tgz',
      sha256: '2411c74bda5bbcfcddaf4531f66d1adc73f247f529aee981b029513aefdbf849',
    });
  });

  it("reads a tilde prerelease and skips a repacked .orig (synthetic paragraphs in Debian's format)", () => {
    const text = [
      'Package: python3.14\nVersion: 3.14.0~rc3-1\nChecksums-Sha256:\n ' +
        'a'.repeat(64) +
        ' 100 python3.14_3.14.0~rc3.orig.tar.xz\n',
      'Package: openssl\nVersion: 3.6.0~beta1-1\nChecksums-Sha256:\n ' +
        'b'.repeat(64) +
        ' 100 openssl_3.6.0~beta1.orig.tar.gz\n',
      'Package: python3.12\nVersion: 3.12.1+dfsg-1\nChecksums-Sha256:\n ' +
        'c'.repeat(64) +
        ' 100 python3.12_3.12.1+dfsg.orig.tar.xz\n',
    ].join('\n');
    expect(parseDebianSources(text).map((o) => [o.version, o.prerelease])).toEqual([
      ['3.14.0rc3', true],
      ['3.6.0-beta1', true],
    ]);
  });
});

describe('merging', () => {
  const pyenv = parsePyenvDefinition(fixture('pyenv/3.11.2')).map((o) => ({ ...o, source: 'pyenv' }));
  const debian = parseDebianSources(fixture('debian-bookworm-Sources')).map((o) => ({
    ...o,
    source: 'debian:bookworm',
  }));

  it('two sources listing the same file agree, and the entry names both', () => {
    const table = mergeTable({}, [...pyenv, ...debian]);
    const entry = table.python.find((e) => e.version === '3.11.2')!;
    expect(entry.files).toEqual([
      {
        url: 'https://www.python.org/ftp/python/3.11.2/Python-3.11.2.tar.xz',
        sha256: '29e4b8f5f1658542a8c13e2dd277358c9c48f2b2f7318652ef1675e402b9d2af',
        sources: ['pyenv'],
      },
      {
        url: 'https://www.python.org/ftp/python/3.11.2/Python-3.11.2.tgz',
        sha256: '2411c74bda5bbcfcddaf4531f66d1adc73f247f529aee981b029513aefdbf849',
        sources: ['debian:bookworm', 'pyenv'],
      },
    ]);
  });

  it('a disagreement stops the merge, naming both sources', () => {
    const bad: Array<Observation & { source: string }> = [
      { ...debian.find((o) => o.version === '3.11.2')!, sha256: 'f'.repeat(64), source: 'debian:bookworm' },
    ];
    expect(() => mergeTable({}, [...pyenv, ...bad])).toThrow(
      `python 3.11.2: debian:bookworm gives ${'f'.repeat(64)} for https://www.python.org/ftp/python/3.11.2/Python-3.11.2.tgz, but pyenv gave 2411c74bda5bbcfcddaf4531f66d1adc73f247f529aee981b029513aefdbf849. Nothing was written.`,
    );
  });

  it('an entry a source stops listing stays, with the sources it had', () => {
    const first = mergeTable({}, debian);
    const second = mergeTable(first, pyenv);
    expect(second.openssl.map((e) => e.version)).toEqual(first.openssl.map((e) => e.version));
  });

  it('orders newest first: final after its prereleases, 1.1.1w after 1.1.1v', () => {
    expect(['3.13.5rc1', '3.13.5', '3.13.5b2', '3.13.10'].sort(compareVersions)).toEqual([
      '3.13.5b2',
      '3.13.5rc1',
      '3.13.5',
      '3.13.10',
    ]);
    expect(['3.6.0', '3.6.0-beta1', '1.1.1w', '1.1.1v'].sort(compareVersions)).toEqual([
      '1.1.1v',
      '1.1.1w',
      '3.6.0-beta1',
      '3.6.0',
    ]);
  });
});

describe('the script end to end on the fixtures', () => {
  it('writes a table from --pyenv and --debian, and --check says whether a table is up to date', async () => {
    const out = path.join(temporaryFolder('tls-floor-releases-'), 'releases.json');
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const args = [
        '--pyenv',
        path.join(FIXTURES, 'pyenv'),
        '--debian',
        `${path.join(FIXTURES, 'debian-sid-Sources')}:sid`,
        '--debian',
        `${path.join(FIXTURES, 'debian-bookworm-Sources')}:bookworm`,
        '--out',
        out,
      ];
      await main(args);
      const table = JSON.parse(readFileSync(out, 'utf8'));
      expect(table.python.map((e: { version: string }) => e.version)).toEqual([
        '3.15.0b4',
        '3.13.18',
        '3.13.15',
        '3.13.5',
        '3.11.2',
        '3.9.2',
      ]);
      process.exitCode = undefined;
      await main([...args, '--check']);
      expect(process.exitCode).toBeUndefined();
      writeFileSync(out, '{"python":[],"openssl":[]}\n');
      await main([...args, '--check']);
      expect(process.exitCode).toBe(1);
      expect(err).toHaveBeenCalledWith(`${out} is not up to date`);
    } finally {
      process.exitCode = undefined;
      log.mockRestore();
      err.mockRestore();
    }
  });
});

describe("OpenSSL's published .sha256 files (updater mode)", () => {
  // Not captured here (no access to github.com from this machine): the forms sha256sum and
  // openssl dgst write, which is what a .sha256 beside a tarball holds.
  it.each([
    ['a8c0d28a529ca480f9f36cf5792e2cd21984552a3c8e4aa11a24aa31aeac98e8\n'],
    ['a8c0d28a529ca480f9f36cf5792e2cd21984552a3c8e4aa11a24aa31aeac98e8  openssl-3.5.7.tar.gz\n'],
    ['a8c0d28a529ca480f9f36cf5792e2cd21984552a3c8e4aa11a24aa31aeac98e8 *openssl-3.5.7.tar.gz\n'],
    ['SHA2-256(openssl-3.5.7.tar.gz)= a8c0d28a529ca480f9f36cf5792e2cd21984552a3c8e4aa11a24aa31aeac98e8\n'],
  ])('%j', (text) => {
    expect(parseSha256File(text)).toBe('a8c0d28a529ca480f9f36cf5792e2cd21984552a3c8e4aa11a24aa31aeac98e8');
  });

  it('anything else is not a checksum', () => {
    expect(parseSha256File('<html>404</html>')).toBeUndefined();
  });
});
