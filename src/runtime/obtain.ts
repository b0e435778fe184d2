import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as core from '@actions/core';
import { extractMembers, manifestMismatch, readManifest } from '../archive/archive.js';
import { restoreRuntime, type CrossRunCache } from '../cache/crossrun.js';
import { InputError } from '../errors.js';
import type { Floor } from '../floor.js';
import type { BuildInputs } from '../inputs.js';
import { pythonExecutable, pythonOptions } from './cpython.js';
import { download, verifyDigest } from './download.js';
import { buildHardenedRuntime, findCachedRuntime, type HardenedRuntime } from './hardened.js';
import { detectPlatform } from './platform.js';
import type { BuildPlan } from './plan.js';
import { incompatibility } from './compat.js';
import { planBuild, sourceSpec } from './plan.js';
import { OPENSSL_RELEASES, OPENSSL_URL_TEMPLATE, PYTHON_RELEASES, PYTHON_URL_TEMPLATE } from './releases.js';
import { checkArchiveSize, findPrebuilt, planMismatch, verifyRelocation, type RuntimeIndexInput } from './prebuilt.js';
import { verifyProvenance } from './provenance.js';
import { systemOpensslDir } from './relocate.js';
import { timedGroup } from './steps.js';
import { completeEntry, discardEntry, toolCacheRoot } from './toolcache.js';
import { verifyRuntime } from './verify.js';

/** Where the runtime came from: the levels of reuse, most to least local. */
export type CacheHit = 'tool-cache' | 'cross-run' | 'prebuilt' | 'none';

export interface ObtainedRuntime {
  plan: BuildPlan;
  runtime: HardenedRuntime;
  cacheHit: CacheHit;
  /** This run compiled something (so it may save it). */
  built: boolean;
  /** Installed from runtime-archive-url. */
  fromArchive: boolean;
}

export interface ArchiveSource {
  url: string;
  sha256: string;
}

/** How an archive is installed: from runtime-archive-url, or from a runtime-index entry. */
interface ArchiveOrigin {
  /** The input a refusal names. */
  input: 'runtime-archive-url' | 'runtime-index';
  digestInput: string;
  cacheHit: CacheHit;
  /** The size the index gives; a different one is refused before the checksum. */
  bytes?: number;
  /** The plan the archive must hold exactly (the index matched it). */
  plan?: BuildPlan;
}

const GIVEN_ARCHIVE: ArchiveOrigin = { input: 'runtime-archive-url', digestInput: 'runtime-archive-sha256', cacheHit: 'none' };

/** Turns the build inputs into a plan, refusing what cannot work before any download. */
export function planFromInputs(build: BuildInputs, floor: Floor): BuildPlan {
  const problem = incompatibility(build.python.version, build.openssl.version);
  if (problem) throw new InputError(`python-version/openssl-version: ${problem}`);
  const python = sourceSpec('python', build.python, PYTHON_RELEASES, PYTHON_URL_TEMPLATE, build.allowUnverifiedSource);
  const openssl = sourceSpec('openssl', build.openssl, OPENSSL_RELEASES, OPENSSL_URL_TEMPLATE, build.allowUnverifiedSource);
  if (build.allowUnverifiedSource) core.warning('allow-unverified-source is true: a source without a checksum will be built as downloaded. Pin python-sha256 and openssl-sha256 instead.');
  const platform = detectPlatform();
  return planBuild({ floor, platform, jobs: build.jobs, python, openssl, pythonOptions: pythonOptions(build.python.version, platform.os), opensslDir: systemOpensslDir() });
}

/**
 * The hardened runtime, from the first place that has it: the given archive, else the tool
 * cache, the cross-run cache, the runtime index (an exact match), a build. Whatever the
 * source, it is verified.
 */
