import { isDeepStrictEqual } from 'node:util';
import { clip, mention, type Said } from '../../shared/errors.js';
import { FLOORS } from '../../shared/floor.js';
import { isSha256 } from '../../shared/sha256.js';
import { pythonOptions } from '../cpython.js';
import { BUILD_FORMAT, type BuildPlan, planBuild, type SourceSpec } from '../model/plan.js';
import type { Platform } from '../model/platform.js';
import { OPTIMIZATIONS } from '../model/request.js';
import { isExactVersion, lineOf, type SpecSyntax, specMatches } from '../model/versions.js';
import { isRelocatable } from '../relocate.js';
import { ARCHIVE_FORMAT, type ArchiveManifest, ArchiveRefused } from './format.js';

/** A version the user asked for: the spec as written, read in its syntax (versions.ts). */
export interface VersionRequest {
  spec: string;
  syntax?: SpecSyntax;
  /** CPython: free-threaded asked for (3.13t); an archive must hold that build, not the other. */
  freethreaded?: boolean;
}

export interface ArchiveRequest {
  python?: VersionRequest;
  openssl?: VersionRequest;
  floor: BuildPlan['floor'];
  platform: Platform;
  jobs: number;
  /** This runner's tool-cache root: compared with the manifest's, never taken from it. */
  root: string;
  /** The system's OPENSSLDIR (relocate.ts systemOpensslDir): part of the plan this action would make. */
  opensslDir: string;
  /** fips: true: the archive must hold a FIPS runtime (of this provider, when it was given). */
  fips?: { providerVersion: string; providerGiven: boolean };
}

/**
 * The plan this action would make for what the manifest says it holds, on this runner:
 * the manifest's strings are data to compare, never paths. Throws an ArchiveRefused naming
 * what does not fit (a version that is not a version, entries the action would not make).
 */
export function trustedPlan(manifest: ArchiveManifest, want: ArchiveRequest): BuildPlan {
  const refuse = (...why: Said[]) => new ArchiveRefused(...why);
  const plan = manifest?.plan;
  if (manifest?.format !== ARCHIVE_FORMAT)
    throw refuse(`archive format ${String(manifest?.format)}, this action reads format ${ARCHIVE_FORMAT}`);
  const checked = (given: SourceSpec | undefined, name: SourceSpec['name'], pattern: RegExp, what: string) => {
    if (!given || typeof given.version !== 'string' || !pattern.test(given.version)) {
      throw refuse(
        `its manifest names ${what} version ${clip(JSON.stringify(given?.version ?? null), 60)}, not a version`,
      );
    }
    if (given.sha256 !== undefined && !isSha256(given.sha256)) {
      throw refuse(`its manifest names a ${what} checksum that is not a SHA-256 digest`);
    }
    return {
      name,
      version: given.version,
      url: String(given.url),
      ...(given.sha256 ? { sha256: given.sha256 } : {}),
      checksumFrom: given.checksumFrom,
    };
  };
  const source = (name: SourceSpec['name'], pattern: RegExp): SourceSpec =>
    checked(plan?.[name]?.source, name, pattern, name);
  const python = source('python', /^\d+\.\d+\.\d+$/);
  const openssl = source('openssl', /^\d+\.\d+\.\d+[a-z]?$/);
  if (!FLOORS.includes(plan.floor)) throw refuse(`its manifest names a floor ${clip(JSON.stringify(plan.floor), 20)}`);
  const freethreaded = plan.python?.freethreaded === true;
  const mismatch =
    requestMismatch(python.version, openssl.version, plan.floor, plan.platform, want) ??
    threadingMismatch(python.version, freethreaded, want.python);
  if (mismatch) throw refuse(mismatch);
  const given = plan.openssl?.fips;
  const fips = given ? checked(given.provider, 'openssl', /^3\.\d+\.\d+$/, 'FIPS provider') : undefined;
  const fipsMismatch = fipsRequestMismatch(fips?.version, want);
  if (fipsMismatch) throw refuse(fipsMismatch);
  const format = plan.python?.entry?.identity?.['format'];
  if (format !== BUILD_FORMAT) {
    throw refuse(
      `it holds a runtime of build format ${clip(JSON.stringify(format ?? null), 20)}, this action installs build format ${BUILD_FORMAT} (relocatable); make it again with `,
      mention('archive-making'),
    );
  }
  const optimized = plan.python?.entry?.identity?.['optimize'] ?? 'none';
  const optimize = OPTIMIZATIONS.find((o) => o === optimized);
  if (!optimize) throw refuse(`its manifest names an optimization ${clip(JSON.stringify(optimized), 20)}`);
  const expected = planBuild({
    floor: plan.floor,
    platform: want.platform,
    jobs: want.jobs,
    python,
    openssl,
    pythonOptions: pythonOptions(python.version, want.platform.os, freethreaded, optimize, Boolean(fips)),
    optimize,
    opensslDir: want.opensslDir,
    ...(freethreaded ? { freethreaded } : {}),
    ...(fips ? { fips } : {}),
  });
  for (const part of ['openssl', 'python'] as const) {
    const theirs = plan[part]?.entry;
    const ours = expected[part].entry;
    const same =
      theirs && theirs.tool === ours.tool && theirs.version === ours.version && theirs.variant === ours.variant;
    if (!same || !isDeepStrictEqual(theirs.identity, ours.identity)) {
      const named = theirs
        ? [theirs.tool, theirs.version, theirs.variant].map((v) => clip(String(v), 80)).join('/')
        : 'nothing';
      throw refuse(
        `its manifest names the tool-cache entry ${named}, not ${ours.tool}/${ours.version}/${ours.variant}, which this action makes for ${part === 'python' ? 'CPython' : 'OpenSSL'} ${part === 'python' ? python.version : openssl.version}`,
      );
    }
  }
  // Relocatable builds (relocate.ts) install under any root; older ones only where they were built.
  if (manifest.toolCacheRoot !== want.root && !isRelocatable(expected)) {
    throw refuse(
      `it was built in the tool cache ${clip(String(manifest.toolCacheRoot), 200)} (CPython bakes its prefix in), this runner's is ${want.root}`,
    );
  }
  return expected;
}

