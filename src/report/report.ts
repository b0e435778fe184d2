import type { ClientOutcome } from '../judgement/client_outcomes.js';
import type { CorroboratedHandshake } from '../judgement/corroboration.js';
import type { JudgedHandshake, Judgement, PolicyJudgement } from '../judgement/judge.js';
import { type RunOutcome, runOutcome } from '../judgement/outcome.js';
import type { Finding, Verdict, VerdictResult } from '../judgement/verdict.js';
import type { CertificateFacts } from '../probe/certs.js';
import type { ClientDescription, RuntimeInfo } from '../probe/clients/client.js';
import type { ProbeServer, ServerRecord } from '../probe/handshake.js';
import type { ProbeObservation } from '../probe/probe.js';
import type { Lifecycle } from '../runtime/model/versions.js';
import type { Floor } from '../shared/floor.js';
import { type ClientHelloFacts, clientHelloFacts } from '../shared/tls/client_hello.js';
import { type RunContext, runContext } from './run.js';

/** The report's format version: 2 added `run` (what the report is evidence for). The merge action refuses others. */
export const REPORT_FORMAT = 2;

/** The JSON report an auditor keeps; the log table and the job summary are views of it. */
export interface Report {
  format: typeof REPORT_FORMAT;
  tool: 'tls-floor';
  createdAt: string;
  /** The repository, commit, run, job, runner and action version this report is evidence for. */
  run: RunContext;
  floor: Floor;
  probeMode: Judgement['probeMode'];
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
  handshakes: Array<JudgedHandshake & { expected: 'connect' | 'refuse' }>;
  /** Connections a server saw that no client reported. */
  unclaimed: ServerRecord[];
  /**
   * What each client offered: the ClientHellos the servers read on its connections, each
   * distinct one once, with the servers it went to.
   */
  clientHelloFacts: Record<string, Array<{ servers: string[]; facts: ClientHelloFacts }>>;
  /** Policy servers this runner's TLS library could not start (their rules are not testable). */
  unavailable: { id: string; reason: string }[];
  /** The baseline this run was compared with (the baseline input): its file, what happened, the differences. */
  baseline?: { file: string; status: 'written' | 'same' | 'drift' | 'updated'; differences: string[] };
  /** The run's certificates (the CBOM's certificate assets). */
  certificates?: CertificateFacts[];
  /** The chosen policies and every rule's result. */
  policy: PolicyJudgement;
  /** Whether the run fails, why, its headline and rule counts (judgement/outcome.ts); absent from older reports. */
  outcome?: RunOutcome;
  durationMs: number;
  /** Anything else the run knows (the build, the cache). */
  context?: Record<string, unknown>;
  /** A built runtime's support lines: end of life, its date and source (runtime/model/versions.ts lifecycleOf). */
  lifecycle?: Lifecycle[];
}

/** What the run knows beside the probe and the judgement: an obtained runtime's build and support lines. */
export interface ReportContext {
  context?: Record<string, unknown>;
  lifecycle?: Lifecycle[];
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

/** A run's name when the label input gives none: the runtime, its TLS library, the floor and the probe mode. */
function derivedLabel(observation: ProbeObservation, probeMode: Judgement['probeMode']): string {
  const { runtime, floor } = observation;
  return `${runtime.version} (${runtime.tlsLibrary}) · floor TLS ${floor} · probe-mode ${probeMode}`;
}

/** The report, made once: what the probe observed, what the judgement made of it, and the run's context. */
export function buildReport(
  observation: ProbeObservation,
  judgement: Judgement,
  extra: ReportContext = {},
  now: Date = new Date(),
  run: RunContext = runContext(),
): Report {
  const result = judgement.verdict;
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
    run: { ...run, label: run.label ?? derivedLabel(observation, judgement.probeMode) },
    floor: observation.floor,
    probeMode: judgement.probeMode,
    deciders: judgement.deciders,
    verdict: result.verdict,
    summary: result.summary,
    ...(result.negotiatedVersion ? { negotiatedVersion: result.negotiatedVersion } : {}),
    findings: result.findings,
    runtime: observation.runtime,
    clients: observation.clients,
    clientOutcomes: judgement.clientOutcomes,
    servers: observation.servers,
    handshakes: result.handshakes.map((h) => ({
      ...h,
      serverSaw: h.serverSaw.map(withoutHello),
      expected: expected(h),
    })),
    unclaimed: result.unclaimed.map(withoutHello),
    clientHelloFacts: factsByClient(result.handshakes),
    unavailable: observation.unavailable ?? [],
    ...(observation.certificates ? { certificates: observation.certificates } : {}),
    durationMs: observation.durationMs,
    policy: judgement.policy,
    outcome: judgement.outcome,
    ...(extra.context ? { context: extra.context } : {}),
    ...(extra.lifecycle ? { lifecycle: extra.lifecycle } : {}),
  };
}

/** A report's outcome: as its run decided it, or (a report from before `outcome`) decided again with fail-on-downgrade on. */
export function outcomeOf(report: Pick<Report, 'verdict' | 'findings' | 'policy' | 'outcome'>): RunOutcome {
  return report.outcome ?? runOutcome(report, true);
}
