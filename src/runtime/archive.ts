import { createReadStream, createWriteStream } from 'node:fs';
import { lstat, mkdir, mkdtemp, open, readdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { isDeepStrictEqual } from 'node:util';
import * as zlib from 'node:zlib';
import { ownUntilDone, tempRoot } from '../shared/cancellation.js';
import { clip, describeError, mention, Refusal, type Said } from '../shared/errors.js';
import { FLOORS } from '../shared/floor.js';
import { howItEnded, runProcess, startProcess } from '../shared/process.js';
import { isSha256, sha256File } from '../shared/sha256.js';
import { pythonOptions } from './cpython.js';
import { sizeText, UNPACK_LIMITS } from './limits.js';
import { BUILD_FORMAT, type BuildPlan, planBuild, type SourceSpec } from './model/plan.js';
import type { Platform } from './model/platform.js';
import { OPTIMIZATIONS } from './model/request.js';
import { isExactVersion, lineOf, type SpecSyntax, specMatches, threaded } from './model/versions.js';
import { isRelocatable } from './relocate.js';
import { entryDir, semverOf, toolCacheRoot } from './toolcache.js';

export const MANIFEST_NAME = 'tls-floor-runtime.json';
export const ARCHIVE_FORMAT = 1;

/** Inside the archive (first member): what it holds and what proved it. */
export interface ArchiveManifest {
  format: typeof ARCHIVE_FORMAT;
  createdAt: string;
  /** The plan that built it (sources, checksums, options, floor, platform, entries). */
  plan: Omit<BuildPlan, 'jobs'>;
  /** The root the runtime was built in (a format-1 build must not move; relocatable ones may). */
  toolCacheRoot: string;
  /** Tool-cache folders in the archive, relative to the root. */
  members: string[];
  /** The probe report that proved the runtime (JSON; the archive keeps it as evidence, it does not read it). */
  report: unknown;
  /** What the members after the manifest unpack to: the installer reads no more (absent before: UNPACK_LIMITS). */
  unpacked?: { members: number; bytes: number };
}

/**
 * How an archive is compressed: zstd where this Node.js has it in zlib (22.15+; the action
 * runs on 24), gzip otherwise. The reader tells them apart by their magic bytes, the index
 * entry and the manifest beside the archive name it.
 */
export type Compression = 'zstd' | 'gzip';
export const COMPRESSIONS: readonly Compression[] = ['zstd', 'gzip'];
export const ARCHIVE_EXTENSION: Readonly<Record<Compression, string>> = { zstd: '.tar.zst', gzip: '.tar.gz' };

/** zlib's zstd (Node.js 22.15+), typed here: @types/node 20 does not know it. */
interface ZstdZlib {
  createZstdCompress(options: { params: Record<number, number>; chunkSize?: number }): Transform;
  createZstdDecompress(options: { params: Record<number, number>; chunkSize?: number }): Transform;
  constants: Record<string, number>;
}
const zstd = (): ZstdZlib | undefined =>
  typeof (zlib as unknown as Partial<ZstdZlib>).createZstdCompress === 'function'
    ? (zlib as unknown as ZstdZlib)
    : undefined;

/** What create-archive writes with this Node.js. */
export function archiveCompression(): Compression {
  return zstd() ? 'zstd' : 'gzip';
}

/**
 * zstd level 12 with a 128 MiB window and long-distance matching (docs/runtimes.md has the
 * measurements: on the lean CPython 3.13 runtime, 19.9 MB in 17 s here, where level 19 makes
 * 17.7 MB in over 9 minutes and gzip 28.6 MB; every level decompresses as fast). A window of
 * 2^27 is the most a decoder accepts without being told more (ZSTD_d_windowLogMax's default),
 * and the reader below accepts no more.
 */
const ZSTD_LEVEL = 12;
const ZSTD_WINDOW_LOG = 27;

function compressor(compression: Compression): Transform {
  const z = zstd();
  if (compression === 'gzip' || !z) return zlib.createGzip({ chunkSize: STREAM_CHUNK });
  const c = z.constants;
  return z.createZstdCompress({
    chunkSize: STREAM_CHUNK,
    params: {
      [c['ZSTD_c_compressionLevel']!]: ZSTD_LEVEL,
      [c['ZSTD_c_windowLog']!]: ZSTD_WINDOW_LOG,
      [c['ZSTD_c_enableLongDistanceMatching']!]: 1,
    },
  });
}

/** The stream that decompresses an archive of this kind, or why this Node.js cannot. */
function decompressor(compression: Compression): Transform {
  if (compression === 'gzip') return zlib.createGunzip({ chunkSize: STREAM_CHUNK });
  const z = zstd();
  if (!z) throw new ArchiveRefused(`it is zstd-compressed, and this Node.js (${process.version}) has no zstd`);
  return z.createZstdDecompress({
    chunkSize: STREAM_CHUNK,
    params: { [z.constants['ZSTD_d_windowLogMax']!]: ZSTD_WINDOW_LOG },
  });
}

const ZSTD_MAGIC = 0xfd2fb528;

/** zstd by its magic number (little-endian 0xFD2FB528); anything else is read as gzip. */
export async function compressionOf(file: string): Promise<Compression> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(4);
    const { bytesRead } = await handle.read(head, 0, 4, 0);
    return bytesRead === 4 && head.readUInt32LE(0) === ZSTD_MAGIC ? 'zstd' : 'gzip';
  } finally {
    await handle.close();
  }
}

