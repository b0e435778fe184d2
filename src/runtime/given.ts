import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import path from 'node:path';
import * as io from '@actions/io';
import { InputError } from '../errors.js';

/**
 * Resolves `python-path`: a path (must exist and be executable) or a command name looked
 * up on PATH. Whether it is a usable Python is for the probe to find out.
 */
export async function resolveGivenInterpreter(given: string): Promise<string> {
  const isPath = given.includes('/') || given.includes(path.sep);
  if (!isPath) {
    const found = await io.which(given, false);
    if (!found) throw new InputError(`python-path: '${given}' is not on PATH; give a path to a Python >= 3.6 interpreter or a command name on PATH.`);
    return found;
  }
  const full = path.resolve(given);
  const info = await stat(full).catch(() => undefined);
  if (!info) throw new InputError(`python-path: ${full} does not exist; give a path to a Python >= 3.6 interpreter or a command name on PATH.`);
  if (!info.isFile()) throw new InputError(`python-path: ${full} is not a file; give a path to a Python >= 3.6 interpreter.`);
  try {
    await access(full, constants.X_OK);
  } catch {
    throw new InputError(`python-path: ${full} is not executable; give a path to a Python >= 3.6 interpreter.`);
  }
  return full;
}
