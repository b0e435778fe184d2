import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { opensslOptions } from '../../src/runtime/model/plan.js';
import { systemOpensslDir } from '../../src/runtime/relocate.js';
import { runAction } from '../fixtures/action.js';
import { optional } from '../fixtures/requirements.js';
import { fetchedVersion, sourceFile } from '../fixtures/sources.js';
import { temporaryFolder } from '../fixtures/temporary.js';

// The `openssl` client kind with OpenSSL 4.0's own s_client. The action builds only OpenSSL's
// libraries, so this test builds the app itself, once: the tarball scripts/fetch-test-sources.sh
// took from Debian's experimental suite, configured with the action's own hardened options for a
// 1.2 floor (opensslOptions, the system's OPENSSLDIR as a build gets it), niced. Where Debian no
// longer serves any 4.0 release the script leaves the line out, and this file skips, saying so.
const BUILD_MS = 60 * 60_000;
const version = fetchedVersion('openssl', '4.0');
const tarball = version ? sourceFile(`openssl-${version}`) : undefined;
const available = optional(
  'OpenSSL 4.0 source',
  'scripts/fetch-test-sources.sh fetched no OpenSSL 4.0 tarball (Debian experimental served none of the line)',
  tarball !== undefined,
);

/** Runs a build command under nice, its output to `log`; rejects with the log's tail on failure. */
function niced(command: string, args: string[], cwd: string, log: string): Promise<void> {
  const fd = openSync(log, 'a');
  return new Promise<void>((resolve, reject) => {
    const child = spawn('nice', ['-n', '10', command, ...args], { cwd, stdio: ['ignore', fd, fd] });
    child.on('error', reject);
    child.on('exit', (code) => {
      closeSync(fd);
      if (code === 0) resolve();
      else reject(new Error(`${command} ${args.join(' ')}: exit ${code}\n${readFileSync(log, 'utf8').slice(-3000)}`));
    });
  });
}

/** Runs the built openssl with stdin closed; its exit code and output. */
function openssl(binary: string, args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, OPENSSL_CONF: '' } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, out }));
  });
}

describe.skipIf(!available)(`OpenSSL ${version ?? '4.0'} s_client as the openssl client`, () => {
  let binary: string;
  let options: string[];
  let listener: net.Server;
  let port: number;

  beforeAll(async () => {
    const dir = temporaryFolder('tls-floor-openssl4-');
    const log = path.join(dir, 'build.log');
    await niced('tar', ['xzf', tarball!, '-C', dir], dir, log);
    const src = path.join(dir, `openssl-${version}`);
    options = opensslOptions('1.2', await systemOpensslDir());
    await niced('./config', [`--prefix=${path.join(dir, 'prefix')}`, '--libdir=lib', ...options], src, log);
    // The libraries and the apps (the action builds only build_libs): apps/openssl is the client.
    await niced('make', [`-j${availableParallelism()}`, 'build_programs'], src, log);
    binary = path.join(src, 'apps', 'openssl');
    // A TCP listener that accepts and says nothing: a client that writes no ClientHello never hears from it.
    listener = net.createServer((socket) => socket.on('error', () => {}).setTimeout(5000, () => socket.destroy()));
    await new Promise<void>((r) => listener.listen(0, '127.0.0.1', r));
    port = (listener.address() as net.AddressInfo).port;
  }, BUILD_MS);

  afterAll(() => new Promise<void>((r) => (listener ? listener.close(() => r()) : r())));

  it('is the hardened build: openssl version says it, configured without SSLv3, TLS 1.0 and 1.1', async () => {
    expect(options).toEqual(expect.arrayContaining(['no-ssl3', 'no-tls1', 'no-tls1_1', 'no-dtls1']));
    const { code, out } = await openssl(binary, ['version']);
    expect(code).toBe(0);
    expect(out).toMatch(new RegExp(`^OpenSSL ${version!.replaceAll('.', '\\.')} `));
  });

  it('s_client cannot speak TLS 1.1: the library has no protocol for the range, and -tls1_1 is not an option', async () => {
    const range = await openssl(binary, [
      's_client',
      '-connect',
      `127.0.0.1:${port}`,
      '-min_protocol',
      'TLSv1.1',
      '-max_protocol',
      'TLSv1.1',
    ]);
    expect(range.code).not.toBe(0);
    // The library's own reason (SSL_R_NO_PROTOCOLS_AVAILABLE), before a byte is written.
    expect(range.out).toMatch(/no protocols available/i);
    const flag = await openssl(binary, ['s_client', '-connect', `127.0.0.1:${port}`, '-tls1_1']);
    expect(flag.code).not.toBe(0);
    expect(flag.out).toMatch(/Unknown option: -tls1_1/);
  });

  it('the bundle as the runner runs it, client: openssl with that binary: pass at floor 1.2', async () => {
    const run = await runAction(
      { client: 'openssl', 'client-path': binary, 'min-tls-version': '1.2' },
      { RUNNER_TOOL_CACHE: temporaryFolder('tls-floor-toolcache-') },
    );
    expect(run.stdout).not.toMatch(/^::error::/m);
    expect(run.outputs['verdict']).toBe('pass');
    expect(run.outputs['negotiated-version']).toBe('TLSv1.3');
    const report = JSON.parse(readFileSync(run.outputs['report-path']!, 'utf8'));
    expect(report.runtime.tlsLibrary).toMatch(new RegExp(`^OpenSSL ${version!.replaceAll('.', '\\.')} `));
    for (const client of ['default', 'strict']) {
      for (const server of ['TLSv1', 'TLSv1.1']) {
        const h = report.handshakes.find(
          (x: { server: string; client: string }) => x.server === server && x.client === client,
        );
        expect(h?.outcome, `${client} against ${server}`).toBe('refused');
      }
      const modern = report.handshakes.find(
        (x: { server: string; client: string }) => x.server === 'modern' && x.client === client,
      );
      expect(modern).toMatchObject({ outcome: 'connected', version: 'TLSv1.3' });
    }
  });
});
