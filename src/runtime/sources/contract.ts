import type { Floor } from '../../shared/floor.js';
import type { HardenedRuntime } from '../hardened.js';
import type { BuildPlan } from '../model/plan.js';
import type { BuildInputs } from '../model/request.js';

/**
 * Where a runtime came from: the `runtime-source` output's values (action.yml). A source
 * names itself here; the given archive may still yield `tool-cache` (its runtime was there).
 */
export type SourceName = 'tool-cache' | 'cross-run' | 'prebuilt' | 'archive' | 'built';

export interface ObtainedRuntime {
  plan: BuildPlan;
  runtime: HardenedRuntime;
  source: SourceName;
  /** This run compiled something (so it may save it). */
  built: boolean;
  /** Installed from the archive the action was given. */
  fromArchive: boolean;
}

/** What every source is asked for: the request, and its plans, made when a source first needs them. */
export interface Wanted {
  build: BuildInputs;
  floor: Floor;
  /** The plan of the inputs: the build on demand, what the cross-run cache is keyed on. */
  plan(): Promise<BuildPlan>;
  /** The plans the request accepts, the preferred first (obtain.ts plansOf). */
  plans(): Promise<BuildPlan[]>;
}

/**
 * One place a runtime may come from. obtain.ts tries the sources in the order the inputs
 * choose (sources/order.ts), each in three steps, and takes the first runtime one installs;
 * a step that answers undefined passes to the next source. Every runtime a source hands out
 * has been verified here (verify.ts) before the probe; `proves` says what it shows beyond that.
 */
export interface RuntimeSource<Found = unknown, Fetched = unknown> {
  readonly name: SourceName;
  /** What a runtime from here is known to be, besides verified: for the log and the docs. */
  readonly proves: string;
  /** It writes into the tool cache: the folders are checked writable before the first such source. */
  readonly writes: boolean;
  /** Find or plan: what this source holds for the request, or undefined (not here). */
  find(wanted: Wanted): Promise<Found | undefined>;
  /** Fetch it (download, restore, nothing): undefined when what came is unusable. */
  fetch(found: Found, wanted: Wanted): Promise<Fetched | undefined>;
  /** Install and verify it in the tool cache: the runtime, or undefined to try the next source. */
  install(fetched: Fetched, wanted: Wanted): Promise<ObtainedRuntime | undefined>;
}
