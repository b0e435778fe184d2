import type { Outcome } from '../handshake.js';

export interface Classified {
  outcome: Outcome;
  reason?: string;
}

// The one list every client is judged by, in every language the clients are written in: the
// scripts report the error's code and text as they are ('tls') and the action judges here.
// OpenSSL's reason texts (the part after "SSL routines:func:"), Node.js's error codes
// (ERR_SSL_NO_SHARED_CIPHER, CERT_HAS_EXPIRED, ECONNRESET) and curl's and s_client's output,
// compared in lower case with '_' as a blank, grouped by what they mean.
// Only a policy decision of the TLS stack is a refusal: version, cipher, signature algorithm.
const CERTIFICATE = new RegExp(
  [
    'certificate verify failed',
    'unknown ca',
    'bad certificate',
    'certificate unknown',
    'certificate expired',
    'unsupported certificate',
    'no certificate returned',
    'self.signed',
    // s2n-tls (awscrt), from its log: "Certificate is untrusted".
    'untrusted',
    'local issuer',
    'hostname mismatch',
    'no alternative certificate subject',
    // X.509 verification codes as Node.js names them (CERT_HAS_EXPIRED, UNABLE_TO_GET_ISSUER_CERT, ...).
    '\\bcert\\b',
    '\\bcrl\\b',
    'unable to verify leaf',
    'altname',
    'invalid ca\\b',
    'invalid purpose',
    'path length exceeded',
    // Go's crypto/x509 ('x509: certificate signed by unknown authority'), Java's PKIX validation.
    '\\bx509:',
    'unknown authority',
    'pkix path',
  ].join('|'),
);
const REFUSAL = new RegExp(
  [
    'protocol version',
    'unsupported protocol',
    'no protocols available',
    'wrong version number',
    'version too low',
    'no shared cipher',
    'no ciphers available',
    'no cipher match',
    'no suitable signature',
    'sigalg',
    'signature algorithm',
    'insufficient security',
    'inappropriate fallback',
    'handshake failure',
    'dh key too small',
    'ee key too small',
    'ca md too weak',
  ].join('|'),
);
const NETWORK = new RegExp(
  [
    'unexpected eof',
    'connection reset',
    'ssl error syscall',
    'broken pipe',
    'connection refused',
    'econnreset',
    'econnrefused',
    'epipe',
    'ehostunreach',
    'enetunreach',
  ].join('|'),
);

/**
 * Classifies a TLS error: an OpenSSL text (curl's and s_client's stderr, Python's reason), a
 * Node.js error code such as ERR_SSL_NO_SHARED_CIPHER. Anything not recognised is 'error': no evidence.
 */
export function classifyTlsText(text: string): Classified {
  const lower = text.toLowerCase().replace(/_/g, ' ');
  const reason = opensslReason(text);
  const named = reason ? { reason } : {};
  if (CERTIFICATE.test(lower)) return { outcome: 'certificate', ...named };
  if (REFUSAL.test(lower)) return { outcome: 'refused', ...named };
  if (NETWORK.test(lower)) return { outcome: 'network', ...named };
  return { outcome: 'error', ...named };
}

/** "...:error:0A00014D:SSL routines:func:legacy sigalg disallowed:file:line" → LEGACY_SIGALG_DISALLOWED. */
export function opensslReason(text: string): string | undefined {
  const m = /error:[0-9A-Fa-f]+:[^:]*:[^:]*:([^:\n]+)/.exec(text);
  return m?.[1]
    ?.trim()
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_');
}

/** OpenSSL, GnuTLS and curl spellings ('TLSv1.0', 'TLS1.2') to the probe's ('TLSv1', 'TLSv1.2'). */
export function normalizeVersion(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  const m = /^TLS\s?v?1(?:\.([0-3]))?$/i.exec(raw.trim());
  if (!m) return raw.trim();
  return !m[1] || m[1] === '0' ? 'TLSv1' : `TLSv1.${m[1]}`;
}

/** The last lines of a program's output, for the report. */
export function tail(text: string, lines = 3): string {
  return text.trim().split('\n').slice(-lines).join(' | ').slice(0, 500);
}
