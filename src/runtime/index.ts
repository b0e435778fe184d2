import * as core from '@actions/core';
import type { Floor } from '../floor.js';
import { InputError } from '../errors.js';
import type { BuildInputs } from '../inputs.js';
import { incompatibility } from './compat.js';
import { pythonOptions } from './cpython.js';
import { resolveHardenedRuntime, type HardenedRuntime } from './hardened.js';
import { detectPlatform } from './platform.js';
import { planBuild, sourceSpec, type BuildPlan } from './plan.js';
import { OPENSSL_RELEASES, OPENSSL_URL_TEMPLATE, PYTHON_RELEASES, PYTHON_URL_TEMPLATE } from './releases.js';

export type { HardenedRuntime, BuildPlan };

/** Turns the build inputs into a plan, refusing what cannot work before any download. */
export function planFromInputs(build: BuildInputs, floor: Floor): BuildPlan {
  const problem = incompatibility(build.python.version, build.openssl.version);
  if (problem) throw new InputError(`python-version/openssl-version: ${problem}`);
  const python = sourceSpec('python', build.python, PYTHON_RELEASES, PYTHON_URL_TEMPLATE, build.allowUnverifiedSource);
  const openssl = sourceSpec('openssl', build.openssl, OPENSSL_RELEASES, OPENSSL_URL_TEMPLATE, build.allowUnverifiedSource);
  if (build.allowUnverifiedSource) core.warning('allow-unverified-source is true: a source without a checksum will be built as downloaded. Pin python-sha256 and openssl-sha256 instead.');
  return planBuild({ floor, platform: detectPlatform(), jobs: build.jobs, python, openssl, pythonOptions: pythonOptions(build.python.version) });
}

export { resolveHardenedRuntime };
