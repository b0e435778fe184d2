import net from 'node:net';
import type tls from 'node:tls';
import { type ClientHello, MAX_CLIENT_HELLO, parseClientHello } from '../shared/tls/client_hello.js';

/**
 * Reads each connection's first ClientHello on a plain TCP socket, before any TLS library sees
 * it, then hands the socket (the bytes read put back) to a TLS server, whose handshake goes on as
 * if nothing had happened: Node's TLSSocket feeds a wrapped socket's buffered bytes to OpenSSL
 * first. The TLS server keeps all of its own behaviour (secureConnection, tlsClientError, its
 * options); only the listening moves to the TCP front.
 */

/** What a connection's first bytes said. */
export interface HelloCapture {
  /** The client's port on 127.0.0.1: what ties the capture to the TLS server's socket. */
  remotePort: number;
  hello?: ClientHello;
  /** Why there is no hello: garbled bytes, nothing sent in time, or the client left first. */
  error?: string;
  /** The bytes read before the hand-over (the ClientHello's records, and whatever came with them). */
  bytes: Buffer;
}

export interface PeekOptions {
  /** How long to wait for a complete ClientHello before handing over anyway (default 5 s). */
  timeoutMs?: number;
}

/**
 * A TCP server that captures the ClientHello of every connection, calls `onHello`, then passes
 * the socket to `tlsServer` as a 'connection'. Not listening yet: call `listen` on it.
 */
export function peekClientHellos(
  tlsServer: tls.Server,
  onHello: (capture: HelloCapture) => void,
  options: PeekOptions = {},
): net.Server {
  const timeoutMs = options.timeoutMs ?? 5000;
  return net.createServer((raw) => {
    raw.on('error', () => undefined);
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const remotePort = raw.remotePort ?? 0;
    const finish = (hello: ClientHello | undefined, error: string | undefined, handOver: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      raw.removeListener('data', onData);
      raw.removeListener('end', onEnd);
      raw.pause();
      const bytes = Buffer.concat(chunks, size);
      onHello({ remotePort, bytes, ...(hello ? { hello } : {}), ...(error ? { error } : {}) });
      if (!handOver) {
        raw.destroy();
        return;
      }
      // Put the bytes back: TLSSocket reads a wrapped socket's buffer before its handle.
      if (bytes.length > 0) raw.unshift(bytes);
      tlsServer.emit('connection', raw);
    };
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      const result = parseClientHello(Buffer.concat(chunks, size));
      if (result.ok) finish(result.hello, undefined, true);
      else if (!result.incomplete) finish(undefined, result.error, true);
      else if (size > MAX_CLIENT_HELLO + 5 * 8) finish(undefined, 'no complete ClientHello in the first 64 KiB', true);
    };
    const onEnd = () =>
      finish(undefined, `the client closed after ${size} bytes, before a complete ClientHello`, false);
    const timer = setTimeout(
      () => finish(undefined, `no complete ClientHello within ${timeoutMs} ms (${size} bytes)`, true),
      timeoutMs,
    );
    raw.on('data', onData);
    raw.on('end', onEnd);
    raw.on('close', () =>
      finish(undefined, `the connection closed after ${size} bytes, before a complete ClientHello`, false),
    );
  });
}
