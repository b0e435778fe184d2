import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { describeError } from '../../shared/errors.js';
import { howItEnded, startProcess } from '../../shared/process.js';
import { tarProblem } from '../tar.js';
import { type Compression, decompressor, STREAM_CHUNK } from './format.js';

/**
 * Unpacks exactly the given folders (checked by memberProblem) into the tool cache root: the
 * archive is decompressed again, here, into tar's standard input (a second decompression
 * costs less than writing, and reading back, a plain copy of the whole tar).
 */
export async function extractMembers(
  archive: string,
  compression: Compression,
  folders: readonly string[],
  root: string,
): Promise<void> {
  const tar = startProcess('tar', ['-xf', '-', '--no-same-owner', '-C', root, ...folders], {
    timeoutMs: 15 * 60_000,
  });
  const fed = pipeline(
    createReadStream(archive, { highWaterMark: STREAM_CHUNK }),
    decompressor(compression),
    tar.input,
  ).then(
    () => undefined,
    (error: unknown) => error,
  );
  const [result, feedError] = await Promise.all([tar.done, fed]);
  if (result.code !== 0)
    throw new Error(`cannot extract ${archive}: tar ${howItEnded(result)}: ${tarProblem(result.stderr)}`);
  // tar exits at the end-of-archive blocks, so what follows them (a record's padding, or
  // more) may meet a closed pipe; tar's success is then the answer. Any other failure of the
  // feed (a corrupt stream, a read error) still fails the extraction.
  if (feedError && !closedPipe(feedError)) throw new Error(`cannot extract ${archive}: ${describeError(feedError)}`);
}

function closedPipe(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'EPIPE' || code === 'ERR_STREAM_PREMATURE_CLOSE' || code === 'ERR_STREAM_DESTROYED';
}