export interface CreatedArchive {
  path: string;
  sha256: string;
  bytes: number;
  compression: Compression;
  /** Beside the archive: the inner manifest plus the archive's own digest. */
  manifestPath: string;
}

/** Packs both tool-cache folders (markers excluded: the installer writes them after verifying). */
export async function createArchive(plan: BuildPlan, report: unknown, outDir: string): Promise<CreatedArchive> {
  const root = toolCacheRoot();
  const members = [plan.openssl.entry, plan.python.entry].map((e) => path.relative(root, entryDir(e)));
  const { jobs: _jobs, ...portablePlan } = plan;
  const manifest: ArchiveManifest = {
    format: ARCHIVE_FORMAT,
    createdAt: new Date().toISOString(),
    plan: portablePlan,
    toolCacheRoot: root,
    members,
    report,
    unpacked: await treeSize(members.map((m) => path.join(root, m))),
  };
  await mkdir(outDir, { recursive: true });
  const staging = await mkdtemp(path.join(tempRoot(), 'tls-floor-archive-'));
  const base = `tls-floor-cpython${threaded(plan.python.source.version, plan.python.freethreaded)}-openssl${plan.openssl.source.version}-tls${plan.floor}-${plan.platform.os}-${plan.platform.arch}`;
  const compression = archiveCompression();
  const archive = path.join(outDir, `${base}${ARCHIVE_EXTENSION[compression]}`);
  // A cancelled run leaves no half-packed archive behind.
  const releaseStaging = ownUntilDone(staging);
  const releaseArchive = ownUntilDone(archive);
  try {
    await writeFile(path.join(staging, MANIFEST_NAME), `${JSON.stringify(manifest, null, 2)}\n`);
    // The manifest first, so an installer can read it without unpacking the rest; tar writes
    // the plain archive, Node.js compresses it (no zstd program needed).
    const plain = path.join(staging, 'runtime.tar');
    const tar = await runProcess('tar', ['-cf', plain, '-C', staging, MANIFEST_NAME, '-C', root, ...members], {
      timeoutMs: 15 * 60_000,
    });
    if (tar.code !== 0) throw new Error(`cannot create ${archive}: tar ${howItEnded(tar)}: ${tarProblem(tar.stderr)}`);
    await pipeline(
      createReadStream(plain, { highWaterMark: STREAM_CHUNK }),
      compressor(compression),
      createWriteStream(archive),
    );
  } catch (error) {
    await rm(archive, { force: true });
    throw error;
  } finally {
    releaseArchive();
    releaseStaging();
    await rm(staging, { recursive: true, force: true });
  }
  const sha256 = await sha256File(archive);
  const bytes = (await stat(archive)).size;
  const manifestPath = `${archive}.manifest.json`;
  await writeFile(
    manifestPath,
    `${JSON.stringify({ ...manifest, archive: { file: path.basename(archive), sha256, bytes, compression } }, null, 2)}\n`,
  );
  await writeFile(`${archive}.sha256`, `${sha256}  ${path.basename(archive)}\n`);
  return { path: archive, sha256, bytes, compression, manifestPath };
}

