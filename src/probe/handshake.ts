import type { TlsVersion } from '../floor.js';

/** One of the probe's servers, as the clients and the report see it. */
export interface ProbeServer {
  /** 'modern', or the legacy server's pinned version ('TLSv1', ...). */
  id: string;
  role: 'modern' | 'legacy';
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
}

/** One connection as a probe server saw it: its own side of the handshake. */
export interface ServerSide {
  completed: boolean;
  version?: string;
  cipher?: string;
  /** Node's code for a failed handshake (ERR_SSL_..., ECONNRESET). */
  code?: string;
  error?: string;
}

/** A probe server with the log of what it saw, in order (clients read it, never write). */
export interface ObservedServer extends ProbeServer {
  seen: readonly ServerSide[];
}
