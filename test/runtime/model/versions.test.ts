import { writeFileSync } from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { readInputs } from '../../../src/inputs/inputs.js';
import { specFromVersionFile } from '../../../src/inputs/version-file.js';
import { atLeast, incompatibility } from '../../../src/runtime/model/compat.js';
import {
  defaultVersion,
  lifecycleOf,
  lifecycleWarning,
  type Project,
  RELEASES,
  resolveVersion,
} from '../../../src/runtime/model/versions.js';
import { temporaryFolder } from '../../fixtures/temporary.js';

// Over the real table (src/runtime/model/releases.json): expectations are computed from it where
// they would otherwise go stale with each refresh, and spelled out where the table is fixed.
const opts = { input: 'python-version', checksumGiven: false, allowUnverified: false };
const resolve = (project: Project, spec: string) =>
  resolveVersion(project, spec, { ...opts, input: `${project}-version` }).version;
const stable = (project: Project, test: (v: string) => boolean) =>
  RELEASES[project].filter((r) => !r.prerelease && test(r.version)).map((r) => r.version);
const newest = (versions: string[]) =>
  versions.sort((a, b) => semver.rcompare(semver.coerce(a)!, semver.coerce(b)!))[0];

describe('the release table', () => {
  it('holds every CPython 3.9 release pyenv lists and each entry has a URL, a SHA-256 and its sources', () => {
    const v39 = stable('python', (v) => v.startsWith('3.9.'));
    // 3.9.3 was withdrawn upstream; every other 3.9.x from 3.9.0 to 3.9.25 is there.
    expect(v39).toHaveLength(25);
    expect(v39).not.toContain('3.9.3');
    for (const release of [...RELEASES.python, ...RELEASES.openssl]) {
      expect(release.files.length, release.version).toBeGreaterThan(0);
      for (const file of release.files) {
        expect(file.url).toMatch(
          /^https:\/\/(www\.python\.org\/ftp\/python|github\.com\/openssl\/openssl\/releases\/download)\//,
        );
        expect(file.sha256).toMatch(/^[0-9a-f]{64}$/);
        expect(file.sources.length).toBeGreaterThan(0);
      }
    }
  });

  it('keeps the checksums the action knew before the table, with Debian and pyenv agreeing where both list them', () => {
    const file = (project: Project, version: string, ext: string) =>
      RELEASES[project].find((r) => r.version === version)!.files.find((f) => f.url.endsWith(ext))!;
    expect(file('python', '3.13.5', '.tar.xz')).toMatchObject({
      sha256: '93e583f243454e6e9e4588ca2c2662206ad961659863277afcdb96801647d640',
      sources: ['debian:trixie', 'pyenv'],
    });
    // Debian's .orig of 3.11.2 is upstream's .tgz: that file is in the table with both sources.
    expect(file('python', '3.11.2', '.tgz')).toMatchObject({
      sha256: '2411c74bda5bbcfcddaf4531f66d1adc73f247f529aee981b029513aefdbf849',
    });
    expect(file('python', '3.11.2', '.tgz').sources).toEqual(expect.arrayContaining(['pyenv', 'debian:bookworm']));
    expect(file('openssl', '3.5.7', '.tar.gz')).toMatchObject({
      sha256: 'a8c0d28a529ca480f9f36cf5792e2cd21984552a3c8e4aa11a24aa31aeac98e8',
    });
    expect(file('openssl', '3.0.22', '.tar.gz')).toMatchObject({
      sha256: '67ebca7e50d17383028045486653492195b83db95f8558709701bb47b5c1ef81',
    });
    expect(file('openssl', '1.1.1w', '.tar.gz').url).toBe(
      'https://github.com/openssl/openssl/releases/download/OpenSSL_1_1_1w/openssl-1.1.1w.tar.gz',
    );
  });
});

