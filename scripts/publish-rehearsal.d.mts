/** One run of the bundle (scripts/bench-lib.mjs runActionOnce). */
export interface BundleRun {
  secs: number;
  status?: number;
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
  /** A second publish of the same content: the build step's run, the release step's last line, the index. */
  second: { run: BundleRun; release: string; indexUnchanged: boolean; downloads: string[] };
  /** The build step for a cell the published index does not hold (its source a name the server lacks). */
  newCell: BundleRun & { status: number };
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

/** The workflow's pieces the run tests use (test/scripts/publish-runs.integration.test.ts). */
export interface WorkflowStep {
  id?: string;
  name?: string;
  if?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
  uses?: string;
}
export function readWorkflow(): {
  on: Record<string, unknown>;
  jobs: Record<string, { if?: string; needs?: string[] | string; steps: WorkflowStep[] }>;
};
export function step(workflow: ReturnType<typeof readWorkflow>, job: string, id: string): WorkflowStep;
export function runScript(
  step: WorkflowStep,
  context: Record<string, string>,
  cwd: string,
  extraEnv?: Record<string, string>,
): Promise<Record<string, string>>;
export function lastStepLog(): string;
export function standInGh(state: string): { PATH: string; GH_STANDIN_STATE: string; GITHUB_REPOSITORY: string };
