import { existsSync } from 'node:fs';
import { readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as core from '@actions/core';
import { clip } from '../shared/errors.js';
import { gateHashlib } from './fips.js';
import { leanLines, leanPython } from './lean.js';
import { atLeast } from './model/compat.js';
import type { BuildPlan } from './model/plan.js';
import type { Platform } from './model/platform.js';
import type { Optimization } from './model/request.js';
import { makePythonRelocatable } from './relocate.js';
import { type BuildContext, checkSourceTree, inSource } from './steps.js';

/**
 * Configure options that depend only on the CPython version, OS, threading and optimization
 * (part of the build identity). pgo-lto keeps the test extension modules (_testcapi & co.):
 * PGO's profile task runs the test suite, whose C-API tests skip without them; they are left
 * out of the install (installPython).
 */
export function pythonOptions(
  version: string,
  os: Platform['os'],
  freethreaded = false,
  optimize: Optimization = 'none',
  fips = false,
): string[] {
  return [
    // fips: no built-in (HACL*) md5, sha1, sha2, sha3, blake2: every hash is OpenSSL's, in FIPS mode.
    ...(fips ? ['--without-builtin-hashlib-hashes'] : []),
    '--with-ensurepip=install', // pip, as users expect of a setup-python-like runtime
    ...(freethreaded ? ['--disable-gil'] : []), // free-threaded (PEP 703): python3.13t, lib/python3.13t
    ...(optimize === 'pgo-lto' ? ['--enable-optimizations', '--with-lto'] : []),
    // _testcapi & co: no user needs them
    ...(optimize === 'none' && atLeast(version, '3.10.0') ? ['--disable-test-modules'] : []),
    // The release flags without -g: debug info costs compile time and makes the install
    // (and every archive of it) several times larger; nobody debugs CI's interpreter in gdb.
    'OPT=-DNDEBUG -fwrapv -O3 -Wall',
    // 3.11+ on GNU ld: link libssl.a/libcrypto.a by name (-l:) and keep their symbols out of
    // _ssl's exports (--exclude-libs), so no other module can bind to our copy or we to theirs.
    ...(os === 'linux' && atLeast(version, '3.11.0') ? ['PY_UNSUPPORTED_OPENSSL_BUILD=static'] : []),
  ];
}

/**
 * Configures CPython with its final prefix (it bakes it in) against the hardened OpenSSL,
 * builds with every job allowed, installs, adds the `python` and `pip` names, leaves out what
 * no use of the runtime needs (lean.ts), and makes the install relocatable (relocate.ts).
 */
export async function buildPython(
  plan: BuildPlan,
  prefix: string,
  opensslPrefix: string,
  ctx: BuildContext,
): Promise<void> {
  const run = inSource(ctx);
  checkSourceTree(ctx, plan.python.source, 'CPython', 'configure');
  if (plan.openssl?.fips)
    await writeFile(path.join(ctx.srcDir, 'Modules', 'Setup.local'), fipsSetupLocal(opensslPrefix));
  await run('./configure', [`--prefix=${prefix}`, `--with-openssl=${opensslPrefix}`, ...plan.python.options]);
  const explained = (step: Promise<void>) =>
    step.catch(async (error: unknown) => {
      const why = sslImportFailure(await readFile(ctx.logFile, 'utf8').catch(() => ''));
      throw why && error instanceof Error ? new Error(`${why}; ${error.message}`) : error;
    });
  await explained(run('make', [`-j${plan.jobs}`]));
  await explained(installPython(plan, prefix, ctx));
  const bin = path.join(prefix, 'bin');
  for (const [name, target] of [
    ['python', 'python3'],
    ['pip', 'pip3'],
  ] as const) {
    if (!existsSync(path.join(bin, name)) && existsSync(path.join(bin, target)))
      await symlink(target, path.join(bin, name));
  }
  if (plan.openssl?.fips) await gateHashlib(pythonExecutable(prefix), prefix);
  // What no use of the runtime needs (lean.ts), before the relocation compiles its own files.
  for (const line of leanLines(await leanPython(prefix, plan.platform.os))) core.info(`lean: ${line}`);
  await makePythonRelocatable(pythonExecutable(prefix), prefix);
}

/**
 * A FIPS runtime: _ssl and _hashlib built into the interpreter, on one copy of libcrypto. As
 * extension modules each links its own static copy, and both load the one fips.so: the provider
 * keeps the core's functions in globals, so the second copy's load rewires the first's, and
 * `ssl.create_default_context()` fails with "library has no ciphers" (measured here). Their
 * symbols stay out of the interpreter's exports (--exclude-libs), as PY_UNSUPPORTED_OPENSSL_BUILD
 * does for the extension modules.
 */
export function fipsSetupLocal(opensslPrefix: string): string {
  const flags = `-I${opensslPrefix}/include -L${opensslPrefix}/lib`;
  const crypto = '-l:libcrypto.a -Wl,--exclude-libs,libcrypto.a';
  return `# tls-floor (fips): one libcrypto for _ssl and _hashlib, inside the interpreter
*static*
_hashlib _hashopenssl.c ${flags} ${crypto}
_ssl _ssl.c ${flags} -l:libssl.a -Wl,--exclude-libs,libssl.a ${crypto}
`;
}

/**
 * make install (not safe in parallel; its byte-compilation uses every core by itself). A build
 * that kept the test modules for PGO installs without Lib/test (TEST_MODULES=no, as
 * --disable-test-modules would) and removes the _test* extension modules it built.
 */
async function installPython(plan: BuildPlan, prefix: string, ctx: BuildContext): Promise<void> {
  const run = inSource(ctx);
  // Only pgo-lto leaves --disable-test-modules out (pythonOptions); before 3.10 there was none.
  if (plan.python.optimize !== 'pgo-lto' || !atLeast(plan.python.source.version, '3.10.0')) {
    await run('make', ['install']);
    return;
  }
  await run('make', ['install', 'TEST_MODULES=no']);
  const [major, minor] = plan.python.source.version.split('.');
  const dynload = path.join(prefix, 'lib', `python${major}.${minor}`, 'lib-dynload');
  for (const name of await readdir(dynload)) {
    if (TEST_EXTENSION.test(name)) await rm(path.join(dynload, name), { force: true });
  }
}

/** The test extension modules configure builds without --disable-test-modules (_testcapi, _ctypes_test, ...). */
export const TEST_EXTENSION = /^(_test\w*|_ctypes_test|_xxtestfuzz)\./;

const SSL_IMPORT_ERROR = /^\[ERROR\] _ssl failed to import: (.*)$/m;

/**
 * CPython's own word in the build log when its _ssl was built but does not import
 * (Tools/build/check_extension_modules.py: "[ERROR] _ssl failed to import: FILE: undefined
 * symbol: SSLv3_method", then "Could not build the ssl module!"): the cause that a later
 * failure (make install's ensurepip, minutes on) would otherwise hide. Undefined when it has none.
 */
export function sslImportFailure(log: string): string | undefined {
  const line = SSL_IMPORT_ERROR.exec(log);
  if (!line) {
    return log.includes('Could not build the ssl module!')
      ? "CPython did not build its ssl module (its build log says 'Could not build the ssl module!')"
      : undefined;
  }
  const symbol = /undefined symbol: (\S+)/.exec(line[1]!)?.[1];
  const what = symbol ? `undefined symbol: ${symbol}` : clip(line[1]!.trim(), 200);
  return `CPython's _ssl was built but does not import (${what}); the build log says: ${clip(line[0].trim(), 300)}`;
}

export function pythonExecutable(prefix: string): string {
  return path.join(prefix, 'bin', 'python3');
}
