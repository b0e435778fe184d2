import {
  createHash,
  generateKeyPair,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  sign,
  X509Certificate,
} from 'node:crypto';
import { promisify } from 'node:util';
import {
  bitString,
  boolean,
  type Der,
  explicit,
  integer,
  namedBits,
  octetString,
  oid,
  sequence,
  set,
  tlv,
  utcTime,
  utf8String,
} from './der.js';

/** A throwaway CA and a server certificate for 127.0.0.1 / localhost, made for one run. */
export interface RunCertificates {
  caPem: string;
  certPem: string;
  /** Kept in memory only: never logged, never written to disk. */
  keyPem: string;
  /**
   * Another leaf from the same CA (the CA's key stays in this closure): the certificate cases of
   * the policy servers (expired, another host's name, an RSA key for static-RSA suites).
   */
  issue(spec?: LeafSpec): LeafCertificate;
}

export interface LeafSpec {
  /** DNS names in subjectAltName (default localhost, with IP 127.0.0.1). */
  hosts?: readonly string[];
  /** Leave out the IP 127.0.0.1 (a certificate for another host only). */
  noIp?: boolean;
  notBefore?: Date;
  notAfter?: Date;
  /** An RSA 2048 key instead of ECDSA P-256 (static-RSA suites need one). */
  rsa?: boolean;
  /** The key pair to certify (runRsaKey(), dsaKeyPair(), ...); default: a new one. */
  key?: KeyPair;
}

export type KeyPair = { publicKey: KeyObject; privateKey: KeyObject };

let rsaKey: Promise<KeyPair> | undefined;

/**
 * The RSA 2048 key pair of this process's probe servers (the legacy servers' RSA certificate and
 * the static-RSA policy server's): 50-500 ms of CPU, so it is generated once per process, off the
 * event loop, and shared; only certificates are issued per run.
 */
export function runRsaKey(): Promise<KeyPair> {
  rsaKey ??= promisify(generateKeyPair)('rsa', { modulusLength: 2048 }) as Promise<KeyPair>;
  return rsaKey;
}

export interface LeafCertificate {
  certPem: string;
  /** In memory only. */
  keyPem: string;
}

const ECDSA_WITH_SHA256 = sequence(oid('1.2.840.10045.4.3.2'));
const COMMON_NAME = '2.5.4.3';

// The extensions follow RFC 5280 to the letter, key identifiers included: Python 3.13+
// default contexts set VERIFY_X509_STRICT, which rejects a chain without them, and a
// default client that cannot verify the modern server would make every verdict `broken`.
// ECDSA P-256: generated in a millisecond, and usable by every TLS version from 1.0 up
// (ECDHE-ECDSA suites exist since TLS 1.0).
export function makeRunCertificates(now: Date = new Date()): RunCertificates {
  const notBefore = new Date(now.getTime() - 60_000);
  const notAfter = new Date(now.getTime() + 24 * 3600_000);
  const ca = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const server = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const caName = name('tls-floor throwaway CA');
  const caKeyId = keyIdentifier(ca.publicKey);
  const caCert = certificate({
    issuer: caName,
    subject: caName,
    publicKey: ca.publicKey,
    signingKey: ca.privateKey,
    notBefore,
    notAfter,
    extensions: [
      extension('2.5.29.19', true, sequence(boolean(true), integer(0))), // basicConstraints: CA, pathlen 0
      extension('2.5.29.15', true, namedBits([5, 6])), // keyUsage: keyCertSign, cRLSign
      extension('2.5.29.14', false, octetString(caKeyId)), // subjectKeyIdentifier
    ],
  });
  const leaf = (key: KeyPair, spec: LeafSpec): LeafCertificate => {
    const hosts = spec.hosts ?? ['localhost'];
    const names = [
      ...hosts.map((h) => tlv(0x82, Buffer.from(h))),
      ...(spec.noIp ? [] : [tlv(0x87, Buffer.from([127, 0, 0, 1]))]),
    ];
    // RSA: a static-RSA suite encrypts the premaster secret with the key (keyEncipherment).
    const usage = key.publicKey.asymmetricKeyType === 'rsa' ? [0, 2] : [0];
    const der = certificate({
      issuer: caName,
      subject: name(hosts[0] ?? 'localhost'),
      publicKey: key.publicKey,
      signingKey: ca.privateKey,
      notBefore: spec.notBefore ?? notBefore,
      notAfter: spec.notAfter ?? notAfter,
      extensions: [
        extension('2.5.29.19', true, sequence()), // basicConstraints: not a CA
        extension('2.5.29.15', true, namedBits(usage)), // keyUsage: digitalSignature (keyEncipherment)
        extension('2.5.29.37', false, sequence(oid('1.3.6.1.5.5.7.3.1'))), // extKeyUsage: serverAuth
        extension('2.5.29.17', false, sequence(...names)), // subjectAltName: DNS names, IP 127.0.0.1
        extension('2.5.29.14', false, octetString(keyIdentifier(key.publicKey))), // subjectKeyIdentifier
        extension('2.5.29.35', false, sequence(tlv(0x80, caKeyId))), // authorityKeyIdentifier: [0] keyIdentifier
      ],
    });
    return {
      certPem: pem('CERTIFICATE', der),
      keyPem: key.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    };
  };
  const main = leaf(server, {});
  return {
    caPem: pem('CERTIFICATE', caCert),
    certPem: main.certPem,
    keyPem: main.keyPem,
    issue: (spec = {}) =>
      leaf(
        spec.key ??
          (spec.rsa
            ? generateKeyPairSync('rsa', { modulusLength: 2048 })
            : generateKeyPairSync('ec', { namedCurve: 'P-256' })),
        spec,
      ),
  };
}

