import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import path from 'node:path';
import * as io from '@actions/io';
import { InputError } from '../../errors.js';
import { isResourceLimit, runProcess } from '../../process/run.js';

/**
 * Resolves `client-path` (or the client's default name on PATH) to an executable file.
 * Whether it is the program it should be is for the client to find out.
 */
export async function resolveClientBinary(given: string, what: string): Promise<string> {
  if (!given.includes('/') && !given.includes(path.sep)) {
    const found = await io.which(given, false);
    if (!found) throw new InputError(`client-path: '${given}' is not on PATH; give the path to ${what}.`);
    return found;
  }
  const full = path.resolve(given);
  const info = await stat(full).catch(() => undefined);
  if (!info) throw new InputError(`client-path: ${full} does not exist; give the path to ${what}.`);
  if (!info.isFile()) throw new InputError(`client-path: ${full} is not a file; give the path to ${what}.`);
  await access(full, constants.X_OK).catch(() => {
    throw new InputError(`client-path: ${full} is not executable; give the path to ${what}.`);
  });
  return full;
}

/** Runs `binary args` for its self-description (curl --version, openssl version). */
export async function askVersion(binary: string, args: string[], what: string, signal: AbortSignal): Promise<string> {
  const result = await runProcess(binary, args, { timeoutMs: 10_000, signal }).catch((error: NodeJS.ErrnoException) => {
    if (isResourceLimit(error)) throw error;
    throw new InputError(`client-path: cannot run ${binary} (${error.code ?? error.message}); give the path to ${what}.`);
  });
  if (result.code !== 0) {
    throw new InputError(`client-path: ${binary} ${args.join(' ')} exited ${result.code}; is it ${what}?`);
  }
  return result.stdout.trim();
}
