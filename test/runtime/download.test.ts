import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { download, verifyDigest } from '../../src/runtime/download.js';
import { temporaryFolder } from '../fixtures/temporary.js';

// 48 MiB: large enough that the writer falls behind loopback and the response body is paused
// under backpressure when the server closes the connection.
const BODY = randomBytes(48 * 1024 * 1024);
const DIGEST = createHash('sha256').update(BODY).digest('hex');

let dir: string;
beforeAll(() => {
  dir = temporaryFolder('tls-floor-download-');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function listen(server: net.Server): Promise<{ url: string; close: () => Promise<void> }> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('download', () => {
  it('completes when the server sends Connection: close and ends the socket at once (python -m http.server, nginx without keep-alive)', async () => {
    // A raw HTTP/1.0 answer whose FIN follows the body immediately: undici 6's fetch asserts
    // on this (nodejs/undici#5360) and takes the whole process down.
    const server = net.createServer((socket) => {
      socket.once('data', () => {
        socket.write(`HTTP/1.0 200 OK\r\nContent-Length: ${BODY.length}\r\nConnection: close\r\n\r\n`);
        socket.end(BODY);
      });
    });
    const { url, close } = await listen(server);
    try {
      const dest = path.join(dir, 'close.tar.gz');
      await download(`${url}/openssl-3.0.22.tar.gz`, dest, { kind: 'source', attempts: 1 });
      await verifyDigest(dest, url, { sha256: DIGEST, subject: 'openssl-checksum' });
    } finally {
      await close();
    }
  });

  it('follows redirects and retries 503 answers with backoff', async () => {
    let calls = 0;
    const server = http.createServer((req, res) => {
      calls++;
      if (req.url === '/moved') res.writeHead(302, { location: '/file' }).end();
      else if (calls < 3) res.writeHead(503).end('busy');
      else res.writeHead(200, { 'content-length': 5 }).end('hello');
    });
    const { url, close } = await listen(server);
    try {
      const dest = path.join(dir, 'redirect');
      await download(`${url}/moved`, dest, { kind: 'source', attempts: 3, backoffMs: 10 });
      expect(readFileSync(dest, 'utf8')).toBe('hello');
      expect(calls).toBe(4); // /moved, /file (503), then the retry: /moved, /file (200)
    } finally {
      await close();
    }
  });

  it('gives up at once on a 404, names the URL, and leaves no partial file', async () => {
    let calls = 0;
    const server = http.createServer((_req, res) => {
      calls++;
      res.writeHead(404).end('not found');
    });
    const { url, close } = await listen(server);
    try {
      const dest = path.join(dir, 'missing');
      await expect(
        download(`${url}/Python-9.9.9.tar.xz`, dest, { kind: 'source', attempts: 4, backoffMs: 10 }),
      ).rejects.toThrow(
        new RegExp(
          `^download of ${url}/Python-9\\.9\\.9\\.tar\\.xz failed after 1 attempt\\(s\\) in \\d+\\.\\d s: HTTP 404`,
        ),
      );
      expect(calls).toBe(1);
      expect(existsSync(dest)).toBe(false);
    } finally {
      await close();
    }
  });

  it('retries a connection cut in the middle of the body, and fails after the last attempt with no partial file', async () => {
    let calls = 0;
    const server = net.createServer((socket) => {
      socket.once('data', () => {
        calls++;
        socket.write(`HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n`);
        socket.end(Buffer.alloc(10)); // 10 of the promised 1000 bytes
      });
    });
    const { url, close } = await listen(server);
    try {
      const dest = path.join(dir, 'truncated');
      await expect(download(`${url}/x.tar.gz`, dest, { kind: 'source', attempts: 2, backoffMs: 10 })).rejects.toThrow(
        /failed after 2 attempt\(s\)/,
      );
      expect(calls).toBe(2);
      expect(existsSync(dest)).toBe(false);
    } finally {
      await close();
    }
  });

  it.each([
    [
      'to file:',
      (url: string) => (url.endsWith('/start') ? 'file:///etc/passwd' : ''),
      /redirects to file:\/\/\/etc\/passwd: only http\(s\) redirects are followed/,
      1,
    ],
    [
      'in a loop',
      (url: string) => (url.endsWith('/start') ? '/again' : '/start'),
      /redirect loop back to http:\/\/127\.0\.0\.1:\d+\/start/,
      2,
    ],
  ])('refuses a redirect %s at once, without retrying', async (_name, location, message, expectedCalls) => {
    let calls = 0;
    const server = http.createServer((req, res) => {
      calls++;
      res.writeHead(302, { location: location(req.url ?? '') }).end();
    });
    const { url, close } = await listen(server);
    try {
      const dest = path.join(dir, 'redirected');
      await expect(download(`${url}/start`, dest, { kind: 'source', attempts: 4, backoffMs: 10 })).rejects.toThrow(
        message,
      );
      await expect(download(`${url}/start`, dest, { kind: 'source', attempts: 4, backoffMs: 10 })).rejects.toThrow(
        /failed after 1 attempt\(s\)/,
      );
      expect(calls).toBe(2 * expectedCalls);
      expect(existsSync(dest)).toBe(false);
    } finally {
      await close();
    }
  });
});

/** Lines the action's log (core.info writes to stdout) received while `run` ran. */
async function logLines(run: () => Promise<unknown>): Promise<{ lines: string[]; error: unknown }> {
  const lines: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    return write(chunk, ...rest);
  }) as typeof process.stdout.write;
  let error: unknown;
  try {
    await run();
  } catch (e) {
    error = e;
  } finally {
    process.stdout.write = write;
  }
  return { lines, error };
}

