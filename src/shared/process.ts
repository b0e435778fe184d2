import { type ChildProcess, spawn } from 'node:child_process';
import { Writable } from 'node:stream';
import { clip } from './errors.js';
import { MARKER_VARIABLE, newMarker, sweep } from './process_tree.js';

export interface RunOptions {
  input?: string;
  /** Undefined: no time limit (a build step; cancellation still stops it). */
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Kills the child's whole process group when aborted. */
  signal?: AbortSignal;
  /** Every chunk of output as it comes (a build's log file); the output is then not kept. */
  onOutput?: (chunk: Buffer) => void;
  /**
   * Past this many bytes on stdout or on stderr the child is a flood: its whole tree is killed
   * and the result says `flooded`. Default OUTPUT_LIMIT; what is kept of each stream is at most this.
   */
  outputLimit?: number;
}

/** A child's stdout or stderr past this is a flood (a client, a --version, a probe's report). */
export const OUTPUT_LIMIT = 4 * 1024 * 1024;

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** The abort signal stopped it. */
  aborted?: boolean;
  /** The stream that passed the output limit: the child was killed, and that stream holds its first bytes only. */
  flooded?: 'stdout' | 'stderr';
}

export interface StartedProcess {
  /** Writes the child's whole standard input and closes it. */
  send(input: string): void;
  /** The child's standard input as a stream, for input too large for `send` (a sink if it never started). */
  input: Writable;
  /** Settles when the child has exited; rejects with a SpawnError if it could not be started. */
  done: Promise<RunResult>;
}

/** A program that could not be started, in one line (EMFILE, ENOENT, EACCES, ...). */
export class SpawnError extends Error {
  override name = 'SpawnError';
  constructor(
    readonly command: string,
    readonly code: string | undefined,
  ) {
    super(
      `cannot start ${command}: ${code ? `${code} (${SPAWN_ERRORS[code] ?? 'see the system error'})` : 'unknown error'}`,
    );
  }
}

const SPAWN_ERRORS: Record<string, string> = {
  ENOENT: 'no such file, or its interpreter line names one that does not exist',
  EACCES: 'permission denied: not executable, or on a noexec file system',
  EMFILE: 'too many open files: the file-descriptor limit (ulimit -n) is too low for this step',
  ENFILE: 'too many open files on the system',
  EAGAIN: 'the process limit (ulimit -u) is reached',
  ENOMEM: 'out of memory',
  E2BIG: 'the arguments or environment are too large',
  ENOEXEC: 'not an executable format',
};

/**
 * The last non-empty line of a program's output: what it said last, usually why it failed. It is
 * foreign text on its way to an error line: clipped and made safe for the log (clip()).
 */
export function lastLine(text: string): string | undefined {
  const line = text.trim().split('\n').filter(Boolean).at(-1);
  return line === undefined ? undefined : clip(line, 300);
}

/** A start that failed for lack of a resource (not the program's fault): said as is, not blamed on an input. */
export function isResourceLimit(error: unknown): error is SpawnError {
  return error instanceof SpawnError && ['EMFILE', 'ENFILE', 'EAGAIN', 'ENOMEM'].includes(error.code ?? '');
}

/** Process groups this process started and that have not been reaped (with each one's marker): cancellation kills them. */
const liveGroups = new Map<number, string>();

/**
 * Sends SIGKILL to every process group still running and to every process that left one of
 * them (process_tree.ts) (cancellation). Returns how many groups.
 */
export function killAllGroups(): number {
  const count = liveGroups.size;
  for (const pid of liveGroups.keys()) killGroup(pid);
  sweep([...liveGroups.values()]);
  return count;
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // the group is gone
  }
}

/** After the child exits, how long its pipes may take to deliver what it wrote last. */
const DRAIN_MS = 100;

/**
 * Starts a program without a shell in a process group of its own, its standard input left
 * open until `send`, so it can start up while we prepare its work. Completion is the
 * child's exit, not the close of its pipes: whatever it left behind (a grandchild holding
 * them) is killed with its group. The timeout and the abort signal kill the whole group too,
 * so no caller can leave a process behind.
 */
