import { foreign } from '../../shared/foreign.js';
import type { Handshake, ObservedServer } from '../handshake.js';

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
  /** The probe-mode in which it decides; absent: it decides in every mode (a user's command). */
  mode?: 'default' | 'strict';
  /** An extra client (urllib3) that decides only when it ran; the others decide even when broken. */
  optional?: boolean;
}

export interface ClientJob {
  /**
   * The servers, with what each saw. The controls are done before the job starts, so a
   * client that runs one handshake at a time may read the server's side of each.
   */
  servers: readonly ObservedServer[];
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
  /**
   * Builds what the client runs (a program compiled once: Go, Java) before the probe, outside its
   * time limit; `start` then finds it made. Absent: nothing to build.
   */
  prepare?(signal: AbortSignal): Promise<void>;
}

export interface StartedClient {
  run(job: ClientJob): Promise<ClientRun>;
}

/**
 * The program under test could not be started or is not what it should be (not found, not
 * executable, too old, no TLS, no usable report). The client says what is wrong and, apart,
 * what to give instead; it never names an input: whoever chose the program (the input that
 * named it, or the runtime the action obtained) says that (action/client_choice.ts).
 */
export class ClientStartError extends Error {
  override name = 'ClientStartError';
  constructor(
    /** What is wrong, naming the program ('/usr/bin/python3.5 is Python 3.5.9'). */
    readonly reason: string,
    /** What to give instead, as a sentence of its own ('give the path to a node binary.'). */
    readonly advice?: string,
  ) {
    super(advice ? `${reason}; ${advice}` : `${reason}.`);
  }
}

/** How much of one string a probed program said is kept (the JSON report, the log, the summary). */
const OBSERVED_MAX = 500;
/** How deep a runtime's self-description may nest; deeper is cut. */
const OBSERVED_DEPTH = 8;

/**
 * A client's run as the probe records it: every string in it (the runtime's self-description,
 * its clients' names, settings and refusal reasons, each handshake's version, cipher, reason and
 * error, the child output quoted in them) is foreign text, made safe for the log here, where it
 * enters, once (shared/foreign.ts): one line, control and invisible characters shown, no workflow
 * command, clipped. The report's renderers escape it again for Markdown.
 */
export function observed(run: ClientRun): ClientRun {
  return safe(run, 0) as ClientRun;
}

function safe(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return foreign(value, { max: OBSERVED_MAX, for: 'log' });
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= OBSERVED_DEPTH) return '(nested too deep)';
  if (Array.isArray(value)) return value.map((v) => safe(v, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [foreign(k, { max: 100, for: 'log' }), safe(v, depth + 1)]),
  );
}
