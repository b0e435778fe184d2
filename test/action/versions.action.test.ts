import { writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultVersion, resolveVersion } from '../../src/runtime/model/versions.js';
import { runAction } from '../fixtures/action.js';
import { temporaryFolder } from '../fixtures/temporary.js';

// The bundle as Actions runs it: versions resolve, and are outputs, before any download. The
// sources are a loopback server that answers 404, so each run fails at its first download,
// and what it says about the versions is all there is to see.
let base: string;
let server: http.Server;
const requests: string[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    requests.push(req.url ?? '');
    res.writeHead(404).end('not here');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const newest = (spec: string, project: 'python' | 'openssl' = 'python') =>
  resolveVersion(project, spec, { input: 'x', checksumGiven: false, allowUnverified: false }).version;

function run(inputs: Record<string, string>, env: Record<string, string> = {}) {
  return runAction(
    {
      'python-source-url': `${base}/Python-{version}.tar.xz`,
      'openssl-source-url': `${base}/openssl-{version}.tar.gz`,
      'runtime-cache': 'false',
      ...inputs,
    },
    { RUNNER_TOOL_CACHE: temporaryFolder('tls-floor-toolcache-'), ...env },
  );
}

describe('resolved versions are outputs before any download', () => {
  it('python-version: 3.12 and openssl-version: 3.5 fail at the download and still say what they tried', async () => {
    const before = requests.length;
    const r = await run({ 'python-version': '3.12', 'openssl-version': '3.5' });
    expect(r.code).not.toBe(0);
    expect(r.outputs).toMatchObject({ 'python-version': newest('3.12'), 'openssl-version': newest('3.5', 'openssl') });
    expect(r.outputs['python-version']).toMatch(/^3\.12\.\d+$/);
    expect(r.stdout).toContain(
      `python-version: '3.12' resolved to ${newest('3.12')} (checksum from the table (pyenv))`,
    );
    expect(r.stdout).toMatch(
      /::error::tls-floor: download of http:\/\/127\.0\.0\.1:\d+\/openssl-3\.5\.\d+\.tar\.gz failed/,
    );
    expect(requests.length).toBe(before + 1); // the outputs were there before this first request
    expect(r.stdout).not.toMatch(/END OF LIFE/);
  }, 60_000);

  it('the defaults: the newest stable CPython on the newest OpenSSL LTS release', async () => {
    const r = await run({});
    expect(r.outputs).toMatchObject({
      'python-version': defaultVersion('python'),
      'openssl-version': defaultVersion('openssl'),
    });
    expect(r.stdout).toContain(`python-version: the default resolved to ${defaultVersion('python')}`);
  }, 60_000);

  it('>=3.12 <3.14 and python-version-file (.python-version, .tool-versions, pyproject.toml)', async () => {
    const workspace = temporaryFolder('tls-floor-workspace-');
    writeFileSync(path.join(workspace, '.python-version'), '3.11\n');
    writeFileSync(path.join(workspace, '.tool-versions'), 'python 3.10.4\n');
    writeFileSync(
      path.join(workspace, 'pyproject.toml'),
      '[project]\nname = "app"\nrequires-python = ">=3.12,<3.14"\n',
    );
    const range = await run({ 'python-version': '>=3.12 <3.14' });
    expect(range.outputs['python-version']).toBe(newest('>=3.12 <3.14'));
    // requires-python is PEP 440 and is said as written; it selects what the range would.
    for (const [file, spec, written] of [
      ['.python-version', '3.11', '3.11'],
      ['.tool-versions', '3.10.4', '3.10.4'],
      ['pyproject.toml', '>=3.12 <3.14', '>=3.12,<3.14'],
    ] as const) {
      const r = await run({ 'python-version-file': file }, { GITHUB_WORKSPACE: workspace });
      expect(r.outputs['python-version'], file).toBe(newest(spec));
      expect(r.stdout).toContain(`python-version: '${written}' from ${file} resolved to ${newest(spec)}`);
    }
  }, 120_000);

  it('an end-of-life choice warns with its date in the log and the job summary', async () => {
    const r = await run({ 'python-version': '3.9', 'openssl-version': '3.0' });
    expect(r.outputs).toMatchObject({ 'python-version': '3.9.25', 'openssl-version': newest('3.0', 'openssl') });
    expect(r.stdout).toMatch(
      /::warning::END OF LIFE: CPython 3\.9 \(3\.9\.25\) reached its end of life on 2025-10-31 \(PEP 596/,
    );
    expect(r.stdout).toMatch(
      /::warning::END OF LIFE: OpenSSL 3\.0 \(3\.0\.\d+\) reached its end of life on 2026-09-07 \(OpenSSL Release Strategy/,
    );
    expect(r.summary).toMatch(/> \[!WARNING\]\n> END OF LIFE: CPython 3\.9/);
    expect(r.summary).toMatch(/> END OF LIFE: OpenSSL 3\.0/);
  }, 60_000);

  it('a version outside the table: one line naming the input and the nearest known versions, nothing fetched', async () => {
    const before = requests.length;
    const r = await run({ 'python-version': '3.12.99' });
    expect(r.code).not.toBe(0);
    const errors = r.stdout.split('\n').filter((l) => l.startsWith('::error::'));
    expect(errors).toEqual([
      `::error::python-version: CPython 3.12.99 is not in the action's table of releases (nearest known: ${newest('3.12')}, 3.13.0); give python-sha256 with its tarball's SHA-256 to build it, or pick a known version.`,
    ]);
    expect(r.outputs['python-version']).toBeUndefined();
    expect(requests.length).toBe(before);
  }, 60_000);

  it('python-version: 3.13t is free-threaded CPython 3.13 (the output says 3.13.Nt); 3.12t is one line, nothing fetched', async () => {
    const r = await run({ 'python-version': '3.13t' });
    expect(r.code).not.toBe(0); // the loopback sources answer 404
    expect(r.outputs['python-version']).toBe(`${newest('3.13')}t`);
    expect(r.stdout).toContain(`python-version: '3.13t' resolved to ${newest('3.13')} (free-threaded) (checksum from`);
    const before = requests.length;
    const refused = await run({ 'python-version': '3.12t' });
    expect(refused.stdout.split('\n').filter((l) => l.startsWith('::error::'))).toEqual([
      `::error::python-version: '3.12t' asks for free-threaded CPython; CPython ${newest('3.12')} has no free-threaded build: --disable-gil arrived in CPython 3.13 (PEP 703). Give 3.13t, 3.14t or another 3.13+ version with t.`,
    ]);
    expect(requests.length).toBe(before);
  }, 60_000);

  it('python-version: 3.13 with openssl-version: 4.0: refused in one line naming both, before any download', async () => {
    const before = requests.length;
    const r = await run({ 'python-version': '3.13', 'openssl-version': '4.0' });
    expect(r.code).not.toBe(0);
    const errors = r.stdout.split('\n').filter((l) => l.startsWith('::error::'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      new RegExp(
        `^::error::python-version/openssl-version: CPython ${newest('3.13').replaceAll('.', '\\.')} cannot use OpenSSL ${newest('4.0', 'openssl').replaceAll('.', '\\.')}: .*SSLv3_method.*python-version 3\\.15\\.$`,
      ),
    );
    expect(requests.length).toBe(before);
  }, 60_000);

  it('with python-sha256 a version outside the table is tried as given', async () => {
    const r = await run({ 'python-version': '3.12.99', 'python-sha256': 'a'.repeat(64) });
    expect(r.outputs['python-version']).toBe('3.12.99');
    expect(r.stdout).toContain("python-version: '3.12.99' resolved to 3.12.99 (checksum from python-sha256)");
  }, 60_000);
});
