import { execFileSync } from 'node:child_process';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeRunCertificates, runRsaKey } from '../../src/probe/certs.js';
import { dsaKeyPair } from '../../src/probe/dsa.js';
import { type LegacyIdentities, legacyIdentities } from '../../src/probe/servers.js';
import { requireTool } from '../fixtures/requirements.js';
import { temporaryFolder } from '../fixtures/temporary.js';

describe('the run certificates', () => {
  const certs = makeRunCertificates();
  const ca = new X509Certificate(certs.caPem);
  const leaf = new X509Certificate(certs.certPem);

  it('form a chain: the CA signed the server certificate, which matches the key', () => {
    expect(ca.ca).toBe(true);
    expect(ca.verify(ca.publicKey)).toBe(true);
    expect(leaf.ca).toBe(false);
    expect(leaf.verify(ca.publicKey)).toBe(true);
    expect(leaf.checkIssued(ca)).toBe(true);
    expect(leaf.checkPrivateKey(createPrivateKey(certs.keyPem))).toBe(true);
  });

  it('name localhost and 127.0.0.1 and last one day', () => {
    expect(leaf.checkHost('localhost')).toBe('localhost');
    expect(leaf.checkIP('127.0.0.1')).toBe('127.0.0.1');
    const days = (Date.parse(leaf.validTo) - Date.parse(leaf.validFrom)) / 86_400_000;
    expect(days).toBeGreaterThan(0.99);
    expect(days).toBeLessThan(1.01);
  });

  it('are made anew each run', () => {
    expect(makeRunCertificates().caPem).not.toBe(certs.caPem);
  });

  it('pass `openssl verify -x509_strict` for TLS server use (Python 3.13+ default contexts verify strictly)', () => {
    requireTool('openssl');
    const dir = temporaryFolder('tls-floor-certs-');
    writeFileSync(path.join(dir, 'ca.pem'), certs.caPem);
    writeFileSync(path.join(dir, 'leaf.pem'), certs.certPem);
    const out = execFileSync(
      'openssl',
      [
        'verify',
        '-x509_strict',
        '-purpose',
        'sslserver',
        '-CAfile',
        path.join(dir, 'ca.pem'),
        path.join(dir, 'leaf.pem'),
      ],
      { encoding: 'utf8' },
    );
    expect(out.trim()).toMatch(/: OK$/);
  });
});

describe("the legacy servers' certificates (ECDSA, RSA, DSA)", () => {
  const certs = makeRunCertificates();
  let identities: LegacyIdentities;
  beforeAll(async () => {
    identities = legacyIdentities(certs, await runRsaKey());
  });

  it('are one leaf per key type, each from the run CA, each matching its key', () => {
    const ca = new X509Certificate(certs.caPem);
    const leaves = identities.cert.map((pem) => new X509Certificate(pem));
    expect(leaves.map((l) => l.publicKey.asymmetricKeyType)).toEqual(['ec', 'rsa', 'dsa']);
    for (const [i, leaf] of leaves.entries()) {
      expect(leaf.checkIssued(ca)).toBe(true);
      expect(leaf.verify(ca.publicKey)).toBe(true);
      expect(leaf.checkPrivateKey(createPrivateKey(identities.key[i]!))).toBe(true);
    }
    expect(leaves[1]!.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(leaves[2]!.publicKey.asymmetricKeyDetails).toMatchObject({ modulusLength: 2048, divisorLength: 224 });
  });

  it('pass `openssl verify -x509_strict` for TLS server use', () => {
    requireTool('openssl');
    const dir = temporaryFolder('tls-floor-legacy-certs-');
    writeFileSync(path.join(dir, 'ca.pem'), certs.caPem);
    for (const [i, pem] of identities.cert.entries()) {
      writeFileSync(path.join(dir, `leaf${i}.pem`), pem);
      const args = ['verify', '-x509_strict', '-purpose', 'sslserver', '-CAfile', path.join(dir, 'ca.pem')];
      expect(execFileSync('openssl', [...args, path.join(dir, `leaf${i}.pem`)], { encoding: 'utf8' })).toMatch(
        /: OK\n$/,
      );
    }
  });

  it('the RSA key is made once per process; each DSA key is new, on the same public parameters', async () => {
    expect(await runRsaKey()).toBe(await runRsaKey());
    const [a, b] = [dsaKeyPair(), dsaKeyPair()];
    const der = (k: typeof a) => k.publicKey.export({ type: 'spki', format: 'der' });
    expect(der(a).equals(der(b))).toBe(false);
    expect(openssl(a.publicKey)).toBe(openssl(b.publicKey));
  });
});

/** The DSA domain parameters (p, q, g) of a public key, as openssl prints them. */
function openssl(key: import('node:crypto').KeyObject): string {
  const text = execFileSync('openssl', ['pkey', '-pubin', '-text', '-noout'], {
    input: key.export({ type: 'spki', format: 'pem' }),
    encoding: 'utf8',
  });
  return text.slice(text.indexOf('P:'));
}
