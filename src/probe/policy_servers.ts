import { generateKeyPair, type KeyObject } from 'node:crypto';
import type tls from 'node:tls';
import { promisify } from 'node:util';
import type { TlsVersion } from '../shared/floor.js';
import { makeRunCertificates, type RunCertificates } from './certs.js';
import type { ServerKind } from './server_kinds.js';
import { listen, type RunningServer } from './servers.js';

/**
 * The servers the policies add to the version floor's: each serves one thing (a weakness a
 * sound client refuses, or a profile it must reach), and each has a positive control, a Node.js
 * client that asks for exactly that thing and must complete a handshake before any client is
 * judged against the server. Options measured in test/probe/weak-server-reach.integration.test.ts on
 * Node.js 20 (OpenSSL 3.0) and 24 (OpenSSL 3.5).
 */

export type PolicyServerKind = Exclude<ServerKind, 'modern' | 'TLSv1' | 'TLSv1.1'>;

export interface ControlSpec {
  /** What the control asks for (the run's CA is added). */
  connect: tls.ConnectionOptions;
  /**
   * The certificate error the control expects and accepts (a certificate case): the control
   * completes the handshake without verification and checks that this is the only complaint.
   */
  authorizationError?: readonly string[];
}

type KeyPair = { publicKey: KeyObject; privateKey: KeyObject };

interface Spec {
  versions: TlsVersion[];
  expect: 'connect' | 'refuse';
  options(certs: RunCertificates, now: Date, rsa?: KeyPair): tls.TlsOptions;
  control: ControlSpec;
}

