import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { ownUntilDone, tempRoot } from '../shared/cancellation.js';
import { clip, describeError, InputError } from '../shared/errors.js';
import { FLOORS } from '../shared/floor.js';
import { howItEnded, runProcess } from '../shared/process.js';
import { pythonOptions } from './cpython.js';
import { sha256File } from './download.js';
import { BUILD_FORMAT, type BuildPlan, planBuild, type SourceSpec } from './model/plan.js';
import type { Platform } from './model/platform.js';
import { isRelocatable, systemOpensslDir } from './relocate.js';
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
}

export interface CreatedArchive {
  path: string;
  sha256: string;
  bytes: number;
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
  };
  await mkdir(outDir, { recursive: true });
  const staging = await mkdtemp(path.join(tempRoot(), 'tls-floor-archive-'));
  const base = `tls-floor-cpython${plan.python.source.version}-openssl${plan.openssl.source.version}-tls${plan.floor}-${plan.platform.os}-${plan.platform.arch}`;
  const archive = path.join(outDir, `${base}.tar.gz`);
  // A cancelled run leaves no half-packed archive behind.
  const releaseStaging = ownUntilDone(staging);
  const releaseArchive = ownUntilDone(archive);
  try {
    await writeFile(path.join(staging, MANIFEST_NAME), `${JSON.stringify(manifest, null, 2)}\n`);
    // The manifest first, so an installer can read it without unpacking the rest.
    const tar = await runProcess('tar', ['-czf', archive, '-C', staging, MANIFEST_NAME, '-C', root, ...members], {
      timeoutMs: 15 * 60_000,
    });
    if (tar.code !== 0) throw new Error(`cannot create ${archive}: tar ${howItEnded(tar)}: ${tarProblem(tar.stderr)}`);
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
    `${JSON.stringify({ ...manifest, archive: { file: path.basename(archive), sha256, bytes } }, null, 2)}\n`,
  );
  await writeFile(`${archive}.sha256`, `${sha256}  ${path.basename(archive)}\n`);
  return { path: archive, sha256, bytes, manifestPath };
}

/** One member of an archive, as its header (pax included) names it. */
export interface ArchiveMember {
  path: string;
  type: string;
  linkpath?: string;
}

export interface ArchiveContents {
  manifest: ArchiveManifest;
  /** Every member after the manifest, in order. */
  members: ArchiveMember[];
}

const MAX_MANIFEST = 64 * 1024 * 1024;
const NOT_OURS = `it is not a tls-floor runtime archive (the first member must be ${MANIFEST_NAME})`;

/** What an archive may unpack to (a runtime is ~130 MB): a gzip bomb stops here, not in the tool cache. */
export const MAX_UNPACKED = 2 * 1024 ** 3;

/**
 * Reads the manifest (the first member) and the names, types and link targets of all
 * others, with a real tar reader (pax and GNU long names included), extracting nothing.
 */
