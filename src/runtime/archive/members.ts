import path from 'node:path';
import { clip } from '../../shared/errors.js';
import type { BuildPlan } from '../model/plan.js';
import { semverOf } from '../toolcache.js';
import type { ArchiveMember } from './list.js';

/** The folders of the plan's entries, relative to the tool-cache root: the only members allowed. */
export function memberFolders(plan: BuildPlan): string[] {
  return [plan.openssl.entry, plan.python.entry].map((e) => path.posix.join(e.tool, semverOf(e.version), e.variant));
}

/**
 * Why the archive's members cannot be unpacked into exactly these folders, or undefined.
 * Refused: a name with '..' or an absolute name, a name outside the folders, a name given
 * twice (but a folder), a member below a link (nothing is
 * written through a link), a link that leads out of its folder, followed as the file system
 * would follow it (links to links, '..' after a link) over the links the archive makes,
 * and anything but files, folders and links.
 */
export function memberProblem(members: readonly ArchiveMember[], folders: readonly string[]): string | undefined {
  const links = new Map(
    members.filter((m) => m.type === 'SymbolicLink').map((m) => [clean(m.path), m.linkpath ?? ''] as const),
  );
  const seen = new Set<string>();
  for (const member of members) {
    const name = member.path;
    const shown = clip(name, 100);
    if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return `member '${shown}' has an absolute name`;
    if (name.split('/').includes('..')) return `member '${shown}' contains '..'`;
    const rel = clean(name);
    const folder = folders.find((f) => rel === f || rel.startsWith(`${f}/`));
    if (!folder) {
      // The parents of the folders (tls-floor-python/, tls-floor-python/3.11.2/) may be listed.
      if (member.type === 'Directory' && folders.some((f) => f.startsWith(`${rel}/`))) continue;
      return `member '${shown}' is outside the folders its manifest names (${folders.join(', ')})`;
    }
    if (rel === folder && member.type !== 'Directory') return `member '${shown}' is a ${member.type}, not a folder`;
    const parts = rel.split('/');
    for (let i = 1; i < parts.length; i++) {
      if (links.has(parts.slice(0, i).join('/')))
        return `member '${shown}' lies below the link ${parts.slice(0, i).join('/')}`;
    }
    const problem = linkProblem(member, parts, folder, links);
    if (problem) return `member '${shown}' ${problem}`;
    if (seen.has(rel) && member.type !== 'Directory') return `member '${shown}' is given twice`;
    seen.add(rel);
  }
  return undefined;
}

function linkProblem(
  member: ArchiveMember,
  parts: string[],
  folder: string,
  links: ReadonlyMap<string, string>,
): string | undefined {
  const target = member.linkpath ?? '';
  const within = folder.split('/');
  if (member.type === 'SymbolicLink') {
    if (target.startsWith('/') || !follow(parts.slice(0, -1), target, within, links, true))
      return `is a symbolic link to '${clip(target, 100)}', outside its folder`;
  } else if (member.type === 'Link') {
    // tar names a hard link's target from the root; link(2) follows links on the way there.
    const lexical = clean(target);
    const inside = !target.startsWith('/') && !target.split('/').includes('..') && lexical.startsWith(`${folder}/`);
    const reached = inside ? follow(within, lexical.slice(folder.length + 1), within, links, false) : undefined;
    if (reached?.join('/') !== lexical) return `is a hard link to '${clip(target, 100)}', outside its folder`;
  } else if (!['File', 'OldFile', 'ContiguousFile', 'Directory'].includes(member.type)) {
    return `is a ${member.type}, not a file, folder or link`;
  }
  return undefined;
}

/** The kernel's limit on links followed in one path (Linux: 40). */
const MAX_LINK_HOPS = 40;

/**
 * Where `target`, taken from the folder `from`, leads over the archive's links (every link
 * met on the way is followed, the last one only if `followLast`), or undefined when any step
 * of the way leaves `within` or too many links are followed: what the file system would do
 * once the archive is unpacked, decided before anything is.
 */
function follow(
  from: readonly string[],
  target: string,
  within: readonly string[],
  links: ReadonlyMap<string, string>,
  followLast: boolean,
): string[] | undefined {
  const at = [...from];
  const pending = target.split('/').filter((p) => p !== '' && p !== '.');
  let hops = 0;
  while (pending.length > 0) {
    const part = pending.shift()!;
    if (part === '..') at.pop();
    else at.push(part);
    if (at.length < within.length || within.some((p, i) => at[i] !== p)) return undefined;
    const link = links.get(at.join('/'));
    if (link === undefined || (pending.length === 0 && !followLast)) continue;
    if (++hops > MAX_LINK_HOPS || link.startsWith('/')) return undefined;
    at.pop();
    pending.unshift(...link.split('/').filter((p) => p !== '' && p !== '.'));
  }
  return at;
}

const clean = (name: string) =>
  name
    .split('/')
    .filter((p) => p !== '' && p !== '.')
    .join('/');
