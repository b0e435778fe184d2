import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import * as core from '@actions/core';
import { tempRoot, workFolder } from '../shared/cancellation.js';
import { buildPython, pythonExecutable } from './cpython.js';
import { currentFipsInstall, installFips } from './fips.js';
import { type BuildPlan, cpythonName, type SourceSpec, type ToolEntry } from './model/plan.js';
import { buildOpenssl, checkOpensslInstall, installedOpensslVersion } from './openssl.js';
import { fetchSource } from './source_tarball.js';
import { timedGroup } from './steps.js';
import { beginEntry, completeEntry, discardEntry, findEntry } from './toolcache.js';
import { type Verification, verifyRuntime } from './verify.js';

export interface HardenedRuntime {
  python: string;
  /** The CPython install prefix in the tool cache. */
  prefix: string;
  opensslPrefix: string;
  /** Whether each part came from the tool cache. */
  found: { python: boolean; openssl: boolean };
  verification: Verification;
}

/**
 * Builds the hardened runtime that the tool cache lacks: OpenSSL first unless found (its own
 * entry, shared by every CPython built on it), then CPython against it. A build is verified
 * before its entry is marked complete; a failure leaves no entry behind.
 */
export async function buildHardenedRuntime(plan: BuildPlan): Promise<HardenedRuntime> {
  const foundOpenssl = findEntry(plan.openssl.entry);

  // Made once a build starts (buildEntry), so a failed download leaves no empty folder.
  const logDir = path.join(tempRoot(), 'tls-floor-logs');
  const opensslPrefix =
    foundOpenssl ??
    (await buildEntry(plan.openssl, 'OpenSSL', plan.jobs, logDir, async (prefix, ctx) => {
      await buildOpenssl(plan, prefix, ctx);
      const problems = checkOpensslInstall(prefix, Boolean(plan.openssl.fips));
      const version = await installedOpensslVersion(prefix);
      if (version !== plan.openssl.source.version)
        problems.push(`the headers say OpenSSL ${version}, not ${plan.openssl.source.version}`);
      if (problems.length) throw new Error(`the OpenSSL build failed verification: ${problems.join('; ')}`);
    }));
  if (foundOpenssl) core.info(`Found OpenSSL ${plan.openssl.source.version} in the tool cache: ${foundOpenssl}`);

  let verification: Verification | undefined;
  const label = plan.python.freethreaded ? 'free-threaded CPython' : 'CPython';
  const prefix = await buildEntry(plan.python, label, plan.jobs, logDir, async (prefix, ctx) => {
    await buildPython(plan, prefix, opensslPrefix, ctx);
    if (plan.openssl.fips)
      await timedGroup('Install the FIPS module (fipsinstall)', () => installFips(opensslPrefix, prefix));
    verification = await timedGroup('Verify the new runtime', () => verifyPlanned(plan, prefix, opensslPrefix));
  });
  return hardenedRuntime(prefix, opensslPrefix, { python: false, openssl: Boolean(foundOpenssl) }, verification!);
}

/** The runtime at `prefix` verified as the plan says it is: its OpenSSL (at `opensslPrefix`), its floor. */
export function verifyPlanned(plan: BuildPlan, prefix: string, opensslPrefix: string): Promise<Verification> {
  return verifyRuntime(pythonExecutable(prefix), {
    pythonVersion: plan.python.source.version,
    opensslVersion: plan.openssl.source.version,
    floor: plan.floor,
    opensslPrefix,
    freethreaded: Boolean(plan.python.freethreaded),
    ...(plan.openssl.fips ? { fips: { providerVersion: plan.openssl.fips.provider.version } } : {}),
  });
}

/** The runtime as the action hands it out, once verified. */
export function hardenedRuntime(
  prefix: string,
  opensslPrefix: string,
  found: HardenedRuntime['found'],
  verification: Verification,
): HardenedRuntime {
  return { python: pythonExecutable(prefix), prefix, opensslPrefix, found, verification };
}

/**
 * Both entries complete in the tool cache, verified again (cheap, and a cached runtime is
 * trusted no more than a new one). Undefined when either is missing. A FIPS runtime restored
 * from elsewhere (`restored`), or whose FIPS install is not this one's, runs fipsinstall first.
 */
export async function findCachedRuntime(
  plan: BuildPlan,
  { restored = false }: { restored?: boolean } = {},
): Promise<HardenedRuntime | undefined> {
  const opensslPrefix = findEntry(plan.openssl.entry);
  const prefix = opensslPrefix ? findEntry(plan.python.entry) : undefined;
  if (!opensslPrefix || !prefix) return undefined;
  core.info(`Found ${cpythonName(plan)} on OpenSSL ${plan.openssl.source.version} in the tool cache: ${prefix}`);
  if (plan.openssl.fips && (restored || !currentFipsInstall(opensslPrefix, prefix)))
    await timedGroup('Install the FIPS module (fipsinstall)', () => installFips(opensslPrefix, prefix));
  const verification = await timedGroup('Verify the cached runtime', () => verifyPlanned(plan, prefix, opensslPrefix));
  return hardenedRuntime(prefix, opensslPrefix, { python: true, openssl: true }, verification);
}

type Builder = (prefix: string, ctx: { srcDir: string; logFile: string; env: NodeJS.ProcessEnv }) => Promise<void>;

/**
 * Downloads, verifies and extracts the source, builds straight into the final tool-cache
 * folder (the prefix is baked in), and marks the entry complete only after `build` (which
 * verifies) succeeded. Any failure removes the folder: the next run starts clean.
 */
async function buildEntry(
  part: { entry: ToolEntry; source: SourceSpec },
  label: string,
  jobs: number,
  logDir: string,
  build: Builder,
): Promise<string> {
  const { entry, source } = part;
  const version = source.version;
  const folder = await workFolder(tempRoot(), `tls-floor-${source.name}-`);
  const work = folder.path;
  const logFile = path.join(logDir, `${source.name}-${version}-build.log`);
  try {
    const srcDir = await timedGroup(`Download and verify ${label} ${version}`, () => fetchSource(source, work));
    await mkdir(logDir, { recursive: true });
    const prefix = await beginEntry(entry);
    try {
      await timedGroup(`Build ${label} ${version} (${jobs} jobs)`, () =>
        build(prefix, { srcDir, logFile, env: process.env }),
      );
    } catch (error) {
      await discardEntry(entry);
      throw error;
    }
    return await completeEntry(entry, {
      builtAt: new Date().toISOString(),
      source: source.url,
      sha256: source.sha256 ?? null,
    });
  } finally {
    await folder.remove();
  }
}
