import { constants, existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, rmdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as tc from '@actions/tool-cache';
import { ownUntilDone, ownWhileEmpty } from '../shared/cancellation.js';
import type { ToolEntry } from './model/plan.js';

export const SIDECAR = 'tls-floor.json';

export function toolCacheRoot(): string {
  const root = process.env['RUNNER_TOOL_CACHE'];
  if (!root) throw new Error('RUNNER_TOOL_CACHE is not set: the action needs a tool cache to build into.');
  return root;
}

/** '1.1.1w' -> '1.1.1': the patch letter is part of the variant's identity instead. */
export function semverOf(version: string): string {
  return /^\d+\.\d+\.\d+/.exec(version)?.[0] ?? version;
}

export function entryDir(entry: ToolEntry): string {
  return path.join(toolCacheRoot(), entry.tool, semverOf(entry.version), entry.variant);
}

/** The entry's folder when it is complete and its sidecar matches; undefined otherwise. */
export function findEntry(entry: ToolEntry): string | undefined {
  const dir = tc.find(entry.tool, semverOf(entry.version), entry.variant);
  if (!dir) return undefined;
  try {
    const sidecar = JSON.parse(readFileSync(path.join(dir, SIDECAR), 'utf8')) as { identity?: unknown };
    return JSON.stringify(sidecar.identity) === JSON.stringify(entry.identity) ? dir : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Prepares the final folder for a prefix-dependent build (it bakes its prefix in, so it is
 * built in place, not copied): any half-built leftover and its marker go first.
 */
export async function beginEntry(entry: ToolEntry): Promise<string> {
  const dir = await openEntry(entry);
  await mkdir(dir, { recursive: true });
  return dir;
}

/** Until it is complete or discarded, an entry being written goes if the run is cancelled. */
const unfinished = new Map<string, () => void>();

/** Clears the entry's folder for writing and owns it until `completeEntry` or `discardEntry`. */
export async function openEntry(entry: ToolEntry): Promise<string> {
  const dir = entryDir(entry);
  await discardEntry(entry);
  const releases = [
    ownUntilDone(dir),
    ownUntilDone(`${dir}.complete`),
    ...entryParents(entry).map((parent) => ownWhileEmpty(parent)),
  ];
  unfinished.set(dir, () => {
    for (const release of releases) release();
  });
  return dir;
}

/** tls-floor-python/3.13.15 and tls-floor-python: made for an entry, left only if something else is in them. */
function entryParents(entry: ToolEntry): string[] {
  const version = path.dirname(entryDir(entry));
  return [version, path.dirname(version)];
}

function release(dir: string): void {
  unfinished.get(dir)?.();
  unfinished.delete(dir);
}

/** The sidecar, then the `.complete` marker, last: until then no run takes it for done. */
export async function completeEntry(entry: ToolEntry, extra: Record<string, unknown> = {}): Promise<string> {
  const dir = entryDir(entry);
  // A new file, never through a link: whatever an archive brought under these names goes first
  // (rm removes a link itself, not what it points to).
  const exclusive = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
  await rm(path.join(dir, SIDECAR), { force: true });
  await rm(`${dir}.complete`, { force: true });
  await writeFile(
    path.join(dir, SIDECAR),
    `${JSON.stringify({ tool: entry.tool, version: entry.version, identity: entry.identity, ...extra }, null, 2)}\n`,
    { flag: exclusive },
  );
  await writeFile(`${dir}.complete`, '', { flag: exclusive });
  release(dir);
  return dir;
}

export async function discardEntry(entry: ToolEntry): Promise<void> {
  const dir = entryDir(entry);
  await rm(`${dir}.complete`, { force: true });
  await rm(dir, { recursive: true, force: true });
  for (const parent of entryParents(entry)) await rmdir(parent).catch(() => undefined); // only if empty
  release(dir);
}

/**
 * Each folder (RUNNER_TOOL_CACHE, RUNNER_TEMP) exists or can be made, and takes a new
 * folder: checked before any download, so a read-only tool cache is not found after it.
 */
export async function checkWritable(folders: ReadonlyArray<readonly [string, string]>): Promise<void> {
  for (const [name, dir] of folders) {
    try {
      await makeFolder(dir);
      await rm(await mkdtemp(path.join(dir, '.tls-floor-write-check-')), { recursive: true, force: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      throw new Error(
        `${name}: cannot write to ${dir} (${code}); the action needs a writable ${name === 'RUNNER_TEMP' ? 'temporary folder' : 'tool cache'}. Nothing was downloaded.`,
      );
    }
  }
}

/**
 * mkdir -p one level at a time: Node's recursive mkdir never returns where the parent
 * cannot hold folders and answers ENOENT (under /proc).
 */
async function makeFolder(dir: string): Promise<void> {
  const missing: string[] = [];
  let at = path.resolve(dir);
  while (!existsSync(at) && path.dirname(at) !== at) {
    missing.unshift(at);
    at = path.dirname(at);
  }
  for (const folder of missing)
    await mkdir(folder).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
}

export function isComplete(entry: ToolEntry): boolean {
  return existsSync(`${entryDir(entry)}.complete`);
}
