import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import * as core from '@actions/core';
import { ownUntilDone, tempRoot, workFolder } from '../shared/cancellation.js';
import { Refusal, type Said } from '../shared/errors.js';
import type { Floor } from '../shared/floor.js';
import {
  ArchiveRefused,
  type Compression,
  compressionOf,
  extractMembers,
  memberFolders,
  memberProblem,
  readArchive,
  trustedPlan,
} from './archive.js';
import { pythonExecutable, pythonOptions } from './cpython.js';
import { type CrossRunCache, restoreRuntime } from './crossrun.js';
import { download, verifyDigest } from './download.js';
import { installFips } from './fips.js';
import {
  buildHardenedRuntime,
  findCachedRuntime,
  type HardenedRuntime,
  hardenedRuntime,
  verifyPlanned,
} from './hardened.js';
import { incompatibility } from './model/compat.js';
import { fipsIncompatibility } from './model/fips_rules.js';
import { type BuildPlan, planBuild, type SourceSpec, sourceSpec } from './model/plan.js';
import { detectPlatform } from './model/platform.js';
import { OPENSSL_URL_TEMPLATE, PYTHON_URL_TEMPLATE } from './model/releases.js';
import type { BuildInputs } from './model/request.js';
import { findRelease } from './model/versions.js';
import { checkArchiveSize, findPrebuilt, planMismatch, type RuntimeIndexInput, verifyRelocation } from './prebuilt.js';
import { verifyProvenance } from './provenance.js';
import { systemOpensslDir } from './relocate.js';
import { stopwatch, timedGroup } from './steps.js';
import {
  checkWritable,
  completeEntry,
  discardEntry,
  entryDir,
  isComplete,
  openEntry,
  toolCacheRoot,
} from './toolcache.js';

/** Where the runtime came from: the levels of reuse, most to least local. */
export type CacheHit = 'tool-cache' | 'cross-run' | 'prebuilt' | 'none';

export interface ObtainedRuntime {
  plan: BuildPlan;
  runtime: HardenedRuntime;
  cacheHit: CacheHit;
  /** This run compiled something (so it may save it). */
  built: boolean;
  /** Installed from the archive the action was given. */
  fromArchive: boolean;
}

export interface ArchiveSource {
  url: string;
  sha256: string;
}

/** How an archive is installed: the one given, or a runtime-index entry. */
interface ArchiveOrigin {
  /** What a refusal is about: the given archive, or the index that listed it. */
  subject: 'archive' | 'index';
  /** What a checksum mismatch is about: the given checksum, or the index's. */
  digestSubject: 'archive-checksum' | 'index';
  cacheHit: CacheHit;
  /** The size the index gives; a different one is refused before the checksum. */
  bytes?: number;
  /** The plan the archive must hold exactly (the index matched it). */
  plan?: BuildPlan;
  /** The compression the index names; another one is refused before the archive is read. */
  compression?: Compression;
}

const GIVEN_ARCHIVE: ArchiveOrigin = {
  subject: 'archive',
  digestSubject: 'archive-checksum',
  cacheHit: 'none',
};

/** Turns the build inputs into a plan, refusing what cannot work before any download. */
export async function planFromInputs(build: BuildInputs, floor: Floor): Promise<BuildPlan> {
  if (build.allowUnverifiedSource)
    core.warning(
      'allow-unverified-source is true: a source without a checksum will be built as downloaded. Pin python-sha256 and openssl-sha256 instead.',
    );
  return planOf(build, floor);
}

/** The plan of these inputs, said nothing about (prebuilt-spec.ts weighs candidates with it). */
export async function planOf(build: BuildInputs, floor: Floor): Promise<BuildPlan> {
  const problem = incompatibility(build.python.version, build.openssl.version);
  if (problem) throw new Refusal('versions', problem);
  const spec = (name: 'python' | 'openssl', template: string) =>
    sourceSpec(name, build[name], findRelease(name, build[name].version), template, build.allowUnverifiedSource);
  const python = spec('python', PYTHON_URL_TEMPLATE);
  const openssl = spec('openssl', OPENSSL_URL_TEMPLATE);
  const fips = build.fips && fipsProviderSource(build);
  const platform = await detectPlatform();
  return planBuild({
    floor,
    platform,
    jobs: build.jobs,
    python,
    openssl,
    pythonOptions: pythonOptions(
      build.python.version,
      platform.os,
      build.python.freethreaded,
      build.optimize,
      Boolean(fips),
    ),
    ...(build.optimize ? { optimize: build.optimize } : {}),
    opensslDir: await systemOpensslDir(),
    ...(build.python.freethreaded ? { freethreaded: true } : {}),
    ...(fips ? { fips } : {}),
  });
}

