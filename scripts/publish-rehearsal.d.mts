/** One run of the bundle (scripts/bench-lib.mjs runActionOnce). */
export interface BundleRun {
  secs: number;
  outputs: Record<string, string>;
  temp: string;
  stdout?: string;
  /** CPU seconds of the run and its children, where /usr/bin/time exists. */
  cpu?: { user: number; sys: number };
}

export interface IndexEntry {
  url: string;
  sha256: string;
  bytes: number;
  python: string;
  openssl: string;
  floor: string;
}

export interface Rehearsal {
  cell: { os: string; python: string; openssl: string; floor: string };
  /** The build step's run (or the reused archive standing in for it). */
  cold: BundleRun;
  reused: boolean;
  /** The copied tree's first run with python-version: '3.13'. */
  first: BundleRun & { stdout: string };
  /** runtimes/index.json in the copy. */
  index: { format: number; runtimes: IndexEntry[] };
  /** Source tarballs requested during the first run (none, when it installs prebuilt). */
  downloaded: string[];
  installRoot: string;
  tree: string;
  work: string;
}

export const REUSE_ENV: string;
/** optimize: replaces the build step's optimize input (the tests build with none unless TLS_FLOOR_OPTIMIZED=1). */
export function rehearse(options?: {
  say?: (line: string) => void;
  reuse?: string;
  optimize?: string;
}): Promise<Rehearsal>;
export function cleanUp(result: Rehearsal): void;
