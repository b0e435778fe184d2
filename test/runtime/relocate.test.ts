import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultIndexLocation, readInputs } from '../../src/inputs/inputs.js';
import { planBuild } from '../../src/runtime/model/plan.js';
import {
  entryUrl,
  type IndexEntry,
  IndexUnavailable,
  matchEntry,
  type RuntimeIndex,
  readIndex,
} from '../../src/runtime/prebuilt.js';
import { relocatedScript } from '../../src/runtime/relocate.js';
import { indexEntryFor } from '../fixtures/index-entry.js';
import { temporaryFolder } from '../fixtures/temporary.js';

const _BUILD_MS = 25 * 60_000;

describe('relocatedScript', () => {
  const bin = '/opt/tc/tls-floor-python/3.11.2/x64-abc/bin';
  it('turns an absolute interpreter line into a trampoline that runs the python beside the script', () => {
    const out = relocatedScript(`#!${bin}/python3.11\nimport sys\nprint(sys.executable)\n`, bin)!;
    expect(out.split('\n').slice(0, 3)).toEqual([
      '#!/bin/sh',
      `'''exec' "$(dirname -- "$(realpath -- "$0")")/python3.11" "$0" "$@"`,
      "' '''",
    ]);
    expect(out.endsWith('import sys\nprint(sys.executable)\n')).toBe(true);
  });

  it("rewrites pip's own long-path form and keeps interpreter arguments", () => {
    expect(relocatedScript(`#!/bin/sh\n'''exec' ${bin}/python3.11 "$0" "$@"\n' '''\nimport re\n`, bin)).toMatch(
      /^#!\/bin\/sh\n'''exec' "\$\(dirname[^\n]*\/python3\.11" "\$0" "\$@"\n' '''\nimport re\n$/,
    );
    expect(relocatedScript(`#!${bin}/python3.11 -E\nx = 1\n`, bin)).toContain('/python3.11" -E "$0" "$@"');
  });

  it('leaves scripts of other interpreters alone', () => {
    expect(relocatedScript('#!/bin/sh\necho hi\n', bin)).toBeUndefined();
    expect(relocatedScript('#!/usr/bin/python3\nx = 1\n', bin)).toBeUndefined();
    expect(relocatedScript(`#!${bin}x/python3.11\n`, bin)).toBeUndefined();
  });

  it('the trampoline is valid sh and Python: it runs the python beside it, through a symlink too', () => {
    const dir = temporaryFolder('tls-floor-trampoline-');
    const real = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
    mkdirSync(path.join(dir, 'bin'));
    execFileSync('ln', ['-s', real, path.join(dir, 'bin', 'python3.x')]);
    const script = path.join(dir, 'bin', 'hello');
    writeFileSync(
      script,
      relocatedScript(`#!${bin}/python3.x\nimport sys\nprint('hello', sys.argv[1:])\n`, bin)!.replace(bin, ''),
      { mode: 0o755 },
    );
    expect(execFileSync(script, ['a b', 'c'], { encoding: 'utf8' })).toBe("hello ['a b', 'c']\n");
    execFileSync('ln', ['-s', script, path.join(dir, 'elsewhere')]);
    expect(execFileSync(path.join(dir, 'elsewhere'), [], { encoding: 'utf8' })).toBe('hello []\n');
    rmSync(dir, { recursive: true, force: true });
  });
});

const platform = { os: 'linux', osRelease: 'debian-12', arch: 'x64' } as const;
const plan = (over: { floor?: '1.2' | '1.3'; python?: string; osRelease?: string; opensslDir?: string } = {}) =>
  planBuild({
    floor: over.floor ?? '1.2',
    platform: { ...platform, osRelease: over.osRelease ?? platform.osRelease },
    jobs: 2,
    python: {
      name: 'python',
      version: over.python ?? '3.11.2',
      url: 'u',
      sha256: 'a'.repeat(64),
      checksumFrom: 'known-releases',
    },
    openssl: { name: 'openssl', version: '3.0.22', url: 'u', sha256: 'b'.repeat(64), checksumFrom: 'known-releases' },
    pythonOptions: ['--with-ensurepip=install'],
    opensslDir: over.opensslDir ?? '/usr/lib/ssl',
  });
const entryFor = indexEntryFor;
const indexOf = (...entries: IndexEntry[]): RuntimeIndex => ({ format: 1, runtimes: entries });

