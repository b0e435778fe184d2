/**
 * What a download or an archive may cost this action, in one place (docs/threat-model.md
 * and the prebuilt runtimes page say them to users). Whatever an index, an archive or a
 * server sends, a run ends within these bounds with one line naming the limit it hit.
 */

const MiB = 1024 * 1024;

/** What is downloaded; each kind has its own limits. */
export type DownloadKind = 'source' | 'archive' | 'index';

export interface DownloadLimits {
  /** The most bytes one download may write (an index entry's `bytes` is tighter for its archive). */
  maxBytes: number;
  /** All attempts, waits between them included, end within this. */
  deadlineMs: number;
  attempts: number;
  /** Before the first retry; doubles each time. */
  backoffMs: number;
  /** An attempt ends when no byte (an answer, a chunk of the body) arrives for this long. */
  idleMs: number;
  /** A line in the log at least this often while a download waits or runs. */
  progressMs: number;
  /** Said in errors: 'a source tarball'. */
  label: string;
}

export const DOWNLOAD_LIMITS: Readonly<Record<DownloadKind, DownloadLimits>> = {
  // CPython's tarball is 22 MiB and OpenSSL's 50 MiB today.
  source: {
    maxBytes: 512 * MiB,
    deadlineMs: 15 * 60_000,
    attempts: 4,
    backoffMs: 2000,
    idleMs: 30_000,
    progressMs: 30_000,
    label: 'a source tarball',
  },
  // A runtime archive (CPython 3.13 and OpenSSL 3.5, with pip) was 39 MiB as gzip; lean and zstd
  // (build format 3) about 20 MiB.
  archive: {
    maxBytes: 1024 * MiB,
    deadlineMs: 15 * 60_000,
    attempts: 4,
    backoffMs: 2000,
    idleMs: 30_000,
    progressMs: 30_000,
    label: 'a runtime archive',
  },
  // An index of a few hundred entries is a few hundred KiB; a miss only means a build.
  index: {
    maxBytes: 16 * MiB,
    deadlineMs: 60_000,
    attempts: 2,
    backoffMs: 500,
    idleMs: 20_000,
    progressMs: 30_000,
    label: 'a runtime index',
  },
};

/**
 * What a runtime archive may unpack to: the manifest's own `unpacked` counts when it gives
 * them (create-archive does), never more than these. Enforced while the archive is read,
 * before anything is extracted.
 */
export const UNPACK_LIMITS = {
  /** A CPython 3.13 + OpenSSL 3.5 runtime unpacks to 116 MiB ... */
  maxBytes: 1024 * MiB,
  /** ... in 4,209 members (measured on the archive create-archive made on 2026-12-01). */
  maxMembers: 50_000,
  /** Decompressed tar headers and padding allowed per member, on top of its content. */
  overheadPerMember: 4096,
} as const;

/** '512 MiB', '1.5 KiB', '900 bytes'. */
export function sizeText(bytes: number): string {
  if (bytes >= MiB) return `${Number((bytes / MiB).toFixed(1))} MiB`;
  if (bytes >= 1024) return `${Number((bytes / 1024).toFixed(1))} KiB`;
  return `${bytes} bytes`;
}
