import { constants, createWriteStream } from 'node:fs';
import { mkdir, open, rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import * as core from '@actions/core';
import { HttpClient } from '@actions/http-client';
import { clip, describeError, type Subject, Unusable } from '../shared/errors.js';
import { sha256File } from '../shared/sha256.js';
import { DOWNLOAD_LIMITS, type DownloadKind, type DownloadLimits, sizeText } from './limits.js';

export interface DownloadOptions extends Partial<Omit<DownloadLimits, 'label'>> {
  /** What the URL is (the action names the input it came from). */
  subject?: Subject;
  /** Where a tighter `maxBytes` comes from, said when it is hit ('the size the index gives'). */
  capFrom?: string;
  /** Which limits apply (limits.ts); the other fields override one of them (an index's `bytes`, a test's deadline). */
  kind: DownloadKind;
}

/** The checksum, and what it is (the action names the input it came from), so a mismatch says what to fix. */
export interface ExpectedDigest {
  sha256: string;
  subject: Subject;
}

/**
 * Downloads `url` to `dest`, retrying network failures and 5xx/429 answers with backoff,
 * within the kind's limits (limits.ts): at most `maxBytes` written, every attempt and wait
 * over by `deadlineMs`, a progress line every `progressMs`. A file: URL or an absolute path
 * is copied (an artifact already downloaded by the workflow) if it is a regular file within
 * the byte limit. On any failure `dest` is gone.
 */
export async function download(url: string, dest: string, options: DownloadOptions): Promise<void> {
  const { label, ...defaults } = DOWNLOAD_LIMITS[options.kind];
  const limits = {
    ...defaults,
    ...withoutUndefined(options),
    ...(options.capFrom ? { capFrom: options.capFrom } : {}),
  };
  await mkdir(path.dirname(dest), { recursive: true });
  if (url.startsWith('file:') || path.isAbsolute(url)) {
    try {
      return await copyLocal(url.startsWith('file:') ? fileURLToPath(url) : url, dest, { ...limits, label });
    } catch (error) {
      await rm(dest, { force: true });
      const line = (error as Error).message;
      throw options.subject ? new Unusable(options.subject, line) : new Error(line);
    }
  }
  const started = performance.now();
  const deadline = started + limits.deadlineMs;
  let wait = limits.backoffMs;
  for (let attempt = 1; ; attempt++) {
    try {
      await fetchTo(url, dest, { ...limits, deadline, label });
      return;
    } catch (error) {
      await rm(dest, { force: true });
      const message = describeError(error);
      const final = error instanceof HttpError ? error.permanent : error instanceof PermanentError;
      if (final || attempt >= limits.attempts || performance.now() + wait >= deadline) {
        const secs = ((performance.now() - started) / 1000).toFixed(1);
        throw new Error(`download of ${clip(url, 300)} failed after ${attempt} attempt(s) in ${secs} s: ${message}`);
      }
      core.info(
        `download attempt ${attempt} of ${limits.attempts} failed (${message}); retrying in ${wait / 1000} s (${label} gets ${limits.deadlineMs / 1000} s in all)`,
      );
      await new Promise((r) => setTimeout(r, wait));
      wait *= 2;
    }
  }
}

const withoutUndefined = (options: DownloadOptions): Partial<DownloadLimits> => {
  const { subject: _subject, kind: _kind, capFrom: _capFrom, ...rest } = options;
  return Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
};

/**
 * Copies a local file: opened without blocking (a FIFO with no writer would block a plain
 * open forever), refused unless it is a regular file, and cut at `maxBytes` while copying
 * (a file that grows).
 */
async function copyLocal(
  file: string,
  dest: string,
  limits: Pick<AttemptLimits, 'maxBytes' | 'label' | 'capFrom'>,
): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : `cannot be read (${code})`;
    throw new Error(`${file} ${why}; give the path of the file, or an http(s) URL.`);
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) {
      const what = info.isDirectory()
        ? 'is a folder'
        : info.isFIFO()
          ? 'is a FIFO'
          : info.isSocket()
            ? 'is a socket'
            : 'is a device';
      throw new Error(`${file} ${what}; give the path of the file, or an http(s) URL.`);
    }
    if (info.size > limits.maxBytes) throw new Error(`${file} holds ${info.size} bytes, ${capText(limits)}.`);
    await pipeline(handle.createReadStream({ autoClose: false }), byteCap(limits), createWriteStream(dest));
  } finally {
    await handle.close();
  }
}

/** The byte limit in words: '1000 bytes (the size the index gives)', '512 MiB, the most a source tarball may have'. */
const capText = (limits: Pick<AttemptLimits, 'maxBytes' | 'label' | 'capFrom'>) =>
  limits.capFrom
    ? `more than ${limits.maxBytes} bytes (${limits.capFrom})`
    : `more than ${sizeText(limits.maxBytes)}, the most ${limits.label} may have`;

