import type { Handshake, ProbeServer } from '../handshake.js';

/** What the report records about the runtime under test. */
export interface RuntimeInfo {
  /** 'python', 'node', ... */
  kind: string;
  /** The path the action was given, resolved. */
  path: string;
  version: string;
  /** The TLS library as the runtime names it (ssl.OPENSSL_VERSION for Python). */
  tlsLibrary: string;
  /** Kind-specific facts (HAS_TLSv1..., the libssl file loaded, ...). */
  details: Record<string, unknown>;
}

/** One client inside the runtime under test ('default', 'strict', ...). */
export interface ClientDescription {
  name: string;
  /** What the client was set to (minimum version, ciphers, ...). */
  settings: Record<string, string>;
  ran: boolean;
  /** Why it did not run. */
  skipped?: string;
}

export interface ClientJob {
  servers: readonly ProbeServer[];
  caFile: string;
}

export interface ClientLimits {
  /** Per handshake. */
  handshakeTimeoutMs: number;
  /** The number of servers the job will hold (for the client's own overall timeout). */
  serverCount: number;
  /** Aborted when the probe ends or runs out of time: stop every child. */
  signal: AbortSignal;
}

export interface ClientRun {
  runtime: RuntimeInfo;
  clients: ClientDescription[];
  handshakes: Handshake[];
}

/**
 * A runtime the probe can judge: it connects to every server with each of its clients.
 * `start` is called before the servers exist, so a client can start its interpreter while
 * the certificates are made; the job arrives when the servers listen.
 */
export interface ProbeClient {
  start(limits: ClientLimits): StartedClient;
}

export interface StartedClient {
  run(job: ClientJob): Promise<ClientRun>;
}
