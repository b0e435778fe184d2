import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import path from 'node:path';
import * as io from '@actions/io';
import { clip } from '../../shared/errors.js';
import { floodLine, howItEnded, isResourceLimit, type RunResult, runProcess } from '../../shared/process.js';
import { ClientStartError } from './client.js';

/**
 * A program as the user named it: a path (it must be an executable file) or a command name
 * looked up on PATH. Whether it is the program it should be is for its client to find out.
 * `advice`: what to give instead, said after what is wrong.
 */
export async function findExecutable(given: string, advice: string): Promise<string> {
  if (!given.includes('/') && !given.includes(path.sep)) {
    const found = await io.which(given, false);
    if (!found) throw new ClientStartError(`'${clip(given, 100)}' is not on PATH`, advice);
    return found;
  }
  const full = path.resolve(given);
  const info = await stat(full).catch(() => undefined);
  const shown = clip(full, 200);
  if (!info) throw new ClientStartError(`${shown} does not exist`, advice);
  if (!info.isFile()) throw new ClientStartError(`${shown} is not a file`, advice);
  await access(full, constants.X_OK).catch(() => {
    throw new ClientStartError(`${shown} is not executable`, advice);
  });
  return full;
}

const VERSION_TIMEOUT_MS = 10_000;

/** 'exited 2', 'was killed by SIGSEGV'. */
const endedLine = (result: RunResult) => (result.code !== null ? `exited ${result.code}` : `was ${howItEnded(result)}`);

/** Runs `binary args` for its self-description (curl --version, openssl version). */
export async function askVersion(binary: string, args: string[], what: string, signal: AbortSignal): Promise<string> {
  const result = await runProcess(binary, args, { timeoutMs: VERSION_TIMEOUT_MS, signal }).catch(
    (error: NodeJS.ErrnoException) => {
      if (isResourceLimit(error)) throw error;
      throw new ClientStartError(`cannot run ${binary} (${error.code ?? error.message})`, `give the path to ${what}.`);
    },
  );
  const asked = `${binary} ${args.join(' ')}`;
  if (result.flooded) throw new ClientStartError(`${asked} ${floodLine(result)}`, `is it ${what}?`);
  if (result.timedOut)
    throw new ClientStartError(`${asked} did not answer within ${VERSION_TIMEOUT_MS / 1000} s`, `is it ${what}?`);
  if (result.code !== 0) throw new ClientStartError(`${asked} ${endedLine(result)}`, `is it ${what}?`);
  return result.stdout.trim();
}
