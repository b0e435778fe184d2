import { createHash } from 'node:crypto';
import * as core from '@actions/core';
import { describeError } from '../shared/errors.js';
import type { BuildPlan } from './model/plan.js';
import { BUILD_FORMAT } from './model/plan.js';
import { threaded } from './model/versions.js';
import { entryDir, toolCacheRoot } from './toolcache.js';

/**
 * The cross-run cache, as this action needs it: the hosted cache service in Actions, a
 * double in tests (the service cannot run here).
 */
export interface CrossRunCache {
  available(): boolean;
  /** The key restored, or undefined on a miss. Exact keys only: a near match is a wrong runtime. */
  restore(paths: string[], key: string): Promise<string | undefined>;
  save(paths: string[], key: string): Promise<void>;
}

/** @actions/cache, loaded only when a build needs it. */
export function actionsCache(): CrossRunCache {
  const load = () => import('@actions/cache');
  return {
    available: () => Boolean(process.env['ACTIONS_RESULTS_URL'] || process.env['ACTIONS_CACHE_URL']),
    restore: async (paths, key) => (await load()).restoreCache(paths, key),
    save: async (paths, key) => {
      const id = await (await load()).saveCache(paths, key);
      // The library reports most failures as a warning and an id of -1 rather than throwing.
      if (id === -1) throw new Error('the cache service did not store the entry (see the warning above)');
    },
  };
}

// Key limits of the cache service: 512 characters, no commas.
const MAX_KEY = 512;

/**
 * Everything that changes the bytes: OS and release, architecture, versions, source
 * checksums, floor, build options, the tool-cache root (the prefix is baked into the
 * build) and our own format version. Readable parts first, a digest of the rest last.
 */
export function cacheKey(plan: BuildPlan, root: string = toolCacheRoot()): string {
  const { platform } = plan;
  const digest = createHash('sha256')
    .update(
      JSON.stringify({
        format: BUILD_FORMAT,
        root,
        python: plan.python.entry.identity,
        openssl: plan.openssl.entry.identity,
      }),
    )
    .digest('hex')
    .slice(0, 16);
  const key = [
    'tls-floor',
    `v${BUILD_FORMAT}`,
    platform.os,
    platform.osRelease,
    platform.arch,
    `cpython${threaded(plan.python.source.version, plan.python.freethreaded)}`,
    `openssl${plan.openssl.source.version}`,
    `tls${plan.floor}`,
    digest,
  ]
    .join('-')
    .replace(/[^A-Za-z0-9._-]/g, '_');
  return key.slice(0, MAX_KEY);
}

/** Both tool-cache folders and their completion markers, so that tc.find finds them restored. */
export function cachePaths(plan: BuildPlan): string[] {
  return [plan.openssl.entry, plan.python.entry].flatMap((entry) => [entryDir(entry), `${entryDir(entry)}.complete`]);
}

/** A restore that fails is a warning: the job builds instead. */
export async function restoreRuntime(cache: CrossRunCache, plan: BuildPlan): Promise<boolean> {
  const key = cacheKey(plan);
  try {
    const restored = await cache.restore(cachePaths(plan), key);
    core.info(restored === key ? `Cross-run cache hit: ${key}` : `Cross-run cache miss: ${key}`);
    return restored === key;
  } catch (error) {
    core.warning(`Cross-run cache restore failed (building instead): ${describeError(error)}`);
    return false;
  }
}

/** A save that fails (service down, read-only for a fork's pull request) is a warning. */
export async function saveRuntime(cache: CrossRunCache, plan: BuildPlan): Promise<boolean> {
  const key = cacheKey(plan);
  try {
    await cache.save(cachePaths(plan), key);
    core.info(`Saved to the cross-run cache: ${key}`);
    return true;
  } catch (error) {
    core.warning(`Cross-run cache save failed (the runtime is still verified and usable): ${describeError(error)}`);
    return false;
  }
}

/** Save only what this run built and proved, and only when the cache did not have it. */
export function shouldSave(state: {
  enabled: boolean;
  built: boolean;
  restoredExact: boolean;
  verdict: string;
}): boolean {
  return state.enabled && state.built && !state.restoredExact && state.verdict === 'pass';
}
