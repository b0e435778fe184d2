/**
 * Every cipher the TLS library has, at security level 0: SHA-1 signatures, which TLS 1.0 and
 * 1.1 need, are allowed only there. The legacy servers offer it (without it an OpenSSL 3
 * server refuses every client and the probe could never fail), and each kind of client's
 * `strict` client asks for it: what the runtime can be talked into. The verification writes
 * the library's own ClientHello with it too (runtime/verify.ts), so only versions decide.
 */
export const PERMISSIVE_CIPHERS = 'ALL:@SECLEVEL=0';
