import tls from 'node:tls';
import type { Handshake, ProbeServer } from './handshake.js';
import { LEGACY_CIPHERS } from './servers.js';

/**
 * The positive control: a reference client (Node.js's own TLS stack) that speaks exactly
 * the legacy server's version must complete a handshake with it. If it cannot, a refusal
 * by the runtime under test proves nothing.
 */
export function controlHandshake(server: ProbeServer, caPem: string, timeoutMs: number): Promise<Handshake> {
  const version = server.versions[0];
  return new Promise((resolve) => {
    const base = { server: server.id, client: 'control' };
    const socket = tls.connect({
      host: '127.0.0.1',
      port: server.port,
      servername: 'localhost',
      ca: caPem,
      minVersion: version,
      maxVersion: server.versions[server.versions.length - 1],
      ciphers: LEGACY_CIPHERS,
    });
    // Its end of the connection, by which the server's record of it is found.
    let ports: number[] = [];
    socket.once('connect', () => (ports = socket.localPort ? [socket.localPort] : []));
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ ...base, outcome: 'timeout', error: `no handshake within ${timeoutMs} ms`, ports });
    }, timeoutMs);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
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
      const outcome = error.code?.startsWith('ERR_SSL_') ? 'refused' : error.code === 'ECONNREFUSED' ? 'network' : 'error';
      resolve({ ...base, outcome, reason: error.code, error: error.message.split('\n')[0], ports });
    });
  });
}
