import * as core from '@actions/core';
import { ownUntilDone } from '../../shared/cancellation.js';
import { type CrossRunCache, restoreRuntime } from '../crossrun.js';
import { findCachedRuntime } from '../hardened.js';
import type { BuildPlan } from '../model/plan.js';
import { timedGroup } from '../steps.js';
import { entryDir, isComplete } from '../toolcache.js';
import type { RuntimeSource } from './contract.js';

/** The cross-run cache (crossrun.ts): the tool-cache entries of the build on demand, restored by their key. */
export function crossRun(cache: CrossRunCache): RuntimeSource<BuildPlan, BuildPlan> {
  return {
    name: 'cross-run',
    proves: 'a run of this repository built it from the plan its cache key names, and its probe passed',
    writes: true,
    async find(wanted) {
      return wanted.plan();
    },
    async fetch(plan) {
      // A restore cancelled half-way (the cache library's own tar writes into the tool cache) is removed.
      const absent = [plan.openssl.entry, plan.python.entry].filter((e) => !isComplete(e)).map(entryDir);
      const restoring = absent.flatMap((dir) => [dir, `${dir}.complete`]).map(ownUntilDone);
      const restored = await timedGroup('Restore from the cross-run cache', () => restoreRuntime(cache, plan));
      for (const release of restoring) release();
      return restored ? plan : undefined;
    },
    async install(plan) {
      const runtime = await findCachedRuntime(plan, { restored: true });
      if (runtime) return { plan, runtime, source: 'cross-run', built: false, fromArchive: false };
      core.warning('The cross-run cache restored an entry that the tool cache does not recognise; building instead.');
      return undefined;
    },
  };
}
