import { describe, expect, it } from 'vitest';
import { sourceSpec } from '../../../src/runtime/model/plan.js';
import { InputError, Refusal } from '../../../src/shared/errors.js';
import { asTheActionSays } from '../../fixtures/refusals.js';

// The path where no checksum is known: neither given as an input nor in the action's table.
// No table release (undefined) keeps this independent of which releases the action knows.
const TEMPLATE = 'https://www.openssl.org/source/openssl-{version}.tar.gz';

describe('sourceSpec without a checksum', () => {
  it('is refused unless unverified sources are allowed, naming the input and the URL to hash', () => {
    const refused = () =>
      sourceSpec('openssl', { version: '3.9.9', spec: '3.9.9', given: true }, undefined, TEMPLATE, false);
    // The plan names no input: its refusal is of the OpenSSL checksum; the action names the input.
    expect(refused).toThrow(Refusal);
    expect(refused).toThrow(
      /^\[openssl-checksum\] no checksum .*give \[openssl-checksum\] .*set \[unverified-sources\]: true/,
    );
    const run = () => asTheActionSays(refused);
    expect(run).toThrow(InputError);
    expect(run).toThrow(/^openssl-sha256: no checksum for OpenSSL 3\.9\.9 /);
    expect(run).toThrow(
      /give openssl-sha256 with the SHA-256 of https:\/\/www\.openssl\.org\/source\/openssl-3\.9\.9\.tar\.gz/,
    );
    expect(run).toThrow(/allow-unverified-source: true/);
  });

  it('names CPython and python-sha256 for the python source, and the mirror URL when a template is given', () => {
    const run = () =>
      asTheActionSays(() =>
        sourceSpec(
          'python',
          { version: '3.99.1', spec: '3.99.1', given: true, urlTemplate: 'http://mirror.example/Python-{version}.tgz' },
          undefined,
          TEMPLATE,
          false,
        ),
      );
    expect(run).toThrow(
      /^python-sha256: no checksum for CPython 3\.99\.1 .*SHA-256 of http:\/\/mirror\.example\/Python-3\.99\.1\.tgz/,
    );
  });

  it('when allowed: the source without sha256, its checksum from nowhere', () => {
    const spec = sourceSpec('openssl', { version: '3.9.9', spec: '3.9.9', given: true }, undefined, TEMPLATE, true);
    expect(spec).toEqual({
      name: 'openssl',
      version: '3.9.9',
      url: 'https://www.openssl.org/source/openssl-3.9.9.tar.gz',
      checksumFrom: 'none',
    });
    expect('sha256' in spec).toBe(false);
  });

  it('a checksum given as an input is used whether or not unverified sources are allowed', () => {
    const sha256 = 'a'.repeat(64);
    for (const allow of [false, true]) {
      expect(
        sourceSpec('openssl', { version: '3.9.9', spec: '3.9.9', given: true, sha256 }, undefined, TEMPLATE, allow),
      ).toMatchObject({
        sha256,
        checksumFrom: 'input',
      });
    }
  });
});
