import type { ClientObservation, FipsObservation, Policy } from '../policies/rules.js';
import { clientKindNamed } from '../probe/client_kinds.js';
import type { ProbeServer } from '../probe/handshake.js';
import type { ProbeObservation } from '../probe/probe.js';
import { type Floor, versionsBelow } from '../shared/floor.js';
import type { ProcessFips } from '../shared/python_facts.js';
import { type ClientOutcome, clientOutcomes } from './client_outcomes.js';
import type { CorroboratedHandshake } from './corroboration.js';
import { decidingClients } from './deciders.js';
import { evaluatePolicies, type PolicyEvaluation } from './evaluate.js';
import { observeClients, refusedAfterHandshake, refusedInOffer } from './observe.js';
import { type RunOutcome, runOutcome } from './outcome.js';
import { decideVerdict, type VerdictResult } from './verdict.js';

export interface JudgementSettings {
  /** probe-mode: which of the runtime's clients decide ('both': every one). */
  probeMode: 'both' | 'strict' | 'default';
  /** The chosen policies, judged on the same corroborated handshakes as the verdict. */
  policies: readonly Policy[];
  /** The runtime the action obtained, where it is a FIPS one: its providers and this machine's fipsinstall. */
  fipsRuntime?: Pick<FipsObservation, 'providers' | 'install'>;
  /** fail-on-downgrade (default true): whether a downgrade fails the run (runOutcome). */
  failOnDowngrade?: boolean;
}

/** The policies' results, with which policies were chosen. */
export interface PolicyJudgement extends PolicyEvaluation {
  policies: string[];
  /**
   * The servers a chosen MUST rule requires refusing (the floor's legacy servers among them): a
   * completed handshake there breaks a MUST; with a server only SHOULD rules name, it warns.
   */
  mustRefuse?: string[];
  /** The clients some chosen policy other than the floor judges on its servers (judgedBy). */
  judgedOnPolicyServers?: string[];
}

/** A corroborated handshake, with why its client refused after completing it (refusedAfterHandshake). */
export type JudgedHandshake = CorroboratedHandshake & { refusedAfter?: string };

export interface Judgement {
  probeMode: JudgementSettings['probeMode'];
  /** The clients whose handshakes decided. */
  deciders: string[];
  /** Every client the probe ran (a library client too): ran or not, decides or not, its own outcome. */
  clientOutcomes: ClientOutcome[];
  /** The floor's verdict, with every handshake corroborated by the servers' records. */
  verdict: VerdictResult & { handshakes: JudgedHandshake[] };
  /** Whether the run fails, why, the headline and the rule counts (runOutcome). */
  outcome: RunOutcome;
  /** What each client did with each server kind, as the policies read it (deciding or not). */
  observations: ClientObservation[];
  policy: PolicyJudgement;
}

/**
 * What the probe's observation proves: pure. The deciding clients (probe-mode), the verdict on
 * their corroborated handshakes, and every chosen policy's rules on the same handshakes, for
 * every client kind alike.
 */
export function judge(observation: ProbeObservation, settings: JudgementSettings): Judgement {
  const { floor, servers, handshakes, serverRecords, unavailable } = observation;
  const deciders = decidingClients(settings.probeMode, observation.clients);
  const verdict = decideVerdict({ floor, servers, deciders, handshakes, serverRecords });
  // Every client that ran is observed; which of them a policy judges is evaluatePolicies' rule (judgedBy).
  const fips = fipsObservation(observation, settings.fipsRuntime);
  const observations = observeClients({
    servers,
    unavailable,
    handshakes: verdict.handshakes,
    clients: observation.clients,
    deciders,
  }).map((o) => (fips ? { ...o, fips } : o));
  const evaluation = evaluatePolicies(settings.policies, observations, { floor });
  const judgedOnPolicyServers = evaluation.results.flatMap((r) =>
    r.policy === 'floor' ? [] : r.clients.filter((c) => c.judged).map((c) => c.client),
  );
  const policy: PolicyJudgement = {
    policies: settings.policies.map((p) => p.id),
    ...evaluation,
    mustRefuse: mustRefuseServers(settings.policies, floor),
    judgedOnPolicyServers: [...new Set(judgedOnPolicyServers)],
  };
  return {
    probeMode: settings.probeMode,
    deciders,
    clientOutcomes: clientOutcomes(observation, deciders),
    verdict: {
      ...verdict,
      handshakes: verdict.handshakes.map((h) =>
        withRefusedAfter(
          h,
          observation.servers.find((s) => s.id === h.server),
        ),
      ),
    },
    outcome: runOutcome({ verdict: verdict.verdict, findings: verdict.findings, policy }, settings.failOnDowngrade),
    observations,
    policy,
  };
}

function withRefusedAfter(h: CorroboratedHandshake, server: ProbeServer | undefined): JudgedHandshake {
  if (server && refusedInOffer(server)) return h;
  const why = refusedAfterHandshake(h);
  return why === undefined ? h : { ...h, refusedAfter: why };
}

/** The servers the chosen MUST rules require refusing: the floor's legacy ones and the policies' named kinds. */
function mustRefuseServers(policies: readonly Policy[], floor: Floor): string[] {
  const ids = new Set<string>(versionsBelow(floor));
  for (const rule of policies.flatMap((p) => p.rules)) {
    if (rule.level !== 'MUST' || !('mustRefuse' in rule.check)) continue;
    for (const kind of rule.check.mustRefuse) if (kind !== 'below-floor') ids.add(kind);
  }
  return [...ids];
}

/** The FIPS facts: the probed interpreter's own (a Python runtime only), with the obtained runtime's providers. */
function fipsObservation(
  observation: ProbeObservation,
  runtime: JudgementSettings['fipsRuntime'],
): FipsObservation | undefined {
  if (!clientKindNamed(observation.runtime.kind)?.fipsFacts) return undefined;
  const process = (observation.runtime.details['fips'] as ProcessFips | null | undefined) ?? null;
  return { process, ...(runtime ?? {}) };
}
