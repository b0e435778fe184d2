import type { Policy, PolicyId } from './rules.js';

/**
 * The policies, as data. Every citation names a passage that was read (RFC 9325's text; NIST SP
 * 800-52r2's client requirements as quoted by TLS-Scanner's NIST client guideline and
 * crypto-assess, without section numbers, which were not checked; Mozilla's guidelines 5.7 JSON;
 * PCI DSS v4.0 requirement 4.2.1's text). A rule about what a client *offers* is a SHOULD unless
 * its source speaks of offering or sending: the MUSTs about negotiation are proven by the
 * servers, which show what the client actually completes.
 */

const RFC9325 = 'RFC 9325';
const NIST = 'NIST SP 800-52r2, TLS client guidelines';
const MOZILLA = 'Mozilla Server Side TLS guidelines v5.7';
const PCI = 'PCI DSS v4.0 Req. 4.2.1';

const floor: Policy = {
  id: 'floor',
  title: 'the version floor (min-tls-version)',
  source: 'this action: min-tls-version',
  rules: [
    {
      id: 'floor.connect-modern',
      level: 'MUST',
      citation: 'tls-floor min-tls-version',
      requirement: 'connect to the modern server at or above the floor',
      check: { mustConnect: ['modern'] },
    },
    {
      id: 'floor.refuse-below-floor',
      level: 'MUST',
      citation: 'tls-floor min-tls-version',
      requirement: 'refuse every version below the floor',
      check: { mustRefuse: ['below-floor'] },
    },
  ],
};

const rfc9325: Policy = {
  id: 'rfc9325',
  title: 'RFC 9325 (BCP 195): Recommendations for Secure Use of TLS and DTLS',
  source: 'https://www.rfc-editor.org/rfc/rfc9325',
  rules: [
    {
      id: 'rfc9325.no-tls10-tls11',
      level: 'MUST',
      citation: `${RFC9325} §3.1.1`,
      requirement: 'not negotiate TLS 1.0 or TLS 1.1',
      check: { mustRefuse: ['TLSv1', 'TLSv1.1'] },
    },
    {
      id: 'rfc9325.tls12',
      level: 'MUST',
      citation: `${RFC9325} §3.1.1`,
      requirement: 'support TLS 1.2',
      check: { mustConnect: ['TLSv1.2'] },
    },
    {
      id: 'rfc9325.tls13',
      level: 'SHOULD',
      citation: `${RFC9325} §3.1.1`,
      requirement: 'support TLS 1.3',
      check: { mustConnect: ['TLSv1.3'] },
    },
    {
      id: 'rfc9325.offer-no-tls10-tls11',
      level: 'SHOULD',
      citation: `${RFC9325} §3.1.1`,
      requirement: 'not offer TLS 1.0 or TLS 1.1',
      check: { notOffered: { versionsBelow: 'TLSv1.2' } },
      note: 'The section forbids negotiating them (rule rfc9325.no-tls10-tls11); offering them is what makes that possible.',
    },
    {
      id: 'rfc9325.no-fallback',
      level: 'MUST',
      citation: `${RFC9325} §3.1.3`,
      requirement: 'not fall back to earlier TLS versions (no TLS_FALLBACK_SCSV retry)',
      check: { notOffered: 'fallbackScsv' },
    },
    {
      id: 'rfc9325.no-compression',
      level: 'SHOULD',
      citation: `${RFC9325} §3.3`,
      requirement: 'not support TLS-level compression',
      check: { notOffered: 'compression' },
    },
    {
      id: 'rfc9325.renegotiation-info',
      level: 'MUST',
      citation: `${RFC9325} §3.5`,
      requirement: 'send renegotiation_info in the ClientHello',
      check: { mustOffer: 'renegotiationInfo' },
      note:
        'TLS_EMPTY_RENEGOTIATION_INFO_SCSV counts: RFC 5746 lets an initial ClientHello signal it either way ' +
        '(OpenSSL 3.0 uses the SCSV).',
    },
    {
      id: 'rfc9325.extended-master-secret',
      level: 'MUST',
      citation: `${RFC9325} §3.5`,
      requirement: 'support the extended_master_secret extension',
      check: { mustOffer: 'extendedMasterSecret' },
    },
    {
      id: 'rfc9325.sni',
      level: 'MUST',
      citation: `${RFC9325} §3.7`,
      requirement: 'support Server Name Indication for HTTPS',
      check: { mustOffer: 'serverName' },
    },
    {
      id: 'rfc9325.wrong-host',
      level: 'SHOULD',
      citation: `${RFC9325} §3.7`,
      requirement: 'abort the handshake when the certificate names another host',
      check: { mustRefuse: ['cert-wrong-host'] },
    },
    {
      id: 'rfc9325.no-null',
      level: 'MUST',
      citation: `${RFC9325} §4.1`,
      requirement: 'not negotiate cipher suites with NULL encryption',
      check: { mustRefuse: ['null-only'] },
    },
    {
      id: 'rfc9325.offer-no-null',
      level: 'SHOULD',
      citation: `${RFC9325} §4.1`,
      requirement: 'not offer cipher suites with NULL encryption',
      check: { notOffered: 'null' },
    },
    {
      id: 'rfc9325.no-static-rsa',
      level: 'SHOULD',
      citation: `${RFC9325} §4.1`,
      requirement: 'not negotiate static RSA key transport (TLS_RSA_WITH_*)',
      check: { mustRefuse: ['static-rsa-only'] },
    },
    {
      id: 'rfc9325.offer-no-static-rsa',
      level: 'SHOULD',
      citation: `${RFC9325} §4.2.1`,
      requirement: 'not support cipher suites without forward secrecy (TLS_RSA_WITH_*)',
      check: { notOffered: 'staticRsa' },
    },
    {
      id: 'rfc9325.cbc-with-etm',
      level: 'SHOULD',
      citation: `${RFC9325} §4.2`,
      requirement: 'use CBC suites only with encrypt_then_mac',
      check: { mustOffer: 'encryptThenMacWhenCbc' },
    },
    {
      id: 'rfc9325.no-sha1-signatures',
      level: 'MUST',
      citation: `${RFC9325} §4.5`,
      requirement: 'not use SHA-1 or MD5 signatures',
      check: { mustRefuse: ['sha1-signed'] },
    },
    {
      id: 'rfc9325.offer-no-sha1-signatures',
      level: 'SHOULD',
      citation: `${RFC9325} §4.5`,
      requirement: 'not offer SHA-1 or MD5 signature algorithms',
      check: { notOffered: 'sha1Signatures' },
    },
    {
      id: 'rfc9325.sha256-signatures',
      level: 'MUST',
      citation: `${RFC9325} §4.5`,
      requirement: 'request SHA-256 in the signature_algorithms extension',
      check: { mustOffer: 'sha256Signatures' },
    },
  ],
};

