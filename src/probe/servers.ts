import type net from 'node:net';
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import { PERMISSIVE_CIPHERS } from '../shared/ciphers.js';
import { TLS_VERSIONS, type TlsVersion } from '../shared/floor.js';
import { suiteFamily } from '../shared/tls/registry.js';
import type { KeyPair, RunCertificates } from './certs.js';
import { dsaKeyPair } from './dsa.js';
import type { ObservedServer, ProbeServer, ServerSide } from './handshake.js';
import { peekClientHellos } from './peek.js';
import { LEGACY_PREFERENCE } from './server_kinds.js';

export interface RunningServer extends ObservedServer {
  close(): Promise<void>;
}

/** How long a server may take to see the end of the connections a client made. */
export const SETTLE_MS = 1_000;

// HTTP clients (curl, urllib3, most commands) need an answer after the handshake; raw TLS
// clients (Python's ssl, the control) close at once, which must not upset the server.
const HTTP_RESPONSE =
  'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n';

/** What the legacy servers' control asks for: every cipher, at security level 0 (see PERMISSIVE_CIPHERS). */
export const LEGACY_CIPHERS = PERMISSIVE_CIPHERS;

/** The legacy servers' certificates: ECDSA (the run's own), RSA and DSA leaves from the run's CA. */
export interface LegacyIdentities {
  key: string[];
  cert: string[];
}

/** Issued once per run and shared by the legacy servers; `rsa` is runRsaKey(). */
export function legacyIdentities(certs: RunCertificates, rsa: KeyPair): LegacyIdentities {
  const leaves = [
    { keyPem: certs.keyPem, certPem: certs.certPem },
    certs.issue({ key: rsa }),
    certs.issue({ key: dsaKeyPair() }),
  ];
  return { key: leaves.map((l) => l.keyPem), cert: leaves.map((l) => l.certPem) };
}

/** The modern server: the TLS library's defaults (TLS 1.2 and 1.3). */
export function startModernServer(certs: RunCertificates): Promise<RunningServer> {
  return listen('modern', 'modern', ['TLSv1.2', 'TLSv1.3'], {
    key: certs.keyPem,
    cert: certs.certPem,
    minVersion: 'TLSv1.2',
  });
}

/**
 * A legacy server pinned to exactly one version below the floor, serving every key exchange and
 * authentication the library has at that version (LEGACY_PREFERENCE; `dhparam: 'auto'`: the
 * library's built-in DH groups, sized to the certificate, for DHE).
 */
export function startLegacyServer(
  identities: LegacyIdentities,
  version: TlsVersion,
  ciphers: string = LEGACY_PREFERENCE,
): Promise<RunningServer> {
  const options = { ...identities, minVersion: version, maxVersion: version, ciphers, honorCipherOrder: true };
  return listen(version, 'legacy', [version], { ...options, dhparam: 'auto' }, { refusedBy: 'offer' });
}

const familyOf = (socket: tls.TLSSocket) => {
  const family = suiteFamily(socket.getCipher()?.standardName ?? '');
  return family ? { family } : {};
};

/**
 * A fatal alert record is 7 bytes (5 of header, 2 of alert): a server that wrote more than that on
 * a failed handshake had sent its first flight, ServerHello first (how many bytes Node's raw
 * socket carried, counted by the TCP handle whatever TLS wrote; measured on Node.js 20 and 24).
 */
const ALERT_RECORD_BYTES = 7;

// Failures that mean the client's bytes were not a TLS handshake at all (plain HTTP, noise).
const NOT_TLS = /HTTP_REQUEST|HTTPS_PROXY_REQUEST|WRONG_VERSION_NUMBER|UNKNOWN_PROTOCOL|PACKET_LENGTH_TOO_LONG/;

/** A connection's record while it is open; `seen` holds the same object. */
interface Connection {
  side: ServerSide;
  raw: net.Socket;
  closed: boolean;
  /** The front passed it to the TLS server (it closed before a ClientHello otherwise). */
  handedOver?: boolean;
}

/**
 * A probe server on 127.0.0.1: a TCP front reads each connection's ClientHello (peek.ts), then
 * the TLS server takes the connection over. `extra`: what a policy server adds (its expectation).
 */
