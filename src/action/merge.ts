import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as core from '@actions/core';
import { ruleTexts } from '../policies/markdown.js';
import { POLICIES } from '../policies/policies.js';
import { cbomOf } from '../report/cbom.js';
import { type CheckedReport, labelJobs } from '../report/evidence.js';
import { renderJunit } from '../report/junit.js';
import { aggregate, forLog, refusalFails, renderMatrix } from '../report/matrix.js';
import { ACTION_VERSION, runContext, workflowPath } from '../report/run.js';
import { renderSarif } from '../report/sarif.js';
import { tempRoot } from '../shared/cancellation.js';
import { describeError, InputError } from '../shared/errors.js';
import { foreign } from '../shared/foreign.js';
import { collectReports } from './merge_reports.js';
import { recheck } from './merge_verdict.js';

/**
 * The merge action (merge/action.yml): a matrix's tls-floor reports in, one job-summary table,
 * one aggregate JSON report, SARIF and JUnit XML out; the step fails when a job's evidence fails
 * (a verdict other than pass, a failed MUST rule, a report that contradicts its own evidence, a
 * tls-floor report it cannot read), unless fail-on-failure is false. The only place in the merge
 * that sets outputs and writes the summary. Every report string it logs goes through foreign().
 */
export async function runMerge(): Promise<void> {
  try {
    const patterns = core.getInput('reports', { required: true });
    const failOnFailure = booleanInput('fail-on-failure');
    const workspace = process.env['GITHUB_WORKSPACE'] || process.cwd();
    const { reports, refused } = await collectReports(patterns, { workspace, temp: tempRoot() });
    for (const r of refused) core.warning(`tls-floor merge: ${log(r.source)} is refused: ${log(r.reason, 400)}.`);
    if (reports.length === 0)
      throw new InputError(
        `reports: no tls-floor report among the ${refused.length} file(s) '${log(patterns.split('\n')[0], 80)}' matches.`,
      );
    const jobs = labelJobs(reports.map(checked));
    for (const j of jobs.filter((j) => j.contradiction))
      core.warning(
        `tls-floor merge: ${log(j.source)}: the report contradicts its evidence: ${log(j.contradiction, 600)}`,
      );
    const run = runContext(process.env);
    const summary = aggregate(jobs, refused, run);
    const dir = path.join(tempRoot(), 'tls-floor-merge');
    await mkdir(dir, { recursive: true });
    const files = {
      report: path.join(dir, 'tls-floor-matrix.json'),
      sarif: path.join(dir, 'tls-floor.sarif'),
      junit: path.join(dir, 'tls-floor-junit.xml'),
      cbom: path.join(dir, 'tls-floor-matrix.cdx.json'),
    };
    const fallbackWorkflow = workflowPath(run) ?? '.github/workflows';
    const sarif = renderSarif(
      jobs,
      fallbackWorkflow,
      sarifCategory(fallbackWorkflow, run.job),
      ruleTexts(Object.values(POLICIES)),
    );
    if (sarif.omitted)
      core.warning(`tls-floor merge: SARIF: ${sarif.omitted} results left out (code scanning's limits).`);
    await writeFile(files.report, `${JSON.stringify(summary, null, 2)}\n`);
    await writeFile(files.sarif, `${JSON.stringify(sarif.log, null, 2)}\n`);
    await writeFile(files.junit, renderJunit(jobs));
    // One CBOM for the matrix: each job's components under its own bom-refs, named by its label.
    const cbom = cbomOf(
      jobs.map((j) => ({ label: j.label, report: j.report })),
      ACTION_VERSION,
    );
    await writeFile(files.cbom, `${JSON.stringify(cbom, null, 2)}\n`);
    const names = {
      report: path.basename(files.report),
      sarif: path.basename(files.sarif),
      junit: path.basename(files.junit),
    };
    const markdown = renderMatrix(summary, names, jobs);
    core.info(forLog(markdown));
    if (process.env['GITHUB_STEP_SUMMARY']) await core.summary.addRaw(markdown).write();
    core.setOutput('report-path', files.report);
    core.setOutput('sarif-path', files.sarif);
    core.setOutput('junit-path', files.junit);
    core.setOutput('cbom-path', files.cbom);
    core.setOutput('failed-jobs', String(jobs.filter((j) => j.fails).length));
    if (!summary.fails) return;
    const failing = [
      ...jobs.filter((j) => j.fails).map((j) => j.label),
      ...refused.filter(refusalFails).map((r) => r.source),
    ];
    const named = failing.slice(0, 20).map((f) => log(f, 120));
    const more = failing.length > named.length ? `; and ${failing.length - named.length} more` : '';
    const line = `tls-floor merge: the evidence fails for ${named.join('; ')}${more}`;
    if (failOnFailure) core.setFailed(line);
    else core.warning(`${line} (fail-on-failure is false)`);
  } catch (error) {
    core.setFailed(error instanceof InputError ? error.message : `tls-floor merge: ${log(describeError(error), 400)}`);
  }
}

const log = (value: unknown, max = 200) => foreign(value, { max });

/** A report with the verdict its own evidence proves; a report the judgement cannot even read is inconclusive. */
function checked({ source, report }: { source: string; report: CheckedReport['report'] }): CheckedReport {
  try {
    return { source, report, ...recheck(report) };
  } catch (error) {
    const why = `its evidence could not be judged again (${describeError(error)}), so it is inconclusive`;
    return { source, report, verdict: 'inconclusive', contradiction: why };
  }
}

/** The matrix's one SARIF category: the workflow and the merge job, so two merges do not replace each other's alerts. */
function sarifCategory(workflow: string, job: string | null): string {
  const slug = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 80);
  return `tls-floor/${slug(workflow)}/${slug(job ?? 'merge')}/`;
}

function booleanInput(name: string): boolean {
  const value = core.getInput(name).trim().toLowerCase();
  if (value === 'true' || value === '') return true;
  if (value === 'false') return false;
  throw new InputError(`${name}: '${log(value, 20)}' is not allowed; give true or false.`);
}
