import { atLeast } from './compat.js';

/**
 * What fips: true cannot build, refused before any download (runtime/fips.ts builds the rest).
 * - The provider is OpenSSL 3's (the FIPS provider arrived in 3.0), and README-FIPS lets a
 *   validated provider be used with a library of a later 3.x release, not an earlier one.
 * - CPython 3.14 adds _hmac, which embeds HACL*'s hashes whatever --without-builtin-hashlib-hashes
 *   says: a non-FIPS hash this build could not leave out.
 */
export function fipsIncompatibility(python: string, openssl: string, provider: string): string | undefined {
  if (!/^3\./.test(provider) || !/^3\./.test(openssl))
    return `the FIPS provider is OpenSSL 3.x's, used with an OpenSSL 3.x library (README-FIPS), not provider ${provider} with OpenSSL ${openssl}.`;
  if (!atLeast(openssl, provider))
    return `the FIPS provider ${provider} needs an OpenSSL library of the same or a later 3.x release (README-FIPS); OpenSSL ${openssl} is older.`;
  if (atLeast(python, '3.14.0a0'))
    return `a FIPS runtime is CPython 3.13 or older: CPython ${python}'s _hmac embeds the built-in HACL* hashes, which bypass the FIPS provider.`;
  return undefined;
}
