import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { clip } from '../shared/errors.js';
import { lastLine, runProcess } from '../shared/process.js';

/**
 * A FIPS runtime (fips: true). The FIPS provider is a loadable module (fips.so), never linked
 * in; the static libcrypto inside _ssl/_hashlib loads it. Its configuration must be made on the
 * machine where it is used (`openssl fipsinstall` runs its self-tests there and writes
 * fipsmodule.cnf; README-FIPS: the file is not to be copied), so every install of the runtime
 * (a build, a cache restore, an archive, a prebuilt runtime) runs it again, under that
 * runner's tool-cache root. Nothing outside the runtime's own folders is written: the system's
 * OPENSSLDIR (relocate.ts) is only read.
 *
 * Inside the OpenSSL entry:
 *   bin/openssl                  the build's own openssl, for fipsinstall and the provider listing
 *   lib/ossl-modules/fips.so     the provider
 *   ssl/fipsmodule.cnf           fipsinstall's output (this machine's)
 *   ssl/openssl-fips.cnf         the runtime's OpenSSL configuration, absolute paths of this install
 *   ssl/fipsinstall.json         when and where fipsinstall ran, and what it said
 * Inside the CPython entry, site-packages/00-tls-floor-fips.pth sets OPENSSL_CONF to that
 * configuration (unless the process already has one) before any module loads OpenSSL.
 */

export const FIPS_FILES = {
  openssl: 'bin/openssl',
  module: 'lib/ossl-modules/fips.so',
  moduleConf: 'ssl/fipsmodule.cnf',
  conf: 'ssl/openssl-fips.cnf',
  record: 'ssl/fipsinstall.json',
} as const;

const PTH = '00-tls-floor-fips.pth';

/**
 * The groups every FIPS provider since 3.0 serves: the NIST curves and the RFC 7919 groups.
 * OpenSSL 3.5's default key share, X25519MLKEM768, is not among a 3.1.2 provider's algorithms;
 * left to the default, every TLS 1.3 handshake of such a runtime fails.
 */
export const FIPS_GROUPS = 'secp256r1:secp384r1:secp521r1:ffdhe2048:ffdhe3072:ffdhe4096:ffdhe6144:ffdhe8192';

/** What one fipsinstall run left: ssl/fipsinstall.json. */
export interface FipsInstallRecord {
  installedAt: string;
  opensslPrefix: string;
  config: string;
  /** fipsinstall's own words (its last line: INSTALL PASSED, after the self-tests). */
  said: string;
}

/**
 * The runtime's OpenSSL configuration: the fips, base and default providers, fips=yes for every
 * fetch that does not ask otherwise (so the default provider serves only an explicit non-FIPS
 * request such as hashlib.md5(usedforsecurity=False)), and groups the provider can serve.
 * fipsmodule.cnf is included last: its [fips_sect] joins the one here (OpenSSL merges sections
 * of the same name), which names the module by its absolute path.
 */
export function fipsConfig(opensslPrefix: string): string {
  const at = (file: string) => path.join(opensslPrefix, file);
  return `# Written by tls-floor when this runtime was installed here; written again at every install.
# FIPS mode: the FIPS provider serves every algorithm fetched without an explicit property query.
config_diagnostics = 1
openssl_conf = openssl_init

[openssl_init]
providers = provider_sect
alg_section = algorithm_sect
ssl_conf = ssl_sect

[provider_sect]
fips = fips_sect
base = base_sect
default = default_sect

[fips_sect]
module = ${at(FIPS_FILES.module)}

[base_sect]
activate = 1

[default_sect]
activate = 1

[algorithm_sect]
default_properties = fips=yes

[ssl_sect]
system_default = system_default_sect

[system_default_sect]
Groups = ${FIPS_GROUPS}

.include ${at(FIPS_FILES.moduleConf)}
`;
}

