/**
 * Where a release outside the table (releases.json) is fetched from when no source URL is
 * given: upstream's own locations. Releases in the table carry their own URLs.
 */
export const OPENSSL_URL_TEMPLATE =
  'https://github.com/openssl/openssl/releases/download/openssl-{version}/openssl-{version}.tar.gz';
export const PYTHON_URL_TEMPLATE = 'https://www.python.org/ftp/python/{version}/Python-{version}.tar.xz';
