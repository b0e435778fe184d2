import type { CorroboratedHandshake } from '../corroboration.js';
import type { Floor } from '../floor.js';
import type { ProbeMode } from '../inputs.js';
import type { PolicyEvaluation } from '../policy/evaluate.js';
import type { ClientDescription, RuntimeInfo } from '../probe/clients/client.js';
import type { ProbeServer, ServerRecord } from '../probe/handshake.js';
import type { ProbeObservation } from '../probe/probe.js';
import type { Lifecycle } from '../runtime/versions.js';
import { type ClientHelloFacts, clientHelloFacts } from '../tls/client_hello.js';
import type { Finding, Verdict, VerdictResult } from '../verdict.js';
import { type ClientOutcome, clientOutcomes } from './client_outcomes.js';

export const REPORT_FORMAT = 1;

/** The JSON report an auditor keeps; the log table and the job summary are views of it. */
export interface Report {
  format: typeof REPORT_FORMAT;
  tool: 'tls-floor';
  createdAt: string;
  floor: Floor;
  probeMode: ProbeMode;
  deciders: string[];
  verdict: Verdict;
  summary: string;
  negotiatedVersion?: string;
  findings: Finding[];
  runtime: RuntimeInfo;
  clients: ClientDescription[];
  /** Each client by name: ran or not (and why), decides or not, the outcome of its own handshakes. */
  clientOutcomes: ClientOutcome[];
  servers: ProbeServer[];
  /** Every handshake with both sides (the client's report, the server's records) and what counted. */
  handshakes: Array<CorroboratedHandshake & { expected: 'connect' | 'refuse' }>;
  /** Connections a server saw that no client reported. */
  unclaimed: ServerRecord[];
  /**
   * What each client offered: the ClientHellos the servers read on its connections, each
   * distinct one once, with the servers it went to.
   */
  clientHelloFacts: Record<string, Array<{ servers: string[]; facts: ClientHelloFacts }>>;
  /** Policy servers this runner's TLS library could not start (their rules are not testable). */
  unavailable: { id: string; reason: string }[];
  /** The chosen policies and every rule's result (added by the entry point). */
  policy?: PolicyReport;
  durationMs: number;
  /** Anything else the run knows (the build, the cache); added by the entry point. */
  context?: Record<string, unknown>;
  /** A built runtime's support lines: end of life, its date and source (runtime/versions.ts lifecycleOf). */
  lifecycle?: Lifecycle[];
}

export interface PolicyReport extends PolicyEvaluation {
  policies: string[];
}

/** A server's record as the report keeps it: the ClientHello is kept once per client, as facts. */
const withoutHello = <T extends { clientHello?: unknown }>({ clientHello: _, ...rest }: T): Omit<T, 'clientHello'> =>
  rest;

function factsByClient(handshakes: VerdictResult['handshakes']): Report['clientHelloFacts'] {
  const out: Report['clientHelloFacts'] = {};
  for (const h of handshakes) {
    if (h.client === 'control') continue;
    for (const side of h.serverSaw) {
      if (!side.clientHello) continue;
      const facts = clientHelloFacts(side.clientHello);
      out[h.client] ??= [];
      const list = out[h.client]!;
      const same = list.find((x) => JSON.stringify(x.facts) === JSON.stringify(facts));
      if (!same) list.push({ servers: [h.server], facts });
      else if (!same.servers.includes(h.server)) same.servers.push(h.server);
    }
  }
  return out;
}

export function buildReport(
  observation: ProbeObservation,
  result: VerdictResult,
  probeMode: ProbeMode,
  deciders: string[],
  now: Date = new Date(),
): Report {
  const serverOf = new Map(observation.servers.map((s) => [s.id, s]));
  const expected = (h: CorroboratedHandshake): 'connect' | 'refuse' => {
    const server = serverOf.get(h.server);
    if (h.client === 'control' || server?.role === 'modern') return 'connect';
    return server?.expect ?? 'refuse';
  };
  return {
    format: REPORT_FORMAT,
    tool: 'tls-floor',
    createdAt: now.toISOString(),
    floor: observation.floor,
    probeMode,
    deciders,
    verdict: result.verdict,
    summary: result.summary,
    ...(result.negotiatedVersion ? { negotiatedVersion: result.negotiatedVersion } : {}),
    findings: result.findings,
    runtime: observation.runtime,
    clients: observation.clients,
    clientOutcomes: clientOutcomes(observation, deciders),
    servers: observation.servers,
    handshakes: result.handshakes.map((h) => ({
      ...h,
      serverSaw: h.serverSaw.map(withoutHello),
      expected: expected(h),
    })),
    unclaimed: result.unclaimed.map(withoutHello),
    clientHelloFacts: factsByClient(result.handshakes),
    unavailable: observation.unavailable ?? [],
    durationMs: observation.durationMs,
  };
}