describe('matching the runtime index', () => {
  it('an exact identity matches', () => {
    const p = plan();
    expect(matchEntry(indexOf(entryFor(plan({ floor: '1.3' })), entryFor(p)), p)).toEqual({ entry: entryFor(p) });
  });

  it.each([
    [
      plan({ python: '3.11.3' }),
      /^no prebuilt runtime for CPython 3\.11\.2 \/ OpenSSL 3\.0\.22 \/ TLS 1\.2 on linux debian-12 x64 in the index \(1 entries; nearest differs in CPython 3\.11\.3\); building from source$/,
    ],
    [plan({ floor: '1.3' }), /nearest differs in TLS 1\.3\)/],
    [plan({ osRelease: 'ubuntu-24.04' }), /nearest differs in platform linux ubuntu-24\.04 x64\)/],
    [plan({ opensslDir: '/etc/pki/tls' }), /nearest differs in build identity \(CPython openssl, OpenSSL options\)/],
  ])('a near entry is a miss that says what differs', (other, reason) => {
    const result = matchEntry(indexOf(entryFor(other)), plan());
    expect('miss' in result && result.miss).toMatch(reason);
  });

  it('an empty index says so', () => {
    expect(matchEntry(indexOf(), plan())).toEqual({
      miss: expect.stringMatching(/in the index \(it is empty\); building from source$/),
    });
  });

  it('relative entry URLs resolve against the index location, a URL or a path', () => {
    const e = entryFor(plan());
    expect(entryUrl(e, 'https://example.org/r/v1/index.json')).toBe('https://example.org/r/v1/rt.tar.gz');
    expect(entryUrl(e, '/srv/mirror/index.json')).toBe('file:///srv/mirror/rt.tar.gz');
    expect(entryUrl({ ...e, url: 'https://cdn.example/x.tar.gz' }, '/srv/index.json')).toBe(
      'https://cdn.example/x.tar.gz',
    );
  });

  it('an index that is missing, not JSON or of another format is unavailable (a warning), not an error', async () => {
    const dir = temporaryFolder('tls-floor-index-unit-');
    writeFileSync(path.join(dir, 'bad.json'), '<html>');
    writeFileSync(path.join(dir, 'other.json'), '{"format": 9, "runtimes": []}');
    for (const where of [
      path.join(dir, 'none.json'),
      path.join(dir, 'bad.json'),
      `file://${path.join(dir, 'other.json')}`,
    ]) {
      await expect(readIndex(where)).rejects.toBeInstanceOf(IndexUnavailable);
    }
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('the runtime-index input', () => {
  const read = (over: Record<string, string>) => (name: string) => over[name] ?? '';
  it('defaults to runtimes/index.json in the action: GITHUB_ACTION_PATH, else the parent of the bundle folder', async () => {
    expect(defaultIndexLocation({ GITHUB_ACTION_PATH: '/runner/_actions/acme/tls-floor/v1' }, '/x/dist/index.js')).toBe(
      '/runner/_actions/acme/tls-floor/v1/runtimes/index.json',
    );
    // A commit SHA pin reads the same in-tree file: the release names nothing.
    expect(
      defaultIndexLocation(
        { GITHUB_ACTION_REPOSITORY: 'acme/tls-floor', GITHUB_ACTION_REF: 'a'.repeat(40) },
        `/runner/_actions/acme/tls-floor/${'a'.repeat(40)}/dist/index.js`,
      ),
    ).toBe(`/runner/_actions/acme/tls-floor/${'a'.repeat(40)}/runtimes/index.json`);
    expect((await readInputs(read({}))).build.index).toEqual({ location: defaultIndexLocation(), explicit: false });
  });

  it('none turns it off; a URL or a path is taken as given', async () => {
    expect((await readInputs(read({ 'runtime-index': 'none' }))).build.index).toBeUndefined();
    expect((await readInputs(read({ 'runtime-index': 'https://mirror.example/index.json' }))).build.index).toEqual({
      location: 'https://mirror.example/index.json',
      explicit: true,
    });
    expect((await readInputs(read({ 'runtime-index': './runtimes/index.json' }))).build.index).toEqual({
      location: './runtimes/index.json',
      explicit: true,
    });
  });

  it('verify-provenance: false by default, owner/repo as given, true only where the action has a repository', async () => {
    expect((await readInputs(read({}))).build.provenance).toBeUndefined();
    expect(
      (await readInputs(read({ 'verify-provenance': 'false', 'runtime-index': '/i.json' }))).build.provenance,
    ).toBeUndefined();
    expect(
      (await readInputs(read({ 'verify-provenance': 'acme/tls-floor', 'runtime-index': '/i.json' }))).build.provenance,
    ).toEqual({ repo: 'acme/tls-floor' });
    await expect(readInputs(read({ 'verify-provenance': 'true', 'runtime-index': '/i.json' }))).rejects.toThrow(
      /^verify-provenance: true names the repository the action was loaded from, and this step has none \(uses: \.\/\); give owner\/repo\.$/,
    );
  });

  it.each([
    [
      { 'verify-provenance': 'acme/tls-floor', 'runtime-index': 'none' },
      /^verify-provenance: there is no archive to verify/,
    ],
    [
      { 'verify-provenance': 'yes please', 'runtime-index': '/i.json' },
      /^verify-provenance: 'yes please' is not allowed; give true, false or owner\/repo\.$/,
    ],
    [
      { 'runtime-index': 'ftp://x/index.json' },
      /^runtime-index: 'ftp:\/\/x\/index\.json' is not allowed; give an http\(s\) or file: URL, a path, latest, or none\.$/,
    ],
    [
      { 'runtime-index': '/i.json', 'runtime-archive-url': '/a.tar.gz', 'runtime-archive-sha256': 'a'.repeat(64) },
      /^runtime-index: not with runtime-archive-url/,
    ],
  ])('refuses %j in one line', async (given, message) => {
    await expect(readInputs(read(given))).rejects.toThrow(message);
  });
});