export async function readArchive(
  archive: string,
  options: { plainCopy?: string; maxBytes?: number } = {},
): Promise<ArchiveContents> {
  const maxBytes = options.maxBytes ?? MAX_UNPACKED;
  const { Parser } = await import('tar');
  const members: ArchiveMember[] = [];
  const manifestChunks: Buffer[] = [];
  let manifestBytes = 0;
  let first = true;
  let problem: string | undefined;
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
          return;
        }
      }
      members.push({ path: entry.path, type: entry.type, ...(entry.linkpath ? { linkpath: entry.linkpath } : {}) });
      entry.resume();
    },
  });
  // plainCopy: the decompressed tar is kept as it streams by, so the extraction that follows
  // reads it without decompressing the archive a second time (a prebuilt install's largest cost).
  const copy = options.plainCopy ? createWriteStream(options.plainCopy) : undefined;
  let unpacked = 0;
  const keep = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      unpacked += chunk.length;
      if (unpacked > maxBytes) done(new Error(`it unpacks to more than ${maxBytes} bytes`));
      else if (!copy || copy.write(chunk)) done(null, chunk);
      else copy.once('drain', () => done(null, chunk));
    },
  });
  try {
    await pipeline(createReadStream(archive), createGunzip(), keep, parser);
    if (copy)
      await new Promise<void>((resolve, reject) =>
        copy.end((error?: Error | null) => (error ? reject(error) : resolve())),
      );
  } catch (error) {
    copy?.destroy();
    throw new InputError(
      `runtime-archive-url: the archive is refused: it is not a readable .tar.gz (${describeError(error)}).`,
    );
  }
  if (first || problem) throw new InputError(`runtime-archive-url: the archive is refused: ${problem ?? NOT_OURS}.`);
  let manifest: ArchiveManifest;
  try {
    manifest = JSON.parse(Buffer.concat(manifestChunks).toString('utf8')) as ArchiveManifest;
  } catch {
    throw new InputError(`runtime-archive-url: the archive is refused: its ${MANIFEST_NAME} is not JSON.`);
  }
  return { manifest, members };
}

/** The manifest alone (the first member). */
export async function readManifest(archive: string): Promise<ArchiveManifest> {
  return (await readArchive(archive)).manifest;
}

export interface ArchiveRequest {
  python?: string;
  openssl?: string;
  floor: BuildPlan['floor'];
  platform: Platform;
  jobs: number;
  /** This runner's tool-cache root: compared with the manifest's, never taken from it. */
  root: string;
}

/**
 * The plan this action would make for what the manifest says it holds, on this runner:
 * the manifest's strings are data to compare, never paths. Throws an InputError naming
 * what does not fit (a version that is not a version, entries the action would not make).
 */
