import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as core from '@actions/core';

export interface DownloadOptions {
  attempts?: number;
  /** Milliseconds before the first retry; doubles each time. */
  backoffMs?: number;
}

/** The input a checksum came from, so a mismatch names what to fix. */
export interface ExpectedDigest {
  sha256: string;
  input: string;
}

/**
 * Downloads `url` to `dest`, retrying network failures and 5xx/429 answers with backoff.
 * A file: URL or an absolute path is copied (an artifact already downloaded by the workflow).
 */
export async function download(url: string, dest: string, options: DownloadOptions = {}): Promise<void> {
  await mkdir(path.dirname(dest), { recursive: true });
  if (url.startsWith('file:') || path.isAbsolute(url)) {
    await copyFile(url.startsWith('file:') ? fileURLToPath(url) : url, dest);
    return;
  }
  const attempts = options.attempts ?? 4;
  let wait = options.backoffMs ?? 2000;
  for (let attempt = 1; ; attempt++) {
    try {
      await fetchTo(url, dest);
      return;
    } catch (error) {
      await rm(dest, { force: true });
      const permanent = error instanceof HttpError && error.status >= 400 && error.status < 500 && error.status !== 429;
      if (permanent || attempt >= attempts) {
        throw new Error(`download of ${url} failed after ${attempt} attempt(s): ${error instanceof Error ? error.message : String(error)}`);
      }
      core.info(`download attempt ${attempt} failed (${error instanceof Error ? error.message : String(error)}); retrying in ${wait / 1000} s`);
      await new Promise((r) => setTimeout(r, wait));
      wait *= 2;
    }
  }
}

/**
 * Checks a downloaded file's SHA-256 before anything may extract it. On a mismatch the file
 * is deleted and the error names the input, the expected and the actual digest.
 */
export async function verifyDigest(file: string, url: string, expected: ExpectedDigest): Promise<void> {
  const actual = await sha256File(file);
  if (actual !== expected.sha256.toLowerCase()) {
    await rm(file, { force: true });
    throw new Error(`${expected.input}: checksum mismatch for ${url}: expected ${expected.sha256.toLowerCase()}, got ${actual}. Nothing was extracted or cached.`);
  }
  core.info(`sha256 ${actual} verified`);
}

class HttpError extends Error {
  constructor(readonly status: number, url: string) {
    super(`HTTP ${status} from ${url}`);
  }
}

async function fetchTo(url: string, dest: string): Promise<void> {
  const response = await fetch(url, { redirect: 'follow', signal: AbortSignal.timeout(15 * 60_000) });
  if (!response.ok || !response.body) throw new HttpError(response.status, url);
  const total = Number(response.headers.get('content-length') ?? 0);
  let received = 0;
  let nextReport = 0.25;
  const started = performance.now();
  const body = Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>);
  body.on('data', (chunk: Buffer) => {
    received += chunk.length;
    if (total && received / total >= nextReport) {
      core.info(`  ${Math.round((received / total) * 100)}% of ${(total / 1048576).toFixed(1)} MiB`);
      nextReport += 0.25;
    }
  });
  await pipeline(body, createWriteStream(dest));
  const secs = (performance.now() - started) / 1000;
  core.info(`downloaded ${(received / 1048576).toFixed(1)} MiB in ${secs.toFixed(1)} s from ${url}`);
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}
