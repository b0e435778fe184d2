import { execFileSync } from 'node:child_process';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeRunCertificates } from '../../src/probe/certs.js';
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
