import path from 'node:path';
import * as core from '@actions/core';
import type { Inputs } from '../inputs/inputs.js';
import { withBaseline } from '../judgement/outcome.js';
import { outcomeOf, type Report } from '../report/report.js';
import { renderMarkdown } from '../report/summary.js';
import { failureLine, renderTextTable } from '../report/table.js';
import { writeCbom, writeReport } from '../report/write.js';
import type { CreatedArchive } from '../runtime/archive/pack.js';
import type { ObtainedRuntime } from '../runtime/index.js';
import { type ResolvedSource, threaded } from '../runtime/model/versions.js';
import { describeError, InputError } from '../shared/errors.js';
import { foreign } from '../shared/foreign.js';
import { type BaselineOutcome, saveBaseline } from './baseline.js';
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
  baseline?: BaselineOutcome;
}

/** The report in the log, the JSON file and the summary; the outputs; PATH after a pass; the job's failure. */
export async function publish(
  report: Report,
  inputs: Inputs,
  { obtained, archive, baseline }: Produced = {},
): Promise<void> {
  const runtime = obtained?.runtime;
  const reportPath = await writeReport(report);
  core.info(renderTextTable(report));
  core.info(`JSON report: ${reportPath}`);
  const cbomPath = await writeCbom({ label: report.run.job ?? 'run', report }, reportPath);
  core.info(`CycloneDX CBOM: ${cbomPath}`);
  core.setOutput('cbom-path', cbomPath);
  if (process.env['GITHUB_STEP_SUMMARY']) {
    await core.summary.addRaw(renderMarkdown(report, reportPath)).write();
  }
  const drift = baseline ? await publishBaseline(baseline) : undefined;
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
  if (!runtime && inputs.pythonPath && report.runtime.kind === 'python') {
    // As actions/setup-python sets them for an interpreter it did not build: the interpreter as
    // an absolute path, the version it reports (3.13.5t when free-threaded), nothing built.
    const given = givenInterpreter(report.runtime);
    core.setOutput('python-path', given.path);
    if (given.version) core.setOutput('python-version', given.version);
    core.setOutput('cache-hit', 'true');
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
  const outcome = withBaseline(outcomeOf(report), Boolean(drift));
  const policyFailures = report.policy.results.filter((r) => outcome.policyFailures.includes(r.rule));
  for (const r of policyFailures) core.error(`tls-floor policy: ${r.sentence}`);
  if (outcome.downgradeTolerated) core.warning(`Downgrade (fail-on-downgrade is false): ${report.summary}`);
  if (!outcome.fails) {
    // update-environment: false (setup-python's input) leaves PATH and the environment alone.
    if (runtime && report.verdict === 'pass' && inputs.updateEnvironment) exposeRuntime(runtime);
    return;
  }
  // Each failed rule's sentence is its own error above: the failure line names the rules only.
  const policyLine = policyFailures.length
    ? `policy failed: ${outcome.policyFailures.join(', ')} (each rule's error above says why)`
    : '';
  core.setFailed(
    `tls-floor: ${[outcome.floorFails ? failureLine(report) : '', policyLine, drift ?? ''].filter(Boolean).join(' ')}`,
  );
}

/**
 * The baseline: written (a notice to commit it), the same, or its differences in the log and the
 * summary (as foreign text: the baseline file is the user's, not ours); rewritten with
 * baseline-mode: update. Returns the failure line of a drift that fails the step.
 */
async function publishBaseline(outcome: BaselineOutcome): Promise<string | undefined> {
  await saveBaseline(outcome);
  core.setOutput('baseline-path', outcome.file);
  core.setOutput('baseline-drift', String(outcome.differences.length > 0));
  const count = `${outcome.differences.length} difference${outcome.differences.length === 1 ? '' : 's'}`;
  const said = {
    written: `tls-floor baseline: ${outcome.shown} did not exist; wrote this run's TLS posture there. Commit it: later runs are compared with it.`,
    same: `tls-floor baseline: the TLS posture is the same as ${outcome.shown}.`,
    updated: `tls-floor baseline: ${count} from ${outcome.shown}; rewritten (baseline-mode: update). Review and commit it.`,
    drift: `tls-floor baseline: the TLS posture differs from ${outcome.shown} in ${count}.`,
  }[outcome.status];
  if (outcome.status === 'written' || outcome.status === 'updated') core.notice(said);
  else if (outcome.status === 'drift' && outcome.mode === 'warn') core.warning(said);
  else core.info(said);
  const shown = outcome.differences.slice(0, MAX_DIFFERENCES_SHOWN);
  const more = outcome.differences.length - shown.length;
  if (shown.length) {
    core.info(shown.map((line) => `  ${foreign(line, { max: 300 })}`).join('\n'));
    if (more > 0)
      core.info(`  ... and ${more} more (the run's posture: rerun with baseline-mode: update to see it whole)`);
  }
  if (process.env['GITHUB_STEP_SUMMARY'] && outcome.status !== 'same') {
    const items = shown.map((line) => `- ${foreign(line, { for: 'markdown', max: 300 })}`);
    await core.summary
      .addRaw(
        [
          `### Baseline`,
          '',
          foreign(said, { for: 'markdown', max: 400 }),
          '',
          ...items,
          ...(more > 0 ? [`- … and ${more} more`] : []),
          '',
        ].join('\n'),
      )
      .write();
  }
  return outcome.fails
    ? `the TLS posture drifted from the baseline ${outcome.shown} (${count}; baseline-mode: fail)`
    : undefined;
}

/** The most differences printed (the rest are counted). */
const MAX_DIFFERENCES_SHOWN = 200;

/** The run stopped before a report: bad input in its own words, anything else as what went wrong. */
export function publishFailure(thrown: unknown): void {
  const error = namingInputs(thrown);
  core.setFailed(error instanceof InputError ? error.message : `tls-floor: ${describeError(error)}`);
}

/** The interpreter python-path named, as it reported itself: its sys.executable and its version. */
function givenInterpreter(runtime: Report['runtime']): { path: string; version?: string } {
  const executable = runtime.details['executable'];
  const match = /^\S+ (\S+)( \(free-threaded\))?/.exec(runtime.version);
  return {
    path: typeof executable === 'string' && executable ? executable : runtime.path,
    ...(match ? { version: threaded(match[1]!, match[2] !== undefined) } : {}),
  };
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
