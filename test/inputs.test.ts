import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readInputs } from '../src/inputs.js';
import { defaultVersion } from '../src/runtime/versions.js';
import { ROOT } from './fixtures/action.js';

/** Inputs as a map: what is not named is empty, as when a workflow leaves it out. */
function inputs(overrides: Record<string, string> = {}) {
  return readInputs((name) => overrides[name] ?? '');
}

describe('readInputs', () => {
  it('has the documented defaults', () => {
    const i = inputs();
    expect(i).toMatchObject({ floor: '1.2', probeMode: 'both', failOnDowngrade: true });
    expect(i.pythonPath).toBeUndefined();
    expect(i.build).toMatchObject({
      // The defaults come from the release table (test/runtime/versions.test.ts).
      python: { version: defaultVersion('python'), spec: '', given: false },
      openssl: { version: defaultVersion('openssl'), spec: '', given: false },
      allowUnverifiedSource: false,
      createArchive: false,
    });
    expect(i.build.cache).toBeUndefined();
    expect(i.build.jobs).toBeGreaterThan(0);
  });

  it.each([
    [{ 'min-tls-version': '1.0' }, /^min-tls-version: '1\.0' is not allowed; use 1\.2, 1\.3/],
    [{ 'probe-mode': 'STRICT' }, /^probe-mode: 'STRICT' is not allowed; use both, strict, default/],
    [{ 'python-version': '3.11-latest' }, /^python-version: '3\.11-latest' is not a version or a range; give e\.g\. 3\.13/],
    [{ 'openssl-version': '2.0' }, /^openssl-version: no OpenSSL release in the action's table matches '2\.0' \(nearest known: /],
    [{ 'openssl-sha256': 'abc' }, /^openssl-sha256: 'abc' is not a SHA-256 digest/],
    [{ 'python-source-url': 'https://x/{name}.tgz' }, /^python-source-url: unknown placeholder \{name\}; the only placeholder is \{version\}\./],
    [{ 'python-source-url': 'ftp://x/{version}' }, /^python-source-url: 'ftp:\/\/x\/\{version\}' is not an http\(s\) URL template/],
    [{ 'build-jobs': '0' }, /^build-jobs: '0' is not allowed; give a whole number from 1 to 1024/],
    [{ cache: 'sometimes' }, /^cache: 'sometimes' is not allowed; use true, false, auto/],
    [{ 'runtime-archive-url': 'https://x/r.tar.gz' }, /^runtime-archive-sha256: required with runtime-archive-url/],
    [{ 'runtime-archive-sha256': 'a'.repeat(64) }, /^runtime-archive-sha256: given without runtime-archive-url/],
    [{ 'runtime-archive-url': 'r.tar.gz', 'runtime-archive-sha256': 'a'.repeat(64) }, /^runtime-archive-url: 'r\.tar\.gz' is not allowed/],
  ])('%o is refused in one line naming the input', (given, message) => {
    expect(() => inputs(given)).toThrow(message);
  });

  it('keeps what was given', () => {
    const i = inputs({ 'python-path': ' /usr/bin/python3 ', 'min-tls-version': '1.3', 'fail-on-downgrade': 'False', 'build-jobs': '3', cache: 'false', 'python-version': '3.11.2' });
    expect(i).toMatchObject({ pythonPath: '/usr/bin/python3', floor: '1.3', failOnDowngrade: false });
    expect(i.build).toMatchObject({ jobs: 3, cache: false, python: { version: '3.11.2', given: true } });
  });

  it('reads exactly the inputs action.yml declares', () => {
    const read = new Set<string>();
    readInputs((name) => {
      read.add(name);
      return '';
    });
    const yml = readFileSync(path.join(ROOT, 'action.yml'), 'utf8');
    const block = yml.slice(yml.indexOf('\ninputs:'), yml.indexOf('\noutputs:'));
    const declared = [...block.matchAll(/^ {2}([a-z0-9-]+):$/gm)].map((m) => m[1]);
    expect([...read].sort()).toEqual(declared.sort());
  });
});