export function trustedPlan(manifest: ArchiveManifest, want: ArchiveRequest): BuildPlan {
  const refuse = (why: string) => new InputError(`runtime-archive-url: the archive is refused: ${why}.`);
  const plan = manifest?.plan;
  if (manifest?.format !== ARCHIVE_FORMAT)
    throw refuse(`archive format ${String(manifest?.format)}, this action reads format ${ARCHIVE_FORMAT}`);
  const source = (name: 'python' | 'openssl', pattern: RegExp): SourceSpec => {
    const given = plan?.[name]?.source;
    if (!given || typeof given.version !== 'string' || !pattern.test(given.version)) {
      throw refuse(
        `its manifest names ${name} version ${clip(JSON.stringify(given?.version ?? null), 60)}, not a version`,
      );
    }
    if (given.sha256 !== undefined && (typeof given.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(given.sha256))) {
      throw refuse(`its manifest names a ${name} checksum that is not a SHA-256 digest`);
    }
    return {
      name,
      version: given.version,
      url: String(given.url),
      ...(given.sha256 ? { sha256: given.sha256 } : {}),
      checksumFrom: given.checksumFrom,
    };
  };
  const python = source('python', /^\d+\.\d+\.\d+$/);
  const openssl = source('openssl', /^\d+\.\d+\.\d+[a-z]?$/);
  if (!FLOORS.includes(plan.floor)) throw refuse(`its manifest names a floor ${clip(JSON.stringify(plan.floor), 20)}`);
  const mismatch = requestMismatch(python.version, openssl.version, plan.floor, plan.platform, want);
  if (mismatch) throw refuse(mismatch);
  const format = plan.python?.entry?.identity?.['format'];
  if (format !== BUILD_FORMAT) {
    throw refuse(
      `it holds a runtime of build format ${clip(JSON.stringify(format ?? null), 20)}, this action installs build format ${BUILD_FORMAT} (relocatable); make it again with create-archive`,
    );
  }
  const expected = planBuild({
    floor: plan.floor,
    platform: want.platform,
    jobs: want.jobs,
    python,
    openssl,
    pythonOptions: pythonOptions(python.version, want.platform.os),
    opensslDir: systemOpensslDir(),
  });
  for (const part of ['openssl', 'python'] as const) {
    const theirs = plan[part]?.entry;
    const ours = expected[part].entry;
    const same =
      theirs && theirs.tool === ours.tool && theirs.version === ours.version && theirs.variant === ours.variant;
    if (!same || JSON.stringify(theirs.identity) !== JSON.stringify(ours.identity)) {
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
  if (want.python && python !== want.python) return `it holds CPython ${python}, not the requested ${want.python}`;
  if (want.openssl && openssl !== want.openssl) return `it holds OpenSSL ${openssl}, not the requested ${want.openssl}`;
  if (floor !== want.floor) return `it was built for a TLS ${floor} floor, not ${want.floor}`;
  if (p?.os !== want.platform.os || p?.arch !== want.platform.arch || p?.osRelease !== want.platform.osRelease) {
    const theirs = [p?.os, p?.osRelease, p?.arch].map((v) => clip(String(v), 40)).join(' ');
    return `it was built on ${theirs}, this runner is ${want.platform.os} ${want.platform.osRelease} ${want.platform.arch}`;
  }
  return undefined;
}

/** The folders of the plan's entries, relative to the tool-cache root: the only members allowed. */
export function memberFolders(plan: BuildPlan): string[] {
  return [plan.openssl.entry, plan.python.entry].map((e) => path.posix.join(e.tool, semverOf(e.version), e.variant));
}

/**
 * Why the archive's members cannot be unpacked into exactly these folders, or undefined.
 * Refused: a name with '..' or an absolute name, a name outside the folders, a link whose
 * target leaves its folder (but the trust-store links the build itself makes), a member
 * below a link, and anything but files, folders and links.
 */
export function memberProblem(members: readonly ArchiveMember[], folders: readonly string[]): string | undefined {
  const links = new Set(members.filter((m) => m.type === 'SymbolicLink').map((m) => clean(m.path)));
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
    const parts = rel.split('/');
    for (let i = 1; i < parts.length; i++) {
      if (links.has(parts.slice(0, i).join('/')))
        return `member '${shown}' lies below the link ${parts.slice(0, i).join('/')}`;
    }
    if (member.type === 'SymbolicLink') {
      const target = member.linkpath ?? '';
      const resolved = target.startsWith('/')
        ? target
        : path.posix.normalize(path.posix.join(path.posix.dirname(rel), target));
      if (target.startsWith('/') || !(resolved === folder || resolved.startsWith(`${folder}/`))) {
        return `member '${shown}' is a symbolic link to '${clip(target, 100)}', outside its folder`;
      }
    } else if (member.type === 'Link') {
      const target = member.linkpath ?? '';
      const resolved = clean(target);
      if (
        target.startsWith('/') ||
        target.split('/').includes('..') ||
        !(resolved === folder || resolved.startsWith(`${folder}/`))
      ) {
        return `member '${shown}' is a hard link to '${clip(target, 100)}', outside its folder`;
      }
    } else if (
      member.type !== 'File' &&
      member.type !== 'OldFile' &&
      member.type !== 'ContiguousFile' &&
      member.type !== 'Directory'
    ) {
      return `member '${shown}' is a ${member.type}, not a file, folder or link`;
    }
  }
  return undefined;
}

const clean = (name: string) => name.replace(/^(\.\/)+/, '').replace(/\/+$/, '');

/** Unpacks exactly the given folders (checked by memberProblem) into the tool cache root. */
export async function extractMembers(archive: string, folders: readonly string[], root: string): Promise<void> {
  // -x without -z: GNU tar and bsdtar detect compression, so a .tar.gz and its plain copy both serve.
  const tar = await runProcess('tar', ['-xf', archive, '--no-same-owner', '-C', root, ...folders], {
    timeoutMs: 15 * 60_000,
  });
  if (tar.code !== 0) throw new Error(`cannot extract ${archive}: tar ${howItEnded(tar)}: ${tarProblem(tar.stderr)}`);
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
