import { type ChildProcess, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readInputs } from '../../src/inputs/inputs.js';
import { planFromInputs } from '../../src/runtime/obtain.js';
import { archiveUrlProblem } from '../../src/runtime/prebuilt.js';
import { runAction } from '../fixtures/action.js';
import { childProcesses } from '../fixtures/processes.js';
import { temporaryFolder } from '../fixtures/temporary.js';

// A hostile runtime index: its one entry matches the request exactly (so the action acts on
// it), and lists what it may not: a file on the runner, a file outside its folder, a FIFO, an
// archive that never ends. Served on 127.0.0.1, or read from a folder.
const INPUTS = { 'python-version': '3.11.2', 'openssl-version': '3.0.22' };

async function entryFor(url: string, bytes: number, sha256: string) {
  const saved = process.env['RUNNER_TOOL_CACHE'];
  process.env['RUNNER_TOOL_CACHE'] = tmpdir();
  const plan = await planFromInputs(
    (await readInputs((n) => (INPUTS as Record<string, string>)[n] ?? '')).build,
    '1.2',
  );
  if (saved === undefined) delete process.env['RUNNER_TOOL_CACHE'];
  else process.env['RUNNER_TOOL_CACHE'] = saved;
  return {
    url,
    sha256,
    bytes,
    python: '3.11.2',
    openssl: '3.0.22',
    floor: '1.2',
    buildFormat: 2,
    identity: { python: plan.python.entry.identity, openssl: plan.openssl.entry.identity },
    platform: plan.platform,
  };
}

const indexOf = (...runtimes: object[]) => JSON.stringify({ format: 1, runtimes });
const digest = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

let dir: string;
let secret: string;
let secretDigest: string;
let server: http.Server;
let base: string;
let endlessSent = 0;
const served = new Map<string, string>();

