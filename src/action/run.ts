import path from 'node:path';
import * as core from '@actions/core';
import { type Inputs, readInputs } from '../inputs/inputs.js';
import { judge } from '../judgement/judge.js';
import { serversFor } from '../judgement/observe.js';
import type { ProbeClient } from '../probe/clients/client.js';
import { type ProbeObservation, runProbe } from '../probe/probe.js';
import { buildReport, type Report, type ReportContext } from '../report/report.js';
import { runContext } from '../report/run.js';
import type { CreatedArchive } from '../runtime/archive/pack.js';
import type { CrossRunCache, ObtainedRuntime } from '../runtime/index.js';
import { describeResolved } from '../runtime/model/versions.js';
import { enterStage, tempRoot } from '../shared/cancellation.js';
import { compareBaseline, withBaselineFacts } from './baseline.js';
import { resolveClient } from './client_choice.js';
import { publish, publishFailure, publishResolved } from './publish.js';

export const HANDSHAKE_TIMEOUT_MS = 5_000;
export const PROBE_TIMEOUT_MS = 60_000;

/** What the tests replace: only the hosted cache service, which cannot run here. */
export interface Dependencies {
  crossRunCache?: CrossRunCache;
}

/**
 * The action, as its flow: inputs -> runtime -> client -> observation -> judgement -> report ->
 * after a pass (cache save, archive) -> publish.
 */
export async function run(deps: Dependencies = {}): Promise<void> {
  try {
    const inputs = await readInputs();
    // client: python without python-path probes the runtime this action obtains (found, restored
    // or built); every other client is probed as it is given, and nothing is built.
    const runtime = inputs.client === 'python' && !inputs.pythonPath ? await obtain(inputs, deps) : undefined;
    const python = runtime?.obtained.runtime.python;
    const { client, label } = await resolveClient(inputs, python ? { interpreter: python, label: python } : undefined);
    const observation = await observe(client, label, inputs);
    // A runtime this action hands out must hold in both modes, whatever probe-mode says.
    const fips = runtime?.obtained.runtime.verification.fips;
    const judgement = judge(observation, {
      probeMode: runtime ? 'both' : inputs.probeMode,
      policies: inputs.policies,
      failOnDowngrade: inputs.failOnDowngrade,
      ...(fips ? { fipsRuntime: { providers: fips.providers, install: fips.install } } : {}),
    });
    const report = buildReport(
      observation,
      judgement,
      runtime ? reportContext(runtime) : {},
      new Date(),
      runContext(process.env, inputs.label),
    );
    const archive = runtime ? await afterProbe(runtime, report, inputs) : undefined;
    const baseline = inputs.baseline ? await compareBaseline(report, inputs.baseline) : undefined;
    await publish(baseline ? withBaselineFacts(report, baseline) : report, inputs, {
      ...(runtime ? { obtained: runtime.obtained } : {}),
      ...(archive ? { archive } : {}),
      ...(baseline ? { baseline } : {}),
    });
  } catch (error) {
    publishFailure(error);
  }
}

type Obtained = Awaited<ReturnType<typeof obtain>>;

/** The runtime this action hands out: found in the tool cache, restored, installed from an archive or built. */
async function obtain(inputs: Inputs, deps: Dependencies) {
  // Loaded only when building, so a probe-only run does not pay for it at start-up.
  const build = await import('../runtime/index.js');
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

/** The probe of the client, against the floor's servers and those the chosen policies name. */
async function observe(client: ProbeClient, label: string, inputs: Inputs): Promise<ProbeObservation> {
  const { floor, policies } = inputs;
  return core.group(`Probe ${label} against a TLS ${floor} floor`, async () => {
    enterStage('the probe');
    const observation = await runProbe(client, {
      floor,
      policyServers: serversFor(policies, floor),
      handshakeTimeoutMs: HANDSHAKE_TIMEOUT_MS,
      probeTimeoutMs: PROBE_TIMEOUT_MS,
    });
    core.info(`probe finished in ${observation.durationMs} ms`);
    return observation;
  });
}

/** After the probe: a runtime built here and proven is saved across runs, and archived when asked. */
async function afterProbe(
  { build, cache, obtained }: Obtained,
  report: Report,
  inputs: Inputs,
): Promise<CreatedArchive | undefined> {
  const restoredExact = obtained.source === 'cross-run';
  if (cache && build.shouldSave({ enabled: true, built: obtained.built, restoredExact, verdict: report.verdict })) {
    await build.saveRuntime(cache, obtained.plan);
  }
  if (!inputs.build.createArchive || report.verdict !== 'pass') return undefined;
  return build.createArchive(obtained.plan, report, path.join(tempRoot(), 'tls-floor-archive'));
}

/** The cross-run cache to use, if any: on by default where the service is available. */
function crossRunCache(inputs: Inputs, cache: CrossRunCache): CrossRunCache | undefined {
  if (inputs.build.archive || inputs.build.cache === false) return undefined;
  if (cache.available()) return cache;
  if (inputs.build.cache === true)
    core.warning('runtime-cache is true but no cache service is available to this job; building without it.');
  else core.notice('No cache service is available to this job: the cross-run cache is off.');
  return undefined;
}

/** One source as the report keeps it: where it came from and what vouches for it. */
function describeSource(source: ObtainedRuntime['plan']['python']['source']): Record<string, unknown> {
  const { version, url, sha256, checksumFrom, checksumSources } = source;
  return { version, url, sha256: sha256 ?? null, checksumFrom, checksumSources: checksumSources ?? null };
}

/** What the report keeps of an obtained runtime: how it was obtained, from what, and its support lines. */
function reportContext({ obtained, lifecycle }: Obtained): ReportContext {
  const { runtime, plan, source, fromArchive } = obtained;
  const build = {
    // The levels of reuse, as the report has always named them ('none': installed or built here).
    cacheHit: source === 'archive' || source === 'built' ? 'none' : source,
    fromArchive,
    python: { ...describeSource(plan.python.source), options: plan.python.options },
    openssl: { ...describeSource(plan.openssl.source), options: plan.openssl.options },
    platform: plan.platform,
    prefix: runtime.prefix,
    opensslPrefix: runtime.opensslPrefix,
    foundInToolCache: runtime.found,
    verification: runtime.verification,
  };
  return { context: { build }, lifecycle };
}
