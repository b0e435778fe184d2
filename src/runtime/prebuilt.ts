import { readFile, realpath, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import * as core from '@actions/core';
import { tempRoot, workFolder } from '../shared/cancellation.js';
import { clip, describeError, Refusal, type Subject } from '../shared/errors.js';
import { foreign } from '../shared/foreign.js';
import { isSha256 } from '../shared/sha256.js';
import { archiveCompression, COMPRESSIONS, type Compression } from './archive/format.js';
import { download } from './download.js';
import { type BuildPlan, cpythonName } from './model/plan.js';
import type { Platform } from './model/platform.js';
import { isRelocatable, relocationProblems } from './relocate.js';
import { timedGroup } from './steps.js';
import { VerificationError } from './verify.js';

/**
 * The runtime index: one JSON file listing prebuilt runtime archives (made by create-archive,
 * indexed by `npm run runtime-index`). An entry serves a request only on an exact match of
 * the build identity the tool cache and the cross-run cache already key on: versions and
 * source checksums, floor, options (OPENSSLDIR among them), build format and platform.
 */
export const INDEX_FORMAT = 1;

export interface IndexEntry {
  /** Absolute, or relative to the index's own location. */
  url: string;
  sha256: string;
  bytes: number;
  /** How the archive is compressed; absent: gzip (entries indexed before zstd). */
  compression?: Compression;
  python: string;
  /** A free-threaded CPython (its identity says so too; this field is for people and the choice of candidates). */
  freethreaded?: boolean;
  openssl: string;
  floor: BuildPlan['floor'];
  buildFormat: number;
  identity: { openssl: Record<string, unknown>; python: Record<string, unknown> };
  platform: Platform;
}

export interface RuntimeIndex {
  format: typeof INDEX_FORMAT;
  generatedAt?: string;
  runtimes: IndexEntry[];
}

/** The index could not be read: a warning and a build, never a failure. */
export class IndexUnavailable extends Error {
  override name = 'IndexUnavailable';
}

/** Reads and checks the index at a URL (http(s), file:) or a path, within the index's limits (limits.ts). */
export async function readIndex(location: string): Promise<RuntimeIndex> {
  let text: string;
  const remote = /^https?:/.test(location);
  const work = await workFolder(tempRoot(), 'tls-floor-index-');
  try {
    const from = remote || location.startsWith('file:') ? location : path.resolve(location);
    await download(from, path.join(work.path, 'index.json'), { kind: 'index' });
    text = await readFile(path.join(work.path, 'index.json'), 'utf8');
  } catch (error) {
    throw new IndexUnavailable(`cannot ${remote ? 'fetch' : 'read'} ${location}: ${describeError(error)}`);
  } finally {
    await work.remove();
  }
  let index: RuntimeIndex;
  try {
    index = JSON.parse(text) as RuntimeIndex;
  } catch {
    throw new IndexUnavailable(`${location} is not JSON`);
  }
  if (index?.format !== INDEX_FORMAT || !Array.isArray(index.runtimes)) {
    throw new IndexUnavailable(`${location} is not a runtime index of format ${INDEX_FORMAT}`);
  }
  return index;
}

/** An entry's archive URL, resolved against the index's location when relative. */
export function entryUrl(entry: IndexEntry, location: string): string {
  if (/^(https?|file):/.test(entry.url)) return entry.url;
  const base = /^(https?|file):/.test(location) ? location : pathToFileURL(path.resolve(location)).href;
  return new URL(entry.url, base).href;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
const isLoopback = (url: URL) => LOOPBACK.has(url.hostname) || /^127\.\d+\.\d+\.\d+$/.test(url.hostname);

/**
 * Why an index may not list this archive URL, or undefined. An index lists archives of its
 * own kind: one fetched over http(s) lists https archives (http ones only when index and
 * archive are both on a loopback address, as in tests), never a file on this runner; one
 * read from this runner (the action's own runtimes/index.json among them) lists https archives
 * (http ones only on a loopback address) or files in its own folder, links resolved.
 */
export async function archiveUrlProblem(url: string, location: string): Promise<string | undefined> {
  const archive = new URL(url);
  // https is fetched from anywhere, by any index (the action's own in-tree index lists release URLs);
  // http only between loopback addresses; a local file only from an index in the same folder.
  if (archive.protocol === 'https:') return undefined;
  if (/^https?:/.test(location)) {
    const index = new URL(location);
    if (archive.protocol === 'http:' && index.protocol === 'http:' && isLoopback(index) && isLoopback(archive))
      return undefined;
    return `an index at ${index.protocol}// may list only https archives (http ones only on a loopback address, beside a loopback index), not ${clip(archive.href, 200)}`;
  }
  const indexFile = location.startsWith('file:') ? fileURLToPath(location) : path.resolve(location);
  // http on a loopback address too: the publish rehearsal serves the release there.
  if (archive.protocol === 'http:' && isLoopback(archive)) return undefined;
  if (archive.protocol !== 'file:')
    return `an index read from this runner may list only https archives or archives in its own folder, not ${clip(archive.href, 200)}`;
  const real = async (p: string) => realpath(p).catch(() => path.resolve(p));
  const folder = await real(path.dirname(indexFile));
  const file = await real(fileURLToPath(archive));
  const inside = path.relative(folder, file);
  if (inside === '' || inside.startsWith('..') || path.isAbsolute(inside))
    return `${clip(file, 200)} is not in the index's folder ${folder} (links resolved); an index read from this runner may list only https archives or archives in its own folder`;
  return undefined;
}

/** Identities are compared by value: an index re-serialised with other key order still matches. */
const same = (a: unknown, b: unknown) => isDeepStrictEqual(a, b);

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Every entry is an object with an identity of two objects, or the index is refused in one
 * line naming it and the entry (a null entry is not a TypeError, and not skipped silently).
 */
export function checkEntries(index: RuntimeIndex, location: string): void {
  const count = index.runtimes.length;
  index.runtimes.forEach((entry: unknown, i) => {
    const which = `entry ${i + 1} of ${count}`;
    if (!isObject(entry)) {
      const kind = entry === null ? 'null' : Array.isArray(entry) ? 'an array' : `a ${typeof entry}`;
      throw new Refusal(
        'index',
        `${which} in ${location} is ${kind}, not an object with url, sha256, bytes and identity; nothing was installed.`,
      );
    }
    const identity = entry['identity'];
    if (!isObject(identity) || !isObject(identity['python']) || !isObject(identity['openssl'])) {
      const named = typeof entry['url'] === 'string' ? ` (${clip(entry['url'], 100)})` : '';
      throw new Refusal(
        'index',
        `${which}${named} in ${location} has no identity object with python and openssl; nothing was installed.`,
      );
    }
  });
}

/**
 * The entry that serves this plan exactly, or why none does (one line). An index may list a
 * runtime twice, as .tar.zst and as .tar.gz: the zstd one where this Node.js reads zstd.
 */
export function matchEntry(index: RuntimeIndex, plan: BuildPlan): { entry: IndexEntry } | { miss: string } {
  const exact = index.runtimes.filter(
    (e) =>
      same(e.identity?.python, plan.python.entry.identity) && same(e.identity?.openssl, plan.openssl.entry.identity),
  );
  const readable = (e: IndexEntry) => (e.compression ?? 'gzip') === 'gzip' || archiveCompression() === 'zstd';
  const preferred = exact.find((e) => e.compression === archiveCompression()) ?? exact.find(readable) ?? exact[0];
  if (preferred) return { entry: preferred };
  const p = plan.platform;
  const want = `${cpythonName(plan)} / OpenSSL ${plan.openssl.source.version} / TLS ${plan.floor} on ${p.os} ${p.osRelease} ${p.arch}`;
  return { miss: `no prebuilt runtime for ${want}${closest(index.runtimes, plan)}; building from source` };
}

/**
 * What separates the nearest entry from the request, or nothing when the index is empty. Each
 * of the index's fields is foreign text, made safe for the log here, where it is quoted (the
 * one place an entry's fields reach the log; urls go through clip()).
 */
function closest(entries: IndexEntry[], plan: BuildPlan): string {
  const p = plan.platform;
  const f = (value: unknown) => foreign(typeof value === 'string' ? value : String(value), { max: 40 });
  const differences = (e: IndexEntry): string[] => {
    const d: string[] = [];
    if (e.platform?.os !== p.os || e.platform?.osRelease !== p.osRelease || e.platform?.arch !== p.arch) {
      d.push(`platform ${f(e.platform?.os)} ${f(e.platform?.osRelease)} ${f(e.platform?.arch)}`);
    }
    if (e.python !== plan.python.source.version) d.push(`CPython ${f(e.python)}`);
    if (Boolean(e.freethreaded) !== Boolean(plan.python.freethreaded))
      d.push(e.freethreaded ? 'free-threaded' : 'with the GIL');
    if (e.openssl !== plan.openssl.source.version) d.push(`OpenSSL ${f(e.openssl)}`);
    if (e.floor !== plan.floor) d.push(`TLS ${f(e.floor)}`);
    if (d.length === 0) {
      // Each part on its own (both have sha256, options, format): 'CPython sha256', 'OpenSSL options'.
      const keys = (['python', 'openssl'] as const).flatMap((part) => {
        const ours = plan[part].entry.identity;
        const theirs = e.identity[part];
        const label = part === 'python' ? 'CPython' : 'OpenSSL';
        return Object.keys({ ...ours, ...theirs })
          .filter((k) => !same(ours[k], theirs[k]))
          .map((k) => `${label} ${clip(k, 40)}`);
      });
      d.push(`build identity (${keys.join(', ')})`);
    }
    return d;
  };
  const ranked = entries.map(differences).sort((a, b) => a.length - b.length);
  return ranked[0]
    ? ` in the index (${entries.length} entries; nearest differs in ${ranked[0].join(', ')})`
    : ' in the index (it is empty)';
}

/** The runtime-index input: where, and whether the user named it (else it is the default). */
export interface RuntimeIndexInput {
  location: string;
  explicit: boolean;
  /** The index as already read (prebuilt-spec.ts reads it first), or why it could not be. */
  read?: RuntimeIndex | IndexUnavailable;
}

/** The index, or why it is unavailable; any other error is thrown. */
export async function readIndexOrWhy(location: string): Promise<RuntimeIndex | IndexUnavailable> {
  return readIndex(location).catch((error: unknown) => {
    if (error instanceof IndexUnavailable) return error;
    throw error;
  });
}

/**
 * The archive the index offers for this plan, or undefined (a miss, or no index to read:
 * one line says which, and the caller builds). A malformed entry is an error.
 */
export async function findPrebuilt(
  index: RuntimeIndexInput,
  plans: readonly BuildPlan[],
): Promise<{ url: string; sha256: string; bytes: number; compression: Compression; plan: BuildPlan } | undefined> {
  return timedGroup('Look up the runtime index', async () => {
    const read = index.read ?? (await readIndexOrWhy(index.location));
    if (read instanceof IndexUnavailable) {
      // A named index that cannot be read is worth a warning; the default one (a tree
      // without runtimes/index.json) only a line in the log.
      const line = `runtime-index: ${read.message}; building from source.`;
      if (index.explicit) core.warning(line);
      else core.info(line);
      return undefined;
    }
    checkEntries(read, index.location);
    const matches = plans.map((plan) => ({ plan, match: matchEntry(read, plan) }));
    const found = matches.find((m) => 'entry' in m.match);
    if (!found || !('entry' in found.match)) {
      // The miss of the preferred plan: what the index would need to hold.
      const first = matches[0]?.match;
      core.info(first && 'miss' in first ? first.miss : 'no prebuilt runtime; building from source');
      return undefined;
    }
    const { plan } = found;
    const { entry } = found.match;
    // Like the digest inputs: either case, normalised.
    const sha256 = typeof entry.sha256 === 'string' ? entry.sha256.toLowerCase() : '';
    if (!isSha256(sha256) || !Number.isInteger(entry.bytes) || entry.bytes <= 0) {
      throw new Refusal(
        'index',
        `the entry for ${clip(String(entry.url), 100)} in ${index.location} has no valid sha256 and bytes; nothing was installed.`,
      );
    }
    const compression = entry.compression ?? 'gzip';
    if (!COMPRESSIONS.includes(compression)) {
      throw new Refusal(
        'index',
        `the entry for ${clip(String(entry.url), 100)} in ${index.location} names the compression ${clip(JSON.stringify(compression), 20)}, not ${COMPRESSIONS.join(' or ')}; nothing was installed.`,
      );
    }
    const url = entryUrl(entry, index.location);
    const refusal = await archiveUrlProblem(url, index.location);
    if (refusal) {
      throw new Refusal(
        'index',
        `the entry for ${clip(entry.url, 200)} in ${index.location} is refused: ${refusal}; nothing was downloaded.`,
      );
    }
    core.info(`Prebuilt runtime in the index: ${url} (${(entry.bytes / 1048576).toFixed(1)} MiB, sha256 ${sha256})`);
    return { url, sha256, bytes: entry.bytes, compression, plan };
  });
}

/** A downloaded archive whose size is not the index's: refused before anything is unpacked. */
export async function checkArchiveSize(
  file: string,
  url: string,
  origin: { subject: Subject; bytes?: number },
): Promise<void> {
  if (origin.bytes === undefined) return;
  const { size } = await stat(file);
  if (size === origin.bytes) return;
  await rm(file, { force: true });
  throw new Refusal(
    origin.subject,
    `size mismatch for ${url}: the index says ${origin.bytes} bytes, got ${size}. Nothing was extracted or cached.`,
  );
}

/** Why the archive's own plan is not the one the index entry was matched to. */
export function planMismatch(held: Pick<BuildPlan, 'python' | 'openssl'>, want: BuildPlan): string | undefined {
  if (
    !same(held.python.entry.identity, want.python.entry.identity) ||
    !same(held.openssl.entry.identity, want.openssl.entry.identity)
  ) {
    return 'its manifest names another build identity than the index entry it was listed under';
  }
  return undefined;
}

/** After an install under another root: the runtime must know its new place (relocate.ts). */
export async function verifyRelocation(
  python: string,
  prefix: string,
  builtRoot: string,
  plan: BuildPlan,
): Promise<void> {
  if (!isRelocatable(plan)) return;
  const problems = await relocationProblems(python, prefix, builtRoot);
  if (problems.length > 0)
    throw new VerificationError(
      `the runtime at ${prefix} does not work where it was installed: ${problems.join('; ')}.`,
    );
}
