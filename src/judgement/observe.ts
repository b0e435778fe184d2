import type { ClientObservation, Policy, ServerObservation } from '../policies/rules.js';
import type { ClientDescription } from '../probe/clients/client.js';
import type { ProbeServer } from '../probe/handshake.js';
import { isServerKind, type ServerKind, serverKind } from '../probe/server_kinds.js';
import { type Floor, versionsBelow } from '../shared/floor.js';
import type { CorroboratedHandshake } from './corroboration.js';

/**
 * The one adapter between the probe and the policies: pure. It reads only the corroborated
 * handshakes (each with the servers' own records of its connections), so every client kind
 * (python, node, curl, openssl, a command) is judged by the same evidence, none by its own word:
 * - what a client offered: the ClientHellos the servers read on its connections;
 * - `connected`: the server completed a handshake on its connection;
 * - `refused`: the server read its ClientHello and the handshake then failed, and the client does
 *   not claim a connection; or the handshake completed, the client sent no request on it and
 *   reported a failure (a certificate check made after the handshake, as urllib3 1.x and curl do).
 *   A server kind refused by the offer (a version, suites: its `refusedBy`) counts only a refusal
 *   made before its ServerHello: a client that went past it accepted what the server serves;
 * - `untestable`: the server did not start on this runner, its control could not reach it, or
 *   the client's handshake is no evidence either way (network, timeout, no record).
 */

export interface PolicyEvidence {
  servers: readonly ProbeServer[];
  /** Policy servers the runner's TLS library could not start. */
  unavailable: readonly { id: string; reason: string }[];
  /** Every handshake, corroborated (decideVerdict's `handshakes`), the controls' included. */
  handshakes: readonly CorroboratedHandshake[];
  /** The clients that ran (the probe's descriptions): each is observed, whether or not it decides. */
  clients: readonly ClientDescription[];
  /** The clients that decide the verdict in the chosen probe-mode (decidingClients). */
  deciders: readonly string[];
}

/** The server kinds the policies name, 'below-floor' as the floor's versions. */
export function serversFor(policies: readonly Policy[], floor: Floor): ServerKind[] {
  const kinds = policies.flatMap((p) =>
    p.rules.flatMap((r) =>
      'mustRefuse' in r.check ? r.check.mustRefuse : 'mustConnect' in r.check ? r.check.mustConnect : [],
    ),
  );
  return [...new Set(kinds.flatMap((k) => (k === 'below-floor' ? versionsBelow(floor) : [k])))];
}

export function observeClients(evidence: PolicyEvidence): ClientObservation[] {
  const find = (server: string, client: string) =>
    evidence.handshakes.find((h) => h.server === server && h.client === client);
  // An optional client that did not run (urllib3 where it does not import) is not observed;
  // any other client is, with its handshakes or without (then its rules are untestable).
  const observed = evidence.clients.filter((c) => c.ran || !c.optional);
  return observed.map(({ name: client, mode }) => {
    const servers: Partial<Record<ServerKind, ServerObservation>> = {};
    for (const { id, reason } of evidence.unavailable) {
      if (isServerKind(id)) servers[id] = { outcome: 'untestable', detail: reason };
    }
    for (const server of evidence.servers) {
      if (!isServerKind(server.id)) continue;
      const control = server.role === 'modern' ? undefined : find(server.id, 'control');
      if (server.role !== 'modern' && control?.outcome !== 'connected') {
        const why = control ? (control.note ?? control.error ?? control.reason ?? control.outcome) : 'none ran';
        servers[server.id] = { outcome: 'untestable', detail: `its control could not complete a handshake: ${why}` };
        continue;
      }
      servers[server.id] = observeServer(find(server.id, client), refusedInOffer(server) ? 'offer' : 'any');
    }
    const hellos = evidence.handshakes
      .filter((h) => h.client === client)
      .flatMap((h) => h.serverSaw.flatMap((s) => (s.clientHello ? [{ server: h.server, hello: s.clientHello }] : [])));
    return {
      client,
      decides: evidence.deciders.includes(client),
      ...(mode === 'strict' ? { capability: true } : {}),
      hellos,
      servers,
    };
  });
}

function observeServer(h: CorroboratedHandshake | undefined, refusedBy: 'offer' | 'any'): ServerObservation {
  if (!h) return { outcome: 'untestable', detail: 'the client has no handshake with it' };
  const byOffer = refusedBy === 'offer';
  // Refused by the offer: a handshake the server completed is a connection, whatever came after.
  const why = byOffer ? undefined : refusedAfterHandshake(h);
  if (why !== undefined) return { outcome: 'refused', detail: `after the handshake, without a request: ${why}` };
  if (h.outcome === 'connected') {
    return { outcome: 'connected', detail: [h.version, h.cipher].filter(Boolean).join(' with ') || 'completed' };
  }
  const failed = h.serverSaw.find((s) => s.hello && !s.completed && s.code !== undefined);
  if (failed && h.clientSaid.outcome !== 'connected') {
    const why = h.reason ?? failed.code;
    if (byOffer && h.refusal === 'after-server-hello') {
      const detail = `no refusal of what it serves: the client accepted its ${h.serverHello} ServerHello, then failed (${why})`;
      return { outcome: 'untestable', detail };
    }
    return {
      outcome: 'refused',
      detail: `${why}${h.refusal === 'before-server-hello' ? ', before its ServerHello' : ''}`,
    };
  }
  return { outcome: 'untestable', detail: `no evidence either way: ${h.note ?? h.error ?? h.reason ?? h.outcome}` };
}

/**
 * Why a client refused after the handshake, or undefined: a client that checks the certificate
 * after the handshake (urllib3 1.x and curl check the host name then) completes it, sends nothing
 * and reports a failure; the server saw no request.
 */
export function refusedAfterHandshake(h: CorroboratedHandshake): string | undefined {
  const silent = h.serverSaw.length > 0 && h.serverSaw.every((s) => s.completed && !s.requested);
  const failedAfter = h.clientSaid.outcome !== 'connected' || h.clientSaid.error !== undefined;
  if (h.outcome !== 'connected' || !silent || !failedAfter) return undefined;
  return h.clientSaid.reason ?? h.clientSaid.error ?? h.clientSaid.outcome;
}

/**
 * A server whose kind a sound client refuses in its offer, before the server's ServerHello: a
 * legacy server (its version; TLSv1.2 too, at a 1.3 floor) or a suites server (server_kinds.ts
 * refusedBy). A handshake completed there is a connection, whatever the client did after it;
 * a failure after its ServerHello is no refusal of what it serves.
 */
export function refusedInOffer(server: Pick<ProbeServer, 'id' | 'role'>): boolean {
  return server.role === 'legacy' || (isServerKind(server.id) && serverKind(server.id).refusedBy === 'offer');
}