beforeAll(async () => {
  dir = temporaryFolder('tls-floor-hostile-index-');
  // Stands for /etc/shadow: a file of this runner that no index may make the action read.
  secret = path.join(dir, 'secret');
  writeFileSync(secret, `root:$y$j9T$${'s'.repeat(40)}:19000:0:99999:7:::\n`);
  secretDigest = digest(`root:$y$j9T$${'s'.repeat(40)}:19000:0:99999:7:::\n`);
  server = http.createServer((req, res) => {
    if (req.url === '/endless.tar.gz') {
      res.writeHead(200); // chunked: the length is only known by reading
      const chunk = Buffer.alloc(64 * 1024);
      const pump = () => {
        let more = true;
        while (more && endlessSent < 256 * 1024 * 1024) {
          endlessSent += chunk.length;
          more = res.write(chunk);
        }
        if (endlessSent >= 256 * 1024 * 1024) res.end();
      };
      res.on('drain', pump);
      return pump();
    }
    const body = served.get(req.url ?? '');
    if (body === undefined) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-length': Buffer.byteLength(body) }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** Runs the action against the index; a run that hangs is stopped after 45 s (and fails). */
async function runWith(index: string) {
  const toolCache = temporaryFolder('tls-floor-toolcache-');
  let timer: NodeJS.Timeout | undefined;
  const run = await runAction({ ...INPUTS, 'runtime-index': index }, { RUNNER_TOOL_CACHE: toolCache }, (child) => {
    timer = setTimeout(() => (child as ChildProcess).kill('SIGKILL'), 45_000);
  });
  clearTimeout(timer);
  return { run, toolCache, errors: run.stdout.split('\n').filter((l) => l.startsWith('::error::')) };
}

describe('an index lists archives of its own kind only', () => {
  it('an index on http(s) that lists file:///... (a file of this runner) is refused with one line; the file is not read', async () => {
    served.set('/shadow.json', indexOf(await entryFor(`file://${secret}`, 80, '0'.repeat(64))));
    const { run, toolCache, errors } = await runWith(`${base}/shadow.json`);
    expect(run.code).toBe(1);
    expect(errors).toEqual([
      `::error::runtime-index: the entry for file://${secret} in ${base}/shadow.json is refused: an index at http:// may list only https archives (http ones only on a loopback address, beside a loopback index), not file://${secret}; nothing was downloaded.`,
    ]);
    expect(run.stdout).not.toContain(secretDigest);
    expect(readdirSync(run.runnerTemp).filter((f) => f.startsWith('tls-floor-archive-'))).toEqual([]);
    expect(readdirSync(toolCache)).toEqual([]);
  }, 60_000);

  it.each([
    ['a relative path out of its folder', (folder: string) => path.relative(folder, secret)],
    ['an absolute path elsewhere', () => secret],
    [
      'a link in its folder to a file elsewhere (links are resolved first)',
      (folder: string) => {
        symlinkSync(secret, path.join(folder, 'runtime.tar.gz'));
        return 'runtime.tar.gz';
      },
    ],
  ])(
    'an index in a folder that lists %s is refused; the file is not read',
    async (_what, listed) => {
      const folder = mkdtempSync(path.join(dir, 'index-folder-'));
      writeFileSync(path.join(folder, 'index.json'), indexOf(await entryFor(listed(folder), 80, '0'.repeat(64))));
      const { run, errors } = await runWith(path.join(folder, 'index.json'));
      expect(run.code).toBe(1);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(
        /^::error::runtime-index: the entry for \S+ in \S+index\.json is refused: \S+secret is not in the index's folder \S+ \(links resolved\); an index read from this runner may list only https archives or archives in its own folder; nothing was downloaded\.$/,
      );
      expect(run.stdout).not.toContain(secretDigest);
    },
    60_000,
  );

  it('an entry in its folder that is a FIFO is refused at once, without waiting for a writer', async () => {
    const folder = mkdtempSync(path.join(dir, 'fifo-folder-'));
    execFileSync('mkfifo', [path.join(folder, 'runtime.tar.gz')]);
    writeFileSync(path.join(folder, 'index.json'), indexOf(await entryFor('runtime.tar.gz', 80, '0'.repeat(64))));
    const { run, errors } = await runWith(path.join(folder, 'index.json'));
    expect(run.code).toBe(1);
    expect(errors).toEqual([
      `::error::tls-floor: runtime-index: ${folder}/runtime.tar.gz is a FIFO; give the path of the file, or an http(s) URL.`,
    ]);
    expect(childProcesses()).toEqual([]);
    console.log(`FIFO entry refused; the whole run took ${(run.ms / 1000).toFixed(1)} s`);
  }, 60_000);

  it('an index that is itself a FIFO is unavailable at once (a warning), not a hang', async () => {
    const fifo = path.join(dir, 'index-fifo.json');
    execFileSync('mkfifo', [fifo]);
    const toolCache = temporaryFolder('tls-floor-toolcache-');
    // It then builds: stopped as soon as the warning is out.
    let timer: NodeJS.Timeout | undefined;
    const run = await runAction(
      { ...INPUTS, 'runtime-index': fifo, 'openssl-source-url': `${base}/missing/openssl-{version}.tar.gz` },
      { RUNNER_TOOL_CACHE: toolCache },
      (child) => {
        timer = setTimeout(() => child.kill('SIGKILL'), 45_000);
      },
    );
    clearTimeout(timer);
    expect(run.stdout).toContain(
      `::warning::runtime-index: cannot read ${fifo}: ${fifo} is a FIFO; give the path of the file, or an http(s) URL.; building from source.`,
    );
  }, 60_000);

  it.each([
    [
      'https://mirror.example/index.json',
      'http://mirror.example/rt.tar.gz',
      /an index at https:\/\/ may list only https archives/,
    ],
    ['https://mirror.example/index.json', 'http://127.0.0.1:8000/rt.tar.gz', /may list only https archives/],
    [
      'http://mirror.example/index.json',
      'http://mirror.example/rt.tar.gz',
      /an index at http:\/\/ may list only https/,
    ],
    ['https://mirror.example/index.json', 'file:///etc/shadow', /not file:\/\/\/etc\/shadow/],
    [
      '/srv/runtimes/index.json',
      'http://mirror.example/rt.tar.gz',
      /read from this runner may list only https archives or archives in its own folder/,
    ],
    [
      '/srv/runtimes/index.json',
      'file:///srv/other/rt.tar.gz',
      /\/srv\/other\/rt\.tar\.gz is not in the index's folder/,
    ],
  ])('%s may not list %s', async (location, url, message) => {
    expect(await archiveUrlProblem(url, location)).toMatch(message);
  });

  it.each([
    ['https://mirror.example/index.json', 'https://cdn.example/rt.tar.gz'],
    ['http://127.0.0.1:8000/index.json', 'http://127.0.0.1:8000/rt.tar.gz'],
    ['http://mirror.example/index.json', 'https://mirror.example/rt.tar.gz'],
    ['/srv/runtimes/index.json', 'file:///srv/runtimes/rt.tar.gz'],
    // The action's own in-tree index (runtimes/index.json) lists immutable release URLs.
    ['/srv/runtimes/index.json', 'https://mirror.example/rt.tar.gz'],
    ['/srv/runtimes/index.json', 'file:///srv/runtimes/v1/rt.tar.gz'],
  ])('%s may list %s', async (location, url) => {
    expect(await archiveUrlProblem(url, location)).toBeUndefined();
  });

  it("the action's own index (runtimes/index.json, a file) lists the release's https archives, and no remote http", async () => {
    const own = '/runner/_actions/acme/tls-floor/v1/runtimes/index.json';
    const release = 'https://github.com/acme/tls-floor/releases/download/runtimes-20261201/rt.tar.gz';
    expect(await archiveUrlProblem(release, own)).toBeUndefined();
    expect(await archiveUrlProblem('http://127.0.0.1:8000/rt.tar.gz', own)).toBeUndefined();
    expect(await archiveUrlProblem('http://mirror.example/rt.tar.gz', own)).toMatch(
      /^an index read from this runner may list only https archives or archives in its own folder/,
    );
    expect(await archiveUrlProblem('file:///etc/passwd', own)).toMatch(/is not in the index's folder/);
  });
});

describe("an index entry's archive is cut at the index's bytes", () => {
  it('an endless body is stopped at the size the index gives: one line, nothing past it written, nothing left', async () => {
    served.set('/endless.json', indexOf(await entryFor(`${base}/endless.tar.gz`, 1_000_000, '0'.repeat(64))));
    const before = endlessSent;
    const { run, toolCache, errors } = await runWith(`${base}/endless.json`);
    expect(run.code).toBe(1);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /^::error::tls-floor: download of http:\/\/127\.0\.0\.1:\d+\/endless\.tar\.gz failed after 1 attempt\(s\) in \d+\.\d s: more than 1000000 bytes \(the size the index gives\): stopped after \d+ bytes$/,
    );
    const written = Number(/stopped after (\d+) bytes/.exec(errors[0]!)![1]);
    expect(written).toBeLessThanOrEqual(1_000_000);
    const sent = endlessSent - before;
    expect(sent).toBeLessThan(32 * 1024 * 1024); // the socket buffers' worth, not the 256 MiB on offer
    expect(readdirSync(run.runnerTemp).filter((f) => f.startsWith('tls-floor-'))).toEqual([]);
    expect(readdirSync(toolCache)).toEqual([]);
    console.log(
      `endless archive: ${written} bytes written before the cut at 1000000; the server got ${(sent / 1048576).toFixed(1)} MiB out`,
    );
  }, 60_000);
});