/** The line of the .pth file: OPENSSL_CONF for this process and its children, unless one is set. */
export function fipsPthLine(opensslPrefix: string): string {
  return `import os; os.environ.setdefault("OPENSSL_CONF", ${JSON.stringify(path.join(opensslPrefix, FIPS_FILES.conf))})\n`;
}

/** CPython's site-packages folder under `prefix`. */
function sitePackages(prefix: string): string {
  const lib = path.join(prefix, 'lib');
  const stdlib = readdirSync(lib).find((d) => /^python\d+\.\d+t?$/.test(d));
  if (!stdlib) throw new Error(`no lib/pythonX.Y in ${prefix}`);
  return path.join(lib, stdlib, 'site-packages');
}

/** Written beside and renamed over: never half-written. */
async function writeWhole(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.tls-floor-${process.pid}`;
  await writeFile(temp, text);
  await rename(temp, file);
}

/**
 * Installs the FIPS module of the OpenSSL entry at `opensslPrefix` on this machine: runs its
 * openssl's fipsinstall (the provider's self-tests; no install status written, so they run
 * again at every load), writes the runtime's configuration with this install's paths, and,
 * with a CPython prefix, the .pth that makes the interpreter use it.
 */
export async function installFips(opensslPrefix: string, pythonPrefix?: string): Promise<FipsInstallRecord> {
  const at = (file: string) => path.join(opensslPrefix, file);
  for (const file of [FIPS_FILES.openssl, FIPS_FILES.module]) {
    if (!existsSync(at(file))) throw new Error(`the FIPS runtime lacks ${file} in ${opensslPrefix}`);
  }
  const out = `${at(FIPS_FILES.moduleConf)}.tls-floor-${process.pid}`;
  await mkdir(path.dirname(out), { recursive: true });
  // No configuration of the system's (its OPENSSLDIR) is read: an empty one.
  const run = await runProcess(
    at(FIPS_FILES.openssl),
    [
      'fipsinstall',
      '-module',
      at(FIPS_FILES.module),
      '-out',
      out,
      '-provider_name',
      'fips',
      '-section_name',
      'fips_sect',
      '-self_test_onload',
    ],
    { timeoutMs: 120_000, env: { ...withoutOpensslVariables(), OPENSSL_CONF: '/dev/null' } },
  );
  const said = lastLine(run.stderr) ?? lastLine(run.stdout) ?? '';
  if (run.code !== 0 || !/INSTALL PASSED/.test(`${run.stdout}\n${run.stderr}`)) {
    throw new Error(`openssl fipsinstall failed in ${opensslPrefix} (exit ${run.code}): ${clip(said, 200)}`);
  }
  await rename(out, at(FIPS_FILES.moduleConf));
  await writeWhole(at(FIPS_FILES.conf), fipsConfig(opensslPrefix));
  const record: FipsInstallRecord = {
    installedAt: new Date().toISOString(),
    opensslPrefix,
    config: at(FIPS_FILES.conf),
    said,
  };
  await writeWhole(at(FIPS_FILES.record), `${JSON.stringify(record, null, 2)}\n`);
  if (pythonPrefix) await writeWhole(path.join(sitePackages(pythonPrefix), PTH), fipsPthLine(opensslPrefix));
  return record;
}

/** The record of the last fipsinstall, when it ran for this very install (these paths); else undefined. */
export function currentFipsInstall(opensslPrefix: string, pythonPrefix: string): FipsInstallRecord | undefined {
  try {
    const record = JSON.parse(readFileSync(path.join(opensslPrefix, FIPS_FILES.record), 'utf8')) as FipsInstallRecord;
    const pth = readFileSync(path.join(sitePackages(pythonPrefix), PTH), 'utf8');
    const conf = readFileSync(path.join(opensslPrefix, FIPS_FILES.conf), 'utf8');
    const current =
      record.opensslPrefix === opensslPrefix &&
      pth === fipsPthLine(opensslPrefix) &&
      conf === fipsConfig(opensslPrefix);
    return current && existsSync(path.join(opensslPrefix, FIPS_FILES.moduleConf)) ? record : undefined;
  } catch {
    return undefined;
  }
}

/** The process environment without OpenSSL's own variables (a runner's may point anywhere). */
function withoutOpensslVariables(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !['OPENSSL_CONF', 'OPENSSL_MODULES', 'OPENSSL_CONF_INCLUDE'].includes(k),
    ),
  );
}

/** One provider as `openssl list -providers -verbose` describes it. */
export interface ProviderFacts {
  id: string;
  name?: string;
  version?: string;
  buildInfo?: string;
  status?: string;
}

/**
 * The providers the runtime's configuration loads, as its own openssl (the same libcrypto
 * version, module and configuration as the interpreter's) lists them. A provider is `active`
 * only after its initialisation, which for the FIPS provider includes its self-tests.
 */
export async function listProviders(opensslPrefix: string): Promise<ProviderFacts[]> {
  const run = await runProcess(path.join(opensslPrefix, FIPS_FILES.openssl), ['list', '-providers', '-verbose'], {
    timeoutMs: 60_000,
    env: { ...withoutOpensslVariables(), OPENSSL_CONF: path.join(opensslPrefix, FIPS_FILES.conf) },
  });
  if (run.code !== 0)
    throw new Error(`openssl list -providers failed (exit ${run.code}): ${lastLine(run.stderr) ?? ''}`);
  return parseProviders(run.stdout);
}

export function parseProviders(text: string): ProviderFacts[] {
  const providers: ProviderFacts[] = [];
  const keys: Record<string, keyof ProviderFacts> = {
    name: 'name',
    version: 'version',
    'build info': 'buildInfo',
    status: 'status',
  };
  for (const line of text.split('\n')) {
    const id = /^ {2}(\S+)\s*$/.exec(line)?.[1];
    if (id) {
      providers.push({ id });
      continue;
    }
    const field = /^ {4}([a-z ]+): (.*)$/.exec(line);
    const key = field && keys[field[1]!];
    const current = providers[providers.length - 1];
    if (key && current) current[key] = field[2]!.trim();
  }
  return providers;
}

/**
 * hashlib without its built-in hashes logs a traceback at every import for each hash OpenSSL
 * does not serve to it (blake2b and blake2s, which hashlib never takes from OpenSSL). The
 * installed hashlib.py instead gets a constructor that raises ValueError for them: the same
 * error as any hash the FIPS provider refuses. Compiled again, as relocate.ts does.
 */
export async function gateHashlib(python: string, prefix: string): Promise<void> {
  const lib = path.join(prefix, 'lib');
  const stdlib = readdirSync(lib).find((d) => /^python\d+\.\d+t?$/.test(d));
  const file = path.join(lib, stdlib ?? '', 'hashlib.py');
  const text = await readFile(file, 'utf8');
  const logged = "        import logging\n        logging.exception('code for hash %s was not found.', __func_name)\n";
  if (!text.includes(logged)) throw new Error(`${file} does not log missing hashes as this build expects`);
  const gated =
    '        # tls-floor (fips): a hash without an implementation here raises, as the FIPS provider does.\n' +
    "        def __unsupported(*args, __name=__func_name, **kwargs):\n            raise ValueError('unsupported hash type ' + __name + ' (FIPS runtime: no built-in hashes)')\n" +
    '        globals()[__func_name] = __unsupported\n';
  await writeFile(file, text.replace(logged, gated));
  const compile =
    'import compileall, sys\nassert compileall.compile_file(sys.argv[1], force=True, quiet=1, optimize=[0, 1, 2])';
  const run = await runProcess(python, ['-E', '-s', '-c', compile, file], { timeoutMs: 60_000 });
  if (run.code !== 0) throw new Error(`cannot compile ${file}: ${lastLine(run.stderr) ?? ''}`);
}
