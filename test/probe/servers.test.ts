import net from 'node:net';
import tls from 'node:tls';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeRunCertificates, type RunCertificates, runRsaKey } from '../../src/probe/certs.js';
import { isPolicyServerKind, startPolicyServer } from '../../src/probe/policy_servers.js';
import { SERVER_KINDS, SERVERS, type ServerKind } from '../../src/probe/server_kinds.js';
import {
  type LegacyIdentities,
  legacyIdentities,
  type RunningServer,
  startLegacyServer,
  startModernServer,
} from '../../src/probe/servers.js';
import { childProcesses, isClosed } from '../fixtures/processes.js';

let certs: RunCertificates;
let identities: LegacyIdentities;
const running: RunningServer[] = [];
beforeAll(async () => {
  certs = makeRunCertificates();
  identities = legacyIdentities(certs, await runRsaKey());
});
afterEach(async () => {
  const servers = running.splice(0);
  await Promise.all(servers.map((s) => s.close()));
  for (const s of servers) expect(await isClosed(s.port)).toBe(true);
  expect(childProcesses()).toEqual([]);
});

/** The client's ports, in order: what the servers' records must carry. */
const clientPorts: number[] = [];

function connect(server: RunningServer, then: (socket: tls.TLSSocket) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const socket = tls.connect({ host: '127.0.0.1', port: server.port, servername: 'localhost', ca: certs.caPem }, () =>
      then(socket),
    );
    socket.once('connect', () => clientPorts.push(socket.localPort!));
    socket.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
    socket.on('close', () => resolve(text));
    socket.on('error', reject);
  });
}

describe('the probe servers', () => {
  it('answer a request after the handshake with a minimal HTTP/1.1 response, then close', async () => {
    const server = await startModernServer(certs);
    running.push(server);
    const text = await connect(server, (s) => s.write('GET / HTTP/1.1\r\nHost: localhost\r\n\r\n'));
    expect(text).toBe(
      'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n',
    );
    await server.settled(1000);
    expect(server.seen).toEqual([
      {
        port: clientPorts.at(-1),
        bytesIn: expect.any(Number),
        hello: true,
        completed: true,
        version: 'TLSv1.3',
        cipher: expect.any(String),
        requested: true,
        clientHello: expect.objectContaining({ serverName: 'localhost' }),
      },
    ]);
  });

  it('take a client that closes right after the handshake, and serve the next one', async () => {
    const server = await startModernServer(certs);
    running.push(server);
    expect(await connect(server, (s) => s.destroy())).toBe('');
    expect(await connect(server, (s) => s.end())).toBe('');
    expect(await connect(server, (s) => s.write('x'))).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    // destroy() may drop the client's TLS 1.3 Finished before it leaves: the server then
    // logs a hang-up for the first; end() flushes it.
    expect(server.seen.slice(-2).map((s) => s.completed)).toEqual([true, true]);
  });

  it('log a refused handshake with its code', async () => {
    const server = await startLegacyServer(identities, 'TLSv1');
    running.push(server);
    await expect(connect(server, () => undefined)).rejects.toMatchObject({
      code: 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION',
    });
    await server.settled(1000);
    expect(server.seen).toEqual([
      {
        port: clientPorts.at(-1),
        bytesIn: expect.any(Number),
        hello: true,
        completed: false,
        code: 'ERR_SSL_UNSUPPORTED_PROTOCOL',
        error: expect.stringMatching(/unsupported protocol/),
        clientHello: expect.objectContaining({ serverName: 'localhost' }),
      },
    ]);
    expect(server.seen[0]!.bytesIn).toBeGreaterThan(100);
  });

  it('tell a connection that sent nothing, or no TLS, from a ClientHello', async () => {
    const server = await startLegacyServer(identities, 'TLSv1');
    running.push(server);
    const raw = (send: string | undefined) =>
      new Promise<number>((resolve) => {
        const socket = net.connect(server.port, '127.0.0.1', () => {
          const port = socket.localPort!;
          socket.on('close', () => resolve(port));
          socket.on('data', () => undefined);
          socket.on('error', () => undefined);
          if (send === undefined) socket.end();
          else socket.write(send);
        });
      });
    const silent = await raw(undefined);
    const http = await raw('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    await server.settled(1000);
    expect(server.seen).toEqual([
      expect.objectContaining({ port: silent, bytesIn: 0, hello: false, completed: false, code: 'ECONNRESET' }),
      expect.objectContaining({
        port: http,
        bytesIn: 27,
        hello: false,
        completed: false,
        code: 'ERR_SSL_HTTP_REQUEST',
      }),
    ]);
  });

  it('settle only once every connection has ended', async () => {
    const server = await startModernServer(certs);
    running.push(server);
    const socket = net.connect(server.port, '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    await new Promise((r) => setTimeout(r, 20));
    const started = performance.now();
    await server.settled(300);
    expect(performance.now() - started).toBeGreaterThanOrEqual(250); // still open: waited to the cap
    socket.destroy();
    const again = performance.now();
    await server.settled(2000);
    expect(performance.now() - again).toBeLessThan(1000);
    expect(server.seen).toEqual([expect.objectContaining({ hello: false, completed: false, code: 'ECONNRESET' })]);
  });
});

describe('the versions each server kind accepts', () => {
  it('are the versions the policies judge by (SERVER_VERSIONS): modern, legacy and every policy server', async () => {
    const started: RunningServer[] = [await startModernServer(certs)];
    for (const version of ['TLSv1', 'TLSv1.1', 'TLSv1.2'] as const)
      started.push(await startLegacyServer(identities, version));
    const policyKinds = SERVER_KINDS.filter(isPolicyServerKind);
    for (const kind of policyKinds) {
      const s = await startPolicyServer(certs, kind);
      // A server this Node.js cannot start (the hybrid-PQ one on OpenSSL 3.0) has no versions to compare.
      if ('server' in s) started.push(s.server);
    }
    running.push(...started);
    const byKind = started.map((s) => [s.id, s.versions]);
    expect(byKind).toEqual(started.map((s) => [s.id, SERVERS[s.id as ServerKind].versions]));
    expect(byKind.length).toBeGreaterThanOrEqual(SERVER_KINDS.length - 1);
  });
});