const nist: Policy = {
  id: 'nist-800-52r2',
  title: 'NIST SP 800-52 Rev. 2, requirements for TLS clients',
  source: 'https://doi.org/10.6028/NIST.SP.800-52r2',
  rules: [
    {
      id: 'nist-800-52r2.tls12',
      level: 'MUST',
      citation: `${NIST}: protocol version support`,
      requirement: 'be configured to use TLS 1.2',
      check: { mustConnect: ['TLSv1.2'] },
    },
    {
      id: 'nist-800-52r2.tls13',
      level: 'MUST',
      citation: `${NIST}: protocol version support`,
      requirement: 'be configured to use TLS 1.3 (required since January 1, 2024)',
      check: { mustConnect: ['TLSv1.3'] },
      note:
        'The guideline lets clients use TLS 1.0 and 1.1 with private-sector servers, ' +
        'so this policy has no rule against them.',
    },
    {
      id: 'nist-800-52r2.renegotiation-info',
      level: 'MUST',
      citation: `${NIST}: TLS extension support`,
      requirement: 'be configured to use the renegotiation indication extension',
      check: { mustOffer: 'renegotiationInfo' },
      note: 'TLS_EMPTY_RENEGOTIATION_INFO_SCSV counts (RFC 5746).',
    },
    {
      id: 'nist-800-52r2.sni',
      level: 'MUST',
      citation: `${NIST}: TLS extension support`,
      requirement: 'be configured to use the server name indication extension',
      check: { mustOffer: 'serverName' },
    },
    {
      id: 'nist-800-52r2.extended-master-secret',
      level: 'MUST',
      citation: `${NIST}: TLS extension support`,
      requirement: 'be configured to use the extended master secret extension',
      check: { mustOffer: 'extendedMasterSecret' },
    },
    {
      id: 'nist-800-52r2.signature-algorithms',
      level: 'MUST',
      citation: `${NIST}: TLS extension support`,
      requirement: 'be configured to use the signature algorithms extension',
      check: { mustOffer: 'signatureAlgorithms' },
    },
    {
      id: 'nist-800-52r2.cbc-with-etm',
      level: 'MUST',
      citation: `${NIST}: TLS extension support`,
      requirement: 'support encrypt-then-MAC when CBC suites are configured',
      check: { mustOffer: 'encryptThenMacWhenCbc' },
    },
    {
      id: 'nist-800-52r2.no-compression',
      level: 'MUST',
      citation: `${NIST}: compression methods`,
      requirement: 'enable only the null compression method',
      check: { notOffered: 'compression' },
    },
    {
      id: 'nist-800-52r2.no-null',
      level: 'MUST',
      citation: `${NIST}: cipher suites`,
      requirement: 'use only the listed cipher suites, none of which is NULL',
      check: { mustRefuse: ['null-only'] },
    },
  ],
};

