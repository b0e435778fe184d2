import { classifyTlsText } from './clients/tls_errors.js';
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
  };
}
