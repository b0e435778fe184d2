import { rmdirSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as core from '@actions/core';
import { killAllGroups } from './process.js';

/**
 * A cancelled run (the runner sends SIGINT, then SIGTERM) must not leave anything behind:
 * every process group it started is killed, every folder or file it owns and has not
 * finished (work folders in RUNNER_TEMP, a tool-cache entry not yet complete, an archive
 * being packed) is removed, and the log says it was cancelled and in which stage.
 */
let stage = 'start-up';
const owned = new Set<string>();

/** The stage a cancellation would name ('Build OpenSSL 3.0.22 (2 jobs)', 'the probe', ...). */
export function enterStage(name: string): void {
  stage = name;
}

/** A path to remove if the run is cancelled; call the returned function once it is finished or gone. */
export function ownUntilDone(file: string): () => void {
  owned.add(file);
  return () => owned.delete(file);
}

/** Folders to remove on cancellation if empty (a tool-cache entry's parents): never what is in them. */
const ownedIfEmpty = new Set<string>();

/** Like ownUntilDone, for a folder that others may fill too: a cancellation removes it only when empty. */
export function ownWhileEmpty(dir: string): () => void {
  ownedIfEmpty.add(dir);
  return () => ownedIfEmpty.delete(dir);
}

export interface WorkFolder {
  path: string;
  /** Removes it (also on failure); a cancellation removes it too. */
  remove(): Promise<void>;
}

/** Where this run's temporary files go: RUNNER_TEMP in Actions (emptied after each job), else the system's. */
export function tempRoot(): string {
  return process.env['RUNNER_TEMP'] || tmpdir();
}

const WHY: Record<string, string> = {
  EROFS: 'a read-only file system',
  EACCES: 'permission denied',
  EPERM: 'not permitted',
  ENOSPC: 'no space left',
  EDQUOT: 'disk quota exceeded',
  ENOENT: 'it does not exist',
  ENOTDIR: 'not a folder',
};

/** One line for a folder that cannot hold this run's files, naming RUNNER_TEMP when it is that one. */
function unwritable(parent: string, error: NodeJS.ErrnoException): string {
  const runnerTemp = process.env['RUNNER_TEMP'];
  const what = runnerTemp && path.resolve(parent) === path.resolve(runnerTemp) ? `RUNNER_TEMP (${parent})` : parent;
  const why = error.code ? `${error.code}: ${WHY[error.code] ?? 'see the system error'}` : error.message;
  return `cannot create a folder in ${what} (${why}); this step needs a writable RUNNER_TEMP.`;
}

/** A fresh folder `<parent>/<prefix>XXXXXX` this run owns until `remove`. */
export async function workFolder(parent: string, prefix: string): Promise<WorkFolder> {
  const dir = await mkdtemp(path.join(parent, prefix)).catch((error: NodeJS.ErrnoException) => {
    throw new Error(unwritable(parent, error));
  });
  const release = ownUntilDone(dir);
  return {
    path: dir,
    remove: async () => {
      await rm(dir, { recursive: true, force: true });
      release();
    },
  };
}

/** Installs the SIGINT/SIGTERM handler (once, at the entry point). */
export function installCancellation(): void {
  const onSignal = (signal: NodeJS.Signals) => {
    const groups = killAllGroups();
    // Let the killed processes go before their folders are removed under them.
    if (groups > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    const left: string[] = [];
    for (const file of owned) {
      try {
        rmSync(file, { recursive: true, force: true, maxRetries: 3 });
      } catch {
        left.push(file);
      }
    }
    // Deepest first: tls-floor-python/3.13.15 before tls-floor-python.
    for (const dir of [...ownedIfEmpty].sort((a, b) => b.length - a.length)) {
      try {
        rmdirSync(dir);
      } catch {
        // not empty, or already gone
      }
    }
    const cleanup = left.length
      ? `could not remove ${left.join(', ')}`
      : `removed ${owned.size - left.length} unfinished path(s)`;
    core.error(`tls-floor: cancelled (${signal}) during ${stage}; killed ${groups} process group(s), ${cleanup}.`);
    process.exit(1);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
}
