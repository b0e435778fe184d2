import type { CrossRunCache } from '../crossrun.js';
import type { RuntimeIndexInput } from '../prebuilt.js';
import type { ArchiveSource } from './archive_install.js';
import { archiveUrl } from './archive_url.js';
import { build } from './build.js';
import type { RuntimeSource } from './contract.js';
import { crossRun } from './cross_run.js';
import { runtimeIndex } from './runtime_index.js';
import { toolCache } from './tool_cache.js';

/** The sources the inputs chose, besides the tool cache and the build, which are always there. */
export interface ChosenSources {
  /** runtime-archive-url: the only source when given. */
  archive?: ArchiveSource;
  cache?: CrossRunCache;
  index?: RuntimeIndexInput;
}

/**
 * The sources to try, most local first: the given archive alone; else the tool cache, the
 * cross-run cache, the runtime index (an exact match), a build. A new source takes its
 * place here.
 */
export function sourcesFor(chosen: ChosenSources): readonly RuntimeSource[] {
  if (chosen.archive) return [archiveUrl(chosen.archive)];
  return [
    toolCache,
    ...(chosen.cache ? [crossRun(chosen.cache)] : []),
    ...(chosen.index ? [runtimeIndex(chosen.index)] : []),
    build,
  ];
}
