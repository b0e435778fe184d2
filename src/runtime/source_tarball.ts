import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import * as core from '@actions/core';
import { Unusable } from '../shared/errors.js';
import { howItEnded, runProcess } from '../shared/process.js';
import { sha256File } from '../shared/sha256.js';
import { download, verifyDigest } from './download.js';
import type { SourceSpec } from './model/plan.js';
import { tarProblem } from './tar.js';

/**
 * Downloads a source tarball, verifies its checksum, and only then extracts it into
 * `workDir/src` (top folder stripped). Returns the source folder.
 */
export async function fetchSource(source: SourceSpec, workDir: string): Promise<string> {
  const archive = path.join(workDir, path.basename(new URL(source.url).pathname) || `${source.name}-source`);
  await download(source.url, archive, { kind: 'source', subject: `${source.name}-source` });
  if (source.sha256) {
    await verifyDigest(archive, source.url, { sha256: source.sha256, subject: `${source.name}-checksum` });
  } else {
    const digest = await sha256File(archive);
    core.warning(
      `UNVERIFIED SOURCE: ${source.url} is used without a checksum because allow-unverified-source is true. Its SHA-256 is ${digest}; pin it with '${source.name}-sha256: ${digest}'.`,
    );
  }
  const srcDir = path.join(workDir, 'src');
  await mkdir(srcDir, { recursive: true });
  // tar recognises gzip and xz by their magic bytes, whatever the file is called.
  const tar = await runProcess('tar', ['-xf', archive, '-C', srcDir, '--strip-components=1'], {
    timeoutMs: 10 * 60_000,
  });
  if (tar.code !== 0)
    throw new Unusable(
      `${source.name}-source`,
      `cannot extract ${source.url}: tar ${howItEnded(tar)}: ${tarProblem(tar.stderr)}`,
    );
  return srcDir;
}
