import { foreign } from '../shared/foreign.js';
import type { JobEvidence, Refusal } from './evidence.js';
import { type RunContext, runLine } from './run.js';
import { countsLine, headline, ruleCounts, VERDICT_MARK } from './summary.js';

/**
 * A matrix's views: the job summary's table (a row per job, failures first) and the aggregate
 * JSON report that keeps every job's report whole (as far as its size cap allows). Every string
 * a report holds is foreign text (another job, or whoever can write an artifact, wrote it): it
 * reaches the Markdown only through foreign(), escaped and clipped. Both views are capped in
 * size, and say what they left out.
 */

export const AGGREGATE_FORMAT = 1;

/** GitHub takes at most 1 MiB of a step's summary: the Markdown stays under it. */
export const MAX_SUMMARY_BYTES = 1_000_000;
/** The aggregate JSON keeps reports whole up to this many bytes of them, then names the rest. */
export const MAX_AGGREGATE_REPORT_BYTES = 64 * 1024 * 1024;
/** Per job, the failed or warned rules the summary lists. */
const MAX_LISTED = 10;

type Kept = JobEvidence['report'] | { omitted: string };

export interface AggregateReport {
  format: typeof AGGREGATE_FORMAT;
  tool: 'tls-floor-merge';
  createdAt: string;
  /** The merge job's own run. */
  run: RunContext;
  fails: boolean;
  jobs: Array<
    Omit<JobEvidence, 'report'> & {
      failed: string[];
      warned: string[];
      untestable: string[];
      report: Kept;
    }
  >;
  refused: Refusal[];
}

/** Whether a refusal fails the evidence: a tls-floor report the merge cannot read or believe. */
export const refusalFails = (r: Refusal) => r.reason.startsWith('a tls-floor report');

export function aggregate(
  jobs: readonly JobEvidence[],
  refused: readonly Refusal[],
  run: RunContext,
  now = new Date(),
): AggregateReport {
  let kept = 0;
  return {
    format: AGGREGATE_FORMAT,
    tool: 'tls-floor-merge',
    createdAt: now.toISOString(),
    run,
    fails: jobs.some((j) => j.fails) || refused.some(refusalFails),
    jobs: jobs.map(({ report, ...job }) => {
      const size = JSON.stringify(report).length;
      kept += size;
      const whole = kept <= MAX_AGGREGATE_REPORT_BYTES;
      return {
        ...job,
        failed: report.policy.results.filter((r) => r.status === 'fail').map((r) => r.rule),
        warned: report.policy.warned,
        untestable: report.policy.untestable,
        report: whole
          ? report
          : {
              omitted: `${size} characters, past the ${MAX_AGGREGATE_REPORT_BYTES} this report keeps of all the jobs' reports; ${job.source} in the job's artifact has it whole`,
            },
      };
    }),
    refused: [...refused],
  };
}

const md = (value: unknown, max = 200) => foreign(value, { for: 'markdown', max });

/** The label, then the job id and the folder the report was found in (the artifact's name, as download-artifact lays it out). */
function jobCell(job: AggregateReport['jobs'][number], report: JobEvidence['report']): string {
  const folder = job.source.split('/').slice(-2, -1)[0];
  const where = [report.run.job ? `job ${md(report.run.job, 60)}` : '', folder ? md(folder, 60) : '']
    .filter(Boolean)
    .join(' · ');
  return `${md(job.label, 120)}${where ? `<br><sub>${where}</sub>` : ''}`;
}

const ids = (list: readonly string[]) =>
  list.length
    ? [
        ...list.slice(0, MAX_LISTED).map((id) => md(id, 60)),
        ...(list.length > MAX_LISTED ? [`and ${list.length - MAX_LISTED} more`] : []),
      ].join('<br>')
    : '-';

function verdictCell(job: JobEvidence): string {
  if (job.contradiction)
    return `❌ contradicted: the report says ${job.report.verdict}, its evidence ${VERDICT_MARK[job.verdict]} ${job.verdict}`;
  return md(headline(job.report), 80);
}

/** Markdown lines, kept while they fit in `budget` bytes; then one line saying how many were left out. */
function within(lines: string[], budget: { left: number }, what: string): string[] {
  const out: string[] = [];
  for (const [i, line] of lines.entries()) {
    const size = Buffer.byteLength(line, 'utf8') + 1;
    if (size > budget.left) {
      out.push(
        `${what}: ${lines.length - i} more not shown (the summary stays under GitHub's 1 MiB; report-path has them all)`,
      );
      budget.left = 0;
      break;
    }
    budget.left -= size;
    out.push(line);
  }
  return out;
}

