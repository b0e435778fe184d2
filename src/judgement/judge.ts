import type { ClientObservation, FipsObservation, Policy } from '../policies/rules.js';
import { clientKindNamed } from '../probe/client_kinds.js';
import type { ProbeObservation } from '../probe/probe.js';
import type { ProcessFips } from '../shared/python_facts.js';
import { type ClientOutcome, clientOutcomes } from './client_outcomes.js';
import { decidingClients } from './deciders.js';
import { evaluatePolicies, type PolicyEvaluation } from './evaluate.js';
import { observeClients } from './observe.js';
import { decideVerdict, type VerdictResult } from './verdict.js';

export interface JudgementSettings {
  /** probe-mode: which of the runtime's clients decide ('both': every one). */
  probeMode: 'both' | 'strict' | 'default';
  /** The chosen policies, judged on the same corroborated handshakes as the verdict. */
  policies: readonly Policy[];
  /** The runtime the action obtained, where it is a FIPS one: its providers and this machine's fipsinstall. */
  fipsRuntime?: Pick<FipsObservation, 'providers' | 'install'>;
}

/** The policies' results, with which policies were chosen. */
export interface PolicyJudgement extends PolicyEvaluation {
  policies: string[];
}

export interface Judgement {
  probeMode: JudgementSettings['probeMode'];
  /** The clients whose handshakes decided. */
  deciders: string[];
  /** Every client the probe ran (a library client too): ran or not, decides or not, its own outcome. */
  clientOutcomes: ClientOutcome[];
  /** The floor's verdict, with every handshake corroborated by the servers' records. */
  verdict: VerdictResult;
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
  return {
    probeMode: settings.probeMode,
    deciders,
    clientOutcomes: clientOutcomes(observation, deciders),
    verdict,
    observations,
    policy: { policies: settings.policies.map((p) => p.id), ...evaluation },
  };
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
