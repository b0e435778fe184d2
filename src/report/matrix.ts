import type { JobEvidence, Refusal } from './evidence.js';
import { type RunContext, runLine } from './run.js';
import { countsLine, esc, headline, ruleCounts } from './summary.js';

/**
 * A matrix's views: the job summary's table (a row per job, failures first) and the aggregate
 * JSON report that keeps every job's report whole.
 */

export const AGGREGATE_FORMAT = 1;

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
      report: JobEvidence['report'];
    }
  >;
  refused: Refusal[];
}

export function aggregate(
  jobs: readonly JobEvidence[],
  refused: readonly Refusal[],
  run: RunContext,
  now = new Date(),
): AggregateReport {
  return {
    format: AGGREGATE_FORMAT,
    tool: 'tls-floor-merge',
    createdAt: now.toISOString(),
    run,
    fails: jobs.some((j) => j.fails) || refused.some((r) => r.reason.startsWith('a tls-floor report')),
    jobs: jobs.map(({ report, ...job }) => ({
      ...job,
      failed: (report.policy?.results ?? []).filter((r) => r.status === 'fail').map((r) => r.rule),
      warned: report.policy?.warned ?? [],
      untestable: report.policy?.untestable ?? [],
      report,
    })),
    refused: [...refused],
  };
}

/** The job id, and the folder the report was found in (the artifact's name, as download-artifact lays it out). */
function jobCell(job: AggregateReport['jobs'][number]): string {
  const folder = job.source.split('/').slice(-2, -1)[0];
  return `${esc(job.report.run.job ?? 'job')}${folder ? `<br><sub>${esc(folder)}</sub>` : ''}`;
}

const ids = (list: readonly string[]) => (list.length ? list.map((id) => `\`${id}\``).join('<br>') : '-');

export function renderMatrix(
  summary: AggregateReport,
  files: { report: string; sarif: string; junit: string },
): string {
  const failing = summary.jobs.filter((j) => j.fails).length;
  const all = summary.jobs.flatMap((j) => j.report.policy?.results ?? []);
  const title = failing
    ? `❌ ${failing} of ${summary.jobs.length} jobs failed`
    : `✅ ${summary.jobs.length} of ${summary.jobs.length} jobs passed`;
  const run = runLine(summary.run);
  const rows = summary.jobs.map((j) => {
    const r = j.report;
    return (
      `| ${jobCell(j)} | ${esc(r.runtime.version)}<br>${esc(r.runtime.tlsLibrary)} | ` +
      `${r.floor} | ${(r.policy?.policies ?? []).join(', ')} | ${esc(headline(r))} | ${ids(j.failed)} | ` +
      `${j.warned.length || '-'} |`
    );
  });
  return [
    `### tls-floor evidence: ${title}`,
    '',
    `**${countsLine(ruleCounts(all))}** over ${summary.jobs.length} jobs`,
    ...(run ? ['', `<sub>${run}</sub>`] : []),
    '',
    '| Job | Runtime | Floor | Policies | Verdict | MUST failed | Warnings |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    ...(summary.refused.length
      ? ['Refused:', '', ...summary.refused.map((r) => `- \`${esc(r.source)}\`: ${esc(r.reason)}`), '']
      : []),
    '<details><summary>Each job: what failed and warned</summary>',
    '',
    ...summary.jobs.flatMap((j) => {
      const problems = (j.report.policy?.results ?? []).filter((r) => r.status === 'fail' || r.status === 'warn');
      return [
        `- **${esc(j.label)}** (\`${esc(j.source)}\`): ${esc(j.report.summary)}`,
        ...problems.map((r) => `  - ${r.status === 'fail' ? '❌' : '⚠️'} ${esc(r.sentence)}`),
      ];
    }),
    '',
    '</details>',
    '',
    `Outputs: \`report-path\` (${files.report}), \`sarif-path\` (${files.sarif}, for github/codeql-action/upload-sarif), ` +
      `\`junit-path\` (${files.junit}, for test reporters).`,
    '',
  ].join('\n');
}
