import { findCachedRuntime, type HardenedRuntime } from '../hardened.js';
import type { BuildPlan } from '../model/plan.js';
import type { RuntimeSource } from './contract.js';

interface Cached {
  plan: BuildPlan;
  runtime: HardenedRuntime;
}

/** The runner's tool cache: both entries complete, for the first plan the request accepts that has them. */
export const toolCache: RuntimeSource<Cached, Cached> = {
  name: 'tool-cache',
  proves: 'its entries were marked complete only after the run that made them verified them',
  writes: false,
  async find(wanted) {
    // optimize: auto takes an optimized runtime where one is at hand.
    for (const plan of await wanted.plans()) {
      const runtime = await findCachedRuntime(plan);
      if (runtime) return { plan, runtime };
    }
    return undefined;
  },
  async fetch(cached) {
    return cached;
  },
  async install({ plan, runtime }) {
    return { plan, runtime, source: 'tool-cache', built: false, fromArchive: false };
  },
};