function requestMismatch(
  python: string,
  openssl: string,
  floor: string,
  p: Partial<Platform> | undefined,
  want: ArchiveRequest,
): string | undefined {
  // A spec is matched as a spec: python-version 3.13 takes a 3.13.15 archive.
  for (const [project, held, asked] of [
    ['python', python, want.python],
    ['openssl', openssl, want.openssl],
  ] as const) {
    if (!asked || specMatches(project, asked.spec, held, asked.syntax)) continue;
    const label = project === 'python' ? 'CPython' : 'OpenSSL';
    return isExactVersion(project, asked.spec)
      ? `it holds ${label} ${held}, not the requested ${asked.spec}`
      : `it holds ${label} ${held}, which does not match the requested '${clip(asked.spec, 60)}'`;
  }
  if (floor !== want.floor) return `it was built for a TLS ${floor} floor, not ${want.floor}`;
  if (p?.os !== want.platform.os || p?.arch !== want.platform.arch || p?.osRelease !== want.platform.osRelease) {
    const theirs = [p?.os, p?.osRelease, p?.arch].map((v) => clip(String(v), 40)).join(' ');
    return `it was built on ${theirs}, this runner is ${want.platform.os} ${want.platform.osRelease} ${want.platform.arch}`;
  }
  return undefined;
}

/** Why a FIPS request does not fit the archive's FIPS provider (none, or another release), or undefined. */
function fipsRequestMismatch(provider: string | undefined, want: ArchiveRequest): string | undefined {
  if (!want.fips) return undefined;
  if (!provider) return 'it holds a runtime without the FIPS provider, and fips is true';
  if (want.fips.providerGiven && provider !== want.fips.providerVersion)
    return `it holds the FIPS provider of OpenSSL ${provider}, not the requested ${want.fips.providerVersion}`;
  return undefined;
}

/** A free-threaded archive for a GIL request, or the other way round (an archive without a python-version takes its own). */
function threadingMismatch(python: string, held: boolean, asked: VersionRequest | undefined): string | undefined {
  if (!asked || held === Boolean(asked.freethreaded)) return undefined;
  return held
    ? `it holds free-threaded CPython ${python}; the request is for the GIL build (ask for ${lineOf('python', python)}t to take it)`
    : `it holds CPython ${python} with the GIL, not the free-threaded build requested`;
}
