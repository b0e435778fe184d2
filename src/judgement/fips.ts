import { certificateOf, inProcessNote } from '../policies/cmvp.js';
import type { FipsObservation, ProviderObservation } from '../policies/rules.js';

/**
 * The fips-140-3 policy's module rules, judged on what was observed of the runtime (pure): the
 * probed interpreter's own process, the providers its configuration loads, this machine's
 * fipsinstall, and the CMVP table (policies/cmvp.json). Each gives a status and one clause.
 */

export type FipsStatus = 'pass' | 'violated' | 'untestable';

export interface FipsFinding {
  status: FipsStatus;
  finding: string;
}

/** The provider in words: its name, version and build, as the runtime's openssl lists them. */
export function describeProvider(p: ProviderObservation): string {
  return `'${p.name ?? p.id}' ${p.version ?? '(no version)'} (build ${p.buildInfo ?? 'unknown'}, ${p.status ?? 'status unknown'})`;
}

/** Whether the runtime is in FIPS mode through an active FIPS provider, its self-tests run. */
export function judgeFipsActive(fips: FipsObservation | undefined): FipsFinding {
  if (!fips)
    return { status: 'untestable', finding: 'the probe saw no Python runtime to report its OpenSSL providers' };
  const p = fips.process;
  if (!p) return { status: 'violated', finding: 'the interpreter has no _hashlib: no FIPS mode' };
  const wrong: string[] = [];
  if (p.defaultPropertiesFips !== true)
    wrong.push(`its default properties are not fips=yes (get_fips_mode() ${p.defaultPropertiesFips})`);
  if (!p.md5.startsWith('raises')) wrong.push('hashlib.md5() works');
  if (p.builtinHashes.length > 0) wrong.push(`its built-in hashes ${p.builtinHashes.join(', ')} import`);
  if (wrong.length > 0)
    return { status: 'violated', finding: `the interpreter is not in FIPS mode: ${wrong.join('; ')}` };
  if (!fips.providers) {
    return {
      status: 'untestable',
      finding:
        'the interpreter is in FIPS mode, but its provider was not listed (the action did not obtain this runtime)',
    };
  }
  const provider = fips.providers.find((x) => x.id === 'fips');
  if (!provider) return { status: 'violated', finding: "the runtime's configuration loads no FIPS provider" };
  if (provider.status !== 'active')
    return { status: 'violated', finding: `the FIPS provider ${describeProvider(provider)} is not active` };
  const install = fips.install
    ? `at fipsinstall on this runner (${fips.install.installedAt}: ${fips.install.said})`
    : 'fipsinstall did not run on this runner';
  if (!fips.install) return { status: 'violated', finding: `the FIPS provider is active but ${install}` };
  return {
    status: 'pass',
    finding:
      `the FIPS provider ${describeProvider(provider)} serves every fetch (default properties fips=yes); ` +
      `its self-tests ran ${install} and at every load (active); hashlib.md5() raises (${p.md5.replace(/^raises /, '')})`,
  };
}

/** Whether the provider's version holds an active FIPS 140-3 certificate, by the table. */
export function judgeFipsValidated(fips: FipsObservation | undefined): FipsFinding {
  const provider = fips?.providers?.find((x) => x.id === 'fips');
  if (!provider?.version) return { status: 'untestable', finding: 'no FIPS provider version was observed' };
  const cert = certificateOf(provider.version);
  if (!cert) {
    const note = inProcessNote(provider.version);
    return {
      status: 'violated',
      finding: `the FIPS provider ${provider.version} is not a validated version${note ? ` (${note})` : ''}`,
    };
  }
  const held = `CMVP certificate #${cert.certificate} (${cert.standard}, ${cert.status}; ${cert.sources[0]})`;
  if (cert.standard !== 'FIPS 140-3' || cert.status !== 'active')
    return {
      status: 'violated',
      finding: `the FIPS provider ${provider.version} holds ${held}, not an active FIPS 140-3 one`,
    };
  return { status: 'pass', finding: `the FIPS provider ${provider.version} holds ${held}` };
}
