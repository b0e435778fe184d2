import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createGunzip } from 'node:zlib';
import { InputError } from '../errors.js';
import { runProcess } from '../process/run.js';
import type { Report } from '../report/report.js';
import { sha256File } from '../runtime/download.js';
import type { Platform } from '../runtime/platform.js';
import type { BuildPlan } from '../runtime/plan.js';
import { isRelocatable } from '../runtime/relocate.js';
import { entryDir, toolCacheRoot } from '../runtime/toolcache.js';

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
  report: Report;
}

export interface CreatedArchive {
  path: string;
  sha256: string;
  bytes: number;
  /** Beside the archive: the inner manifest plus the archive's own digest. */
  manifestPath: string;
}

/** Packs both tool-cache folders (markers excluded: the installer writes them after verifying). */
export async function createArchive(plan: BuildPlan, report: Report, outDir: string): Promise<CreatedArchive> {
  const root = toolCacheRoot();
  const members = [plan.openssl.entry, plan.python.entry].map((e) => path.relative(root, entryDir(e)));
  const { jobs: _jobs, ...portablePlan } = plan;
  const manifest: ArchiveManifest = { format: ARCHIVE_FORMAT, createdAt: new Date().toISOString(), plan: portablePlan, toolCacheRoot: root, members, report };
  await mkdir(outDir, { recursive: true });
  const staging = await mkdtemp(path.join(tmpdir(), 'tls-floor-archive-'));
  const base = `tls-floor-cpython${plan.python.source.version}-openssl${plan.openssl.source.version}-tls${plan.floor}-${plan.platform.os}-${plan.platform.arch}`;
  const archive = path.join(outDir, `${base}.tar.gz`);
  try {
    await writeFile(path.join(staging, MANIFEST_NAME), JSON.stringify(manifest, null, 2) + '\n');
    // The manifest first, so an installer can read it without unpacking the rest.
    const tar = await runProcess('tar', ['-czf', archive, '-C', staging, MANIFEST_NAME, '-C', root, ...members], { timeoutMs: 15 * 60_000 });
    if (tar.code !== 0) throw new Error(`cannot create ${archive}: ${tar.stderr.trim()}`);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  const sha256 = await sha256File(archive);
  const bytes = (await stat(archive)).size;
  const manifestPath = `${archive}.manifest.json`;
  await writeFile(manifestPath, JSON.stringify({ ...manifest, archive: { file: path.basename(archive), sha256, bytes } }, null, 2) + '\n');
  await writeFile(`${archive}.sha256`, `${sha256}  ${path.basename(archive)}\n`);
  return { path: archive, sha256, bytes, manifestPath };
}

/** Reads the first member of a .tar.gz without unpacking the rest. */
export async function readManifest(archive: string): Promise<ArchiveManifest> {
  const chunks: Buffer[] = [];
  let length = 0;
  const stream = createReadStream(archive).pipe(createGunzip());
  try {
    for await (const chunk of stream) {
      chunks.push(chunk as Buffer);
      length += (chunk as Buffer).length;
      if (length >= 512) {
        const header = Buffer.concat(chunks);
        const name = header.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
        const size = parseInt(header.subarray(124, 136).toString('ascii').replace(/\0.*$/s, '').trim(), 8);
        if (name.replace(/^\.\//, '') !== MANIFEST_NAME || !(size > 0) || size > 64 * 1024 * 1024) break;
        if (length >= 512 + size) return JSON.parse(header.subarray(512, 512 + size).toString('utf8')) as ArchiveManifest;
      }
    }
  } catch {
    // fall through: not a tar.gz we made
  } finally {
    stream.destroy();
  }
  throw new InputError(`runtime-archive-url: the archive has no ${MANIFEST_NAME} as its first member; it is not a tls-floor runtime archive.`);
}

export interface ArchiveRequest {
  python?: string;
  openssl?: string;
  floor: BuildPlan['floor'];
  platform: Platform;
}

/** Why this archive cannot serve this request, or undefined when it can. */
export function manifestMismatch(manifest: ArchiveManifest, want: ArchiveRequest, root: string): string | undefined {
  if (manifest.format !== ARCHIVE_FORMAT) return `archive format ${manifest.format}, this action reads format ${ARCHIVE_FORMAT}`;
  const { plan } = manifest;
  if (want.python && plan.python.source.version !== want.python) return `it holds CPython ${plan.python.source.version}, not the requested ${want.python}`;
  if (want.openssl && plan.openssl.source.version !== want.openssl) return `it holds OpenSSL ${plan.openssl.source.version}, not the requested ${want.openssl}`;
  if (plan.floor !== want.floor) return `it was built for a TLS ${plan.floor} floor, not ${want.floor}`;
  const p = plan.platform;
  if (p.os !== want.platform.os || p.arch !== want.platform.arch || p.osRelease !== want.platform.osRelease) {
    return `it was built on ${p.os} ${p.osRelease} ${p.arch}, this runner is ${want.platform.os} ${want.platform.osRelease} ${want.platform.arch}`;
  }
  // Relocatable builds (relocate.ts) install under any root; older ones only where they were built.
  if (manifest.toolCacheRoot !== root && !isRelocatable(plan)) return `it was built in the tool cache ${manifest.toolCacheRoot} (CPython bakes its prefix in), this runner's is ${root}`;
  const expected = [plan.openssl.entry, plan.python.entry].map((e) => path.join(e.tool, /^\d+\.\d+\.\d+/.exec(e.version)?.[0] ?? e.version, e.variant));
  if (JSON.stringify(manifest.members) !== JSON.stringify(expected)) return `its members ${manifest.members.join(', ')} are not the folders its plan names`;
  return undefined;
}

/** Unpacks exactly the manifest's members into the tool cache root. */
export async function extractMembers(archive: string, manifest: ArchiveManifest, root: string): Promise<void> {
  const tar = await runProcess('tar', ['-xzf', archive, '-C', root, ...manifest.members], { timeoutMs: 15 * 60_000 });
  if (tar.code !== 0) throw new Error(`cannot extract ${archive}: ${tar.stderr.trim().split('\n').slice(-1)[0]}`);
}
