import table from './cmvp.json' with { type: 'json' };

/**
 * The CMVP certificates of OpenSSL FIPS provider versions, as data (cmvp.json, each line with
 * its sources). Pure lookups: the judgement reads them, the inputs take the default from them.
 */

export interface CmvpCertificate {
  certificate: string;
  standard: 'FIPS 140-3' | 'FIPS 140-2';
  status: string;
  sources: readonly string[];
}

/** The certificate that the provider version holds; undefined: not a validated version. */
export function certificateOf(version: string): CmvpCertificate | undefined {
  const row = table.certificates.find((c) => c.versions.includes(version));
  return row && { ...row, standard: row.standard as CmvpCertificate['standard'] };
}

/** What the table says of a version in process (submitted, no certificate yet); undefined: nothing. */
export function inProcessNote(version: string): string | undefined {
  return table.inProcess.find((c) => c.versions.includes(version))?.note;
}

/** fips-provider-version's default: the newest version whose certificate is FIPS 140-3 and active. */
export function newestValidatedProvider(): string {
  const row = table.certificates.find((c) => c.standard === 'FIPS 140-3' && c.status === 'active');
  if (!row) throw new Error('cmvp.json lists no active FIPS 140-3 certificate');
  return row.versions[row.versions.length - 1]!;
}