export async function obtainRuntime(
  build: BuildInputs,
  floor: Floor,
  options: { archive?: ArchiveSource; cache?: CrossRunCache; index?: RuntimeIndexInput },
): Promise<ObtainedRuntime> {
  if (options.archive) return installFromArchive(options.archive, build, floor, GIVEN_ARCHIVE);
  const plan = planFromInputs(build, floor);
  const cached = await findCachedRuntime(plan);
  if (cached) return { plan, runtime: cached, cacheHit: 'tool-cache', built: false, fromArchive: false };
  if (options.cache && (await timedGroup('Restore from the cross-run cache', () => restoreRuntime(options.cache!, plan)))) {
    const restored = await findCachedRuntime(plan);
    if (restored) return { plan, runtime: restored, cacheHit: 'cross-run', built: false, fromArchive: false };
    core.warning('The cross-run cache restored an entry that the tool cache does not recognise; building instead.');
  }
  // The runtime index (prebuilt.ts): an exact match installs like an archive; a miss builds.
  const prebuilt = options.index ? await findPrebuilt(options.index, plan) : undefined;
  if (prebuilt) return installFromArchive(prebuilt, build, floor, { input: 'runtime-index', digestInput: 'runtime-index', cacheHit: 'prebuilt', bytes: prebuilt.bytes, plan });
  const runtime = await buildHardenedRuntime(plan);
  return { plan, runtime, cacheHit: 'none', built: true, fromArchive: false };
}

/**
 * Installs a runtime archive: checksum first, then the manifest must match the request,
 * then only its members are unpacked; the runtime is verified before it is marked complete.
 */
async function installFromArchive(source: ArchiveSource, build: BuildInputs, floor: Floor, origin: ArchiveOrigin): Promise<ObtainedRuntime> {
  const work = await mkdtemp(path.join(process.env['RUNNER_TEMP'] || tmpdir(), 'tls-floor-archive-'));
  try {
    const file = path.join(work, 'runtime.tar.gz');
    const manifest = await timedGroup('Download and verify the runtime archive', async () => {
      await download(source.url, file);
      await checkArchiveSize(file, source.url, origin);
      await verifyDigest(file, source.url, { sha256: source.sha256, input: origin.digestInput });
      if (build.provenance) await verifyProvenance(file, source.url, build.provenance.repo);
      return readManifest(file);
    });
    const root = toolCacheRoot();
    const mismatch = manifestMismatch(
      manifest,
      { ...(build.python.given ? { python: build.python.version } : {}), ...(build.openssl.given ? { openssl: build.openssl.version } : {}), floor, platform: detectPlatform() },
      root,
    );
    if (mismatch) throw new InputError(`${origin.input}: the archive is refused: ${mismatch}.`);
    const identityMismatch = origin.plan && planMismatch(manifest.plan, origin.plan);
    if (identityMismatch) throw new InputError(`${origin.input}: the archive at ${source.url} is refused: ${identityMismatch}.`);
    const plan: BuildPlan = { ...manifest.plan, jobs: build.jobs };
    const cached = await findCachedRuntime(plan);
    if (cached) return { plan, runtime: cached, cacheHit: 'tool-cache', built: false, fromArchive: origin.input === 'runtime-archive-url' };

    const entries = [plan.openssl.entry, plan.python.entry];
    for (const entry of entries) await discardEntry(entry);
    try {
      const runtime = await timedGroup('Install and verify the runtime archive', async () => {
        await mkdir(root, { recursive: true }); // a build creates it too; tar -C needs it
        await extractMembers(file, manifest, root);
        const [opensslPrefix, prefix] = entries.map((e) => path.join(root, manifest.members[entries.indexOf(e)]!)) as [string, string];
        // Independent checks, run side by side (each starts its own interpreter).
        const [verification] = await Promise.all([
          verifyRuntime(pythonExecutable(prefix), { opensslVersion: plan.openssl.source.version, floor, opensslPrefix }),
          verifyRelocation(pythonExecutable(prefix), prefix, manifest.toolCacheRoot, plan),
        ]);
        for (const entry of entries) await completeEntry(entry, { installedFrom: source.url, archiveSha256: source.sha256 });
        return { python: pythonExecutable(prefix), prefix, opensslPrefix, found: { python: false, openssl: false }, verification } satisfies HardenedRuntime;
      });
      return { plan, runtime, cacheHit: origin.cacheHit, built: false, fromArchive: origin.input === 'runtime-archive-url' };
    } catch (error) {
      for (const entry of entries) await discardEntry(entry);
      throw error;
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
