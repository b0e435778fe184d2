// The build path's entry: main loads it lazily, so a probe-only run never pays for it.
export { obtainRuntime, planFromInputs, type ObtainedRuntime, type CacheHit, type ArchiveSource } from './obtain.js';
export type { HardenedRuntime } from './hardened.js';
export type { BuildPlan } from './plan.js';
export { actionsCache, saveRuntime, shouldSave, type CrossRunCache } from '../cache/crossrun.js';
export { createArchive } from '../archive/archive.js';
export { missingModulesWarning } from './verify.js';
