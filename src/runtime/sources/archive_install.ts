import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import * as core from '@actions/core';
import { tempRoot, type WorkFolder, workFolder } from '../../shared/cancellation.js';
import { Refusal, type Said } from '../../shared/errors.js';
import type { Floor } from '../../shared/floor.js';
import { extractMembers } from '../archive/extract.js';
import { ArchiveRefused, type Compression, compressionOf } from '../archive/format.js';
import { type ArchiveContents, readArchive } from '../archive/list.js';
import { memberFolders, memberProblem } from '../archive/members.js';
import { type ArchiveRequest, trustedPlan } from '../archive/trust.js';
import { pythonExecutable } from '../cpython.js';
import { download, verifyDigest } from '../download.js';
import { installFips } from '../fips.js';
import { findCachedRuntime, hardenedRuntime, verifyPlanned } from '../hardened.js';
import type { BuildPlan } from '../model/plan.js';
import { detectPlatform } from '../model/platform.js';
import type { BuildInputs } from '../model/request.js';
import { checkArchiveSize, planMismatch, verifyRelocation } from '../prebuilt.js';
import { verifyProvenance } from '../provenance.js';
import { systemOpensslDir } from '../relocate.js';
import { stopwatch, timedGroup } from '../steps.js';
import { completeEntry, discardEntry, entryDir, openEntry, toolCacheRoot } from '../toolcache.js';
import type { ObtainedRuntime } from './contract.js';

// Installing a runtime archive, for both sources that hand one out: the archive given
// (archive_url.ts) and a runtime-index entry (runtime_index.ts).

export interface ArchiveSource {
  url: string;
  sha256: string;
}

/** Who handed the archive out, and what they said of it. */
export interface ArchiveOrigin {
  /** What a refusal is about: the given archive, or the index that listed it. */
  subject: 'archive' | 'index';
  /** What a checksum mismatch is about: the given checksum, or the index's. */
  digestSubject: 'archive-checksum' | 'index';
  /** The size the index gives; a different one is refused before the checksum. */
  bytes?: number;
  /** The plan the archive must hold exactly (the index matched it). */
  plan?: BuildPlan;
  /** The compression the index names; another one is refused before the archive is read. */
  compression?: Compression;
}

/** An archive downloaded, checked and listed, in a work folder that installArchive removes. */
export interface FetchedArchive {
  source: ArchiveSource;
  origin: ArchiveOrigin;
  folder: WorkFolder;
  file: string;
  contents: ArchiveContents;
}

/** A refusal of the given archive is the index's when the index listed it (the same `why`). */
function asOrigin(error: unknown, source: ArchiveSource, origin: ArchiveOrigin): unknown {
  return error instanceof ArchiveRefused && origin.subject === 'index' ? refusedByIndex(source, ...error.why) : error;
}

function refusedByIndex(source: ArchiveSource, ...why: Said[]): Refusal {
  return new Refusal('index', `the archive at ${source.url} is refused: `, ...why, '.');
}

/**
 * Downloads an archive (given, or a runtime-index entry): size and checksum first (and
 * provenance when asked), then its manifest and the names of its members, extracting nothing.
 */
export async function fetchArchive(
  source: ArchiveSource,
  origin: ArchiveOrigin,
  build: BuildInputs,
): Promise<FetchedArchive> {
  const folder = await workFolder(tempRoot(), 'tls-floor-archive-');
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
        throw refusedByIndex(source, `the index says it is ${origin.compression}-compressed, it is ${compression}`);
      if (build.provenance)
        await laps.time('provenance', () =>
          verifyProvenance(file, source.url, build.provenance!.repo, build.provenance!.token),
        );
      const read = await laps.time('listing', () => readArchive(file));
      core.info(laps.line());
      return read;
    }).catch((error: unknown) => Promise.reject(asOrigin(error, source, origin)));
    return { source, origin, folder, file, contents };
  } catch (error) {
    await folder.remove();
    throw error;
  }
}

/**
 * Installs a fetched archive: the manifest, untrusted even so, must describe exactly the
 * entries this action would make for the request, and every member must lie inside them;
 * only then are those entries replaced and unpacked, and the runtime is verified (and its
 * relocation checked) before it is marked complete. The runtime is `named` as its source,
 * or `tool-cache` when the tool cache held it already.
 */
export async function installArchive(
  fetched: FetchedArchive,
  build: BuildInputs,
  floor: Floor,
  named: 'archive' | 'prebuilt',
): Promise<ObtainedRuntime> {
  try {
    return await install(fetched, build, floor, named);
  } finally {
    await fetched.folder.remove();
  }
}

async function install(
  { source, origin, file, contents }: FetchedArchive,
  build: BuildInputs,
  floor: Floor,
  named: 'archive' | 'prebuilt',
): Promise<ObtainedRuntime> {
  const root = toolCacheRoot();
  let plan: BuildPlan;
  try {
    plan = trustedPlan(contents.manifest, await archiveRequest(build, floor, root));
  } catch (error) {
    throw asOrigin(error, source, origin);
  }
  const identityMismatch = origin.plan && planMismatch(plan, origin.plan);
  if (identityMismatch) throw refusedByIndex(source, identityMismatch);
  const folders = memberFolders(plan);
  const problem = memberProblem(contents.members, folders);
  if (problem) throw new Refusal(origin.subject, `the archive is refused: ${problem}. Nothing was extracted.`);
  const fromArchive = origin.subject === 'archive';
  const cached = await findCachedRuntime(plan);
  if (cached) return { plan, runtime: cached, source: 'tool-cache', built: false, fromArchive };

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
    return { plan, runtime, source: named, built: false, fromArchive };
  } catch (error) {
    for (const entry of entries) await discardEntry(entry);
    throw error;
  }
}

/** What the request asks of an archive's manifest, on this runner (archive/trust.ts). */
async function archiveRequest(build: BuildInputs, floor: Floor, root: string): Promise<ArchiveRequest> {
  const asked = (part: 'python' | 'openssl') => {
    const given = build[part];
    if (!given.given) return {};
    const threading = given.freethreaded ? { freethreaded: true } : {};
    return { [part]: { spec: given.spec, ...(given.syntax ? { syntax: given.syntax } : {}), ...threading } };
  };
  return {
    ...asked('python'),
    ...asked('openssl'),
    floor,
    platform: await detectPlatform(),
    jobs: build.jobs,
    root,
    opensslDir: await systemOpensslDir(),
    ...(build.fips ? { fips: build.fips } : {}),
  };
}
