import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { copyFile, mkdir, rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import * as core from '@actions/core';
import { HttpClient } from '@actions/http-client';
import { clip } from '../shared/errors.js';

export interface DownloadOptions {
  /** The input the URL came from, named in errors. */
  input?: string;
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
    const file = url.startsWith('file:') ? fileURLToPath(url) : url;
    try {
      await copyFile(file, dest);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'does not exist' : code === 'EISDIR' ? 'is a folder' : `cannot be read (${code})`;
      throw new Error(
        `${options.input ? `${options.input}: ` : ''}${file} ${why}; give the path of the file, or an http(s) URL.`,
      );
    }
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
      const permanent = (error instanceof HttpError && error.permanent) || error instanceof RedirectError;
      if (permanent || attempt >= attempts) {
        throw new Error(
          `download of ${url} failed after ${attempt} attempt(s): ${error instanceof Error ? error.message : String(error)}`,
        );
      }
      core.info(
        `download attempt ${attempt} failed (${error instanceof Error ? error.message : String(error)}); retrying in ${wait / 1000} s`,
      );
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
    throw new Error(
      `${expected.input}: checksum mismatch for ${url}: expected ${expected.sha256.toLowerCase()}, got ${actual}. Nothing was extracted or cached.`,
    );
  }
  core.info(`sha256 ${actual} verified`);
}

/** A redirect that cannot be followed (not http(s), from https to http, a loop): retrying cannot help. */
class RedirectError extends Error {}

class HttpError extends Error {
  /** 4xx (but 429) and refused redirects: retrying cannot help. */
  readonly permanent: boolean;
  constructor(
    readonly status: number,
    url: string,
    permanent = status >= 400 && status < 500 && status !== 429,
  ) {
    super(`HTTP ${status} from ${url}`);
    this.permanent = permanent;
  }
}

// @actions/http-client rather than fetch(): it honours the runner's https_proxy/no_proxy,
// and the undici that @actions/* bundle installs itself as fetch's global dispatcher and
// crashes the process when a server closes the connection right after the body
// (nodejs/undici#5360: python -m http.server, nginx without keep-alive). Redirects are
// followed here because the client rejects a relative Location, which RFC 9110 allows.
async function fetchTo(url: string, dest: string): Promise<void> {
  const client = new HttpClient('tls-floor', [], { socketTimeout: 60_000, keepAlive: false, allowRedirects: false });
  try {
    const response = await follow(client, url);
    const total = Number(response.headers['content-length'] ?? 0);
    let received = 0;
    let nextReport = 0.25;
    const started = performance.now();
    response.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (total && received / total >= nextReport) {
        core.info(`  ${Math.round((received / total) * 100)}% of ${(total / 1048576).toFixed(1)} MiB`);
        nextReport += 0.25;
      }
    });
    await pipeline(response, createWriteStream(dest));
    if (total && received !== total) throw new Error(`connection closed after ${received} of ${total} bytes`);
    const secs = (performance.now() - started) / 1000;
    core.info(`downloaded ${(received / 1048576).toFixed(1)} MiB in ${secs.toFixed(1)} s from ${url}`);
  } finally {
    client.dispose();
  }
}

async function follow(client: HttpClient, url: string): Promise<IncomingMessage> {
  let current = new URL(url);
  const seen = new Set([current.href]);
  for (let hops = 0; hops <= 10; hops++) {
    const { message } = await client.get(current.href);
    const status = message.statusCode ?? 0;
    if (status === 200) return message;
    message.resume();
    const location = message.headers.location;
    if (status < 300 || status >= 400 || !location) throw new HttpError(status, current.href);
    let next: URL;
    try {
      next = new URL(location, current);
    } catch {
      throw new RedirectError(
        `HTTP ${status} from ${current.href} redirects to '${clip(location, 200)}', which is not a URL`,
      );
    }
    if (next.protocol !== 'https:' && next.protocol !== 'http:') {
      throw new RedirectError(
        `HTTP ${status} from ${current.href} redirects to ${clip(next.href, 200)}: only http(s) redirects are followed`,
      );
    }
    // A checksum still guards the bytes, but an https source must not be fetched in clear.
    if (current.protocol === 'https:' && next.protocol !== 'https:') {
      throw new RedirectError(
        `HTTP ${status} from ${current.href}: refused redirect from https to ${clip(next.href, 200)}`,
      );
    }
    if (seen.has(next.href))
      throw new RedirectError(`HTTP ${status} from ${current.href}: redirect loop back to ${clip(next.href, 200)}`);
    seen.add(next.href);
    current = next;
  }
  throw new RedirectError(`more than 10 redirects from ${url}`);
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}
