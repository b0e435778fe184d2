import { open } from 'node:fs/promises';
import type { Transform } from 'node:stream';
import * as zlib from 'node:zlib';
import { Refusal, type Said } from '../../shared/errors.js';
import type { BuildPlan } from '../model/plan.js';

// The runtime archive's format: its manifest, its compression, and the refusal every reader raises.

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
 * zstd level 12 with a 128 MiB window and long-distance matching (docs/benchmarks.md has the
 * measurements: on the lean CPython 3.13 runtime, 19.9 MB in 17 s here, where level 19 makes
 * 17.7 MB in over 9 minutes and gzip 28.6 MB; every level decompresses as fast). A window of
 * 2^27 is the most a decoder accepts without being told more (ZSTD_d_windowLogMax's default),
 * and decompressor() accepts no more.
 */
const ZSTD_LEVEL = 12;
const ZSTD_WINDOW_LOG = 27;

export function compressor(compression: Compression): Transform {
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
export function decompressor(compression: Compression): Transform {
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

/** Read and inflate size while an archive is read, packed or extracted. */
export const STREAM_CHUNK = 1 << 20;

/**
 * The given archive is refused: `why` says what is wrong with it. Installing from a runtime
 * index, sources/archive_install.ts refuses the index's archive for the same reason (the same `why`).
 */
export class ArchiveRefused extends Refusal {
  override name = 'ArchiveRefused';
  readonly why: readonly Said[];
  constructor(...why: Said[]) {
    super('archive', 'the archive is refused: ', ...why, '.');
    this.why = why;
  }
}