const MOZILLA_NOTE =
  'Mozilla configures servers; a client that completes a handshake outside the profile goes beyond it.';

const mozillaIntermediate: Policy = {
  id: 'mozilla-intermediate',
  title: 'Mozilla Server Side TLS v5.7, "intermediate" configuration',
  source: 'https://ssl-config.mozilla.org/guidelines/5.7.json',
  rules: [
    {
      id: 'mozilla-intermediate.connect',
      level: 'MUST',
      citation: `${MOZILLA}, intermediate`,
      requirement: 'connect to a server configured as intermediate (TLS 1.2+1.3, its suites and curves)',
      check: { mustConnect: ['mozilla-intermediate'] },
    },
    {
      id: 'mozilla-intermediate.refuse-old-versions',
      level: 'SHOULD',
      citation: `${MOZILLA}, intermediate: tls_versions`,
      requirement: 'refuse TLS 1.0 and 1.1, which the profile does not list',
      check: { mustRefuse: ['TLSv1', 'TLSv1.1'] },
      note: MOZILLA_NOTE,
    },
    {
      id: 'mozilla-intermediate.refuse-weak-suites',
      level: 'SHOULD',
      citation: `${MOZILLA}, intermediate: ciphers`,
      requirement: 'refuse CBC-SHA1, static RSA and NULL suites, which the profile does not list',
      check: { mustRefuse: ['cbc-sha1-only', 'static-rsa-only', 'null-only'] },
      note: MOZILLA_NOTE,
    },
  ],
};

const mozillaModern: Policy = {
  id: 'mozilla-modern',
  title: 'Mozilla Server Side TLS v5.7, "modern" configuration',
  // No rule against TLS 1.2 servers: RFC 9325 §3.1.1 and NIST SP 800-52r2 require clients to
  // support TLS 1.2, and a TLS 1.3-only server does not need its clients to refuse other servers.
  // A TLS 1.3 floor is min-tls-version: 1.3.
  source: 'https://ssl-config.mozilla.org/guidelines/5.7.json',
  rules: [
    {
      id: 'mozilla-modern.connect',
      level: 'MUST',
      citation: `${MOZILLA}, modern`,
      requirement: 'connect to a server configured as modern (TLS 1.3 only, its suites and curves)',
      check: { mustConnect: ['TLSv1.3'] },
    },
  ],
};

const PQ = 'draft-ietf-tls-ecdhe-mlkem (X25519MLKEM768 0x11EC, SecP256r1MLKEM768 0x11EB, SecP384r1MLKEM1024 0x11ED)';

const pqHybrid: Policy = {
  id: 'pq-hybrid',
  title: 'hybrid post-quantum key exchange (ML-KEM hybrid groups in TLS 1.3)',
  source: 'https://datatracker.ietf.org/doc/draft-ietf-tls-ecdhe-mlkem/',
  rules: [
    {
      id: 'pq-hybrid.offer-group',
      level: 'MUST',
      citation: PQ,
      requirement: 'offer a hybrid ML-KEM group in supported_groups',
      check: { mustOffer: 'hybridPqGroup' },
    },
    {
      id: 'pq-hybrid.key-share',
      level: 'SHOULD',
      citation: PQ,
      requirement: 'send a key share for a hybrid ML-KEM group (no extra round trip)',
      check: { mustOffer: 'hybridPqKeyShare' },
    },
    {
      id: 'pq-hybrid.negotiate',
      level: 'MUST',
      citation: PQ,
      requirement: 'complete a handshake with a server that accepts only the hybrid groups',
      check: { mustConnect: ['pq-hybrid-only'] },
    },
  ],
};

