import { classifyTlsText } from './clients/tls_errors.js';
import type { TlsVersion } from '../floor.js';
import type { ClientHello } from './client_hello.js';

/** One of the probe's servers, as the clients and the report see it. */
export interface ProbeServer {
  /** 'modern', the legacy server's pinned version ('TLSv1', ...), or a policy server's kind. */
  id: string;
  /** modern and legacy decide the version verdict; a policy server only the policies' rules. */
  role: 'modern' | 'legacy' | 'policy';
  /** A policy server: whether a sound client completes a handshake with it or refuses it. */
  expect?: 'connect' | 'refuse';
  /** Versions the server accepts. */
  versions: readonly TlsVersion[];
  port: number;
}

/**
 * How a handshake ended. Only 'connected' and 'refused' are evidence; the others
 * (the network failed, the certificate was not trusted, nothing happened in time,
 * the client could not run) say nothing about the TLS policy.
 */
export type Outcome = 'connected' | 'refused' | 'certificate' | 'network' | 'timeout' | 'error';

export interface Handshake {
  server: string;
  /** 'control' (the reference client), or a client of the runtime under test. */
  client: string;
  outcome: Outcome;
  version?: string;
  cipher?: string;
  /** The library's reason code for a refusal, when it gives one. */
  reason?: string;
  error?: string;
  /**
   * The client's end (its ephemeral source port) of each connection this handshake made:
   * what ties it to the server's own record of that connection. A client in one process
   * reports its ports; for a program run one at a time, the probe takes every connection
   * the server logged while it ran.
   */
  ports?: number[];
}

/** One connection as a probe server saw it: its own side of the handshake. */
export interface ServerSide {
  /** The client's end of the connection (its ephemeral source port). */
  port: number;
  /** Bytes the client sent on the connection. */
  bytesIn: number;
  /** The server read a TLS ClientHello: the handshake completed, or it failed after bytes that were TLS. */
  hello: boolean;
  completed: boolean;
  version?: string;
  cipher?: string;
  /** Node's code for a failed handshake (ERR_SSL_..., ECONNRESET). */
  code?: string;
  error?: string;
  /** After a completed handshake, the client sent application data (its request). */
  requested?: boolean;
  /** The connection's first ClientHello, read before TLS took over (what the client offered). */
  clientHello?: ClientHello;
}

/** A server's record of one connection, with the server named. */
export interface ServerRecord extends ServerSide {
  server: string;
}

/** A probe server with the log of what it saw, in order (clients read it, never write). */
export interface ObservedServer extends ProbeServer {
  seen: readonly ServerSide[];
  /**
   * Resolves when every connection the server accepted has closed and its end is known
   * (completed or failed), or after `maxMs`: then `seen` is final for what came before.
   */
  settled(maxMs: number): Promise<void>;
}

/**
 * A handshake as a client script reports it in JSON (nulls for what it does not know).
 * 'tls': the TLS stack raised an error whose reason the action judges (classifyTlsText).
 */
export interface ReportedHandshake {
  server: string;
  client: string;
  outcome: Outcome | 'tls';
  version?: string | null;
  cipher?: string | null;
  reason?: string | null;
  error?: string | null;
  ports?: number[] | null;
}

/**
 * Drops the nulls a client script reports, so the report holds only what is known, and
 * judges a TLS error by the list every client shares.
 */
export function fromReported(h: ReportedHandshake): Handshake {
  return {
    server: h.server,
    client: h.client,
    outcome: h.outcome === 'tls' ? classifyTlsText(h.reason ?? h.error ?? '').outcome : h.outcome,
    ...(h.version ? { version: h.version } : {}),
    ...(h.cipher ? { cipher: h.cipher } : {}),
    ...(h.reason ? { reason: h.reason } : {}),
    ...(h.error ? { error: h.error } : {}),
    ...(Array.isArray(h.ports) ? { ports: h.ports.filter(isPort) } : {}),
  };
}

function isPort(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) > 0 && (value as number) < 65536;
}
