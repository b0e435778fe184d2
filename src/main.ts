import path from 'node:path';
import * as core from '@actions/core';
import { enterStage, tempRoot } from './cancellation.js';
import { type ResolvedClient, resolveClient } from './client_choice.js';
import { decidingClients } from './deciders.js';
import { describeError, InputError } from './errors.js';
import { type Inputs, type ProbeMode, readInputs } from './inputs.js';
import { evaluatePolicies, observeClients, serversFor } from './policy/index.js';
import { runProbe } from './probe/probe.js';
import { buildReport, type Report } from './report/report.js';
import { publishResolved } from './report/resolved.js';
import { failureLine, renderMarkdown, renderTextTable } from './report/table.js';
import { writeReport } from './report/write.js';
import type { CrossRunCache, ObtainedRuntime } from './runtime/index.js';
import { describeResolved } from './runtime/versions.js';
import { decideVerdict, failingRules, failsJob } from './verdict.js';

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
    // client: python without python-path probes the runtime this action obtains (found, restored
    // or built); every other client is probed as it is given, and nothing is built.
    const built = inputs.client === 'python' && !inputs.pythonPath ? await obtain(inputs, deps) : undefined;
    const interpreter = built && { interpreter: built.obtained.runtime.python, label: built.obtained.runtime.python };
    const target = await resolveClient(inputs, interpreter);
    // A runtime this action hands out must hold in both modes, whatever probe-mode says.
    const report = await probeRuntime(target, inputs, built ? 'both' : inputs.probeMode);
    if (!built) {
      await publish(report, inputs);
      return;
    }
    const { build, cache, obtained, lifecycle } = built;
    report.context = { build: buildContext(obtained) };
    report.lifecycle = lifecycle;
    const extra: Record<string, string> = {};
    if (
      cache &&
      build.shouldSave({
        enabled: true,
        built: obtained.built,
        restoredExact: obtained.cacheHit === 'cross-run',
        verdict: report.verdict,
      })
    ) {
      await build.saveRuntime(cache, obtained.plan);
    }
    if (inputs.build.createArchive && report.verdict === 'pass') {
      const archive = await build.createArchive(obtained.plan, report, path.join(tempRoot(), 'tls-floor-archive'));
      core.info(
        `Runtime archive: ${archive.path} (${(archive.bytes / 1048576).toFixed(1)} MiB, sha256 ${archive.sha256})`,
      );
      Object.assign(extra, {
        'archive-path': archive.path,
        'archive-sha256': archive.sha256,
        'archive-manifest': archive.manifestPath,
      });
    }
    await publish(report, inputs, obtained, extra);
  } catch (error) {
    core.setFailed(error instanceof InputError ? error.message : `tls-floor: ${describeError(error)}`);
  }
}

/** The runtime this action hands out: found in the tool cache, restored, installed from an archive or built. */
async function obtain(inputs: Inputs, deps: Dependencies) {
  // Loaded only when building, so a probe-only run does not pay for it at start-up.
  const build = await import('./runtime/index.js');
  // A version spec takes the newest release the runtime index holds (prebuilt-spec.ts).
  const { build: request, index } = inputs.build.index
    ? await build.preferPrebuilt(inputs.build, inputs.floor, inputs.build.index)
    : { build: inputs.build, index: undefined };
  // The resolved versions are outputs before any archive or source is downloaded (an archive's
  // are its own: they are known once its manifest is read, and publish() sets them).
  const resolved = request.archive ? [] : describeResolved(request);
  await publishResolved(resolved);
  const lifecycle = resolved.flatMap((r) => (r.lifecycle ? [r.lifecycle] : []));
  const cache = crossRunCache(inputs, deps.crossRunCache ?? build.actionsCache());
  const obtained = await build.obtainRuntime(request, inputs.floor, {
    ...(request.archive ? { archive: request.archive } : {}),
    ...(cache ? { cache } : {}),
    ...(index ? { index } : {}),
  });
  const missing = build.missingModulesWarning(obtained.runtime.verification.missingModules);
  if (missing) core.warning(missing);
  return { build, cache, obtained, lifecycle };
}

