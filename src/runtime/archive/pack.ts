import { createReadStream, createWriteStream } from 'node:fs';
import { lstat, mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ownUntilDone, tempRoot } from '../../shared/cancellation.js';
import { howItEnded, runProcess } from '../../shared/process.js';
import { sha256File } from '../../shared/sha256.js';
import type { BuildPlan } from '../model/plan.js';
import { threaded } from '../model/versions.js';
import { tarProblem } from '../tar.js';
import { entryDir, toolCacheRoot } from '../toolcache.js';
import {
  ARCHIVE_EXTENSION,
  ARCHIVE_FORMAT,
  type ArchiveManifest,
  archiveCompression,
  type Compression,
  compressor,
  MANIFEST_NAME,
  STREAM_CHUNK,
} from './format.js';

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
