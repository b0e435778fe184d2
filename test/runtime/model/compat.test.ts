import { describe, expect, it } from 'vitest';
import { atLeast, incompatibility, versionKey } from '../../../src/runtime/model/compat.js';

describe('versionKey and atLeast', () => {
  it.each([
    // major, minor, patch, OpenSSL's letter, stage (a 1, b 2, rc 3, final 4), prerelease number
    ['3.11.2', [3, 11, 2, 0, 4, 0]],
    ['1.1.1w', [1, 1, 1, 23, 4, 0]],
    ['3.13', []],
    ['3.13.0rc1', [3, 13, 0, 0, 3, 1]],
    ['3.15.0b4', [3, 15, 0, 0, 2, 4]],
  ])('%s -> %j', (version, key) => {
    expect(versionKey(version)).toEqual(key);
  });

  it.each([
    ['3.10.0', '3.10.0', true],
    ['3.9.18', '3.10.0', false],
    ['3.10.1', '3.10.0', true],
    ['1.1.1w', '1.1.1', true],
    ['1.1.0l', '1.1.1', false],
    ['1.1.1', '1.1.1a', false],
    ['3.0.0', '1.1.1w', true],
    ['3.15.0b4', '3.15.0', false],
    ['3.15.0rc1', '3.15.0b4', true],
  ])('atLeast(%s, %s) is %s', (version, minimum, expected) => {
    expect(atLeast(version, minimum)).toBe(expected);
  });
});

describe('incompatibility', () => {
  it.each([
    ['3.13.5', '3.5.7'],
    ['3.11.2', '3.0.22'],
    ['3.9.2', '1.1.1w'],
    ['3.7.0', '1.1.1'],
    ['3.10.0', '1.1.1'],
    ['3.15.0', '4.0.2'],
    ['3.15.0b4', '4.0.1'],
    ['3.14.10', '3.6.5'],
  ])('CPython %s with OpenSSL %s: none', (python, openssl) => {
    expect(incompatibility(python, openssl)).toBeUndefined();
  });

  it.each([
    [
      '3.6.15',
      '3.0.22',
      /^CPython 3\.6\.15 cannot be built against a chosen OpenSSL: .*--with-openssl arrived in CPython 3\.7/,
    ],
    ['3.10.0', '1.1.0l', /^CPython 3\.10\.0 needs OpenSSL 1\.1\.1 or newer \(PEP 644\), not 1\.1\.0l\.$/],
    ['3.13.5', '1.0.2u', /^CPython 3\.13\.5 needs OpenSSL 1\.1\.1 or newer \(PEP 644\), not 1\.0\.2u\.$/],
    ['3.9.2', '1.1.0l', /^OpenSSL 1\.1\.0l is out of support and has no TLS 1\.3; use 1\.1\.1 or newer/],
  ])('CPython %s with OpenSSL %s: refused, naming the rule', (python, openssl, message) => {
    expect(incompatibility(python, openssl)).toMatch(message);
  });

  it.each([
    ['3.13.15', '4.0.2'],
    ['3.14.10', '4.0.3'],
    ['3.15.0a7', '4.0.0'],
    ['3.11.2', '4.0.0-alpha1'],
  ])('CPython %s with OpenSSL %s: refused in one line naming both versions and where 4.0 works', (python, openssl) => {
    const message = incompatibility(python, openssl)!;
    expect(message.startsWith(`CPython ${python} cannot use OpenSSL ${openssl}: `)).toBe(true);
    expect(message).toMatch(/SSLv3_method.*gh-148600.*python-version 3\.15\.$/);
    expect(message).not.toContain('\n');
  });

  it('names the Python rule first when both versions are too old', () => {
    expect(incompatibility('3.6.0', '1.0.2')).toMatch(/^CPython 3\.6\.0 cannot be built/);
  });
});
