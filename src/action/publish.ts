import path from 'node:path';
import * as core from '@actions/core';
import type { Inputs } from '../inputs/inputs.js';
import { failingRules, failsJob } from '../judgement/verdict.js';
import type { Report } from '../report/report.js';
import { renderMarkdown } from '../report/summary.js';
import { failureLine, renderTextTable } from '../report/table.js';
import { writeReport } from '../report/write.js';
import type { CreatedArchive } from '../runtime/archive/pack.js';
import type { ObtainedRuntime } from '../runtime/index.js';
import { type ResolvedSource, threaded } from '../runtime/model/versions.js';
import { describeError, InputError } from '../shared/errors.js';
import { namingInputs } from './refusals.js';

// The action's one place that sets outputs, PATH and the environment, writes the job summary and
// fails the job (the merge action has its own: action/merge.ts).

/**
 * Publishes the versions as soon as they are resolved, before anything is downloaded: the
 * python-version and openssl-version outputs (publish() sets them again after a build, to
 * what the runtime reports; the later value wins), a log line for each, and a loud warning
 * in the log and the job summary for an end-of-life line.
 */
export async function publishResolved(resolved: readonly ResolvedSource[]): Promise<void> {
  for (const source of resolved) {
    core.setOutput(`${source.project}-version`, threaded(source.version, source.freethreaded));
    core.info(`${source.project}-version: ${source.description}`);
  }
  const warnings = resolved.flatMap((s) => (s.endOfLife ? [s.endOfLife] : []));
  for (const warning of warnings) core.warning(warning);
  if (warnings.length && process.env['GITHUB_STEP_SUMMARY']) {
    await core.summary.addRaw(warnings.map((w) => `> [!WARNING]\n> ${w}\n\n`).join('')).write();
  }
}

/** What the run produced beside the report: the runtime it hands out, the archive of it. */
export interface Produced {
  obtained?: ObtainedRuntime;
  archive?: CreatedArchive;
}

/** The report in the log, the JSON file and the summary; the outputs; PATH after a pass; the job's failure. */
export async function publish(report: Report, inputs: Inputs, { obtained, archive }: Produced = {}): Promise<void> {
  const runtime = obtained?.runtime;
  const reportPath = await writeReport(report);
  core.info(renderTextTable(report));
  core.info(`JSON report: ${reportPath}`);
  if (process.env['GITHUB_STEP_SUMMARY']) {
    await core.summary.addRaw(renderMarkdown(report, reportPath)).write();
  }
  core.setOutput('verdict', report.verdict);
  core.setOutput('negotiated-version', report.negotiatedVersion ?? '');
  core.setOutput('report-path', reportPath);
  if (runtime) {
    core.setOutput('python-path', runtime.python);
    // As setup-python: 3.13.15t for a free-threaded runtime.
    core.setOutput('python-version', threaded(runtime.verification.pythonVersion, runtime.verification.freeThreaded));
    core.setOutput(
      'openssl-version',
      /OpenSSL (\S+)/.exec(runtime.verification.opensslVersion)?.[1] ?? runtime.verification.opensslVersion,
    );
    core.setOutput('tool-path', runtime.prefix);
    // A FIPS runtime's OpenSSL configuration, for a step that chooses to put other programs in FIPS mode.
    core.setOutput('openssl-conf', runtime.verification.fips?.install?.config ?? '');
    // As actions/setup-python: cache-hit is true when nothing was built; runtime-source says from where.
    core.setOutput('cache-hit', String(!obtained!.built));
    core.setOutput('runtime-source', obtained!.source);
  }
  if (archive) {
    core.info(
      `Runtime archive: ${archive.path} (${(archive.bytes / 1048576).toFixed(1)} MiB, sha256 ${archive.sha256})`,
    );
    core.setOutput('archive-path', archive.path);
    core.setOutput('archive-sha256', archive.sha256);
    core.setOutput('archive-manifest', archive.manifestPath);
  }
  core.setOutput('policy-failures', report.policy.failed.join(','));
  core.setOutput('policy-warnings', report.policy.warned.join(','));
  for (const r of report.policy.results) if (r.status === 'warn') core.warning(`tls-floor policy: ${r.sentence}`);
  const policyFailures = failingRules(report.policy);
  for (const r of policyFailures) core.error(`tls-floor policy: ${r.sentence}`);

  if (report.verdict === 'pass' && policyFailures.length === 0) {
    if (runtime) exposeRuntime(runtime);
    return;
  }
  // fail-on-downgrade: false tolerates a downgrade only, never a broken or inconclusive finding.
  const floorFails = report.verdict !== 'pass' && failsJob(report.findings, inputs.failOnDowngrade);
  if (!floorFails && report.verdict !== 'pass')
    core.warning(`Downgrade (fail-on-downgrade is false): ${report.summary}`);
  if (!floorFails && policyFailures.length === 0) return;
  // Each failed rule's sentence is its own error above: the failure line names the rules only.
  const policyLine = policyFailures.length
    ? `policy failed: ${policyFailures.map((r) => r.rule).join(', ')} (each rule's error above says why)`
    : '';
  core.setFailed(`tls-floor: ${[floorFails ? failureLine(report) : '', policyLine].filter(Boolean).join(' ')}`);
}

/** The run stopped before a report: bad input in its own words, anything else as what went wrong. */
export function publishFailure(thrown: unknown): void {
  const error = namingInputs(thrown);
  core.setFailed(error instanceof InputError ? error.message : `tls-floor: ${describeError(error)}`);
}

/** As actions/setup-python does: the interpreter and its scripts on PATH, pythonLocation set. */
function exposeRuntime(runtime: ObtainedRuntime['runtime']): void {
  core.addPath(path.join(runtime.prefix, 'bin'));
  core.exportVariable('pythonLocation', runtime.prefix);
  core.exportVariable('Python_ROOT_DIR', runtime.prefix);
  core.exportVariable('Python3_ROOT_DIR', runtime.prefix);
  // No OPENSSL_CONF for the job: it would put every later OpenSSL program (curl, git, the
  // system's openssl, another libcrypto's version) under this runtime's FIPS provider. The
  // interpreter's own .pth sets it; the openssl-conf output is there for a step that wants it.
  core.exportVariable(
    'PKG_CONFIG_PATH',
    [path.join(runtime.prefix, 'lib', 'pkgconfig'), process.env['PKG_CONFIG_PATH']]
      .filter(Boolean)
      .join(path.delimiter),
  );
}