async function probeRuntime({ client, label }: ResolvedClient, inputs: Inputs, probeMode: ProbeMode): Promise<Report> {
  const { floor, policies } = inputs;
  return core.group(`Probe ${label} against a TLS ${floor} floor`, async () => {
    enterStage('the probe');
    const observation = await runProbe(client, {
      floor,
      policyServers: serversFor(policies, floor),
      handshakeTimeoutMs: HANDSHAKE_TIMEOUT_MS,
      probeTimeoutMs: PROBE_TIMEOUT_MS,
    });
    const deciders = decidingClients(probeMode, observation.clients);
    const { servers, handshakes, serverRecords } = observation;
    const result = decideVerdict({ floor, servers, deciders, handshakes, serverRecords });
    core.info(`probe finished in ${observation.durationMs} ms`);
    const report = buildReport(observation, result, probeMode, deciders);
    // The policies judge the same corroborated handshakes, for every client kind alike.
    const evidence = {
      servers,
      unavailable: observation.unavailable,
      handshakes: result.handshakes,
      clients: deciders,
    };
    const evaluation = evaluatePolicies(policies, observeClients(evidence), { floor });
    report.policy = { policies: policies.map((p) => p.id), ...evaluation };
    return report;
  });
}

/** The cross-run cache to use, if any: on by default where the service is available. */
function crossRunCache(inputs: Inputs, cache: CrossRunCache): CrossRunCache | undefined {
  if (inputs.build.archive || inputs.build.cache === false) return undefined;
  if (cache.available()) return cache;
  if (inputs.build.cache === true)
    core.warning('cache is true but no cache service is available to this job; building without it.');
  else core.notice('No cache service is available to this job: the cross-run cache is off.');
  return undefined;
}

/** One source as the report keeps it: where it came from and what vouches for it. */
function describeSource(source: ObtainedRuntime['plan']['python']['source']): Record<string, unknown> {
  const { version, url, sha256, checksumFrom, checksumSources } = source;
  return { version, url, sha256: sha256 ?? null, checksumFrom, checksumSources: checksumSources ?? null };
}

function buildContext({ runtime, plan, cacheHit, fromArchive }: ObtainedRuntime): Record<string, unknown> {
  return {
    cacheHit,
    fromArchive,
    python: { ...describeSource(plan.python.source), options: plan.python.options },
    openssl: { ...describeSource(plan.openssl.source), options: plan.openssl.options },
    platform: plan.platform,
    prefix: runtime.prefix,
    opensslPrefix: runtime.opensslPrefix,
    foundInToolCache: runtime.found,
    verification: runtime.verification,
  };
}

/** The only place that sets outputs, PATH and the environment, writes the summary and fails the job. */
async function publish(
  report: Report,
  inputs: Inputs,
  obtained?: ObtainedRuntime,
  extra: Record<string, string> = {},
): Promise<void> {
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
    core.setOutput(
      'openssl-version',
      /OpenSSL (\S+)/.exec(runtime.verification.opensslVersion)?.[1] ?? runtime.verification.opensslVersion,
    );
    core.setOutput('tool-path', runtime.prefix);
    core.setOutput('cache-hit', obtained!.cacheHit);
  }
  for (const [name, value] of Object.entries(extra)) core.setOutput(name, value);
  core.setOutput('policy-failures', (report.policy?.failed ?? []).join(','));
  core.setOutput('policy-warnings', (report.policy?.warned ?? []).join(','));
  for (const r of report.policy?.results ?? [])
    if (r.status === 'warn') core.warning(`tls-floor policy: ${r.sentence}`);
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
  const policyLine = policyFailures.length
    ? `policy failed (${policyFailures.map((r) => r.rule).join(', ')}): ${policyFailures.map((r) => r.sentence).join(' ')}`
    : '';
  core.setFailed(`tls-floor: ${[floorFails ? failureLine(report) : '', policyLine].filter(Boolean).join(' ')}`);
}

/** As actions/setup-python does: the interpreter and its scripts on PATH, pythonLocation set. */
function exposeRuntime(runtime: ObtainedRuntime['runtime']): void {
  core.addPath(path.join(runtime.prefix, 'bin'));
  core.exportVariable('pythonLocation', runtime.prefix);
  core.exportVariable('Python_ROOT_DIR', runtime.prefix);
  core.exportVariable('Python3_ROOT_DIR', runtime.prefix);
  core.exportVariable(
    'PKG_CONFIG_PATH',
    [path.join(runtime.prefix, 'lib', 'pkgconfig'), process.env['PKG_CONFIG_PATH']]
      .filter(Boolean)
      .join(path.delimiter),
  );
}