/** fips: true: the provider release's source (a mirror's template as for openssl), after what cannot work is refused. */
function fipsProviderSource(build: BuildInputs): SourceSpec {
  const version = build.fips!.providerVersion;
  const problem = fipsIncompatibility(build.python.version, build.openssl.version, version);
  if (problem) throw new Refusal('fips', problem);
  const input = {
    version,
    spec: version,
    given: true,
    ...(build.openssl.urlTemplate ? { urlTemplate: build.openssl.urlTemplate } : {}),
  };
  return sourceSpec(
    'openssl',
    input,
    findRelease('openssl', version),
    OPENSSL_URL_TEMPLATE,
    build.allowUnverifiedSource,
  );
}

/**
 * The plans a request accepts, the preferred first: the one optimization asked for, or with
 * optimize: auto (undefined) the optimized build (pgo-lto), then `plan`, the build on demand.
 */
export async function plansOf(build: BuildInputs, floor: Floor, plan?: BuildPlan): Promise<BuildPlan[]> {
  const onDemand = plan ?? (await planOf(build, floor));
  if (build.optimize) return [onDemand];
  return [await planOf({ ...build, optimize: 'pgo-lto' }, floor), onDemand];
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
  const plan = await planFromInputs(build, floor);
  // optimize: auto takes an optimized runtime where one is at hand, and builds without optimization.
  const plans = await plansOf(build, floor, plan);
  for (const candidate of plans) {
    const cached = await findCachedRuntime(candidate);
    if (cached) return { plan: candidate, runtime: cached, cacheHit: 'tool-cache', built: false, fromArchive: false };
  }
  await checkWritable([
    ['RUNNER_TOOL_CACHE', toolCacheRoot()],
    ['RUNNER_TEMP', tempRoot()],
  ]);
  // A restore cancelled half-way (the cache library's own tar writes into the tool cache) is removed.
  const absent = [plan.openssl.entry, plan.python.entry].filter((e) => !isComplete(e)).map(entryDir);
  const restoring = options.cache ? absent.flatMap((dir) => [dir, `${dir}.complete`]).map(ownUntilDone) : [];
  const restored =
    options.cache && (await timedGroup('Restore from the cross-run cache', () => restoreRuntime(options.cache!, plan)));
  for (const release of restoring) release();
  if (restored) {
    const found = await findCachedRuntime(plan, { restored: true });
    if (found) return { plan, runtime: found, cacheHit: 'cross-run', built: false, fromArchive: false };
    core.warning('The cross-run cache restored an entry that the tool cache does not recognise; building instead.');
  }
  // The runtime index (prebuilt.ts): an exact match installs like an archive; a miss builds.
  const prebuilt = options.index ? await findPrebuilt(options.index, plans) : undefined;
  if (prebuilt)
    return installFromArchive(prebuilt, build, floor, {
      subject: 'index',
      digestSubject: 'index',
      cacheHit: 'prebuilt',
      bytes: prebuilt.bytes,
      plan: prebuilt.plan,
      compression: prebuilt.compression,
    });
  const runtime = await buildHardenedRuntime(plan);
  return { plan, runtime, cacheHit: 'none', built: true, fromArchive: false };
}

/**
 * Installs a runtime archive (given, or a runtime-index entry): size and checksum first (and
 * provenance when asked); then the manifest, untrusted even so, must describe exactly the
 * entries this action would make for the request, and every member must lie inside them;
 * only then are those entries replaced and unpacked, and the runtime is verified (and its
 * relocation checked) before it is marked complete.
 */
