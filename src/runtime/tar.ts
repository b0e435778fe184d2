import { clip } from '../shared/errors.js';

// tar, the program: it unpacks the source tarballs (source_tarball.ts) and packs and unpacks
// the runtime archives (archive/pack.ts, archive/extract.ts).

/** The line of tar's complaint that says what went wrong (not 'Exiting with failure status'). */
export function tarProblem(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const meaningful = lines.filter(
    (l) => !/Exiting with failure status|Error is not recoverable|Error exit delayed|Removing leading/.test(l),
  );
  return clip((meaningful[0] ?? lines[lines.length - 1] ?? 'no message').replace(/^(\S*\/)?(bsd)?tar: /, ''), 300);
}
