// The build path's entry: the action (action/run.ts) loads it lazily, so a probe-only run never pays for it.

export { createArchive } from './archive/pack.js';
export { actionsCache, type CrossRunCache, saveRuntime, shouldSave } from './crossrun.js';
export type { HardenedRuntime } from './hardened.js';
export type { BuildPlan } from './model/plan.js';
export { obtainRuntime, planFromInputs } from './obtain.js';
export { preferPrebuilt } from './prebuilt-spec.js';
export type { ArchiveSource } from './sources/archive_install.js';
export type { ObtainedRuntime, SourceName } from './sources/contract.js';
export { missingModulesWarning } from './verify.js';
