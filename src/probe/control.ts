import tls from 'node:tls';
import type { Handshake, ProbeServer } from './handshake.js';
import type { ControlSpec } from './server_kinds.js';
import { LEGACY_CIPHERS } from './servers.js';

/**
 * The positive control: a reference client (Node.js's own TLS stack) that speaks exactly
 * the legacy server's version must complete a handshake with it. If it cannot, a refusal
 * by the runtime under test proves nothing.
 */
export function controlHandshake(
  server: ProbeServer,
  caPem: string,
  timeoutMs: number,
  spec?: ControlSpec,
): Promise<Handshake> {
  const version = server.versions[0];
  // A policy server's control asks for exactly its weakness; a legacy one for its version.
  const asks: tls.ConnectionOptions = spec
    ? { ...spec.connect, ...(spec.authorizationError ? { rejectUnauthorized: false } : {}) }
    : { minVersion: version, maxVersion: server.versions[server.versions.length - 1], ciphers: LEGACY_CIPHERS };
  return new Promise((resolve) => {
    const base = { server: server.id, client: 'control' };
    const socket = tls.connect({ host: '127.0.0.1', port: server.port, servername: 'localhost', ca: caPem, ...asks });
    // Its end of the connection, by which the server's record of it is found.
    let ports: number[] = [];
    socket.once('connect', () => (ports = socket.localPort ? [socket.localPort] : []));
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ ...base, outcome: 'timeout', error: `no handshake within ${timeoutMs} ms`, ports });
    }, timeoutMs);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      // A certificate case: the certificate must be wrong in exactly the way the server is for.
      const complaint = socket.authorized ? 'none' : String(socket.authorizationError);
      if (spec?.authorizationError && !spec.authorizationError.includes(complaint)) {
        const wanted = spec.authorizationError.join(' or ');
        resolve({ ...base, outcome: 'error', error: `the certificate's fault was ${complaint}, not ${wanted}`, ports });
        socket.end();
        return;
      }
      resolve({
        ...base,
        outcome: 'connected',
        version: socket.getProtocol() ?? undefined,
        cipher: socket.getCipher()?.name,
        ports,
      });
      // end(), not destroy(): the last handshake bytes still go out, and the server closes.
      socket.end();
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      socket.destroy();
      const outcome = error.code?.startsWith('ERR_SSL_')
        ? 'refused'
        : error.code === 'ECONNREFUSED'
          ? 'network'
          : 'error';
      resolve({ ...base, outcome, reason: error.code, error: error.message.split('\n')[0], ports });
    });
  });
}
