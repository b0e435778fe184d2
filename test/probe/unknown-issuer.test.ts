import { execFile } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluatePolicies } from '../../src/judgement/evaluate.js';
import { POLICIES } from '../../src/policies/policies.js';
import type { ClientObservation } from '../../src/policies/rules.js';
import { makeRunCertificates, type RunCertificates } from '../../src/probe/certs.js';
import { childProcesses } from '../fixtures/processes.js';
import { requireTool } from '../fixtures/requirements.js';
import { temporaryFolder } from '../fixtures/temporary.js';

requireTool('curl');
requireTool('openssl');

/**
 * Groundwork for the certificate servers: the unknown-issuer case needs nothing new (a second
 * throwaway CA that clients are not given). Its control trusts that CA, which proves the server
 * reachable; clients given only the run's CA must refuse it, and a command that skips
 * verification (`curl -k`) connects, so it fails pci-dss-4.trusted-issuer.
 */

let run: RunCertificates;
let stranger: RunCertificates;
let dir: string;
let server: tls.Server;
let port: number;

beforeAll(async () => {
  run = makeRunCertificates();
  stranger = makeRunCertificates();
  dir = temporaryFolder('tls-floor-issuer-');
  writeFileSync(path.join(dir, 'ca.pem'), run.caPem);
  server = tls.createServer({ key: stranger.keyPem, cert: stranger.certPem }, (socket) => {
    socket.on('error', () => socket.destroy());
    socket.once('data', () => socket.end('HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n'));
  });
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
  expect(childProcesses()).toEqual([]);
});

function nodeHandshake(ca: string): Promise<string> {
  return new Promise((resolve) => {
    const s = tls.connect({ host: '127.0.0.1', port, servername: 'localhost', ca }, () => {
      resolve(`connected ${s.getProtocol()}`);
      s.end();
    });
    s.on('error', (e: NodeJS.ErrnoException) => resolve(`refused ${e.code}`));
  });
}

const exec = (file: string, args: string[]) =>
  new Promise<{ code: number; out: string }>((resolve) =>
    execFile(file, args, { timeout: 20_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, out: stdout + stderr }),
    ),
  );

describe('the unknown-issuer server', () => {
  it('is reachable by its control (which trusts the other CA), and refused by Node with the run’s CA', async () => {
    expect(await nodeHandshake(stranger.caPem)).toBe('connected TLSv1.3');
    expect(await nodeHandshake(run.caPem)).toBe('refused UNABLE_TO_VERIFY_LEAF_SIGNATURE');
  });

  it('is refused by Python’s default context and by curl; `curl -k` connects', async () => {
    const python = await exec('/usr/bin/python3', [
      '-c',
      `
import socket, ssl
ctx = ssl.create_default_context(cafile=${JSON.stringify(path.join(dir, 'ca.pem'))})
try:
    with ctx.wrap_socket(socket.create_connection(('127.0.0.1', ${port})), server_hostname='localhost') as s:
        print('connected', s.version())
except ssl.SSLCertVerificationError as e:
    print('refused', e.verify_message)
`,
    ]);
    expect(python.out.trim()).toBe('refused unable to get local issuer certificate');
    const url = `https://localhost:${port}/`;
    const common = ['-q', '-sS', '--noproxy', '*', '--resolve', `localhost:${port}:127.0.0.1`];
    const curl = await exec('curl', [...common, '--cacert', path.join(dir, 'ca.pem'), url]);
    expect(curl.code).toBe(60);
    const insecure = await exec('curl', [...common, '-k', url]);
    expect(insecure).toEqual({ code: 0, out: 'ok\n' });

    // What the policy makes of these outcomes.
    const observe = (client: string, outcome: 'connected' | 'refused'): ClientObservation => ({
      client,
      hellos: [],
      servers: { 'cert-unknown-issuer': { outcome } },
    });
    const [trusted] = evaluatePolicies(
      [{ ...POLICIES['pci-dss-4'], rules: POLICIES['pci-dss-4'].rules.slice(0, 1) }],
      [
        observe('curl', curl.code === 0 ? 'connected' : 'refused'),
        observe('curl -k', insecure.code === 0 ? 'connected' : 'refused'),
      ],
      { floor: '1.2' },
    ).results;
    expect(trusted!.clients.map((c) => [c.client, c.status])).toEqual([
      ['curl', 'pass'],
      ['curl -k', 'fail'],
    ]);
  });
});
