import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { PERMISSIVE_CIPHERS } from '../shared/ciphers.js';
import { clip } from '../shared/errors.js';
import { type Floor, floorVersion, versionsBelow } from '../shared/floor.js';
import { floodLine, lastLine, runProcess } from '../shared/process.js';
import { type ProcessFips, type PythonFacts, pythonFactsScript } from '../shared/python_facts.js';
import { offeredVersions, parseClientHello } from '../shared/tls/client_hello.js';
import { FIPS_FILES, type FipsInstallRecord, listProviders, type ProviderFacts } from './fips.js';

export interface Expectation {
  /** The CPython version the plan names: the interpreter must say it is this one (a manifest may lie). */
  pythonVersion: string;
  opensslVersion: string;
  floor: Floor;
  /** The hardened OpenSSL's prefix: the only place a TLS library may be loaded from. */
  opensslPrefix?: string;
  /** fips: true: the FIPS provider release that must be loaded and active, in FIPS mode. */
  fips?: { providerVersion: string };
  /** Free-threaded asked for: the build must be one and run without the GIL; else it must not be one. */
  freethreaded?: boolean;
}

/** What verification saw: recorded in the report and the tool-cache sidecar. */
export interface Verification {
  pythonVersion: string;
  opensslVersion: string;
  /** ssl.HAS_*: reported as context only. CPython 3.15 on OpenSSL 4 says False for TLS 1.2 it speaks. */
  has: Record<string, boolean | null>;
  /** What the library offers in the ClientHello it writes itself (see libraryOffers). */
  libraryOffers: LibraryOffers;
  sslModule: string;
  /** libssl/libcrypto files `_ssl` links (ldd/otool) or loads (/proc/self/maps). */
  tlsLibraries: string[];
  defaultCaCount: number;
  verifyPaths: Record<string, string | null>;
  /** Standard-library extension modules that did not build (missing -dev headers). */
  missingModules: string[];
  /** Py_GIL_DISABLED: a free-threaded build. */
  freeThreaded: boolean;
  /** sys._is_gil_enabled(), with PYTHON_GIL removed from the environment. */
  gilEnabled: boolean;
  /** A FIPS runtime: FIPS mode as the interpreter sees it, its providers, this machine's fipsinstall. */
  fips?: FipsVerification;
}

export interface FipsVerification {
  process: ProcessFips | null;
  providers: ProviderFacts[];
  install: FipsInstallRecord | null;
}

/**
 * The versions the linked library puts in the ClientHello it writes: `all` for its whole range,
 * `alone` for each version asked for by itself (the versions offered, or why it wrote no hello).
 * Read from the bytes on the wire (shared/tls/client_hello.ts), not from any constant.
 */
export interface LibraryOffers {
  all: string[] | { none: string };
  alone: Record<string, string[] | { none: string }>;
}

