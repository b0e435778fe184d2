import { VERDICTS } from '../judgement/verdict.js';
import { FLOORS } from '../shared/floor.js';
import { REPORT_FORMAT, type Report } from './report.js';
import { evidenceFails } from './summary.js';

/**
 * A matrix's evidence: each job's report, read back, checked to be a tls-floor report of the
 * format this version writes, and labelled so that the table, SARIF and JUnit name each job the
 * same way. Pure: the merge action reads the files (src/action/merge_reports.ts).
 */

export interface JobEvidence {
  /** The job in a few words: job id, runtime, floor (unique within the matrix). */
  label: string;
  /** SARIF's category for this job (runs[].automationDetails.id without the run id). */
  category: string;
  /** The report file, relative to the workspace (or RUNNER_TEMP) it was found under. */
  source: string;
  fails: boolean;
  report: Report;
}

export interface Refusal {
  source: string;
  reason: string;
}

/** Why a parsed JSON document is not a report this version reads, or undefined when it is one. */
export function refuseReport(document: unknown): string | undefined {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) return 'not a JSON object';
  const doc = document as Record<string, unknown>;
  if (doc['tool'] !== 'tls-floor') return 'not a tls-floor report (no "tool": "tls-floor")';
  if (doc['format'] !== REPORT_FORMAT)
    return `a tls-floor report of format ${JSON.stringify(doc['format'] ?? null)}; this version reads format ${REPORT_FORMAT} (re-run the job with the same tls-floor version as the merge)`;
  const problems = [
    (VERDICTS as readonly unknown[]).includes(doc['verdict']) ? '' : 'verdict',
    (FLOORS as readonly unknown[]).includes(doc['floor']) ? '' : 'floor',
    typeof doc['runtime'] === 'object' && doc['runtime'] !== null ? '' : 'runtime',
    typeof doc['run'] === 'object' && doc['run'] !== null ? '' : 'run',
    Array.isArray((doc['policy'] as { results?: unknown } | undefined)?.results) ? '' : 'policy.results',
    Array.isArray(doc['servers']) && Array.isArray(doc['handshakes']) ? '' : 'servers/handshakes',
  ].filter(Boolean);
  return problems.length ? `a tls-floor report with missing or invalid ${problems.join(', ')}` : undefined;
}

const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, '-')
    .replace(/^-|-$/g, '');

/** Labels the jobs (failures first, then as found) and gives each a category of its own. */
export function labelJobs(reports: ReadonlyArray<{ source: string; report: Report }>): JobEvidence[] {
  const seen = new Map<string, number>();
  const jobs = reports.map(({ source, report }) => {
    const base = `${report.run.job ?? 'job'} · ${report.runtime.version} · TLS ${report.floor} · ${report.probeMode}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    const label = n > 1 ? `${base} (${n})` : base;
    return { label, category: `tls-floor/${slug(label)}`, source, fails: evidenceFails(report), report };
  });
  return [...jobs.filter((j) => j.fails), ...jobs.filter((j) => !j.fails)];
}
