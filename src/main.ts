import { tmpdir } from 'node:os';
import path from 'node:path';
import * as core from '@actions/core';
import { describeError, InputError } from './errors.js';
import { decidingClients, readInputs, type Inputs, type ProbeMode } from './inputs.js';
import type { ProbeClient } from './probe/clients/client.js';
import { selectClient } from './probe/clients/index.js';
import { PythonClient } from './probe/clients/python.js';
import { runProbe } from './probe/probe.js';
import { buildReport, type Report } from './report/report.js';
import { renderMarkdown, renderTextTable } from './report/table.js';
import { writeReport } from './report/write.js';
import { resolveGivenInterpreter } from './runtime/given.js';
import type { CrossRunCache, ObtainedRuntime } from './runtime/index.js';
import { decideVerdict } from './verdict.js';

export const HANDSHAKE_TIMEOUT_MS = 5_000;
export const PROBE_TIMEOUT_MS = 60_000;

/** What the tests replace: only the hosted cache service, which cannot run here. */
export interface Dependencies {
  crossRunCache?: CrossRunCache;
}

/** The action: inputs, then the runtime (given, found or built), then the probe, then the report. */
export async function run(deps: Dependencies = {}): Promise<void> {
  try {
    const inputs = readInputs();
    // node, curl, openssl or a command are probed as they are (nothing is built).
    const other = await selectClient(inputs);
    if (other || inputs.pythonPath) {
      const target = other ?? (await givenPython(inputs.pythonPath!));
      const report = await probeRuntime(target.client, target.label, inputs.floor, inputs.probeMode);
      await publish(report, inputs);
      return;
    }
    // Loaded only when building, so a probe-only run does not pay for it at start-up.
    const build = await import('./runtime/index.js');
    const cache = crossRunCache(inputs, deps.crossRunCache ?? build.actionsCache());
    const obtained = await build.obtainRuntime(inputs.build, inputs.floor, {
      ...(inputs.build.archive ? { archive: inputs.build.archive } : {}),
      ...(cache ? { cache } : {}),
      ...(inputs.build.index ? { index: inputs.build.index } : {}),
    });
    const missing = build.missingModulesWarning(obtained.runtime.verification.missingModules);
    if (missing) core.warning(missing);
    // A runtime this action hands out must hold in both modes, whatever probe-mode says.
    const report = await probeRuntime(new PythonClient(obtained.runtime.python), obtained.runtime.python, inputs.floor, 'both');
    report.context = { build: buildContext(obtained) };
    const extra: Record<string, string> = {};
    if (cache && build.shouldSave({ enabled: true, built: obtained.built, restoredExact: obtained.cacheHit === 'cross-run', verdict: report.verdict })) {
      await build.saveRuntime(cache, obtained.plan);
    }
    if (inputs.build.createArchive && report.verdict === 'pass') {
      const archive = await build.createArchive(obtained.plan, report, path.join(process.env['RUNNER_TEMP'] || tmpdir(), 'tls-floor-archive'));
      core.info(`Runtime archive: ${archive.path} (${(archive.bytes / 1048576).toFixed(1)} MiB, sha256 ${archive.sha256})`);
      Object.assign(extra, { 'archive-path': archive.path, 'archive-sha256': archive.sha256, 'archive-manifest': archive.manifestPath });
    }
    await publish(report, inputs, obtained, extra);
  } catch (error) {
    core.setFailed(error instanceof InputError ? error.message : `tls-floor: ${describeError(error)}`);
  }
}

async function givenPython(pythonPath: string): Promise<{ client: ProbeClient; label: string }> {
  const interpreter = await resolveGivenInterpreter(pythonPath);
  return { client: new PythonClient(interpreter), label: interpreter };
}

async function probeRuntime(client: ProbeClient, label: string, floor: Inputs['floor'], probeMode: ProbeMode): Promise<Report> {
  return core.group(`Probe ${label} against a TLS ${floor} floor`, async () => {
    const observation = await runProbe(client, {
      floor,
      handshakeTimeoutMs: HANDSHAKE_TIMEOUT_MS,
      probeTimeoutMs: PROBE_TIMEOUT_MS,
      ...(process.env['RUNNER_TEMP'] ? { tempDir: process.env['RUNNER_TEMP'] } : {}),
    });
    const deciders = decidingClients(probeMode, observation.clients);
    const result = decideVerdict({ floor, servers: observation.servers, deciders, handshakes: observation.handshakes });
    core.info(`probe finished in ${observation.durationMs} ms`);
    return buildReport(observation, result, probeMode, deciders);
  });
}

/** The cross-run cache to use, if any: on by default where the service is available. */
function crossRunCache(inputs: Inputs, cache: CrossRunCache): CrossRunCache | undefined {
  if (inputs.build.archive || inputs.build.cache === false) return undefined;
  if (cache.available()) return cache;
  if (inputs.build.cache === true) core.warning('cache is true but no cache service is available to this job; building without it.');
  else core.notice('No cache service is available to this job: the cross-run cache is off.');
  return undefined;
}

function buildContext({ runtime, plan, cacheHit, fromArchive }: ObtainedRuntime): Record<string, unknown> {
  return {
    cacheHit,
    fromArchive,
    python: { version: plan.python.source.version, url: plan.python.source.url, sha256: plan.python.source.sha256 ?? null, checksumFrom: plan.python.source.checksumFrom, options: plan.python.options },
    openssl: { version: plan.openssl.source.version, url: plan.openssl.source.url, sha256: plan.openssl.source.sha256 ?? null, checksumFrom: plan.openssl.source.checksumFrom, options: plan.openssl.options },
    platform: plan.platform,
    prefix: runtime.prefix,
    opensslPrefix: runtime.opensslPrefix,
    foundInToolCache: runtime.found,
    verification: runtime.verification,
  };
}

/** The only place that sets outputs, PATH and the environment, writes the summary and fails the job. */
async function publish(report: Report, inputs: Inputs, obtained?: ObtainedRuntime, extra: Record<string, string> = {}): Promise<void> {
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
    core.setOutput('python-version', runtime.verification.pythonVersion);
    core.setOutput('openssl-version', /OpenSSL (\S+)/.exec(runtime.verification.opensslVersion)?.[1] ?? runtime.verification.opensslVersion);
    core.setOutput('tool-path', runtime.prefix);
    core.setOutput('cache-hit', obtained!.cacheHit);
  }
  for (const [name, value] of Object.entries(extra)) core.setOutput(name, value);

  if (report.verdict === 'pass') {
    if (runtime) exposeRuntime(runtime);
    return;
  }
  if (report.verdict === 'downgrade' && !inputs.failOnDowngrade) {
    core.warning(`Downgrade (fail-on-downgrade is false): ${report.summary}`);
    return;
  }
  core.setFailed(`tls-floor: ${report.verdict}: ${report.summary}`);
}

/** As actions/setup-python does: the interpreter and its scripts on PATH, pythonLocation set. */
function exposeRuntime(runtime: ObtainedRuntime['runtime']): void {
  core.addPath(path.join(runtime.prefix, 'bin'));
  core.exportVariable('pythonLocation', runtime.prefix);
  core.exportVariable('Python_ROOT_DIR', runtime.prefix);
  core.exportVariable('Python3_ROOT_DIR', runtime.prefix);
  core.exportVariable('PKG_CONFIG_PATH', [path.join(runtime.prefix, 'lib', 'pkgconfig'), process.env['PKG_CONFIG_PATH']].filter(Boolean).join(path.delimiter));
}
