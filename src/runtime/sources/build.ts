import { buildHardenedRuntime } from '../hardened.js';
import type { BuildPlan } from '../model/plan.js';
import type { RuntimeSource } from './contract.js';

/** A build from source: OpenSSL (unless the tool cache has it), then CPython against it (hardened.ts). */
export const build: RuntimeSource<BuildPlan, BuildPlan> = {
  name: 'built',
  proves: 'it was compiled here from sources whose checksums were verified (unless allow-unverified-source)',
  writes: true,
  async find(wanted) {
    return wanted.plan();
  },
  // Nothing yet: each part's source is downloaded and verified as its build begins, and an
  // OpenSSL the tool cache holds needs none.
  async fetch(plan) {
    return plan;
  },
  async install(plan) {
    const runtime = await buildHardenedRuntime(plan);
    return { plan, runtime, source: 'built', built: true, fromArchive: false };
  },
};