describe('version specs resolve to the newest stable release in the table that matches', () => {
  it.each([
    ['3.12', (v: string) => v.startsWith('3.12.')],
    ['3.13.x', (v: string) => v.startsWith('3.13.')],
    ['3', (v: string) => v.startsWith('3.')],
    ['>=3.12 <3.14', (v: string) => /^3\.1[23]\./.test(v)],
    ['~3.11.0', (v: string) => v.startsWith('3.11.')],
  ])('python-version: %s', (spec, test) => {
    const expected = newest(stable('python', test))!;
    expect(resolve('python', spec)).toBe(expected);
  });

  it('an exact version in the table is itself', () => {
    expect(resolve('python', '3.11.2')).toBe('3.11.2');
    expect(resolve('openssl', '3.0.22')).toBe('3.0.22');
    expect(resolve('openssl', '1.1.1w')).toBe('1.1.1w');
  });

  it('openssl-version: 3.5 is the newest 3.5.x; 1.1.1 is 1.1.1w (the letter orders releases of 1.1.1); 3 is the newest 3.x', () => {
    expect(resolve('openssl', '3.5')).toBe(newest(stable('openssl', (v) => v.startsWith('3.5.'))));
    expect(resolve('openssl', '1.1.1')).toBe('1.1.1w');
    expect(resolve('openssl', '3')).toBe(newest(stable('openssl', (v) => v.startsWith('3.'))));
  });

  it('prereleases only when asked for: 3.15.0b4 by name; 3.15 and >=3.15.0 are stable releases', () => {
    expect(RELEASES.python.find((r) => r.version === '3.15.0b4')?.prerelease).toBe(true);
    expect(resolve('python', '3.15.0b4')).toBe('3.15.0b4');
    expect(resolve('python', '3.15')).not.toMatch(/[abc]/);
    expect(resolve('python', '>=3.15.0-b.1')).not.toMatch(/b/);
    // A range that names a prerelease of 3.15.0 asks for prereleases of 3.15.0.
    expect(resolve('python', '>=3.15.0-a.0 <3.15.0')).toBe('3.15.0b4');
    // A range that only prereleases would match is refused, and the message says how to ask.
    expect(() => resolveVersion('python', '>3.14.99 <3.15.0', opts)).toThrow(
      /^python-version: no CPython release in the action's table matches '>3\.14\.99 <3\.15\.0' \(nearest known: .*\); prereleases match \(3\.15\.0b4\): ask for one exactly\.$/,
    );
  });

  it('a version outside the table: one line naming the input and the nearest known versions', () => {
    // The nearest: the newest 3.12 below it and the first 3.13 above it.
    const n312 = newest(stable('python', (v) => v.startsWith('3.12.')));
    expect(() => resolveVersion('python', '3.12.99', opts)).toThrow(
      `python-version: CPython 3.12.99 is not in the action's table of releases (nearest known: ${n312}, 3.13.0); give python-sha256 with its tarball's SHA-256 to build it, or pick a known version.`,
    );
    const n35 = newest(stable('openssl', (v) => v.startsWith('3.5.')));
    expect(() => resolveVersion('openssl', '3.5.99', { ...opts, input: 'openssl-version' })).toThrow(
      `openssl-version: OpenSSL 3.5.99 is not in the action's table of releases (nearest known: ${n35}, 3.6.0);`,
    );
    expect(() => resolveVersion('python', '3.8', opts)).toThrow(
      /^python-version: no CPython release in the action's table matches '3\.8' \(nearest known: 3\.9\.0\)\.$/,
    );
    expect(() => resolveVersion('python', 'latest-ish', opts)).toThrow(
      /^python-version: 'latest-ish' is not a version or a range; give e\.g\. 3\.13/,
    );
    // With a checksum, or unverified sources allowed, it is built as given.
    expect(resolveVersion('python', '3.12.99', { ...opts, checksumGiven: true })).toEqual({
      project: 'python',
      spec: '3.12.99',
      version: '3.12.99',
    });
    expect(resolveVersion('python', '3.12.99', { ...opts, allowUnverified: true }).version).toBe('3.12.99');
  });
});

