import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAction } from '../fixtures/action.js';
import { childProcesses } from '../fixtures/processes.js';
import { temporaryFolder } from '../fixtures/temporary.js';

// A cancelled run (the runner sends SIGTERM to the action) in the middle of a download and
// in the middle of a build step: one ::error:: line saying so and where, no process left,
// no work folder left in RUNNER_TEMP, nothing half-written in the tool cache.
const running = (mark: string) =>
  execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.includes(mark));

let dir: string;
let server: http.Server;
let base: string;
let stalled = 0;
let tarball: Buffer;
const mark = `${1000 + Math.floor(Math.random() * 1000)}.${process.pid}`;

beforeAll(async () => {
  dir = temporaryFolder('tls-floor-cancel-');
  // Not OpenSSL: a source tree whose ./config sleeps, which is all a cancelled build needs.
  const tree = path.join(dir, 'openssl-3.0.22');
  mkdirSync(tree);
  writeFileSync(path.join(tree, 'config'), `#!/bin/sh\necho configuring\nsleep ${mark}\n`);
  chmodSync(path.join(tree, 'config'), 0o755);
  execFileSync('tar', ['-czf', path.join(dir, 'openssl-3.0.22.tar.gz'), '-C', dir, 'openssl-3.0.22']);
  tarball = readFileSync(path.join(dir, 'openssl-3.0.22.tar.gz'));
  server = http.createServer((req, res) => {
    if (req.url?.startsWith('/stall/')) {
      // A mirror that stops in the middle of the body.
      stalled++;
      res.writeHead(200, { 'content-length': 10 * 1024 * 1024 });
      res.write(Buffer.alloc(1024 * 1024));
      return;
    }
    if (req.url?.startsWith('/missing/')) return void res.writeHead(404).end('not found');
    res.writeHead(200, { 'content-length': tarball.length }).end(tarball);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function waitFor(check: () => boolean, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 100));
  }
}

function buildInputs(url: string): Record<string, string> {
  return {
    'python-version': '3.11.2',
    'openssl-version': '3.0.22',
    'openssl-source-url': url,
    'openssl-sha256': createHash('sha256').update(tarball).digest('hex'),
  };
}

function expectNothingLeft(run: { runnerTemp: string }, toolCache: string): void {
  expect(readdirSync(run.runnerTemp).filter((f) => /^tls-floor-(openssl|python|archive|probe)-/.test(f))).toEqual([]);
  // No entry folder, no file, no marker, and no empty tls-floor-openssl/<version>/ either.
  expect(readdirSync(toolCache)).toEqual([]);
  expect(childProcesses()).toEqual([]);
}

describe('a cancelled run', () => {
  it('during a download: says so, and leaves no work folder and no partial file', async () => {
    const toolCache = temporaryFolder('tls-floor-toolcache-');
    const before = stalled;
    const run = await runAction(
      buildInputs(`${base}/stall/openssl-{version}.tar.gz`),
      { RUNNER_TOOL_CACHE: toolCache },
      (child) => {
        void waitFor(() => stalled > before, 20_000).then(() => setTimeout(() => child.kill('SIGTERM'), 300));
      },
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /^::error::tls-floor: cancelled \(SIGTERM\) during Download and verify OpenSSL 3\.0\.22; killed 0 process group\(s\)/m,
    );
    expect(run.stdout.match(/^::error::/gm)).toHaveLength(1);
    expectNothingLeft(run, toolCache);
  }, 60_000);

  it("during a build step: says so, kills the step's process group, leaves no entry and no work folder", async () => {
    const toolCache = temporaryFolder('tls-floor-toolcache-');
    const run = await runAction(
      buildInputs(`${base}/openssl-{version}.tar.gz`),
      { RUNNER_TOOL_CACHE: toolCache },
      (child) => {
        void waitFor(() => running(`sleep ${mark}`).length > 0, 30_000).then(() => child.kill('SIGTERM'));
      },
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /^::error::tls-floor: cancelled \(SIGTERM\) during Build OpenSSL 3\.0\.22 \(\d+ jobs\); killed 1 process group\(s\), removed \d+ unfinished path\(s\)\./m,
    );
    expect(run.stdout.match(/^::error::/gm)).toHaveLength(1);
    expect(running(`sleep ${mark}`)).toEqual([]);
    expectNothingLeft(run, toolCache);
  }, 60_000);

  it('during the probe (SIGINT): says so and leaves no probe folder and no client running', async () => {
    const probeMark = `${2000 + Math.floor(Math.random() * 1000)}.${process.pid}`;
    const toolCache = temporaryFolder('tls-floor-toolcache-');
    const run = await runAction(
      { client: 'command', 'client-shell': 'true', 'client-command': `sleep ${probeMark}` },
      {},
      (child) => {
        void waitFor(() => running(`sleep ${probeMark}`).length > 0, 30_000).then(() => child.kill('SIGINT'));
      },
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /^::error::tls-floor: cancelled \(SIGINT\) during the probe; killed 1 process group\(s\)/m,
    );
    expect(running(`sleep ${probeMark}`)).toEqual([]);
    expectNothingLeft(run, toolCache);
  }, 60_000);

  it('a failed download (HTTP 404) leaves no empty tls-floor-logs/ in RUNNER_TEMP and nothing in the tool cache', async () => {
    const toolCache = temporaryFolder('tls-floor-toolcache-');
    const run = await runAction(buildInputs(`${base}/missing/openssl-{version}.tar.gz`), {
      RUNNER_TOOL_CACHE: toolCache,
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /^::error::tls-floor: download of .*\/missing\/openssl-3\.0\.22\.tar\.gz failed after 1 attempt/m,
    );
    expect(readdirSync(run.runnerTemp).filter((f) => f.startsWith('tls-floor-'))).toEqual([]);
    expect(readdirSync(toolCache)).toEqual([]);
  }, 60_000);
});