export function renderMatrix(
  summary: AggregateReport,
  files: { report: string; sarif: string; junit: string },
  jobs: readonly JobEvidence[],
): string {
  const failing = jobs.filter((j) => j.fails).length;
  const all = jobs.flatMap((j) => j.report.policy.results);
  const title = failing
    ? `❌ ${failing} of ${jobs.length} jobs failed`
    : `✅ ${jobs.length} of ${jobs.length} jobs passed`;
  const run = runLine(summary.run);
  const budget = { left: MAX_SUMMARY_BYTES - 4096 };
  const rows = jobs.map((j, i) => {
    const r = j.report;
    const policies = r.policy.policies.slice(0, MAX_LISTED).map((p) => md(p, 40));
    return (
      `| ${jobCell(summary.jobs[i]!, r)} | ${md(r.runtime.version, 60)}<br>${md(r.runtime.tlsLibrary, 60)} | ` +
      `${r.floor} | ${r.probeMode} | ${policies.join(', ')} | ${verdictCell(j)} | ` +
      `${ids(summary.jobs[i]!.failed)} | ${r.policy.warned.length || '-'} |`
    );
  });
  const head = [
    `### tls-floor evidence: ${title}`,
    '',
    `**${countsLine(ruleCounts(all))}** over ${jobs.length} jobs`,
    ...(run ? ['', `<sub>${run}</sub>`] : []),
    '',
    '| Job | Runtime | Floor | Probe mode | Policies | Verdict | MUST failed | Warnings |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  const refusedLines = summary.refused.map((r) => `- ${md(r.source, 160)}: ${md(r.reason, 300)}`);
  const drift = baselineLines(jobs);
  const details = jobs.flatMap((j) => {
    const problems = j.report.policy.results.filter((r) => r.status === 'fail' || r.status === 'warn');
    return [
      `- **${md(j.label, 120)}** (${md(j.source, 160)}): ${md(j.report.summary, 400)}`,
      ...(j.contradiction ? [`  - ❌ The report contradicts its evidence: ${md(j.contradiction, 600)}`] : []),
      ...problems.slice(0, MAX_LISTED).map((r) => `  - ${r.status === 'fail' ? '❌' : '⚠️'} ${md(r.sentence, 400)}`),
      ...(problems.length > MAX_LISTED ? [`  - and ${problems.length - MAX_LISTED} more in report-path`] : []),
    ];
  });
  budget.left -= head.reduce((n, l) => n + Buffer.byteLength(l) + 1, 0);
  return [
    ...head,
    ...within(rows, budget, 'Jobs'),
    '',
    ...(summary.refused.length ? ['Refused:', '', ...within(refusedLines, budget, 'Refused files'), ''] : []),
    ...(drift.length ? ['Baseline drift:', '', ...within(drift, budget, 'Baseline drift'), ''] : []),
    '<details><summary>Each job: what failed and warned</summary>',
    '',
    ...within(details, budget, 'Details'),
    '',
    '</details>',
    '',
    `Outputs: \`report-path\` (${files.report}), \`sarif-path\` (${files.sarif}, for github/codeql-action/upload-sarif), ` +
      `\`junit-path\` (${files.junit}, for test reporters).`,
    '',
  ].join('\n');
}

/** Each job whose TLS posture differs from its baseline (the baseline input): its first differences, as foreign text. */
function baselineLines(jobs: readonly JobEvidence[]): string[] {
  return jobs.flatMap((j) => {
    const b = j.report.baseline;
    if (!b || (b.status !== 'drift' && b.status !== 'updated')) return [];
    const shown = b.differences.slice(0, 5).map((d) => `  - ${md(d, 200)}`);
    const more = b.differences.length > shown.length ? [`  - and ${b.differences.length - shown.length} more`] : [];
    const what = b.status === 'updated' ? 'rewritten (baseline-mode: update)' : 'differs';
    return [
      `- **${md(j.label, 120)}**: ${md(b.file, 120)} ${what}, ${b.differences.length} difference(s)`,
      ...shown,
      ...more,
    ];
  });
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"' };
/** A numeric entity's character, unless it is a control character or no character (then the entity stays). */
const visibleCode = (code: number, name: string) =>
  code >= 0x20 && code <= 0x10ffff && !(code >= 0x7f && code < 0xa0) ? String.fromCodePoint(code) : `&${name};`;

/**
 * The Markdown as the log shows it: the entities foreign() wrote for the summary shown as the
 * characters they stand for (the log renders no Markdown, so `&#58;` would only hide the text),
 * then every `::` and `##[` broken by a zero-width space, as foreign()'s log target does: no line
 * of it is a workflow command, whatever a report held.
 */
export function forLog(markdown: string): string {
  return markdown
    .replace(/&(#\d{1,6}|amp|lt|gt|quot);/g, (_, name: string) =>
      name.startsWith('#') ? visibleCode(Number(name.slice(1)), name) : (ENTITIES[name] ?? ''),
    )
    .replace(/::/g, ':\u200b:')
    .replace(/##\[/g, '#\u200b#[');
}
