/**
 * The source releases the action knows: their SHA-256 (of the upstream tarballs; Debian's
 * .orig tarballs of the same versions are byte-identical) and, where the default URL
 * template does not fit, their URL. A version not listed needs its checksum as an input.
 */
export interface KnownRelease {
  sha256: string;
  /** When the release does not live at the default template's location. */
  url?: string;
}

export const OPENSSL_URL_TEMPLATE = 'https://github.com/openssl/openssl/releases/download/openssl-{version}/openssl-{version}.tar.gz';
export const PYTHON_URL_TEMPLATE = 'https://www.python.org/ftp/python/{version}/Python-{version}.tar.xz';

export const OPENSSL_RELEASES: Record<string, KnownRelease> = {
  '3.5.7': { sha256: 'a8c0d28a529ca480f9f36cf5792e2cd21984552a3c8e4aa11a24aa31aeac98e8' },
  '3.0.22': { sha256: '67ebca7e50d17383028045486653492195b83db95f8558709701bb47b5c1ef81' },
  '1.1.1w': {
    sha256: 'cf3098950cb4d853ad95c0841f1f9c6d3dc102dccfcacd521d93925208b76ac8',
    url: 'https://github.com/openssl/openssl/releases/download/OpenSSL_1_1_1w/openssl-1.1.1w.tar.gz',
  },
};

export const PYTHON_RELEASES: Record<string, KnownRelease> = {
  '3.13.5': { sha256: '93e583f243454e6e9e4588ca2c2662206ad961659863277afcdb96801647d640' },
  // Debian's .orig of 3.11.2 is upstream's .tgz, so that is the file this checksum is of.
  '3.11.2': { sha256: '2411c74bda5bbcfcddaf4531f66d1adc73f247f529aee981b029513aefdbf849', url: 'https://www.python.org/ftp/python/3.11.2/Python-3.11.2.tgz' },
  '3.9.2': { sha256: '3c2034c54f811448f516668dce09d24008a0716c3a794dd8639b5388cbde247d' },
};

/** The newest releases in the tables: CPython 3.13.5 on OpenSSL 3.5 (an LTS line). */
export const DEFAULT_PYTHON_VERSION = '3.13.5';
export const DEFAULT_OPENSSL_VERSION = '3.5.7';
