import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
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
      await download(`${url}/openssl-3.0.22.tar.gz`, dest, { attempts: 1 });
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
      await download(`${url}/moved`, dest, { attempts: 3, backoffMs: 10 });
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
      await expect(download(`${url}/Python-9.9.9.tar.xz`, dest, { attempts: 4, backoffMs: 10 })).rejects.toThrow(
        `download of ${url}/Python-9.9.9.tar.xz failed after 1 attempt(s): HTTP 404`,
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
      await expect(download(`${url}/x.tar.gz`, dest, { attempts: 2, backoffMs: 10 })).rejects.toThrow(
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
      await expect(download(`${url}/start`, dest, { attempts: 4, backoffMs: 10 })).rejects.toThrow(message);
      await expect(download(`${url}/start`, dest, { attempts: 4, backoffMs: 10 })).rejects.toThrow(
        /failed after 1 attempt\(s\)/,
      );
      expect(calls).toBe(2 * expectedCalls);
      expect(existsSync(dest)).toBe(false);
    } finally {
      await close();
    }
  });
});