const pci: Policy = {
  id: 'pci-dss-4',
  title: 'PCI DSS v4.0 requirement 4.2.1 (strong cryptography for PAN in transit)',
  source: 'https://www.pcisecuritystandards.org/document_library/',
  rules: [
    {
      id: 'pci-dss-4.trusted-issuer',
      level: 'MUST',
      citation: PCI,
      requirement: 'accept only trusted keys and certificates',
      check: { mustRefuse: ['cert-unknown-issuer'] },
    },
    {
      id: 'pci-dss-4.not-expired',
      level: 'MUST',
      citation: PCI,
      requirement: 'confirm certificates are valid and not expired',
      check: { mustRefuse: ['cert-expired'] },
    },
    {
      id: 'pci-dss-4.right-host',
      level: 'MUST',
      citation: PCI,
      requirement: 'accept only certificates trusted for the host connected to',
      check: { mustRefuse: ['cert-wrong-host'] },
      note: 'A certificate for another host is not a trusted certificate for this one.',
    },
    {
      id: 'pci-dss-4.no-fallback',
      level: 'MUST',
      citation: PCI,
      requirement: 'not support fallback to insecure versions (no TLS_FALLBACK_SCSV retry)',
      check: { notOffered: 'fallbackScsv' },
    },
    {
      id: 'pci-dss-4.no-insecure-versions',
      level: 'MUST',
      citation: PCI,
      requirement: 'support only secure versions: refuse TLS 1.0 and 1.1',
      check: { mustRefuse: ['TLSv1', 'TLSv1.1'] },
      note: 'The requirement names no version; TLS 1.0 and 1.1 are taken as insecure (RFC 8996 deprecates them).',
    },
  ],
};

const FIPS = 'FIPS 140-3 (a CMVP-validated module in its approved mode)';

const fips1403: Policy = {
  id: 'fips-140-3',
  title: 'FIPS 140-3: TLS through a validated cryptographic module, in FIPS mode',
  source: 'https://csrc.nist.gov/projects/cryptographic-module-validation-program',
  rules: [
    {
      id: 'fips-140-3.fips-mode',
      level: 'MUST',
      citation: `${FIPS}, OpenSSL README-FIPS`,
      requirement:
        'use the FIPS provider, active after its self-tests, for every fetch (fips=yes), with no non-FIPS hash reachable for security use',
      check: { fipsModule: 'active' },
      note: "Observed in the probed interpreter (default properties, hashlib.md5() raising, no built-in hash module) and in the runtime's OpenSSL configuration (the provider listing, this machine's fipsinstall).",
    },
    {
      id: 'fips-140-3.connect-modern',
      level: 'MUST',
      citation: FIPS,
      requirement: 'connect to the modern server with approved algorithms only',
      check: { mustConnect: ['modern'] },
    },
    {
      id: 'fips-140-3.refuse-non-approved',
      level: 'MUST',
      citation: FIPS,
      requirement: 'refuse a server that offers only non-approved algorithms (ChaCha20-Poly1305)',
      check: { mustRefuse: ['chacha20-only'] },
    },
    {
      id: 'fips-140-3.validated-version',
      level: 'SHOULD',
      citation: `${FIPS}, src/policies/cmvp.json`,
      requirement: 'use a FIPS provider version that holds an active FIPS 140-3 CMVP certificate',
      check: { fipsModule: 'validated' },
      note: 'A provider built from another release is FIPS mode, not a validated module: the job warns.',
    },
  ],
};

export const POLICIES: Readonly<Record<PolicyId, Policy>> = {
  floor,
  rfc9325,
  'nist-800-52r2': nist,
  'mozilla-intermediate': mozillaIntermediate,
  'mozilla-modern': mozillaModern,
  'pq-hybrid': pqHybrid,
  'pci-dss-4': pci,
  'fips-140-3': fips1403,
};
