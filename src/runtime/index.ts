// The build path's entry: the action (action/run.ts) loads it lazily, so a probe-only run never pays for it.

export { createArchive } from './archive.js';
export { actionsCache, type CrossRunCache, saveRuntime, shouldSave } from './crossrun.js';
export type { HardenedRuntime } from './hardened.js';
export type { BuildPlan } from './model/plan.js';
export { type ArchiveSource, type CacheHit, type ObtainedRuntime, obtainRuntime, planFromInputs } from './obtain.js';
export { preferPrebuilt } from './prebuilt-spec.js';
export { missingModulesWarning } from './verify.js';
