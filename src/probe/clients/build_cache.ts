import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import path from 'node:path';
import { tempRoot, workFolder } from '../../shared/cancellation.js';
import { clip } from '../../shared/errors.js';
import { howItEnded, isResourceLimit, type RunResult, runProcess } from '../../shared/process.js';
import { ClientStartError } from './client.js';
import { tail } from './tls_errors.js';

/** Where the probe programs built for a runtime are kept: the run's temporary root (RUNNER_TEMP in Actions). */
export function buildRoot(): string {
  return path.join(tempRoot(), 'tls-floor-clients');
}

/** The first hex digits of a text's SHA-256: a cache key part. */
export function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/**
 * The folder `key` under buildRoot(), built once: `build` fills a fresh folder, which then takes
 * the key's name if it holds `product` (a run that built it at the same time keeps the first). A
 * folder of that name is complete: it only ever appears by that rename.
 */
export async function cachedBuild(
  key: string,
  product: { file: string; program: string; advice: string },
  build: (dir: string) => Promise<void>,
): Promise<string> {
  const root = buildRoot();
  const dir = path.join(root, key);
  if (existsSync(dir)) return dir;
  await mkdir(root, { recursive: true });
  // A cancelled run removes the unfinished folder (and kills the build's process group).
  const folder = await workFolder(root, `.${key}-`);
  const work = folder.path;
  try {
    await build(work);
    // A step that exits 0 without building (a program that is no compiler) must not fill the cache.
    if (!existsSync(path.join(work, product.file)))
      throw new ClientStartError(`${product.program} built no ${product.file} (it exited 0)`, product.advice);
    await rename(work, dir).catch((error: NodeJS.ErrnoException) => {
      if (!existsSync(dir)) throw error;
    });
  } finally {
    await folder.remove();
  }
  return dir;
}

/**
 * Runs a step of a probe program's build (go build, javac) with a time limit; a failure is the
 * runtime's failure to start, with the last lines it printed.
 */
export async function buildStep(
  program: string,
  args: string[],
  options: {
    /** What the step does, for its failure: 'compiling the probe (javac)'. */
    step: string;
    env?: NodeJS.ProcessEnv;
    cwd?: string;
    signal: AbortSignal;
    timeoutMs: number;
    advice: string;
  },
): Promise<RunResult> {
  const { advice, step, ...run } = options;
  const result = await runProcess(program, args, { ...run, outputLimit: 1024 * 1024 }).catch(
    (error: NodeJS.ErrnoException) => {
      if (isResourceLimit(error)) throw error;
      throw new ClientStartError(`cannot run ${program} (${error.code ?? error.message})`, advice);
    },
  );
  if (result.flooded) throw new ClientStartError(`${program}: ${step} wrote more than 1 MiB and was killed`, advice);
  if (result.code !== 0) {
    const said = clip(tail(result.stderr || result.stdout, 2), 300);
    throw new ClientStartError(`${program}: ${step} failed (${howItEnded(result)}${said ? `: ${said}` : ''})`, advice);
  }
  return result;
}