/** What tar packs for these folders: every folder, file and link in them, and their files' bytes. */
async function treeSize(folders: string[]): Promise<{ members: number; bytes: number }> {
  let members = 0;
  let bytes = 0;
  for (const folder of folders) {
    const names = ['', ...(await readdir(folder, { recursive: true }))];
    members += names.length;
    for (const name of names) {
      const info = await lstat(path.join(folder, name));
      if (info.isFile()) bytes += info.size;
    }
  }
  return { members, bytes };
}

/** One member of an archive, as its header (pax included) names it. */
export interface ArchiveMember {
  path: string;
  type: string;
  linkpath?: string;
}

export interface ArchiveContents {
  manifest: ArchiveManifest;
  /** Read from the archive's magic bytes. */
  compression: Compression;
  /** Every member after the manifest, in order. */
  members: ArchiveMember[];
}

/** Read and inflate size while an archive is listed. */
const STREAM_CHUNK = 1 << 20;
const MAX_MANIFEST = 64 * 1024 * 1024;

/**
 * The given archive is refused: `why` says what is wrong with it. Installing from a runtime
 * index, obtain.ts refuses the index's archive for the same reason (the same `why`).
 */
export class ArchiveRefused extends Refusal {
  override name = 'ArchiveRefused';
  readonly why: readonly Said[];
  constructor(...why: Said[]) {
    super('archive', 'the archive is refused: ', ...why, '.');
    this.why = why;
  }
}
const NOT_OURS = `it is not a tls-floor runtime archive (the first member must be ${MANIFEST_NAME})`;

/** An archive that would unpack to more than it may: reading stops at once. */
class TooLarge extends Error {}

/** What the archive may unpack to: its manifest's own counts, within UNPACK_LIMITS. */
export function unpackLimits(manifest: Partial<ArchiveManifest> | undefined): {
  members: number;
  bytes: number;
  from: string;
} {
  const stated = { members: UNPACK_LIMITS.maxMembers, bytes: UNPACK_LIMITS.maxBytes, from: 'the most an archive may' };
  const given = manifest?.unpacked;
  if (!Number.isSafeInteger(given?.members) || !Number.isSafeInteger(given?.bytes)) return stated;
  return {
    members: Math.min(given!.members, stated.members),
    bytes: Math.min(given!.bytes, stated.bytes),
    from: 'what its manifest says, within the most an archive may',
  };
}

/**
 * Reads the manifest (the first member) and the names, types and link targets of all
 * others, with a real tar reader (pax and GNU long names included), extracting nothing.
 * Reading stops as soon as the members outnumber or outweigh unpackLimits (so extraction,
 * which unpacks the same file, stays within them) or the decompressed stream outgrows them.
 */
