import { createHash } from 'node:crypto';
import type { Verdict } from '../judgement/verdict.js';
import type { Report } from './report.js';
import { evidenceFails } from './summary.js';

/**
 * A matrix's evidence: each job's report, read back and checked by the merge action
 * (src/action/merge_reports.ts, merge_schema.ts), its verdict recomputed from its own evidence
 * (merge_verdict.ts), and labelled so that the table, SARIF and JUnit name each job the same way
 * whatever order the files were found in. Pure.
 */

export interface JobEvidence {
  /** The job's name: its report's run.label (the label input), else job id, runtime, floor and probe mode; unique. */
  label: string;
  /** This job's category (SARIF results' properties, the aggregate report): a slug of the label and a hash of it. */
  category: string;
  /** The report file, relative to the workspace (or RUNNER_TEMP) it was found under. */
  source: string;
  /** The verdict its evidence proves (the report's own, unless it contradicts its evidence). */
  verdict: Verdict;
  /** Why the report's verdict or failed rules are not believed; absent when they agree with its evidence. */
  contradiction?: string;
  fails: boolean;
  report: Report;
}

export interface Refusal {
  source: string;
  reason: string;
}

/** A job as the merge checked it: the report, where it was found, what its evidence proves. */
export interface CheckedReport {
  source: string;
  report: Report;
  verdict: Verdict;
  contradiction?: string;
}

const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);
const hash = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 10);
const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The report's own name for its run, or the one the merge gives a report without it. */
function baseLabel(report: Report): string {
  if (report.run.label) return report.run.label;
  return `${report.run.job ?? 'job'} · ${report.runtime.version} · TLS ${report.floor} · ${report.probeMode}`;
}

/**
 * Labels the jobs and orders them: failures first, then by label, then by file (never by the
 * order a glob found them). A label two reports share gets ` (2)`, ` (3)` in that order; each
 * category is the label's slug and a hash of the exact label, so labels that slug alike
 * ("deploy prod", "deploy-prod", "Deploy_Prod") keep categories of their own.
 */
export function labelJobs(reports: readonly CheckedReport[]): JobEvidence[] {
  const sorted = reports
    .map((r) => ({ ...r, base: baseLabel(r.report) }))
    .sort((a, b) => byCodeUnits(a.base, b.base) || byCodeUnits(a.source, b.source));
  const seen = new Map<string, number>();
  const jobs = sorted.map(({ base, source, report, verdict, contradiction }): JobEvidence => {
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    const label = n > 1 ? `${base} (${n})` : base;
    const fails = evidenceFails(report) || verdict !== 'pass' || contradiction !== undefined;
    return {
      label,
      category: `tls-floor/${slug(label) || 'job'}-${hash(label)}`,
      source,
      verdict,
      ...(contradiction ? { contradiction } : {}),
      fails,
      report,
    };
  });
  return [...jobs.filter((j) => j.fails), ...jobs.filter((j) => !j.fails)];
}
