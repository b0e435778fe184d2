import { spawn } from 'node:child_process';

export interface RunOptions {
  input?: string;
  timeoutMs: number;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Kills the child when aborted. */
  signal?: AbortSignal;
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export interface StartedProcess {
  /** Writes the child's whole standard input and closes it. */
  send(input: string): void;
  /** Settles when the child has exited; rejects if it could not be started. */
  done: Promise<RunResult>;
}

/**
 * Starts a program without a shell, its standard input left open until `send`, so it can
 * start up while we prepare its work. The child is killed when the timeout passes or the
 * signal aborts, so no caller can leave one behind.
 */
export function startProcess(command: string, args: readonly string[], options: Omit<RunOptions, 'input'>): StartedProcess {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['pipe', 'pipe', 'pipe'],
    windowsHide: true,
  });
  // A child that exits before reading its input must not crash us with EPIPE.
  child.stdin.on('error', () => undefined);
  const done = new Promise<RunResult>((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const kill = () => child.kill('SIGKILL');
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, options.timeoutMs);
    if (options.signal?.aborted) kill();
    options.signal?.addEventListener('abort', kill, { once: true });
    const settle = () => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', kill);
    };
    child.once('error', (error) => {
      settle();
      reject(error);
    });
    child.once('close', (code, signal) => {
      settle();
      resolve({ code, signal, stdout, stderr, timedOut });
    });
  });
  return { send: (input) => child.stdin.end(input), done };
}

/** Runs a program to completion with the given standard input. */
export function runProcess(command: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
  const { input, ...rest } = options;
  const started = startProcess(command, args, rest);
  started.send(input ?? '');
  return started.done;
}