export async function readArchive(archive: string): Promise<ArchiveContents> {
  const { Parser } = await import('tar');
  const compression = await compressionOf(archive);
  const inflate = decompressor(compression);
  const members: ArchiveMember[] = [];
  const manifestChunks: Buffer[] = [];
  let manifestBytes = 0;
  let first = true;
  let problem: string | undefined;
  let limits = unpackLimits(undefined);
  let bytes = 0;
  // 1 MiB reads and inflate chunks: with the defaults (64 KiB, 16 KiB) reading a 116 MiB runtime
  // took 0.95-1.17 s here, with these 0.29-0.37 s (the stream limits are checked per chunk).
  const source = createReadStream(archive, { highWaterMark: STREAM_CHUNK });
  // Noted here, raised by the counter on its next chunk (the stream stops there), and checked
  // again once the pipeline is done: a small archive may pass the counter whole before the
  // parser reaches the member that is too large.
  let oversize: TooLarge | undefined;
  const tooLarge = (what: string) => {
    oversize ??= new TooLarge(`it unpacks to more than ${what} (${limits.from})`);
  };
  const parser = new Parser({
    strict: true,
    onReadEntry: (entry) => {
      if (first) {
        first = false;
        if (entry.type !== 'File' || entry.path.replace(/^\.\//, '') !== MANIFEST_NAME || entry.size > MAX_MANIFEST) {
          problem = NOT_OURS;
        } else {
          entry.on('data', (chunk: Buffer) => {
            manifestBytes += chunk.length;
            if (manifestBytes <= MAX_MANIFEST) manifestChunks.push(chunk);
          });
          entry.on('end', () => {
            limits = unpackLimits(parseManifest(manifestChunks));
          });
          return;
        }
      }
      bytes += entry.size;
      if (members.length >= limits.members) tooLarge(`${limits.members} members`);
      else if (bytes > limits.bytes) tooLarge(`${sizeText(limits.bytes)}`);
      members.push({ path: entry.path, type: entry.type, ...(entry.linkpath ? { linkpath: entry.linkpath } : {}) });
      entry.resume();
    },
  });
  // Headers, padding and the manifest on top of the members' content: a stream of zeros
  // (the end of the archive, then nothing but zeros) ends here too.
  let streamed = 0;
  const streamLimit = () => MAX_MANIFEST + limits.bytes + (limits.members + 2) * UNPACK_LIMITS.overheadPerMember;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      streamed += chunk.length;
      if (oversize) done(oversize);
      else if (streamed > streamLimit())
        done(new TooLarge(`it unpacks to more than ${sizeText(streamLimit())} of tar`));
      else done(null, chunk);
    },
  });
  try {
    await pipeline(source, inflate, counter, parser);
  } catch (error) {
    const refusal = oversize ?? error;
    if (refusal instanceof TooLarge) throw new ArchiveRefused(`${refusal.message}. Nothing was extracted`);
    throw new ArchiveRefused(`it is not a readable ${ARCHIVE_EXTENSION[compression]} (${describeError(error)})`);
  }
  if (oversize) throw new ArchiveRefused(`${oversize.message}. Nothing was extracted`);
  if (first || problem) throw new ArchiveRefused(problem ?? NOT_OURS);
  const manifest = parseManifest(manifestChunks);
  if (!manifest) throw new ArchiveRefused(`its ${MANIFEST_NAME} is not JSON`);
  return { manifest, compression, members };
}

function parseManifest(chunks: Buffer[]): ArchiveManifest | undefined {
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as ArchiveManifest;
  } catch {
    return undefined;
  }
}

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

/** The folders of the plan's entries, relative to the tool-cache root: the only members allowed. */
export function memberFolders(plan: BuildPlan): string[] {
  return [plan.openssl.entry, plan.python.entry].map((e) => path.posix.join(e.tool, semverOf(e.version), e.variant));
}

/**
 * Why the archive's members cannot be unpacked into exactly these folders, or undefined.
 * Refused: a name with '..' or an absolute name, a name outside the folders, a name given
 * twice (but a folder), a member below a link (nothing is
 * written through a link), a link that leads out of its folder, followed as the file system
 * would follow it (links to links, '..' after a link) over the links the archive makes,
 * and anything but files, folders and links.
 */
export function memberProblem(members: readonly ArchiveMember[], folders: readonly string[]): string | undefined {
  const links = new Map(
    members.filter((m) => m.type === 'SymbolicLink').map((m) => [clean(m.path), m.linkpath ?? ''] as const),
  );
  const seen = new Set<string>();
  for (const member of members) {
    const name = member.path;
    const shown = clip(name, 100);
    if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return `member '${shown}' has an absolute name`;
    if (name.split('/').includes('..')) return `member '${shown}' contains '..'`;
    const rel = clean(name);
    const folder = folders.find((f) => rel === f || rel.startsWith(`${f}/`));
    if (!folder) {
      // The parents of the folders (tls-floor-python/, tls-floor-python/3.11.2/) may be listed.
      if (member.type === 'Directory' && folders.some((f) => f.startsWith(`${rel}/`))) continue;
      return `member '${shown}' is outside the folders its manifest names (${folders.join(', ')})`;
    }
    if (rel === folder && member.type !== 'Directory') return `member '${shown}' is a ${member.type}, not a folder`;
    const parts = rel.split('/');
    for (let i = 1; i < parts.length; i++) {
      if (links.has(parts.slice(0, i).join('/')))
        return `member '${shown}' lies below the link ${parts.slice(0, i).join('/')}`;
    }
    const problem = linkProblem(member, parts, folder, links);
    if (problem) return `member '${shown}' ${problem}`;
    if (seen.has(rel) && member.type !== 'Directory') return `member '${shown}' is given twice`;
    seen.add(rel);
  }
  return undefined;
}