interface CertificateSpec {
  issuer: Der;
  subject: Der;
  publicKey: KeyObject;
  signingKey: KeyObject;
  notBefore: Date;
  notAfter: Date;
  extensions: Der[];
}

function certificate(spec: CertificateSpec): Der {
  const serial = randomBytes(16);
  serial[0]! &= 0x7f;
  const tbs = sequence(
    explicit(0, integer(2)), // v3
    integer(serial),
    ECDSA_WITH_SHA256,
    spec.issuer,
    sequence(utcTime(spec.notBefore), utcTime(spec.notAfter)),
    spec.subject,
    spec.publicKey.export({ type: 'spki', format: 'der' }),
    explicit(3, sequence(...spec.extensions)),
  );
  const signature = sign('sha256', tbs, { key: spec.signingKey, dsaEncoding: 'der' });
  return sequence(tbs, ECDSA_WITH_SHA256, bitString(signature));
}

/** RFC 7093 method 1: the leftmost 160 bits of the SHA-256 of the subjectPublicKey bits. */
function keyIdentifier(publicKey: KeyObject): Der {
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  // An RSA or DSA key: the SHA-256 of the whole SubjectPublicKeyInfo (any stable identifier will do).
  if (publicKey.asymmetricKeyType !== 'ec') return createHash('sha256').update(spki).digest().subarray(0, 20);
  // An uncompressed P-256 point is the last 65 bytes of its SubjectPublicKeyInfo.
  return createHash('sha256')
    .update(spki.subarray(spki.length - 65))
    .digest()
    .subarray(0, 20);
}

const name = (commonName: string) => sequence(set(sequence(oid(COMMON_NAME), utf8String(commonName))));

function extension(id: string, critical: boolean, value: Der): Der {
  return sequence(oid(id), ...(critical ? [boolean(true)] : []), octetString(value));
}

function pem(label: string, der: Der): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** A certificate of the run as an inventory lists it (PCI DSS 4.0.1 4.2.1.1): never its key. */
export interface CertificateFacts {
  role: string;
  subject: string;
  issuer: string;
  notBefore: string;
  notAfter: string;
  /** 'ec P-256', 'rsa 2048'. */
  key: string;
  sha256: string;
}

export function certificateFacts(role: string, pem: string): CertificateFacts {
  const cert = new X509Certificate(pem);
  const details = cert.publicKey.asymmetricKeyDetails ?? {};
  const size = details.namedCurve ?? (details.modulusLength ? String(details.modulusLength) : '');
  return {
    role,
    subject: cert.subject.replace(/\n/g, ', '),
    issuer: cert.issuer.replace(/\n/g, ', '),
    notBefore: new Date(cert.validFrom).toISOString(),
    notAfter: new Date(cert.validTo).toISOString(),
    key: [cert.publicKey.asymmetricKeyType, size].filter(Boolean).join(' '),
    sha256: cert.fingerprint256.replace(/:/g, '').toLowerCase(),
  };
}
