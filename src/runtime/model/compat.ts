/**
 * Parses '3.11.2', '1.1.1w', '3.15.0b4' or '3.6.0-alpha1' into comparable numbers: the letter
 * counts after the patch, and a prerelease comes before its release (a/alpha < b/beta < rc < final).
 */
export function versionKey(version: string): number[] {
  const m = /^(\d+)\.(\d+)\.(\d+)([a-z]?)(?:-?(a|b|rc|alpha|beta)(\d+))?$/.exec(version);
  if (!m) return [];
  const stage = m[5] ? { a: 1, alpha: 1, b: 2, beta: 2, rc: 3 }[m[5]]! : 4;
  return [Number(m[1]), Number(m[2]), Number(m[3]), m[4] ? m[4].charCodeAt(0) - 96 : 0, stage, Number(m[6] ?? 0)];
}

export function atLeast(version: string, minimum: string): boolean {
  const a = versionKey(version);
  const b = versionKey(minimum);
  for (let i = 0; i < 6; i++) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  }
  return true;
}

/**
 * The first CPython whose _ssl builds against OpenSSL 4: python/cpython gh-146217 (OpenSSL 4.0.0
 * alpha1: no SSLv3_method, TLSv1_method, TLSv1_1_method, TLSv1_2_method) and the 4.0.0 final
 * fixes (gh-148600) landed on main before 3.15's feature freeze; pyenv's 3.15.0b4 definition pins
 * OpenSSL 4.0.1. Not backported: the 3.14 backport (gh-149783) was closed unmerged, to wait for
 * 3.15.1. 3.13.15 against OpenSSL 4.0.2 compiles, but its _ssl fails to import: undefined symbol SSLv3_method.
 */
const OPENSSL4_PYTHON = '3.15.0b1';

/**
 * Combinations that cannot work, refused before anything is downloaded. Small on purpose:
 * each rule names its source.
 */
export function incompatibility(python: string, openssl: string): string | undefined {
  if (!atLeast(python, '3.7.0')) {
    return `CPython ${python} cannot be built against a chosen OpenSSL: the configure option --with-openssl arrived in CPython 3.7 (What's New in Python 3.7, Build Changes).`;
  }
  if (atLeast(python, '3.10.0') && !atLeast(openssl, '1.1.1')) {
    return `CPython ${python} needs OpenSSL 1.1.1 or newer (PEP 644), not ${openssl}.`;
  }
  if (!atLeast(openssl, '1.1.1')) {
    return `OpenSSL ${openssl} is out of support and has no TLS 1.3; use 1.1.1 or newer (OpenSSL release strategy).`;
  }
  if (atLeast(openssl, '4.0.0-alpha1') && !atLeast(python, OPENSSL4_PYTHON)) {
    return `CPython ${python} cannot use OpenSSL ${openssl}: OpenSSL 4 dropped SSLv3_method and the other per-version methods that CPython's _ssl links before 3.15, so _ssl would not import (python/cpython gh-148600; not backported to 3.14, gh-149783). Choose openssl-version 3.5 or 3.6, or python-version 3.15.`;
  }
  return undefined;
}

/** The first CPython line with a free-threaded build (--disable-gil: PEP 703, What's New in Python 3.13). */
export const FREE_THREADED_SINCE = '3.13.0';

/** Why a free-threaded build of this CPython cannot be made, or undefined. */
export function freeThreadedProblem(python: string): string | undefined {
  if (atLeast(python, FREE_THREADED_SINCE)) return undefined;
  return `CPython ${python} has no free-threaded build: --disable-gil arrived in CPython 3.13 (PEP 703)`;
}