export function listen(
  id: string,
  role: ProbeServer['role'],
  versions: readonly TlsVersion[],
  options: tls.TlsOptions,
  extra: Pick<ProbeServer, 'expect' | 'refusedBy'> = {},
): Promise<RunningServer> {
  const sockets = new Set<tls.TLSSocket>();
  const seen: ServerSide[] = [];
  const connections = new Map<net.Socket, Connection>();
  const waiting = new Set<() => void>();
  const final = (c: Connection) => c.closed && (c.side.completed || c.side.code !== undefined);
  const forget = (c: Connection) => {
    connections.delete(c.raw);
    check();
  };
  const check = () => {
    if ([...connections.values()].every(final)) for (const wake of waiting) wake();
  };
  // The raw connection behind a TLS socket (Node keeps it as _parent), else the open one on the same port.
  const connectionOf = (socket: tls.TLSSocket): Connection | undefined => {
    const parent = (socket as unknown as { _parent?: net.Socket })._parent;
    const byParent = parent ? connections.get(parent) : undefined;
    if (byParent) return byParent;
    return [...connections.values()].reverse().find((c) => c.side.port === socket.remotePort && !final(c));
  };
  const server = tls.createServer(options, (socket) => {
    sockets.add(socket);
    const c = connectionOf(socket);
    if (c)
      Object.assign(c.side, {
        completed: true,
        hello: true,
        version: socket.getProtocol() ?? undefined,
        cipher: socket.getCipher()?.name,
        ...familyOf(socket),
      });
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    // Answer the first bytes of a request (whatever they are), then close; a client that
    // ends first just gets its end.
    socket.once('data', () => {
      if (c) c.side.requested = true;
      socket.end(HTTP_RESPONSE);
    });
    socket.resume();
    check();
  });
  // A refused handshake is an expected event, not a crash; the server's record of it is
  // what corroborates (or contradicts) the client's word.
  server.on('tlsClientError', (error: NodeJS.ErrnoException, socket: tls.TLSSocket) => {
    const c = connectionOf(socket);
    if (!c) return;
    c.side.code = error.code ?? 'ERR_UNKNOWN';
    c.side.error = error.message.split('\n')[0];
    c.side.bytesIn = Math.max(c.side.bytesIn, c.raw.bytesRead);
    c.side.hello = c.side.bytesIn > 0 && !NOT_TLS.test(c.side.code);
    // The version a failed handshake had reached: the server had answered the ClientHello.
    if (c.raw.bytesWritten > ALERT_RECORD_BYTES) c.side.serverHello = socket.getProtocol() ?? 'an unknown version';
    if (c.closed) forget(c);
  });
  const raws = new Set<net.Socket>();
  server.on('connection', (raw: net.Socket) => {
    const c = connections.get(raw);
    if (c) c.handedOver = true;
  });
  const front = peekClientHellos(server, (capture) => {
    const c = [...connections.values()].find((x) => x.side.port === capture.remotePort && !x.side.clientHello);
    if (c && capture.hello) c.side.clientHello = capture.hello;
  });
  front.on('connection', (raw: net.Socket) => {
    raw.on('error', () => undefined);
    raws.add(raw);
    raw.once('close', () => raws.delete(raw));
    const side: ServerSide = { port: raw.remotePort ?? 0, bytesIn: 0, hello: false, completed: false };
    const c: Connection = { side, raw, closed: false };
    seen.push(side);
    connections.set(raw, c);
    raw.once('close', () => {
      c.closed = true;
      side.bytesIn = Math.max(side.bytesIn, raw.bytesRead);
      // Closed before a ClientHello: the TLS server never saw it (it would have said ECONNRESET).
      if (!c.handedOver && !side.completed && side.code === undefined) {
        side.code = 'ECONNRESET';
        side.error = `the client closed the connection after ${side.bytesIn} bytes, before a complete ClientHello`;
      }
      if (!side.completed && side.code !== undefined) side.hello = side.bytesIn > 0 && !NOT_TLS.test(side.code);
      if (final(c)) forget(c);
      // The TLS error of a connection that closed first comes just after its close.
      else setTimeout(() => forget(c), 100).unref();
    });
  });
  const settled = (maxMs: number) =>
    new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        waiting.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, maxMs);
      waiting.add(wake);
      check();
    });
  return new Promise((resolve, reject) => {
    front.once('error', reject);
    front.listen(0, '127.0.0.1', () => {
      const { port } = front.address() as AddressInfo;
      resolve({
        id,
        role,
        versions: TLS_VERSIONS.filter((v) => versions.includes(v)),
        port,
        ...extra,
        seen,
        settled,
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy();
            for (const raw of raws) raw.destroy();
            front.close(() => done());
          }),
      });
    });
  });
}
