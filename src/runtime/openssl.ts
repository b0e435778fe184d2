import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { FIPS_FILES } from './fips.js';
import type { BuildPlan } from './model/plan.js';
import { relocatePkgConfig } from './relocate.js';
import { fetchSource } from './source_tarball.js';
import { type BuildContext, checkSourceTree, inSource } from './steps.js';

/**
 * Configures, builds and installs the hardened OpenSSL into `prefix` (its tool-cache folder).
 * OPENSSLDIR (cert.pem, certs/, openssl.cnf) is the system's, among the plan's options: see
 * relocate.ts systemOpensslDir. Nothing is installed there (install_dev installs no ssldirs).
 */
export async function buildOpenssl(plan: BuildPlan, prefix: string, ctx: BuildContext): Promise<void> {
  const run = inSource(ctx);
  checkSourceTree(ctx, plan.openssl.source, 'OpenSSL', 'config');
  // ./config guesses the target on every version we support (Configure needs it named on 1.1.1).
  await run('./config', [`--prefix=${prefix}`, '--libdir=lib', ...plan.openssl.options]);
  // Only the libraries and headers: no apps, tests or manuals (hundreds of pages to render).
  // A FIPS build also needs its module and the openssl program (fipsinstall at every install):
  // build_sw, one goal (build_libs build_modules build_programs side by side each run
  // `make depend` at once under -j, and the build fails).
  await run('make', [`-j${plan.jobs}`, plan.openssl.fips ? 'build_sw' : 'build_libs']);
  await run('make', ['install_dev']);
  if (plan.openssl.fips) await installFipsPieces(plan, prefix, ctx);
  await relocatePkgConfig(prefix);
}

/**
 * The FIPS module and the openssl program, copied into the entry by hand: `make install_fips`
 * would run fipsinstall into OPENSSLDIR, the system's folder. The module comes from the provider
 * release's own tarball where it is not the library's (README-FIPS: a validated provider is
 * used with a later 3.x library), built with the same options.
 */
async function installFipsPieces(plan: BuildPlan, prefix: string, ctx: BuildContext): Promise<void> {
  const provider = plan.openssl.fips!.provider;
  let moduleDir = ctx.srcDir;
  if (provider.version !== plan.openssl.source.version) {
    const work = path.join(path.dirname(ctx.srcDir), 'fips-provider');
    await mkdir(work, { recursive: true });
    moduleDir = await fetchSource(provider, work);
    checkSourceTree({ ...ctx, srcDir: moduleDir }, provider, 'OpenSSL', 'config');
    const runThere = inSource({ ...ctx, srcDir: moduleDir });
    await runThere('./config', [`--prefix=${prefix}`, '--libdir=lib', ...plan.openssl.options]);
    await runThere('make', [`-j${plan.jobs}`, 'build_modules']);
  }
  await mkdir(path.join(prefix, 'lib', 'ossl-modules'), { recursive: true });
  await mkdir(path.join(prefix, 'bin'), { recursive: true });
  await copyFile(path.join(moduleDir, 'providers', 'fips.so'), path.join(prefix, FIPS_FILES.module));
  await copyFile(path.join(ctx.srcDir, 'apps', 'openssl'), path.join(prefix, FIPS_FILES.openssl));
}

/** The installed version, read from the headers the build produced. */
export async function installedOpensslVersion(prefix: string): Promise<string | undefined> {
  const header = await readFile(path.join(prefix, 'include', 'openssl', 'opensslv.h'), 'utf8').catch(() => '');
  // 3.x: # define OPENSSL_VERSION_TEXT "OpenSSL 3.0.22 ..."; 1.1.1: "OpenSSL 1.1.1w  11 Sep 2023"
  return (
    /OPENSSL_VERSION_TEXT\s+"OpenSSL (\S+)/.exec(header)?.[1] ?? /OPENSSL_FULL_VERSION_STR\s+"(\S+)"/.exec(header)?.[1]
  );
}

/** The static libraries the CPython build must link, and no shared ones it could pick instead. */
export function checkOpensslInstall(prefix: string, fips = false): string[] {
  const lib = path.join(prefix, 'lib');
  const problems: string[] = [];
  for (const file of fips ? [FIPS_FILES.module, FIPS_FILES.openssl] : []) {
    if (!existsSync(path.join(prefix, file))) problems.push(`${file} missing from ${prefix} (a FIPS build)`);
  }
  for (const name of ['libssl.a', 'libcrypto.a']) {
    if (!existsSync(path.join(lib, name))) problems.push(`${name} missing from ${lib}`);
  }
  for (const name of ['libssl.so', 'libcrypto.so', 'libssl.dylib', 'libcrypto.dylib']) {
    if (existsSync(path.join(lib, name))) problems.push(`${name} present in ${lib} (the build must be static)`);
  }
  return problems;
}
