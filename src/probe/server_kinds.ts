import type tls from 'node:tls';
import type { TlsVersion } from '../shared/floor.js';
import { type KeyPair, makeRunCertificates, type RunCertificates } from './certs.js';

/**
 * Every kind of server the probe runs, each in one declaration that the probe (what to start,
 * its control), the policies (which rules may name it, which versions it accepts) and the report
 * (its description, what counts as its refusal) read. Each is proven reachable by a control
 * handshake before any client is judged against it. Options measured in
 * test/probe/weak-server-reach.test.ts on Node.js 20 (OpenSSL 3.0) and 24 (OpenSSL 3.5).
 */

export interface ControlSpec {
  /** What the control asks for (the run's CA is added). */
  connect: tls.ConnectionOptions;
  /**
   * The certificate error the control expects and accepts (a certificate case): the control
   * completes the handshake without verification and checks that this is the only complaint.
   */
  authorizationError?: readonly string[];
}

export interface ServerKindDeclaration {
  /** What it is, in words a reader of the job summary understands. */
  description: string;
  /**
   * modern: phase 1 (servers.ts, the library's defaults). legacy: pinned to one version below
   * the floor, serving every family (servers.ts). policy: one thing a policy's rule names
   * (`serve` and `control` below). 'TLSv1.2' is legacy at a 1.3 floor, a policy server at 1.2.
   */
  role: 'modern' | 'legacy' | 'policy';
  /** The versions it accepts, as it is started. */
  versions: readonly TlsVersion[];
  /** What a sound client does with it; which rules may name it (mustConnect, mustRefuse) follows. */
  expect: 'connect' | 'refuse';
  /**
   * Which refusal is a refusal of what it serves. `offer`: only one made before the server's
   * ServerHello (what it serves is in the client's offer: a version, suites); a client that
   * accepted the ServerHello and failed later did not refuse it. `any`: one after the ServerHello
   * too (the certificate or the signature, which come after it).
   */
  refusedBy?: 'offer' | 'any';
  /** A legacy server: the key exchange and authentication families it serves, in its order of preference. */
  families?: typeof LEGACY_FAMILIES;
  /** A policy server: its TLS options, certificate included (`rsa`: the run's RSA key). */
  serve?: (certs: RunCertificates, now: Date, rsa: KeyPair) => tls.TlsOptions;
  /** A policy server: what its control asks for. */
  control?: ControlSpec;
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

/**
 * Every key exchange and authentication family the servers' TLS library (OpenSSL 3.0 and 3.5, at
 * security level 0) has at TLS 1.0 to 1.2, as cipher strings, in the legacy servers' order of
 * preference. Left out, as no client completes them unless configured with a secret the server
 * would have to share: PSK, RSA-PSK, DHE-PSK, ECDHE-PSK (OpenSSL offers none without a PSK
 * callback) and SRP (none without an SRP user name). Static (EC)DH and GOST: not in OpenSSL 3.
 * docs/how-it-works.md says why the set is complete; test/probe/legacy-families.test.ts proves
 * that a client restricted to any one family completes a handshake with each legacy server.
 */
export const LEGACY_FAMILIES = {
  // No server signature: what a client that refuses SHA-1 signatures still completes at TLS 1.0/1.1.
  'static RSA': 'kRSA',
  'ECDHE-RSA': 'ECDHE+aRSA',
  'DHE-RSA': 'DHE+aRSA',
  'ECDHE-ECDSA': 'ECDHE+aECDSA',
  'DHE-DSS': 'DHE+aDSS',
  // Anonymous: no certificate at all; OpenSSL's DEFAULT leaves them out, "ALL" has them.
  'anonymous ECDH': 'AECDH',
  'anonymous DH': 'ADH',
} as const;
export type LegacyFamily = keyof typeof LEGACY_FAMILIES;

/**
 * The legacy servers' ciphers, in the server's order of preference (honorCipherOrder): the
 * families above, then the rest of ALL, at security level 0. At TLS 1.0 and 1.1 every signed
 * family signs with SHA-1 (MD5+SHA-1 for RSA), which an OpenSSL 3 client refuses from security
 * level 1 up after it has accepted the version; static RSA needs no signature, so it comes first:
 * a client that offers it completes the handshake. With a certificate for each of RSA, ECDSA and
 * DSA, the server picks the first suite of its list that the client offers: any client offering
 * any family completes a handshake.
 */
export const LEGACY_PREFERENCE = [...Object.values(LEGACY_FAMILIES), 'ALL', '@SECLEVEL=0'].join(':');

/** A legacy server: pinned to one version below the floor, serving every family (servers.ts starts it). */
const legacy = (version: TlsVersion) =>
  ({
    description: `the ${version}-only server`,
    role: 'legacy',
    versions: [version],
    expect: 'refuse',
    refusedBy: 'offer',
    families: LEGACY_FAMILIES,
  }) as const;

export const SERVERS = {
  modern: {
    description: 'the modern server (TLS 1.2 and 1.3)',
    role: 'modern',
    versions: ['TLSv1.2', 'TLSv1.3'],
    expect: 'connect',
  },
  TLSv1: legacy('TLSv1'),
  'TLSv1.1': legacy('TLSv1.1'),
  'TLSv1.2': {
    description: 'the TLSv1.2-only server',
    role: 'policy',
    versions: ['TLSv1.2'],
    expect: 'connect',
    serve: (c) => ({ ...own(c), ...TLS12 }),
    control: { connect: { ...TLS12 } },
  },
  'TLSv1.3': {
    description: 'the TLSv1.3-only server',
    role: 'policy',
    versions: ['TLSv1.3'],
    expect: 'connect',
    serve: (c) => ({ ...own(c), minVersion: 'TLSv1.3', ecdhCurve: MOZILLA_CURVES }),
    control: { connect: { minVersion: 'TLSv1.3' } },
  },
  'mozilla-intermediate': {
    description: 'the Mozilla-intermediate server',
    role: 'policy',
    versions: ['TLSv1.2', 'TLSv1.3'],
    expect: 'connect',
    serve: (c) => ({ ...own(c), minVersion: 'TLSv1.2', ciphers: INTERMEDIATE, ecdhCurve: MOZILLA_CURVES }),
    control: { connect: { ...TLS12 } },
  },
  'cbc-sha1-only': {
    description: 'the CBC-SHA1-only server',
    role: 'policy',
    versions: ['TLSv1.2'],
    expect: 'refuse',
    refusedBy: 'offer',
    serve: (c) => ({ ...own(c), ...TLS12, ciphers: CBC_SHA1 }),
    control: { connect: { ...TLS12, ciphers: CBC_SHA1 } },
  },
  'static-rsa-only': {
    description: 'the static-RSA-only server',
    role: 'policy',
    versions: ['TLSv1.2'],
    expect: 'refuse',
    refusedBy: 'offer',
    // Static RSA key transport needs an RSA key: a leaf of its own from the run's CA.
    serve: (c, _now, rsa) => ({ ...leaf(c.issue({ key: rsa })), ...TLS12, ciphers: STATIC_RSA }),
    control: { connect: { ...TLS12, ciphers: STATIC_RSA } },
  },
  'null-only': {
    description: 'the NULL-encryption-only server',
    role: 'policy',
    versions: ['TLSv1.2'],
    expect: 'refuse',
    refusedBy: 'offer',
    serve: (c) => ({ ...own(c), ...TLS12, ciphers: NULL_SUITES }),
    control: { connect: { ...TLS12, ciphers: NULL_SUITES } },
  },
  'sha1-signed': {
    description: 'the SHA-1-signing server',
    role: 'policy',
    versions: ['TLSv1.2'],
    expect: 'refuse',
    // Its signature comes after its ServerHello: refusing it there is refusing what it serves.
    refusedBy: 'any',
    serve: (c) => ({ ...own(c), ...TLS12, ...SHA1_SIGNED }),
    control: { connect: { ...TLS12, ...SHA1_SIGNED } },
  },
  'cert-expired': {
    description: 'the server with an expired certificate',
    role: 'policy',
    versions: ['TLSv1.2', 'TLSv1.3'],
    expect: 'refuse',
    refusedBy: 'any',
    serve: (c, now) => ({
      ...leaf(c.issue({ notBefore: new Date(now.getTime() - 3 * DAY), notAfter: new Date(now.getTime() - DAY) })),
      minVersion: 'TLSv1.2',
    }),
    control: { connect: {}, authorizationError: ['CERT_HAS_EXPIRED'] },
  },
  'cert-wrong-host': {
    description: 'the server whose certificate names another host',
    role: 'policy',
    versions: ['TLSv1.2', 'TLSv1.3'],
    expect: 'refuse',
    refusedBy: 'any',
    serve: (c) => ({
      ...leaf(c.issue({ hosts: ['wrong-host.tls-floor.invalid'], noIp: true })),
      minVersion: 'TLSv1.2',
    }),
    control: { connect: {}, authorizationError: ['ERR_TLS_CERT_ALTNAME_INVALID'] },
  },
  'cert-unknown-issuer': {
    description: 'the server whose certificate comes from an unknown CA',
    role: 'policy',
    versions: ['TLSv1.2', 'TLSv1.3'],
    expect: 'refuse',
    refusedBy: 'any',
    // A second throwaway CA, which no client is given.
    serve: () => ({ ...own(makeRunCertificates()), minVersion: 'TLSv1.2' }),
    control: {
      connect: {},
      authorizationError: ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY'],
    },
  },
  'pq-hybrid-only': {
    description: 'the hybrid-post-quantum-only server (TLS 1.3, ML-KEM hybrid groups only)',
    role: 'policy',
    versions: ['TLSv1.3'],
    expect: 'connect',
    serve: (c) => ({ ...own(c), minVersion: 'TLSv1.3', ecdhCurve: HYBRID_PQ }),
    control: { connect: { minVersion: 'TLSv1.3', ecdhCurve: 'X25519MLKEM768' } },
  },
  'chacha20-only': {
    description: 'the ChaCha20-Poly1305-only server (TLS 1.2 and 1.3)',
    role: 'policy',
    versions: ['TLSv1.2', 'TLSv1.3'],
    expect: 'refuse',
    refusedBy: 'offer',
    serve: (c) => ({ ...own(c), minVersion: 'TLSv1.2', ciphers: CHACHA20 }),
    control: { connect: { minVersion: 'TLSv1.2', ciphers: CHACHA20 } },
  },
} as const satisfies Record<string, ServerKindDeclaration>;

export type ServerKind = keyof typeof SERVERS;
export const SERVER_KINDS = Object.keys(SERVERS) as ServerKind[];

/** The kinds a rule may ask a client to refuse (mustRefuse), and to connect to (mustConnect). */
export type RefusedKind = { [K in ServerKind]: (typeof SERVERS)[K]['expect'] extends 'refuse' ? K : never }[ServerKind];
export type ConnectedKind = Exclude<ServerKind, RefusedKind>;

export const isServerKind = (id: string): id is ServerKind => Object.hasOwn(SERVERS, id);
export const serverKind = (kind: ServerKind): ServerKindDeclaration => SERVERS[kind];
