import type { RuleResult, Status } from './evaluate.js';
import { type Finding, findingKinds, type Verdict } from './verdict.js';

/**
 * Whether a run fails, and why, as data: the one place that decides it. The verdict's findings
 * fail the job unless `fail-on-downgrade: false` tolerates them (a downgrade only, never a broken
 * or inconclusive finding); every failed MUST rule but the `floor` policy's fails it too (the
 * floor's rules say what the verdict says, so they follow fail-on-downgrade). A SHOULD only warns.
 * The action's exit code, its failure line, the job summary's headline and counts, and the merge
 * action's failed column all read this, never the verdict or the rules on their own.
 */
export interface RunOutcome {
  /** The job fails. */
  fails: boolean;
  /** fail-on-downgrade as the run was given it (kept so that a merge reads the same decision). */
  failOnDowngrade: boolean;
  /** The verdict's findings fail the job. */
  floorFails: boolean;
  /** A downgrade was found and fail-on-downgrade: false let the job go on. */
  downgradeTolerated: boolean;
  /** The failed MUST rules that fail the job, the floor policy's excluded: the error lines. */
  policyFailures: string[];
  /**
   * The headline: the verdict, or 'policy-failed' when the floor held and a MUST did not; with the
   * other kinds of finding, most serious first.
   */
  headline: Verdict | 'policy-failed';
  also: Array<Finding['verdict']>;
  /**
   * Every rule of the chosen policies by status, with a failed MUST split: `fail` counts those that
   * fail the job, `tolerated` the floor's, when fail-on-downgrade: false lets its downgrade pass.
   */
  counts: Record<Status | 'tolerated', number>;
  /** The TLS posture drifted from the baseline and baseline-mode: fail (withBaseline). */
  baselineFails?: boolean;
}

/** What runOutcome reads: a judgement's or a report's verdict, findings and rule results. */
export interface OutcomeEvidence {
  verdict: Verdict;
  findings: readonly Finding[];
  policy?: { results: readonly RuleResult[] } | undefined;
}

export function runOutcome(evidence: OutcomeEvidence, failOnDowngrade = true): RunOutcome {
  const results = evidence.policy?.results ?? [];
  const kinds = findingKinds(evidence.findings);
  const floorFails = kinds.length > 0 && (failOnDowngrade || kinds.some((k) => k !== 'downgrade'));
  const policyFailures = results.filter((r) => r.status === 'fail' && r.policy !== 'floor').map((r) => r.rule);
  const counts: RunOutcome['counts'] = { pass: 0, fail: 0, tolerated: 0, warn: 0, untestable: 0, 'not-applicable': 0 };
  for (const r of results) {
    const tolerated = r.status === 'fail' && r.policy === 'floor' && !floorFails;
    counts[tolerated ? 'tolerated' : r.status]++;
  }
  return {
    fails: floorFails || policyFailures.length > 0,
    failOnDowngrade,
    floorFails,
    downgradeTolerated: !floorFails && kinds.includes('downgrade'),
    policyFailures,
    headline: evidence.verdict === 'pass' && policyFailures.length > 0 ? 'policy-failed' : evidence.verdict,
    also: kinds.filter((k) => k !== evidence.verdict),
    counts,
  };
}

/** The outcome once the baseline is compared: a drift that baseline-mode: fail fails the run. */
export function withBaseline(outcome: RunOutcome, baselineFails: boolean): RunOutcome {
  return baselineFails ? { ...outcome, baselineFails, fails: true } : outcome;
}
