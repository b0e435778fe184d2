import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as core from '@actions/core';
import { labelJobs } from '../report/evidence.js';
import { renderJunit } from '../report/junit.js';
import { aggregate, renderMatrix } from '../report/matrix.js';
import { runContext, workflowPath } from '../report/run.js';
import { renderSarif } from '../report/sarif.js';
import { tempRoot } from '../shared/cancellation.js';
import { describeError, InputError } from '../shared/errors.js';
import { collectReports } from './merge_reports.js';

/**
 * The merge action (merge/action.yml): a matrix's tls-floor reports in, one job-summary table,
 * one aggregate JSON report, SARIF and JUnit XML out; the step fails when a job's evidence fails
 * (a verdict other than pass, a failed MUST rule, a tls-floor report it cannot read), unless
 * fail-on-failure is false. The only place in the merge that sets outputs and writes the summary.
 */
export async function runMerge(): Promise<void> {
  try {
    const patterns = core.getInput('reports', { required: true });
    const failOnFailure = booleanInput('fail-on-failure');
    const workspace = process.env['GITHUB_WORKSPACE'] || process.cwd();
    const { reports, refused } = await collectReports(patterns, { workspace, temp: tempRoot() });
    for (const r of refused) core.warning(`tls-floor merge: ${r.source} is refused: ${r.reason}.`);
    if (reports.length === 0)
      throw new InputError(
        `reports: no tls-floor report among the ${refused.length} file(s) '${patterns.split('\n')[0]}' matches.`,
      );
    const jobs = labelJobs(reports);
    const run = runContext(process.env);
    const summary = aggregate(jobs, refused, run);
    const dir = path.join(tempRoot(), 'tls-floor-merge');
    await mkdir(dir, { recursive: true });
    const files = {
      report: path.join(dir, 'tls-floor-matrix.json'),
      sarif: path.join(dir, 'tls-floor.sarif'),
      junit: path.join(dir, 'tls-floor-junit.xml'),
    };
    const fallbackWorkflow = workflowPath(run) ?? '.github/workflows';
    await writeFile(files.report, `${JSON.stringify(summary, null, 2)}\n`);
    await writeFile(files.sarif, `${JSON.stringify(renderSarif(jobs, fallbackWorkflow), null, 2)}\n`);
    await writeFile(files.junit, renderJunit(jobs));
    const names = {
      report: path.basename(files.report),
      sarif: path.basename(files.sarif),
      junit: path.basename(files.junit),
    };
    const markdown = renderMatrix(summary, names);
    core.info(markdown);
    if (process.env['GITHUB_STEP_SUMMARY']) await core.summary.addRaw(markdown).write();
    core.setOutput('report-path', files.report);
    core.setOutput('sarif-path', files.sarif);
    core.setOutput('junit-path', files.junit);
    core.setOutput('failed-jobs', String(jobs.filter((j) => j.fails).length));
    if (!summary.fails) return;
    const failing = jobs.filter((j) => j.fails).map((j) => j.label);
    const unreadable = refused.filter((r) => r.reason.startsWith('a tls-floor report')).map((r) => r.source);
    const line = `tls-floor merge: the evidence fails for ${[...failing, ...unreadable].join('; ')}`;
    if (failOnFailure) core.setFailed(line);
    else core.warning(`${line} (fail-on-failure is false)`);
  } catch (error) {
    core.setFailed(error instanceof InputError ? error.message : `tls-floor merge: ${describeError(error)}`);
  }
}

function booleanInput(name: string): boolean {
  const value = core.getInput(name).trim().toLowerCase();
  if (value === 'true' || value === '') return true;
  if (value === 'false') return false;
  throw new InputError(`${name}: '${value.slice(0, 20)}' is not allowed; give true or false.`);
}
