import path from 'node:path';
import * as core from '@actions/core';
import { ownUntilDone, tempRoot, workFolder } from '../cancellation.js';
import { extractMembers, memberFolders, memberProblem, readArchive, trustedPlan } from '../archive/archive.js';
import { restoreRuntime, type CrossRunCache } from '../cache/crossrun.js';
import { InputError } from '../errors.js';
import type { Floor } from '../floor.js';
import type { BuildInputs } from './request.js';
import { pythonExecutable, pythonOptions } from './cpython.js';
import { download, verifyDigest } from './download.js';
import { buildHardenedRuntime, findCachedRuntime, type HardenedRuntime } from './hardened.js';
import { detectPlatform } from './platform.js';
import { incompatibility } from './compat.js';
import { planBuild, sourceSpec, type BuildPlan } from './plan.js';
import { OPENSSL_URL_TEMPLATE, PYTHON_URL_TEMPLATE } from './releases.js';
import { findRelease } from './versions.js';
import { timedGroup } from './steps.js';
import { checkWritable, completeEntry, discardEntry, entryDir, isComplete, openEntry, toolCacheRoot } from './toolcache.js';
import { verifyRuntime } from './verify.js';

/** Where the runtime came from: the levels of reuse, most to least local. */
export type CacheHit = 'tool-cache' | 'cross-run' | 'none';

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

/** Turns the build inputs into a plan, refusing what cannot work before any download. */
export function planFromInputs(build: BuildInputs, floor: Floor): BuildPlan {
  const problem = incompatibility(build.python.version, build.openssl.version);
  if (problem) throw new InputError(`python-version/openssl-version: ${problem}`);
  const python = sourceSpec('python', build.python, findRelease('python', build.python.version), PYTHON_URL_TEMPLATE, build.allowUnverifiedSource);
  const openssl = sourceSpec('openssl', build.openssl, findRelease('openssl', build.openssl.version), OPENSSL_URL_TEMPLATE, build.allowUnverifiedSource);
  if (build.allowUnverifiedSource) core.warning('allow-unverified-source is true: a source without a checksum will be built as downloaded. Pin python-sha256 and openssl-sha256 instead.');
  const platform = detectPlatform();
  return planBuild({ floor, platform, jobs: build.jobs, python, openssl, pythonOptions: pythonOptions(build.python.version, platform.os) });
}

/**
 * The hardened runtime, from the first place that has it: the tool cache, then the given
 * archive or the cross-run cache, then a build. Whatever the source, it is verified.
 */
export async function obtainRuntime(build: BuildInputs, floor: Floor, options: { archive?: ArchiveSource; cache?: CrossRunCache }): Promise<ObtainedRuntime> {
  if (options.archive) return installFromArchive(options.archive, build, floor);
  const plan = planFromInputs(build, floor);
  const cached = await findCachedRuntime(plan);
  if (cached) return { plan, runtime: cached, cacheHit: 'tool-cache', built: false, fromArchive: false };
  await checkWritable([['RUNNER_TOOL_CACHE', toolCacheRoot()], ['RUNNER_TEMP', tempRoot()]]);
  // A restore cancelled half-way (the cache library's own tar writes into the tool cache) is removed.
  const absent = [plan.openssl.entry, plan.python.entry].filter((e) => !isComplete(e)).map(entryDir);
  const restoring = options.cache ? absent.flatMap((dir) => [dir, `${dir}.complete`]).map(ownUntilDone) : [];
  const restored = options.cache && (await timedGroup('Restore from the cross-run cache', () => restoreRuntime(options.cache!, plan)));
  for (const release of restoring) release();
  if (restored) {
    const found = await findCachedRuntime(plan);
    if (found) return { plan, runtime: found, cacheHit: 'cross-run', built: false, fromArchive: false };
    core.warning('The cross-run cache restored an entry that the tool cache does not recognise; building instead.');
  }
  const runtime = await buildHardenedRuntime(plan);
  return { plan, runtime, cacheHit: 'none', built: true, fromArchive: false };
}

/**
 * Installs a runtime archive: checksum first; then the manifest, untrusted even so, must
 * describe exactly the entries this action would make for the request, and every member
 * must lie inside them; only then are those entries replaced and unpacked, and the runtime
 * is verified before it is marked complete.
 */
async function installFromArchive(source: ArchiveSource, build: BuildInputs, floor: Floor): Promise<ObtainedRuntime> {
  const root = toolCacheRoot();
  const temp = tempRoot();
  await checkWritable([['RUNNER_TOOL_CACHE', root], ['RUNNER_TEMP', temp]]);
  const folder = await workFolder(temp, 'tls-floor-archive-');
  try {
    const file = path.join(folder.path, 'runtime.tar.gz');
    const contents = await timedGroup('Download and verify the runtime archive', async () => {
      await download(source.url, file, { input: 'runtime-archive-url' });
      await verifyDigest(file, source.url, { sha256: source.sha256, input: 'runtime-archive-sha256' });
      return readArchive(file);
    });
    const request = {
      ...(build.python.given ? { python: build.python.version } : {}),
      ...(build.openssl.given ? { openssl: build.openssl.version } : {}),
      floor,
      platform: detectPlatform(),
      jobs: build.jobs,
      root,
    };
    const plan = trustedPlan(contents.manifest, request);
    const folders = memberFolders(plan);
    const problem = memberProblem(contents.members, folders);
    if (problem) throw new InputError(`runtime-archive-url: the archive is refused: ${problem}. Nothing was extracted.`);
    const cached = await findCachedRuntime(plan);
    if (cached) return { plan, runtime: cached, cacheHit: 'tool-cache', built: false, fromArchive: true };

    const entries = [plan.openssl.entry, plan.python.entry];
    for (const entry of entries) await openEntry(entry);
    try {
      const runtime = await timedGroup('Install and verify the runtime archive', async () => {
        await extractMembers(file, folders, root);
        const [opensslPrefix, prefix] = entries.map(entryDir) as [string, string];
        const verification = await verifyRuntime(pythonExecutable(prefix), { opensslVersion: plan.openssl.source.version, floor, opensslPrefix });
        for (const entry of entries) await completeEntry(entry, { installedFrom: source.url, archiveSha256: source.sha256 });
        return { python: pythonExecutable(prefix), prefix, opensslPrefix, found: { python: false, openssl: false }, verification } satisfies HardenedRuntime;
      });
      return { plan, runtime, cacheHit: 'none', built: false, fromArchive: true };
    } catch (error) {
      for (const entry of entries) await discardEntry(entry);
      throw error;
    }
  } finally {
    await folder.remove();
  }
}
