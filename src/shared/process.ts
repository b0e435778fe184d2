import { type ChildProcess, spawn } from 'node:child_process';
import { Writable } from 'node:stream';

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
  /** The most output (stdout and stderr together) kept; more kills the child (`overflowed`). */
  maxOutputBytes?: number;
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** The abort signal stopped it. */
  aborted?: boolean;
  /** It wrote more than maxOutputBytes and was killed. */
  overflowed?: boolean;
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

/** The last non-empty line of a program's output: what it said last, usually why it failed. */
export function lastLine(text: string): string | undefined {
  return text.trim().split('\n').filter(Boolean).at(-1);
}

/** A start that failed for lack of a resource (not the program's fault): said as is, not blamed on an input. */
export function isResourceLimit(error: unknown): error is SpawnError {
  return error instanceof SpawnError && ['EMFILE', 'ENFILE', 'EAGAIN', 'ENOMEM'].includes(error.code ?? '');
}

/** Process groups this process started and that have not been reaped: cancellation kills them. */
const liveGroups = new Set<number>();

/** Sends SIGKILL to every process group still running (cancellation). Returns how many. */
export function killAllGroups(): number {
  const count = liveGroups.size;
  for (const pid of liveGroups) killGroup(pid);
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
  try {
    child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
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
  if (pid) liveGroups.add(pid);
  // A child that exits before reading its input must not crash us with EPIPE.
  child.stdin?.on('error', () => undefined);
  const done = new Promise<RunResult>((resolve, reject) => {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    let aborted = false;
    let kept = 0;
    let overflowed = false;
    const collect = (into: Buffer[]) => (chunk: Buffer) => {
      if (options.onOutput) return options.onOutput(chunk);
      if (options.maxOutputBytes !== undefined && kept + chunk.length > options.maxOutputBytes) {
        if (!overflowed) kill();
        overflowed = true;
        return;
      }
      kept += chunk.length;
      into.push(chunk);
    };
    child.stdout?.on('data', collect(out));
    child.stderr?.on('data', collect(err));
    child.stdout?.on('error', () => undefined);
    child.stderr?.on('error', () => undefined);
    const kill = () => {
      if (pid) killGroup(pid);
    };
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
          stdout: Buffer.concat(out).toString('utf8'),
          stderr: Buffer.concat(err).toString('utf8'),
          timedOut,
          aborted,
          ...(overflowed ? { overflowed } : {}),
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

/** How a finished process ended, for an error line: 'exit code 2', 'killed by SIGKILL (timeout)'. */
export function howItEnded(result: Pick<RunResult, 'code' | 'signal' | 'timedOut' | 'aborted'>): string {
  if (result.code !== null) return `exit code ${result.code}`;
  const why = result.timedOut ? ' (timeout)' : result.aborted ? ' (cancelled)' : '';
  return `killed by ${result.signal ?? 'a signal'}${why}`;
}