const TLS12 = { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2' } as const;
const CBC_SHA1 = 'ECDHE-ECDSA-AES128-SHA:ECDHE-ECDSA-AES256-SHA';
const STATIC_RSA = 'AES128-GCM-SHA256:AES256-GCM-SHA384:AES128-SHA256:AES128-SHA';
const NULL_SUITES = 'ECDHE-ECDSA-NULL-SHA:@SECLEVEL=0';
const SHA1_SIGNED = { sigalgs: 'ECDSA+SHA1', ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256:@SECLEVEL=0' };
const MOZILLA_CURVES = 'X25519:prime256v1:secp384r1';
/** Mozilla intermediate v5.7 (the ECDSA and RSA suites; the server's key is ECDSA). */
const INTERMEDIATE =
  'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:' +
  'ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:' +
  'DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:DHE-RSA-CHACHA20-POLY1305';
const HYBRID_PQ = 'X25519MLKEM768:SecP256r1MLKEM768:SecP384r1MLKEM1024';
/** ChaCha20-Poly1305 alone, TLS 1.2's suite and TLS 1.3's (Node takes both in one string): no FIPS-approved cipher. */
const CHACHA20 = 'ECDHE-ECDSA-CHACHA20-POLY1305:TLS_CHACHA20_POLY1305_SHA256';
const DAY = 24 * 3600_000;

const own = (certs: RunCertificates) => ({ key: certs.keyPem, cert: certs.certPem });
const leaf = (l: { certPem: string; keyPem: string }) => ({ key: l.keyPem, cert: l.certPem });

const SPECS: Record<PolicyServerKind, Spec> = {
  'TLSv1.2': {
    versions: ['TLSv1.2'],
    expect: 'connect',
    options: (c) => ({ ...own(c), ...TLS12 }),
    control: { connect: { ...TLS12 } },
  },
  'TLSv1.3': {
    versions: ['TLSv1.3'],
    expect: 'connect',
    options: (c) => ({ ...own(c), minVersion: 'TLSv1.3', ecdhCurve: MOZILLA_CURVES }),
    control: { connect: { minVersion: 'TLSv1.3' } },
  },
  'mozilla-intermediate': {
    versions: ['TLSv1.2', 'TLSv1.3'],
    expect: 'connect',
    options: (c) => ({ ...own(c), minVersion: 'TLSv1.2', ciphers: INTERMEDIATE, ecdhCurve: MOZILLA_CURVES }),
    control: { connect: { ...TLS12 } },
  },
  'cbc-sha1-only': {
    versions: ['TLSv1.2'],
    expect: 'refuse',
    options: (c) => ({ ...own(c), ...TLS12, ciphers: CBC_SHA1 }),
    control: { connect: { ...TLS12, ciphers: CBC_SHA1 } },
  },
  'static-rsa-only': {
    versions: ['TLSv1.2'],
    expect: 'refuse',
    // Static RSA key transport needs an RSA key: a leaf of its own from the run's CA.
    options: (c, _now, rsa) => ({
      ...leaf(c.issue({ rsa: true, ...(rsa ? { key: rsa } : {}) })),
      ...TLS12,
      ciphers: STATIC_RSA,
    }),
    control: { connect: { ...TLS12, ciphers: STATIC_RSA } },
  },
  'null-only': {
    versions: ['TLSv1.2'],
    expect: 'refuse',
    options: (c) => ({ ...own(c), ...TLS12, ciphers: NULL_SUITES }),
    control: { connect: { ...TLS12, ciphers: NULL_SUITES } },
  },
  'sha1-signed': {
    versions: ['TLSv1.2'],
    expect: 'refuse',
    options: (c) => ({ ...own(c), ...TLS12, ...SHA1_SIGNED }),
    control: { connect: { ...TLS12, ...SHA1_SIGNED } },
  },
  'cert-expired': {
    versions: ['TLSv1.2', 'TLSv1.3'],
    expect: 'refuse',
    options: (c, now) => ({
      ...leaf(c.issue({ notBefore: new Date(now.getTime() - 3 * DAY), notAfter: new Date(now.getTime() - DAY) })),
      minVersion: 'TLSv1.2',
    }),
    control: { connect: {}, authorizationError: ['CERT_HAS_EXPIRED'] },
  },
  'cert-wrong-host': {
    versions: ['TLSv1.2', 'TLSv1.3'],
    expect: 'refuse',
    options: (c) => ({
      ...leaf(c.issue({ hosts: ['wrong-host.tls-floor.invalid'], noIp: true })),
      minVersion: 'TLSv1.2',
    }),
    control: { connect: {}, authorizationError: ['ERR_TLS_CERT_ALTNAME_INVALID'] },
  },
  'cert-unknown-issuer': {
    versions: ['TLSv1.2', 'TLSv1.3'],
    expect: 'refuse',
    // A second throwaway CA, which no client is given.
    options: () => ({ ...own(makeRunCertificates()), minVersion: 'TLSv1.2' }),
    control: {
      connect: {},
      authorizationError: ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY'],
    },
  },
  'pq-hybrid-only': {
    versions: ['TLSv1.3'],
    expect: 'connect',
    options: (c) => ({ ...own(c), minVersion: 'TLSv1.3', ecdhCurve: HYBRID_PQ }),
    control: { connect: { minVersion: 'TLSv1.3', ecdhCurve: 'X25519MLKEM768' } },
  },
  'chacha20-only': {
    versions: ['TLSv1.2', 'TLSv1.3'],
    expect: 'refuse',
    options: (c) => ({ ...own(c), minVersion: 'TLSv1.2', ciphers: CHACHA20 }),
    control: { connect: { minVersion: 'TLSv1.2', ciphers: CHACHA20 } },
  },
};

export const isPolicyServerKind = (kind: string): kind is PolicyServerKind => kind in SPECS;

/**
 * The RSA key the static-RSA server needs, generated off the event loop (70-500 ms of CPU here):
 * start it first, so it overlaps the interpreter's start-up and the other servers.
 */
export function prepareKeys(kinds: readonly string[]): Promise<KeyPair | undefined> {
  if (!kinds.includes('static-rsa-only')) return Promise.resolve(undefined);
  return promisify(generateKeyPair)('rsa', { modulusLength: 2048 }) as Promise<KeyPair>;
}

export type StartedPolicyServer =
  | { server: RunningServer; control: ControlSpec }
  /** The TLS library of this runner cannot serve it (e.g. hybrid ML-KEM groups on OpenSSL 3.0). */
  | { unavailable: { id: string; reason: string } };

/** Starts one policy server; a server the TLS library refuses to configure is unavailable, not an error. */
export async function startPolicyServer(
  certs: RunCertificates,
  kind: PolicyServerKind,
  keys: Promise<KeyPair | undefined> = Promise.resolve(undefined),
  now: Date = new Date(),
): Promise<StartedPolicyServer> {
  const spec = SPECS[kind];
  let server: RunningServer;
  try {
    const options = spec.options(certs, now, kind === 'static-rsa-only' ? await keys : undefined);
    server = await listen(kind, 'policy', spec.versions, options, { expect: spec.expect });
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    const reason =
      `${process.release.name} ${process.versions.node} with OpenSSL ${process.versions.openssl} ` +
      `cannot start it (${e.code ?? e.message})`;
    return { unavailable: { id: kind, reason } };
  }
  return { server, control: spec.control };
}