function linkProblem(
  member: ArchiveMember,
  parts: string[],
  folder: string,
  links: ReadonlyMap<string, string>,
): string | undefined {
  const target = member.linkpath ?? '';
  const within = folder.split('/');
  if (member.type === 'SymbolicLink') {
    if (target.startsWith('/') || !follow(parts.slice(0, -1), target, within, links, true))
      return `is a symbolic link to '${clip(target, 100)}', outside its folder`;
  } else if (member.type === 'Link') {
    // tar names a hard link's target from the root; link(2) follows links on the way there.
    const lexical = clean(target);
    const inside = !target.startsWith('/') && !target.split('/').includes('..') && lexical.startsWith(`${folder}/`);
    const reached = inside ? follow(within, lexical.slice(folder.length + 1), within, links, false) : undefined;
    if (reached?.join('/') !== lexical) return `is a hard link to '${clip(target, 100)}', outside its folder`;
  } else if (!['File', 'OldFile', 'ContiguousFile', 'Directory'].includes(member.type)) {
    return `is a ${member.type}, not a file, folder or link`;
  }
  return undefined;
}

/** The kernel's limit on links followed in one path (Linux: 40). */
const MAX_LINK_HOPS = 40;

/**
 * Where `target`, taken from the folder `from`, leads over the archive's links (every link
 * met on the way is followed, the last one only if `followLast`), or undefined when any step
 * of the way leaves `within` or too many links are followed: what the file system would do
 * once the archive is unpacked, decided before anything is.
 */
function follow(
  from: readonly string[],
  target: string,
  within: readonly string[],
  links: ReadonlyMap<string, string>,
  followLast: boolean,
): string[] | undefined {
  const at = [...from];
  const pending = target.split('/').filter((p) => p !== '' && p !== '.');
  let hops = 0;
  while (pending.length > 0) {
    const part = pending.shift()!;
    if (part === '..') at.pop();
    else at.push(part);
    if (at.length < within.length || within.some((p, i) => at[i] !== p)) return undefined;
    const link = links.get(at.join('/'));
    if (link === undefined || (pending.length === 0 && !followLast)) continue;
    if (++hops > MAX_LINK_HOPS || link.startsWith('/')) return undefined;
    at.pop();
    pending.unshift(...link.split('/').filter((p) => p !== '' && p !== '.'));
  }
  return at;
}

const clean = (name: string) =>
  name
    .split('/')
    .filter((p) => p !== '' && p !== '.')
    .join('/');

/**
 * Unpacks exactly the given folders (checked by memberProblem) into the tool cache root: the
 * archive is decompressed again, here, into tar's standard input (a second decompression
 * costs less than writing, and reading back, a plain copy of the whole tar).
 */
export async function extractMembers(
  archive: string,
  compression: Compression,
  folders: readonly string[],
  root: string,
): Promise<void> {
  const tar = startProcess('tar', ['-xf', '-', '--no-same-owner', '-C', root, ...folders], {
    timeoutMs: 15 * 60_000,
  });
  const fed = pipeline(
    createReadStream(archive, { highWaterMark: STREAM_CHUNK }),
    decompressor(compression),
    tar.input,
  ).then(
    () => undefined,
    (error: unknown) => error,
  );
  const [result, feedError] = await Promise.all([tar.done, fed]);
  if (result.code !== 0)
    throw new Error(`cannot extract ${archive}: tar ${howItEnded(result)}: ${tarProblem(result.stderr)}`);
  // tar exits at the end-of-archive blocks, so what follows them (a record's padding, or
  // more) may meet a closed pipe; tar's success is then the answer. Any other failure of the
  // feed (a corrupt stream, a read error) still fails the extraction.
  if (feedError && !closedPipe(feedError)) throw new Error(`cannot extract ${archive}: ${describeError(feedError)}`);
}

function closedPipe(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'EPIPE' || code === 'ERR_STREAM_PREMATURE_CLOSE' || code === 'ERR_STREAM_DESTROYED';
}

/** The line of tar's complaint that says what went wrong (not 'Exiting with failure status'). */
export function tarProblem(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const meaningful = lines.filter(
    (l) => !/Exiting with failure status|Error is not recoverable|Error exit delayed|Removing leading/.test(l),
  );
  return clip((meaningful[0] ?? lines[lines.length - 1] ?? 'no message').replace(/^(\S*\/)?(bsd)?tar: /, ''), 300);
}