export function startProcess(
  command: string,
  args: readonly string[],
  options: Omit<RunOptions, 'input'>,
): StartedProcess {
  let child: ChildProcess;
  let failed: Error | undefined;
  const marker = newMarker();
  try {
    child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...(options.env ?? process.env), [MARKER_VARIABLE]: marker },
      stdio: ['pipe', 'pipe', 'pipe'],
      windowsHide: true,
      detached: true,
    });
  } catch (error) {
    // Some failures (EMFILE creating the pipes, a bad cwd) throw instead of emitting.
    failed = new SpawnError(command, (error as NodeJS.ErrnoException).code);
    return {
      send: () => undefined,
      input: new Writable({ write: (_c, _e, next) => next() }),
      done: Promise.reject(failed),
    };
  }
  const pid = child.pid;
  if (pid) liveGroups.set(pid, marker);
  // A child that exits before reading its input must not crash us with EPIPE.
  child.stdin?.on('error', () => undefined);
  const done = new Promise<RunResult>((resolve, reject) => {
    const limit = options.outputLimit ?? OUTPUT_LIMIT;
    // A caller that takes the chunks (a build's log file) keeps them: only their count is kept here.
    const keep = !options.onOutput;
    const out = new Capture(limit, keep);
    const err = new Capture(limit, keep);
    let timedOut = false;
    let aborted = false;
    let flooded: 'stdout' | 'stderr' | undefined;
    const kill = () => {
      if (pid) killGroup(pid);
      sweep([marker]);
    };
    const collect = (into: Capture, stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
      if (flooded) return;
      if (!into.add(chunk)) {
        flooded = stream;
        kill();
      } else options.onOutput?.(chunk);
    };
    child.stdout?.on('data', collect(out, 'stdout'));
    child.stderr?.on('data', collect(err, 'stderr'));
    child.stdout?.on('error', () => undefined);
    child.stderr?.on('error', () => undefined);
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            kill();
          }, options.timeoutMs);
    const onAbort = () => {
      aborted = true;
      kill();
    };
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });
    const settle = () => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    };
    child.once('error', (error: NodeJS.ErrnoException) => {
      settle();
      if (pid) liveGroups.delete(pid);
      // After a start the error is about a pipe or a kill; before, the child never ran.
      reject(pid ? error : new SpawnError(command, error.code));
    });
    child.once('exit', (code, signal) => {
      settle();
      // Whatever the child left running in its group goes with it.
      kill();
      if (pid) liveGroups.delete(pid);
      const finish = () => {
        child.stdout?.destroy();
        child.stderr?.destroy();
        resolve({
          code,
          signal,
          stdout: out.text(),
          stderr: err.text(),
          timedOut,
          aborted,
          ...(flooded ? { flooded } : {}),
        });
      };
      // The pipes usually close with it; a grandchild that held them was just killed.
      const drained = setTimeout(finish, DRAIN_MS);
      child.once('close', () => {
        clearTimeout(drained);
        finish();
      });
    });
  });
  return { send: (input) => child.stdin?.end(input), input: child.stdin!, done };
}

/** Runs a program to completion with the given standard input. */
export function runProcess(command: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
  const { input, ...rest } = options;
  const started = startProcess(command, args, rest);
  started.send(input ?? '');
  return started.done;
}

/**
 * How a finished process ended, for an error line: 'exit code 2', 'killed by SIGKILL (timeout)',
 * 'killed: its stdout passed 4 MiB'.
 */
export function howItEnded(result: Pick<RunResult, 'code' | 'signal' | 'timedOut' | 'aborted' | 'flooded'>): string {
  if (result.flooded) return `killed: its ${result.flooded} passed the output limit`;
  if (result.code !== null) return `exit code ${result.code}`;
  const why = result.timedOut ? ' (timeout)' : result.aborted ? ' (cancelled)' : '';
  return `killed by ${result.signal ?? 'a signal'}${why}`;
}

/** What a flooded child did, in one line: "wrote more than 4 MiB to its stdout and was stopped". */
export function floodLine(result: Pick<RunResult, 'flooded'>, limit = OUTPUT_LIMIT): string {
  return `wrote more than ${mebibytes(limit)} to its ${result.flooded ?? 'output'} and was stopped`;
}

const mebibytes = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MiB`;

/** One stream of a child, counted and (`keep`) kept up to a limit. */
class Capture {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  constructor(
    private readonly limit: number,
    private readonly keep: boolean,
  ) {}

  /** False: this chunk takes the stream past the limit (it is kept up to the limit only). */
  add(chunk: Buffer): boolean {
    const room = this.limit - this.size;
    const kept = chunk.length > room ? chunk.subarray(0, Math.max(0, room)) : chunk;
    if (this.keep && kept.length > 0) this.chunks.push(kept);
    this.size += chunk.length;
    return this.size <= this.limit;
  }

  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}
