import * as core from '@actions/core';
import { tempRoot } from '../shared/cancellation.js';
import { Refusal } from '../shared/errors.js';
import type { Floor } from '../shared/floor.js';
import { pythonOptions } from './cpython.js';
import { incompatibility } from './model/compat.js';
import { fipsIncompatibility } from './model/fips_rules.js';
import { type BuildPlan, planBuild, type SourceSpec, sourceSpec } from './model/plan.js';
import { detectPlatform } from './model/platform.js';
import { OPENSSL_URL_TEMPLATE, PYTHON_URL_TEMPLATE } from './model/releases.js';
import type { BuildInputs } from './model/request.js';
import { findRelease } from './model/versions.js';
import { systemOpensslDir } from './relocate.js';
import type { ObtainedRuntime, RuntimeSource, Wanted } from './sources/contract.js';
import { type ChosenSources, sourcesFor } from './sources/order.js';
import { checkWritable, toolCacheRoot } from './toolcache.js';

/** Turns the build inputs into a plan, refusing what cannot work before any download. */
export async function planFromInputs(build: BuildInputs, floor: Floor): Promise<BuildPlan> {
  if (build.allowUnverifiedSource)
    core.warning(
      'allow-unverified-source is true: a source without a checksum will be built as downloaded. Pin python-sha256 and openssl-sha256 instead.',
    );
  return planOf(build, floor);
}

/** The plan of these inputs, said nothing about (prebuilt-spec.ts weighs candidates with it). */
export async function planOf(build: BuildInputs, floor: Floor): Promise<BuildPlan> {
  const problem = incompatibility(build.python.version, build.openssl.version);
  if (problem) throw new Refusal('versions', problem);
  const spec = (name: 'python' | 'openssl', template: string) =>
    sourceSpec(name, build[name], findRelease(name, build[name].version), template, build.allowUnverifiedSource);
  const python = spec('python', PYTHON_URL_TEMPLATE);
  const openssl = spec('openssl', OPENSSL_URL_TEMPLATE);
  const fips = build.fips && fipsProviderSource(build);
  const platform = await detectPlatform();
  return planBuild({
    floor,
    platform,
    jobs: build.jobs,
    python,
    openssl,
    pythonOptions: pythonOptions(
      build.python.version,
      platform.os,
      build.python.freethreaded,
      build.optimize,
      Boolean(fips),
    ),
    ...(build.optimize ? { optimize: build.optimize } : {}),
    opensslDir: await systemOpensslDir(),
    ...(build.python.freethreaded ? { freethreaded: true } : {}),
    ...(fips ? { fips } : {}),
  });
}

/** fips: true: the provider release's source (a mirror's template as for openssl), after what cannot work is refused. */
function fipsProviderSource(build: BuildInputs): SourceSpec {
  const version = build.fips!.providerVersion;
  const problem = fipsIncompatibility(build.python.version, build.openssl.version, version);
  if (problem) throw new Refusal('fips', problem);
  const input = {
    version,
    spec: version,
    given: true,
    ...(build.openssl.urlTemplate ? { urlTemplate: build.openssl.urlTemplate } : {}),
  };
  return sourceSpec(
    'openssl',
    input,
    findRelease('openssl', version),
    OPENSSL_URL_TEMPLATE,
    build.allowUnverifiedSource,
  );
}

/**
 * The plans a request accepts, the preferred first: the one optimization asked for, or with
 * optimize: auto (undefined) the optimized build (pgo-lto), then `plan`, the build on demand.
 */
export async function plansOf(build: BuildInputs, floor: Floor, plan?: BuildPlan): Promise<BuildPlan[]> {
  const onDemand = plan ?? (await planOf(build, floor));
  if (build.optimize) return [onDemand];
  return [await planOf({ ...build, optimize: 'pgo-lto' }, floor), onDemand];
}

/**
 * The hardened runtime, from the first source that has it (sources/order.ts: the given
 * archive, else the tool cache, the cross-run cache, the runtime index, a build). Whatever the
 * source, it is verified. The plans are made when a source first needs them (the given
 * archive's manifest names its own).
 */
export async function obtainRuntime(build: BuildInputs, floor: Floor, chosen: ChosenSources): Promise<ObtainedRuntime> {
  return obtainFrom(sourcesFor(chosen), wantedOf(build, floor));
}

/**
 * The runtime of the first source that installs one, each tried in three steps (find, fetch,
 * install; an undefined answer passes to the next source). The tool cache and RUNNER_TEMP are
 * checked writable once, before the first source that writes.
 */
export async function obtainFrom(sources: readonly RuntimeSource[], wanted: Wanted): Promise<ObtainedRuntime> {
  let checked = false;
  for (const source of sources) {
    if (source.writes && !checked) {
      checked = true;
      await checkWritable([
        ['RUNNER_TOOL_CACHE', toolCacheRoot()],
        ['RUNNER_TEMP', tempRoot()],
      ]);
    }
    const obtained = await tryIn(source, wanted);
    if (obtained) return obtained;
  }
  // The build is always last, and answers or throws.
  throw new Error(`no runtime source answered (${sources.map((s) => s.name).join(', ')})`);
}

async function tryIn(source: RuntimeSource, wanted: Wanted): Promise<ObtainedRuntime | undefined> {
  const found = await source.find(wanted);
  if (found === undefined) return undefined;
  const fetched = await source.fetch(found, wanted);
  if (fetched === undefined) return undefined;
  return source.install(fetched, wanted);
}

/** The request, its plans made once, when first asked for. */
export function wantedOf(build: BuildInputs, floor: Floor): Wanted {
  let plan: Promise<BuildPlan> | undefined;
  let plans: Promise<BuildPlan[]> | undefined;
  const wanted: Wanted = {
    build,
    floor,
    plan: () => {
      plan ??= planFromInputs(build, floor);
      return plan;
    },
    plans: () => {
      plans ??= wanted.plan().then((onDemand) => plansOf(build, floor, onDemand));
      return plans;
    },
  };
  return wanted;
}
