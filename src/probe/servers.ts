import tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import { TLS_VERSIONS, type TlsVersion } from '../floor.js';
import type { RunCertificates } from './certs.js';
import type { ObservedServer, ProbeServer, ServerSide } from './handshake.js';

export interface RunningServer extends ObservedServer {
  close(): Promise<void>;
}

// HTTP clients (curl, urllib3, most commands) need an answer after the handshake; raw TLS
// clients (Python's ssl, the control) close at once, which must not upset the server.
const HTTP_RESPONSE = 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n';

/**
 * SHA-1 signatures, which TLS 1.0/1.1 need, are allowed only at security level 0.
 * Without it an OpenSSL 3 server refuses every client and the probe could never fail.
 */
export const LEGACY_CIPHERS = 'ALL:@SECLEVEL=0';

/** The modern server: the TLS library's defaults (TLS 1.2 and 1.3). */
export function startModernServer(certs: RunCertificates): Promise<RunningServer> {
  return listen('modern', 'modern', ['TLSv1.2', 'TLSv1.3'], {
    key: certs.keyPem,
    cert: certs.certPem,
    minVersion: 'TLSv1.2',
  });
}

/** A legacy server pinned to exactly one version below the floor. */
export function startLegacyServer(
  certs: RunCertificates,
  version: TlsVersion,
  ciphers: string = LEGACY_CIPHERS,
): Promise<RunningServer> {
  return listen(version, 'legacy', [version], {
    key: certs.keyPem,
    cert: certs.certPem,
    minVersion: version,
    maxVersion: version,
    ciphers,
  });
}

function listen(
  id: string,
  role: ProbeServer['role'],
  versions: readonly TlsVersion[],
  options: tls.TlsOptions,
): Promise<RunningServer> {
  const sockets = new Set<tls.TLSSocket>();
  const seen: ServerSide[] = [];
  const server = tls.createServer(options, (socket) => {
    sockets.add(socket);
    seen.push({ completed: true, version: socket.getProtocol() ?? undefined, cipher: socket.getCipher()?.name });
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    // Answer the first bytes of a request (whatever they are), then close; a client that
    // ends first just gets its end.
    socket.once('data', () => socket.end(HTTP_RESPONSE));
    socket.resume();
  });
  // A refused handshake is an expected event, not a crash; it is recorded for clients that
  // cannot say themselves why they failed (a user's command).
  server.on('tlsClientError', (error: NodeJS.ErrnoException) =>
    seen.push({ completed: false, code: error.code, error: error.message.split('\n')[0] }),
  );
  server.on('connection', (raw) => raw.on('error', () => undefined));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        id,
        role,
        versions: TLS_VERSIONS.filter((v) => versions.includes(v)),
        port,
        seen,
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
