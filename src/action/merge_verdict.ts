import { judge } from '../judgement/judge.js';
import type { Verdict } from '../judgement/verdict.js';
import { POLICIES } from '../policies/policies.js';
import type { PolicyId } from '../policies/rules.js';
import type { ProbeObservation } from '../probe/probe.js';
import type { Report } from '../report/report.js';

/**
 * A report's verdict is its writer's word; its evidence is what the probe saw. The merge
 * believes the evidence: it rebuilds the observation a report keeps (each handshake as the
 * client said it, each connection as the server recorded it, the servers, the clients, the
 * floor and the probe mode) and judges it again with the judgement layer's own judge(), the
 * function the action itself decides with. A report whose verdict or failed MUST rules
 * disagree with what its evidence proves fails its job, with a line saying so.
 *
 * What cannot be recomputed from a report: the rules that read the ClientHello (the report
 * keeps its facts, not the hello itself) and the FIPS rules (the runtime's providers and this
 * machine's fipsinstall are not in it). Those come out untestable here, never failed, so they
 * never contradict; only a MUST rule the evidence fails that the report does not is a
 * contradiction (a report that says worse than its evidence only costs its writer).
 */

export interface Recheck {
  /** The verdict the evidence proves (the report's, where they agree). */
  verdict: Verdict;
  /** Why the report is not believed: one clause; absent when it agrees with its evidence. */
  contradiction?: string;
}

/** The probe's observation as the report keeps it. */
function observationOf(report: Report): ProbeObservation {
  const serverRecords = [
    ...report.handshakes.flatMap((h) => h.serverSaw.map((side) => ({ server: h.server, ...side }))),
    ...report.unclaimed,
  ];
  return {
    floor: report.floor,
    servers: report.servers,
    // The runtime's own facts (FIPS) are not the handshakes' evidence: see above.
    runtime: { ...report.runtime, details: {} },
    clients: report.clients,
    handshakes: report.handshakes.map((h) => ({ server: h.server, client: h.client, ...h.clientSaid })),
    serverRecords,
    unavailable: report.unavailable,
    durationMs: report.durationMs,
  };
}

const isPolicy = (id: string): id is PolicyId => Object.hasOwn(POLICIES, id);
const recomputable = (policy: PolicyId, rule: string) =>
  !POLICIES[policy].rules.some((r) => r.id === rule && 'fipsModule' in r.check);

/** The report's verdict and failed MUST rules against what its own evidence proves. */
export function recheck(report: Report): Recheck {
  if (report.handshakes.length === 0 || report.servers.length === 0) {
    return {
      verdict: 'inconclusive',
      ...(report.verdict === 'inconclusive'
        ? {}
        : {
            contradiction: `the report says ${report.verdict} but carries no handshakes or servers to recompute it from, so its verdict is inconclusive`,
          }),
    };
  }
  // A policy this version does not know (a newer writer's) is not recomputed; the verdict and the known ones are.
  const policies = report.policy.policies.filter(isPolicy).map((id) => POLICIES[id]);
  const judged = judge(observationOf(report), { probeMode: report.probeMode, policies });
  const verdict = judged.verdict.verdict;
  const reported = new Set(report.policy.results.filter((r) => r.status === 'fail').map((r) => r.rule));
  const hidden = judged.policy.results
    .filter((r) => r.status === 'fail' && r.level === 'MUST' && recomputable(r.policy, r.rule))
    .filter((r) => !reported.has(r.rule))
    .map((r) => r.rule);
  const problems = [
    ...(verdict !== report.verdict
      ? [
          `the report says ${report.verdict}, but its handshakes and the servers' records prove ${verdict} (${judged.verdict.summary})`,
        ]
      : []),
    ...(hidden.length
      ? [`its evidence fails MUST rule(s) ${hidden.join(', ')} that the report does not list as failed`]
      : []),
  ];
  return { verdict, ...(problems.length ? { contradiction: problems.join('; ') } : {}) };
}