const HELLO_RANGES = ['SSLv3', 'TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const;

function offered(entry: { hello?: string; error?: string } | undefined): string[] | { none: string } {
  if (!entry?.hello) return { none: clip(entry?.error ?? 'not reported', 160) };
  const parsed = parseClientHello(Buffer.from(entry.hello, 'hex'));
  if (!parsed.ok) return { none: `the bytes written are not a ClientHello (${parsed.error})` };
  return offeredVersions(parsed.hello).map((v) => v.name ?? `0x${v.code.toString(16)}`);
}

export function libraryOffers(helloes: PythonFacts['helloes'] | undefined): LibraryOffers {
  return {
    all: offered(helloes?.['all']),
    alone: Object.fromEntries(HELLO_RANGES.map((v) => [v, offered(helloes?.[v])])),
  };
}

/**
 * What the library's own helloes say against the floor: no version below it offered, in its
 * whole range or asked for alone (OpenSSL ends a range at a version it lacks, so alone tells
 * more); the floor's version offered, else the check could not tell anything.
 */
export function offersBelowFloor(offers: LibraryOffers, floor: Floor): string[] {
  const problems: string[] = [];
  const below = ['SSLv3', ...versionsBelow(floor)];
  const wanted = floorVersion(floor);
  const all = offers.all;
  if (Array.isArray(all)) {
    const low = all.filter((v) => below.includes(v));
    if (low.length > 0) problems.push(`the library's ClientHello offers ${low.join(', ')}`);
    if (!all.includes(wanted))
      problems.push(`the library's ClientHello does not offer ${wanted} (it offers ${all.join(', ')})`);
  } else problems.push(`the library wrote no ClientHello for its whole range: ${all.none}`);
  for (const v of below) {
    const alone = offers.alone[v];
    if (Array.isArray(alone) && alone.includes(v))
      problems.push(`asked for ${v} alone, the library wrote a ClientHello offering it`);
  }
  const control = offers.alone[wanted];
  if (!Array.isArray(control) || !control.includes(wanted))
    problems.push(
      `asked for ${wanted} alone, the library wrote no ClientHello offering it (${Array.isArray(control) ? control.join(', ') : control?.none}): the check tells nothing`,
    );
  return problems;
}

export class VerificationError extends Error {
  override name = 'VerificationError';
}

/**
 * Extension modules that CPython skips, silently, when the build machine lacks their headers;
 * each with the Debian/Ubuntu package that provides them. Not fatal: TLS does not need them,
 * but pip, sqlite users and ctypes-based packages do.
 */
export const OPTIONAL_MODULES: Record<string, string> = {
  zlib: 'zlib1g-dev',
  _ctypes: 'libffi-dev',
  _bz2: 'libbz2-dev',
  _lzma: 'liblzma-dev',
  _sqlite3: 'libsqlite3-dev',
  _uuid: 'uuid-dev',
  readline: 'libreadline-dev',
  _curses: 'libncurses-dev',
};

/** One warning line naming the modules that did not build and what to install; undefined when none. */
export function missingModulesWarning(missing: string[]): string | undefined {
  if (missing.length === 0) return undefined;
  const packages = missing.map((m) => OPTIONAL_MODULES[m]).filter(Boolean);
  return `CPython was built without ${missing.join(', ')}: the build machine lacks their headers. Install them before this step and rebuild (Debian/Ubuntu: apt-get install ${packages.join(' ')}).`;
}

/**
 * What a runtime says of itself, with no judgement: the facts verification needs, from the
 * script the probe also sends (python_facts.py), so both see the same facts. Run without
 * SSL_CERT_FILE/SSL_CERT_DIR: the trust store must come from the build itself, not from a
 * variable this runner happens to set.
 */
export async function inspectRuntime(python: string): Promise<Verification> {
  return (await inspectFacts(python)).seen;
}

async function inspectFacts(python: string): Promise<{ seen: Verification; fips: ProcessFips | null }> {
  // Nor OPENSSL_CONF/OPENSSL_MODULES: the runtime's own configuration, as installed, is verified.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !UNSET_FOR_VERIFICATION.includes(k)));
  const run = await runProcess(python, ['-E', '-s', '-c', `${pythonFactsScript()}\nfacts_main()\n`], {
    input: JSON.stringify({ optionalModules: Object.keys(OPTIONAL_MODULES), ciphers: PERMISSIVE_CIPHERS }),
    timeoutMs: 60_000,
    env,
  });
  if (run.flooded) throw new VerificationError(`${python} ${floodLine(run)}`);
  let seen: { fatal?: string; detail?: string; runtime?: PythonFacts };
  try {
    seen = JSON.parse(run.stdout);
  } catch {
    throw new VerificationError(
      `${python} could not run the verification (exit ${run.code}): ${lastLine(run.stderr) ?? ''}`,
    );
  }
  if (seen.fatal === 'no-ssl')
    throw new VerificationError(`${python}: import ssl failed: ${clip(String(seen.detail ?? ''), 200)}`);
  if (!seen.runtime) throw new VerificationError(`${python} could not run the verification: it reported no facts`);
  const facts = seen.runtime;
  const linked = (await Promise.all(facts.extensionFiles.map(linkedTlsLibraries))).flat();
  const verification: Verification = {
    pythonVersion: facts.version,
    opensslVersion: facts.opensslVersion,
    has: facts.has,
    libraryOffers: libraryOffers(facts.helloes),
    sslModule: facts.extensionFiles[0] ?? 'built-in',
    tlsLibraries: [...new Set([...linked, ...(facts.libssl ?? [])])],
    defaultCaCount: facts.defaultCaCount,
    verifyPaths: facts.verifyPaths,
    missingModules: facts.missingModules,
    freeThreaded: facts.freeThreaded === true,
    gilEnabled: facts.gilEnabled !== false,
  };
  return { seen: verification, fips: facts.fips ?? null };
}

const UNSET_FOR_VERIFICATION = ['SSL_CERT_FILE', 'SSL_CERT_DIR', 'PYTHON_GIL', 'OPENSSL_CONF', 'OPENSSL_MODULES'];

/**
 * Checks a freshly built (or restored) runtime before anyone may use it: it is the CPython
 * version the plan names, it speaks the OpenSSL it was built against and no other, that OpenSSL
 * offers no protocol below the floor in the ClientHellos it writes, and its default trust store
 * is not empty. Every failure is listed at once.
 */
export async function verifyRuntime(python: string, expected: Expectation): Promise<Verification> {
  const { seen, fips } = await inspectFacts(python);
  const problems: string[] = [];
  if (expected.fips) {
    seen.fips = await fipsVerification(fips, expected.opensslPrefix);
    problems.push(...fipsProblems(seen.fips, expected.fips.providerVersion));
  }
  // Read from the interpreter, never believed from a manifest or an index: a relabelled
  // runtime is refused before it is filed in the tool cache under the false version.
  if (seen.pythonVersion !== expected.pythonVersion) {
    problems.push(`the interpreter is CPython ${clip(String(seen.pythonVersion), 40)}, not ${expected.pythonVersion}`);
  }
  if (!seen.opensslVersion.startsWith(`OpenSSL ${expected.opensslVersion} `)) {
    problems.push(`ssl.OPENSSL_VERSION is '${seen.opensslVersion}', not OpenSSL ${expected.opensslVersion}`);
  }
  // What the library writes on the wire, never ssl.HAS_* alone: CPython 3.15 defines
  // OPENSSL_NO_TLS1_2 (HAS_TLSv1_2 False) for every OpenSSL 4, which speaks TLS 1.2.
  problems.push(...offersBelowFloor(seen.libraryOffers, expected.floor));
  const foreign = seen.tlsLibraries.filter(
    (lib) => !expected.opensslPrefix || !lib.startsWith(`${expected.opensslPrefix}/`),
  );
  if (foreign.length > 0) problems.push(`_ssl uses a TLS library other than the one built: ${foreign.join(', ')}`);
  problems.push(...threadingProblems(seen, Boolean(expected.freethreaded)));
  if (!(seen.defaultCaCount > 0)) {
    problems.push(
      `the default trust store is empty (cafile ${seen.verifyPaths['cafile'] ?? seen.verifyPaths['openssl_cafile']}): real HTTPS requests would fail`,
    );
  }
  if (problems.length > 0) {
    throw new VerificationError(`the runtime at ${python} failed verification: ${problems.join('; ')}.`);
  }
  return seen;
}

/** The FIPS facts of a runtime: the interpreter's own, its openssl's provider listing, this machine's fipsinstall. */
async function fipsVerification(
  process: ProcessFips | null,
  opensslPrefix: string | undefined,
): Promise<FipsVerification> {
  if (!opensslPrefix) return { process, providers: [], install: null };
  const providers = await listProviders(opensslPrefix).catch(() => []);
  const record = await readFile(path.join(opensslPrefix, FIPS_FILES.record), 'utf8').catch(() => 'null');
  return { process, providers, install: JSON.parse(record) as FipsInstallRecord | null };
}

/**
 * What a FIPS runtime must show: the interpreter's OpenSSL fetches with fips=yes, md5 raises for
 * security use and works only when asked for without (usedforsecurity=False), SHA-256 works
 * (the FIPS provider serves it), no built-in hash module imports, and the FIPS provider of the
 * planned release is active (its self-tests passed) after this machine's fipsinstall.
 */
export function fipsProblems(fips: FipsVerification, providerVersion: string): string[] {
  const p = fips.process;
  if (!p) return ['the interpreter has no _hashlib, so no FIPS mode'];
  const problems: string[] = [];
  if (p.defaultPropertiesFips !== true) problems.push(`_hashlib.get_fips_mode() is ${p.defaultPropertiesFips}, not on`);
  if (!p.md5.startsWith('raises')) problems.push('hashlib.md5() works: a non-FIPS hash is reachable for security use');
  if (p.md5NotForSecurity !== 'works') problems.push(`hashlib.md5(usedforsecurity=False) ${p.md5NotForSecurity}`);
  if (p.sha256 !== 'works') problems.push(`hashlib.sha256() ${p.sha256}`);
  if (p.builtinHashes.length > 0) problems.push(`built-in hash modules import: ${p.builtinHashes.join(', ')}`);
  const provider = fips.providers.find((x) => x.id === 'fips');
  if (!provider) problems.push("no FIPS provider is loaded by the runtime's configuration");
  else if (provider.status !== 'active') problems.push(`the FIPS provider is ${provider.status ?? 'not active'}`);
  else if (provider.version !== providerVersion)
    problems.push(`the FIPS provider is version ${provider.version}, not ${providerVersion}`);
  if (!fips.install) problems.push('fipsinstall has not run for this install');
  return problems;
}

/** A free-threaded request gets a free-threaded build running without the GIL; a GIL request never gets one. */
export function threadingProblems(
  seen: Pick<Verification, 'freeThreaded' | 'gilEnabled'>,
  freethreaded: boolean,
): string[] {
  if (!freethreaded)
    return seen.freeThreaded ? ['it is a free-threaded build (Py_GIL_DISABLED is 1); the GIL build was asked for'] : [];
  if (!seen.freeThreaded) return ['it is not a free-threaded build (Py_GIL_DISABLED is not 1)'];
  return seen.gilEnabled ? ['sys._is_gil_enabled() is True in a free-threaded build: the GIL is on'] : [];
}

/** libssl/libcrypto a shared object links dynamically, per ldd (Linux) or otool -L (macOS). */
async function linkedTlsLibraries(file: string): Promise<string[]> {
  const [cmd, args] = process.platform === 'darwin' ? ['otool', ['-L', file]] : ['ldd', [file]];
  const run = await runProcess(cmd, args as string[], { timeoutMs: 30_000 }).catch(() => undefined);
  if (run?.code !== 0) return [];
  return run.stdout
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => /(^|\/)lib(ssl|crypto)[.-]/.test(line.split(/\s+/)[0] ?? ''))
    .map((line) =>
      process.platform === 'darwin' ? line.split(/\s+/)[0]! : (/=>\s*(\S+)/.exec(line)?.[1] ?? line.split(/\s+/)[0]!),
    );
}