describe('every download is bounded in time and bytes (limits.ts)', () => {
  it('a server that sends a byte now and then is stopped at the deadline, with a progress line meanwhile', async () => {
    // The server sent a byte every 50 s (under the idle timeout) and ran for ever.
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-length': 1_000_000 });
      const drip = setInterval(() => res.write('x'), 100);
      res.on('close', () => clearInterval(drip));
    });
    const { url, close } = await listen(server);
    try {
      const dest = path.join(dir, 'drip');
      const started = performance.now();
      const { lines, error } = await logLines(() =>
        download(`${url}/slow.tar.gz`, dest, { kind: 'archive', deadlineMs: 2000, idleMs: 1000, progressMs: 400 }),
      );
      const secs = (performance.now() - started) / 1000;
      expect(String(error)).toMatch(
        /download of http:\/\/127\.0\.0\.1:\d+\/slow\.tar\.gz failed after 1 attempt\(s\) in \d+\.\d s: not done within 2 s, the time a runtime archive gets \(\d+ bytes received\)/,
      );
      expect(lines.filter((l) => /^ {2}\d+ bytes of 976\.6 KiB after \d+ s$/.test(l)).length).toBeGreaterThanOrEqual(3);
      expect(existsSync(dest)).toBe(false);
      console.log(`drip server stopped after ${secs.toFixed(1)} s (deadline 2 s)`);
    } finally {
      server.closeAllConnections();
      await close();
    }
  }, 15_000);

  it('a server that never answers ends within the deadline, retries and waits included, and says how long it took', async () => {
    const sockets: net.Socket[] = [];
    const server = net.createServer((socket) => void sockets.push(socket)); // accepts, never answers
    const { url, close } = await listen(server);
    try {
      const dest = path.join(dir, 'silent');
      const { lines, error } = await logLines(() =>
        download(`${url}/index.json`, dest, {
          kind: 'index',
          attempts: 10,
          idleMs: 600,
          backoffMs: 200,
          deadlineMs: 2500,
          progressMs: 400,
        }),
      );
      expect(String(error)).toMatch(/failed after [2-4] attempt\(s\) in [12]\.\d s: /);
      expect(lines.some((l) => /^ {2}no answer yet after \d+ s$/.test(l))).toBe(true);
      expect(
        lines.some((l) =>
          /^download attempt 1 of 10 failed .*; retrying in 0\.2 s \(a runtime index gets 2\.5 s in all\)$/.test(l),
        ),
      ).toBe(true);
    } finally {
      for (const socket of sockets) socket.destroy();
      await close();
    }
  }, 15_000);

  it('an endless body is cut at the byte limit: nothing past it is written, no file is left, no retry', async () => {
    let sent = 0;
    let calls = 0;
    const server = http.createServer((_req, res) => {
      calls++;
      res.writeHead(200); // chunked, no length: the size is only known by reading
      const chunk = Buffer.alloc(64 * 1024);
      const pump = () => {
        // 256 MiB at most, so that code without the limit ends too (and the test fails).
        let more = true;
        while (more && sent < 256 * 1024 * 1024) {
          sent += chunk.length;
          more = res.write(chunk);
        }
        if (sent >= 256 * 1024 * 1024) res.end();
      };
      res.on('drain', pump);
      pump();
    });
    const { url, close } = await listen(server);
    try {
      const dest = path.join(dir, 'endless');
      await expect(
        download(`${url}/runtime.tar.gz`, dest, {
          kind: 'archive',
          maxBytes: 1_000_000,
          capFrom: 'the size the index gives',
        }),
      ).rejects.toThrow(
        /failed after 1 attempt\(s\) in \d+\.\d s: more than 1000000 bytes \(the size the index gives\): stopped after \d+ bytes$/,
      );
      expect(calls).toBe(1);
      expect(existsSync(dest)).toBe(false);
      expect(sent).toBeLessThan(32 * 1024 * 1024); // what the socket buffers held, not the 256 MiB
      console.log(`endless body: the server got ${(sent / 1048576).toFixed(1)} MiB out before the cut at 1 MB`);
    } finally {
      server.closeAllConnections();
      await close();
    }
  }, 30_000);

  it('a Content-Length above the limit is refused before the body is read', async () => {
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-length': 600 * 1024 * 1024 });
      res.write(Buffer.alloc(1024));
    });
    const { url, close } = await listen(server);
    try {
      const dest = path.join(dir, 'announced');
      await expect(download(`${url}/Python-3.13.15.tar.xz`, dest, { kind: 'source' })).rejects.toThrow(
        /the server announces 629145600 bytes, more than 512 MiB, the most a source tarball may have; nothing was written$/,
      );
      expect(existsSync(dest)).toBe(false);
    } finally {
      server.closeAllConnections();
      await close();
    }
  });

  it.each([
    ['a FIFO (no writer: a plain open would wait for ever)', 'fifo', /is a FIFO; give the path of the file/],
    ['a device', '/dev/zero', /is a device; give the path of the file/],
    ['a folder', 'folder', /is a folder; give the path of the file/],
  ])(
    'a local path that is %s is refused at once, without reading it',
    async (_what, name, message) => {
      const local = name.startsWith('/') ? name : path.join(dir, name);
      if (name === 'fifo') execFileSync('mkfifo', [local]);
      if (name === 'folder') mkdirSync(local);
      const dest = path.join(dir, `copy-of-${path.basename(name)}`);
      await expect(download(local, dest, { kind: 'archive', subject: 'archive' })).rejects.toThrow(
        new RegExp(`^\\[archive\\] \\S+ ${message.source}`),
      );
      await expect(download(`file://${local}`, dest, { kind: 'archive' })).rejects.toThrow(message);
      expect(existsSync(dest)).toBe(false);
    },
    10_000,
  );

  it('a local file larger than the limit is refused before it is copied', async () => {
    const big = path.join(dir, 'big.json');
    writeFileSync(big, Buffer.alloc(17 * 1024 * 1024));
    const dest = path.join(dir, 'big-copy');
    await expect(download(big, dest, { kind: 'index' })).rejects.toThrow(
      /big\.json holds 17825792 bytes, more than 16 MiB, the most a runtime index may have\.$/,
    );
    expect(existsSync(dest)).toBe(false);
  });
});