/** Passes bytes until more than `maxBytes` arrive; then fails without writing the chunk that is too many. */
function byteCap(
  limits: Pick<AttemptLimits, 'maxBytes' | 'label' | 'capFrom'>,
  counted?: (received: number) => void,
): Transform {
  let received = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      received += chunk.length;
      counted?.(received);
      if (received > limits.maxBytes)
        done(new PermanentError(`${capText(limits)}: stopped after ${received - chunk.length} bytes`));
      else done(null, chunk);
    },
  });
}

/**
 * Checks a downloaded file's SHA-256 before anything may extract it. On a mismatch the file
 * is deleted and the refusal says the expected and the actual digest.
 */
export async function verifyDigest(file: string, url: string, expected: ExpectedDigest): Promise<void> {
  const actual = await sha256File(file);
  if (actual !== expected.sha256.toLowerCase()) {
    await rm(file, { force: true });
    throw new Unusable(
      expected.subject,
      `checksum mismatch for ${url}: expected ${expected.sha256.toLowerCase()}, got ${actual}. Nothing was extracted or cached.`,
    );
  }
  core.info(`sha256 ${actual} verified`);
}

/** Retrying cannot help: a refused redirect (not http(s), https to http, a loop), a byte limit, the deadline. */
class PermanentError extends Error {}

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
async function fetchTo(url: string, dest: string, limits: AttemptLimits): Promise<void> {
  const client = new HttpClient('tls-floor', [], {
    socketTimeout: limits.idleMs,
    keepAlive: false,
    allowRedirects: false,
  });
  const started = performance.now();
  let received = 0;
  let total = 0;
  let response: IncomingMessage | undefined;
  let expired: PermanentError | undefined;
  // The deadline ends a slow body and a server that never answers alike: destroying the
  // client's sockets ends a pending request, destroying the response ends its pipeline.
  const deadline = setTimeout(
    () => {
      expired = new PermanentError(
        `not done within ${limits.deadlineMs / 1000} s, the time ${limits.label} gets (${sizeText(received)} received)`,
      );
      response?.destroy(expired);
      client.dispose();
    },
    Math.max(0, limits.deadline - performance.now()),
  );
  const progress = setInterval(() => {
    const secs = ((performance.now() - started) / 1000).toFixed(0);
    core.info(
      response
        ? `  ${sizeText(received)}${total ? ` of ${sizeText(total)}` : ''} after ${secs} s`
        : `  no answer yet after ${secs} s`,
    );
  }, limits.progressMs);
  try {
    response = await follow(client, url);
    total = Number(response.headers['content-length'] ?? 0);
    if (total > limits.maxBytes)
      throw new PermanentError(`the server announces ${total} bytes, ${capText(limits)}; nothing was written`);
    let nextReport = 0.25;
    const counted = (bytes: number) => {
      received = bytes;
      if (total && received / total >= nextReport) {
        core.info(`  ${Math.round((received / total) * 100)}% of ${sizeText(total)}`);
        nextReport += 0.25;
      }
    };
    await pipeline(response, byteCap(limits, counted), createWriteStream(dest));
    if (total && received !== total) throw new Error(`connection closed after ${received} of ${total} bytes`);
    const secs = (performance.now() - started) / 1000;
    core.info(`downloaded ${sizeText(received)} in ${secs.toFixed(1)} s from ${url}`);
  } catch (error) {
    throw expired ?? error;
  } finally {
    clearTimeout(deadline);
    clearInterval(progress);
    client.dispose();
  }
}

interface AttemptLimits extends Omit<DownloadLimits, 'attempts' | 'backoffMs'> {
  /** performance.now() by which every attempt is over. */
  deadline: number;
  capFrom?: string;
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
      throw new PermanentError(
        `HTTP ${status} from ${current.href} redirects to '${clip(location, 200)}', which is not a URL`,
      );
    }
    if (next.protocol !== 'https:' && next.protocol !== 'http:') {
      throw new PermanentError(
        `HTTP ${status} from ${current.href} redirects to ${clip(next.href, 200)}: only http(s) redirects are followed`,
      );
    }
    // A checksum still guards the bytes, but an https source must not be fetched in clear.
    if (current.protocol === 'https:' && next.protocol !== 'https:') {
      throw new PermanentError(
        `HTTP ${status} from ${current.href}: refused redirect from https to ${clip(next.href, 200)}`,
      );
    }
    if (seen.has(next.href))
      throw new PermanentError(`HTTP ${status} from ${current.href}: redirect loop back to ${clip(next.href, 200)}`);
    seen.add(next.href);
    current = next;
  }
  throw new PermanentError(`more than 10 redirects from ${url}`);
}
