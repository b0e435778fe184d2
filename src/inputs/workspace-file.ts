import { constants, type Stats } from 'node:fs';
import { open, realpath } from 'node:fs/promises';
import path from 'node:path';
import { clip, type InputError } from '../shared/errors.js';

/** How a file an input names is read: the input's own refusal, the size allowed, what the file is. */
export interface WorkspaceFileRules {
  /** The input's error: `python-version-file: <why>`. */
  refuse: (why: string) => InputError;
  maxBytes: number;
  /** 'a version file', 'a baseline'. */
  kind: string;
  /** What to give instead, for the line that says the file cannot be read. */
  give: string;
}

/**
 * Where a file an input names really is: inside the workspace once every link is resolved (a
 * file that does not exist yet: its folder), else the input's refusal.
 */
export async function workspacePath(file: string, workspace: string, rules: WorkspaceFileRules): Promise<string> {
  const shown = clip(file, 100);
  const root = await realpath(workspace).catch(() => {
    throw rules.refuse(`the workspace ${clip(workspace, 100)} does not exist; give the file's path inside it.`);
  });
  const wanted = path.resolve(root, path.relative(path.resolve(workspace), path.resolve(workspace, file)));
  const real = await realpath(wanted).catch(async (error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT')
      throw rules.refuse(`cannot read ${shown} (${error.code ?? 'unreadable'}); give ${rules.give}.`);
    const folder = await realpath(path.dirname(wanted)).catch(() => {
      throw rules.refuse(`cannot read ${shown} (ENOENT); give ${rules.give}.`);
    });
    return path.join(folder, path.basename(wanted));
  });
  const inside = path.relative(root, real);
  if (inside.startsWith('..') || path.isAbsolute(inside)) {
    const where = real === wanted ? `${shown} is` : `${shown} resolves to ${clip(real, 100)},`;
    throw rules.refuse(`${where} outside the workspace (${clip(root, 100)}); give a file inside it.`);
  }
  return real;
}

/**
 * The text of a file an input names, read as foreign data: inside the workspace once every
 * link is resolved, a regular file (no FIFO, device or folder), at most `maxBytes` of UTF-8
 * without NUL, read without blocking the event loop; every error clips what it quotes.
 * `missing: true` gives undefined for a file that does not exist (its folder must).
 */
export async function readWorkspaceFile(file: string, workspace: string, rules: WorkspaceFileRules): Promise<string>;
export async function readWorkspaceFile(
  file: string,
  workspace: string,
  rules: WorkspaceFileRules,
  missing: true,
): Promise<string | undefined>;
export async function readWorkspaceFile(
  file: string,
  workspace: string,
  rules: WorkspaceFileRules,
  missing = false,
): Promise<string | undefined> {
  const shown = clip(file, 100);
  const real = await workspacePath(file, workspace, rules);
  // O_NONBLOCK: opening a FIFO does not wait for a writer; O_NOFOLLOW: no link swapped in since.
  const handle = await open(real, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW).catch(
    (error: NodeJS.ErrnoException) => {
      if (missing && error.code === 'ENOENT') return undefined;
      throw rules.refuse(`cannot read ${shown} (${error.code ?? 'unreadable'}); give ${rules.give}.`);
    },
  );
  if (!handle) return undefined;
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw rules.refuse(`${shown} is ${kindOf(info)}, not a regular file; give ${rules.kind}.`);
    const tooLarge = (size: number, more = '') =>
      rules.refuse(
        `${shown} is ${more}${size} bytes; ${rules.kind} is at most ${rules.maxBytes} bytes (${rules.maxBytes / 1024} KiB).`,
      );
    if (info.size > rules.maxBytes) throw tooLarge(info.size);
    // Read at most one byte more than allowed: a file that grows while read is refused too.
    const buffer = Buffer.alloc(rules.maxBytes + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > rules.maxBytes) throw tooLarge(length, 'more than ');
    }
    const bytes = buffer.subarray(0, length);
    const notText = () => rules.refuse(`${shown} is not text (${rules.kind} is UTF-8 without NUL bytes).`);
    if (bytes.includes(0)) throw notText();
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw notText();
    }
  } finally {
    await handle.close();
  }
}

function kindOf(info: Stats): string {
  if (info.isDirectory()) return 'a directory';
  if (info.isFIFO()) return 'a FIFO';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  if (info.isSocket()) return 'a socket';
  return 'not a file';
}
