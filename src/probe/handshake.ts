import type { TlsVersion } from '../shared/floor.js';
import type { ClientHello } from '../shared/tls/client_hello.js';

/** One of the probe's servers, as the clients and the report see it. */
export interface ProbeServer {
  /** 'modern', the legacy server's pinned version ('TLSv1', ...), or a policy server's kind. */
  id: string;
  /** modern and legacy decide the version verdict; a policy server only the policies' rules. */
  role: 'modern' | 'legacy' | 'policy';
  /** A policy server: whether a sound client completes a handshake with it or refuses it. */
  expect?: 'connect' | 'refuse';
  /**
   * Which refusal counts (server_kinds.ts): `offer`, only one before its ServerHello (a legacy
   * server: the version; a suite-only server: its suites); `any`, one after it too.
   */
  refusedBy?: 'offer' | 'any';
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
  /** The completed suite's key exchange and authentication ('static RSA', 'ECDHE-ECDSA', ...; TLS 1.0-1.2). */
  family?: string;
  /** Node's code for a failed handshake (ERR_SSL_..., ECONNRESET). */
  code?: string;
  /**
   * A failed handshake where the server had sent its ServerHello (its whole first flight): the
   * version of it. The client had then accepted that version and failed on something later (a
   * signature, a MAC, the certificate): that is no refusal of the version. Absent: the server
   * sent no more than an alert.
   */
  serverHello?: string;
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
