import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/runtime/steps.js';
import { runAction } from '../fixtures/action.js';
import { captureLog } from '../fixtures/log.js';
import { temporaryFolder } from '../fixtures/temporary.js';

// Each error a user can meet here is one ::error:: line that names the input or the file
// and what to do, not a raw system error.
let dir: string;
let server: http.Server;
let base: string;
const requests: string[] = [];
const files = new Map<string, Buffer>();

/** A tarball of `top/` with the given files (name -> content); `transform` renames members. */
function tarball(
  name: string,
  top: string,
  content: Record<string, string>,
  transform?: string,
): { url: string; sha256: string } {
  const root = mkdtempSync(path.join(dir, 'tree-'));
  for (const [file, text] of Object.entries(content)) {
    mkdirSync(path.dirname(path.join(root, top, file)), { recursive: true });
    writeFileSync(path.join(root, top, file), text);
    chmodSync(path.join(root, top, file), 0o755);
  }
  const out = path.join(dir, name);
  execFileSync('tar', ['-czf', out, ...(transform ? ['--transform', transform] : []), '-C', root, top]);
  const bytes = readFileSync(out);
  files.set(name, bytes);
  return { url: `${base}/${name}`, sha256: createHash('sha256').update(bytes).digest('hex') };
}

beforeAll(async () => {
  dir = temporaryFolder('tls-floor-errors-');
  server = http.createServer((req, res) => {
    requests.push(req.url ?? '');
    const bytes = files.get(path.basename(req.url ?? ''));
    if (!bytes) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-length': bytes.length }).end(bytes);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise((resolve) => server.close(resolve)));

const toolCache = () => temporaryFolder('tls-floor-toolcache-');
const errors = (stdout: string) => stdout.match(/^::error::.*$/gm) ?? [];
const build = (source: { url: string; sha256: string }) => ({
  'python-version': '3.11.2',
  'openssl-version': '3.0.22',
  'openssl-source-url': source.url.replace('3.0.22', '{version}'),
  'openssl-sha256': source.sha256,
});

describe('errors, each one line that says what to do', () => {
  it('a missing archive file names the input and the file', async () => {
    const run = await runAction(
      { 'runtime-archive-url': '/nonexistent/runtime.tar.gz', 'runtime-archive-sha256': '0'.repeat(64) },
      { RUNNER_TOOL_CACHE: toolCache() },
    );
    expect(errors(run.stdout)).toEqual([
      '::error::tls-floor: runtime-archive-url: /nonexistent/runtime.tar.gz does not exist; give the path of the file, or an http(s) URL.',
    ]);
  }, 60_000);

  it.each([
    [
      'an archive',
      () => ({ 'runtime-archive-url': `${base}/runtime.tar.gz`, 'runtime-archive-sha256': '0'.repeat(64) }),
    ],
    ['a build', () => build({ url: `${base}/openssl-3.0.22.tar.gz`, sha256: '0'.repeat(64) })],
  ])(
    'a tool cache that cannot be written is found before %s is downloaded',
    async (_what, inputs) => {
      const before = requests.length;
      const run = await runAction(inputs(), { RUNNER_TOOL_CACHE: '/proc/tls-floor-toolcache' });
      expect(errors(run.stdout)).toEqual([
        expect.stringMatching(
          /^::error::tls-floor: RUNNER_TOOL_CACHE: cannot write to \/proc\/tls-floor-toolcache \(E[A-Z]+\); the action needs a writable tool cache\. Nothing was downloaded\.$/,
        ),
      ]);
      expect(requests.length).toBe(before);
    },
    60_000,
  );

  it("a source tarball tar refuses shows tar's reason (Member name contains '..')", async () => {
    const source = tarball(
      'openssl-3.0.22.tar.gz',
      'openssl-3.0.22',
      { config: '#!/bin/sh\n', evil: 'x' },
      's,/evil$,/../../evil,',
    );
    const run = await runAction(build(source), { RUNNER_TOOL_CACHE: toolCache() });
    expect(errors(run.stdout)).toEqual([
      expect.stringMatching(
        /^::error::tls-floor: openssl-source-url: cannot extract http:\/\/127\.0\.0\.1:\d+\/openssl-3\.0\.22\.tar\.gz: tar exit code 2: openssl-3\.0\.22\/\.\.\/\.\.\/evil: Member name contains '\.\.'$/,
      ),
    ]);
  }, 60_000);

  it('a source tarball that is not an OpenSSL source tree says so', async () => {
    const source = tarball('openssl-3.0.22.tar.gz', 'openssl-3.0.22', { 'README.md': 'not openssl\n' });
    const run = await runAction(build(source), { RUNNER_TOOL_CACHE: toolCache() });
    expect(errors(run.stdout)).toEqual([
      expect.stringMatching(
        /^::error::tls-floor: openssl-source-url: http:\/\/127\.0\.0\.1:\d+\/openssl-3\.0\.22\.tar\.gz is not an OpenSSL source tree \(no \.\/config in its top folder\); give the URL of an OpenSSL release tarball\.$/,
      ),
    ]);
  }, 60_000);

  it('an input value of 100 KB is cut to a readable length in its error line', async () => {
    const run = await runAction({ 'python-path': 'python3', 'min-tls-version': 'x'.repeat(100_000) });
    const [line] = errors(run.stdout);
    expect(line).toMatch(
      /^::error::min-tls-version: 'x{40}\.\.\. \(100000 characters\)' is too long; an input is at most 8192 characters\.$/,
    );
  }, 60_000);

  it('a build step stopped by a signal says which signal, not exit code null', async () => {
    const work = temporaryFolder('tls-floor-signal-');
    const { error } = await captureLog(() =>
      runCommand('sh', ['-c', 'kill -TERM $$'], { cwd: work, logFile: path.join(work, 'log') }),
    );
    expect((error as Error).message).toMatch(
      /^'sh -c kill -TERM \$\$' was stopped by SIGTERM after \d+\.\d s; full log: /,
    );
  });
});