describe('defaults and lifecycle', () => {
  it('the defaults are the newest stable CPython and the newest release of the newest OpenSSL LTS line', () => {
    expect(defaultVersion('python')).toBe(newest(stable('python', () => true)));
    expect(defaultVersion('openssl')).toBe(newest(stable('openssl', (v) => v.startsWith('3.5.'))));
    expect(resolve('python', '')).toBe(defaultVersion('python'));
  });

  it('OpenSSL 4.0 is in the table and resolves when asked for, but is not the default: it is no LTS line', () => {
    expect(resolve('openssl', '4.0')).toMatch(/^4\.0\.\d+$/);
    expect(resolve('openssl', '4.0.2')).toBe('4.0.2');
    expect(defaultVersion('openssl')).toMatch(/^3\.5\./);
    expect(resolve('openssl', '')).toBe(defaultVersion('openssl'));
    expect(lifecycleOf('openssl', '4.0.2', new Date('2026-12-01T12:00:00Z'))).toMatchObject({
      line: '4.0',
      eol: '2027-05-14',
      ended: false,
      lts: false,
    });
  });

  it('an end-of-life line says so with its date and source; a supported one does not', () => {
    const today = new Date('2026-11-29T12:00:00Z');
    expect(lifecycleOf('openssl', '3.0.22', today)).toMatchObject({
      line: '3.0',
      eol: '2026-09-07',
      ended: true,
      lts: true,
    });
    expect(lifecycleOf('openssl', '1.1.1w', today)).toMatchObject({ line: '1.1.1', eol: '2023-09-11', ended: true });
    expect(lifecycleOf('openssl', '3.5.9', today)).toMatchObject({ line: '3.5', ended: false, lts: true });
    expect(lifecycleOf('python', '3.9.2', today)).toMatchObject({ line: '3.9', eol: '2025-10-31', ended: true });
    // A month means its end: 3.10 (2026-10) ended on 2026-11-01, not before.
    expect(lifecycleOf('python', '3.10.20', new Date('2026-10-31T23:00:00Z'))!.ended).toBe(false);
    expect(lifecycleOf('python', '3.10.20', new Date('2026-11-01T00:00:00Z'))!.ended).toBe(true);
    expect(lifecycleOf('python', '3.13.18', today)!.ended).toBe(false);
    expect(lifecycleWarning(lifecycleOf('python', '3.9.2', today)!)).toBe(
      "END OF LIFE: CPython 3.9 (3.9.2) reached its end of life on 2025-10-31 (PEP 596; Python Developer's Guide, Status of Python versions (https://peps.python.org/api/release-cycle.json), and each line's release-schedule PEP); it gets no security fixes. Choose a supported line.",
    );
  });
});