async function installFromArchive(
  source: ArchiveSource,
  build: BuildInputs,
  floor: Floor,
  origin: ArchiveOrigin,
): Promise<ObtainedRuntime> {
  const root = toolCacheRoot();
  const temp = tempRoot();
  await checkWritable([
    ['RUNNER_TOOL_CACHE', root],
    ['RUNNER_TEMP', temp],
  ]);
  const folder = await workFolder(temp, 'tls-floor-archive-');
  // An archive is refused as the given one; an index's archive is refused as the index's.
  const asOrigin = (error: unknown) =>
    error instanceof ArchiveRefused && origin.subject === 'index' ? refused(...error.why) : error;
  const refused = (...why: Said[]) => new Refusal('index', `the archive at ${source.url} is refused: `, ...why, '.');
  try {
    const file = path.join(folder.path, 'runtime.tar.archive'); // .tar.zst or .tar.gz: its magic bytes say
    const contents = await timedGroup('Download and verify the runtime archive', async () => {
      // An index entry's archive is cut at the size the index gives; a given one at the limit for archives.
      const cap = origin.bytes ? { maxBytes: origin.bytes, capFrom: 'the size the index gives' } : {};
      const laps = stopwatch();
      await laps.time('download', () =>
        download(source.url, file, { kind: 'archive', subject: origin.subject, ...cap }),
      );
      await laps.time('size and checksum', async () => {
        await checkArchiveSize(file, source.url, origin);
        await verifyDigest(file, source.url, { sha256: source.sha256, subject: origin.digestSubject });
      });
      const compression = await compressionOf(file);
      if (origin.compression && compression !== origin.compression)
        throw refused(`the index says it is ${origin.compression}-compressed, it is ${compression}`);
      if (build.provenance)
        await laps.time('provenance', () =>
          verifyProvenance(file, source.url, build.provenance!.repo, build.provenance!.token),
        );
      const read = await laps.time('listing', () => readArchive(file));
      core.info(laps.line());
      return read;
    }).catch((error: unknown) => Promise.reject(asOrigin(error)));
    const asked = (part: 'python' | 'openssl') => {
      const given = build[part];
      if (!given.given) return {};
      const threading = given.freethreaded ? { freethreaded: true } : {};
      return { [part]: { spec: given.spec, ...(given.syntax ? { syntax: given.syntax } : {}), ...threading } };
    };
    const request = {
      ...asked('python'),
      ...asked('openssl'),
      floor,
      platform: await detectPlatform(),
      jobs: build.jobs,
      root,
      opensslDir: await systemOpensslDir(),
      ...(build.fips ? { fips: build.fips } : {}),
    };
    let plan: BuildPlan;
    try {
      plan = trustedPlan(contents.manifest, request);
    } catch (error) {
      throw asOrigin(error);
    }
    const identityMismatch = origin.plan && planMismatch(plan, origin.plan);
    if (identityMismatch) throw refused(identityMismatch);
    const folders = memberFolders(plan);
    const problem = memberProblem(contents.members, folders);
    if (problem) throw new Refusal(origin.subject, `the archive is refused: ${problem}. Nothing was extracted.`);
    const fromArchive = origin.subject === 'archive';
    const cached = await findCachedRuntime(plan);
    if (cached) return { plan, runtime: cached, cacheHit: 'tool-cache', built: false, fromArchive };

    const entries = [plan.openssl.entry, plan.python.entry];
    for (const entry of entries) await openEntry(entry);
    try {
      const runtime = await timedGroup('Install and verify the runtime archive', async () => {
        const laps = stopwatch();
        await mkdir(root, { recursive: true }); // a build creates it too; tar -C needs it
        await laps.time('unpack', () => extractMembers(file, contents.compression, folders, root));
        const [opensslPrefix, prefix] = entries.map(entryDir) as [string, string];
        // This machine's FIPS install: the archive's fipsmodule.cnf and paths are another's.
        if (plan.openssl.fips) await laps.time('fipsinstall', () => installFips(opensslPrefix, prefix));
        // Independent checks, run side by side (each starts its own interpreter).
        const [verification] = await Promise.all([
          laps.time('verification', () => verifyPlanned(plan, prefix, opensslPrefix)),
          laps.time('relocation check', () =>
            verifyRelocation(pythonExecutable(prefix), prefix, String(contents.manifest.toolCacheRoot), plan),
          ),
        ]);
        core.info(`${laps.line()} (the two checks side by side)`);
        for (const entry of entries)
          await completeEntry(entry, { installedFrom: source.url, archiveSha256: source.sha256 });
        return hardenedRuntime(prefix, opensslPrefix, { python: false, openssl: false }, verification);
      });
      return { plan, runtime, cacheHit: origin.cacheHit, built: false, fromArchive };
    } catch (error) {
      for (const entry of entries) await discardEntry(entry);
      throw error;
    }
  } finally {
    await folder.remove();
  }
}
