import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';

/**
 * Whole process trees. Every child this process starts gets a process group of its own (killed
 * with the child) and, in its environment, a marker naming it: TLS_FLOOR_PROCESS=<run>.<n>. A
 * descendant that leaves the group (`setsid`, a double fork, a daemon) keeps the environment it
 * was started with, so when the child ends, every process whose /proc/<pid>/environ still holds
 * its marker is killed too.
 *
 * Why a marker and not the alternatives: a subreaper (prctl PR_SET_CHILD_SUBREAPER) needs native
 * code Node.js does not have; cgroups need a delegated, writable cgroup the runner does not
 * promise; walking the parent links misses a double fork, whose orphan's parent is init. The
 * marker needs only /proc, is reachable from Node.js and survives setsid and double forks.
 *
 * Platforms: Linux (every GitHub-hosted Linux runner and container job). Elsewhere (macOS,
 * Windows: no /proc) the sweep finds nothing and only the child's process group is killed. Not
 * covered: a descendant that empties its own environment before it exec's (`env -i`), or one
 * started by another service on its behalf (systemd-run, at).
 */
export const MARKER_VARIABLE = 'TLS_FLOOR_PROCESS';

/** This action run's part of every marker: unique on the machine. */
const RUN = `${process.pid}.${randomBytes(6).toString('hex')}`;
let started = 0;

/** A new marker for one child: the variable's value. */
export function newMarker(): string {
  started += 1;
  return `${RUN}.${started}`;
}

const PROC = '/proc';
const sweepable = process.platform === 'linux' && existsSync(`${PROC}/self/environ`);

/** The ids of the processes whose environment holds one of `markers` (this process excluded). */
export function markedProcesses(markers: readonly string[]): number[] {
  if (!sweepable || markers.length === 0) return [];
  const needles = markers.map((m) => Buffer.from(`${MARKER_VARIABLE}=${m}\0`));
  const found: number[] = [];
  let entries: string[];
  try {
    entries = readdirSync(PROC);
  } catch {
    return [];
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    let environ: Buffer;
    try {
      environ = readFileSync(`${PROC}/${entry}/environ`);
    } catch {
      continue; // gone, or another user's
    }
    if (needles.some((needle) => holds(environ, needle))) found.push(Number(entry));
  }
  return found;
}

/** `needle` as a whole variable of `environ` (at its start or after a NUL). */
function holds(environ: Buffer, needle: Buffer): boolean {
  for (let at = environ.indexOf(needle); at >= 0; at = environ.indexOf(needle, at + 1)) {
    if (at === 0 || environ[at - 1] === 0) return true;
  }
  return false;
}

/**
 * Kills every process that still carries one of `markers`, again until none is found (a
 * process may fork while it is being killed; at most a few rounds). Returns how many.
 */
export function sweep(markers: readonly string[]): number {
  let killed = 0;
  for (let round = 0; round < 5; round++) {
    const pids = markedProcesses(markers);
    if (pids.length === 0) break;
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
        killed += 1;
      } catch {
        // gone already, or a zombie waiting for its parent
      }
    }
  }
  return killed;
}