describe('python-version-file', () => {
  const dir = temporaryFolder('tls-floor-version-file-');
  const write = (name: string, text: string) => {
    writeFileSync(path.join(dir, name), text);
    return name;
  };
  const read = (inputs: Record<string, string>) => readInputs((name) => inputs[name] ?? '');
  const specOf = async (file: string) => (await specFromVersionFile(file, dir)).spec;

  it('.python-version: the first version line (pyenv may list several)', async () => {
    expect(await specOf(write('.python-version', '# pinned\n3.12\n3.11.2\n'))).toBe('3.12');
  });

  it('.tool-versions: the first version on the python line', async () => {
    expect(await specOf(write('.tool-versions', 'nodejs 24.1.0\npython 3.11.2 3.10.4\n'))).toBe('3.11.2');
  });

  it("pyproject.toml: project.requires-python (PEP 440, as written), else Poetry's python (semver)", async () => {
    expect(
      await specFromVersionFile(
        write(
          'pyproject.toml',
          '[project]\nname = "x"\nrequires-python = ">=3.10, <3.13"\n[tool.other]\nrequires-python = "no"\n',
        ),
        dir,
      ),
    ).toEqual({ spec: '>=3.10, <3.13', syntax: 'pep440' });
    expect(
      await specFromVersionFile(write('poetry.toml', '[tool.poetry.dependencies]\npython = "^3.11"\n'), dir),
    ).toEqual({ spec: '^3.11', syntax: 'setup-python' });
  });

  it('requires-python resolves as PEP 440 says: <=3.12 is 3.12.0 at most, ==3.13 is 3.13.0, != is allowed', async () => {
    process.env['GITHUB_WORKSPACE'] = dir;
    try {
      const resolved = async (requires: string) => {
        write('pyproject.toml', `[project]\nrequires-python = "${requires}"\n`);
        return (await read({ 'python-version-file': 'pyproject.toml' })).build.python;
      };
      expect(await resolved('<=3.12')).toMatchObject({ version: '3.12.0', spec: '<=3.12', syntax: 'pep440' });
      expect((await resolved('==3.13')).version).toBe('3.13.0');
      expect((await resolved('==3.13.*')).version).toBe(resolve('python', '3.13'));
      expect((await resolved('~=3.12')).version).toBe(defaultVersion('python'));
      expect((await resolved('>=3.9,!=3.9.1,<3.10')).version).toBe(resolve('python', '3.9'));
      await expect(resolved('>=3.12 <3.14')).rejects.toThrow(
        /^python-version-file: requires-python '>=3\.12 <3\.14' is not a PEP 440 specifier set/,
      );
    } finally {
      delete process.env['GITHUB_WORKSPACE'];
    }
  });

  it('resolves through readInputs, and refuses a file given with python-version, a missing file, or a non-CPython line', async () => {
    process.env['GITHUB_WORKSPACE'] = dir;
    try {
      write('.python-version', '3.12\n');
      expect((await read({ 'python-version-file': '.python-version' })).build.python).toMatchObject({
        version: resolve('python', '3.12'),
        spec: '3.12',
        given: true,
        file: '.python-version',
      });
      write('pyproject.toml', '[project]\nrequires-python = ">=3.12,<3.14"\n');
      expect((await read({ 'python-version-file': 'pyproject.toml' })).build.python.version).toBe(
        resolve('python', '>=3.12 <3.14'),
      );
      await expect(read({ 'python-version-file': '.python-version', 'python-version': '3.13' })).rejects.toThrow(
        /^python-version-file: given with python-version '3\.13'; give one of them\.$/,
      );
      await expect(read({ 'python-version-file': 'missing/.python-version' })).rejects.toThrow(
        /^python-version-file: cannot read missing\/\.python-version \(ENOENT\)/,
      );
      write('.python-version', 'pypy3.10\n');
      await expect(read({ 'python-version-file': '.python-version' })).rejects.toThrow(
        /^python-version-file: 'pypy3\.10' is not a CPython version/,
      );
      write('.python-version', '3.8\n');
      await expect(read({ 'python-version-file': '.python-version' })).rejects.toThrow(
        /^python-version-file: no CPython release in the action's table matches '3\.8'/,
      );
      write('broken.toml', '[project\n');
      await expect(read({ 'python-version-file': 'broken.toml' })).rejects.toThrow(
        /^python-version-file: broken\.toml is not valid TOML/,
      );
    } finally {
      delete process.env['GITHUB_WORKSPACE'];
    }
  });
});

describe('known-bad combinations over the table', () => {
  it('a prerelease is compared by its release numbers (3.15.0b4 is 3.15, not below 3.7)', () => {
    expect(incompatibility('3.15.0b4', defaultVersion('openssl'))).toBeUndefined();
    expect(incompatibility('3.14.0rc3', '3.6.0-beta1')).toBeUndefined();
    expect(atLeast('3.15.0b4', '3.11.0')).toBe(true);
  });

  it('every stable pair of the defaults and each line is accepted; pre-1.1.1 OpenSSL is refused with its source', () => {
    for (const python of RELEASES.python.map((r) => r.version))
      expect(incompatibility(python, defaultVersion('openssl')), python).toBeUndefined();
    expect(incompatibility('3.9.2', '1.1.1w')).toBeUndefined();
    expect(incompatibility('3.10.0', '1.1.0l')).toMatch(/PEP 644/);
  });
});
