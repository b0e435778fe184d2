/**
 * The kinds of server the probe runs, which a policy's rule can name. Each serves one thing and
 * is proven reachable by a control handshake before any client is judged against it.
 * - 'TLSv1', 'TLSv1.1', 'TLSv1.2': pinned to exactly that version (at @SECLEVEL=0).
 * - 'TLSv1.3': TLS 1.3 only (Mozilla "modern": the three TLS 1.3 suites, X25519/P-256/P-384).
 * - 'modern': the library's defaults, TLS 1.2 and 1.3.
 * - 'mozilla-intermediate': TLS 1.2+1.3 with exactly Mozilla's intermediate suites and curves.
 * - 'cbc-sha1-only', 'static-rsa-only', 'null-only': TLS 1.2 with only those suites.
 * - 'sha1-signed': TLS 1.2 whose handshake signature uses SHA-1.
 * - 'cert-expired', 'cert-wrong-host', 'cert-unknown-issuer': a modern server whose certificate
 *   is expired, names another host, or comes from a CA the client was not given.
 * - 'pq-hybrid-only': TLS 1.3 accepting only the hybrid ML-KEM groups.
 * - 'chacha20-only': TLS 1.2 and 1.3 with only ChaCha20-Poly1305 suites (no FIPS-approved cipher).
 */
export const SERVER_KINDS = [
  'modern',
  'TLSv1',
  'TLSv1.1',
  'TLSv1.2',
  'TLSv1.3',
  'mozilla-intermediate',
  'cbc-sha1-only',
  'static-rsa-only',
  'null-only',
  'sha1-signed',
  'cert-expired',
  'cert-wrong-host',
  'cert-unknown-issuer',
  'pq-hybrid-only',
  'chacha20-only',
] as const;
export type ServerKind = (typeof SERVER_KINDS)[number];
