import type { Handshake, Outcome, ServerRecord, ServerSide } from '../probe/handshake.js';
import { versionRank } from '../shared/floor.js';

/**
 * What a handshake counts as once the server's side is known: a client's outcome, or
 * 'unconfirmed' where the client claims a connection or a refusal the server does not back.
 */
export type Evidence = Outcome | 'unconfirmed';

/**
 * How the two sides compare. `confirmed`: the server's records agree with the client.
 * `contradicted`: they do not, and the server's side counts. `unseen`: the server has no
 * record of the client's connection.
 */
export type Agreement = 'confirmed' | 'contradicted' | 'unseen';

/** One handshake with both sides: what the client said, what the server saw, what counts. */
export interface CorroboratedHandshake {
  server: string;
  client: string;
  /** What counts for the verdict. */
  outcome: Evidence;
  version?: string;
  cipher?: string;
  /** A completed handshake's key exchange and authentication, as the server recorded it. */
  family?: string;
  reason?: string;
  error?: string;
  agreement: Agreement;
  /** Why the outcome is not simply the client's word. */
  note?: string;
  /**
   * A refusal, by when it came, as the server recorded it: `before-server-hello`, the client
   * turned down what the server offered before the server had answered (its version, its suites);
   * `after-server-hello`, the server had sent its ServerHello (at `serverHello`) and the client,
   * having accepted that version and suite, failed on something later (the signature, a MAC, the
   * certificate): no refusal of the version.
   */
  refusal?: 'before-server-hello' | 'after-server-hello';
  /** The version of the ServerHello the server had sent before an `after-server-hello` refusal. */
  serverHello?: string;
  /** The client's own report. */
  clientSaid: Omit<Handshake, 'server' | 'client'>;
  /** The server's records of the connections the client's handshake made (matched by port). */
  serverSaw: ServerSide[];
}

export interface Corroboration {
  handshakes: CorroboratedHandshake[];
  /** Connections a server saw that no handshake accounts for. */
  unclaimed: ServerRecord[];
}

/**
 * Matches every handshake a client reported with the server's own record of its
 * connections (by the client's port, each record to one handshake, in order) and keeps the
 * client's outcome only where the server backs it:
 * - `connected` only where the server completed the handshake (at the server's version);
 * - `refused` only where the server read the client's ClientHello and the handshake failed;
 * - a handshake the server completed is `connected`, whatever the client said;
 * - a connection or refusal the server has no record of (or saw otherwise) is `unconfirmed`.
 * A failure the client reports (network, timeout, certificate, error) stands: it is no
 * evidence of a refusal, and the server saw no handshake complete either.
 */
export function corroborate(handshakes: readonly Handshake[], records: readonly ServerRecord[]): Corroboration {
  const claimed = new Set<ServerRecord>();
  const result = handshakes.map((h): CorroboratedHandshake => {
    const saw: ServerRecord[] = [];
    for (const port of h.ports ?? []) {
      const record = records.find((r) => r.server === h.server && r.port === port && !claimed.has(r));
      if (record) {
        claimed.add(record);
        saw.push(record);
      }
    }
    const { server, client, ...said } = h;
    const base = { server, client, clientSaid: said, serverSaw: saw.map(({ server: _, ...side }) => side) };
    return { ...base, ...judge(h, saw) };
  });
  return { handshakes: result, unclaimed: records.filter((r) => !claimed.has(r)) };
}

type Judgement = Omit<CorroboratedHandshake, 'server' | 'client' | 'clientSaid' | 'serverSaw'>;

function judge(h: Handshake, saw: readonly ServerSide[]): Judgement {
  const clientsOwn = {
    ...(h.version ? { version: h.version } : {}),
    ...(h.cipher ? { cipher: h.cipher } : {}),
    ...(h.reason ? { reason: h.reason } : {}),
    ...(h.error ? { error: h.error } : {}),
  };
  const completed = saw.filter((s) => s.completed);
  if (completed.length > 0) {
    // The lowest version the server completed on the client's connections.
    const lowest = completed.reduce((a, b) => (versionRank(b.version) < versionRank(a.version) ? b : a));
    const server = {
      ...(lowest.version ? { version: lowest.version } : {}),
      ...(lowest.cipher ? { cipher: lowest.cipher } : {}),
      ...(lowest.family ? { family: lowest.family } : {}),
    };
    if (h.outcome === 'connected' && (!h.version || h.version === lowest.version)) {
      return { outcome: 'connected', agreement: 'confirmed', ...clientsOwn, ...server };
    }
    return {
      outcome: 'connected',
      agreement: 'contradicted',
      ...server,
      note: `the client reported ${said(h)}, but the server completed a ${lowest.version ?? 'TLS'} handshake on its connection`,
    };
  }
  if (saw.length === 0) {
    if (h.outcome === 'connected' || h.outcome === 'refused') {
      const what = (h.ports ?? []).length === 0 ? 'named no connection of its own' : 'has no server record';
      return {
        outcome: 'unconfirmed',
        agreement: 'unseen',
        ...clientsOwn,
        note: `the client reported ${said(h)}, but its handshake ${what}, so it is no evidence`,
      };
    }
    return { outcome: h.outcome, agreement: 'unseen', ...clientsOwn };
  }
  const failure = saw.find((s) => s.code !== undefined);
  const serverSays = failure ? `the handshake failed (${failure.code})` : 'no handshake complete';
  if (h.outcome === 'connected') {
    return {
      outcome: 'unconfirmed',
      agreement: 'contradicted',
      ...clientsOwn,
      note: `the client reported ${said(h)}, but the server saw ${serverSays}`,
    };
  }
  if (h.outcome === 'refused') {
    const failed = saw.filter((s) => s.hello && s.code !== undefined);
    if (failed.length > 0) {
      // Any connection the server had answered: the client went past the ServerHello there.
      const answered = failed.find((s) => s.serverHello !== undefined);
      const when = answered
        ? { refusal: 'after-server-hello' as const, serverHello: answered.serverHello! }
        : { refusal: 'before-server-hello' as const };
      return { outcome: 'refused', agreement: 'confirmed', ...clientsOwn, ...when };
    }
    const why = saw.some((s) => s.hello) ? 'no end to the handshake' : 'no ClientHello';
    return {
      outcome: 'unconfirmed',
      agreement: 'contradicted',
      ...clientsOwn,
      note: `the client reported ${said(h)}, but the server saw ${why} on its connection`,
    };
  }
  return { outcome: h.outcome, agreement: 'confirmed', ...clientsOwn };
}

function said(h: Handshake): string {
  if (h.outcome === 'connected') return `a completed ${h.version ?? 'TLS'} handshake`;
  const why = h.reason ?? h.error;
  return why ? `${h.outcome} (${why})` : h.outcome;
}
